import {
  createTable,
  deleteTable,
  describe,
  describeEndpoints,
  describeLimits,
  describeTimeToLive,
  listTables,
  listTagsOfResource,
  tagResource,
  untagResource,
  updateTable,
} from './control-plane'
import { batchGetItem, batchWriteItem, deleteItem, getItemOp, putItem, query, scan, updateItem } from './data-plane'
import type { EngineState } from './engine-state'
import { withLegacyParameters } from './legacy-params'
import { asRequest, optInt, optObject, optString, reqString, type Req } from './request-shape'
import { type ChangeEvent, type ChangeListener, type ShardFilter, StreamHub } from './streams'
import { DynamoError, validation } from './types'

export interface EngineOptions {
  /** Region in ARNs and stream records (default us-east-1). */
  region?: string
  /** Account id in ARNs (default 000000000000, as DynamoDB Local). */
  accountId?: string
  /** Clock in epoch milliseconds; tests pass their own to move time (stream retention, iterator expiry). */
  now?: () => number
}

export type Service = 'DynamoDB' | 'DynamoDBStreams'

type Handler = (state: EngineState, req: Req) => unknown

const DYNAMODB: Record<string, Handler> = {
  CreateTable: createTable,
  DescribeTable: describe,
  ListTables: listTables,
  DeleteTable: deleteTable,
  UpdateTable: updateTable,
  DescribeLimits: () => describeLimits(),
  DescribeTimeToLive: describeTimeToLive,
  DescribeEndpoints: (state) => describeEndpoints(state),
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsOfResource: listTagsOfResource,
  PutItem: putItem,
  GetItem: getItemOp,
  UpdateItem: updateItem,
  DeleteItem: deleteItem,
  Query: query,
  Scan: scan,
  BatchGetItem: batchGetItem,
  BatchWriteItem: batchWriteItem,
}

const STREAMS: Record<string, Handler> = {
  ListStreams: (state, req) => state.hub.listStreams(optString(req, 'TableName'), optInt(req, 'Limit'), optString(req, 'ExclusiveStartStreamArn')),
  DescribeStream: (state, req) => {
    const streamArn = checkedStreamArn(req)
    const limit = optInt(req, 'Limit')
    if (limit !== undefined) checkRange('limit', limit, 1, 100)
    const exclusiveStartShardId = optString(req, 'ExclusiveStartShardId')
    if (exclusiveStartShardId !== undefined) checkLength('exclusiveStartShardId', exclusiveStartShardId, 28, 65)
    return state.hub.describeStream(streamArn, { limit, exclusiveStartShardId, shardFilter: shardFilter(req) })
  },
  GetShardIterator: (state, req) => {
    const streamArn = checkedStreamArn(req)
    const shardId = reqString(req, 'ShardId')
    checkLength('shardId', shardId, 28, 65)
    return state.hub.getShardIterator(streamArn, shardId, reqString(req, 'ShardIteratorType'), optString(req, 'SequenceNumber'))
  },
  GetRecords: (state, req) => state.hub.getRecords(reqString(req, 'ShardIterator'), optInt(req, 'Limit')),
}

/**
 * Member constraints of the Streams API, worded as DynamoDB's request validator words them.
 * https://docs.aws.amazon.com/amazondynamodbstreams/latest/APIReference/API_DescribeStream.html
 */
function constraint(member: string, value: unknown, rule: string): DynamoError {
  return validation(`1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${rule}`)
}

function checkLength(member: string, value: string, min: number, max: number): void {
  if (value.length < min) throw constraint(member, value, `Member must have length greater than or equal to ${min}`)
  if (value.length > max) throw constraint(member, value, `Member must have length less than or equal to ${max}`)
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
    throw validation("1 validation error detected: Value null at 'shardFilter.shardId' failed to satisfy constraint: Member must not be null")
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

  constructor(options: EngineOptions = {}) {
    const now = options.now ?? Date.now
    const region = options.region ?? 'us-east-1'
    this.state = {
      tables: new Map(),
      tableNames: [],
      hub: new StreamHub(region, now),
      region,
      accountId: options.accountId ?? '000000000000',
      now,
    }
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
    try {
      return structuredClone(this.handle(operation, copy))
    } catch (err) {
      if (err instanceof DynamoError) throw err
      // An engine bug: the door still answers with a DynamoDB error, keeping the cause for debugging.
      throw new DynamoError('InternalServerError', 'Internal server error', { cause: err })
    }
  }

  /**
   * Runs an operation on a request the engine may keep (the HTTP door parses a fresh object per request). The
   * answer may share objects with the engine's storage: serialize it, don't keep it.
   */
  handle(operation: string, request: unknown, service: Service = operation in DYNAMODB ? 'DynamoDB' : 'DynamoDBStreams'): unknown {
    const handler = service === 'DynamoDB' ? DYNAMODB[operation] : STREAMS[operation]
    if (!handler || !Object.hasOwn(service === 'DynamoDB' ? DYNAMODB : STREAMS, operation)) {
      throw new DynamoError('UnknownOperationException', 'An unknown operation was requested.')
    }
    return withLegacyParameters(operation, asRequest(request), this.state, (req) => handler(this.state, req))
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
    this.state.tables.clear()
    this.state.tableNames.length = 0
    this.state.hub.reset()
  }
}

export function createEngine(options?: EngineOptions): Engine {
  return new Engine(options)
}
