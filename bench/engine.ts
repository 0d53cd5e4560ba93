/**
 * Engine benchmark: our engine (HTTP door and in-process door) side by side with dynalite 4.0.0 and DynamoDB
 * Local 3.3.1 on one chat-message dataset. Prints medians and ratios; asserts nothing (timings are not tests).
 *
 *   npm run bench:engine              100,000 items (+ ours at 1,000,000)
 *   npm run bench:engine -- --quick   10,000 items, no 1,000,000 step
 *   npm run bench:engine -- --durable-only [--quick] [--1m]   ours in memory vs ours with --data-dir only
 *
 * Each server runs in its own process (ours and dynalite forked from bench/engine-server.ts, DynamoDB Local as
 * java -Xmx2g) so resident memory is each server's own. Clients are the AWS SDK v3 DocumentClient over HTTP.
 *
 * The dataset is written by 4 concurrent writers in this one process, as the target is defined; the SDK's own work
 * (marshalling, signing, HTTP) caps that rate, so a canned-answer server measures the floor. The same 4 writers
 * as worker threads (own SDK client each) are measured too, into a second table after every other measurement:
 * on 2 cores they compete with the server and come out slower, which the row shows.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb'
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  ExecuteStatementCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb'
import { createEngine, type Engine } from '../electron/engine'
import { itemSizeBytes } from '../electron/engine/values'
import { dynamoDbLocalDir, freePort, javaVersion } from '../electron/services/dynamodb-local.launcher'
import { GROUPS, TABLE, groupOfFor, message, wireItem } from './engine-data'

const QUICK = process.argv.includes('--quick')
const ITEMS = QUICK ? 10_000 : 100_000
const HOT = QUICK ? 2_000 : 20_000
const BIG = 1_000_000
const WRITERS = 4
const QUERY_RUNS = 200
/** Items written (to a table dropped again) before the timed load, so both client and server run JIT-compiled code. */
const WARMUP_ITEMS = QUICK ? 2_000 : 10_000
const TABLE_WARMUP = 'messages-warm-up'
const CONTROL_RUNS = 200
/** The second table, for the single-process load row. */
const TABLE_THREADS = 'messages-writer-threads'
/** Transactions (and the equal batches) go to their own table, dropped again, so they weigh on no other row. */
const TABLE_TXN = 'messages-transactions'
const TXN_RUNS = QUICK ? 300 : 1000
const TXN_PUTS = 10
/** The TTL sweep row: expired items deleted by one sweep (in process, ours only). */
const TTL_ITEMS = 100_000
const BENCH_DIR = process.env.TABLEWRIGHT_BENCH_DIR ?? path.dirname(new URL(import.meta.url).pathname)

const groupOf = groupOfFor(HOT)

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

async function timeRuns(runs: number, fn: () => Promise<unknown>, warmup = 20): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn()
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    await fn()
    times.push(performance.now() - t)
  }
  return median(times)
}

interface Target {
  name: string
  endpoint: string
  rssBytes(): Promise<number | undefined>
  stop(): Promise<void>
}

function clients(endpoint: string) {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  })
  return { client, doc: DynamoDBDocumentClient.from(client) }
}

async function forkServer(
  kind: 'ours' | 'ours-disk' | 'dynalite' | 'dynalite-disk' | 'canned',
  dataDir?: string,
): Promise<Target> {
  // The canned server prepares the dataset's Scan pages (ITEMS items, HOT of them in group 0).
  const args = [kind, String(ITEMS), String(HOT), ...(dataDir === undefined ? [] : [dataDir])]
  const child = fork(path.join(BENCH_DIR, 'engine-server.mjs'), args, {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { endpoint: string }) => resolve(m.endpoint))
    child.once('exit', (code) => reject(new Error(`${kind} server exited (${code})`)))
  })
  return {
    name: kind,
    endpoint,
    rssBytes: () =>
      new Promise((resolve) => {
        child.once('message', (m: { memory: NodeJS.MemoryUsage }) => resolve(m.memory.rss))
        child.send({ cmd: 'memory' })
      }),
    stop: () => stopChild(child),
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

/** DynamoDB Local with -Xmx2g (it needs GBs to hold and scan 100k items); in memory unless dbPath is given. */
async function startLocal(dbPath?: string): Promise<Target> {
  const dir = dynamoDbLocalDir()
  const port = await freePort()
  const storage = dbPath === undefined ? ['-inMemory'] : ['-dbPath', dbPath]
  const child = spawn(
    'java',
    [
      '-Xmx2g',
      `-Djava.library.path=${path.join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      path.join(dir, 'DynamoDBLocal.jar'),
      ...storage,
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { cwd: dir, stdio: 'ignore' },
  )
  const endpoint = `http://127.0.0.1:${port}`
  const { client } = clients(endpoint)
  for (let i = 0; ; i++) {
    try {
      await client.send(new ListTablesCommand({}))
      break
    } catch (err) {
      if (i > 300 || child.exitCode !== null) throw err
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  client.destroy()
  return {
    name: 'DynamoDB Local',
    endpoint,
    rssBytes: async () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
      const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1]
      return kb ? Number(kb) * 1024 : undefined
    },
    stop: () => stopChild(child),
  }
}

const CREATE = {
  TableName: TABLE,
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' as const },
    { AttributeName: 'sk', AttributeType: 'S' as const },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' as const },
    { AttributeName: 'sk', KeyType: 'RANGE' as const },
  ],
  BillingMode: 'PAY_PER_REQUEST' as const,
}

interface WriterJob {
  endpoint: string
  table: string
  /** Size of the hot group (worker threads get no argv of their own to read --quick from). */
  hot: number
  from: number
  to: number
  writer: number
}

/** Writer w of WRITERS: every WRITERS-th batch of 25 items in [from, to). */
async function writeShare(doc: DynamoDBDocumentClient, job: Omit<WriterJob, 'endpoint'>): Promise<void> {
  const { table, from, to, writer } = job
  const groupOf = groupOfFor(job.hot)
  for (let start = from + writer * 25; start < to; start += WRITERS * 25) {
    let requests = []
    for (let i = start; i < Math.min(start + 25, to); i++)
      requests.push({ PutRequest: { Item: message(i, groupOf) } })
    for (let attempt = 0; requests.length > 0; attempt++) {
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }))
      requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests
      if (requests.length && attempt > 20) throw new Error('unprocessed items keep coming back')
    }
  }
}

/** WRITERS concurrent BatchWriteItem writers in this one process; returns items per second. */
async function load(doc: DynamoDBDocumentClient, from: number, to: number, table = TABLE): Promise<number> {
  const t = performance.now()
  await Promise.all(
    Array.from({ length: WRITERS }, (_, writer) => writeShare(doc, { table, hot: HOT, from, to, writer })),
  )
  return (to - from) / ((performance.now() - t) / 1000)
}

/**
 * WRITERS writers, one worker thread each with its own SDK client. The clock starts once every worker has loaded
 * the SDK and built its client, and stops when the last one has written its share.
 */
async function loadThreads(endpoint: string, from: number, to: number, table = TABLE): Promise<number> {
  const workers = Array.from(
    { length: WRITERS },
    (_, writer) =>
      new Worker(new URL(import.meta.url), {
        workerData: { endpoint, table, hot: HOT, from, to, writer } satisfies WriterJob,
      }),
  )
  const next = (w: Worker, expected: string) =>
    new Promise<void>((resolve, reject) => {
      w.once('message', (m: string) => (m === expected ? resolve() : reject(new Error(`writer said ${m}`))))
      w.once('error', reject)
    })
  try {
    await Promise.all(workers.map((w) => next(w, 'ready')))
    const t = performance.now()
    const done = workers.map((w) => next(w, 'done'))
    for (const w of workers) w.postMessage('go')
    await Promise.all(done)
    return (to - from) / ((performance.now() - t) / 1000)
  } finally {
    await Promise.all(workers.map((w) => w.terminate()))
  }
}

/** A writer thread: builds its client, says ready, writes its share on 'go', says done. */
async function writerThread(job: WriterJob): Promise<void> {
  const port = parentPort
  if (!port) return
  const { client, doc } = clients(job.endpoint)
  // One request before the clock: the SDK sets itself up on a client's first send (the one-process writers'
  // client has sent many requests by the time it loads).
  await client.send(new ListTablesCommand({}))
  port.once('message', () => {
    writeShare(doc, job).then(
      () => {
        client.destroy()
        port.postMessage('done')
      },
      (err: unknown) => port.postMessage(`failed: ${String(err)}`),
    )
  })
  port.postMessage('ready')
}

const HOT_QUERY = {
  TableName: TABLE,
  KeyConditionExpression: 'pk = :pk',
  ExpressionAttributeValues: { ':pk': 'GROUP#000' },
  ScanIndexForward: false,
  Limit: 20,
}

async function newest20(doc: DynamoDBDocumentClient): Promise<number> {
  const check = await doc.send(new QueryCommand(HOT_QUERY))
  if (check.Items?.length !== 20) throw new Error(`newest-20 query returned ${check.Items?.length} items`)
  return timeRuns(QUERY_RUNS, () => doc.send(new QueryCommand(HOT_QUERY)))
}

/** The newest-20 query as a PartiQL SELECT: it fixes the partition key, so it runs as the same Query. */
const HOT_SELECT = {
  Statement: `SELECT * FROM "${TABLE}" WHERE pk = ? ORDER BY sk DESC`,
  Parameters: ['GROUP#000'],
  Limit: 20,
}

/** undefined where the server has no PartiQL (dynalite). */
async function newest20Select(doc: DynamoDBDocumentClient): Promise<number | undefined> {
  let check
  try {
    check = await doc.send(new ExecuteStatementCommand(HOT_SELECT))
  } catch {
    return undefined
  }
  if (check.Items?.length !== 20) throw new Error(`newest-20 SELECT returned ${check.Items?.length} items`)
  return timeRuns(QUERY_RUNS, () => doc.send(new ExecuteStatementCommand(HOT_SELECT)))
}

/**
 * The client's own cost: the same writers and query against a server that answers at once with a fixed body.
 * No server can make the HTTP rows faster than this on the same machine.
 */
async function clientFloor(): Promise<{
  loadRate: number
  loadRateThreads: number
  query: number
  scan: number
}> {
  const canned = await forkServer('canned')
  const { client, doc } = clients(canned.endpoint)
  try {
    await load(doc, 0, WARMUP_ITEMS, TABLE_WARMUP)
    const loadRate = await load(doc, 0, ITEMS)
    const loadRateThreads = await loadThreads(canned.endpoint, 0, ITEMS)
    const query = await newest20(doc)
    const scans: number[] = []
    for (let i = 0; i < 3; i++) scans.push(await fullScan(doc, ITEMS))
    return { loadRate, loadRateThreads, query, scan: median(scans) }
  } finally {
    client.destroy()
    await canned.stop()
  }
}

async function fullScan(doc: DynamoDBDocumentClient, expected: number): Promise<number> {
  const t = performance.now()
  let count = 0
  let start: Record<string, unknown> | undefined
  do {
    const page = await doc.send(new ScanCommand({ TableName: TABLE, ExclusiveStartKey: start }))
    count += page.Count ?? 0
    start = page.LastEvaluatedKey
  } while (start)
  if (count !== expected) throw new Error(`scan saw ${count} items, expected ${expected}`)
  return (performance.now() - t) / 1000
}

async function control(client: DynamoDBClient) {
  return {
    list: await timeRuns(CONTROL_RUNS, () => client.send(new ListTablesCommand({})), 100),
    describe: await timeRuns(
      CONTROL_RUNS,
      () => client.send(new DescribeTableCommand({ TableName: TABLE })),
      100,
    ),
  }
}

/**
 * One client sending TXN_RUNS requests of TXN_PUTS puts each, one after the other: TransactWriteItems, then the
 * same puts as BatchWriteItem. Returns requests per second for each (transactions undefined when unsupported).
 */
async function transactRates(
  client: DynamoDBClient,
  doc: DynamoDBDocumentClient,
): Promise<{ transact?: number; batch: number }> {
  await client.send(new CreateTableCommand({ ...CREATE, TableName: TABLE_TXN }))
  const puts = (run: number, offset: number) =>
    Array.from({ length: TXN_PUTS }, (_, k) => message(offset + run * TXN_PUTS + k, groupOf))
  const rateOf = async (send: (run: number) => Promise<unknown>) => {
    for (let run = 0; run < 20; run++) await send(run)
    const t = performance.now()
    for (let run = 20; run < 20 + TXN_RUNS; run++) await send(run)
    return TXN_RUNS / ((performance.now() - t) / 1000)
  }
  let transact: number | undefined
  try {
    transact = await rateOf((run) =>
      doc.send(
        new TransactWriteCommand({
          TransactItems: puts(run, 0).map((Item) => ({ Put: { TableName: TABLE_TXN, Item } })),
        }),
      ),
    )
  } catch (err) {
    if ((err as { name?: string }).name !== 'UnknownOperationException') throw err
  }
  const batch = await rateOf((run) =>
    doc.send(
      new BatchWriteCommand({
        RequestItems: { [TABLE_TXN]: puts(run, 10_000_000).map((Item) => ({ PutRequest: { Item } })) },
      }),
    ),
  )
  await client.send(new DeleteTableCommand({ TableName: TABLE_TXN }))
  return { transact, batch }
}

/** In process: TTL_ITEMS items that have all expired, on a table with a stream; the time of the sweep that deletes them. */
async function ttlSweep(): Promise<{ ms: number; deleted: number }> {
  const engine: Engine = createEngine({
    clock: { start: Date.UTC(2030, 0, 1), frozen: true },
    ttlSweepIntervalMs: 0,
  })
  await engine.call('CreateTable', {
    ...CREATE,
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  })
  await engine.call('UpdateTimeToLive', {
    TableName: TABLE,
    TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' },
  })
  const expires = { N: String(Date.UTC(2030, 0, 1) / 1000 + 60) }
  for (let start = 0; start < TTL_ITEMS; start += 25) {
    const requests = []
    for (let i = start; i < Math.min(start + 25, TTL_ITEMS); i++)
      requests.push({ PutRequest: { Item: { ...wireItem(message(i, groupOf)), expires } } })
    await engine.call('BatchWriteItem', { RequestItems: { [TABLE]: requests } })
  }
  const t = performance.now()
  const { expired } = engine.advanceClock(120_000)
  return { ms: performance.now() - t, deleted: expired }
}

interface Result {
  transact?: number
  batch10?: number
  loadRate?: number
  /** The same writers as worker threads (into a second table, after everything else). */
  loadRateThreads?: number
  query?: number
  /** The same query as a PartiQL SELECT. */
  select?: number
  scan?: number
  list0?: number
  describe0?: number
  list100k?: number
  describe100k?: number
  rss?: number
  query1m?: number
  loadRate1m?: number
  rss1m?: number
}

async function runTarget(target: Target, opts: { scans: number; big: boolean }): Promise<Result> {
  const { client, doc } = clients(target.endpoint)
  const r: Result = {}
  try {
    await client.send(new CreateTableCommand(CREATE))
    const c0 = await control(client)
    r.list0 = c0.list
    r.describe0 = c0.describe
    await client.send(new CreateTableCommand({ ...CREATE, TableName: TABLE_WARMUP }))
    await load(doc, 0, WARMUP_ITEMS, TABLE_WARMUP)
    await client.send(new DeleteTableCommand({ TableName: TABLE_WARMUP }))
    process.stdout.write(
      `  ${target.name}: loading ${ITEMS.toLocaleString('en')} items (${WRITERS} writers in one process)… `,
    )
    r.loadRate = await load(doc, 0, ITEMS)
    process.stdout.write(`${Math.round(r.loadRate).toLocaleString('en')} items/s\n`)
    r.query = await newest20(doc)
    r.select = await newest20Select(doc)
    const scans: number[] = []
    for (let i = 0; i < opts.scans; i++) scans.push(await fullScan(doc, ITEMS))
    r.scan = median(scans)
    const c1 = await control(client)
    r.list100k = c1.list
    r.describe100k = c1.describe
    r.rss = await target.rssBytes()
    if (opts.big) {
      process.stdout.write(
        `  ${target.name}: loading up to ${BIG.toLocaleString('en')} items (${WRITERS} writers in one process)… `,
      )
      r.loadRate1m = await load(doc, ITEMS, BIG)
      process.stdout.write(`${Math.round(r.loadRate1m).toLocaleString('en')} items/s\n`)
      r.query1m = await newest20(doc)
      r.rss1m = await target.rssBytes()
    }
    process.stdout.write(
      `  ${target.name}: ${TXN_RUNS} TransactWriteItems and ${TXN_RUNS} BatchWriteItem of ${TXN_PUTS} puts… `,
    )
    const txn = await transactRates(client, doc)
    r.transact = txn.transact
    r.batch10 = txn.batch
    process.stdout.write(
      `${txn.transact === undefined ? 'no transactions' : `${Math.round(txn.transact)}/s`} · ${Math.round(txn.batch)}/s\n`,
    )
    // Last, so its table weighs on no other measurement; dropped again afterwards.
    await client.send(new CreateTableCommand({ ...CREATE, TableName: TABLE_THREADS }))
    process.stdout.write(
      `  ${target.name}: loading ${ITEMS.toLocaleString('en')} items (${WRITERS} writer threads)… `,
    )
    r.loadRateThreads = await loadThreads(target.endpoint, 0, ITEMS, TABLE_THREADS)
    process.stdout.write(`${Math.round(r.loadRateThreads).toLocaleString('en')} items/s\n`)
    await client.send(new DeleteTableCommand({ TableName: TABLE_THREADS }))
  } finally {
    client.destroy()
  }
  return r
}

/** The in-process door: engine.call on an engine in this process, loaded through the same door. */
/**
 * Heap left after put-then-delete cycles on distinct keys, in a fresh in-process engine: an emptied table must give
 * its memory back (partitions and index entries are dropped), so this stays near zero however many keys passed.
 */
async function churnHeap(cycles: number): Promise<number | undefined> {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) return undefined
  const engine: Engine = createEngine()
  await engine.call('CreateTable', { ...CREATE, TableName: 'churn' })
  gc()
  const before = process.memoryUsage().heapUsed
  for (let i = 0; i < cycles; i++) {
    const item = wireItem(message(i, groupOf))
    engine.handle('PutItem', { TableName: 'churn', Item: { ...item, pk: { S: `CHURN#${i}` } } })
    engine.handle('DeleteItem', { TableName: 'churn', Key: { pk: { S: `CHURN#${i}` }, sk: item.sk } })
  }
  gc()
  return Math.max(0, process.memoryUsage().heapUsed - before)
}

async function inProcess(): Promise<{ query: number; select: number; query1m?: number }> {
  const engine: Engine = createEngine()
  await engine.call('CreateTable', CREATE)
  const fill = async (from: number, to: number) => {
    for (let start = from; start < to; start += 25) {
      const requests = []
      for (let i = start; i < Math.min(start + 25, to); i++)
        requests.push({ PutRequest: { Item: wireItem(message(i, groupOf)) } })
      await engine.call('BatchWriteItem', { RequestItems: { [TABLE]: requests } })
    }
  }
  const query = () =>
    engine.call('Query', {
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: 'GROUP#000' } },
      ScanIndexForward: false,
      Limit: 20,
    })
  const select = () => engine.call('ExecuteStatement', { ...HOT_SELECT, Parameters: [{ S: 'GROUP#000' }] })
  await fill(0, ITEMS)
  const at100k = await timeRuns(QUERY_RUNS, query)
  const selectAt100k = await timeRuns(QUERY_RUNS, select)
  if (QUICK) return { query: at100k, select: selectAt100k }
  await fill(ITEMS, BIG)
  return { query: at100k, select: selectAt100k, query1m: await timeRuns(QUERY_RUNS, query) }
}

// ---------- durable storage ----------

interface DurableResult {
  loadRate?: number
  query?: number
  /** From starting the server process on the data directory to its first answered request (ListTables). */
  restart?: number
  /** From starting the server process to its first answered newest-20 Query on the loaded table (all 20 items). */
  restartQuery?: number
  /** Ours only: opening the data directory in this process (createEngine) to the first answered call. */
  recovery?: number
  bytesPerItem?: number
  restart1m?: number
  restartQuery1m?: number
  recovery1m?: number
  bytesPerItem1m?: number
  loadRate1m?: number
}

function dirBytes(dir: string): number {
  let total = 0
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    try {
      const st = statSync(path.join(dir, name))
      if (st.isFile()) total += st.size
    } catch {
      // Removed meanwhile (a compaction).
    }
  }
  return total
}

/**
 * A server keeping its tables on disk: the same warm-up, load and query as the in-memory rows, then its data
 * directory's bytes per item, then a restart on the same directory timed to the first answered request. Ours and
 * dynalite are stopped with SIGTERM, which they do not handle: they close nothing, so the restart reads back what a
 * crash leaves.
 */
/** Ours: the store's own part of a restart, without starting a process: read the directory back, answer once. */
async function recoverInProcess(dir: string, expected: number): Promise<number> {
  const t = performance.now()
  const engine = createEngine({ dataDir: dir })
  const d = (await engine.call('DescribeTable', { TableName: TABLE })) as { Table: { ItemCount: number } }
  const elapsed = (performance.now() - t) / 1000
  await engine.close()
  if (d.Table.ItemCount !== expected)
    throw new Error(`recovered ${d.Table.ItemCount} items, expected ${expected}`)
  return elapsed
}

async function runDurable(
  name: string,
  start: (dir: string) => Promise<Target>,
  big: boolean,
  ours = false,
): Promise<DurableResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-bench-data-'))
  const r: DurableResult = {}
  let target = await start(dir)
  let { client, doc } = clients(target.endpoint)
  /** Restarts on the directory: [seconds to the first answered request, seconds to the first answered Query]. */
  const restart = async (expected: number, recovered: (seconds: number) => void) => {
    client.destroy()
    await target.stop()
    if (ours) recovered(await recoverInProcess(dir, expected))
    const t = performance.now()
    target = await start(dir)
    ;({ client, doc } = clients(target.endpoint))
    await client.send(new ListTablesCommand({}))
    const first = (performance.now() - t) / 1000
    // A server loading in the background answers this once the table is wholly there.
    const page = await doc.send(new QueryCommand(HOT_QUERY))
    const query = (performance.now() - t) / 1000
    if (page.Items?.length !== 20)
      throw new Error(`newest-20 query after restart returned ${page.Items?.length}`)
    // Every item came back (fullScan throws otherwise).
    await fullScan(doc, expected)
    return [first, query] as const
  }
  try {
    await client.send(new CreateTableCommand(CREATE))
    await client.send(new CreateTableCommand({ ...CREATE, TableName: TABLE_WARMUP }))
    await load(doc, 0, WARMUP_ITEMS, TABLE_WARMUP)
    await client.send(new DeleteTableCommand({ TableName: TABLE_WARMUP }))
    process.stdout.write(`  ${name}: loading ${ITEMS.toLocaleString('en')} items… `)
    r.loadRate = await load(doc, 0, ITEMS)
    process.stdout.write(`${Math.round(r.loadRate).toLocaleString('en')} items/s\n`)
    r.query = await newest20(doc)
    r.bytesPerItem = dirBytes(dir) / ITEMS
    ;[r.restart, r.restartQuery] = await restart(ITEMS, (v) => (r.recovery = v))
    if (big) {
      process.stdout.write(`  ${name}: loading up to ${BIG.toLocaleString('en')} items… `)
      r.loadRate1m = await load(doc, ITEMS, BIG)
      process.stdout.write(`${Math.round(r.loadRate1m).toLocaleString('en')} items/s\n`)
      r.bytesPerItem1m = dirBytes(dir) / BIG
      ;[r.restart1m, r.restartQuery1m] = await restart(BIG, (v) => (r.recovery1m = v))
    }
  } finally {
    client.destroy()
    await target.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  return r
}

// ---------- report ----------

const ms = (v?: number) => (v === undefined ? '—' : `${v.toFixed(v < 10 ? 2 : 1)} ms`)
const sec = (v?: number) => (v === undefined ? '—' : `${v.toFixed(2)} s`)
const rate = (v?: number) => (v === undefined ? '—' : `${Math.round(v).toLocaleString('en')}/s`)
const mb = (v?: number) => (v === undefined ? '—' : `${Math.round(v / 1024 / 1024)} MB`)
/** How many times better ours is (lower-is-better metrics: peer/ours; rates: ours/peer). */
const ratio = (ours?: number, peer?: number, higherIsBetter = false) =>
  ours === undefined || peer === undefined || ours === 0 || peer === 0
    ? '—'
    : `${(higherIsBetter ? ours / peer : peer / ours).toFixed(1)}×`

/** The dataset's mean item size as DynamoDB counts it (names and values), for the bytes-per-item rows. */
function averageItemBytes(count: number): number {
  let total = 0
  for (let i = 0; i < count; i++)
    total += itemSizeBytes(wireItem(message(i, groupOf)) as Parameters<typeof itemSizeBytes>[0])
  return total / count
}

/**
 * `-- --durable-only`: just ours in memory vs ours with --data-dir (load, query, restart, bytes per item), for
 * checking the storage without the peers' minutes.
 */
async function durableOnly(): Promise<void> {
  const size = ITEMS.toLocaleString('en')
  console.log(
    `Tablewright engine benchmark, durable rows only${QUICK ? ' (--quick)' : ''}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')}`,
  )
  // The floor for a restart: an empty in-memory server process started to its first answered request.
  const started = performance.now()
  const ours = await forkServer('ours')
  const { client, doc } = clients(ours.endpoint)
  await client.send(new ListTablesCommand({}))
  const emptyStart = (performance.now() - started) / 1000
  let memoryRate: number
  let memoryQuery: number
  try {
    await client.send(new CreateTableCommand(CREATE))
    await client.send(new CreateTableCommand({ ...CREATE, TableName: TABLE_WARMUP }))
    await load(doc, 0, WARMUP_ITEMS, TABLE_WARMUP)
    memoryRate = await load(doc, 0, ITEMS)
    memoryQuery = await newest20(doc)
  } finally {
    client.destroy()
    await ours.stop()
  }
  // -- --1m also loads up to 1,000,000 items and restarts there (several minutes).
  const big = process.argv.includes('--1m')
  const disk = await runDurable('ours --data-dir', (dir) => forkServer('ours-disk', dir), big, true)
  console.log(
    `load rate @ ${size}: in memory ${rate(memoryRate)}, --data-dir ${rate(disk.loadRate)} (${Math.round((disk.loadRate! / memoryRate) * 100)}%)`,
  )
  console.log(`newest-20 query p50 @ ${size}: in memory ${ms(memoryQuery)}, --data-dir ${ms(disk.query)}`)
  const x = (v?: number) => (v === undefined ? '—' : `${(v / emptyStart).toFixed(1)}×`)
  console.log(
    `restart @ ${size}: first answer (ListTables) ${sec(disk.restart)} (${x(disk.restart)} an empty in-memory server's ${sec(emptyStart)}), first newest-20 Query ${sec(disk.restartQuery)} (${x(disk.restartQuery)}); reading the data back in process, not in the background: ${sec(disk.recovery)}; loading the same items into memory over HTTP took ${sec(ITEMS / memoryRate)}`,
  )
  console.log(
    `disk bytes per item ${Math.round(disk.bytesPerItem!)} B, items' own size ${Math.round(averageItemBytes(ITEMS))} B`,
  )
  if (big)
    console.log(
      `@ 1,000,000: load ${rate(disk.loadRate1m)}, restart: first answer ${sec(disk.restart1m)} (${x(disk.restart1m)}), first Query ${sec(disk.restartQuery1m)} (${x(disk.restartQuery1m)}), in process ${sec(disk.recovery1m)}; disk bytes per item ${Math.round(disk.bytesPerItem1m!)} B, items' own size ${Math.round(averageItemBytes(BIG))} B`,
    )
  console.log(
    `load average at end: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')}`,
  )
}

async function main(): Promise<void> {
  const size = ITEMS.toLocaleString('en')
  console.log(`Tablewright engine benchmark${QUICK ? ' (--quick)' : ''}`)
  console.log(
    `  node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, ${os.platform()} ${os.release()}`,
  )
  console.log(
    `  java: ${javaVersion() ?? 'not found'}; dataset: ${size} chat messages (~200 B), ${GROUPS} groups, hot group ${HOT.toLocaleString('en')}; ${WRITERS} concurrent BatchWriteItem writers (DocumentClient)`,
  )
  console.log(
    `  loads timed after ${WARMUP_ITEMS.toLocaleString('en')} warm-up items written to a table dropped again`,
  )
  console.log(
    `  medians of ${QUERY_RUNS} runs (queries, after 20 warm-up runs) / ${CONTROL_RUNS} runs (ListTables, DescribeTable, after 100)`,
  )
  // The machine may be shared: say how busy it was, since every number below depends on it.
  console.log(
    `  load average at start: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')} (1 / 5 / 15 min)\n`,
  )

  const ours = await forkServer('ours')
  const oursResult = await runTarget(ours, { scans: 3, big: !QUICK })
  await ours.stop()
  // After ours, so the SDK code paths are as warm as they were for ours.
  const floor = await clientFloor()
  const door = await inProcess()
  const sweep = await ttlSweep()
  const churnCycles = QUICK ? 100_000 : 1_000_000
  const churn = await churnHeap(churnCycles)

  const dyn = await forkServer('dynalite')
  const dynResult = await runTarget(dyn, { scans: 1, big: false })
  await dyn.stop()

  let localResult: Result = {}
  if (javaVersion()) {
    const local = await startLocal()
    try {
      localResult = await runTarget(local, { scans: 1, big: false })
    } finally {
      await local.stop()
    }
  } else console.log('  DynamoDB Local skipped: java not found')

  console.log('  durable storage: ours --data-dir, dynalite on LevelDB, DynamoDB Local -dbPath')
  const oursDisk = await runDurable('ours --data-dir', (dir) => forkServer('ours-disk', dir), !QUICK, true)
  const dynDisk = await runDurable('dynalite (LevelDB)', (dir) => forkServer('dynalite-disk', dir), false)
  const localDisk = javaVersion()
    ? await runDurable('DynamoDB Local -dbPath', (dir) => startLocal(dir), false)
    : {}
  let itemBytes = 0
  for (let i = 0; i < 1000; i++)
    itemBytes += itemSizeBytes(wireItem(message(i, groupOf)) as Parameters<typeof itemSizeBytes>[0])
  itemBytes /= 1000

  const rows: [string, string, string, string, string, string, string, string][] = [
    [
      'metric',
      'ours (HTTP)',
      'ours (in-process)',
      'dynalite 4.0.0',
      'DynamoDB Local 3.3.1',
      'vs dynalite',
      'vs Local',
      'target',
    ],
    [
      `load rate (${WRITERS} writers in one process)`,
      rate(oursResult.loadRate),
      '',
      rate(dynResult.loadRate),
      rate(localResult.loadRate),
      ratio(oursResult.loadRate, dynResult.loadRate, true),
      ratio(oursResult.loadRate, localResult.loadRate, true),
      '≥ 30,000/s',
    ],
    [
      `  load rate (${WRITERS} writer threads)`,
      rate(oursResult.loadRateThreads),
      '',
      rate(dynResult.loadRateThreads),
      rate(localResult.loadRateThreads),
      ratio(oursResult.loadRateThreads, dynResult.loadRateThreads, true),
      ratio(oursResult.loadRateThreads, localResult.loadRateThreads, true),
      '',
    ],
    [
      '  load floor (canned server): one process · threads',
      `${rate(floor.loadRate)} · ${rate(floor.loadRateThreads)}`,
      '',
      '',
      '',
      '',
      '',
      'client cost alone',
    ],
    [
      `newest-20 query, hot group, p50 @ ${size}`,
      ms(oursResult.query),
      ms(door.query),
      ms(dynResult.query),
      ms(localResult.query),
      ratio(oursResult.query, dynResult.query),
      ratio(oursResult.query, localResult.query),
      '≤ 1.3 ms',
    ],
    ['  query floor (canned server)', ms(floor.query), '', '', '', '', '', 'client cost alone'],
    [
      `  same query as a PartiQL SELECT, p50 @ ${size}`,
      ms(oursResult.select),
      ms(door.select),
      dynResult.select === undefined ? 'no PartiQL' : ms(dynResult.select),
      ms(localResult.select),
      ratio(oursResult.select, dynResult.select),
      ratio(oursResult.select, localResult.select),
      'close to the Query row',
    ],
    [
      `full paged Scan of ${size}`,
      sec(oursResult.scan),
      '',
      sec(dynResult.scan),
      sec(localResult.scan),
      ratio(oursResult.scan, dynResult.scan),
      ratio(oursResult.scan, localResult.scan),
      '≤ 0.6 s',
    ],
    ['  scan floor (canned server, same pages)', sec(floor.scan), '', '', '', '', '', 'client cost alone'],
    [
      'ListTables p50 @ 0 items',
      ms(oursResult.list0),
      '',
      ms(dynResult.list0),
      ms(localResult.list0),
      ratio(oursResult.list0, dynResult.list0),
      ratio(oursResult.list0, localResult.list0),
      '≤ 1.5 ms',
    ],
    [
      `ListTables p50 @ ${size}`,
      ms(oursResult.list100k),
      '',
      ms(dynResult.list100k),
      ms(localResult.list100k),
      ratio(oursResult.list100k, dynResult.list100k),
      ratio(oursResult.list100k, localResult.list100k),
      '≤ 1.5 ms, flat',
    ],
    [
      'DescribeTable p50 @ 0 items',
      ms(oursResult.describe0),
      '',
      ms(dynResult.describe0),
      ms(localResult.describe0),
      ratio(oursResult.describe0, dynResult.describe0),
      ratio(oursResult.describe0, localResult.describe0),
      '≤ 1.5 ms',
    ],
    [
      `DescribeTable p50 @ ${size}`,
      ms(oursResult.describe100k),
      '',
      ms(dynResult.describe100k),
      ms(localResult.describe100k),
      ratio(oursResult.describe100k, dynResult.describe100k),
      ratio(oursResult.describe100k, localResult.describe100k),
      '≤ 1.5 ms, flat',
    ],
    [
      `resident memory (server process) @ ${size}`,
      mb(oursResult.rss),
      '',
      mb(dynResult.rss),
      mb(localResult.rss),
      ratio(oursResult.rss, dynResult.rss),
      ratio(oursResult.rss, localResult.rss),
      '≤ 150 MB',
    ],
    [
      `TransactWriteItems of ${TXN_PUTS} puts, one client`,
      rate(oursResult.transact),
      '',
      dynResult.transact === undefined ? 'not supported' : rate(dynResult.transact),
      rate(localResult.transact),
      ratio(oursResult.transact, dynResult.transact, true),
      ratio(oursResult.transact, localResult.transact, true),
      '',
    ],
    [
      `  BatchWriteItem of ${TXN_PUTS} puts, one client`,
      rate(oursResult.batch10),
      '',
      rate(dynResult.batch10),
      rate(localResult.batch10),
      ratio(oursResult.batch10, dynResult.batch10, true),
      ratio(oursResult.batch10, localResult.batch10, true),
      '',
    ],
    [
      '  transactions ÷ batches (same peer)',
      ratio(oursResult.batch10, oursResult.transact),
      '',
      ratio(dynResult.batch10, dynResult.transact),
      ratio(localResult.batch10, localResult.transact),
      '',
      '',
      '',
    ],
    [
      `TTL sweep of ${TTL_ITEMS.toLocaleString('en')} expired items (stream on)`,
      '',
      `${ms(sweep.ms)} (${Math.round(sweep.deleted / (sweep.ms / 1000)).toLocaleString('en')}/s)`,
      'not measured',
      'not measured',
      '',
      '',
      '',
    ],
    [
      `heap left after ${churnCycles.toLocaleString('en')} put-then-delete cycles`,
      '',
      mb(churn),
      'not run',
      'not run',
      '',
      '',
      '≈ 0 MB',
    ],
  ]
  if (!QUICK) {
    const growth = (a?: number, b?: number) =>
      a === undefined || b === undefined ? '—' : `${(b / a).toFixed(2)}×`
    rows.push(
      [
        'newest-20 query p50 @ 1,000,000 (ours only)',
        ms(oursResult.query1m),
        ms(door.query1m),
        'not run',
        'not run',
        '',
        '',
        '≤ 1.2× @100k',
      ],
      [
        '  growth 100k → 1M',
        growth(oursResult.query, oursResult.query1m),
        growth(door.query, door.query1m),
        '',
        '',
        '',
        '',
        '≤ 1.2×',
      ],
      ['load rate 100k → 1M (ours only)', rate(oursResult.loadRate1m), '', 'not run', 'not run', '', '', ''],
      ['resident memory @ 1,000,000 (ours only)', mb(oursResult.rss1m), '', 'not run', 'not run', '', '', ''],
    )
  }
  const pct = (a?: number, b?: number) =>
    a === undefined || b === undefined ? '—' : `${Math.round((a / b) * 100)}% of in-memory`
  const bytes = (v?: number) => (v === undefined ? '—' : `${Math.round(v)} B`)
  rows.push(
    [
      `durable: load rate with data on disk @ ${size}`,
      rate(oursDisk.loadRate),
      pct(oursDisk.loadRate, oursResult.loadRate),
      rate(dynDisk.loadRate),
      rate(localDisk.loadRate),
      ratio(oursDisk.loadRate, dynDisk.loadRate, true),
      ratio(oursDisk.loadRate, localDisk.loadRate, true),
      '≥ 70% of in-memory',
    ],
    [
      `  newest-20 query p50 on disk @ ${size}`,
      ms(oursDisk.query),
      `in memory ${ms(oursResult.query)}`,
      ms(dynDisk.query),
      ms(localDisk.query),
      ratio(oursDisk.query, dynDisk.query),
      ratio(oursDisk.query, localDisk.query),
      'unchanged',
    ],
    [
      `  restart to first answer @ ${size} (process start included)`,
      sec(oursDisk.restart),
      '',
      sec(dynDisk.restart),
      sec(localDisk.restart),
      ratio(oursDisk.restart, dynDisk.restart),
      ratio(oursDisk.restart, localDisk.restart),
      '≤ 1 s @ 100k',
    ],
    [
      `  restart to first newest-20 Query @ ${size} (process start included)`,
      sec(oursDisk.restartQuery),
      '',
      sec(dynDisk.restartQuery),
      sec(localDisk.restartQuery),
      ratio(oursDisk.restartQuery, dynDisk.restartQuery),
      ratio(oursDisk.restartQuery, localDisk.restartQuery),
      '',
    ],
    [
      `    of which reading the data back (in process) @ ${size}`,
      sec(oursDisk.recovery),
      '',
      '',
      '',
      '',
      '',
      '',
    ],
    [
      `  disk bytes per item @ ${size} (item itself ${Math.round(itemBytes)} B)`,
      bytes(oursDisk.bytesPerItem),
      '',
      bytes(dynDisk.bytesPerItem),
      bytes(localDisk.bytesPerItem),
      '',
      '',
      '',
    ],
  )
  if (!QUICK)
    rows.push(
      [
        '  load rate 100k → 1M on disk (ours only)',
        rate(oursDisk.loadRate1m),
        pct(oursDisk.loadRate1m, oursResult.loadRate1m),
        'not run',
        'not run',
        '',
        '',
        '',
      ],
      [
        '  restart to first answer @ 1,000,000 (ours only)',
        sec(oursDisk.restart1m),
        '',
        'not run',
        'not run',
        '',
        '',
        '',
      ],
      ['    of which reading the data back (in process)', sec(oursDisk.recovery1m), '', '', '', '', '', ''],
      [
        '  disk bytes per item @ 1,000,000 (ours only)',
        bytes(oursDisk.bytesPerItem1m),
        '',
        'not run',
        'not run',
        '',
        '',
        '',
      ],
    )
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
  console.log(`\n${line(rows[0]!)}`)
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`)
  for (const r of rows.slice(1)) console.log(line(r))
  console.log(
    `\nload average at end: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')}`,
  )
  console.log(
    '"vs" columns: how many times better ours (HTTP) is than the peer (peer time ÷ ours, or ours rate ÷ peer rate).',
  )
  console.log(
    'Floor rows: the same client work against a server answering at once with prepared bodies (no server can make a row faster).',
  )
  console.log(
    'Durable rows: ours acknowledges a write only after fdatasync (group commit); dynalite writes LevelDB without sync; ' +
      'restart is from starting the server process to its first answered ListTables, and to its first answered newest-20 Query (ours loads in the background: the Query waits for its table), after SIGTERM (ours closes nothing on it).',
  )
  if (!QUICK)
    console.log(
      'The 1,000,000-item rows run on ours only: at their load rates dynalite and DynamoDB Local would take many minutes to load and GBs of memory.',
    )
}

if (isMainThread) await (process.argv.includes('--durable-only') ? durableOnly() : main())
else await writerThread(workerData as WriterJob)
