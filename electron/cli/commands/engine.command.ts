import type { Command } from 'commander'
import { createEngine, startEngineServer } from '../../engine'
import { CliFailure, EXIT, printJson } from '../output'
import { wholeNumber } from './params'

/** `tablewright engine`: the embedded engine on its own, a drop-in for DynamoDB Local that needs no Java. */
export function registerEngineCommand(program: Command): void {
  program
    .command('engine')
    .description(
      'run the embedded DynamoDB-compatible engine (in memory) until Ctrl+C: a drop-in for DynamoDB Local without Java',
    )
    .option('-p, --port <port>', 'port to listen on (0 = a free port)', wholeNumber('--port', 0, 65535), 8000)
    .option(
      '--host <host>',
      'interface to bind (default: 127.0.0.1, answering only Host headers that name loopback; with --host any Host is answered)',
    )
    .option('--region <region>', 'region in ARNs and stream records', 'us-east-1')
    .option('--json', 'print the endpoint as JSON')
    .action(async (opts: { port: number; host?: string; region: string; json?: boolean }) => {
      const host = opts.host ?? '127.0.0.1'
      if (!['127.0.0.1', 'localhost', '::1'].includes(host))
        console.error(
          `warning: binding ${host} lets other machines read and write this engine's tables (there is no authentication).`,
        )
      const engine = createEngine({ region: opts.region })
      let server
      try {
        // Without --host the engine is loopback-only, so refuse rebinding names; whoever gives --host may mean them.
        server = await startEngineServer(engine, {
          port: opts.port,
          host,
          loopbackHostOnly: opts.host === undefined,
        })
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code
        const reason =
          code === 'EADDRINUSE'
            ? `port ${opts.port} is in use (is DynamoDB Local or another engine running?); pick another with --port`
            : (err as Error).message
        const failure = new CliFailure(
          `cannot start the engine on ${host}:${opts.port}: ${reason}`,
          EXIT.failed,
          'engine.unavailable',
        )
        if (opts.json) printJson({ ok: false, code: failure.code, message: failure.detail })
        throw failure
      }
      let stopping = false
      const stop = (signal: string) => {
        if (stopping) return
        stopping = true
        if (!opts.json) console.error(`${signal}: stopping the engine`)
        void server.close().finally(() => process.exit(0))
      }
      // Before printing the endpoint: whoever reads it may signal right away.
      process.once('SIGINT', () => stop('SIGINT'))
      process.once('SIGTERM', () => stop('SIGTERM'))
      if (opts.json)
        printJson({ ok: true, endpoint: server.endpoint, port: server.port, region: opts.region })
      else {
        console.log(`Tablewright engine listening at ${server.endpoint} (region ${opts.region}, in memory)`)
        console.log(
          `Use it with --endpoint ${server.endpoint}, or from an SDK with any credentials. Ctrl+C stops it.`,
        )
      }
    })
}
