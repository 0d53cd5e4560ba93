/**
 * Runs the same expression request against DynamoDB Local and against the engine's expression layer (with a tiny
 * in-memory table standing in for the engine core), and returns comparable outcomes.
 */
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb'
import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb'
import type { AttributeValue, Item } from '../../electron/engine/types'
import { DynamoError } from '../../electron/engine/types'
import { compareAttributeValues, itemsEqual, keyString, validateItem } from '../../electron/engine/values'
import {
  applyProjection,
  applyUpdate,
  checkFilterAvoidsKeys,
  compileExpressions,
  evaluateCondition,
  sortKeyMatches,
  toKeyCondition,
} from '../../electron/engine/expressions'

export type Outcome =
  { ok: true; items?: Item[]; item?: Item | null } | { ok: false; type: string; message: string }

export interface Placeholders {
  names?: Record<string, string>
  values?: Record<string, AttributeValue>
}

export type ConfCase =
  | ({ op: 'update'; item?: Item; update?: string; condition?: string } & Placeholders)
  | ({ op: 'put'; item?: Item; put?: Item; condition: string } & Placeholders)
  | ({ op: 'query'; items: Item[]; key: string; filter?: string; projection?: string } & Placeholders)
  | ({ op: 'get'; item: Item; projection: string } & Placeholders)

/**
 * Where DynamoDB Local words an error differently from real DynamoDB, the engine follows real DynamoDB; these
 * rewrite Local's text into the real one before comparing. Each is listed in KNOWN-DIFFERENCES.md.
 */
const LOCAL_TO_REAL: [RegExp, (m: RegExpMatchArray) => string][] = [
  [
    /^(One or more parameter values were invalid: Input collection \[.*\] contains duplicates)$/,
    (m) => `${m[1]}.`,
  ],
  [
    /^DynamoDB only supports precision up to 38 digits$/,
    () => 'Attempting to store more than 38 significant digits in a Number',
  ],
]

/**
 * expr-number-overflow: arithmetic whose result passes 1E+126 is reported by DynamoDB Local as a precision error;
 * real DynamoDB lists "Number overflow" among UpdateItem's failures, and the engine checks magnitude first.
 */
function overflowsByArithmetic(c: ConfCase | undefined): boolean {
  if (c?.op !== 'update' || !/[+-]/.test(c.update ?? '')) return false
  return Object.values(c.values ?? {}).some((v) => 'N' in v && /E\+12[5-9]$/i.test(v.N))
}

export function localToReal(message: string, c?: ConfCase): string {
  if (message === 'DynamoDB only supports precision up to 38 digits' && overflowsByArithmetic(c)) {
    return 'Number overflow. Attempting to store a number with magnitude larger than supported range'
  }
  for (const [re, fix] of LOCAL_TO_REAL) {
    const m = message.match(re)
    if (m) return fix(m)
  }
  return message
}

/** DynamoDB Local leaves out the missing key's name that real DynamoDB gives; the engine gives it. */
const MISSED_KEY = /^Query condition missed key schema element(: \S+)?$/

/** DynamoDB Local names the two paths of an overlap inconsistently (KNOWN-DIFFERENCES.md); compare the rest. */
const PATHS_CLASH =
  /^(Invalid \w+: Two document paths (overlap|conflict) with each other; must remove or rewrite one of these paths;).*$/

function sameMessage(remote: string, local: string, loosePaths: boolean): boolean {
  if (remote === local) return true
  if (MISSED_KEY.test(remote) && MISSED_KEY.test(local))
    return remote === 'Query condition missed key schema element'
  if (loosePaths) {
    const a = remote.match(PATHS_CLASH)
    const b = local.match(PATHS_CLASH)
    return !!a && !!b && a[1] === b[1]
  }
  return false
}

type Sdk = Record<string, SdkAttributeValue>

const toSdkValue = (v: AttributeValue): SdkAttributeValue => {
  if ('B' in v) return { B: Buffer.from(v.B, 'base64') }
  if ('BS' in v) return { BS: v.BS.map((b) => Buffer.from(b, 'base64')) }
  if ('L' in v) return { L: v.L.map(toSdkValue) }
  if ('M' in v) return { M: toSdk(v.M) }
  return v as SdkAttributeValue
}
export const toSdk = (item: Item): Sdk =>
  Object.fromEntries(Object.entries(item).map(([k, v]) => [k, toSdkValue(v)]))

const fromSdkValue = (v: SdkAttributeValue): AttributeValue => {
  if (v.B !== undefined) return { B: Buffer.from(v.B).toString('base64') }
  if (v.BS !== undefined) return { BS: v.BS.map((b) => Buffer.from(b).toString('base64')) }
  if (v.L !== undefined) return { L: v.L.map(fromSdkValue) }
  if (v.M !== undefined) return { M: fromSdk(v.M) }
  const { $unknown: _unknown, ...rest } = v as SdkAttributeValue & { $unknown?: unknown }
  return rest as AttributeValue
}
export const fromSdk = (item: Sdk): Item =>
  Object.fromEntries(Object.entries(item).map(([k, v]) => [k, fromSdkValue(v)]))

export class ConformanceRig {
  readonly client: DynamoDBClient
  /** Table with string hash and range keys, and one with a number range key for key conditions. */
  readonly table: string
  readonly numTable: string
  private seq = 0

  constructor(endpoint: string, prefix: string) {
    this.client = new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'conformance', secretAccessKey: 'conformance' },
    })
    const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`
    this.table = `${prefix}_s_${suffix}`
    this.numTable = `${prefix}_n_${suffix}`
  }

  async setup(): Promise<void> {
    for (const [name, type] of [
      [this.table, 'S'],
      [this.numTable, 'N'],
    ] as const) {
      await this.client.send(
        new CreateTableCommand({
          TableName: name,
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: type },
          ],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      )
    }
  }

  async teardown(): Promise<void> {
    for (const name of [this.table, this.numTable]) {
      await this.client.send(new DeleteTableCommand({ TableName: name })).catch(() => undefined)
    }
    this.client.destroy()
  }

  /** Runs one case on both sides. Each case gets its own partition so cases never see each other's items. */
  async run(c: ConfCase): Promise<{ remote: Outcome; local: Outcome }> {
    const pk = `case${++this.seq}`
    const remote = await this.remote(c, pk)
    const local = this.local(c, pk)
    return { remote, local }
  }

  private tableFor(c: ConfCase): string {
    return c.op === 'query' && c.items.some((i) => i.sk && 'N' in i.sk) ? this.numTable : this.table
  }

  private placeholders(c: Placeholders) {
    return {
      ...(c.names ? { ExpressionAttributeNames: c.names } : {}),
      ...(c.values ? { ExpressionAttributeValues: toSdk(c.values) } : {}),
    }
  }

  private async remote(c: ConfCase, pk: string): Promise<Outcome> {
    const TableName = this.tableFor(c)
    const key = { pk: { S: pk }, sk: { S: 'k' } }
    try {
      switch (c.op) {
        case 'update': {
          if (c.item)
            await this.client.send(new PutItemCommand({ TableName, Item: toSdk({ ...c.item, ...key }) }))
          const r = await this.client.send(
            new UpdateItemCommand({
              TableName,
              Key: key,
              UpdateExpression: c.update,
              ConditionExpression: c.condition,
              ReturnValues: 'ALL_NEW',
              ...this.placeholders(c),
            }),
          )
          return { ok: true, item: r.Attributes ? fromSdk(r.Attributes) : null }
        }
        case 'put': {
          if (c.item)
            await this.client.send(new PutItemCommand({ TableName, Item: toSdk({ ...c.item, ...key }) }))
          await this.client.send(
            new PutItemCommand({
              TableName,
              Item: toSdk({ ...(c.put ?? {}), ...key }),
              ConditionExpression: c.condition,
              ...this.placeholders(c),
            }),
          )
          const r = await this.client.send(new GetItemCommand({ TableName, Key: key, ConsistentRead: true }))
          return { ok: true, item: r.Item ? fromSdk(r.Item) : null }
        }
        case 'get': {
          await this.client.send(new PutItemCommand({ TableName, Item: toSdk({ ...c.item, ...key }) }))
          const r = await this.client.send(
            new GetItemCommand({
              TableName,
              Key: key,
              ProjectionExpression: c.projection,
              ...this.placeholders(c),
            }),
          )
          return { ok: true, item: r.Item ? fromSdk(r.Item) : null }
        }
        case 'query': {
          for (const item of c.items) {
            await this.client.send(new PutItemCommand({ TableName, Item: toSdk({ ...item, pk: { S: pk } }) }))
          }
          const values = c.values ? { ...c.values } : undefined
          const r = await this.client.send(
            new QueryCommand({
              TableName,
              KeyConditionExpression: c.key.replaceAll('$PK', pk),
              FilterExpression: c.filter,
              ProjectionExpression: c.projection,
              ...this.placeholders({ names: c.names, values: values && withPk(values, pk) }),
            }),
          )
          return { ok: true, items: (r.Items ?? []).map(fromSdk) }
        }
      }
    } catch (e) {
      const err = e as Error
      return { ok: false, type: err.name, message: localToReal(err.message, c) }
    }
  }

  private local(c: ConfCase, pk: string): Outcome {
    const key: Item = { pk: { S: pk }, sk: { S: 'k' } }
    try {
      const placeholders = { ExpressionAttributeNames: c.names, ExpressionAttributeValues: c.values }
      switch (c.op) {
        case 'update': {
          const compiled = compileExpressions({
            UpdateExpression: c.update,
            ConditionExpression: c.condition,
            ...placeholders,
            operation: 'UpdateItem',
          })
          const existing = c.item ? validateItem({ ...c.item, ...key }) : undefined
          if (compiled.condition && !evaluateCondition(compiled.condition, existing)) throw conditionFailed()
          const next = compiled.update ? applyUpdate(compiled.update, existing ?? key) : (existing ?? key)
          return { ok: true, item: next }
        }
        case 'put': {
          const compiled = compileExpressions({
            ConditionExpression: c.condition,
            ...placeholders,
            operation: 'PutItem',
          })
          const existing = c.item ? validateItem({ ...c.item, ...key }) : undefined
          if (compiled.condition && !evaluateCondition(compiled.condition, existing)) throw conditionFailed()
          return { ok: true, item: validateItem({ ...(c.put ?? {}), ...key }) }
        }
        case 'get': {
          const compiled = compileExpressions({
            ProjectionExpression: c.projection,
            ...placeholders,
            operation: 'GetItem',
          })
          const item = validateItem({ ...c.item, ...key })
          return { ok: true, item: compiled.projection ? applyProjection(compiled.projection, item) : item }
        }
        case 'query': {
          const compiled = compileExpressions({
            KeyConditionExpression: c.key.replaceAll('$PK', pk),
            FilterExpression: c.filter,
            ProjectionExpression: c.projection,
            ExpressionAttributeNames: c.names,
            ExpressionAttributeValues: c.values && withPk(c.values, pk),
            operation: 'Query',
          })
          const rangeType = this.tableFor(c) === this.numTable ? 'N' : 'S'
          const schema = { hash: 'pk', range: 'sk', hashType: 'S', rangeType } as const
          const kc = toKeyCondition(compiled.keyCondition!, schema)
          if (compiled.filter) checkFilterAvoidsKeys(compiled.filter, schema)
          const items = c.items
            .map((i) => validateItem({ ...i, pk: { S: pk } }))
            .filter((i) => keyString(i.pk!) === keyString(kc.partition.value) && sortKeyMatches(kc, i.sk))
            .sort((a, b) => compareAttributeValues(a.sk!, b.sk!))
            .filter((i) => !compiled.filter || evaluateCondition(compiled.filter, i))
            .map((i) => (compiled.projection ? applyProjection(compiled.projection, i) : i))
          return { ok: true, items }
        }
      }
    } catch (e) {
      if (e instanceof DynamoError) return { ok: false, type: e.type, message: e.message }
      throw e
    }
  }
}

function withPk(values: Record<string, AttributeValue>, pk: string): Record<string, AttributeValue> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, 'S' in v && v.S === '$PK' ? { S: pk } : v]),
  )
}

function conditionFailed(): DynamoError {
  return new DynamoError('ConditionalCheckFailedException', 'The conditional request failed')
}

/** Outcomes agree: same items (sets in any order, numbers by value), or the same error type and message. */
export function sameOutcome(a: Outcome, b: Outcome, opts: { loosePaths?: boolean } = {}): boolean {
  if (a.ok !== b.ok) return false
  if (!a.ok || !b.ok) {
    return !a.ok && !b.ok && a.type === b.type && sameMessage(a.message, b.message, opts.loosePaths ?? false)
  }
  if (a.item !== undefined || b.item !== undefined) {
    if (!a.item || !b.item) return a.item === b.item || (!a.item && !b.item)
    return itemsEqual(a.item, b.item)
  }
  const ai = a.items ?? []
  const bi = b.items ?? []
  return ai.length === bi.length && ai.every((x, i) => itemsEqual(x, bi[i]!))
}
