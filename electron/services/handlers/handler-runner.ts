import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { randomUUID } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { WorkbenchError } from '../errors'
import type { LambdaStreamEvent } from './lambda-event'

/** One console line of the handler; `record` is the index in the batch it was working on (-1: none yet). */
export interface HandlerLog {
  level: 'log' | 'info' | 'warn' | 'error' | 'debug' | 'trace' | 'stdout' | 'stderr' | 'warning'
  text: string
  record: number
}

/** One AWS SDK call the handler made, as sent (DynamoDB JSON) and as answered. */
export interface HandlerCall {
  op: string
  input: Record<string, unknown>
  output?: Record<string, unknown>
  error?: { name: string; message: string; cancellationReasons?: unknown }
  /** The output came through the document client: items are plain JSON, not DynamoDB JSON. */
  plainOutput?: boolean
  record: number
}

export interface HandlerFailure {
  /** `load`: the module could not be imported (syntax error, missing export); `timeout`: ran past its limit. */
  phase: 'load' | 'invoke' | 'timeout' | 'crash'
  name: string
  message: string
  stack?: string
  /** `file:line` in the user's code, when known. */
  location?: string
}

export interface Invocation {
  ok: boolean
  /** What the handler returned (a `batchItemFailures` response, or anything Lambda would ignore). */
  result?: unknown
  error?: HandlerFailure
  logs: HandlerLog[]
  /** Calls and logs in the order they happened. */
  calls: HandlerCall[]
  timeline: ({ kind: 'log'; log: HandlerLog } | { kind: 'call'; call: HandlerCall })[]
  durationMs: number
  /** The handler file changed since the last invocation and was loaded afresh. */
  reloaded: boolean
}

export interface HandlerSettings {
  /** Absolute path of the `.mjs`, `.js` or `.ts` module exporting `handler(event, context)`. */
  file: string
  functionName: string
  timeoutMs: number
}

/**
 * The folder holding Tablewright's package.json: the app's node_modules (for the SDK a handler may import) and
 * the worker runtime next to this file are found from it, in the source tree and in the electron-vite build alike.
 */
export function appRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const pkg = path.join(dir, 'package.json')
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'tablewright') return dir
      } catch {
        // not ours; keep going up
      }
    }
    const up = path.dirname(dir)
    if (up === dir)
      throw new WorkbenchError('internal', 'cannot find the Tablewright installation folder (package.json)')
    dir = up
  }
}

/** Lambda's limit for a function's init phase (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html). */
const INIT_LIMIT_MS = 10_000
/** The heap a handler's worker may use (reported to the handler as context.memoryLimitInMB). */
export const MEMORY_LIMIT_MB = 512

const workerFile = () => path.join(appRoot(), 'electron/services/handlers/runtime/worker.mjs')

/** The environment a handler sees: Lambda's variables pointing at the connection the workbench is using. */
export async function handlerEnvironment(
  client: DynamoDBClient,
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && (!k.startsWith('AWS_') || k.startsWith('AWS_SDK_JS_'))) env[k] = v
  const region = await client.config.region()
  env.AWS_REGION = region
  env.AWS_DEFAULT_REGION = region
  // A custom endpoint (embedded engine, DynamoDB Local): SDK v3 reads the service-specific variable
  // (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
  if (client.config.isCustomEndpoint && client.config.endpoint) {
    const e = await client.config.endpoint()
    env.AWS_ENDPOINT_URL_DYNAMODB = `${e.protocol}//${e.hostname}${e.port ? `:${e.port}` : ''}${e.path && e.path !== '/' ? e.path : ''}`
    env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS = env.AWS_ENDPOINT_URL_DYNAMODB
  }
  const creds = await client.config.credentials()
  env.AWS_ACCESS_KEY_ID = creds.accessKeyId
  env.AWS_SECRET_ACCESS_KEY = creds.secretAccessKey
  if (creds.sessionToken) env.AWS_SESSION_TOKEN = creds.sessionToken
  return { ...env, ...extra }
}

type FromWorker =
  | { type: 'ready' }
  | { type: 'started'; id: number }
  | { type: 'log'; id: number; record: number; level: HandlerLog['level']; text: string }
  | ({ type: 'call'; id: number } & HandlerCall)
  | { type: 'result'; id: number; value: unknown }
  | { type: 'failed'; id: number; error: HandlerFailure }

interface Pending {
  id: number
  inv: Invocation
  resolve: (inv: Invocation) => void
}

/** One execution environment: a worker thread holding the loaded handler, serving one invocation at a time. */
class Environment {
  readonly worker: Worker
  private pending: Pending | undefined
  dead = false

  constructor(
    readonly settings: HandlerSettings,
    env: Record<string, string>,
    readonly loadedStamp: string,
  ) {
    this.worker = new Worker(workerFile(), {
      workerData: { file: settings.file, appBase: pathToFileURL(path.join(appRoot(), 'package.json')).href },
      env,
      stdout: true,
      stderr: true,
      // A runaway handler runs out of its own heap (the worker ends with an error) instead of the app's.
      resourceLimits: { maxOldGenerationSizeMb: MEMORY_LIMIT_MB },
    })
    this.worker.unref()
    this.worker.on('message', (m: FromWorker) => this.onMessage(m))
    this.worker.on('error', (err) =>
      this.finish({
        phase: 'crash',
        name: err.name,
        message: `the handler crashed its worker: ${err.message}`,
        stack: err.stack,
      }),
    )
    this.worker.on('exit', (code) => {
      this.dead = true
      this.finish({
        phase: 'crash',
        name: 'Exit',
        message: `the handler's worker exited (code ${code}) before the invocation finished`,
      })
    })
    const pipe = (level: 'stdout' | 'stderr') => (chunk: Buffer) => {
      for (const text of chunk.toString('utf8').split('\n').filter(Boolean))
        this.addLog({ level, text, record: -1 })
    }
    this.worker.stdout.on('data', pipe('stdout'))
    this.worker.stderr.on('data', pipe('stderr'))
  }

  private addLog(log: HandlerLog) {
    if (!this.pending) return
    this.pending.inv.logs.push(log)
    this.pending.inv.timeline.push({ kind: 'log', log })
  }

  private onMessage(m: FromWorker) {
    const p = this.pending
    if (m.type === 'ready' || !p || m.id !== p.id) return
    if (m.type === 'started') this.onStarted?.()
    else if (m.type === 'log') this.addLog({ level: m.level, text: m.text, record: m.record })
    else if (m.type === 'call') {
      const call: HandlerCall = { op: m.op, input: m.input, record: m.record }
      if (m.plainOutput) call.plainOutput = true
      if (m.output) call.output = m.output
      if (m.error) call.error = m.error
      p.inv.calls.push(call)
      p.inv.timeline.push({ kind: 'call', call })
    } else if (m.type === 'result') {
      p.inv.ok = true
      p.inv.result = m.value
      this.settle()
    } else {
      p.inv.error = m.error
      this.settle()
    }
  }

  private started = 0
  private onStarted: (() => void) | undefined
  private settle() {
    const p = this.pending
    if (!p) return
    this.pending = undefined
    p.inv.durationMs = Date.now() - this.started
    this.worker.unref()
    p.resolve(p.inv)
  }

  private finish(error: HandlerFailure) {
    this.dead = true
    if (!this.pending) return
    this.pending.inv.error = error
    this.settle()
  }

  get busy() {
    return this.pending !== undefined
  }

  invoke(id: number, event: LambdaStreamEvent, reloaded: boolean): Promise<Invocation> {
    const { settings } = this
    return new Promise<Invocation>((resolve) => {
      this.started = Date.now()
      this.pending = {
        id,
        resolve,
        inv: { ok: false, logs: [], calls: [], timeline: [], durationMs: 0, reloaded },
      }
      this.worker.ref()
      const expire = (message: string) => () => {
        if (this.pending?.id !== id) return
        this.finish({ phase: 'timeout', name: 'TimeoutError', message })
        void this.worker.terminate()
      }
      // Loading the module is Lambda's init phase, with its own 10 s limit; the function timeout starts after it.
      let timer = setTimeout(
        expire(
          `the handler did not finish loading within ${INIT_LIMIT_MS / 1000} seconds (${settings.file})`,
        ),
        INIT_LIMIT_MS,
      )
      timer.unref()
      this.onStarted = () => {
        clearTimeout(timer)
        timer = setTimeout(
          expire(`Task timed out after ${(settings.timeoutMs / 1000).toFixed(2)} seconds (${settings.file})`),
          settings.timeoutMs,
        )
        timer.unref()
      }
      const deadline = Date.now() + INIT_LIMIT_MS + settings.timeoutMs
      this.worker.postMessage({
        type: 'invoke',
        id,
        event,
        context: {
          functionName: settings.functionName,
          invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${settings.functionName}`,
          awsRequestId: randomUUID(),
          logStreamName: `tablewright/${settings.functionName}`,
          memoryLimitInMB: MEMORY_LIMIT_MB,
          deadline,
        },
      })
    }).finally(() => undefined)
  }

  close() {
    this.dead = true
    void this.worker.terminate()
  }
}

/** What identifies a file's version: a changed stamp means the handler is loaded afresh (hot reload). */
function stampOf(file: string): string {
  try {
    const s = statSync(file)
    return `${s.mtimeMs}:${s.size}`
  } catch (err) {
    throw new WorkbenchError(
      'model.invalid',
      `stream handler file ${file} cannot be read: ${(err as Error).message}`,
      { file },
    )
  }
}

/**
 * Runs one handler file the way Lambda runs a function: each invocation in an isolated execution environment (a
 * worker thread) with a timeout; idle environments are kept warm and reused; several invocations at once get
 * several environments; a changed file, a timeout or a crash retires an environment.
 */
export class HandlerRunner {
  private readonly idle: Environment[] = []
  private readonly all = new Set<Environment>()
  private lastStamp: string | undefined
  private nextId = 1

  constructor(
    readonly settings: HandlerSettings,
    private readonly env: Record<string, string>,
  ) {}

  async invoke(event: LambdaStreamEvent): Promise<Invocation> {
    const stamp = stampOf(this.settings.file)
    const reloaded = this.lastStamp !== undefined && stamp !== this.lastStamp
    this.lastStamp = stamp
    let env: Environment | undefined
    while ((env = this.idle.pop())) {
      if (!env.dead && env.loadedStamp === stamp) break
      env.close()
      this.all.delete(env)
    }
    if (!env) {
      env = new Environment(this.settings, this.env, stamp)
      this.all.add(env)
    }
    const inv = await env.invoke(this.nextId++, event, reloaded)
    // A failed load is not cached: the next invocation tries the file again (it may have been fixed meanwhile).
    if (env.dead || inv.error?.phase === 'load') {
      env.close()
      this.all.delete(env)
    } else this.idle.push(env)
    return inv
  }

  close(): void {
    for (const env of this.all) env.close()
    this.all.clear()
    this.idle.length = 0
  }
}
