import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { fromIni } from '@aws-sdk/credential-providers'
import { Command, Option } from 'commander'
import { fileURLToPath } from 'node:url'
import pkg from '../../package.json'
import { startBrowserHost } from '../host/browser-host'
import { toWorkbenchError } from '../services/errors'
import { listTableNames } from '../services/tables.service'
import { Workbench } from '../services/workbench'
import { registerDataCommands } from './commands'
import { warnIfNoAwsProfile } from './commands/context'
import { checkEndpoint } from './commands/endpoints'
import { registerModelCommands } from './commands/recipes.commands'
import { CliFailure, EXIT } from './output'
import { reportFailure, runProgram } from './run-program'

export const VERSION: string = pkg.version

function defaultRendererDir(): string {
  return fileURLToPath(new URL('../renderer', import.meta.url))
}

/** `tablewright web`: the browser host; resolves once it listens, and keeps the process alive until a signal. */
export async function runWeb(opts: {
  port: number
  host?: string
  model?: string
  rendererDir?: string
  quiet?: boolean
}) {
  const host = opts.host ?? '127.0.0.1'
  if (opts.host && !['127.0.0.1', 'localhost', '::1'].includes(opts.host)) {
    console.warn(
      `warning: binding ${opts.host} exposes Tablewright beyond this machine; anyone with the token can use it.`,
    )
  }
  const workbench = new Workbench({ version: VERSION, host: 'browser' })
  if (opts.model) {
    // A model that cannot be opened stops the start, with the file and the field at fault, before any URL is printed.
    try {
      const opened = await workbench.openModels.openRef(opts.model)
      console.error(`model: ${opened.name}${opened.file ? ` (${opened.file}, watched)` : ''}`)
    } catch (err) {
      await workbench.dispose()
      const e = toWorkbenchError(err)
      throw new CliFailure(e.message, EXIT.failed, e.code)
    }
  }
  const server = await startBrowserHost({
    workbench,
    rendererDir: opts.rendererDir ?? defaultRendererDir(),
    port: opts.port,
    host,
    log: (line) => console.error(line),
  })
  console.log(`Tablewright is running in your browser at:\n  ${server.url}`)
  const stop = async () => {
    await server.close()
    await workbench.dispose()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
  return server
}

const parsePort = (value: string): number => {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliFailure(`invalid port: ${value}`, EXIT.usage)
  return n
}

export function buildProgram(): Command {
  const program = new Command()
    .name('tablewright')
    .description('A workbench for DynamoDB single-table design: engine, models, patterns and streams.')
    .version(VERSION, '-v, --version')
    .showHelpAfterError()
    .exitOverride()

  program
    .command('web')
    .description('start the browser host on 127.0.0.1 and print its URL (with the access token)')
    .option('-p, --port <port>', 'port to listen on (0 = a free port)', parsePort, 0)
    .option(
      '--host <host>',
      'interface to bind (default 127.0.0.1; anything else is reachable from the network)',
    )
    .option('--model <file|name>', 'open this model file (watched) or built-in sample at start')
    .action(async (opts: { port: number; host?: string; model?: string }) => {
      await runWeb(opts)
    })

  program
    .command('ping')
    .description('list the tables at an endpoint, proving the connection works')
    .requiredOption('--endpoint <url>', 'endpoint URL, e.g. http://localhost:8000', checkEndpoint)
    .option('--region <region>', 'AWS region', 'us-east-1')
    .addOption(
      new Option('--profile <name>', 'AWS profile for credentials (default: local dummy credentials)'),
    )
    .option('--json', 'print JSON')
    .action(async (opts: { endpoint: string; region: string; profile?: string; json?: boolean }) => {
      if (opts.profile) await warnIfNoAwsProfile(opts.profile)
      const client = new DynamoDBClient({
        endpoint: opts.endpoint,
        region: opts.region,
        maxAttempts: 1,
        credentials: opts.profile
          ? fromIni({ profile: opts.profile })
          : { accessKeyId: 'local', secretAccessKey: 'local' },
      })
      try {
        const names = await listTableNames(client)
        if (opts.json) console.log(JSON.stringify({ endpoint: opts.endpoint, tables: names }))
        else if (names.length === 0) console.log(`${opts.endpoint}: reachable, no tables`)
        else
          console.log(`${opts.endpoint}: ${names.length} table(s)\n${names.map((n) => `  ${n}`).join('\n')}`)
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err)
        throw new CliFailure(
          `cannot list tables at ${opts.endpoint}: ${message}`,
          EXIT.failed,
          'connection.unavailable',
        )
      } finally {
        client.destroy()
      }
    })

  registerDataCommands(program)
  return program
}

/** Runs the CLI and returns the exit code (commands that keep serving never return). */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram()
  try {
    // A model's own commands (e.g. a sample's shortcut) are registered before parsing, from --model.
    await registerModelCommands(program, argv)
  } catch (err) {
    return reportFailure(err)
  }
  return runProgram(program, argv)
}
