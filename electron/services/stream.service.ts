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
import { toWorkbenchError, WorkbenchError } from './errors'
import type { HandlerLog } from './handlers/handler-runner'
import { invokeBatch, resolveStreamHandler, type HandlerOverrides } from './handlers/invoke'
import { lambdaRecord, syntheticInsert, type LambdaStreamRecord } from './handlers/lambda-event'
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

type Row = Record<string, unknown>

/**
 * One thing a handler did for a record, in order, so the UI can draw a timeline. Read from what the handler's
 * code actually did: each AWS SDK call it made (query, put, delete, transact, …), its console output (`log`; a
 * line starting with `skip:` is drawn as a skip), and how the invocation ended (`error`).
 */
export type HandlerStep =
  | { kind: 'skip'; reason: string; item?: Row }
  | { kind: 'query'; request: unknown; items: Row[] }
  | { kind: 'read'; op: string; request: unknown; items: Row[] }
  | {
      kind: 'transact'
      request: unknown
      writes: { op: 'Put' | 'Delete' | 'Update' | 'ConditionCheck'; table: string; item: Row }[]
    }
  | { kind: 'put'; request: unknown; after: Row }
  | { kind: 'delete'; request: unknown; before: Row }
  | { kind: 'update'; request: unknown; key: Row; after?: Row }
  | { kind: 'write'; op: string; request: unknown }
  | { kind: 'conflict'; detail: string; request?: unknown }
  | { kind: 'fallback'; detail: string }
  | { kind: 'log'; level: string; text: string }
  | { kind: 'error'; detail: string; request?: unknown; location?: string; stack?: string }

export interface RecordReport {
  record: StreamRecordView
  steps: HandlerStep[]
  /** 0 for the first invocation with this record; retries count up. */
  attempt?: number
}

/** 'auto': TransactWriteItems when the connection has them (probed once per client), else not. */
export type TransactionsMode = 'auto' | 'on' | 'off'

export interface HandlerContext {
  client: DynamoDBClient
  model: Model
  table: string
  transactions: TransactionsMode
}

/** The raw Streams record behind each view, for building the Lambda event (DynamoDB JSON as delivered). */
const rawRecords = new WeakMap<StreamRecordView, StreamsRecord>()

export const rawRecordOf = (view: StreamRecordView): StreamsRecord | undefined => rawRecords.get(view)

/** Plain-JSON view of a DynamoDB Streams record. */
export function toRecordView(r: StreamsRecord, shardId?: string): StreamRecordView {
  const view = recordView(r, shardId)
  rawRecords.set(view, r)
  return view
}

function recordView(r: StreamsRecord, shardId?: string): StreamRecordView {
  // The Streams client's AttributeValue is the same wire shape as DynamoDB's; toRow only reads it, numbers exact.
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

/** The table's latest stream ARN (DescribeTable), falling back to ListStreams. */
export async function getStreamArn(
  ddb: DynamoDBClient,
  streams: DynamoDBStreamsClient,
  table: string,
): Promise<string> {
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
      throw new WorkbenchError('stream.unavailable', `cannot list streams of ${table}: ${e.message}`, {
        ...e.details,
        table,
      })
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
        const d = await this.streams.send(
          new DescribeStreamCommand({ StreamArn: this.streamArn, ExclusiveStartShardId: start }),
        )
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
      for (
        let p = state.shard.ParentShardId;
        p && this.shards.has(p) && d < 10_000;
        p = this.shards.get(p)!.shard.ParentShardId
      )
        d++
      return d
    }
    const ordered = [...this.shards.values()]
      .map((st) => ({ st, d: depth(st) }))
      .sort((a, b) => a.d - b.d)
      .map((x) => x.st)
    for (const state of ordered) {
      const id = state.shard.ShardId!
      while (!state.done && state.iterator) {
        let page
        try {
          page = await this.streams.send(
            new GetRecordsCommand({ ShardIterator: state.iterator, Limit: 1000 }),
          )
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
  /** Run this handler module instead of the model's binding. */
  handlerFile?: string
  /** Records per invocation (Lambda's BatchSize); default the handler's, else 100. */
  batchSize?: number
  /** Retries of a failed batch before it is given up (Lambda's MaximumRetryAttempts); default the handler's, else 2. */
  maximumRetryAttempts?: number
  /** Run no handler: only report the records (a stream viewer). */
  readOnly?: boolean
  transactions?: TransactionsMode
  onBatch?: (batch: BatchReport) => void
  /** After each batch is handled (or given up): where a later run should continue. */
  onCheckpoint?: (checkpoint: StreamCheckpoint) => void
}

/** One invocation of the handler with a batch (a retry is another BatchReport). */
export interface BatchReport {
  records: StreamRecordView[]
  reports: RecordReport[]
  shardId?: string | undefined
  attempt: number
  /** success, partial (batchItemFailures: retried from a record), failure (threw, timed out, bad response). */
  outcome: 'success' | 'partial' | 'failure'
  /** The batch failed and has no retries left: like Lambda with MaximumRetryAttempts, it is given up. */
  givenUp: boolean
  error?: string | undefined
  logs: HandlerLog[]
  durationMs: number
  reloaded: boolean
}

export interface ProcessSummary {
  records: number
  batches: number
  invocations: number
  retries: number
  errors: number
  /** Batches that still failed after their last retry. */
  failedBatches: number
}

export interface ProcessResult {
  reports: RecordReport[]
  records: StreamRecordView[]
  checkpoint: StreamCheckpoint
  summary: ProcessSummary
  batches: BatchReport[]
}

const abortableSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve()
    const t = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true })
  })

/** Consecutive records of one shard, at most `size` each: Lambda's batches keep a shard's order. */
function shardBatches(records: StreamRecordView[], size: number): StreamRecordView[][] {
  const out: StreamRecordView[][] = []
  let current: StreamRecordView[] = []
  for (const r of records) {
    if (current.length && (current.length >= size || current[0]!.shardId !== r.shardId)) {
      out.push(current)
      current = []
    }
    current.push(r)
  }
  if (current.length) out.push(current)
  return out
}

/** Lambda-shaped records for views: from the raw Streams record when there is one, else a synthetic INSERT. */
async function lambdaRecords(
  client: DynamoDBClient,
  model: Model,
  table: string,
  views: StreamRecordView[],
  streamArn?: string,
): Promise<{ view: StreamRecordView; lambda: LambdaStreamRecord }[]> {
  const region = await client.config.region()
  const keys =
    model.tables.find((t) => t.name === table)?.keySchema.map((k) => k.attributeName) ??
    Object.keys(views[0]?.keys ?? {})
  return views.map((view, i) => {
    const raw = rawRecordOf(view)
    const lambda =
      raw && streamArn
        ? lambdaRecord(raw, streamArn, region)
        : syntheticInsert(view.newImage ?? view.keys, keys, table, region, i)
    return { view, lambda }
  })
}

/**
 * Reads a table's stream and runs the model's handler (user code, in a worker) the way Lambda's event source
 * mapping does (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html): batches of up to `batchSize` records
 * of one shard, shards parents first so each key's records stay in order; a batch whose handler throws or times
 * out is retried up to `maximumRetryAttempts` times and then given up; a `batchItemFailures` response checkpoints
 * before the lowest failed record and retries from it. Without `follow` it stops once the stream is caught up;
 * with `follow` it polls until `signal` aborts. The checkpoint covers what was handled or given up.
 */
export async function processStream(
  clients: StreamClients,
  model: Model,
  table: string,
  options: ProcessOptions = {},
): Promise<ProcessResult> {
  const overrides: HandlerOverrides = {}
  if (options.handlerFile) overrides.file = options.handlerFile
  if (options.handlerName) overrides.name = options.handlerName
  if (options.batchSize) overrides.batchSize = options.batchSize
  if (options.maximumRetryAttempts !== undefined)
    overrides.maximumRetryAttempts = options.maximumRetryAttempts
  const handler = options.readOnly ? undefined : resolveStreamHandler(model, table, overrides)
  const arn = await getStreamArn(clients.ddb, clients.streams, table)
  // A checkpoint of an older stream of the table (it was re-created since) says nothing about this one.
  const from =
    typeof options.from === 'object' && options.from.streamArn !== arn
      ? 'trim_horizon'
      : (options.from ?? 'trim_horizon')
  const reader = new StreamReader(clients.streams, arn, from)
  await reader.open()
  const done = new Map(Object.entries(reader.checkpoint().shards))
  const result: ProcessResult = {
    reports: [],
    records: [],
    checkpoint: reader.checkpoint(),
    summary: { records: 0, batches: 0, invocations: 0, retries: 0, errors: 0, failedBatches: 0 },
    batches: [],
  }
  const emit = (b: BatchReport) => {
    result.batches.push(b)
    result.reports.push(...b.reports)
    options.onBatch?.(b)
  }
  outer: for (;;) {
    if (options.signal?.aborted) break
    const polled = await reader.poll()
    for (const [id] of Object.entries(reader.checkpoint().shards)) if (!done.has(id)) done.set(id, null)
    if (polled.length === 0) {
      if (!options.follow) break
      await abortableSleep(options.pollIntervalMs ?? 500, options.signal)
      continue
    }
    for (const batch of shardBatches(polled, handler?.batchSize ?? 1000)) {
      if (options.signal?.aborted) break outer
      result.records.push(...batch)
      result.summary.records += batch.length
      result.summary.batches++
      const shardId = batch[0]!.shardId
      if (!handler) {
        emit({
          records: batch,
          reports: batch.map((record) => ({ record, steps: [] })),
          shardId,
          attempt: 0,
          outcome: 'success',
          givenUp: false,
          logs: [],
          durationMs: 0,
          reloaded: false,
        })
      } else {
        let remaining = await lambdaRecords(clients.ddb, model, table, batch, arn)
        for (let attempt = 0; remaining.length; attempt++) {
          const run = await invokeBatch(clients.ddb, handler, remaining, {
            transactions: options.transactions ?? 'auto',
            attempt,
          })
          result.summary.invocations++
          const o = run.outcome
          const givenUp = o.kind !== 'success' && attempt >= handler.maximumRetryAttempts
          if (o.kind !== 'success') result.summary.errors++
          if (givenUp) result.summary.failedBatches++
          emit({
            records: remaining.map((r) => r.view),
            reports: run.reports,
            shardId,
            attempt,
            outcome: o.kind,
            givenUp,
            error:
              o.kind === 'failure'
                ? o.reason
                : o.kind === 'partial'
                  ? `batchItemFailures: retrying from record ${o.retryFrom + 1} of ${remaining.length}`
                  : undefined,
            logs: run.invocation.logs,
            durationMs: run.invocation.durationMs,
            reloaded: run.invocation.reloaded,
          })
          if (o.kind === 'success' || givenUp) break
          const from = o.kind === 'partial' ? o.retryFrom : 0
          const handled = remaining[from - 1]
          if (handled && shardId) done.set(shardId, handled.view.sequenceNumber)
          remaining = remaining.slice(from)
          result.summary.retries++
          if (options.signal?.aborted) break outer
        }
      }
      if (shardId) done.set(shardId, batch[batch.length - 1]!.sequenceNumber)
      options.onCheckpoint?.({ streamArn: arn, shards: Object.fromEntries(done) })
    }
  }
  result.checkpoint = { streamArn: arn, shards: Object.fromEntries(done) }
  return result
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
  throw new WorkbenchError(
    'stream.unavailable',
    `the expected record did not appear on the stream after ${maxPolls} polls`,
    {
      streamArn: reader.streamArn,
      recordsSeen: seen.length,
    },
  )
}

/** Opens a reader at the stream's current end, so a later processStream({ from: checkpoint }) sees only new writes. */
export async function streamCheckpointAtEnd(
  clients: StreamClients,
  table: string,
): Promise<StreamCheckpoint> {
  const arn = await getStreamArn(clients.ddb, clients.streams, table)
  const reader = new StreamReader(clients.streams, arn, 'trim_horizon')
  await reader.poll()
  return reader.checkpoint()
}

/**
 * Runs the table's handler once on records already read (a message's own record, a replay), as one batch:
 * no retries, the outcome reported in the steps.
 */
export async function handleRecords(
  client: DynamoDBClient,
  model: Model,
  table: string,
  records: StreamRecordView[],
  options: { streamArn?: string; handlerName?: string; transactions?: TransactionsMode } = {},
): Promise<RecordReport[]> {
  if (records.length === 0) return []
  const handler = resolveStreamHandler(model, table, options.handlerName ? { name: options.handlerName } : {})
  const batch = await lambdaRecords(client, model, table, records, options.streamArn)
  const run = await invokeBatch(client, handler, batch, { transactions: options.transactions ?? 'auto' })
  return run.reports
}

/**
 * Direct mode for endpoints without streams: runs the handler on items as if each had just been inserted (one
 * batch, Lambda-shaped INSERT records).
 */
export async function applyHandlerDirect(
  client: DynamoDBClient,
  model: Model,
  table: string,
  items: Record<string, unknown>[],
  options: { handlerName?: string; transactions?: TransactionsMode } = {},
): Promise<RecordReport[]> {
  const spec = model.tables.find((t) => t.name === table)
  if (!spec) throw new WorkbenchError('table.notFound', `the model has no table "${table}"`, { table })
  const records = items.map((item, i) =>
    recordFromItem(
      item,
      spec.keySchema.map((k) => k.attributeName),
      i,
    ),
  )
  return handleRecords(client, model, table, records, options)
}

/** A synthetic INSERT record for an item, for endpoints without streams (direct mode). */
export function recordFromItem(
  item: Record<string, unknown>,
  keyAttributes: string[],
  n = 0,
): StreamRecordView {
  const keys: Record<string, unknown> = {}
  for (const k of keyAttributes) keys[k] = item[k]
  return { eventId: `direct-${n}`, eventName: 'INSERT', sequenceNumber: `direct-${n}`, keys, newImage: item }
}
