import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type DynamoDBStreamsClient,
  type _Record as StreamsRecord,
  type Shard,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams'
import type { Model } from '../../shared/domain/model'
import { cruddurUpdateConversations } from './cruddur-stream.handler'
import { toWorkbenchError, WorkbenchError } from './errors'
import { toRow } from './item-json'

/** A stream record as plain JSON (images unmarshalled). */
export interface StreamRecordView {
  eventId: string
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE'
  sequenceNumber: string
  shardId?: string | undefined
  approximateCreationDateTime?: string | undefined
  keys: Record<string, unknown>
  newImage?: Record<string, unknown> | undefined
  oldImage?: Record<string, unknown> | undefined
}

/** One thing a handler did for a record, in order, so the UI can draw a timeline. */
export type HandlerStep =
  | { kind: 'skip'; reason: string; item?: Record<string, unknown> }
  | { kind: 'query'; request: unknown; items: Record<string, unknown>[] }
  | { kind: 'transact'; request: unknown; before: Record<string, unknown>; after: Record<string, unknown> }
  | { kind: 'put'; request: unknown; after: Record<string, unknown> }
  | { kind: 'delete'; request: unknown; before: Record<string, unknown> }
  | { kind: 'conflict'; detail: string; request?: unknown }
  | { kind: 'fallback'; detail: string }

export interface RecordReport {
  record: StreamRecordView
  steps: HandlerStep[]
}

export interface HandlerContext {
  client: DynamoDBClient
  model: Model
  table: string
  /** 'auto': TransactWriteItems when the endpoint supports it, else the conditional put-then-delete. */
  transactions: 'auto' | 'on' | 'off'
}

/** Handles one batch of records; must process every record of the batch. */
export type StreamHandler = (records: StreamRecordView[], ctx: HandlerContext) => Promise<RecordReport[]>

/** Handlers a model can name in `streamHandlers[].name`. */
export const STREAM_HANDLERS: Record<string, StreamHandler> = {
  'cruddur-update-conversations': cruddurUpdateConversations,
}

export function getStreamHandler(model: Model, table: string, name?: string): { name: string; handler: StreamHandler } {
  const spec = model.streamHandlers.find((h) => (name ? h.name === name : h.table === table))
  if (!spec) throw new WorkbenchError('stream.unavailable', `the model has no stream handler${name ? ` "${name}"` : ` for table ${table}`}`, { table, name })
  const handler = STREAM_HANDLERS[spec.name]
  if (!handler) throw new WorkbenchError('stream.unavailable', `no implementation for stream handler "${spec.name}"`, { name: spec.name })
  return { name: spec.name, handler }
}

/** Plain-JSON view of a DynamoDB Streams record. */
export function toRecordView(r: StreamsRecord, shardId?: string): StreamRecordView {
  // The Streams client's AttributeValue is the same wire shape as DynamoDB's; toRow only reads it.
  const image = (x: unknown) => (x ? toRow(x as Parameters<typeof toRow>[0]) : undefined)
  return {
    eventId: r.eventID ?? '',
    eventName: (r.eventName ?? 'INSERT') as StreamRecordView['eventName'],
    sequenceNumber: r.dynamodb?.SequenceNumber ?? '',
    shardId,
    approximateCreationDateTime: r.dynamodb?.ApproximateCreationDateTime?.toISOString(),
    keys: image(r.dynamodb?.Keys) ?? {},
    newImage: image(r.dynamodb?.NewImage),
    oldImage: image(r.dynamodb?.OldImage),
  }
}

/** A synthetic INSERT record for an item, for endpoints without streams (direct mode). */
export function recordFromItem(item: Record<string, unknown>, keyAttributes: string[], n = 0): StreamRecordView {
  const keys: Record<string, unknown> = {}
  for (const k of keyAttributes) keys[k] = item[k]
  return { eventId: `direct-${n}`, eventName: 'INSERT', sequenceNumber: `direct-${n}`, keys, newImage: item }
}

/** The table's latest stream ARN (DescribeTable), falling back to ListStreams. */
export async function getStreamArn(ddb: DynamoDBClient, streams: DynamoDBStreamsClient, table: string): Promise<string> {
  let arn: string | undefined
  try {
    const t = await ddb.send(new DescribeTableCommand({ TableName: table }))
    if (t.Table?.StreamSpecification?.StreamEnabled) arn = t.Table.LatestStreamArn
  } catch (err) {
    throw toWorkbenchError(err, { table })
  }
  if (!arn) {
    try {
      const list = await streams.send(new ListStreamsCommand({ TableName: table }))
      arn = list.Streams?.[list.Streams.length - 1]?.StreamArn
    } catch (err) {
      const e = toWorkbenchError(err, { table })
      throw new WorkbenchError('stream.unavailable', `cannot list streams of ${table}: ${e.message}`, { ...e.details, table })
    }
  }
  if (!arn) throw new WorkbenchError('stream.unavailable', `table ${table} has no stream enabled`, { table })
  return arn
}

/** Where a reader has got to: per shard, the last sequence number it returned (null: none yet, start at its beginning). */
export interface StreamCheckpoint {
  streamArn: string
  shards: Record<string, string | null>
}

interface ShardState {
  shard: Shard
  iterator?: string
  /** No more records will ever come from this shard. */
  done: boolean
}

/**
 * Reads a stream through the DynamoDB Streams API (DescribeStream → GetShardIterator → GetRecords) across all
 * shards, picking up new shards as they appear.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html
 */
export class StreamReader {
  private readonly shards = new Map<string, ShardState>()
  private readonly last = new Map<string, string | null>()
  private started = false

  constructor(
    private readonly streams: DynamoDBStreamsClient,
    readonly streamArn: string,
    private readonly from: 'trim_horizon' | 'latest' | StreamCheckpoint = 'trim_horizon',
  ) {
    if (typeof from === 'object') for (const [id, seq] of Object.entries(from.shards)) this.last.set(id, seq)
  }

  checkpoint(): StreamCheckpoint {
    return { streamArn: this.streamArn, shards: Object.fromEntries(this.last) }
  }

  private async describeShards(): Promise<Shard[]> {
    const out: Shard[] = []
    let start: string | undefined
    do {
      try {
        const d = await this.streams.send(new DescribeStreamCommand({ StreamArn: this.streamArn, ExclusiveStartShardId: start }))
        out.push(...(d.StreamDescription?.Shards ?? []))
        start = d.StreamDescription?.LastEvaluatedShardId
      } catch (err) {
        throw toWorkbenchError(err, { streamArn: this.streamArn })
      }
    } while (start)
    return out
  }

  private async iteratorFor(shard: Shard, initial: boolean): Promise<string | undefined> {
    const id = shard.ShardId!
    const seq = this.last.get(id)
    let type: ShardIteratorType
    if (seq) type = 'AFTER_SEQUENCE_NUMBER'
    else if (initial && this.from === 'latest') type = 'LATEST'
    else type = 'TRIM_HORIZON'
    try {
      const r = await this.streams.send(
        new GetShardIteratorCommand({
          StreamArn: this.streamArn,
          ShardId: id,
          ShardIteratorType: type,
          ...(seq ? { SequenceNumber: seq } : {}),
        }),
      )
      return r.ShardIterator
    } catch (err) {
      throw toWorkbenchError(err, { streamArn: this.streamArn, shardId: id })
    }
  }

  /** Refreshes the shard list; new shards start at their beginning (or at LATEST on the very first call). */
  private async refreshShards(): Promise<void> {
    const initial = !this.started
    this.started = true
    for (const shard of await this.describeShards()) {
      const id = shard.ShardId!
      if (this.shards.has(id)) continue
      // With `latest`, closed shards hold only history: nothing to read.
      const closed = shard.SequenceNumberRange?.EndingSequenceNumber !== undefined
      if (initial && this.from === 'latest' && closed) {
        this.shards.set(id, { shard, done: true })
        continue
      }
      if (!this.last.has(id)) this.last.set(id, null)
      this.shards.set(id, { shard, done: false, iterator: await this.iteratorFor(shard, initial) })
    }
  }

  /** Opens iterators without reading (so a `latest` reader sees only what is written after this call). */
  async open(): Promise<this> {
    await this.refreshShards()
    return this
  }

  /** One round over every shard, reading until each open shard is caught up. */
  async poll(): Promise<StreamRecordView[]> {
    await this.refreshShards()
    const out: StreamRecordView[] = []
    // Parents before children (by depth in the lineage), so a key's records stay in order across a shard split.
    const depth = (state: ShardState): number => {
      let d = 0
      for (let p = state.shard.ParentShardId; p && this.shards.has(p) && d < 10_000; p = this.shards.get(p)!.shard.ParentShardId) d++
      return d
    }
    const ordered = [...this.shards.values()].map((st) => ({ st, d: depth(st) })).sort((a, b) => a.d - b.d).map((x) => x.st)
    for (const state of ordered) {
      const id = state.shard.ShardId!
      while (!state.done && state.iterator) {
        let page
        try {
          page = await this.streams.send(new GetRecordsCommand({ ShardIterator: state.iterator, Limit: 1000 }))
        } catch (err) {
          const e = toWorkbenchError(err, { shardId: id })
          if (e.details?.dynamodbError === 'ExpiredIteratorException') {
            state.iterator = await this.iteratorFor(state.shard, false)
            continue
          }
          if (e.details?.dynamodbError === 'TrimmedDataAccessException') {
            this.last.set(id, null)
            state.iterator = await this.iteratorFor(state.shard, false)
            continue
          }
          throw e
        }
        const records = page.Records ?? []
        for (const r of records) {
          const view = toRecordView(r, id)
          out.push(view)
          this.last.set(id, view.sequenceNumber)
        }
        state.iterator = page.NextShardIterator
        if (!state.iterator) state.done = true
        if (records.length === 0) break
      }
    }
    return out
  }
}

export interface StreamClients {
  ddb: DynamoDBClient
  streams: DynamoDBStreamsClient
}

export interface ProcessOptions {
  from?: 'trim_horizon' | 'latest' | StreamCheckpoint
  /** Keep polling until the signal aborts. */
  follow?: boolean
  signal?: AbortSignal
  pollIntervalMs?: number
  handlerName?: string
  /** Run no handler: only report the records (a stream viewer). */
  readOnly?: boolean
  transactions?: HandlerContext['transactions']
  onBatch?: (batch: { records: StreamRecordView[]; reports: RecordReport[] }) => void
}

const abortableSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve()
    const t = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true })
  })

/**
 * Reads a table's stream and runs the model's handler on each batch, reporting the steps per record. Without
 * `follow` it stops once the stream is caught up; with `follow` it polls until `signal` aborts.
 */
export async function processStream(
  clients: StreamClients,
  model: Model,
  table: string,
  options: ProcessOptions = {},
): Promise<{ reports: RecordReport[]; records: StreamRecordView[]; checkpoint: StreamCheckpoint }> {
  const handler = options.readOnly ? undefined : getStreamHandler(model, table, options.handlerName)
  const arn = await getStreamArn(clients.ddb, clients.streams, table)
  const reader = new StreamReader(clients.streams, arn, options.from ?? 'trim_horizon')
  const ctx: HandlerContext = { client: clients.ddb, model, table, transactions: options.transactions ?? 'auto' }
  const reports: RecordReport[] = []
  const records: StreamRecordView[] = []
  for (;;) {
    if (options.signal?.aborted) break
    const batch = await reader.poll()
    if (batch.length) {
      records.push(...batch)
      const batchReports = handler ? await handler.handler(batch, ctx) : batch.map((record) => ({ record, steps: [] }))
      reports.push(...batchReports)
      options.onBatch?.({ records: batch, reports: batchReports })
      continue
    }
    if (!options.follow) break
    await abortableSleep(options.pollIntervalMs ?? 500, options.signal)
  }
  return { reports, records, checkpoint: reader.checkpoint() }
}

/**
 * Polls a reader until a record matching `found` arrives (stream delivery is asynchronous), returning every
 * record read meanwhile. Gives up after `maxPolls` with 'stream.unavailable'.
 */
export async function pollUntilRecord(
  reader: StreamReader,
  found: (r: StreamRecordView) => boolean,
  maxPolls = 20,
  intervalMs = 250,
): Promise<StreamRecordView[]> {
  const seen: StreamRecordView[] = []
  for (let i = 0; i < maxPolls; i++) {
    const batch = await reader.poll()
    seen.push(...batch)
    if (batch.some(found)) return seen
    await abortableSleep(intervalMs)
  }
  throw new WorkbenchError('stream.unavailable', `the expected record did not appear on the stream after ${maxPolls} polls`, {
    streamArn: reader.streamArn,
    recordsSeen: seen.length,
  })
}

/** Opens a reader at the stream's current end, so a later processStream({ from: checkpoint }) sees only new writes. */
export async function streamCheckpointAtEnd(clients: StreamClients, table: string): Promise<StreamCheckpoint> {
  const arn = await getStreamArn(clients.ddb, clients.streams, table)
  const reader = new StreamReader(clients.streams, arn, 'trim_horizon')
  await reader.poll()
  return reader.checkpoint()
}

/**
 * Direct mode for endpoints without streams: applies the handler in-process to items as if each had just been
 * inserted.
 */
export async function applyHandlerDirect(
  client: DynamoDBClient,
  model: Model,
  table: string,
  items: Record<string, unknown>[],
  options: { handlerName?: string; transactions?: HandlerContext['transactions'] } = {},
): Promise<RecordReport[]> {
  const { handler } = getStreamHandler(model, table, options.handlerName)
  const spec = model.tables.find((t) => t.name === table)
  if (!spec) throw new WorkbenchError('table.notFound', `the model has no table "${table}"`, { table })
  const records = items.map((item, i) => recordFromItem(item, spec.keySchema.map((k) => k.attributeName), i))
  return handler(records, { client, model, table, transactions: options.transactions ?? 'auto' })
}
