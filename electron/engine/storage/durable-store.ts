import fs from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { promisify } from 'node:util'
import type { EngineState } from '../engine-state'
import { RETENTION_MS, type StoredRecord } from '../streams'
import { sizeOf, type TableState } from '../table'
import { DynamoError, type Item } from '../types'
import { bindTable, type Durability, isBound, unbindTable } from './journal'
import { applyEntry, type ApplyTarget, type EncodedTable, encodeTable, type Entry } from './state-codec'
import {
  checkHeader,
  crc32,
  DurableStoreError,
  encodeFrames,
  type FileKind,
  fileHeader,
  FRAME_HEADER_BYTES,
  type FrameProblem,
  HEADER_BYTES,
  iterateFramesFromFile,
} from './wal-format'

const write = promisify(fs.write)
const fdatasync = promisify(fs.fdatasync)
const fsync = promisify(fs.fsync)
const open = promisify(fs.open)
const close = promisify(fs.close)

/** Operations that cannot change a table's description, the streams' state or an extension's state. */
const DATA_OPERATIONS = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'DescribeTable',
  'ListTables',
  'DescribeLimits',
  'DescribeTimeToLive',
  'DescribeEndpoints',
  'ListTagsOfResource',
  'ListStreams',
  'DescribeStream',
  'GetShardIterator',
  'GetRecords',
  // The TTL sweeper only deletes items (each logged by writeItem); it changes no table settings.
  'TtlSweep',
])

/** Work done per turn of the event loop by a background load before requests get their turn. */
const LOAD_SLICE_MS = 8

interface LoadPlan {
  snapGen: number
  snapshots: number[]
  logs: number[]
  /** Log segments at or after the snapshot, oldest first. */
  live: number[]
}

interface Readiness {
  /** A table's part of the snapshot has been read. */
  sectionDone(name: string): void
}

interface ReadyWaiter {
  /** undefined: waits for the whole load. */
  names: readonly string[] | undefined
  resolve: () => void
  reject: (err: unknown) => void
}

interface BackgroundLoad {
  /** Tables complete before the load is (in the snapshot, not named by the log, no stream). */
  ready: Set<string>
  waiters: ReadyWaiter[]
  error: DynamoError | undefined
  done: Promise<void>
}

/** Items per snapshot record: large enough that framing costs nothing, small enough to yield between them. */
const SNAPSHOT_CHUNK = 1000
const DEFAULT_COMPACT_BYTES = 16 * 1024 * 1024

export interface DurableStoreOptions {
  /** Told about what recovery dropped or found (a torn tail, say). */
  warn: (message: string) => void
  /**
   * Log bytes written since the last snapshot that start a compaction (a new snapshot, then the older log is
   * deleted); at least the last snapshot's size, so compaction work stays proportional to the writes. Default 16 MiB (about 60k small items: start-up replays at most that much log beyond the snapshot).
   */
  compactAfterBytes?: number
}

/**
 * A piece of engine state kept outside the tables (backups, say): saved whole whenever it changes. A section with
 * apply() is kept incrementally instead: its owner logs each change with Durability.note (inside the operation's
 * record, so atomic with the item writes it goes with), and it is saved whole only in snapshots. That suits state
 * that changes on data-plane operations (transaction tokens), where saving it whole each time would cost O(n).
 */
export interface Section {
  save(): unknown
  load(data: unknown): void
  apply?(change: unknown): void
}

export interface StorageInfo {
  dataDir: string
  /** Bytes of every file the store keeps. */
  bytes: number
  snapshotBytes: number
  logBytes: number
}

interface Waiter {
  lsn: number
  resolve: () => void
  reject: (err: unknown) => void
}

const snapshotName = (gen: number) => `snapshot-${String(gen).padStart(8, '0')}.twsnap`
const logName = (gen: number) => `wal-${String(gen).padStart(8, '0')}.twlog`
const FILE = /^(snapshot|wal)-(\d{8})\.(twsnap|twlog)$/

/**
 * The engine's tables, kept in a data directory: a write-ahead log of full-image entries (group-committed, each
 * acknowledged only once fsynced), compacted in the background into snapshots. See electron/engine/README.md.
 */
export class DurableStore implements Durability {
  readonly tables: Map<string, TableState>
  private state!: EngineState
  private readonly warn: (message: string) => void
  private readonly compactAfterBytes: number
  private lockHeld = false

  /** Current log segment. */
  private gen = 1
  private fd = -1
  private segmentBytes = 0
  /** Log bytes since the newest snapshot (all segments it does not hold). */
  private logBytes = 0
  private snapshotBytes = 0

  private replaying = false
  private open: string[] = []
  private depth = 0
  private sealScheduled = false
  private sealed: string[] = []
  private appended = 0
  private durable = 0
  private waiters: Waiter[] = []
  private writing = false
  private flushScheduled = false
  private wantCompaction = false
  /** After a failed compaction: log bytes to reach before trying again. */
  private retryCompactionAt = 0
  private compaction: Promise<void> | undefined
  private closed = false
  /** Set when the state could not be read back after a failed write: every answer fails from then on. */
  private broken: DynamoError | undefined

  private readonly tableMeta = new Map<string, string>()
  /** When each table was last written (a counter): snapshots put the most recently used tables first. */
  private readonly lastWrite = new Map<string, number>()
  private writeSeq = 0
  private hubMeta = ''
  private readonly sections = new Map<string, { section: Section; seen: string }>()
  /** Section data and changes read back before their section was registered, in log order. */
  private readonly pendingSections = new Map<string, { data?: unknown; changes: unknown[] }>()

  constructor(
    readonly dir: string,
    options: DurableStoreOptions,
  ) {
    this.warn = options.warn
    this.compactAfterBytes = options.compactAfterBytes ?? DEFAULT_COMPACT_BYTES
    this.tables = new JournaledTables(this)
  }

  /** JournaledTables.set: a table put in the engine's map. */
  onTableSet(name: string, table: TableState): void {
    if (this.state !== undefined && !this.replaying) this.tableSet(name, table)
  }

  onTableDelete(name: string, table: TableState | undefined): void {
    if (!table || this.replaying) return
    unbindTable(table)
    this.tableMeta.delete(name)
    this.entry(`["x",${JSON.stringify(name)}]`, 'own')
  }

  onTablesClear(tables: Iterable<TableState>): void {
    if (this.replaying) return
    for (const t of tables) unbindTable(t)
    this.tableMeta.clear()
    this.entry('["r"]', 'own')
  }

  /**
   * Takes the directory's lock, reads the state back into the engine and opens the log for appending. With
   * background, only the catalog (which tables exist) is read now; the items load afterwards, a few milliseconds
   * of work per turn of the event loop, and whenReady() tells a request when the tables it names are there.
   */
  attach(state: EngineState, background = false): void {
    this.state = state
    try {
      fs.mkdirSync(this.dir, { recursive: true })
    } catch (err) {
      throw ioError(`cannot create the data directory ${this.dir}`, err)
    }
    this.lock()
    try {
      if (background) this.startBackgroundLoad()
      else {
        this.recover()
        this.hookStreams()
      }
    } catch (err) {
      this.unlock()
      throw err
    }
  }

  private hookStreams(): void {
    this.state.hub.onStored = (arn, stored) =>
      this.entry(`["s",${JSON.stringify(arn)},${JSON.stringify(stored)}]`, 'follow')
  }
  // -------------------------------------------------------------------------------------------------------------
  // Lock

  private lock(): void {
    const file = path.join(this.dir, 'LOCK')
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = fs.openSync(file, 'wx')
        fs.writeSync(fd, String(process.pid))
        fs.closeSync(fd)
        this.lockHeld = true
        return
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError(`cannot lock ${this.dir}`, err)
      }
      let pid = NaN
      try {
        pid = Number(fs.readFileSync(file, 'utf8').trim())
      } catch {
        // Removed meanwhile: try again.
      }
      if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) {
        throw new DurableStoreError(
          'store.inUse',
          `The data directory ${this.dir} is in use by PID ${pid}${pid === process.pid ? ' (this process)' : ''}. ` +
            'Stop that engine first, or use another --data-dir (or --in-memory).',
        )
      }
      // The process that held it is gone (a crash or kill -9 leaves the file behind).
      try {
        fs.unlinkSync(file)
      } catch {
        // Another process may have taken it over: the next attempt tells.
      }
    }
    throw new DurableStoreError(
      'store.inUse',
      `The data directory ${this.dir} is being opened by another process`,
    )
  }

  private unlock(): void {
    if (!this.lockHeld) return
    this.lockHeld = false
    try {
      fs.unlinkSync(path.join(this.dir, 'LOCK'))
    } catch {
      // Already gone: nothing to release.
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Recovery

  private applyTarget(state: EngineState = this.state): ApplyTarget {
    return {
      state,
      setTable: (name, table) => (this.tables as JournaledTables).setQuietly(name, table),
      deleteTable: (name) => (this.tables as JournaledTables).deleteQuietly(name),
      clearTables: () => (this.tables as JournaledTables).clearQuietly(),
      section: (name, data) => {
        const s = this.sections.get(name)
        if (s) s.section.load(data)
        else this.pendingSections.set(name, { data, changes: [] })
      },
      sectionChange: (name, change) => {
        const s = this.sections.get(name)
        if (s) s.section.apply?.(change)
        else {
          let pending = this.pendingSections.get(name)
          if (!pending) this.pendingSections.set(name, (pending = { changes: [] }))
          pending.changes.push(change)
        }
      },
    }
  }

  /** The snapshot to start from and the log segments after it; leftovers of an interrupted snapshot are removed. */
  private plan(): LoadPlan {
    const snapshots: number[] = []
    const logs: number[] = []
    for (const name of fs.readdirSync(this.dir)) {
      if (name.endsWith('.tmp')) {
        // A snapshot a crash interrupted; the log it would have replaced is still there.
        fs.rmSync(path.join(this.dir, name), { force: true })
        continue
      }
      const m = FILE.exec(name)
      if (m) (m[1] === 'snapshot' ? snapshots : logs).push(Number(m[2]))
    }
    snapshots.sort((a, b) => a - b)
    logs.sort((a, b) => a - b)
    const snapGen = snapshots[snapshots.length - 1] ?? 0
    return { snapGen, snapshots, logs, live: logs.filter((g) => g >= snapGen) }
  }

  /** Reads the newest snapshot and the log after it into an empty engine state. Synchronous: nothing else runs. */
  private recover(): void {
    const plan = this.plan()
    const steps = this.load(plan, this.state, undefined)
    let step: IteratorResult<void, { logBytes: number; lastSegmentBytes: number }>
    this.replaying = true
    try {
      do step = steps.next()
      while (!step.done)
    } finally {
      this.replaying = false
    }
    this.logBytes = step.value.logBytes
    const live = plan.live
    if (live.length === 0) {
      this.gen = Math.max(plan.snapGen, 1)
      this.segmentBytes = 0
    } else {
      this.gen = live[live.length - 1] as number
      this.segmentBytes = step.value.lastSegmentBytes
    }
    this.openSegment()
    this.finishLoad(plan)
    this.appended = 0
    this.durable = 0
  }

  /**
   * Replays the snapshot and the log as a series of steps (each a batch of records; a generator, so the background
   * loader can let requests in between them). readiness, when given, is told when a table's part of the snapshot is
   * in, so the tables the log does not touch can be answered from before the rest has loaded.
   */
  private *load(
    plan: LoadPlan,
    state: EngineState,
    readiness: Readiness | undefined,
  ): Generator<void, { logBytes: number; lastSegmentBytes: number }> {
    this.tables.clear()
    state.tableNames.length = 0
    state.hub.reset()
    const target = this.applyTarget(state)
    if (plan.snapGen > 0) {
      const file = path.join(this.dir, snapshotName(plan.snapGen))
      const { bytes, complete } = yield* this.replayFile(file, 'snapshot', target, false, readiness)
      this.snapshotBytes = bytes
      if (!complete)
        this.warn(
          `${file} ends before its end record: the snapshot is incomplete; its readable part was loaded`,
        )
    }
    let logBytes = 0
    let lastSegmentBytes = 0
    for (const g of plan.live) {
      const last = g === plan.live[plan.live.length - 1]
      const { bytes } = yield* this.replayFile(
        path.join(this.dir, logName(g)),
        'log',
        target,
        last,
        undefined,
      )
      logBytes += bytes
      if (last) lastSegmentBytes = bytes
    }
    return { logBytes, lastSegmentBytes }
  }

  /** After a load: old files go, every table is bound to the log, and what was logged is remembered. */
  private finishLoad(plan: LoadPlan): void {
    // Segments older than the snapshot are left over from a compaction a crash interrupted.
    for (const g of plan.logs)
      if (g < plan.snapGen) fs.rmSync(path.join(this.dir, logName(g)), { force: true })
    for (const g of plan.snapshots)
      if (g < plan.snapGen) fs.rmSync(path.join(this.dir, snapshotName(g)), { force: true })
    for (const [name, table] of this.tables) this.tableReady(name, table)
    this.hubMeta = JSON.stringify(this.state.hub.exportMeta().streams)
    if (this.logBytes > Math.max(this.compactAfterBytes, this.snapshotBytes)) this.requestCompaction()
  }

  private tableReady(name: string, table: TableState): void {
    if (isBound(table)) return
    bindTable(table, this)
    this.tableMeta.set(name, JSON.stringify(encodeTable(table)))
  }

  // ---- background load

  /** Set while the background load runs. */
  private loading: BackgroundLoad | undefined

  /**
   * Start-up in the background: the catalog is read now (table descriptions from the snapshot's table records, and
   * tables created or dropped in the log), so ListTables answers at once; new writes go to a fresh log segment, and
   * the snapshot and the older log are replayed a few milliseconds at a time. A table whose snapshot part is in and
   * which the log never names (nor a reset) is usable as soon as that part is in; tables with a stream wait for the
   * whole load (stream sequence numbers continue from the streams' state, which comes last).
   */
  private startBackgroundLoad(): void {
    const plan = this.plan()
    // Every file's header is checked now, so a newer format or a foreign file still fails createEngine.
    const snapFile = plan.snapGen > 0 ? path.join(this.dir, snapshotName(plan.snapGen)) : undefined
    const catalog = new Map<string, EncodedTable>()
    if (snapFile) for (const t of readSnapshotCatalog(snapFile)) catalog.set(t.name, t)
    const fromSnapshot = new Set(catalog.keys())
    let logResets = false
    const mentioned = new Set<string>()
    const logs = plan.live.map((g) => path.join(this.dir, logName(g)))
    for (const file of logs) {
      const scan = scanLogCatalog(file, catalog, fromSnapshot)
      logResets ||= scan.resets
      for (const n of scan.mentioned) mentioned.add(n)
    }
    const load: BackgroundLoad = {
      ready: new Set(),
      waiters: [],
      error: undefined,
      done: undefined as unknown as Promise<void>,
    }
    this.loading = load
    // The engine answers ListTables from the catalog; replay builds its own list, which replaces it at the end.
    this.state.tableNames.splice(0, this.state.tableNames.length, ...[...catalog.keys()].sort())
    const replayState = Object.create(this.state, { tableNames: { value: [] as string[] } }) as EngineState
    const last = plan.live[plan.live.length - 1]
    // New writes go to a segment of their own: the older ones are still being read.
    this.gen = Math.max(plan.snapGen, 1, last === undefined ? 0 : last + 1)
    this.segmentBytes = 0
    this.openSegment()
    const readiness: Readiness = {
      sectionDone: (name) => {
        const table = this.tables.get(name)
        if (logResets || mentioned.has(name) || !table || table.streamArn !== undefined) return
        this.tableReady(name, table)
        load.ready.add(name)
        this.wakeWaiters()
      },
    }
    const steps = this.load(plan, replayState, readiness)
    load.done = (async () => {
      // createEngine returns, and the server starts listening, before any item is read.
      await new Promise((resolve) => setImmediate(resolve))
      let sliceStart = performance.now()
      for (;;) {
        this.replaying = true
        let step: IteratorResult<void, { logBytes: number }>
        try {
          step = steps.next()
        } finally {
          this.replaying = false
        }
        if (step.done) {
          // The log read back, plus what has been written since start-up.
          this.logBytes += step.value.logBytes
          break
        }
        // A few milliseconds of loading, then whatever requests arrived meanwhile.
        if (performance.now() - sliceStart > LOAD_SLICE_MS) {
          await new Promise((resolve) => setImmediate(resolve))
          sliceStart = performance.now()
        }
      }
      const names = replayState.tableNames
      this.state.tableNames.splice(0, this.state.tableNames.length, ...names)
      this.loading = undefined
      this.finishLoad(plan)
      this.hookStreams()
    })()
    load.done.then(
      () => {
        for (const w of load.waiters) w.resolve()
        load.waiters = []
      },
      (err: unknown) => {
        this.replaying = false
        load.error = new DynamoError(
          'ServiceUnavailable',
          `The engine could not read its data directory ${this.dir} (${(err as Error).message}); restart it.`,
        )
        this.broken = load.error
        this.warn(load.error.message)
        for (const w of load.waiters) w.reject(load.error)
        load.waiters = []
      },
    )
  }

  private wakeWaiters(): void {
    const load = this.loading
    if (!load) return
    load.waiters = load.waiters.filter((w) => {
      if (w.names === undefined || !w.names.every((n) => load.ready.has(n))) return true
      w.resolve()
      return false
    })
  }

  /** Resolves once the background load is over (at once otherwise); rejects if it failed. */
  loaded(): Promise<void> {
    return this.loading?.done ?? Promise.resolve()
  }

  /** True while the background load runs. */
  get isLoading(): boolean {
    return this.loading !== undefined
  }

  /**
   * Undefined when a request naming these tables (undefined: any table or none, say a transaction or a control
   * operation) can run now; otherwise a promise settled once it can, rejected if the load failed.
   */
  whenReady(tables: readonly string[] | undefined): Promise<void> | undefined {
    const load = this.loading
    if (!load) return undefined
    if (load.error) return Promise.reject(load.error)
    if (tables !== undefined && tables.length > 0 && tables.every((n) => load.ready.has(n))) return undefined
    return new Promise((resolve, reject) => load.waiters.push({ names: tables, resolve, reject }))
  }

  /** Whether name is a table in the catalog (what ListTables answers while the rest is loading). */
  inCatalog(name: string): boolean {
    return this.state.tableNames.includes(name)
  }

  /**
   * Applies a file's frames, a batch of records per JSON.parse (one call per record cost more than the parsing
   * itself on a log of single-item records). A bad frame ends the file: in the last log segment that is a write a
   * crash tore (it was never acknowledged) and the file is cut back to its intact part; anywhere else it is damage,
   * said as such. Yields after each batch.
   */
  private *replayFile(
    file: string,
    kind: FileKind,
    target: ApplyTarget,
    lastSegment: boolean,
    readiness: Readiness | undefined,
  ): Generator<void, { bytes: number; complete: boolean }> {
    let fd: number
    let fileBytes: number
    try {
      fd = fs.openSync(file, 'r')
      fileBytes = fs.fstatSync(fd).size
    } catch (err) {
      throw ioError(`cannot read ${file}`, err)
    }
    let complete = false
    let records = 0
    let skipped = 0
    /** The snapshot section being read (a table's items follow its description). */
    let section: string | undefined
    const apply = (entries: Entry[]) => {
      records++
      for (const entry of entries) {
        const owner = readiness === undefined ? undefined : sectionOf(entry)
        if (section !== undefined && owner !== section) {
          readiness?.sectionDone(section)
          section = undefined
        }
        if ((entry[0] as string) === 'end') complete = true
        else if (!applyEntry(target, entry)) skipped++
        if (owner !== undefined) section = owner
      }
    }
    // In the background a batch is a step between which requests are answered: smaller, so they wait less.
    const batch = new RecordBatch(
      file,
      apply,
      readiness === undefined && !this.loading ? BATCH_BYTES : BACKGROUND_BATCH_BYTES,
    )
    let result: { end: number; problem: FrameProblem | undefined }
    try {
      if (fileBytes < HEADER_BYTES && kind === 'log' && lastSegment) {
        // Created, then cut off before its header reached the disk.
        this.warn(`${file}: dropped a log header cut short (${fileBytes} bytes); it held no writes`)
        fs.writeFileSync(file, fileHeader('log'), { flush: true })
        return { bytes: HEADER_BYTES, complete: true }
      }
      const header = Buffer.alloc(Math.min(fileBytes, HEADER_BYTES))
      fs.readSync(fd, header, 0, header.length, 0)
      checkHeader(header, kind, file)
      const frames = iterateFramesFromFile(fd, fileBytes, HEADER_BYTES, (f, buf, at, length, position) =>
        fs.readSync(f, buf, at, length, position),
      )
      for (;;) {
        const step = frames.next()
        if (step.done) {
          result = step.value
          break
        }
        if (batch.add(step.value.payload, step.value.offset)) {
          batch.flush()
          yield
        }
      }
      batch.flush()
      if (readiness && section !== undefined) readiness.sectionDone(section)
    } catch (err) {
      // A failed read is the store's to report; anything else (a bad entry) passes as it is.
      if ((err as NodeJS.ErrnoException).syscall !== undefined) throw ioError(`cannot read ${file}`, err)
      throw err
    } finally {
      fs.closeSync(fd)
    }
    const { end, problem } = result
    if (skipped > 0)
      this.warn(`${file}: ${skipped} entries named a table that no longer exists and were skipped`)
    if (problem) {
      const what = `${problem.droppedBytes} bytes at byte ${problem.offset} of ${file} (${problem.reason}, after ${records} intact records)`
      if (kind === 'log' && lastSegment) {
        this.warn(`Dropped ${what}: a write cut off by a crash, never acknowledged`)
        try {
          fs.truncateSync(file, end)
        } catch (err) {
          throw ioError(`cannot cut the torn tail off ${file}`, err)
        }
      } else {
        this.warn(`Dropped ${what}: the file is damaged; the writes in that part are lost`)
      }
    }
    return { bytes: end, complete: kind === 'log' || complete }
  }

  private openSegment(): void {
    const file = path.join(this.dir, logName(this.gen))
    try {
      if (this.segmentBytes === 0) {
        const fd = fs.openSync(file, 'w')
        try {
          fs.writeSync(fd, fileHeader('log'))
          fs.fdatasyncSync(fd)
        } catch (err) {
          fs.closeSync(fd)
          throw err
        }
        this.fd = fd
        this.segmentBytes = HEADER_BYTES
        this.syncDir()
      } else {
        this.fd = fs.openSync(file, 'r+')
      }
    } catch (err) {
      throw ioError(`cannot open the log ${file}`, err)
    }
  }

  private syncDir(): void {
    // The new file's directory entry must be durable too (Linux/macOS; Windows cannot open a directory).
    if (process.platform === 'win32') return
    const fd = fs.openSync(this.dir, 'r')
    try {
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Journal

  itemWritten(table: { readonly name: string }, key: Item, item: Item | undefined): void {
    if (this.replaying) return
    this.lastWrite.set(table.name, ++this.writeSeq)
    const name = JSON.stringify(table.name)
    this.entry(item ? `["p",${name},${JSON.stringify(item)}]` : `["d",${name},${JSON.stringify(key)}]`, 'own')
  }

  group<T>(fn: () => T): T {
    if (this.depth === 0) this.seal()
    this.depth++
    try {
      return fn()
    } finally {
      this.depth--
      if (this.depth === 0) this.seal()
    }
  }

  /**
   * Adds an entry to the record being built. Outside a group, an 'own' entry (an item write, a table dropped)
   * starts a record of its own; a 'follow' entry (its stream record, a table's new description) joins it.
   */
  private entry(json: string, kind: 'own' | 'follow'): void {
    if (this.closed) return
    if (kind === 'own' && this.depth === 0) this.seal()
    this.open.push(json)
    if (!this.sealScheduled) {
      this.sealScheduled = true
      // A write made outside a request (a sweeper's timer) is sealed once its synchronous work is done.
      queueMicrotask(() => {
        this.sealScheduled = false
        if (this.depth === 0) this.seal()
      })
    }
  }

  private seal(): void {
    if (this.open.length === 0) return
    this.sealed.push(`[${this.open.join(',')}]`)
    this.open = []
    this.appended++
    this.scheduleFlush()
  }

  /** A table was put in the engine's map: a new one is logged whole (with any items it came with). */
  private tableSet(name: string, table: TableState): void {
    const meta = JSON.stringify(encodeTable(table))
    if (isBound(table)) {
      if (this.tableMeta.get(name) !== meta) this.entry(`["t",${meta}]`, 'follow')
    } else {
      this.group(() => {
        this.entry(`["t",${meta}]`, 'own')
        let chunk: Item[] = []
        const jname = JSON.stringify(name)
        for (const item of table.store.all()) {
          chunk.push(item)
          if (chunk.length === SNAPSHOT_CHUNK) {
            this.entry(chunkEntry(jname, chunk), 'follow')
            chunk = []
          }
        }
        if (chunk.length > 0) this.entry(chunkEntry(jname, chunk), 'follow')
      })
      bindTable(table, this)
    }
    this.tableMeta.set(name, meta)
  }

  /**
   * Called by the engine after every operation: ends the operation's record and, after an operation that may have
   * changed a table's description or the streams (anything but the data-plane and read operations), logs what did.
   */
  endOperation(operation: string): void {
    if (this.closed) return
    if (!DATA_OPERATIONS.has(operation)) this.logStateChanges()
    if (this.depth === 0) this.seal()
  }

  private logStateChanges(): void {
    for (const [name, table] of this.tables) {
      const meta = JSON.stringify(encodeTable(table))
      if (this.tableMeta.get(name) !== meta) {
        this.tableMeta.set(name, meta)
        this.entry(`["t",${meta}]`, 'follow')
      }
    }
    const hub = this.state.hub.exportMeta()
    const streams = JSON.stringify(hub.streams)
    if (streams !== this.hubMeta) {
      this.hubMeta = streams
      this.entry(`["h",${JSON.stringify(hub)}]`, 'follow')
    }
    for (const [name, s] of this.sections) {
      if (s.section.apply) continue
      const data = JSON.stringify(s.section.save() ?? null)
      if (data !== s.seen) {
        s.seen = data
        this.entry(`["e",${JSON.stringify(name)},${data}]`, 'follow')
      }
    }
  }

  /**
   * Persists a piece of state kept outside the tables (backups, say): saved whole, in the log after any
   * non-data operation that changed it and in every snapshot; load() gets it back on start-up.
   */
  registerSection(name: string, section: Section): void {
    const pending = this.pendingSections.get(name)
    this.pendingSections.delete(name)
    if (pending?.data !== undefined) section.load(pending.data)
    for (const change of pending?.changes ?? []) section.apply?.(change)
    this.sections.set(name, { section, seen: JSON.stringify(section.save() ?? null) })
  }

  /** Logs a change to an incremental section (one with apply()) in the record being built. */
  note(section: string, change: unknown): void {
    if (this.replaying) return
    this.entry(`["E",${JSON.stringify(section)},${JSON.stringify(change)}]`, 'follow')
  }

  /**
   * Undefined when every change made so far is on disk; otherwise a promise settled once it is (rejected if the
   * write failed). Every answer waits for it, reads too: no client ever sees a change that a crash could undo.
   */
  settled(): Promise<void> | undefined {
    if (this.depth === 0) this.seal()
    if (this.broken) return Promise.reject(this.broken)
    if (this.durable >= this.appended) return undefined
    const lsn = this.appended
    return new Promise((resolve, reject) => this.waiters.push({ lsn, resolve, reject }))
  }

  // -------------------------------------------------------------------------------------------------------------
  // Group commit

  private scheduleFlush(): void {
    if (this.writing || this.flushScheduled) return
    this.flushScheduled = true
    // setImmediate, not a microtask: requests already read in this turn of the event loop join the same write.
    setImmediate(() => {
      this.flushScheduled = false
      void this.flush()
    })
  }

  private async flush(): Promise<void> {
    if (this.writing || this.closed) return
    if (this.wantCompaction && this.compaction === undefined) this.startCompaction()
    if (this.sealed.length === 0) return
    const batch = this.sealed
    this.sealed = []
    const upTo = this.appended
    const at = this.segmentBytes
    const buf = encodeFrames(batch)
    this.writing = true
    try {
      let off = 0
      while (off < buf.length) {
        const { bytesWritten } = await write(this.fd, buf, off, buf.length - off, at + off)
        off += bytesWritten
      }
      await fdatasync(this.fd)
    } catch (err) {
      this.writing = false
      this.writeFailed(err, at)
      return
    }
    this.writing = false
    this.segmentBytes = at + buf.length
    this.logBytes += buf.length
    this.durable = upTo
    let i = 0
    while (i < this.waiters.length && (this.waiters[i] as Waiter).lsn <= upTo)
      (this.waiters[i++] as Waiter).resolve()
    this.waiters.splice(0, i)
    if (this.logBytes > Math.max(this.compactAfterBytes, this.snapshotBytes)) this.requestCompaction()
    if (this.sealed.length > 0 || this.wantCompaction) this.scheduleFlush()
  }

  /**
   * A write or fsync failed (a full disk, say). Nothing after the last durable record may be kept: the segment is
   * cut back, every waiting answer fails, and the engine's state is read back from disk (so it holds exactly what
   * was acknowledged). The next write tries again.
   */
  private writeFailed(err: unknown, goodEnd: number): void {
    const e = err as NodeJS.ErrnoException
    const reason = e.code === 'ENOSPC' ? 'the disk is full' : `${e.code ?? 'error'}: ${e.message}`
    const failure = new DynamoError(
      'ServiceUnavailable',
      `The engine could not write to its data directory ${this.dir} (${reason}). This request was not applied; ` +
        'nothing acknowledged before it is lost. Free some space and try again.',
    )
    this.warn(`A log write failed (${reason}); changes not yet acknowledged were undone`)
    try {
      fs.ftruncateSync(this.fd, goodEnd)
    } catch {
      // Replay drops whatever torn bytes are left, by checksum.
    }
    const waiters = this.waiters
    this.waiters = []
    this.sealed = []
    this.open = []
    for (const w of waiters) w.reject(failure)
    try {
      // Reading the state back would race the background load: the engine stops answering instead.
      if (this.loading) throw new Error('the write failed while the data directory was still loading')
      fs.closeSync(this.fd)
      this.recover()
    } catch (err2) {
      this.broken = new DynamoError(
        'ServiceUnavailable',
        `The engine could not read its data directory ${this.dir} back after a failed write (${(err2 as Error).message}); restart it.`,
      )
      this.warn(this.broken.message)
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Compaction

  private requestCompaction(): void {
    // A snapshot of a half-loaded state would lose the rest: compaction waits for the load (finishLoad asks again).
    if (this.loading !== undefined) return
    if (this.compaction !== undefined || this.wantCompaction || this.logBytes < this.retryCompactionAt) return
    this.wantCompaction = true
    this.scheduleFlush()
  }

  /** Writes a snapshot now, waiting for the log to be flushed first (tests and benchmarks). */
  async compact(): Promise<void> {
    await this.compaction
    this.retryCompactionAt = 0
    this.requestCompaction()
    while (this.wantCompaction && !this.closed) await new Promise((resolve) => setImmediate(resolve))
    await this.compaction
  }

  /**
   * Starts a new log segment and, from the state as it is at this instant (item objects are never changed, so
   * copying the lists is enough), writes a snapshot in the background. Only once the snapshot is on disk are the
   * older segments and snapshot deleted; until then recovery uses them.
   */
  private startCompaction(): void {
    this.wantCompaction = false
    // Records sealed but not yet written go to the new segment: the snapshot holds their effects too, and
    // replaying full images twice changes nothing. The new segment is opened before the old one is let go, so a
    // failure (a full disk) leaves the log as it was.
    const old = { fd: this.fd, gen: this.gen, bytes: this.segmentBytes }
    this.gen++
    this.segmentBytes = 0
    try {
      this.openSegment()
    } catch (err) {
      fs.rmSync(path.join(this.dir, logName(this.gen)), { force: true })
      this.fd = old.fd
      this.gen = old.gen
      this.segmentBytes = old.bytes
      this.retryCompactionAt = this.logBytes + this.compactAfterBytes
      this.warn(`A snapshot could not be started (${(err as Error).message}); the log is kept`)
      return
    }
    fs.closeSync(old.fd)
    const gen = this.gen
    const logBefore = this.logBytes
    this.logBytes = 0
    const view = this.captureView()
    this.compaction = this.writeSnapshot(gen, view)
      .then((bytes) => {
        this.snapshotBytes = bytes
        for (const name of fs.readdirSync(this.dir)) {
          const m = FILE.exec(name)
          if (m && Number(m[2]) < gen) fs.rmSync(path.join(this.dir, name), { force: true })
        }
      })
      .catch((err: unknown) => {
        // The older snapshot and segments stay, so nothing is lost; the log keeps growing until a retry works.
        this.logBytes += logBefore
        this.retryCompactionAt = this.logBytes + this.compactAfterBytes
        this.warn(`A snapshot could not be written (${(err as Error).message}); the log is kept`)
      })
      .finally(() => {
        this.compaction = undefined
      })
  }

  private captureView() {
    const cutoff = this.state.now() - RETENTION_MS
    const hub = this.state.hub.exportMeta()
    const streams: [string, StoredRecord[]][] = []
    for (const s of hub.streams) {
      const records = this.state.hub.exportRecords(s.arn)
      let n = 0
      while (n < records.length && (records[n] as StoredRecord).at < cutoff) n++
      if (n > 0) s.trimmedThrough = Math.max(s.trimmedThrough, (records[n - 1] as StoredRecord).seq)
      streams.push([s.arn, records.slice(n)])
    }
    return {
      // Most recently written first: a background load makes those usable first. The sort is stable, so tables
      // not written since start-up keep the order they were loaded in (the last snapshot's).
      tables: [...this.tables]
        .sort(([a], [b]) => (this.lastWrite.get(b) ?? 0) - (this.lastWrite.get(a) ?? 0))
        .map(([name, table]) => ({
          name,
          meta: JSON.stringify(encodeTable(table)),
          items: [...table.store.all()],
        })),
      hub,
      streams,
      sections: [...this.sections].map(
        ([name, s]) => [name, JSON.stringify(s.section.save() ?? null)] as const,
      ),
    }
  }

  private async writeSnapshot(gen: number, view: ReturnType<DurableStore['captureView']>): Promise<number> {
    const file = path.join(this.dir, snapshotName(gen))
    const tmp = `${file}.tmp`
    const fd = await open(tmp, 'w')
    let at = 0
    const put = async (payloads: string[]) => {
      const buf =
        at === 0 ? Buffer.concat([fileHeader('snapshot'), encodeFrames(payloads)]) : encodeFrames(payloads)
      let off = 0
      while (off < buf.length) off += (await write(fd, buf, off, buf.length - off, at + off)).bytesWritten
      at += buf.length
    }
    let items = 0
    try {
      for (const t of view.tables) {
        const jname = JSON.stringify(t.name)
        await put([`[["t",${t.meta}]]`])
        for (let i = 0; i < t.items.length; i += SNAPSHOT_CHUNK) {
          await put([`[${chunkEntry(jname, t.items.slice(i, i + SNAPSHOT_CHUNK))}]`])
          // Serializing a large table takes a while: answer requests between chunks.
          await new Promise((resolve) => setImmediate(resolve))
        }
        items += t.items.length
      }
      const tail = [`[["h",${JSON.stringify(view.hub)}]]`]
      for (const [arn, records] of view.streams)
        if (records.length > 0) tail.push(`[["S",${JSON.stringify(arn)},${JSON.stringify(records)}]]`)
      for (const [name, data] of view.sections) tail.push(`[["e",${JSON.stringify(name)},${data}]]`)
      tail.push(`[["end",${JSON.stringify({ tables: view.tables.length, items })}]]`)
      await put(tail)
      await fsync(fd)
    } finally {
      await close(fd)
    }
    fs.renameSync(tmp, file)
    this.syncDir()
    return at
  }

  // -------------------------------------------------------------------------------------------------------------

  info(): StorageInfo {
    let bytes = 0
    let snapshot = 0
    let log = 0
    for (const name of fs.readdirSync(this.dir)) {
      let size: number
      try {
        size = fs.statSync(path.join(this.dir, name)).size
      } catch {
        continue
      }
      bytes += size
      if (name.endsWith('.twsnap')) snapshot += size
      if (name.endsWith('.twlog')) log += size
    }
    return { dataDir: this.dir, bytes, snapshotBytes: snapshot, logBytes: log }
  }

  /** Waits for pending writes and any snapshot in progress, then releases the files and the lock. */
  async close(): Promise<void> {
    if (this.closed) return
    await this.loading?.done.catch(() => undefined)
    const pending = this.settled()
    await pending?.catch(() => undefined)
    await this.compaction
    while (this.writing || this.sealed.length > 0) {
      await new Promise((resolve) => setImmediate(resolve))
      if (!this.writing && this.sealed.length > 0) await this.flush()
    }
    this.closed = true
    this.state.hub.onStored = undefined
    try {
      fs.closeSync(this.fd)
    } catch {
      // Already closed by a failed write.
    }
    this.unlock()
  }
}

/** The engine's table map, telling the store when a table is added, replaced or dropped. */
class JournaledTables extends Map<string, TableState> {
  constructor(private readonly store: DurableStore) {
    super()
  }

  override set(name: string, table: TableState): this {
    // Map's constructor calls nothing; the field is set before any set() from the engine.
    this.store?.onTableSet(name, table)
    return super.set(name, table)
  }

  override delete(name: string): boolean {
    this.store.onTableDelete(name, super.get(name))
    return super.delete(name)
  }

  override clear(): void {
    this.store.onTablesClear(super.values())
    super.clear()
  }

  /** Replay's own changes: they are read from the log, not written to it. */
  setQuietly(name: string, table: TableState): void {
    super.set(name, table)
  }

  deleteQuietly(name: string): void {
    super.delete(name)
  }

  clearQuietly(): void {
    super.clear()
  }
}

/** The table a snapshot entry belongs to: its description or a chunk of its items. */
function sectionOf(entry: Entry): string | undefined {
  if (entry[0] === 't') return entry[1].name
  if (entry[0] === 'P') return entry[1]
  return undefined
}

/** Payload bytes gathered before one JSON.parse reads them all. */
const BATCH_BYTES = 1 << 20
const BACKGROUND_BATCH_BYTES = 512 * 1024

/**
 * Consecutive records parsed together: their payloads joined with commas inside one array. Should the join not
 * read as exactly one array per record (a record that is not JSON), each is parsed on its own, so the error names
 * the record's offset as before.
 */
class RecordBatch {
  private buf: Buffer
  private length = 0
  private frames: { start: number; end: number; offset: number }[] = []

  constructor(
    private readonly file: string,
    private readonly apply: (entries: Entry[]) => void,
    private readonly batchBytes: number,
  ) {
    this.buf = Buffer.allocUnsafe(batchBytes + 64 * 1024)
  }

  /** Copies a frame's payload in; true when the batch is big enough to flush. */
  add(payload: Buffer, offset: number): boolean {
    const need = this.length + payload.length + 2
    if (need > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2))
      this.buf.copy(bigger, 0, 0, this.length)
      this.buf = bigger
    }
    this.buf[this.length++] = this.frames.length === 0 ? 0x5b /* [ */ : 0x2c /* , */
    const start = this.length
    payload.copy(this.buf, start)
    this.length += payload.length
    this.frames.push({ start, end: this.length, offset })
    return this.length >= this.batchBytes
  }

  flush(): void {
    const frames = this.frames
    if (frames.length === 0) return
    this.buf[this.length++] = 0x5d /* ] */
    let records: unknown
    try {
      records = JSON.parse(this.buf.toString('utf8', 0, this.length))
    } catch {
      records = undefined
    }
    this.frames = []
    this.length = 0
    if (
      Array.isArray(records) &&
      records.length === frames.length &&
      records.every((r) => Array.isArray(r))
    ) {
      for (const r of records as Entry[][]) this.apply(r)
      return
    }
    for (const f of frames) {
      let entries: Entry[]
      try {
        entries = JSON.parse(this.buf.toString('utf8', f.start, f.end)) as Entry[]
      } catch (err) {
        throw new DurableStoreError(
          'store.notAStore',
          `${this.file}: unreadable record at byte ${f.offset}`,
          {
            cause: err,
          },
        )
      }
      this.apply(entries)
    }
  }
}

/**
 * The table descriptions in a snapshot, read without its items: frames are stepped over by their length, and only
 * those that start as a table record are read (and checked). Damage found here is left for the replay to report.
 */
function readSnapshotCatalog(file: string): EncodedTable[] {
  const out: EncodedTable[] = []
  let fd: number
  try {
    fd = fs.openSync(file, 'r')
  } catch (err) {
    throw ioError(`cannot read ${file}`, err)
  }
  try {
    const size = fs.fstatSync(fd).size
    const head = Buffer.alloc(HEADER_BYTES)
    fs.readSync(fd, head, 0, Math.min(size, HEADER_BYTES), 0)
    checkHeader(head.subarray(0, Math.min(size, HEADER_BYTES)), 'snapshot', file)
    const peek = Buffer.alloc(FRAME_HEADER_BYTES + TABLE_RECORD.length)
    let at = HEADER_BYTES
    while (at + FRAME_HEADER_BYTES <= size) {
      const n = fs.readSync(fd, peek, 0, peek.length, at)
      if (n < FRAME_HEADER_BYTES) break
      const length = peek.readUInt32LE(0)
      if (at + FRAME_HEADER_BYTES + length > size) break
      if (n === peek.length && peek.subarray(FRAME_HEADER_BYTES).equals(TABLE_RECORD)) {
        const payload = Buffer.allocUnsafe(length)
        fs.readSync(fd, payload, 0, length, at + FRAME_HEADER_BYTES)
        if (crc32(payload) !== peek.readUInt32LE(4)) break
        try {
          for (const e of JSON.parse(payload.toString('utf8')) as Entry[]) if (e[0] === 't') out.push(e[1])
        } catch {
          break
        }
      }
      at += FRAME_HEADER_BYTES + length
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).syscall !== undefined) throw ioError(`cannot read ${file}`, err)
    throw err
  } finally {
    fs.closeSync(fd)
  }
  return out
}

const TABLE_RECORD = Buffer.from('[["t",')
const CATALOG_MARKS = ['["t",', '["x",', '["r"]'].map((m) => Buffer.from(m))

/**
 * What a log segment does to the catalog, read before its items are: tables created (or changed) and dropped,
 * whether it resets the engine, and which of the snapshot's tables it may name. The search is by bytes: a table
 * record is always written as ["t",... and a table's name as its JSON string, while text inside a JSON string
 * cannot contain an unescaped quote. An item or section that merely looks similar only costs a parse here, or
 * makes a table wait for the whole load; it cannot make a table usable early.
 */
function scanLogCatalog(
  file: string,
  catalog: Map<string, EncodedTable>,
  fromSnapshot: ReadonlySet<string>,
): { resets: boolean; mentioned: string[] } {
  let buf: Buffer
  try {
    buf = fs.readFileSync(file)
  } catch (err) {
    throw ioError(`cannot read ${file}`, err)
  }
  if (buf.length >= HEADER_BYTES) checkHeader(buf.subarray(0, HEADER_BYTES), 'log', file)
  const mentioned = [...fromSnapshot].filter((n) => buf.includes(JSON.stringify(n)))
  // Where the marks are, then the frames holding them: only those are checked and parsed (stepping over the
  // others by their lengths costs nothing next to checking every frame of a log of single-item records).
  const marks: number[] = []
  let resets = false
  for (const m of CATALOG_MARKS)
    for (let at = buf.indexOf(m, HEADER_BYTES); at >= 0; at = buf.indexOf(m, at + 1)) {
      marks.push(at)
      if (m === CATALOG_MARKS[2]) resets = true
    }
  marks.sort((a, b) => a - b)
  let next = 0
  let at = HEADER_BYTES
  while (next < marks.length && at + FRAME_HEADER_BYTES <= buf.length) {
    const end = at + FRAME_HEADER_BYTES + buf.readUInt32LE(at)
    if (end > buf.length) break
    if ((marks[next] as number) < end) {
      while (next < marks.length && (marks[next] as number) < end) next++
      const payload = buf.subarray(at + FRAME_HEADER_BYTES, end)
      // A frame that fails its checksum ends the readable log: the replay reports it.
      if (crc32(payload) !== buf.readUInt32LE(at + 4)) break
      let entries: Entry[]
      try {
        entries = JSON.parse(payload.toString('utf8')) as Entry[]
      } catch {
        break
      }
      for (const e of entries) {
        if (e[0] === 't') catalog.set(e[1].name, e[1])
        else if (e[0] === 'x') catalog.delete(e[1])
        else if (e[0] === 'r') catalog.clear()
      }
    }
    at = end
  }
  return { resets, mentioned }
}

/** A "P" entry: items with their sizes, which replay would otherwise measure again item by item. */
function chunkEntry(jsonName: string, items: Item[]): string {
  return `["P",${jsonName},${JSON.stringify(items)},${JSON.stringify(items.map(sizeOf))}]`
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function ioError(what: string, err: unknown): DurableStoreError {
  const e = err as NodeJS.ErrnoException
  return new DurableStoreError('store.io', `${what}: ${e.code ?? ''} ${e.message}`.trim(), { cause: err })
}
