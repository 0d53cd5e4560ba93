import { runEngine } from './commands/engine.command'
import { fastEngineArgs } from './engine-args'
import { reportFailure } from './run-program'

// `tablewright engine` on its own bundle entry (bin/tablewright.js routes here): a throwaway engine for tests and
// scripts is started often, and loading the whole CLI (AWS SDK, services, zod schemas) tripled the time to its first
// answer. Plain arguments start the engine with no commander loaded; help, version and mistakes go through a
// commander program holding only the engine command, registered by the same function as in the full CLI.
const fast = fastEngineArgs(process.argv.slice(3))
if (fast) {
  // A running engine keeps the process alive until a signal.
  await runEngine(fast).catch((err: unknown) => process.exit(reportFailure(err)))
} else {
  const [{ Command }, { registerEngineCommand }, { runProgram }, { default: pkg }] = await Promise.all([
    import('commander'),
    import('./commands/engine.command'),
    import('./run-program'),
    import('../../package.json'),
  ])
  const program = new Command()
    .name('tablewright')
    .version(pkg.version, '-v, --version')
    .showHelpAfterError()
    .exitOverride()
  registerEngineCommand(program)
  const code = await runProgram(program, process.argv)
  if (code !== 0) process.exit(code)
}
