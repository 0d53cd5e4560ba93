import { randomUUID, randomBytes } from 'node:crypto'
import type { KeySchema, StreamViewType } from './table'
import type { Item } from './types'
import { DynamoError, validation } from './types'
import { itemSizeBytes } from './values'

/** A DynamoDB Streams record, as GetRecords returns it. https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Record.html */
export interface StreamRecord {
  eventID: string
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE'
  eventVersion: string
  eventSource: 'aws:dynamodb'
  awsRegion: string
  dynamodb: {
    ApproximateCreationDateTime: number
    Keys: Item
    NewImage?: Item
    OldImage?: Item
    SequenceNumber: string
    SizeBytes: number
    StreamViewType: StreamViewType
  }
  /**
   * Set on the REMOVE records of items Time to Live deleted. GetRecords names the members as the Streams API's
   * Identity shape does (PrincipalId, Type); Lambda's event records spell them principalId and type.
   * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Identity.html
   */
  userIdentity?: { PrincipalId: 'dynamodb.amazonaws.com'; Type: 'Service' }
}

/** What the in-process subscription delivers: the record, and the stream it was written to (if the table has one). */
export interface ChangeEvent {
  tableName: string
  streamArn: string | undefined
  record: StreamRecord
}

export type ChangeListener = (event: ChangeEvent) => void

export interface StoredRecord {
  seq: number
  at: number
  record: StreamRecord
}

export interface StreamState {
  arn: string
  label: string
  tableName: string
  viewType: StreamViewType
  keySchema: KeySchema
  status: 'ENABLED' | 'DISABLED'
  createdAt: number
  shardId: string
  firstSeq: number
  /** Set when the stream is disabled: the shard is closed at this sequence number. */
  endSeq: number | undefined
  /** Highest sequence number trimmed away by retention (0 when nothing was trimmed). */
  trimmedThrough: number
  records: StoredRecord[]
}

export interface HubMeta {
  seq: number
  streams: Omit<StreamState, 'records'>[]
}

/** Stream records are kept 24 hours. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html */
export const RETENTION_MS = 24 * 60 * 60 * 1000
/** Shard iterators expire 15 minutes after they are returned. */
const ITERATOR_TTL_MS = 15 * 60 * 1000
const SEQ_DIGITS = 21
const MAX_RECORDS_BYTES = 1024 * 1024

export interface ShardFilter {
  Type: 'CHILD_SHARDS'
  ShardId: string
}

export const formatSeq = (n: number) => String(n).padStart(SEQ_DIGITS, '0')

function parseSeq(s: string, member: string): number {
  if (!/^\d{1,40}$/.test(s)) throw validation(`Invalid SequenceNumber: ${member}`)
  return Number(s)
}

function keySchemaWire(s: KeySchema) {
  const out = [{ AttributeName: s.hash, KeyType: 'HASH' }]
  if (s.range !== undefined) out.push({ AttributeName: s.range, KeyType: 'RANGE' })
  return out
}

/** Keeps every stream the engine created (enabled or disabled) and their records; numbers records engine-wide. */
export class StreamHub {
  private readonly streams = new Map<string, StreamState>()
  private seq = 0
  private readonly listeners = new Set<ChangeListener>()

  constructor(
    private readonly region: string,
    private readonly now: () => number,
  ) {}

  reset(): void {
    this.streams.clear()
  }

  /** Told about every record a stream keeps (the durable store logs them). */
  onStored: ((streamArn: string, stored: StoredRecord) => void) | undefined

  /** The durable store's view: every stream but its records, and the engine-wide sequence number. */
  exportMeta(): HubMeta {
    return { seq: this.seq, streams: [...this.streams.values()].map(({ records: _records, ...s }) => s) }
  }

  /** A stream's records as they are now (a copy of the list; the records themselves are never changed). */
  exportRecords(arn: string): StoredRecord[] {
    return this.streams.get(arn)?.records.slice() ?? []
  }

  /** Replaces every stream's state but its records (records of streams that stay are kept). */
  importMeta(meta: HubMeta): void {
    const old = new Map(this.streams)
    this.streams.clear()
    for (const s of meta.streams) this.streams.set(s.arn, { ...s, records: old.get(s.arn)?.records ?? [] })
    this.seq = Math.max(this.seq, meta.seq)
  }

  /** Puts back a logged record; one the stream already holds (replay after a snapshot) is skipped. */
  restoreRecord(arn: string, stored: StoredRecord): void {
    const s = this.streams.get(arn)
    if (!s) return
    const last = s.records[s.records.length - 1]
    if (last !== undefined && last.seq >= stored.seq) return
    s.records.push(stored)
    if (stored.seq > this.seq) this.seq = stored.seq
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Creates a stream for a table and returns its ARN and label (a timestamp, as DynamoDB's). */
  create(
    tableArn: string,
    tableName: string,
    viewType: StreamViewType,
    keySchema: KeySchema,
  ): { arn: string; label: string } {
    const at = this.now()
    let label = new Date(at).toISOString().replace('Z', '')
    // Two streams of one table created in the same millisecond still need distinct ARNs.
    while (this.streams.has(`${tableArn}/stream/${label}`))
      label = new Date(Date.parse(`${label}Z`) + 1).toISOString().replace('Z', '')
    const arn = `${tableArn}/stream/${label}`
    const shardId = `shardId-${String(at).padStart(20, '0')}-${randomBytes(4).toString('hex')}`
    this.streams.set(arn, {
      arn,
      label,
      tableName,
      viewType,
      keySchema,
      status: 'ENABLED',
      createdAt: at,
      shardId,
      firstSeq: this.seq + 1,
      endSeq: undefined,
      trimmedThrough: 0,
      records: [],
    })
    return { arn, label }
  }

  disable(arn: string | undefined): void {
    const s = arn === undefined ? undefined : this.streams.get(arn)
    if (!s || s.status === 'DISABLED') return
    s.status = 'DISABLED'
    s.endSeq = this.seq
  }

  /**
   * Records one change. A write that changes nothing produces no record (DynamoDB writes none either). Listeners are
   * told for every table, with the stream's view type or, for a table without a stream, both images.
   */
  record(
    tableName: string,
    streamArn: string | undefined,
    keySchema: KeySchema,
    oldItem: Item | undefined,
    newItem: Item | undefined,
    userIdentity?: StreamRecord['userIdentity'],
  ): void {
    const stream = streamArn === undefined ? undefined : this.streams.get(streamArn)
    if (!stream && this.listeners.size === 0) return
    const image = (newItem ?? oldItem) as Item
    const keys: Item = { [keySchema.hash]: image[keySchema.hash]! }
    if (keySchema.range !== undefined) keys[keySchema.range] = image[keySchema.range]!
    const viewType = stream?.viewType ?? 'NEW_AND_OLD_IMAGES'
    const at = this.now()
    const seq = ++this.seq
    const dynamodb: StreamRecord['dynamodb'] = {
      // DynamoDB rounds the creation time down to the minute (seconds since the epoch).
      ApproximateCreationDateTime: Math.floor(at / 60_000) * 60,
      Keys: keys,
      SequenceNumber: formatSeq(seq),
      SizeBytes: 0,
      StreamViewType: viewType,
    }
    let size = itemSizeBytes(keys)
    if (newItem && (viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES')) {
      dynamodb.NewImage = newItem
      size += itemSizeBytes(newItem)
    }
    if (oldItem && (viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES')) {
      dynamodb.OldImage = oldItem
      size += itemSizeBytes(oldItem)
    }
    dynamodb.SizeBytes = size
    const record: StreamRecord = {
      eventID: randomUUID(),
      eventName: oldItem === undefined ? 'INSERT' : newItem === undefined ? 'REMOVE' : 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: this.region,
      dynamodb,
    }
    if (userIdentity) record.userIdentity = userIdentity
    if (stream) {
      this.trim(stream, at)
      const stored = { seq, at, record }
      stream.records.push(stored)
      this.onStored?.(stream.arn, stored)
    }
    for (const listener of this.listeners) {
      try {
        listener({ tableName, streamArn: stream?.arn, record })
      } catch {
        // A failing listener must not fail the write that already happened.
      }
    }
  }

  private trim(stream: StreamState, at: number): void {
    const cutoff = at - RETENTION_MS
    let n = 0
    while (n < stream.records.length && (stream.records[n] as StoredRecord).at < cutoff) n++
    if (n > 0) {
      stream.trimmedThrough = (stream.records[n - 1] as StoredRecord).seq
      stream.records.splice(0, n)
    }
  }

  private stream(arn: string): StreamState {
    const s = this.streams.get(arn)
    if (!s)
      throw new DynamoError(
        'ResourceNotFoundException',
        `Requested resource not found: Stream: ${arn} not found`,
      )
    return s
  }

  listStreams(tableName: string | undefined, limit: number | undefined, exclusiveStart: string | undefined) {
    if (limit !== undefined && (limit < 1 || limit > 100)) {
      throw validation(
        `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value ${limit < 1 ? 'greater than or equal to 1' : 'less than or equal to 100'}`,
      )
    }
    let all = [...this.streams.values()].filter((s) => tableName === undefined || s.tableName === tableName)
    if (exclusiveStart !== undefined) {
      const i = all.findIndex((s) => s.arn === exclusiveStart)
      all = i < 0 ? all : all.slice(i + 1)
    }
    const max = limit ?? 100
    const page = all.slice(0, max)
    const out: Record<string, unknown> = {
      Streams: page.map((s) => ({ StreamArn: s.arn, TableName: s.tableName, StreamLabel: s.label })),
    }
    if (all.length > max && page.length > 0) out.LastEvaluatedStreamArn = page[page.length - 1]!.arn
    return out
  }

  /**
   * DescribeStream. Each stream has one shard, which never splits: a page after it (ExclusiveStartShardId) and its
   * children (ShardFilter CHILD_SHARDS) are empty. https://docs.aws.amazon.com/amazondynamodbstreams/latest/APIReference/API_DescribeStream.html
   */
  describeStream(
    arn: string,
    opts: { limit?: number; exclusiveStartShardId?: string; shardFilter?: ShardFilter } = {},
  ) {
    const s = this.stream(arn)
    this.trim(s, this.now())
    const range: Record<string, string> = { StartingSequenceNumber: formatSeq(this.startingSeq(s)) }
    if (s.endSeq !== undefined) range.EndingSequenceNumber = formatSeq(Math.max(s.endSeq, s.firstSeq))
    // Shard ids sort in creation order (a zero-padded timestamp follows "shardId-"), so a start id, known or not,
    // resumes after every shard created up to it, as paging clients expect.
    const after = opts.exclusiveStartShardId
    let shards = [{ ShardId: s.shardId, SequenceNumberRange: range }].filter(
      (sh) => after === undefined || sh.ShardId > after,
    )
    if (opts.shardFilter)
      shards = shards.filter((sh) => sh.ShardId !== s.shardId && opts.shardFilter?.ShardId === s.shardId)
    const page = shards.slice(0, opts.limit ?? 100)
    const description: Record<string, unknown> = {
      StreamArn: s.arn,
      StreamLabel: s.label,
      StreamStatus: s.status,
      StreamViewType: s.viewType,
      CreationRequestDateTime: s.createdAt / 1000,
      TableName: s.tableName,
      KeySchema: keySchemaWire(s.keySchema),
      Shards: page,
    }
    if (shards.length > page.length && page.length > 0)
      description.LastEvaluatedShardId = page[page.length - 1]?.ShardId
    return { StreamDescription: description }
  }

  /** The first sequence number the shard describes: its oldest kept record, or where its next record will go. */
  private startingSeq(s: StreamState): number {
    return s.records[0]?.seq ?? Math.max(s.firstSeq, s.trimmedThrough + 1)
  }

  getShardIterator(arn: string, shardId: string, type: string, sequenceNumber: string | undefined) {
    const s = this.stream(arn)
    if (shardId !== s.shardId) {
      throw new DynamoError('ResourceNotFoundException', 'Shard does not exist')
    }
    this.trim(s, this.now())
    let next: number
    switch (type) {
      case 'TRIM_HORIZON':
        next = this.startingSeq(s)
        break
      case 'LATEST':
        next = (s.endSeq ?? this.seq) + 1
        break
      case 'AT_SEQUENCE_NUMBER':
      case 'AFTER_SEQUENCE_NUMBER': {
        if (sequenceNumber === undefined) {
          throw validation('One or more parameter values were invalid: Invalid SequenceNumber')
        }
        const n = parseSeq(sequenceNumber, sequenceNumber)
        // The starting number DescribeStream gives is in range even while the shard holds no record yet.
        const last = Math.max(s.endSeq ?? this.seq, this.startingSeq(s))
        if (n < s.firstSeq || n > last) {
          throw validation(
            `StartingSequenceNumber ${sequenceNumber} used in GetShardIterator on shard ${s.shardId} is not in the shard's sequence number range`,
          )
        }
        if (n <= s.trimmedThrough) {
          throw new DynamoError(
            'TrimmedDataAccessException',
            'The operation attempted to read past the oldest stream record in a shard.',
          )
        }
        next = type === 'AT_SEQUENCE_NUMBER' ? n : n + 1
        break
      }
      default:
        throw validation(
          `1 validation error detected: Value '${type}' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_SEQUENCE_NUMBER, TRIM_HORIZON]`,
        )
    }
    return { ShardIterator: this.encodeIterator(s, next) }
  }

  private encodeIterator(s: StreamState, next: number): string {
    const payload = Buffer.from(`${s.shardId}|${next}|${this.now()}`).toString('base64')
    return `${s.arn}|001|${payload}`
  }

  getRecords(iterator: string, limit: number | undefined) {
    const parts = iterator.split('|')
    const decoded =
      parts.length === 3
        ? Buffer.from(parts[2] as string, 'base64')
            .toString('utf8')
            .split('|')
        : []
    const s = parts[0] === undefined ? undefined : this.streams.get(parts[0])
    if (
      !s ||
      decoded.length !== 3 ||
      decoded[0] !== s.shardId ||
      !/^\d+$/.test(decoded[1] ?? '') ||
      !/^\d+$/.test(decoded[2] ?? '')
    ) {
      throw validation('Invalid ShardIterator')
    }
    if (limit !== undefined && (limit < 1 || limit > 1000)) {
      throw validation(
        `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value ${limit < 1 ? 'greater than or equal to 1' : 'less than or equal to 1000'}`,
      )
    }
    const issuedAt = Number(decoded[2])
    const now = this.now()
    if (now - issuedAt > ITERATOR_TTL_MS) {
      throw new DynamoError(
        'ExpiredIteratorException',
        `Iterator expired. The iterator was created at time ${new Date(issuedAt).toUTCString()} while right now it is ${new Date(now).toUTCString()}. The iterator is only valid for 15 minutes.`,
      )
    }
    this.trim(s, now)
    const next = Number(decoded[1])
    if (next <= s.trimmedThrough) {
      throw new DynamoError(
        'TrimmedDataAccessException',
        'The operation attempted to read past the oldest stream record in a shard.',
      )
    }
    const start = lowerSeq(s.records, next)
    // A page holds up to 1000 records or 1 MB (at least one record), so an answer always stays encodable.
    // https://docs.aws.amazon.com/amazondynamodbstreams/latest/APIReference/API_GetRecords.html
    const page: StoredRecord[] = []
    let bytes = 0
    for (let i = start; i < s.records.length && page.length < (limit ?? 1000); i++) {
      const r = s.records[i] as StoredRecord
      bytes += r.record.dynamodb.SizeBytes
      if (page.length > 0 && bytes > MAX_RECORDS_BYTES) break
      page.push(r)
    }
    const after = page.length > 0 ? (page[page.length - 1] as StoredRecord).seq + 1 : next
    const out: Record<string, unknown> = { Records: page.map((r) => r.record) }
    // A closed shard (stream disabled) ends: no NextShardIterator once every record was read.
    const closedAndDone = s.endSeq !== undefined && after > s.endSeq
    if (!closedAndDone) out.NextShardIterator = this.encodeIterator(s, after)
    return out
  }
}

function lowerSeq(records: StoredRecord[], seq: number): number {
  let lo = 0
  let hi = records.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((records[mid] as StoredRecord).seq < seq) lo = mid + 1
    else hi = mid
  }
  return lo
}
