// The worker thread a stream handler runs in: one Lambda-like execution environment. It loads the user's module
// once (a changed file gets a fresh worker from the parent), runs one invocation at a time, and reports to the
// parent everything the timeline shows: console lines, each AWS SDK call with its request and response, and the
// result or the error. The parent owns the timeout (it terminates this thread, which stops even a busy loop).
// Plain JavaScript, not TypeScript: the worker is started from this file as is, in the app and in tests alike.
import { AsyncLocalStorage } from 'node:async_hooks'
import { spawnSync } from 'node:child_process'
import { createRequire, register } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { format } from 'node:util'
import { parentPort, workerData } from 'node:worker_threads'

/** @type {{ file: string; appBase: string }} */
const { file, appBase } = workerData
const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort)

register(new URL('./hooks.mjs', import.meta.url), { data: { appBase } })
process.setSourceMapsEnabled(true)

/** Which invocation, and which record of its batch the handler last read, in the current async context. */
const als = new AsyncLocalStorage()
/** @returns {{ id: number; record: number } | undefined} */
const where = () => als.getStore()

/** @param {Record<string, unknown>} msg */
function post(msg) {
  try {
    port.postMessage(msg)
  } catch {
    // Something in it cannot be cloned (a class instance from user code): send its JSON form instead.
    port.postMessage(JSON.parse(JSON.stringify(msg, (_k, v) => (typeof v === 'bigint' ? String(v) : v))))
  }
}

// Console output belongs to the invocation (and record) it was written in.
for (const level of /** @type {const} */ (['log', 'info', 'warn', 'error', 'debug', 'trace'])) {
  console[level] = (...args) => {
    const w = where()
    post({ type: 'log', id: w?.id ?? -1, record: w?.record ?? -1, level, text: format(...args) })
  }
}

// Process warnings (deprecations, the SDK's Node version notice) are the runtime's, not the handler's output:
// kept with the invocation's logs, left out of its steps.
process.removeAllListeners('warning')
process.on('warning', (w) => {
  const at = where()
  post({ type: 'log', id: at?.id ?? -1, record: -1, level: 'warning', text: `${w.name}: ${w.message}` })
})

// CommonJS handlers (`.js` without "type": "module", `.cjs`) `require` the SDK: the same fallback as hooks.mjs.
const Module = createRequire(import.meta.url)('node:module')
const resolveFilename = Module._resolveFilename
const appRequire = createRequire(appBase)
Module._resolveFilename = function (/** @type {string} */ request, /** @type {unknown[]} */ ...rest) {
  try {
    return resolveFilename.call(this, request, ...rest)
  } catch (err) {
    if (/** @type {{ code?: string }} */ (err).code === 'MODULE_NOT_FOUND' && request.startsWith('@aws-sdk/'))
      return appRequire.resolve(request)
    throw err
  }
}

/** Every SDK client the handler creates reports its calls: the command, its input and its output. */
const recorded = new WeakSet()
/** @param {any} clientClass */
function instrument(clientClass) {
  const proto = Object.getPrototypeOf(clientClass.prototype)
  if (!proto || proto.__tablewrightRecorded) return
  const send = proto.send
  Object.defineProperty(proto, '__tablewrightRecorded', { value: true })
  proto.send = function (/** @type {unknown[]} */ ...args) {
    const stack = this.middlewareStack
    if (stack && !recorded.has(stack)) {
      recorded.add(stack)
      stack.add(
        (/** @type {any} */ next, /** @type {any} */ context) => async (/** @type {any} */ a) => {
          const w = where()
          const op = String(context.commandName ?? 'Unknown').replace(/Command$/, '')
          const base = { type: 'call', id: w?.id ?? -1, record: w?.record ?? -1, op, input: a.input }
          try {
            const out = await next(a)
            const { $metadata: _m, ...output } = out.output ?? {}
            // The document client unmarshalls below this step: its output arrives as plain JSON.
            const plainOutput = Boolean(context.__aws_sdk_context?.features?.DDB_MAPPER)
            post({ ...base, output, plainOutput })
            return out
          } catch (err) {
            const e = /** @type {{ name?: string; message?: string; CancellationReasons?: unknown }} */ (err)
            post({
              ...base,
              error: {
                name: e.name ?? 'Error',
                message: e.message ?? String(err),
                cancellationReasons: e.CancellationReasons,
              },
            })
            throw err
          }
        },
        // The build step runs after the document client's marshalling: requests are DynamoDB JSON either way.
        { step: 'build', priority: 'high', name: 'tablewrightRecorder', override: true },
      )
    }
    return send.apply(this, args)
  }
}
const CLIENTS = {
  '@aws-sdk/client-dynamodb': 'DynamoDBClient',
  '@aws-sdk/lib-dynamodb': 'DynamoDBDocumentClient',
}
for (const [pkg, name] of Object.entries(CLIENTS)) {
  try {
    instrument((await import(pkg))[name])
  } catch {
    // not installed: the handler cannot use it either
  }
}
// A CommonJS handler gets the SDK's CommonJS build, another copy of the classes: instrument it when required.
const load = Module._load
Module._load = function (/** @type {string} */ request, /** @type {unknown[]} */ ...rest) {
  const exported = load.call(this, request, ...rest)
  const name = /** @type {Record<string, string>} */ (CLIENTS)[request]
  if (name && exported?.[name]) instrument(exported[name])
  return exported
}

/** `file:line` of the first stack frame in the user's code. */
function locate(/** @type {string | undefined} */ stack) {
  for (const line of (stack ?? '').split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?\/[^\s()]+?):(\d+):(\d+)\)?\s*$/.exec(line)
    if (!m || m[1] === undefined) continue
    const where = m[1].startsWith('file:') ? fileURLToPath(m[1]) : m[1]
    if (where.includes('/node_modules/') || where === fileURLToPath(import.meta.url)) continue
    return `${where}:${m[2]}`
  }
  return undefined
}

/** Node 20 reports an ES module's syntax error without its place; `node --check` names file and line. */
function syntaxLocation() {
  if (/\.(ts|mts)$/.test(file)) return undefined
  const r = spawnSync(process.execPath, ['--check', file], {
    encoding: 'utf8',
    timeout: 10_000,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  })
  const lines = (r.stderr ?? '').split('\n')
  const m = /^(.*):(\d+)$/.exec(lines[0] ?? '')
  if (!m) return undefined
  return { location: `${m[1]}:${m[2]}`, excerpt: lines.slice(1, 3).join('\n') }
}

/** @param {unknown} err */
function describe(err, loading = false) {
  const e = /** @type {{ name?: string; message?: string; stack?: string }} */ (
    err instanceof Error ? err : { name: 'Error', message: format(err) }
  )
  const out = {
    name: e.name ?? 'Error',
    message: e.message ?? '',
    stack: e.stack,
    location: locate(e.stack),
    phase: loading ? 'load' : 'invoke',
  }
  if (loading && e.name === 'SyntaxError') {
    const ts = /^(\/.*?:\d+):\d+: /.exec(out.message)
    if (ts?.[1]) out.location = ts[1]
    else {
      const found = syntaxLocation()
      if (found) {
        out.location = found.location
        out.message = `${out.message}\n${found.excerpt}`
      }
    }
  }
  return out
}

/** @type {Function | undefined} */
let handler
async function loadHandler() {
  if (handler) return handler
  const mod = await import(pathToFileURL(file).href)
  const fn = mod.handler ?? mod.default?.handler
  if (typeof fn !== 'function') throw new TypeError(`${file} exports no function named "handler"`)
  handler = fn
  return fn
}

/** The event with each record (and Records itself) noting, on read, which record the handler is working on. */
function track(/** @type {{ Records: object[] }} */ event, /** @type {number} */ id) {
  const records = event.Records.map(
    (r, i) =>
      new Proxy(r, {
        get(target, key, receiver) {
          als.enterWith({ id, record: i })
          return Reflect.get(target, key, receiver)
        },
      }),
  )
  return { ...event, Records: records }
}

port.on('message', async (/** @type {any} */ msg) => {
  if (msg.type !== 'invoke') return
  const { id, event, context: info } = msg
  await als.run({ id, record: -1 }, async () => {
    let fn
    try {
      fn = await loadHandler()
    } catch (err) {
      post({ type: 'failed', id, error: describe(err, true) })
      return
    }
    // Lambda's timeout counts from here: loading the module is the init phase, limited separately.
    post({ type: 'started', id })
    const context = {
      functionName: info.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: info.invokedFunctionArn,
      memoryLimitInMB: String(info.memoryLimitInMB ?? 512),
      awsRequestId: info.awsRequestId,
      logGroupName: `/aws/lambda/${info.functionName}`,
      logStreamName: info.logStreamName,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, info.deadline - Date.now()),
    }
    try {
      const tracked = track(event, id)
      const value =
        fn.length >= 3
          ? await new Promise((resolve, reject) => {
              const r = fn(tracked, context, (/** @type {unknown} */ err, /** @type {unknown} */ v) =>
                err ? reject(err) : resolve(v),
              )
              if (r && typeof r.then === 'function') r.then(resolve, reject)
            })
          : await fn(tracked, context)
      post({ type: 'result', id, value: value === undefined ? null : value })
    } catch (err) {
      post({ type: 'failed', id, error: describe(err) })
    }
  })
})
port.postMessage({ type: 'ready' })
