import {
  DeleteItemCommand,
  DescribeTableCommand,
  ExecuteStatementCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type ConsumedCapacity,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb'
import type { OperationResult, OperationSpec } from '../../shared/contract/channels/operations'
import type { ItemJson } from '../../shared/contract/channels/workbench'
import { toWorkbenchError, WorkbenchError } from './errors'
import { fromRow, itemFromJson, itemToJson, parseRowsText, type Row } from './item-json'

type Spec = OperationSpec
type Input = Record<string, unknown>
type Filter = NonNullable<Spec['filters']>[number]

const invalid = (message: string, details?: Record<string, unknown>) =>
  new WorkbenchError('input.invalid', message, details)

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/** A typed value for one attribute, as DynamoDB would store it. */
function typedValue(text: string, type: 'S' | 'N' | 'B' | 'BOOL' | 'NULL', what: string): AttributeValue {
  switch (type) {
    case 'N':
      if (!NUMBER.test(text.trim())) throw invalid(`${what}: "${text}" is not a number`)
      return { N: text.trim() }
    case 'B':
      return { B: Uint8Array.from(Buffer.from(text, 'base64')) }
    case 'BOOL':
      if (!/^(true|false)$/i.test(text.trim())) throw invalid(`${what}: "${text}" is not true or false`)
      return { BOOL: /^true$/i.test(text.trim()) }
    case 'NULL':
      return { NULL: true }
    default:
      return { S: text }
  }
}

/** Plain JSON text the user typed → an AttributeValue map (numbers exact). */
function itemFromText(text: string | undefined, what: string): Record<string, AttributeValue> {
  if (text === undefined || !text.trim())
    throw invalid(`${what} is empty: give it as JSON, e.g. {"pk": "A#1"}`)
  let value: unknown
  try {
    value = parseRowsText(text)
  } catch (err) {
    throw invalid(`${what} is not JSON: ${(err as Error).message}`)
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw invalid(`${what} must be a JSON object of attribute → value`)
  return fromRow(value as Row, true)
}

interface Placeholders {
  names: Record<string, string>
  values: Record<string, AttributeValue>
  name(attribute: string): string
  value(v: AttributeValue): string
}

function placeholders(): Placeholders {
  const names: Record<string, string> = {}
  const values: Record<string, AttributeValue> = {}
  const byName = new Map<string, string>()
  return {
    names,
    values,
    name(attribute) {
      let p = byName.get(attribute)
      if (!p) {
        p = `#n${byName.size}`
        byName.set(attribute, p)
        names[p] = attribute
      }
      return p
    },
    value(v) {
      const p = `:v${Object.keys(values).length}`
      values[p] = v
      return p
    },
  }
}

/** Filter rows (ANDed) → an expression; also used as the condition of writes. */
function filterExpression(rows: Filter[] | undefined, ph: Placeholders): string | undefined {
  if (!rows?.length) return undefined
  return rows
    .map((r, i) => {
      const what = `filter row ${i + 1} (${r.attribute})`
      const a = ph.name(r.attribute)
      const v = () => ph.value(typedValue(r.value ?? '', r.type ?? 'S', what))
      switch (r.operator) {
        case 'attribute_exists':
        case 'attribute_not_exists':
          return `${r.operator}(${a})`
        case 'begins_with':
        case 'contains':
          return `${r.operator}(${a}, ${v()})`
        case 'BETWEEN': {
          if (r.value2 === undefined) throw invalid(`${what}: BETWEEN needs two values`)
          const lo = v()
          const hi = ph.value(typedValue(r.value2, r.type ?? 'S', what))
          return `${a} BETWEEN ${lo} AND ${hi}`
        }
        default:
          return `${a} ${r.operator} ${v()}`
      }
    })
    .join(' AND ')
}

function projectionExpression(attrs: string[] | undefined, ph: Placeholders): string | undefined {
  return attrs?.length ? attrs.map((a) => ph.name(a)).join(', ') : undefined
}

/** `#name` in a user's expression stands for the attribute of that name (the pattern builder's rule). */
function namesIn(expression: string, ph: Placeholders): string {
  return expression.replace(/#([A-Za-z0-9_]+)/g, (_, attr: string) => ph.name(attr))
}

function withPlaceholders(input: Input, ph: Placeholders): Input {
  if (Object.keys(ph.names).length) input.ExpressionAttributeNames = ph.names
  if (Object.keys(ph.values).length) input.ExpressionAttributeValues = ph.values
  return input
}

interface KeyShape {
  hash: { name: string; type: 'S' | 'N' | 'B' }
  range?: { name: string; type: 'S' | 'N' | 'B' }
}

/** The table's (or index's) key attributes and their types, from DescribeTable. */
export function keyShape(table: TableDescription, index?: string): KeyShape {
  const schema = index
    ? [...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])].find(
        (x) => x.IndexName === index,
      )?.KeySchema
    : table.KeySchema
  if (!schema)
    throw new WorkbenchError('table.notFound', `table ${table.TableName} has no index "${index}"`, {
      table: table.TableName,
      index,
    })
  const type = (n: string) =>
    (table.AttributeDefinitions?.find((d) => d.AttributeName === n)?.AttributeType ?? 'S') as 'S' | 'N' | 'B'
  // Multi-attribute GSI keys have several HASH elements; the builder's single value goes to the first.
  const hash = schema.find((k) => k.KeyType === 'HASH')!.AttributeName!
  const range = schema.find((k) => k.KeyType === 'RANGE')?.AttributeName
  return {
    hash: { name: hash, type: type(hash) },
    ...(range ? { range: { name: range, type: type(range) } } : {}),
  }
}

/**
 * The low-level request for a spec: the SDK command name and its input, exactly as it will be sent. Query needs
 * the table's description for its key names and types.
 */
export function buildOperation(spec: Spec, describe?: TableDescription): { operation: string; input: Input } {
  const ph = placeholders()
  const table = spec.table
  if (spec.operation !== 'PartiQL' && !table) throw invalid(`${spec.operation} needs a table`)
  const common = (input: Input) => withPlaceholders({ ...input, ReturnConsumedCapacity: 'TOTAL' }, ph)
  switch (spec.operation) {
    case 'Query': {
      if (!describe) throw invalid('Query needs the table description')
      const keys = keyShape(describe, spec.index)
      if (spec.partitionValue === undefined || spec.partitionValue === '')
        throw invalid(`Query needs a value for the partition key ${keys.hash.name}`)
      let condition = `${ph.name(keys.hash.name)} = ${ph.value(typedValue(spec.partitionValue, keys.hash.type, keys.hash.name))}`
      if (spec.sortOperator) {
        if (!keys.range) throw invalid(`${spec.index ?? table} has no sort key to put a condition on`)
        const r = keys.range
        const sk = ph.name(r.name)
        const v = (text: string | undefined) => {
          if (text === undefined || text === '')
            throw invalid(`the sort key condition on ${r.name} needs a value`)
          return ph.value(typedValue(text, r.type, r.name))
        }
        condition +=
          spec.sortOperator === 'BETWEEN'
            ? ` AND ${sk} BETWEEN ${v(spec.sortValue)} AND ${v(spec.sortValue2)}`
            : spec.sortOperator === 'begins_with'
              ? ` AND begins_with(${sk}, ${v(spec.sortValue)})`
              : ` AND ${sk} ${spec.sortOperator} ${v(spec.sortValue)}`
      }
      const filter = filterExpression(spec.filters, ph)
      const projection = projectionExpression(spec.projection, ph)
      return {
        operation: 'Query',
        input: common({
          TableName: table,
          ...(spec.index ? { IndexName: spec.index } : {}),
          KeyConditionExpression: condition,
          ...(filter ? { FilterExpression: filter } : {}),
          ...(projection ? { ProjectionExpression: projection } : {}),
          ...(spec.direction === 'desc' ? { ScanIndexForward: false } : {}),
          ...(spec.limit ? { Limit: spec.limit } : {}),
          ...(spec.consistentRead ? { ConsistentRead: true } : {}),
        }),
      }
    }
    case 'Scan': {
      const filter = filterExpression(spec.filters, ph)
      const projection = projectionExpression(spec.projection, ph)
      if ((spec.segment === undefined) !== (spec.totalSegments === undefined))
        throw invalid('a parallel Scan needs both segment and total segments')
      if (spec.segment !== undefined && spec.segment >= spec.totalSegments!)
        throw invalid(`segment ${spec.segment} is not below total segments ${spec.totalSegments}`)
      return {
        operation: 'Scan',
        input: common({
          TableName: table,
          ...(spec.index ? { IndexName: spec.index } : {}),
          ...(filter ? { FilterExpression: filter } : {}),
          ...(projection ? { ProjectionExpression: projection } : {}),
          ...(spec.limit ? { Limit: spec.limit } : {}),
          ...(spec.consistentRead ? { ConsistentRead: true } : {}),
          ...(spec.segment !== undefined ? { Segment: spec.segment, TotalSegments: spec.totalSegments } : {}),
        }),
      }
    }
    case 'GetItem': {
      const projection = projectionExpression(spec.projection, ph)
      return {
        operation: 'GetItem',
        input: common({
          TableName: table,
          Key: itemFromText(spec.key, 'the key'),
          ...(projection ? { ProjectionExpression: projection } : {}),
          ...(spec.consistentRead ? { ConsistentRead: true } : {}),
        }),
      }
    }
    case 'PutItem':
    case 'DeleteItem':
    case 'UpdateItem':
    case 'ConditionCheck': {
      const keyOrItem =
        spec.operation === 'PutItem'
          ? { Item: itemFromText(spec.item, 'the item') }
          : { Key: itemFromText(spec.key, 'the key') }
      let update: string | undefined
      if (spec.operation === 'UpdateItem') {
        if (!spec.update?.trim())
          throw invalid('UpdateItem needs an update expression, e.g. SET #status = :s')
        update = namesIn(spec.update, ph)
        if (spec.values?.trim()) Object.assign(ph.values, itemFromText(spec.values, 'the update values'))
        for (const m of update.matchAll(/:[A-Za-z0-9_]+/g))
          if (!(m[0] in ph.values)) throw invalid(`${m[0]} has no value: give it in the update values`)
      }
      const condition = filterExpression(spec.filters, ph)
      if (spec.operation === 'ConditionCheck') {
        if (!condition) throw invalid('ConditionCheck needs a condition (one or more condition rows)')
        // ConditionCheck exists only inside a transaction: one TransactWriteItems of one action.
        return {
          operation: 'TransactWriteItems',
          input: {
            TransactItems: [
              {
                ConditionCheck: withPlaceholders(
                  { TableName: table, ...keyOrItem, ConditionExpression: condition },
                  ph,
                ),
              },
            ],
            ReturnConsumedCapacity: 'TOTAL',
          },
        }
      }
      return {
        operation: spec.operation,
        input: common({
          TableName: table,
          ...keyOrItem,
          ...(update ? { UpdateExpression: update } : {}),
          ...(condition ? { ConditionExpression: condition } : {}),
          ...(spec.operation === 'UpdateItem' ? { ReturnValues: 'ALL_NEW' } : {}),
          ...(spec.operation === 'DeleteItem' ? { ReturnValues: 'ALL_OLD' } : {}),
        }),
      }
    }
    case 'PartiQL': {
      if (!spec.statement?.trim())
        throw invalid('PartiQL needs a statement, e.g. SELECT * FROM "table" WHERE pk = ?')
      let parameters: AttributeValue[] | undefined
      if (spec.parameters?.trim()) {
        let list: unknown
        try {
          list = parseRowsText(spec.parameters)
        } catch (err) {
          throw invalid(`the parameters are not JSON: ${(err as Error).message}`)
        }
        if (!Array.isArray(list)) throw invalid('the parameters are a JSON array, one value per ?')
        parameters = list.map((v, i) => fromRow({ [`p${i}`]: v }, true)[`p${i}`]!)
      }
      return {
        operation: 'ExecuteStatement',
        input: {
          Statement: spec.statement,
          ...(parameters?.length ? { Parameters: parameters } : {}),
          ...(spec.consistentRead ? { ConsistentRead: true } : {}),
          ...(spec.limit ? { Limit: spec.limit } : {}),
          ReturnConsumedCapacity: 'TOTAL',
        },
      }
    }
  }
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`

function partiqlLiteral(v: AttributeValue): string {
  if (v.S !== undefined) return `'${v.S.replace(/'/g, "''")}'`
  if (v.N !== undefined) return v.N
  if (v.BOOL !== undefined) return String(v.BOOL)
  if (v.NULL) return 'NULL'
  return '?'
}

/**
 * The same read as a PartiQL SELECT, for the code view: DynamoDB runs a SELECT whose WHERE fixes the partition key
 * as a Query (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.select.html).
 */
export function toPartiQL(
  request: { operation: string; input: Input },
  sortKey?: string,
): string | undefined {
  const i = request.input
  if (!['Query', 'Scan', 'GetItem'].includes(request.operation)) return undefined
  const names = (i.ExpressionAttributeNames ?? {}) as Record<string, string>
  const values = (i.ExpressionAttributeValues ?? {}) as Record<string, AttributeValue>
  const rewrite = (expr: string) =>
    expr
      .replace(/#[A-Za-z0-9_]+/g, (m) => quote(names[m] ?? m.slice(1)))
      .replace(/:[A-Za-z0-9_]+/g, (m) => (values[m] ? partiqlLiteral(values[m]) : m))
      .replace(/attribute_exists\(([^)]+)\)/g, '$1 IS NOT MISSING')
      .replace(/attribute_not_exists\(([^)]+)\)/g, '$1 IS MISSING')
  const from = `${quote(String(i.TableName))}${i.IndexName ? `.${quote(String(i.IndexName))}` : ''}`
  const what = i.ProjectionExpression ? rewrite(String(i.ProjectionExpression)) : '*'
  const where: string[] = []
  if (request.operation === 'GetItem')
    for (const [k, v] of Object.entries(i.Key as Record<string, AttributeValue>))
      where.push(`${quote(k)} = ${partiqlLiteral(v)}`)
  if (i.KeyConditionExpression) where.push(rewrite(String(i.KeyConditionExpression)))
  if (i.FilterExpression) where.push(rewrite(String(i.FilterExpression)))
  let text = `SELECT ${what} FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`
  // ORDER BY names the sort key: a descending Query is `ORDER BY <sort key> DESC`.
  if (i.ScanIndexForward === false && sortKey) text += ` ORDER BY ${quote(sortKey)} DESC`
  return text
}

const units = (c: ConsumedCapacity | ConsumedCapacity[] | undefined) =>
  c === undefined ? undefined : (Array.isArray(c) ? c : [c]).reduce((n, x) => n + (x.CapacityUnits ?? 0), 0)

/**
 * Runs one ad-hoc operation (one page of a Query, Scan or PartiQL SELECT) and returns its items as DynamoDB JSON,
 * the page's continuation, the consumed capacity and the exact request. On a read-only connection the client's
 * write guard refuses writes before they are sent.
 */
export async function runOperation(
  client: DynamoDBClient,
  spec: Spec,
  page: { exclusiveStartKey?: ItemJson; nextToken?: string } = {},
  /** How a Query learns its key names and types; the handler passes one that reuses a run's description. */
  describeTable: (table: string) => Promise<TableDescription | undefined> = async (table) =>
    (await client.send(new DescribeTableCommand({ TableName: table }))).Table,
): Promise<OperationResult> {
  const started = performance.now()
  try {
    let describe: TableDescription | undefined
    if (spec.operation === 'Query' && spec.table) describe = await describeTable(spec.table)
    const request = buildOperation(spec, describe)
    const input = { ...request.input }
    if (page.exclusiveStartKey) input.ExclusiveStartKey = itemFromJson(page.exclusiveStartKey)
    if (page.nextToken) input.NextToken = page.nextToken
    const items = (list: Record<string, AttributeValue>[] | undefined) => (list ?? []).map(itemToJson)
    const done = (r: Omit<OperationResult, 'request' | 'elapsedMs' | 'partiql'>): OperationResult => {
      const partiql = toPartiQL(request, describe ? keyShape(describe, spec.index).range?.name : undefined)
      return {
        request: { operation: request.operation, input },
        ...r,
        ...(partiql ? { partiql } : {}),
        elapsedMs: performance.now() - started,
      }
    }
    switch (request.operation) {
      case 'Query':
      case 'Scan': {
        const out = await client.send(
          request.operation === 'Query' ? new QueryCommand(input as never) : new ScanCommand(input as never),
        )
        return done({
          items: items(out.Items),
          count: out.Count ?? 0,
          scannedCount: out.ScannedCount ?? 0,
          ...(out.LastEvaluatedKey ? { lastEvaluatedKey: itemToJson(out.LastEvaluatedKey) } : {}),
          consumedCapacity: units(out.ConsumedCapacity),
        })
      }
      case 'GetItem': {
        const out = await client.send(new GetItemCommand(input as never))
        return done({
          items: out.Item ? [itemToJson(out.Item)] : [],
          count: out.Item ? 1 : 0,
          consumedCapacity: units(out.ConsumedCapacity),
        })
      }
      case 'PutItem': {
        const out = await client.send(new PutItemCommand(input as never))
        return done({
          items: [itemToJson(input.Item as Record<string, AttributeValue>)],
          count: 1,
          consumedCapacity: units(out.ConsumedCapacity),
        })
      }
      case 'UpdateItem': {
        const out = await client.send(new UpdateItemCommand(input as never))
        return done({
          items: items(out.Attributes ? [out.Attributes] : []),
          count: 1,
          consumedCapacity: units(out.ConsumedCapacity),
        })
      }
      case 'DeleteItem': {
        const out = await client.send(new DeleteItemCommand(input as never))
        return done({
          items: items(out.Attributes ? [out.Attributes] : []),
          count: out.Attributes ? 1 : 0,
          consumedCapacity: units(out.ConsumedCapacity),
        })
      }
      case 'TransactWriteItems': {
        const out = await client.send(new TransactWriteItemsCommand(input as never))
        return done({ items: [], count: 0, consumedCapacity: units(out.ConsumedCapacity) })
      }
      default: {
        const out = await client.send(new ExecuteStatementCommand(input as never))
        return done({
          items: items(out.Items),
          count: out.Items?.length ?? 0,
          ...(out.LastEvaluatedKey ? { lastEvaluatedKey: itemToJson(out.LastEvaluatedKey) } : {}),
          ...(out.NextToken ? { nextToken: out.NextToken } : {}),
          consumedCapacity: units(out.ConsumedCapacity),
        })
      }
    }
  } catch (err) {
    throw toWorkbenchError(err, spec.table ? { table: spec.table } : {})
  }
}
