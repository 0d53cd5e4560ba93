import type { Command } from 'commander'
import path from 'node:path'
import { createEngine, DurableStoreError, startEngineServer, type Engine } from '../../engine'
import { ConnectionManager } from '../../services/connections.service'
import { EventBus } from '../../services/event-bus'
import { CliFailure, EXIT, printJson } from '../output'
import { run } from './context'
import { wholeNumber } from './params'

/** `tablewright engine`: the embedded engine on its own, a drop-in for DynamoDB Local that needs no Java. */
export function registerEngineCommand(program: Command): void {
  program
    .command('engine')
    .description(
      'run the embedded DynamoDB-compatible engine until Ctrl+C: a drop-in for DynamoDB Local without Java ' +
        '(in memory unless --data-dir is given)',
    )
    .option('-p, --port <port>', 'port to listen on (0 = a free port)', wholeNumber('--port', 0, 65535), 8000)
    .option(
      '--host <host>',
      'interface to bind (default: 127.0.0.1, answering only Host headers that name loopback; with --host any Host is answered)',
    )
    .option('--region <region>', 'region in ARNs and stream records', 'us-east-1')
    .option('--data-dir <dir>', 'keep tables in this directory: they survive restarts and crashes')
    .option('--in-memory', 'keep everything in memory only (the default)')
    .option('--json', 'print the endpoint as JSON')
    .action(
      async (opts: {
        port: number
        host?: string
        region: string
        dataDir?: string
        inMemory?: boolean
        json?: boolean
      }) => {
        const failWith = (failure: CliFailure): never => {
          if (opts.json) printJson({ ok: false, code: failure.code, message: failure.detail })
          throw failure
        }
        if (opts.dataDir !== undefined && opts.inMemory)
          failWith(new CliFailure('--data-dir and --in-memory exclude each other', EXIT.usage, 'usage'))
        const host = opts.host ?? '127.0.0.1'
        if (!['127.0.0.1', 'localhost', '::1'].includes(host))
          console.error(
            `warning: binding ${host} lets other machines read and write this engine's tables (there is no authentication).`,
          )
        const dataDir = opts.dataDir === undefined ? undefined : path.resolve(opts.dataDir)
        // A file-size limit (ulimit -f) must fail a log write (EFBIG) as a full disk does, not end the engine: Node
        // ignores SIGXFSZ until some library listens for it (signal-exit, via proper-lockfile, re-raises it).
        if (dataDir !== undefined && process.platform !== 'win32') process.on('SIGXFSZ', () => undefined)
        let engine: Engine
        try {
          engine = createEngine({
            region: opts.region,
            dataDir,
            onStorageWarning: (m) => console.error(`warning: ${m}`),
          })
        } catch (err) {
          if (!(err instanceof DurableStoreError)) throw err
          return failWith(new CliFailure(err.message, EXIT.failed, err.code))
        }
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
          await engine.close()
          return failWith(
            new CliFailure(
              `cannot start the engine on ${host}:${opts.port}: ${reason}`,
              EXIT.failed,
              'engine.unavailable',
            ),
          )
        }
        let stopping = false
        const stop = (signal: string) => {
          if (stopping) return
          stopping = true
          if (!opts.json) console.error(`${signal}: stopping the engine`)
          // Pending writes reach the disk and the data directory's lock is released before exiting.
          void server
            .close()
            .then(() => engine.close())
            .finally(() => process.exit(0))
        }
        // Before printing the endpoint: whoever reads it may signal right away.
        process.once('SIGINT', () => stop('SIGINT'))
        process.once('SIGTERM', () => stop('SIGTERM'))
        if (opts.json)
          printJson({
            ok: true,
            endpoint: server.endpoint,
            port: server.port,
            region: opts.region,
            dataDir: dataDir ?? null,
          })
        else {
          const where = dataDir === undefined ? 'in memory' : `data in ${dataDir}`
          console.log(`Tablewright engine listening at ${server.endpoint} (region ${opts.region}, ${where})`)
          console.log(
            `Use it with --endpoint ${server.endpoint}, or from an SDK with any credentials. Ctrl+C stops it.`,
          )
        }
      },
    )
}

/**
 * `tablewright engine-data`: where the app's embedded engine keeps its tables and how much they take; `--reset --yes`
 * deletes them (refused while the app holds them). The same services functions as the app's storage panel.
 */
export function registerEngineDataCommand(program: Command): void {
  program
    .command('engine-data')
    .description(
      "show where the app's embedded engine keeps its tables and their size; --reset --yes deletes them",
    )
    .option('--connection-id <id>', 'the embedded connection', 'embedded')
    .option('--reset', 'delete the tables kept there (needs --yes)')
    .option('--yes', 'really delete them')
    .option('--json', 'one JSON document on stdout')
    .action(async (opts: { connectionId: string; reset?: boolean; yes?: boolean; json?: boolean }) => {
      await run(opts.json, async () => {
        const connections = new ConnectionManager(new EventBus(), undefined, { engineStorage: 'disk' })
        const view = opts.reset
          ? await connections.setStorage(opts.connectionId, 'reset', opts.yes ?? false)
          : connections.storage(opts.connectionId)
        if (opts.json) printJson({ ok: true, reset: opts.reset ?? false, ...view })
        else
          console.log(
            `${opts.reset ? 'reset: ' : ''}${view.dataDir ?? '(in memory)'}  ${view.bytes ?? 0} bytes`,
          )
      })
    })
}
