import {
  createTable,
  deleteTable,
  describe,
  describeEndpoints,
  describeLimits,
  listTables,
  listTagsOfResource,
  tagResource,
  untagResource,
  updateTable,
} from './control-plane'
import { createBackupStore, type EngineState } from './engine-state'
import {
  GROUP_OF,
  type Handler,
  isLoaded,
  loadedGroups,
  loadedHandler,
  loadGroup,
  registerGroup,
} from './operations'
import { optInt, optObject, optString, reqString, asRequest, type Req } from './request-shape'
import type * as Durability from './durability'
import type { DurableStore, Section, StorageInfo } from './storage/durable-store'
import { type ChangeEvent, type ChangeListener, type ShardFilter, StreamHub } from './streams'
import { describeTimeToLive, hasTtlTables, sweepExpiredItems, updateTimeToLive } from './ttl'
import { type ClockOptions, EngineClock } from './clock'
import { DynamoError, validation } from './types'

type DurabilityModule = typeof Durability
let durability: DurabilityModule | undefined

/** Makes data directories usable by createEngine (the library entry, index.ts, does this at once). */
export function provideDurability(module: DurabilityModule): void {
  durability = module
  registerGroup('transactions', module.TRANSACTION_OPERATIONS)
}

/** Loads what a data directory needs; openEngine calls it when given one. */
export async function loadDurability(): Promise<void> {
  if (!durability) provideDurability(await import('./durability'))
}

export interface EngineOptions {
  /** Region in ARNs and stream records (default us-east-1). */
  region?: string
  /** Account id in ARNs (default 000000000000, as DynamoDB Local). */
  accountId?: string
  /** Clock in epoch milliseconds; tests pass their own to move time (stream retention, iterator expiry). */
  now?: () => number
  /**
   * The engine's own clock (ignored when `now` is given): a start moment and whether it stands still. Either way it
   * can be read and advanced through `engine.clock` / `engine.advanceClock()`.
   */
  clock?: ClockOptions
  /** How often (ms of real time) the TTL sweeper looks for expired items while a table has TTL on; default 1000. */
  ttlSweepIntervalMs?: number
  /** How long (ms of engine time) DescribeTimeToLive says ENABLING/DISABLING after UpdateTimeToLive; default 5000. */
  ttlTransitionMs?: number
  /**
   * Keep the tables in this directory (created if missing): they are read back on start-up, and every answer waits
   * until the changes it saw are on disk. Without it the engine keeps everything in memory only.
   * Throws DurableStoreError (code store.inUse, store.newerFormat, store.notAStore, store.io) if it cannot be used.
   */
  dataDir?: string
  /** Told what recovery dropped or repaired (a torn log tail, say). Default: console.warn. */
  onStorageWarning?: (message: string) => void
  /** Log bytes after which a snapshot is written in the background (default 16 MiB). */
  compactAfterBytes?: number
  /**
   * With dataDir: createEngine reads only which tables exist and loads their items in the background, so a server
   * can answer at once (see Engine.whenReady; the doors wait on it). Default false: loaded before createEngine returns.
   */
  loadInBackground?: boolean
}

/** Answered from the catalog while a data directory is still loading. */
const CATALOG_OPERATIONS = new Set(['ListTables', 'DescribeLimits', 'DescribeEndpoints'])
/** Operations that touch only the table named by TableName (and no stream state or extension state). */
const ONE_TABLE_OPERATIONS = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'DescribeTable',
])

export type Service = 'DynamoDB' | 'DynamoDBStreams'

/** The operations every engine has loaded; the rest are in operations.ts's groups. */
const DYNAMODB: Record<string, Handler> = {
  CreateTable: createTable,
  DescribeTable: describe,
  ListTables: listTables,
  DeleteTable: deleteTable,
  UpdateTable: updateTable,
  DescribeLimits: () => describeLimits(),
  DescribeTimeToLive: describeTimeToLive,
  UpdateTimeToLive: updateTimeToLive,
  DescribeEndpoints: (state) => describeEndpoints(state),
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsOfResource: listTagsOfResource,
}

const STREAMS: Record<string, Handler> = {
  ListStreams: (state, req) =>
    state.hub.listStreams(
      optString(req, 'TableName'),
      optInt(req, 'Limit'),
      optString(req, 'ExclusiveStartStreamArn'),
    ),
  DescribeStream: (state, req) => {
    const streamArn = checkedStreamArn(req)
    const limit = optInt(req, 'Limit')
    if (limit !== undefined) checkRange('limit', limit, 1, 100)
    const exclusiveStartShardId = optString(req, 'ExclusiveStartShardId')
    if (exclusiveStartShardId !== undefined)
      checkLength('exclusiveStartShardId', exclusiveStartShardId, 28, 65)
    return state.hub.describeStream(streamArn, {
      limit,
      exclusiveStartShardId,
      shardFilter: shardFilter(req),
    })
  },
  GetShardIterator: (state, req) => {
    const streamArn = checkedStreamArn(req)
    const shardId = reqString(req, 'ShardId')
    checkLength('shardId', shardId, 28, 65)
    return state.hub.getShardIterator(
      streamArn,
      shardId,
      reqString(req, 'ShardIteratorType'),
      optString(req, 'SequenceNumber'),
    )
  },
  GetRecords: (state, req) => state.hub.getRecords(reqString(req, 'ShardIterator'), optInt(req, 'Limit')),
}

/**
 * Member constraints of the Streams API, worded as DynamoDB's request validator words them.
 * https://docs.aws.amazon.com/amazondynamodbstreams/latest/APIReference/API_DescribeStream.html
 */
function constraint(member: string, value: unknown, rule: string): DynamoError {
  return validation(
    `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${rule}`,
  )
}

function checkLength(member: string, value: string, min: number, max: number): void {
  if (value.length < min)
    throw constraint(member, value, `Member must have length greater than or equal to ${min}`)
  if (value.length > max)
    throw constraint(member, value, `Member must have length less than or equal to ${max}`)
}

function checkRange(member: string, value: number, min: number, max: number): void {
  if (value < min) throw constraint(member, value, `Member must have value greater than or equal to ${min}`)
  if (value > max) throw constraint(member, value, `Member must have value less than or equal to ${max}`)
}

function checkedStreamArn(req: Req): string {
  const arn = reqString(req, 'StreamArn')
  checkLength('streamArn', arn, 37, 1024)
  return arn
}

function shardFilter(req: Req): ShardFilter | undefined {
  const filter = optObject(req, 'ShardFilter')
  if (filter === undefined) return undefined
  const type = optString(filter, 'Type')
  if (type !== 'CHILD_SHARDS') {
    throw constraint('shardFilter.type', type ?? null, 'Member must satisfy enum value set: [CHILD_SHARDS]')
  }
  const shardId = optString(filter, 'ShardId')
  if (shardId === undefined) {
    throw validation(
      "1 validation error detected: Value null at 'shardFilter.shardId' failed to satisfy constraint: Member must not be null",
    )
  }
  checkLength('shardFilter.shardId', shardId, 28, 65)
  return { Type: type, ShardId: shardId }
}

/**
 * An in-memory DynamoDB: each operation takes and returns DynamoDB's JSON shapes and throws DynamoError.
 * Operations run synchronously inside call(), so every request sees the effects of the ones before it.
 */
export class Engine {
  private readonly state: EngineState
  /** The engine's clock: read it, or move it forward with advanceClock(). */
  readonly clock: EngineClock
  private readonly sweepIntervalMs: number
  private sweeper: ReturnType<typeof setInterval> | undefined
  private readonly store: DurableStore | undefined

  constructor(options: EngineOptions = {}) {
    this.clock = options.now ? new EngineClock({}, options.now) : new EngineClock(options.clock)
    const now = this.clock.now
    this.sweepIntervalMs = options.ttlSweepIntervalMs ?? 1000
    const region = options.region ?? 'us-east-1'
    if (options.dataDir !== undefined && !durability) {
      throw new Error('createEngine with a dataDir: import the engine from its index, or use openEngine')
    }
    const durable = options.dataDir === undefined ? undefined : durability
    this.store =
      options.dataDir === undefined || !durable
        ? undefined
        : new durable.DurableStore(options.dataDir, {
            warn: options.onStorageWarning ?? ((m) => console.warn(`tablewright engine: ${m}`)),
            compactAfterBytes: options.compactAfterBytes,
          })
    this.state = {
      tables: this.store?.tables ?? new Map(),
      tableNames: [],
      hub: new StreamHub(region, now),
      backups: createBackupStore(),
      region,
      accountId: options.accountId ?? '000000000000',
      now,
      ttlTransitionMs: options.ttlTransitionMs,
      durability: this.store,
    }
    this.store?.attach(this.state, options.loadInBackground === true)
    // Backups and point-in-time recovery settings are plain data: saved whole when a control-plane operation
    // changed them (CreateBackup, DeleteBackup, UpdateContinuousBackups), and in every snapshot.
    const backups = this.state.backups
    if (this.store && durable) {
      const { encodeValue, decodeValue, registerTokenSection } = durable
      this.store.registerSection('backups', {
        save: () => encodeValue(backups),
        load: (data) => {
          const saved = decodeValue(data) as Partial<typeof backups>
          backups.backups.clear()
          backups.pointInTimeRecovery.clear()
          for (const [k, v] of saved.backups ?? []) backups.backups.set(k, v)
          for (const [k, v] of saved.pointInTimeRecovery ?? []) backups.pointInTimeRecovery.set(k, v)
        },
      })
      registerTokenSection(this.state, (name, section) => this.store?.registerSection(name, section))
    }
    // Tables read back from a data directory may have TTL on (the sweeper starts once they are all loaded).
    if (this.store?.isLoading)
      void this.store.loaded().then(
        () => this.syncSweeper(),
        () => undefined,
      )
    else this.syncSweeper()
  }

  /**
   * While a data directory loads in the background (loadInBackground): undefined if this request can run now,
   * otherwise a promise settled once the tables it names are loaded (rejected with ServiceUnavailable if loading
   * failed). ListTables answers from the catalog at once; a read or write of one table (or a batch over some)
   * waits for those tables only; anything else waits for the whole load. Always undefined once loaded.
   */
  whenReady(operation: string, request: unknown): Promise<void> | undefined {
    const store = this.store
    if (!store?.isLoading) return undefined
    if (CATALOG_OPERATIONS.has(operation)) return undefined
    const req = (typeof request === 'object' && request !== null ? request : {}) as Record<string, unknown>
    let names: string[] | undefined
    if (ONE_TABLE_OPERATIONS.has(operation) && typeof req.TableName === 'string') names = [req.TableName]
    else if (
      (operation === 'BatchGetItem' || operation === 'BatchWriteItem') &&
      typeof req.RequestItems === 'object' &&
      req.RequestItems !== null
    )
      names = Object.keys(req.RequestItems)
    // A name the catalog lacks (a missing table, an ARN) is answered once everything is loaded.
    if (names !== undefined && !names.every((n) => store.inCatalog(n))) names = undefined
    return store.whenReady(names)
  }

  /** True while a data directory loads in the background. */
  get loading(): boolean {
    return this.store?.isLoading ?? false
  }

  /** Resolves once a background load is over (at once otherwise); rejects if it failed. */
  loaded(): Promise<void> {
    return this.store?.loaded() ?? Promise.resolve()
  }

  /** Where and how big the data directory is; undefined for an in-memory engine. */
  storageInfo(): StorageInfo | undefined {
    return this.store?.info()
  }

  /** Persists a piece of state kept outside the tables (see DurableStore.registerSection); no-op in memory. */
  registerSection(name: string, section: Section): void {
    this.store?.registerSection(name, section)
  }

  /**
   * Undefined when everything the engine has answered from is on disk (always, in memory); otherwise a promise
   * that settles once it is, or rejects (ServiceUnavailable) if the write failed and the changes were undone.
   * A door answers only after it: the HTTP door and call() do.
   */
  settled(): Promise<void> | undefined {
    return this.store?.settled()
  }

  /** Writes a snapshot now and drops the log it covers (the store does this by itself as the log grows). */
  async compact(): Promise<void> {
    await this.store?.compact()
  }

  /** Waits for pending writes, then releases the data directory. The engine must not be used afterwards. */
  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper)
    this.sweeper = undefined
    await this.store?.close()
  }

  get region(): string {
    return this.state.region
  }

  /**
   * The in-process door: call('PutItem', { TableName, Item }). Both the request and the answer are copied, so the
   * caller can neither change stored items through them nor see later writes in an answer.
   */
  async call(operation: string, request: unknown = {}): Promise<unknown> {
    let copy: unknown
    try {
      copy = structuredClone(request)
    } catch {
      throw new DynamoError('SerializationException', 'The request is not plain JSON data')
    }
    const ready = this.whenReady(operation, copy)
    if (ready) await ready
    let answer: unknown
    try {
      await this.prepare(operation)
      answer = structuredClone(this.handle(operation, copy))
    } catch (err) {
      await this.settled()
      if (err instanceof DynamoError) throw err
      // An engine bug: the door still answers with a DynamoDB error, keeping the cause for debugging.
      throw new DynamoError('InternalServerError', 'Internal server error', { cause: err })
    }
    await this.settled()
    return answer
  }

  /**
   * Undefined when `handle` can run the operation now; otherwise a promise that settles once its code is loaded
   * (each group of operations is loaded on first use: see operations.ts). Unknown operations need nothing.
   */
  prepare(operation: string, service: Service = 'DynamoDB'): Promise<void> | undefined {
    const group =
      service === 'DynamoDB' && Object.hasOwn(GROUP_OF, operation) ? GROUP_OF[operation] : undefined
    return group === undefined ? undefined : loadGroup(group)
  }

  /**
   * Runs an operation on a request the engine may keep (the HTTP door parses a fresh object per request). The
   * answer may share objects with the engine's storage: serialize it, don't keep it.
   */
  handle(
    operation: string,
    request: unknown,
    service: Service = Object.hasOwn(DYNAMODB, operation) || Object.hasOwn(GROUP_OF, operation)
      ? 'DynamoDB'
      : 'DynamoDBStreams',
  ): unknown {
    const handler = this.handlerFor(operation, service)
    if (this.store?.isLoading) {
      const ready = this.whenReady(operation, request)
      if (ready) {
        // The doors wait on whenReady first; answering now would show a half-loaded table.
        void ready.catch(() => undefined)
        throw new DynamoError(
          'ServiceUnavailable',
          'The engine is still loading its data directory; wait for whenReady() before handle().',
        )
      }
    }
    try {
      const answer = handler(this.state, asRequest(request))
      if (operation === 'UpdateTimeToLive' || operation === 'DeleteTable') this.syncSweeper()
      return answer
    } finally {
      this.store?.endOperation(operation)
    }
  }

  private handlerFor(operation: string, service: Service): Handler {
    const own = service === 'DynamoDB' ? DYNAMODB : STREAMS
    if (Object.hasOwn(own, operation)) return own[operation] as Handler
    const group =
      service === 'DynamoDB' && Object.hasOwn(GROUP_OF, operation) ? GROUP_OF[operation] : undefined
    const handler = group === undefined ? undefined : loadedHandler(group, operation)
    if (handler) return handler
    if (group !== undefined && !isLoaded(group)) {
      // A caller bug, not a client's: the doors await prepare() first.
      throw new Error(`${operation} is not loaded yet: await engine.prepare('${operation}') before handle()`)
    }
    throw new DynamoError('UnknownOperationException', 'An unknown operation was requested.')
  }

  /**
   * Moves the engine's clock forward by ms and runs the TTL sweeper at once, so items that expire in that time are
   * gone when this returns (DynamoDB itself may take days). Returns the new time and how many items expired.
   */
  advanceClock(ms: number): { now: number; expired: number } {
    const now = this.clock.advance(ms)
    return { now, expired: this.sweepExpiredItems() }
  }

  /** One pass of the TTL sweeper: deletes every expired item of the tables with TTL on; returns how many. */
  sweepExpiredItems(): number {
    // Tables still loading are not swept yet: the sweeper starts once they are in (the doors wait for that too).
    if (this.store?.isLoading) return 0
    try {
      return sweepExpiredItems(this.state)
    } finally {
      this.store?.endOperation('TtlSweep')
    }
  }

  /** A timer runs the sweeper only while some table has TTL on; it never keeps the process alive. */
  private syncSweeper(): void {
    const wanted = this.sweepIntervalMs > 0 && hasTtlTables(this.state)
    if (wanted && !this.sweeper) {
      this.sweeper = setInterval(() => {
        try {
          this.sweepExpiredItems()
        } catch (err) {
          if (process.env.TABLEWRIGHT_ENGINE_DEBUG) console.error(err)
        }
      }, this.sweepIntervalMs)
      this.sweeper.unref?.()
    } else if (!wanted && this.sweeper) {
      clearInterval(this.sweeper)
      this.sweeper = undefined
    }
  }

  /**
   * Tells listener about every item change (stream record shape), synchronously after the write. The record is the
   * one the stream keeps: read it, don't change it (copy it first if you must).
   */
  subscribe(listener: ChangeListener): () => void {
    return this.state.hub.subscribe(listener)
  }

  /**
   * Change events as an async iterator, optionally for one table. Events are buffered from the moment changes()
   * is called; breaking out of the loop unsubscribes.
   */
  changes(tableName?: string): AsyncIterableIterator<ChangeEvent> {
    const queue: ChangeEvent[] = []
    let wake: ((r: IteratorResult<ChangeEvent>) => void) | undefined
    let closed = false
    const unsubscribe = this.subscribe((event) => {
      if (tableName !== undefined && event.tableName !== tableName) return
      if (wake) {
        const w = wake
        wake = undefined
        w({ value: event, done: false })
      } else queue.push(event)
    })
    const finish = (): IteratorResult<ChangeEvent> => {
      closed = true
      unsubscribe()
      queue.length = 0
      if (wake) {
        const w = wake
        wake = undefined
        w({ value: undefined, done: true })
      }
      return { value: undefined, done: true }
    }
    return {
      next: () => {
        const event = queue.shift()
        if (event) return Promise.resolve({ value: event, done: false })
        if (closed) return Promise.resolve({ value: undefined, done: true })
        return new Promise((resolve) => (wake = resolve))
      },
      return: () => Promise.resolve(finish()),
      [Symbol.asyncIterator]() {
        return this
      },
    }
  }

  /** Drops every table and stream (listeners stay subscribed). */
  reset(): void {
    if (this.store?.isLoading)
      throw new DynamoError(
        'ServiceUnavailable',
        'The engine is still loading its data directory; await loaded() first.',
      )
    this.state.tables.clear()
    this.state.tableNames.length = 0
    this.state.hub.reset()
    this.state.backups.backups.clear()
    this.state.backups.pointInTimeRecovery.clear()
    for (const reset of new Set([...loadedGroups()].map((g) => g.reset))) reset?.(this.state)
    this.syncSweeper()
    this.store?.endOperation('Reset')
  }
}

export function createEngine(options?: EngineOptions): Engine {
  return new Engine(options)
}

/** createEngine for callers that load the engine in parts (the `engine` command): loads the store first if needed. */
export async function openEngine(options: EngineOptions = {}): Promise<Engine> {
  if (options.dataDir !== undefined) await loadDurability()
  return new Engine(options)
}
