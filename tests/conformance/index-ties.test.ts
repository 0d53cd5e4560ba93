/**
 * Index entries with equal index keys, ours vs DynamoDB Local 3.3.1: their order in a Query in both directions,
 * paging across them with Limit (LastEvaluatedKey → ExclusiveStartKey) in both directions, and a Scan of the
 * index. DynamoDB documents no order for such ties; Local orders them by a salted SHA-1 of the table key parts
 * the index lacks (see electron/engine/storage/tie-order.ts), the same order reversed when reading backwards.
 */
import { afterAll, beforeAll, describe, test } from 'vitest'
import { inject } from 'vitest'
import { Harness, N, S, singleTable, type Json, type Pair } from './harness'

let h: Harness
let table: string
let numeric: string

beforeAll(async () => {
  h = await Harness.start(inject('ddbLocalEndpoint'), 'ties')
  table = h.name('single')
  numeric = h.name('numeric')
  await h.same('CreateTable', singleTable(table))
  // Every item shares one GSI partition; gsk and lsk take two values each, so most entries tie with others.
  const items: Json[] = []
  for (const pk of ['a', 'b', 'B', 'aa', 'c']) {
    for (const sk of ['1', '2', '3', '10']) {
      const i = items.length
      items.push({
        pk: S(pk),
        sk: S(sk),
        gpk: S('g'),
        gsk: S(i % 2 ? 'x' : 'y'),
        lsk: N(i % 3 ? 1 : 2),
        v: N(i),
      })
    }
  }
  await h.same(
    'BatchWriteItem',
    { RequestItems: { [table]: items.map((Item) => ({ PutRequest: { Item } })) } },
    'seed',
  )

  // A numeric sort key (digested in Local's number encoding) and a hash-only GSI (every entry a tie).
  await h.same(
    'CreateTable',
    {
      TableName: numeric,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byg',
          KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    },
    'create numeric',
  )
  const numbers = [-1, 0, 2, 10, 30, 0.5, -0.25, 123456789, 1e-7, -3e20]
  const numericItems = ['a', 'b', 'aa'].flatMap((pk) =>
    numbers.map((sk) => ({ pk: S(pk), sk: N(sk), g: S('G') })),
  )
  for (let i = 0; i < numericItems.length; i += 25) {
    await h.same(
      'BatchWriteItem',
      {
        RequestItems: { [numeric]: numericItems.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
      },
      'seed numeric',
    )
  }
})

afterAll(async () => {
  await h?.close()
})

/** Follows LastEvaluatedKey on both sides, each side resuming from its own key, comparing every page. */
async function pages(op: 'Query' | 'Scan', req: Json, what: string): Promise<void> {
  let start: { ours?: unknown; local?: unknown } = {}
  for (let count = 1; ; count++) {
    const pair: Pair = await h.same(
      op,
      (side) => ({ ...req, ...(start[side] ? { ExclusiveStartKey: start[side] } : {}) }),
      `${what} page ${count}`,
    )
    if (!pair.ours.body.LastEvaluatedKey) break
    start = { ours: pair.ours.body.LastEvaluatedKey, local: pair.local.body.LastEvaluatedKey }
    if (count > 60) throw new Error(`${what}: too many pages`)
  }
}

describe('index ties', () => {
  const queries: [string, () => Json][] = [
    [
      'GSI, whole partition',
      () => ({
        TableName: table,
        IndexName: 'gsi',
        KeyConditionExpression: 'gpk = :g',
        ExpressionAttributeValues: { ':g': S('g') },
      }),
    ],
    [
      'GSI, one tied sort key',
      () => ({
        TableName: table,
        IndexName: 'gsi',
        KeyConditionExpression: 'gpk = :g AND gsk = :s',
        ExpressionAttributeValues: { ':g': S('g'), ':s': S('x') },
      }),
    ],
    [
      'LSI',
      () => ({
        TableName: table,
        IndexName: 'lsi',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': S('a') },
      }),
    ],
    [
      'LSI, ties from one bound',
      () => ({
        TableName: table,
        IndexName: 'lsi',
        KeyConditionExpression: 'pk = :p AND lsk >= :l',
        ExpressionAttributeValues: { ':p': S('b'), ':l': N(1) },
      }),
    ],
    [
      'hash-only GSI over a numeric sort key',
      () => ({
        TableName: numeric,
        IndexName: 'byg',
        KeyConditionExpression: 'g = :g',
        ExpressionAttributeValues: { ':g': S('G') },
      }),
    ],
  ]

  test.each(queries)(
    'Query %s: same order both ways, and pages across ties resume alike',
    async (what, request) => {
      for (const ScanIndexForward of [true, false]) {
        await h.same('Query', { ...request(), ScanIndexForward }, `${what} forward=${ScanIndexForward}`)
        for (const Limit of [1, 2, 3])
          await pages(
            'Query',
            { ...request(), ScanIndexForward, Limit },
            `${what} forward=${ScanIndexForward} Limit ${Limit}`,
          )
      }
    },
  )

  test('Scan of a GSI with one partition: the same pages in the same order', async () => {
    await h.same('Scan', { TableName: table, IndexName: 'gsi' }, 'Scan gsi')
    for (const Limit of [1, 3])
      await pages('Scan', { TableName: table, IndexName: 'gsi', Limit }, `Scan gsi Limit ${Limit}`)
    await pages('Scan', { TableName: numeric, IndexName: 'byg', Limit: 4 }, 'Scan byg Limit 4')
  })

  test('Scan of an LSI: the same items (partition order is not compared)', async () => {
    await h.scanAll({ TableName: table, IndexName: 'lsi', Limit: 3 }, 'Scan lsi Limit 3')
  })
})
