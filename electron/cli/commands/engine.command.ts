import type { Command } from 'commander'
import path from 'node:path'
// The engine's own modules, not its index: operations (and the store, without --data-dir) then load on first use.
import { openEngine, type Engine } from '../../engine/engine'
import { startEngineServer } from '../../engine/http-server'
import { DurableStoreError } from '../../engine/storage/wal-format'
import { CliFailure, EXIT, printJson } from '../output'
import { checkEndpoint, DEFAULT_ENDPOINT } from './endpoints'
import { wholeNumber } from './whole-number'

// This module is also the `engine` bundle entry's (electron/cli/engine-main.ts), whose first answer must come within
// 100 ms of spawning: it statically imports only the engine. The other commands here load the services in their
// actions.

export interface EngineOptions {
  port: number
  host?: string
  region: string
  json?: boolean
  clockStart?: string
  clockFrozen?: boolean
  ttlSweep: number
  ttlTransition: number
  dataDir?: string
  inMemory?: boolean
}

/** One option of `tablewright engine`, as commander's `.option()` takes it: a parsed value, or text / a switch. */
export type EngineOptionSpec =
  | { flags: string; description: string; parse: (value: string) => number; default: number }
  | { flags: string; description: string; parse?: undefined; default?: string }

/**
 * The engine command's options, declared once: commander registers them here, and the engine entry's fast path
 * (engine-args.ts) reads the same list with node:util's parseArgs, so a plain start loads no commander at all.
 */
export const ENGINE_OPTIONS: readonly EngineOptionSpec[] = [
  {
    flags: '-p, --port <port>',
    description: 'port to listen on (0 = a free port)',
    parse: wholeNumber('--port', 0, 65535),
    default: 8000,
  },
  {
    flags: '--host <host>',
    description:
      'interface to bind (default: 127.0.0.1, answering only Host headers that name loopback; with --host any Host is answered)',
  },
  { flags: '--region <region>', description: 'region in ARNs and stream records', default: 'us-east-1' },
  {
    flags: '--clock-start <iso>',
    description: "the engine clock's starting moment (ISO 8601), e.g. 2026-01-01T00:00:00Z",
  },
  {
    flags: '--clock-frozen',
    description: 'the engine clock moves only when advanced (`tablewright engine-clock advance 1h`)',
  },
  {
    flags: '--ttl-sweep <ms>',
    description: 'how often the TTL sweeper runs, in ms of real time (0 = only on clock advances)',
    parse: wholeNumber('--ttl-sweep', 0, 86_400_000),
    default: 1000,
  },
  {
    flags: '--ttl-transition <ms>',
    description:
      'how long DescribeTimeToLive says ENABLING/DISABLING after a change, in ms of engine time (DynamoDB: up to an hour)',
    parse: wholeNumber('--ttl-transition', 0, 3_600_000),
    default: 5000,
  },
  {
    flags: '--data-dir <dir>',
    description: 'keep tables in this directory: they survive restarts and crashes',
  },
  { flags: '--in-memory', description: 'keep everything in memory only (the default)' },
  { flags: '--json', description: 'print the endpoint as JSON' },
]

/** `tablewright engine`: the embedded engine on its own, a drop-in for DynamoDB Local that needs no Java. */
export function registerEngineCommand(program: Command): void {
  const command = program
    .command('engine')
    .description(
      'run the embedded DynamoDB-compatible engine until Ctrl+C: a drop-in for DynamoDB Local without Java ' +
        '(in memory unless --data-dir is given)',
    )
  for (const o of ENGINE_OPTIONS)
    if (o.parse) command.option(o.flags, o.description, o.parse, o.default)
    else command.option(o.flags, o.description, o.default)
  command.action(runEngine)
}

/** Starts the engine and its HTTP door; resolves once it listens (the process then runs until a signal). */
export async function runEngine(opts: EngineOptions): Promise<void> {
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
  const start = opts.clockStart === undefined ? undefined : Date.parse(opts.clockStart)
  if (start !== undefined && !Number.isFinite(start))
    failWith(
      new CliFailure(
        `--clock-start: not an ISO 8601 moment: ${opts.clockStart}`,
        EXIT.usage,
        'input.invalid',
      ),
    )
  const dataDir = opts.dataDir === undefined ? undefined : path.resolve(opts.dataDir)
  // A file-size limit (ulimit -f) must fail a log write (EFBIG) as a full disk does, not end the engine: Node
  // ignores SIGXFSZ until some library listens for it (signal-exit, via proper-lockfile, re-raises it).
  if (dataDir !== undefined && process.platform !== 'win32') process.on('SIGXFSZ', () => undefined)
  let engine: Engine
  try {
    engine = await openEngine({
      region: opts.region,
      clock: { start, frozen: opts.clockFrozen ?? false },
      ttlSweepIntervalMs: opts.ttlSweep,
      ttlTransitionMs: opts.ttlTransition,
      dataDir,
      onStorageWarning: (m) => console.error(`warning: ${m}`),
      // Listen at once; a request waits only for the tables it names (see the engine README, start-up).
      loadInBackground: true,
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
      const [{ run }, { ConnectionManager }, { EventBus }] = await Promise.all([
        import('./context'),
        import('../../services/connections.service'),
        import('../../services/event-bus'),
      ])
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

/** `tablewright engine-clock [get | advance <duration>]`: read or move the clock of a running engine. */
export function registerEngineClockCommand(program: Command): void {
  program
    .command('engine-clock')
    .description(
      'read the clock of a running Tablewright engine, or move it forward (expired TTL items are deleted at once)',
    )
    .argument('[action]', 'get (default) or advance', 'get')
    .argument('[duration]', 'for advance: 90s, 15m, 1h, 2d, 1h30m or milliseconds')
    .option('--endpoint <url>', "the engine's endpoint", DEFAULT_ENDPOINT)
    .option('--json', 'print the answer as JSON')
    .action(
      async (action: string, duration: string | undefined, opts: { endpoint: string; json?: boolean }) => {
        const [{ run }, { engineClock }] = await Promise.all([
          import('./context'),
          import('../../services/engine-clock.service'),
        ])
        await run(opts.json, async () => {
          checkEndpoint(opts.endpoint)
          if (action !== 'get' && action !== 'advance')
            throw new CliFailure(
              `unknown action "${action}": use get or advance <duration>`,
              EXIT.usage,
              'input.invalid',
            )
          if (action === 'advance' && duration === undefined)
            throw new CliFailure(
              'advance needs a duration, e.g. `engine-clock advance 1h`',
              EXIT.usage,
              'input.invalid',
            )
          const clock = await engineClock(opts.endpoint, action === 'advance' ? duration : undefined)
          if (opts.json) printJson({ ok: true, ...clock })
          else {
            console.log(`${clock.iso}${clock.frozen ? ' (frozen)' : ''}`)
            if (clock.advancedMs !== undefined)
              console.log(
                `advanced ${clock.advancedMs} ms; TTL deleted ${clock.expired ?? 0} expired item(s)`,
              )
          }
        })
      },
    )
}
