import { afterAll, beforeAll, expect, test } from 'vitest'
import fc from 'fast-check'
import {
  createEngine,
  DynamoError,
  startEngineServer,
  type Engine,
  type EngineServer,
} from '../../electron/engine'
import { SINGLE_TABLE } from '../../electron/engine/test-support'

/**
 * Throws thousands of malformed or random requests at the HTTP door. Every answer must be a DynamoDB client error
 * (or a success), never a 500 or a dropped connection, and a rejected request must leave every table and stream
 * exactly as it was.
 */

let engine: Engine
let server: EngineServer
let changeCount = 0

const OPERATIONS = [
  'PutItem',
  'GetItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'CreateTable',
  'UpdateTable',
  'DescribeTable',
  'ListTables',
  'TagResource',
  'ListStreams',
  'DescribeStream',
  'GetShardIterator',
  'GetRecords',
] as const
const STREAM_OPS = new Set(['ListStreams', 'DescribeStream', 'GetShardIterator', 'GetRecords'])
const TABLES = ['app', 'kvs']

beforeAll(async () => {
  engine = createEngine()
  server = await startEngineServer(engine, { port: 0 })
  await seed()
  engine.subscribe(() => changeCount++)
})

/** Fresh tables with a few items; the run reseeds when successful writes have grown them (snapshots stay cheap). */
async function seed() {
  engine.reset()
  await engine.call('CreateTable', SINGLE_TABLE)
  await engine.call('CreateTable', {
    TableName: 'kvs',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
  })
  for (let i = 0; i < 10; i++) {
    await engine.call('PutItem', {
      TableName: 'app',
      Item: {
        pk: { S: `p${i % 3}` },
        sk: { S: `s${i}` },
        gsi1pk: { S: 'g' },
        gsi1sk: { S: `${i}` },
        lsk: { N: `${i}` },
      },
    })
    await engine.call('PutItem', { TableName: 'kvs', Item: { id: { N: `${i}` }, v: { S: 'x' } } })
  }
}

async function reseedIfGrown() {
  const { TableNames } = engine.handle('ListTables', {}) as { TableNames: string[] }
  let items = 0
  for (const TableName of TableNames) {
    items += (engine.handle('DescribeTable', { TableName }) as { Table: { ItemCount: number } }).Table
      .ItemCount
  }
  if (items > 40 || TableNames.length > 3) {
    await seed()
    lastSnapshot = snapshot()
  }
}

afterAll(async () => {
  await server?.close()
})

/**
 * Everything observable about the data: every table's description counts, items in scan order, stream records.
 * Read through engine.handle (the door the HTTP server uses) to skip the in-process door's copying.
 */
function snapshot(): string {
  const parts: unknown[] = [changeCount]
  const { TableNames } = engine.handle('ListTables', {}) as { TableNames: string[] }
  for (const TableName of TableNames) {
    const { Table } = engine.handle('DescribeTable', { TableName }) as { Table: Record<string, unknown> }
    const scan = engine.handle('Scan', { TableName }) as { Items: unknown[] }
    parts.push(
      TableName,
      Table.ItemCount,
      Table.TableSizeBytes,
      Table.GlobalSecondaryIndexes,
      Table.LatestStreamArn,
      scan.Items,
    )
  }
  return JSON.stringify(parts)
}

async function send(operation: string, body: string | Buffer) {
  const service = STREAM_OPS.has(operation) ? 'DynamoDBStreams_20120810' : 'DynamoDB_20120810'
  const res = await fetch(server.endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `${service}.${operation}` },
    body,
  })
  const text = await res.text()
  return { status: res.status, body: JSON.parse(text) as Record<string, unknown> }
}

// ---------------------------------------------------------------------------------------------------------------
// Generators

const json = fc.jsonValue({ maxDepth: 4 })
const name = fc.oneof(
  fc.constantFrom('pk', 'sk', 'gsi1pk', 'gsi1sk', 'lsk', 'id', 'v', '#n', ':v'),
  fc.string({ maxLength: 6 }),
)
const scalarAv = fc.oneof(
  fc.string({ maxLength: 8 }).map((S) => ({ S })),
  fc.oneof(fc.integer().map(String), fc.string({ maxLength: 6 })).map((N) => ({ N })),
  fc.constantFrom('AAEC', '', '!!', 'QQ==').map((B) => ({ B })),
  fc.boolean().map((BOOL) => ({ BOOL })),
  fc.constantFrom(
    { NULL: true },
    { NULL: false },
    { SS: [] },
    { SS: ['a', 'a'] },
    { NS: ['1', 'x'] },
    {},
    { S: 'a', N: '1' },
    { X: 'y' },
  ),
  json,
)
const attributeValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  av: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarAv,
    fc.array(tie('av'), { maxLength: 3 }).map((L) => ({ L })),
    fc.dictionary(name, tie('av'), { maxKeys: 3 }).map((M) => ({ M })),
  ),
})).av
const item = fc.dictionary(name, attributeValue, { maxKeys: 6 })
const keyFor = fc.oneof(fc.record({ pk: scalarAv, sk: scalarAv }), fc.record({ id: scalarAv }), item)
const expression = fc.oneof(
  fc.constantFrom(
    'pk = :v',
    'attribute_exists(pk)',
    'attribute_not_exists(#n)',
    'SET v = :v',
    'REMOVE v',
    'ADD v :v',
    'begins_with(sk, :v)',
    'pk = :v AND sk BETWEEN :v AND :v',
    'size(v) > :v',
    'v, #n, a.b[1]',
    ')(',
    'SET',
    'a = = b',
  ),
  fc.string({ maxLength: 40 }),
)
const expressionMembers = fc.record(
  {
    ConditionExpression: expression,
    FilterExpression: expression,
    UpdateExpression: expression,
    ProjectionExpression: expression,
    KeyConditionExpression: expression,
    ExpressionAttributeNames: fc.oneof(
      fc.dictionary(name, fc.oneof(fc.string({ maxLength: 5 }), json), { maxKeys: 3 }),
      json,
    ),
    ExpressionAttributeValues: fc.oneof(fc.dictionary(name, attributeValue, { maxKeys: 3 }), json),
  },
  { requiredKeys: [] },
)
const tableName = fc.oneof(
  fc.constantFrom(...TABLES),
  fc.constantFrom('', 'a', 'no such table!', 'x'.repeat(300)),
  json,
)
const enumish = fc.oneof(
  fc.constantFrom(
    'NONE',
    'ALL_OLD',
    'ALL_NEW',
    'UPDATED_OLD',
    'UPDATED_NEW',
    'TOTAL',
    'INDEXES',
    'COUNT',
    'SPECIFIC_ATTRIBUTES',
    'bogus',
  ),
  json,
)

/** A request shaped like the operation's, with random (often wrong) members and unknown ones. */
const shapedRequest = fc
  .record(
    {
      TableName: tableName,
      Item: fc.oneof(item, json),
      Key: fc.oneof(keyFor, json),
      IndexName: fc.oneof(fc.constantFrom('gsi1', 'lsi1', 'nope', ''), json),
      Limit: fc.oneof(fc.integer({ min: -2, max: 30 }), json),
      ExclusiveStartKey: fc.oneof(keyFor, json),
      ScanIndexForward: fc.oneof(fc.boolean(), json),
      ConsistentRead: fc.oneof(fc.boolean(), json),
      Select: enumish,
      ReturnValues: enumish,
      ReturnConsumedCapacity: enumish,
      Segment: fc.oneof(fc.integer({ min: -1, max: 4 }), json),
      TotalSegments: fc.oneof(fc.integer({ min: -1, max: 4 }), json),
      RequestItems: fc.oneof(
        fc.dictionary(
          fc.constantFrom(...TABLES, 'zz'),
          fc.oneof(
            fc.array(fc.record({ PutRequest: fc.record({ Item: item }) }, { requiredKeys: [] }), {
              maxLength: 30,
            }),
            fc.record({ Keys: fc.array(keyFor, { maxLength: 4 }) }),
            json,
          ),
          { maxKeys: 2 },
        ),
        json,
      ),
      AttributeDefinitions: fc.oneof(
        fc.array(fc.record({ AttributeName: name, AttributeType: fc.constantFrom('S', 'N', 'B', 'X') }), {
          maxLength: 3,
        }),
        json,
      ),
      KeySchema: fc.oneof(
        fc.array(fc.record({ AttributeName: name, KeyType: fc.constantFrom('HASH', 'RANGE', 'X') }), {
          maxLength: 3,
        }),
        json,
      ),
      BillingMode: enumish,
      StreamSpecification: fc.oneof(
        fc.record(
          { StreamEnabled: fc.boolean(), StreamViewType: fc.constantFrom('KEYS_ONLY', 'X') },
          { requiredKeys: [] },
        ),
        json,
      ),
      StreamArn: fc.oneof(fc.string({ maxLength: 10 }), json),
      ShardIterator: fc.oneof(fc.string({ maxLength: 10 }), json),
      ShardIteratorType: enumish,
      ResourceArn: fc.oneof(fc.string({ maxLength: 10 }), json),
      Unknown: json,
    },
    { requiredKeys: [] },
  )
  .chain((base) => expressionMembers.map((e) => ({ ...base, ...e })))

/** Items nested deeper than DynamoDB's 32 levels. */
const deepItem = fc.integer({ min: 33, max: 60 }).map((depth) => {
  let v: unknown = { S: 'leaf' }
  for (let i = 0; i < depth; i++) v = i % 2 ? { L: [v] } : { M: { a: v } }
  return { TableName: 'app', Item: { pk: { S: 'deep' }, sk: { S: 'deep' }, v } }
})
const hugeItem = fc
  .record({
    size: fc.integer({ min: 400 * 1024 - 20, max: 420 * 1024 }),
    TableName: fc.constantFrom(...TABLES),
  })
  .map(({ size, TableName }) => ({
    TableName,
    Item: { pk: { S: 'huge' }, sk: { S: 'huge' }, id: { N: '99' }, blob: { S: 'x'.repeat(size) } },
  }))
const hugeExpression = fc.integer({ min: 1_000, max: 20_000 }).map((n) => ({
  TableName: 'app',
  Item: { pk: { S: 'expr' }, sk: { S: 'expr' } },
  ConditionExpression: Array.from({ length: n }, (_, i) => `attribute_exists(a${i})`).join(' OR '),
}))

/**
 * Nearly valid requests: a correct request for the seeded tables with a member or two replaced, dropped or added,
 * so that rejections also come from deep in the data plane (conditions, index key types, sizes) and not only from
 * the parser, and writes do succeed now and then.
 */
const existingKey = fc.record({
  pk: fc.constantFrom('p0', 'p1', 'p2', 'p9').map((S) => ({ S })),
  sk: fc.constantFrom('s0', 's1', 's5', 's9', 'new').map((S) => ({ S })),
})
const goodValue = fc.oneof(
  fc.string({ maxLength: 6 }).map((S) => ({ S })),
  fc.integer({ min: -5, max: 5 }).map((i) => ({ N: String(i) })),
  fc.constantFrom(
    { BOOL: true },
    { NULL: true },
    { SS: ['a', 'b'] },
    { L: [{ S: 'x' }] },
    { M: { a: { N: '1' } } },
  ),
)
const updateWithValues = fc.oneof(
  goodValue.map((v) => ({ UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': v } })),
  goodValue.map((v) => ({ UpdateExpression: 'SET gsi1pk = :v', ExpressionAttributeValues: { ':v': v } })),
  goodValue.map((v) => ({
    UpdateExpression: 'SET lsk = :v, w = :v',
    ExpressionAttributeValues: { ':v': v },
  })),
  goodValue.map((v) => ({ UpdateExpression: 'ADD c :v', ExpressionAttributeValues: { ':v': v } })),
  goodValue.map((v) => ({ UpdateExpression: 'SET pk = :v', ExpressionAttributeValues: { ':v': v } })),
  fc.constant({ UpdateExpression: 'REMOVE v, gsi1pk' }),
)
const condition = fc.oneof(
  fc.constant({}),
  fc.constantFrom(
    { ConditionExpression: 'attribute_exists(pk)' },
    { ConditionExpression: 'attribute_not_exists(pk)' },
  ),
)
const validRequest: fc.Arbitrary<{ operation: string; request: Record<string, unknown> }> = fc.oneof(
  fc
    .record({
      key: existingKey,
      attrs: fc.dictionary(fc.constantFrom('v', 'gsi1pk', 'gsi1sk', 'lsk', 'w'), goodValue, { maxKeys: 3 }),
      cond: condition,
      rv: fc.constantFrom('NONE', 'ALL_OLD', 'ALL_NEW'),
    })
    .map(({ key, attrs, cond, rv }) => ({
      operation: 'PutItem',
      request: {
        TableName: 'app',
        Item: { ...attrs, ...key },
        ReturnValues: rv,
        ReturnConsumedCapacity: 'INDEXES',
        ...cond,
      },
    })),
  fc
    .record({
      key: existingKey,
      update: updateWithValues,
      cond: condition,
      rv: fc.constantFrom('NONE', 'ALL_OLD', 'UPDATED_NEW', 'ALL_NEW'),
    })
    .map(({ key, update, cond, rv }) => ({
      operation: 'UpdateItem',
      request: {
        TableName: 'app',
        Key: key,
        ReturnValues: rv,
        ...update,
        ...cond,
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    })),
  fc.record({ key: existingKey, cond: condition }).map(({ key, cond }) => ({
    operation: 'DeleteItem',
    request: { TableName: 'app', Key: key, ReturnValues: 'ALL_OLD', ...cond },
  })),
  existingKey.map((key) => ({
    operation: 'GetItem',
    request: { TableName: 'app', Key: key, ProjectionExpression: 'pk, v' },
  })),
  fc
    .record({
      p: fc.constantFrom('p0', 'p1', 'p9'),
      limit: fc.integer({ min: 1, max: 5 }),
      forward: fc.boolean(),
      index: fc.constantFrom(undefined, 'lsi1'),
    })
    .map(({ p, limit, forward, index }) => ({
      operation: 'Query',
      request: {
        TableName: 'app',
        IndexName: index,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: p } },
        Limit: limit,
        ScanIndexForward: forward,
      },
    })),
  fc
    .record({ seg: fc.integer({ min: 0, max: 2 }), limit: fc.integer({ min: 1, max: 20 }) })
    .map(({ seg, limit }) => ({
      operation: 'Scan',
      request: { TableName: 'app', Segment: seg, TotalSegments: 3, Limit: limit },
    })),
  fc
    .array(
      fc.oneof(
        existingKey.map((k) => ({ PutRequest: { Item: { ...k, v: { S: 'batch' } } } })),
        existingKey.map((k) => ({ DeleteRequest: { Key: k } })),
      ),
      { minLength: 1, maxLength: 4 },
    )
    .map((writes) => ({
      operation: 'BatchWriteItem',
      request: { RequestItems: { app: writes } },
    })),
  fc
    .array(existingKey, { minLength: 1, maxLength: 4 })
    .map((keys) => ({ operation: 'BatchGetItem', request: { RequestItems: { app: { Keys: keys } } } })),
)
const validish = validRequest.chain(({ operation, request }) =>
  fc
    .record(
      {
        drop: fc.constantFrom(...Object.keys(request)),
        replaceWith: json,
        extra: fc.tuple(fc.string({ maxLength: 8 }), json),
      },
      { requiredKeys: [] },
    )
    .map(({ drop, replaceWith, extra }) => {
      const mutated: Record<string, unknown> = { ...request }
      if (drop !== undefined) {
        if (replaceWith !== undefined) mutated[drop] = replaceWith
        else delete mutated[drop]
      }
      if (extra) mutated[extra[0]] = extra[1]
      return { operation, body: JSON.stringify(mutated) }
    }),
)

interface Case {
  operation: string
  body: string
}

const caseArb: fc.Arbitrary<Case> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      operation: fc.constantFrom(...OPERATIONS),
      body: fc.string({ maxLength: 30 }).filter((t) => !isJson(t)),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      operation: fc.constantFrom(...OPERATIONS),
      body: json.map((j) => JSON.stringify(j)),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      operation: fc.constantFrom(...OPERATIONS),
      body: shapedRequest.map((r) => JSON.stringify(r).slice(0, -1)),
    }),
  },
  {
    weight: 24,
    arbitrary: fc.record({
      operation: fc.constantFrom(...OPERATIONS),
      body: shapedRequest.map((r) => JSON.stringify(r)),
    }),
  },
  { weight: 24, arbitrary: validish },
  {
    weight: 2,
    arbitrary: fc.record({ operation: fc.constant('PutItem'), body: deepItem.map((r) => JSON.stringify(r)) }),
  },
)

/** 400 KB+ items and huge expressions are costly to build and send; a few dozen of each is plenty. */
const bigCaseArb: fc.Arbitrary<Case> = fc.oneof(
  fc.record({
    operation: fc.constantFrom('PutItem', 'BatchWriteItem'),
    body: hugeItem.map((r) => JSON.stringify(r)),
  }),
  fc.record({ operation: fc.constant('PutItem'), body: hugeExpression.map((r) => JSON.stringify(r)) }),
)

function isJson(t: string): boolean {
  try {
    JSON.parse(t)
    return true
  } catch {
    return false
  }
}

/** The answers a client error may carry: the request was bad, or named a table or stream that does not exist. */
const CLIENT_ERRORS =
  /#(ValidationException|SerializationException|ResourceNotFoundException|ConditionalCheckFailedException|ResourceInUseException)$/

/** The state after the previous request; a rejected request must leave it unchanged. */
let lastSnapshot = ''
/** Answers by outcome, to check the run reached past the JSON parser into validation and success paths. */
const outcomes = new Map<string, number>()

async function checkOne(c: Case) {
  const before = lastSnapshot
  const res = await send(c.operation, c.body)
  lastSnapshot = snapshot()
  const outcome = res.status === 200 ? `${c.operation} ok` : String(res.body.__type).split('#')[1]
  outcomes.set(outcome ?? '?', (outcomes.get(outcome ?? '?') ?? 0) + 1)
  if (res.status === 200) {
    await reseedIfGrown()
    return
  }
  expect(res.status).toBe(400)
  expect(String(res.body.__type)).toMatch(CLIENT_ERRORS)
  expect(typeof res.body.message).toBe('string')
  if (/ResourceNotFound/.test(String(res.body.__type))) {
    // Only for a table that truly does not exist (single-table operations name it in TableName).
    const requested = safeParse(c.body) as Record<string, unknown> | undefined
    const tableName = requested?.TableName
    if (
      typeof tableName === 'string' &&
      !STREAM_OPS.has(c.operation) &&
      !c.operation.startsWith('Batch') &&
      c.operation !== 'TagResource'
    ) {
      const { TableNames } = (await engine.call('ListTables', {})) as { TableNames: string[] }
      expect(TableNames).not.toContain(tableName)
    }
  }
  expect(lastSnapshot).toBe(before)
}

function safeParse(t: string): unknown {
  try {
    return JSON.parse(t)
  } catch {
    return undefined
  }
}

test('10,000 malformed or random requests: only client errors or successes, and rejected ones change nothing', async () => {
  lastSnapshot = snapshot()
  let runs = 0
  await fc.assert(
    fc.asyncProperty(caseArb, async (c) => {
      runs++
      await checkOne(c)
    }),
    { numRuns: 10_000, endOnFailure: true },
  )
  expect(runs).toBe(10_000)
  const count = (key: string) => outcomes.get(key) ?? 0
  expect(count('SerializationException')).toBeGreaterThan(100)
  expect(count('ValidationException')).toBeGreaterThan(100)
  expect([...outcomes.keys()].filter((k) => k.endsWith(' ok')).length).toBeGreaterThan(5)
  // The engine still serves after the run.
  const after = await send('DescribeTable', JSON.stringify({ TableName: 'app' }))
  expect(after.status).toBe(200)
  // ~20 s on an idle 2-core machine; the margin is for a machine shared with other work.
}, 300_000)

test('400 KB+ items and huge expressions are rejected without harm', async () => {
  await seed()
  lastSnapshot = snapshot()
  await fc.assert(fc.asyncProperty(bigCaseArb, checkOne), { numRuns: 60 })
  console.log('fuzz outcomes', Object.fromEntries(outcomes))
})

test('bodies above 16 MB are rejected without harm', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 16 * 1024 * 1024 + 1, max: 17 * 1024 * 1024 }),
      fc.constantFrom('PutItem', 'BatchWriteItem', 'Query'),
      async (size, operation) => {
        const before = snapshot()
        const padding = 'x'.repeat(size)
        const res = await send(
          operation,
          `{"TableName":"app","Item":{"pk":{"S":"big"},"sk":{"S":"big"},"v":{"S":"${padding}"}}}`,
        )
        expect(res.status).toBe(413)
        expect(String(res.body.__type)).toMatch(/#ValidationException$/)
        expect(snapshot()).toBe(before)
      },
    ),
    { numRuns: 3 },
  )
})

// ---------------------------------------------------------------------------------------------------------------
// Hostile input: values and requests built to break limits rather than to be merely malformed.

/** Numbers with exponents far outside DynamoDB's range (and Java's int), in keys and in arithmetic. */
const hugeNumber = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('1', '9.9', '0', '-1', '0.0001'),
      fc.constantFrom('e', 'E'),
      fc.constantFrom('', '-', '+'),
      fc.bigInt({ min: 100n, max: 10n ** 30n }),
    )
    .map(([m, e, sign, x]) => `${m}${e}${sign}${x}`),
  fc.constantFrom(
    '1e126',
    '1e-131',
    '9.99999999999999999999999999999999999999e125',
    '1e2147483647',
    '1e-2147483648',
    '1e2147483648',
  ),
)
const hugeNumberCase: fc.Arbitrary<Case> = fc.oneof(
  hugeNumber.map((N) => ({
    operation: 'PutItem',
    body: JSON.stringify({ TableName: 'kvs', Item: { id: { N } } }),
  })),
  hugeNumber.map((N) => ({
    operation: 'GetItem',
    body: JSON.stringify({ TableName: 'kvs', Key: { id: { N } } }),
  })),
  hugeNumber.map((N) => ({
    operation: 'UpdateItem',
    body: JSON.stringify({
      TableName: 'kvs',
      Key: { id: { N: '1' } },
      UpdateExpression: 'SET v = :n + :n',
      ExpressionAttributeValues: { ':n': { N } },
    }),
  })),
  fc.constant({
    operation: 'UpdateItem',
    body: JSON.stringify({
      TableName: 'kvs',
      Key: { id: { N: '2' } },
      UpdateExpression: 'ADD v :n',
      ExpressionAttributeValues: { ':n': { N: '9.9999999999999999999999999999999999999E+125' } },
    }),
  }),
)

/** Legacy parameters thousands of entries wide (ScanFilter, Expected, AttributeUpdates, AttributesToGet). */
const wideLegacyCase: fc.Arbitrary<Case> = fc
  .record({
    width: fc.integer({ min: 1_000, max: 5_000 }),
    kind: fc.constantFrom('ScanFilter', 'Expected', 'AttributeUpdates', 'AttributesToGet'),
    or: fc.boolean(),
  })
  .map(({ width, kind, or }) => {
    const names = Array.from({ length: width }, (_, i) => `w${i}`)
    const entries = (value: (name: string) => unknown) => Object.fromEntries(names.map((n) => [n, value(n)]))
    const key = { pk: { S: 'p0' }, sk: { S: 's0' } }
    switch (kind) {
      case 'ScanFilter':
        return {
          operation: 'Scan',
          body: JSON.stringify({
            TableName: 'app',
            ScanFilter: entries(() => ({ ComparisonOperator: 'NULL' })),
            ...(or ? { ConditionalOperator: 'OR' } : {}),
          }),
        }
      case 'Expected':
        return {
          operation: 'DeleteItem',
          body: JSON.stringify({
            TableName: 'app',
            Key: key,
            Expected: entries(() => ({ Exists: true, Value: { S: 'x' } })),
            ...(or ? { ConditionalOperator: 'OR' } : {}),
          }),
        }
      case 'AttributeUpdates':
        return {
          operation: 'UpdateItem',
          body: JSON.stringify({
            TableName: 'app',
            Key: { pk: { S: 'wide' }, sk: { S: 'wide' } },
            AttributeUpdates: entries(() => ({
              Action: or ? 'DELETE' : 'PUT',
              ...(or ? {} : { Value: { S: 'x'.repeat(100) } }),
            })),
          }),
        }
      default:
        return {
          operation: 'GetItem',
          body: JSON.stringify({ TableName: 'app', Key: key, AttributesToGet: names }),
        }
    }
  })

/** UpdateItems that copy a map into itself, so each success nests it one level deeper, up to (never past) 32. */
const nestingCase: fc.Arbitrary<Case> = fc
  .constantFrom('SET x.a = x', 'SET x.a = x, y = x', 'SET x.a = list_append(:l, :l)', 'SET x = :m')
  .map((UpdateExpression) => ({
    operation: 'UpdateItem',
    body: JSON.stringify({
      TableName: 'app',
      Key: { pk: { S: 'nest' }, sk: { S: 'nest' } },
      UpdateExpression,
      ...(UpdateExpression.includes(':l')
        ? { ExpressionAttributeValues: { ':l': { L: [{ S: 'x' }] } } }
        : {}),
      ...(UpdateExpression.includes(':m')
        ? { ExpressionAttributeValues: { ':m': { M: { a: { S: 'leaf' } } } } }
        : {}),
    }),
  }))

/** Expressions at DynamoDB's own limits: operators, path depth, parentheses as deep as 4 KB allows. */
const limitExpressionCase: fc.Arbitrary<Case> = fc
  .oneof(
    fc.integer({ min: 290, max: 320 }).map((ops) => `a = :v${' OR a = :v'.repeat(Math.floor(ops / 2))}`),
    fc
      .integer({ min: 30, max: 40 })
      .map((depth) => `attribute_exists(${Array.from({ length: depth }, () => 'a').join('.')})`),
    fc.integer({ min: 1, max: 4096 }).map((depth) => '('.repeat(depth)),
    fc.integer({ min: 1, max: 2040 }).map((depth) => `${'('.repeat(depth)}a = :v${')'.repeat(depth)}`),
    fc.integer({ min: 1, max: 1300 }).map((depth) => `a < ${'size('.repeat(depth)}b${')'.repeat(depth)}`),
  )
  .map((ConditionExpression) => ({
    operation: 'DeleteItem',
    body: JSON.stringify({
      TableName: 'app',
      Key: { pk: { S: 'p0' }, sk: { S: 's0' } },
      ConditionExpression,
      ...(ConditionExpression.includes(':v') ? { ExpressionAttributeValues: { ':v': { S: 'x' } } } : {}),
    }),
  }))

const hostileCaseArb: fc.Arbitrary<Case> = fc.oneof(
  { weight: 4, arbitrary: hugeNumberCase },
  { weight: 1, arbitrary: wideLegacyCase },
  { weight: 4, arbitrary: nestingCase },
  { weight: 3, arbitrary: limitExpressionCase },
)

test('hostile input: huge exponents, update-built nesting, thousands-wide legacy parameters, expression limits', async () => {
  await seed()
  await engine.call('PutItem', {
    TableName: 'app',
    Item: { pk: { S: 'nest' }, sk: { S: 'nest' }, x: { M: { a: { S: 'leaf' } } } },
  })
  lastSnapshot = snapshot()
  await fc.assert(fc.asyncProperty(hostileCaseArb, checkOne), { numRuns: 150 })
  // Whatever the run did, every item still reads back and streams still answer.
  const scan = await send('Scan', JSON.stringify({ TableName: 'app' }))
  expect(scan.status).toBe(200)
  const depth = (v: unknown): number =>
    v && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v as object).map(depth)) : 0
  for (const item of scan.body.Items as Record<string, unknown>[])
    for (const v of Object.values(item)) expect(depth(v) / 2).toBeLessThanOrEqual(32)
}, 300_000)

test('invalid UTF-8 anywhere in a body is refused and changes nothing', async () => {
  await seed()
  const before = snapshot()
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('PutItem', 'UpdateItem', 'GetItem', 'Scan'),
      fc.constantFrom([0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80]),
      fc.nat(40),
      async (operation, bytes, at) => {
        const text = Buffer.from(
          JSON.stringify({
            TableName: 'app',
            Item: { pk: { S: 'utf8-key' }, sk: { S: 'x' } },
            Key: { pk: { S: 'utf8-key' }, sk: { S: 'x' } },
          }),
        )
        const cut = Math.min(at, text.length)
        const res = await send(
          operation,
          Buffer.concat([text.subarray(0, cut), Buffer.from(bytes), text.subarray(cut)]),
        )
        expect(res.status).toBe(400)
        expect(String(res.body.__type)).toMatch(/#SerializationException$/)
        expect(snapshot()).toBe(before)
      },
    ),
    { numRuns: 60 },
  )
})

/**
 * 100,000 generated requests through the engine's request door (the one the HTTP server calls, minus sockets), so
 * the count stays affordable in CI: not one may fail with anything but a DynamoDB client error.
 */
test('100,000 generated requests: no internal errors', async () => {
  await seed()
  const arb = fc.oneof(
    { weight: 20, arbitrary: caseArb },
    { weight: 1, arbitrary: hugeNumberCase },
    { weight: 1, arbitrary: nestingCase },
    { weight: 1, arbitrary: limitExpressionCase },
  )
  const outcomes = new Map<string, number>()
  let internal = 0
  let firstInternal: unknown
  // 10,000 requests from fast-check (a fixed seed, so a failure reproduces), each then sent as it is and as nine
  // cheap mutants (another operation, a member swapped in from another request, two requests merged, a member
  // dropped): 100,000 in all, at a cost CI can afford.
  const pool = fc.sample(arb, { numRuns: 10_000, seed: 11 })
  let state = 0x2545f491
  const rand = (n: number) => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) % n
  }
  const ops = [...OPERATIONS]
  const members = (body: string): Record<string, unknown> | undefined => {
    const parsed = safeParse(body)
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined
  }
  // Mutants stay JSON objects where their source was one, so they reach the engine rather than the JSON parser.
  const mutate = (c: Case): Case => {
    const own = members(c.body)
    const other = members((pool[rand(pool.length)] as Case).body) ?? {}
    const otherKeys = Object.keys(other)
    if (!own) return { operation: ops[rand(ops.length)] as string, body: c.body }
    const copy = { ...own }
    const keys = Object.keys(copy)
    switch (rand(4)) {
      case 0:
        return { operation: ops[rand(ops.length)] as string, body: c.body }
      case 1:
        // A member of this request replaced by any member of another.
        if (keys.length && otherKeys.length)
          copy[keys[rand(keys.length)] as string] = other[otherKeys[rand(otherKeys.length)] as string]
        return { operation: c.operation, body: JSON.stringify(copy) }
      case 2:
        return { operation: c.operation, body: JSON.stringify({ ...copy, ...other }) }
      default:
        if (keys.length) delete copy[keys[rand(keys.length)] as string]
        return { operation: c.operation, body: JSON.stringify(copy) }
    }
  }
  const samples = function* () {
    for (const c of pool) {
      yield c
      for (let k = 0; k < 9; k++) yield mutate(c)
    }
  }
  let i = 0
  for (const c of samples()) {
    i++
    let outcome: string
    try {
      const body = c.body.trim() === '' ? {} : (JSON.parse(c.body) as unknown)
      engine.handle(c.operation, body, STREAM_OPS.has(c.operation) ? 'DynamoDBStreams' : 'DynamoDB')
      outcome = 'ok'
    } catch (err) {
      outcome = err instanceof SyntaxError ? 'not JSON' : err instanceof DynamoError ? err.type : 'internal'
      if (outcome === 'internal' || outcome === 'InternalServerError') {
        internal++
        firstInternal ??= { request: c, err }
      }
    }
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1)
    if (i % 500 === 0) await reseedIfGrown()
  }
  console.log('100k outcomes', Object.fromEntries(outcomes))
  expect(i).toBe(100_000)
  expect(firstInternal).toBeUndefined()
  expect(internal).toBe(0)
  expect(outcomes.get('ok') ?? 0).toBeGreaterThan(1_000)
  expect(outcomes.get('ValidationException') ?? 0).toBeGreaterThan(1_000)
}, 600_000)
