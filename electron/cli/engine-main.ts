import { Command } from 'commander'
import pkg from '../../package.json'
import { registerEngineCommand } from './commands/engine.command'
import { runProgram } from './run-program'

// `tablewright engine` on its own bundle entry (bin/tablewright.js routes here): a throwaway engine for tests and
// scripts is started often, and loading the whole CLI (AWS SDK, services, zod schemas) tripled the time to its first
// answer. Only commander, the engine and the engine command's own module load here; the command is registered by
// the same function as in the full CLI, so its options and help are the same.
const program = new Command()
  .name('tablewright')
  .version(pkg.version, '-v, --version')
  .showHelpAfterError()
  .exitOverride()
registerEngineCommand(program)
const code = await runProgram(program, process.argv)
// A running engine keeps the process alive until a signal; --help ends by itself.
if (code !== 0) process.exit(code)
