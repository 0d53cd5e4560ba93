import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import type { EngineState } from '../engine-state'
import { RETENTION_MS, type StoredRecord } from '../streams'
import { sizeOf, type TableState } from '../table'
import { DynamoError, type Item } from '../types'
import { bindTable, type Durability, isBound, unbindTable } from './journal'
import { applyEntry, type ApplyTarget, encodeTable, type Entry } from './state-codec'
import {
  checkHeader,
  DurableStoreError,
  encodeFrames,
  type FileKind,
  fileHeader,
  HEADER_BYTES,
  readFramesFromFile,
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

  /** Takes the directory's lock, reads the state back into the engine and opens the log for appending. */
  attach(state: EngineState): void {
    this.state = state
    try {
      fs.mkdirSync(this.dir, { recursive: true })
    } catch (err) {
      throw ioError(`cannot create the data directory ${this.dir}`, err)
    }
    this.lock()
    try {
      this.recover()
      state.hub.onStored = (arn, stored) =>
        this.entry(`["s",${JSON.stringify(arn)},${JSON.stringify(stored)}]`, 'follow')
    } catch (err) {
      this.unlock()
      throw err
    }
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

  private applyTarget(): ApplyTarget {
    return {
      state: this.state,
      setTable: (name, table) => this.tables.set(name, table),
      deleteTable: (name) => this.tables.delete(name),
      clearTables: () => this.tables.clear(),
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

  /** Reads the newest snapshot and the log after it into an empty engine state. Synchronous: nothing else runs. */
  private recover(): void {
    const files = new Map<string, number[]>([
      ['snapshot', []],
      ['wal', []],
    ])
    for (const name of fs.readdirSync(this.dir)) {
      if (name.endsWith('.tmp')) {
        // A snapshot a crash interrupted; the log it would have replaced is still there.
        fs.rmSync(path.join(this.dir, name), { force: true })
        continue
      }
      const m = FILE.exec(name)
      if (m) files.get(m[1] as string)!.push(Number(m[2]))
    }
    const snapshots = files.get('snapshot')!.sort((a, b) => a - b)
    const logs = files.get('wal')!.sort((a, b) => a - b)
    const snapGen = snapshots[snapshots.length - 1] ?? 0

    this.replaying = true
    try {
      this.tables.clear()
      this.state.tableNames.length = 0
      this.state.hub.reset()
      const target = this.applyTarget()
      if (snapGen > 0) {
        const file = path.join(this.dir, snapshotName(snapGen))
        const { bytes, complete } = this.replayFile(file, 'snapshot', target, false)
        this.snapshotBytes = bytes
        if (!complete)
          this.warn(
            `${file} ends before its end record: the snapshot is incomplete; its readable part was loaded`,
          )
      }
      const live = logs.filter((g) => g >= snapGen)
      this.logBytes = 0
      for (const g of live) {
        const last = g === live[live.length - 1]
        const { bytes } = this.replayFile(path.join(this.dir, logName(g)), 'log', target, last)
        this.logBytes += bytes
        if (last) {
          this.gen = g
          this.segmentBytes = bytes
        }
      }
      if (live.length === 0) {
        this.gen = Math.max(snapGen, 1)
        this.segmentBytes = 0
      }
    } finally {
      this.replaying = false
    }
    // Segments older than the snapshot are left over from a compaction a crash interrupted.
    for (const g of logs) if (g < snapGen) fs.rmSync(path.join(this.dir, logName(g)), { force: true })
    for (const g of snapshots)
      if (g < snapGen) fs.rmSync(path.join(this.dir, snapshotName(g)), { force: true })

    this.openSegment()
    for (const [name, table] of this.tables) {
      bindTable(table, this)
      this.tableMeta.set(name, JSON.stringify(encodeTable(table)))
    }
    this.hubMeta = JSON.stringify(this.state.hub.exportMeta().streams)
    this.appended = 0
    this.durable = 0
    if (this.logBytes > Math.max(this.compactAfterBytes, this.snapshotBytes)) this.requestCompaction()
  }

  /**
   * Applies a file's frames. A bad frame ends the file: in the last log segment that is a write a crash tore (it was
   * never acknowledged) and the file is cut back to its intact part; anywhere else it is damage, said as such.
   */
  private replayFile(
    file: string,
    kind: FileKind,
    target: ApplyTarget,
    lastSegment: boolean,
  ): { bytes: number; complete: boolean } {
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
    let result: ReturnType<typeof readFramesFromFile>
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
      result = readFramesFromFile(
        fd,
        fileBytes,
        HEADER_BYTES,
        (payload, offset) => {
          let entries: Entry[]
          try {
            entries = JSON.parse(payload.toString('utf8')) as Entry[]
          } catch (err) {
            throw new DurableStoreError('store.notAStore', `${file}: unreadable record at byte ${offset}`, {
              cause: err,
            })
          }
          records++
          for (const entry of entries) {
            if ((entry[0] as string) === 'end') complete = true
            else if (!applyEntry(target, entry)) skipped++
          }
        },
        (f, buf, at, length, position) => fs.readSync(f, buf, at, length, position),
      )
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
      tables: [...this.tables].map(([name, table]) => ({
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
