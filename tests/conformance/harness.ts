/**
 * Differential harness: sends the same DynamoDB request to our engine's HTTP door and to DynamoDB Local 3.3.1,
 * normalises the fields that legitimately differ between two servers (times, ARNs' region/account, request ids,
 * stream labels, shard ids, iterators, sequence number values) and hands back both answers for comparison.
 *
 * Requests go as raw DynamoDB JSON over HTTP (the JSON 1.0 protocol the SDKs speak), so the comparison sees the
 * wire itself: status code, the error's `__type` namespace and message, and every response member, including
 * ones an SDK deserializer would drop. `sendSdk` runs the same comparison through @aws-sdk/client-dynamodb.
 */
import { appendFileSync } from 'node:fs'
import { isDeepStrictEqual } from 'node:util'
import { expect } from 'vitest'
import * as ddb from '@aws-sdk/client-dynamodb'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createEngine, startEngineServer, type Engine, type EngineServer } from '../../electron/engine'
import { asRealDynamoDb } from './known-differences'

export type SideName = 'ours' | 'local'
export type Service = 'DynamoDB' | 'DynamoDBStreams'
export type Json = Record<string, unknown>

/** One answer as it came over the wire. Errors keep `__type` and the message (whatever its key's case). */
export interface Wire {
  status: number
  body: Json
}

export interface Pair {
  ours: Wire
  local: Wire
  /** The operation and the request DynamoDB Local got, for the known-difference rules. */
  op?: string
  localRequest?: Json
}

export type RequestFor = Json | ((side: SideName) => Json)

const TARGET_PREFIX: Record<Service, string> = {
  DynamoDB: 'DynamoDB_20120810',
  DynamoDBStreams: 'DynamoDBStreams_20120810',
}

/** DynamoDB Local refuses requests without an access key id in a SigV4-shaped header; neither side checks it. */
const AUTH =
  'AWS4-HMAC-SHA256 Credential=conformance/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00'

export const STREAM_OPS = new Set(['ListStreams', 'DescribeStream', 'GetShardIterator', 'GetRecords'])

export class Harness {
  private readonly tables = new Set<string>()
  private readonly sdk: Record<SideName, DynamoDBClient>

  private constructor(
    readonly engine: Engine,
    private readonly server: EngineServer,
    readonly endpoints: Record<SideName, string>,
    private readonly prefix: string,
  ) {
    const client = (endpoint: string) =>
      new DynamoDBClient({
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'conformance', secretAccessKey: 'conformance' },
        // Errors must reach the comparison as they are, not retried into something else.
        maxAttempts: 1,
      })
    this.sdk = { ours: client(endpoints.ours), local: client(endpoints.local) }
  }

  /** Starts a fresh engine behind its HTTP door; `localEndpoint` is the shared DynamoDB Local. */
  static async start(localEndpoint: string, prefix: string): Promise<Harness> {
    const engine = createEngine()
    const server = await startEngineServer(engine, { port: 0 })
    const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`
    return new Harness(engine, server, { ours: server.endpoint, local: localEndpoint }, `${prefix}_${suffix}`)
  }

  /** A table name unique to this run (DynamoDB Local is shared by every integration test file). */
  name(base: string): string {
    return `cf_${this.prefix}_${base}`
  }

  /** POSTs one body to one side. */
  async post(
    side: SideName,
    target: string,
    body: string,
    headers: Record<string, string> = {},
  ): Promise<Wire> {
    const res = await fetch(this.endpoints[side], {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': target,
        Authorization: AUTH,
        ...headers,
      },
      body,
    })
    const text = await res.text()
    let parsed: Json
    try {
      parsed = text === '' ? {} : (JSON.parse(text) as Json)
    } catch {
      parsed = { unparsable: text }
    }
    return { status: res.status, body: parsed }
  }

  /** The same raw body to both sides (for malformed requests). */
  async raw(target: string, body: string, headers: Record<string, string> = {}): Promise<Pair> {
    const [ours, local] = await Promise.all([
      this.post('ours', target, body, headers),
      this.post('local', target, body, headers),
    ])
    let localRequest: Json | undefined
    try {
      const parsed: unknown = JSON.parse(body)
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) localRequest = parsed as Json
    } catch {
      localRequest = undefined
    }
    return { ours, local, op: target.slice(target.indexOf('.') + 1), localRequest }
  }

  /** Sends one operation to both sides, one after the other (ours first), and returns both raw answers. */
  async send(
    op: string,
    request: RequestFor,
    service: Service = STREAM_OPS.has(op) ? 'DynamoDBStreams' : 'DynamoDB',
  ): Promise<Pair> {
    const target = `${TARGET_PREFIX[service]}.${op}`
    const body = (side: SideName) => JSON.stringify(typeof request === 'function' ? request(side) : request)
    const ours = await this.post('ours', target, body('ours'))
    const local = await this.post('local', target, body('local'))
    const localRequest = typeof request === 'function' ? request('local') : request
    if (op === 'CreateTable' && typeof localRequest.TableName === 'string')
      this.tables.add(localRequest.TableName)
    return { ours, local, op, localRequest }
  }

  /** Sends to both sides and asserts the normalised answers are equal; returns the pair for follow-up requests. */
  async same(op: string, request: RequestFor, what = op): Promise<Pair> {
    const pair = await this.send(op, request)
    expectSame(pair, what)
    return pair
  }

  /**
   * A Scan followed to its end on each side. DynamoDB documents no order for Scan (it walks partitions in hash
   * order, and DynamoDB Local hashes differently from real DynamoDB), so the pages are compared as one set of
   * items with the totals of Count and ScannedCount; errors are compared as they are (KNOWN-DIFFERENCES.md).
   */
  async scanAll(request: Json, what: string): Promise<void> {
    const run = async (side: SideName) => {
      const items: string[] = []
      let count = 0
      let scanned = 0
      let start: unknown
      for (let page = 0; page < 200; page++) {
        const wire = await this.post(
          side,
          'DynamoDB_20120810.Scan',
          JSON.stringify({ ...request, ...(start ? { ExclusiveStartKey: start } : {}) }),
        )
        if (wire.status !== 200) return normalize(wire)
        for (const item of (wire.body.Items ?? []) as Json[])
          items.push(canonical(normalize({ status: 200, body: item }).body))
        count += Number(wire.body.Count)
        scanned += Number(wire.body.ScannedCount)
        start = wire.body.LastEvaluatedKey
        if (!start) break
      }
      return { status: 200, body: { Items: items.sort(), Count: count, ScannedCount: scanned } }
    }
    const ours = await run('ours')
    const local = await run('local')
    expect(ours, `${what}: ours (left) vs DynamoDB Local (right), as sets`).toEqual(
      local.status === 200 ? local : normalize(asRealDynamoDb(local, 'Scan', request)),
    )
  }

  /**
   * The same comparison through @aws-sdk/client-dynamodb's low-level commands (`${op}Command`), for requests
   * without binary values. Answers drop `$metadata`; errors become { status, name, message }.
   */
  async sendSdk(op: string, input: Json): Promise<{ ours: unknown; local: unknown }> {
    const Command = (ddb as unknown as Record<string, (new (input: Json) => object) | undefined>)[
      `${op}Command`
    ]
    if (!Command) throw new Error(`no SDK command for ${op}`)
    const run = async (side: SideName) => {
      try {
        const out = (await this.sdk[side].send(new Command(input) as never)) as unknown as Json
        const { $metadata: _metadata, ...rest } = datesToEpoch(out) as Json
        if (op === 'CreateTable' && typeof input.TableName === 'string') this.tables.add(input.TableName)
        return { status: 200, body: rest }
      } catch (err) {
        const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } }
        return { status: e.$metadata?.httpStatusCode ?? 0, body: { name: e.name, message: e.message } }
      }
    }
    return {
      ours: normalize(await run('ours')),
      local: normalize(asRealDynamoDb(await run('local'), op, input)),
    }
  }

  /** Deletes every table this harness created, on both sides, and stops the engine's door. */
  async close(): Promise<void> {
    for (const name of this.tables) {
      await this.send('DeleteTable', { TableName: name }).catch(() => undefined)
    }
    for (const c of Object.values(this.sdk)) c.destroy()
    await this.server.close()
  }
}

/** The SDK turns epoch seconds into Dates; back to seconds so one normaliser serves both paths. */
function datesToEpoch(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000
  if (Array.isArray(value)) return value.map(datesToEpoch)
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, datesToEpoch(v)]))
  return value
}

/** JSON with object keys sorted, so equal items give equal strings. */
export function canonical(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
              .map(([k, x]) => [k, sort(x)]),
          )
        : v
  return JSON.stringify(sort(value))
}

/** Asserts both answers are equal once normalised (the message says which request differed). */
export function expectSame(pair: Pair, what: string): void {
  const ours = normalize(pair.ours)
  const local = normalize(asRealDynamoDb(pair.local, pair.op, pair.localRequest))
  // CONFORMANCE_DIFF_LOG=<file> collects every difference as a JSON line, for triage across many failures.
  const log = process.env.CONFORMANCE_DIFF_LOG
  if (log && !isDeepStrictEqual(ours, local))
    appendFileSync(log, `${JSON.stringify({ what, ours, local })}\n`)
  expect(ours, `${what}: ours (left) vs DynamoDB Local, corrected to real DynamoDB (right)`).toEqual(local)
}

const TIME_FIELDS = new Set([
  'CreationDateTime',
  'CreationRequestDateTime',
  'ApproximateCreationDateTime',
  'LastIncreaseDateTime',
  'LastDecreaseDateTime',
  'LastUpdateToPayPerRequestDateTime',
  'InaccessibleEncryptionDateTime',
  'DeletionProtectionEnabledDateTime',
])
const SET_TYPES = new Set(['SS', 'NS', 'BS'])
const UNORDERED: Record<string, string> = {
  // BatchGetItem/BatchWriteItem: one entry per table, in no documented order.
  ConsumedCapacity: 'TableName',
  AttributeDefinitions: 'AttributeName',
  GlobalSecondaryIndexes: 'IndexName',
  LocalSecondaryIndexes: 'IndexName',
}
const sortBy = (list: Json[], field: string) =>
  [...list].sort((a, b) => String(a[field]).localeCompare(String(b[field])))
const SEQUENCE_FIELDS = new Set(['SequenceNumber', 'StartingSequenceNumber', 'EndingSequenceNumber'])
const SHARD_FIELDS = new Set(['ShardId', 'ParentShardId', 'LastEvaluatedShardId'])
const OPAQUE_FIELDS: Record<string, string> = {
  TableId: '<table-id>',
  eventID: '<event-id>',
  awsRegion: '<region>',
  LatestStreamLabel: '<stream-label>',
  StreamLabel: '<stream-label>',
  ShardIterator: '<iterator>',
  NextShardIterator: '<iterator>',
  // PartiQL paging tokens are opaque; tests follow them on each side.
  NextToken: '<next-token>',
}

/**
 * Replaces what two correct servers may legitimately answer differently. Sequence numbers and shard ids keep
 * their order (ranked within the answer), not their values. An error's `Message` and `message` are one field:
 * DynamoDB itself uses both spellings, and the SDKs read either.
 */
export function normalize(wire: Wire): Wire {
  const sequences: string[] = []
  const shards: string[] = []
  collect(wire.body, sequences, shards)
  const seqRank = rank(sequences, (a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0))
  const shardRank = rank(shards, (a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const walk = (value: unknown, key: string | undefined): unknown => {
    if (Array.isArray(value)) return value.map((v) => walk(v, undefined))
    if (value && typeof value === 'object') {
      const out: Json = {}
      for (const [k, v] of Object.entries(value as Json)) {
        const name = k === 'Message' ? 'message' : k
        out[name] = walk(v, k)
        // These lists are sets in DynamoDB's model; DynamoDB Local returns them in hash order.
        if (UNORDERED[k] && Array.isArray(out[name])) out[name] = sortBy(out[name] as Json[], UNORDERED[k])
        // String, number and binary sets have no order. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.SetTypes
        if (SET_TYPES.has(k) && Array.isArray(out[name])) out[name] = [...(out[name] as string[])].sort()
      }
      return out
    }
    if (key !== undefined) {
      if (TIME_FIELDS.has(key) && (typeof value === 'number' || typeof value === 'string')) return '<time>'
      if (key in OPAQUE_FIELDS && typeof value === 'string') return OPAQUE_FIELDS[key]
      if (SEQUENCE_FIELDS.has(key) && typeof value === 'string') return `<seq#${seqRank.get(value)}>`
      if (SHARD_FIELDS.has(key) && typeof value === 'string') return `<shard#${shardRank.get(value)}>`
    }
    if (typeof value === 'string') return normalizeArn(value)
    return value
  }
  return { status: wire.status, body: walk(wire.body, undefined) as Json }
}

/** ARNs differ in region and account (DynamoDB Local: ddblocal/000000000000) and in the stream label. */
export function normalizeArn(s: string): string {
  if (!s.startsWith('arn:aws:dynamodb:')) return s
  return s
    .replace(/^arn:aws:dynamodb:[^:]*:[^:]*:/, 'arn:aws:dynamodb:<region>:<account>:')
    .replace(/\/stream\/[^/]+/, '/stream/<label>')
}

function collect(value: unknown, sequences: string[], shards: string[]): void {
  if (Array.isArray(value)) {
    for (const v of value) collect(v, sequences, shards)
    return
  }
  if (!value || typeof value !== 'object') return
  for (const [k, v] of Object.entries(value as Json)) {
    if (SEQUENCE_FIELDS.has(k) && typeof v === 'string' && /^\d+$/.test(v)) sequences.push(v)
    else if (SHARD_FIELDS.has(k) && typeof v === 'string') shards.push(v)
    else collect(v, sequences, shards)
  }
}

function rank(values: string[], cmp: (a: string, b: string) => number): Map<string, number> {
  const sorted = [...new Set(values)].sort(cmp)
  return new Map(sorted.map((v, i) => [v, i]))
}

/** The error type without its namespace (`com.amazonaws.dynamodb.v20120810#X` → `X`). */
export function errorName(wire: Wire): string | undefined {
  const t = wire.body.__type
  return typeof t === 'string' ? t.slice(t.indexOf('#') + 1) : undefined
}

export function errorMessage(wire: Wire): string | undefined {
  const m = wire.body.message ?? wire.body.Message
  return typeof m === 'string' ? m : undefined
}

// ---------- request builders shared by the test files ----------

export const S = (value: string) => ({ S: value })
export const N = (value: string | number) => ({ N: String(value) })
export const B = (bytes: number[] | Buffer) => ({ B: Buffer.from(bytes).toString('base64') })

/** pk/sk (S/S) table with a GSI (gpk/gsk, ALL) and an LSI (lsk N, KEYS_ONLY). */
export function singleTable(name: string, extra: Json = {}): Json {
  return {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'gpk', AttributeType: 'S' },
      { AttributeName: 'gsk', AttributeType: 'S' },
      { AttributeName: 'lsk', AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'gsi',
        KeySchema: [
          { AttributeName: 'gpk', KeyType: 'HASH' },
          { AttributeName: 'gsk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: 'lsi',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'lsk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
    BillingMode: 'PAY_PER_REQUEST',
    ...extra,
  }
}

/** A table with one key (hash only, or hash + range) of the given types. */
export function keyTable(
  name: string,
  hash: 'S' | 'N' | 'B',
  range?: 'S' | 'N' | 'B',
  extra: Json = {},
): Json {
  return {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'h', AttributeType: hash },
      ...(range ? [{ AttributeName: 'r', AttributeType: range }] : []),
    ],
    KeySchema: [
      { AttributeName: 'h', KeyType: 'HASH' },
      ...(range ? [{ AttributeName: 'r', KeyType: 'RANGE' }] : []),
    ],
    BillingMode: 'PAY_PER_REQUEST',
    ...extra,
  }
}
