/**
 * Query and Scan, ours vs DynamoDB Local 3.3.1: key conditions, both directions, Limit and paging, filters,
 * projections, Select, table/GSI/LSI, parallel scan segments, key ordering (S by UTF-8 bytes, N, B), sparse
 * indexes, the 1 MB page limit and consumed capacity.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { inject } from 'vitest'
import {
  B,
  Harness,
  N,
  S,
  canonical,
  expectSame,
  keyTable,
  singleTable,
  type Json,
  type Pair,
} from './harness'

let h: Harness
let table: string

beforeAll(async () => {
  h = await Harness.start(inject('ddbLocalEndpoint'), 'rd')
  table = h.name('single')
  await h.same('CreateTable', singleTable(table))
  // Two partitions of 12 items; a third of them in the GSI (sparse), every other one in the LSI (sparse).
  const items: Json[] = []
  for (const pk of ['A', 'B']) {
    for (let i = 0; i < 12; i++) {
      items.push({
        pk: S(pk),
        sk: S(`item#${String(i).padStart(2, '0')}`),
        n: N((i * 7) % 5),
        tag: S(i % 2 ? 'odd' : 'even'),
        ...(i % 3 === 0 ? { gpk: S('G'), gsk: S(`${pk}${12 - i}`) } : {}),
        ...(i % 2 === 0 ? { lsk: N(100 - i) } : {}),
        body: S(`message ${pk}${i}`),
      })
    }
  }
  // Partition C: LSI items from 10 B to 9 KB, so per-item 4 KB rounding of a table fetch shows in the capacity.
  for (const [i, size] of [10, 3000, 5000, 9000, 100].entries()) {
    items.push({ pk: S('C'), sk: S(`big#${i}`), lsk: N(i), body: S('x'.repeat(size)) })
  }
  for (let i = 0; i < items.length; i += 25) {
    await h.same(
      'BatchWriteItem',
      { RequestItems: { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } },
      'seed',
    )
  }
})

afterAll(async () => {
  await h?.close()
})

/** Follows LastEvaluatedKey on both sides, comparing every page. */
async function pages(op: 'Query' | 'Scan', req: Json, what: string): Promise<number> {
  let count = 0
  let start: { ours?: unknown; local?: unknown } = {}
  for (;;) {
    const pair: Pair = await h.same(
      op,
      (side) => ({ ...req, ...(start[side] ? { ExclusiveStartKey: start[side] } : {}) }),
      `${what} page ${count + 1}`,
    )
    count++
    if (!pair.ours.body.LastEvaluatedKey) break
    start = { ours: pair.ours.body.LastEvaluatedKey, local: pair.local.body.LastEvaluatedKey }
    if (count > 50) throw new Error(`${what}: too many pages`)
  }
  return count
}

const q = (keyCond: string, values: Json, extra: Json = {}) => ({
  TableName: table,
  KeyConditionExpression: keyCond,
  ExpressionAttributeValues: values,
  ...extra,
})

describe('Query', () => {
  const conditions: [string, string, Json][] = [
    ['hash only', 'pk = :p', { ':p': S('A') }],
    ['=', 'pk = :p AND sk = :s', { ':p': S('A'), ':s': S('item#03') }],
    ['<', 'pk = :p AND sk < :s', { ':p': S('A'), ':s': S('item#03') }],
    ['<=', 'pk = :p AND sk <= :s', { ':p': S('A'), ':s': S('item#03') }],
    ['>', 'pk = :p AND sk > :s', { ':p': S('A'), ':s': S('item#09') }],
    ['>=', 'pk = :p AND sk >= :s', { ':p': S('A'), ':s': S('item#09') }],
    ['BETWEEN', 'pk = :p AND sk BETWEEN :a AND :b', { ':p': S('A'), ':a': S('item#02'), ':b': S('item#06') }],
    ['begins_with', 'pk = :p AND begins_with(sk, :s)', { ':p': S('B'), ':s': S('item#1') }],
    ['missing partition', 'pk = :p', { ':p': S('Z') }],
  ]
  test.each(conditions)(
    'key condition %s, both directions, with and without Limit',
    async (what, cond, values) => {
      for (const ScanIndexForward of [true, false]) {
        await h.same(
          'Query',
          q(cond, values, { ScanIndexForward, ReturnConsumedCapacity: 'TOTAL' }),
          `Query ${what} forward=${ScanIndexForward}`,
        )
        await pages(
          'Query',
          q(cond, values, { ScanIndexForward, Limit: 4 }),
          `Query ${what} forward=${ScanIndexForward} Limit 4`,
        )
      }
    },
  )

  test('filter, projection and Select on the table (Count vs ScannedCount, paging under a filter)', async () => {
    const values = { ':p': S('A'), ':odd': S('odd') }
    await h.same(
      'Query',
      q('pk = :p', values, { FilterExpression: 'tag = :odd', ReturnConsumedCapacity: 'TOTAL' }),
      'Query with a filter',
    )
    await pages(
      'Query',
      q('pk = :p', values, { FilterExpression: 'tag = :odd', Limit: 5 }),
      'Query with a filter and Limit 5',
    )
    await h.same(
      'Query',
      q(
        'pk = :p',
        { ':p': S('A') },
        { ProjectionExpression: 'sk, #b', ExpressionAttributeNames: { '#b': 'body' } },
      ),
      'Query with a projection',
    )
    await h.same(
      'Query',
      q('pk = :p', values, { FilterExpression: 'tag = :odd', Select: 'COUNT' }),
      'Query Select COUNT',
    )
    await h.same(
      'Query',
      q('pk = :p', { ':p': S('A') }, { Select: 'SPECIFIC_ATTRIBUTES', ProjectionExpression: 'n' }),
      'Query SPECIFIC_ATTRIBUTES',
    )
    await h.same(
      'Query',
      q('pk = :p', { ':p': S('A') }, { Select: 'ALL_PROJECTED_ATTRIBUTES' }),
      'Query ALL_PROJECTED_ATTRIBUTES on a table',
    )
    await h.same(
      'Query',
      q('pk = :p', { ':p': S('A') }, { Select: 'COUNT', ProjectionExpression: 'n' }),
      'Query COUNT with a projection',
    )
    await h.same('Query', q('pk = :p', { ':p': S('A') }, { Limit: 0 }), 'Query Limit 0')
    await h.same('Query', q('sk = :s', { ':s': S('x') }), 'Query on the range key only')
    await h.same(
      'Query',
      q('pk = :p', { ':p': S('A') }, { ExclusiveStartKey: { pk: S('B'), sk: S('item#01') } }),
      'Query with a start key from another partition',
    )
  })

  test('GSI (sparse, ALL projection) and LSI (sparse, KEYS_ONLY) with paging and capacity INDEXES', async () => {
    for (const ScanIndexForward of [true, false]) {
      await pages(
        'Query',
        {
          TableName: table,
          IndexName: 'gsi',
          KeyConditionExpression: 'gpk = :g',
          ExpressionAttributeValues: { ':g': S('G') },
          ScanIndexForward,
          Limit: 3,
          ReturnConsumedCapacity: 'INDEXES',
        },
        `GSI forward=${ScanIndexForward}`,
      )
      await pages(
        'Query',
        {
          TableName: table,
          IndexName: 'lsi',
          KeyConditionExpression: 'pk = :p AND lsk > :n',
          ExpressionAttributeValues: { ':p': S('A'), ':n': N(90) },
          ScanIndexForward,
          Limit: 2,
          ReturnConsumedCapacity: 'INDEXES',
        },
        `LSI forward=${ScanIndexForward}`,
      )
    }
    await h.same(
      'Query',
      {
        TableName: table,
        IndexName: 'lsi',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': S('B') },
        Select: 'ALL_ATTRIBUTES',
      },
      'LSI KEYS_ONLY with ALL_ATTRIBUTES (fetches from the table)',
    )
    await h.same(
      'Query',
      {
        TableName: table,
        IndexName: 'lsi',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': S('B') },
        ProjectionExpression: 'body',
      },
      'LSI projecting a non-projected attribute',
    )
    // Fetching from the table charges the table per item (each rounded up to 4 KB) and the index for its entries.
    for (const ConsistentRead of [false, true]) {
      for (const extra of [
        { Select: 'ALL_ATTRIBUTES' },
        { ProjectionExpression: 'body' },
        { Select: 'ALL_ATTRIBUTES', Limit: 3 },
        {},
        { Select: 'COUNT' },
      ]) {
        await h.same(
          'Query',
          {
            TableName: table,
            IndexName: 'lsi',
            KeyConditionExpression: 'pk = :p',
            ExpressionAttributeValues: { ':p': S('C') },
            ConsistentRead,
            ReturnConsumedCapacity: 'INDEXES',
            ...extra,
          },
          `LSI fetch capacity ${JSON.stringify(extra)} consistent=${ConsistentRead}`,
        )
      }
    }
    await h.same(
      'Query',
      {
        TableName: table,
        IndexName: 'gsi',
        KeyConditionExpression: 'gpk = :g',
        ExpressionAttributeValues: { ':g': S('G') },
        ConsistentRead: true,
      },
      'consistent read on a GSI',
    )
    await h.same(
      'Query',
      {
        TableName: table,
        IndexName: 'nope',
        KeyConditionExpression: 'gpk = :g',
        ExpressionAttributeValues: { ':g': S('G') },
      },
      'Query on a missing index',
    )
  })
})

test('LSI capacity by projection: ALL reads only the index, INCLUDE fetches every item from the table', async () => {
  const name = h.name('lsi-proj')
  await h.same('CreateTable', {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'l', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: 'all',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'l', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: 'include',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'l', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['small'] },
      },
    ],
  })
  for (const [i, size] of [10, 3000, 5000, 9000].entries()) {
    await h.same('PutItem', {
      TableName: name,
      Item: { pk: S('a'), sk: S(`s${i}`), l: S(`l${i}`), small: S('y'), big: S('x'.repeat(size)) },
    })
  }
  for (const IndexName of ['all', 'include']) {
    for (const ConsistentRead of [false, true]) {
      for (const extra of [
        {},
        { Select: 'ALL_ATTRIBUTES' },
        { ProjectionExpression: 'small' },
        { ProjectionExpression: 'big' },
      ]) {
        await h.same(
          'Query',
          {
            TableName: name,
            IndexName,
            KeyConditionExpression: 'pk = :p',
            ExpressionAttributeValues: { ':p': S('a') },
            ConsistentRead,
            ReturnConsumedCapacity: 'INDEXES',
            ...extra,
          },
          `${IndexName} LSI ${JSON.stringify(extra)} consistent=${ConsistentRead}`,
        )
      }
    }
  }
  await h.same('DeleteTable', { TableName: name })
})

describe('Scan (compared as sets: DynamoDB documents no Scan order)', () => {
  test('full scan, paging, filter, Select COUNT, projection, indexes', async () => {
    await h.scanAll({ TableName: table }, 'Scan all')
    await h.scanAll({ TableName: table, Limit: 7 }, 'Scan Limit 7')
    await h.scanAll(
      { TableName: table, Limit: 5, FilterExpression: 'n > :n', ExpressionAttributeValues: { ':n': N(2) } },
      'Scan with a filter',
    )
    await h.scanAll(
      {
        TableName: table,
        Select: 'COUNT',
        FilterExpression: 'tag = :t',
        ExpressionAttributeValues: { ':t': S('even') },
      },
      'Scan COUNT',
    )
    await h.scanAll({ TableName: table, ProjectionExpression: 'pk, body' }, 'Scan with a projection')
    await h.scanAll({ TableName: table, IndexName: 'gsi', Limit: 3 }, 'Scan a sparse GSI')
    await h.scanAll({ TableName: table, IndexName: 'lsi' }, 'Scan a sparse LSI')
    await h.scanAll({ TableName: table, IndexName: 'nope' }, 'Scan a missing index')
  })

  test('capacity of a whole-table scan (one page, so both read the same bytes)', async () => {
    for (const ReturnConsumedCapacity of ['TOTAL', 'INDEXES']) {
      const pair = await h.send('Scan', { TableName: table, ReturnConsumedCapacity, Select: 'COUNT' })
      expectSame(pair, `Scan COUNT capacity ${ReturnConsumedCapacity}`)
    }
  })

  test('parallel scan: the segments partition the table on each side; invalid segment arguments', async () => {
    for (const TotalSegments of [1, 3]) {
      const union: { ours: string[]; local: string[] } = { ours: [], local: [] }
      for (let Segment = 0; Segment < TotalSegments; Segment++) {
        for (const side of ['ours', 'local'] as const) {
          let start: unknown
          do {
            const wire = await h.post(
              side,
              'DynamoDB_20120810.Scan',
              JSON.stringify({
                TableName: table,
                Segment,
                TotalSegments,
                Limit: 4,
                ...(start ? { ExclusiveStartKey: start } : {}),
              }),
            )
            expect(wire.status, `${side} segment ${Segment}/${TotalSegments}`).toBe(200)
            for (const item of wire.body.Items as Json[]) union[side].push(canonical(item))
            start = wire.body.LastEvaluatedKey
          } while (start)
        }
      }
      expect(union.ours.length, 'every item in exactly one segment').toBe(29) // 2 × 12 + 5 in partition C
      expect([...union.ours].sort()).toEqual([...union.local].sort())
    }
    await h.same('Scan', { TableName: table, Segment: 3, TotalSegments: 3 }, 'Scan Segment = TotalSegments')
    await h.same('Scan', { TableName: table, Segment: 0 }, 'Scan Segment without TotalSegments')
    await h.same(
      'Scan',
      { TableName: table, Segment: 0, TotalSegments: 1000001 },
      'Scan TotalSegments too big',
    )
  })
})

describe('key ordering', () => {
  test('S range keys sort by UTF-8 bytes (astral characters above U+E000–U+FFFF)', async () => {
    const name = h.name('ord_s')
    await h.same('CreateTable', keyTable(name, 'S', 'S'))
    // UTF-16 order would put the astral characters (surrogates D800–DFFF) before U+E000…U+FFFF; UTF-8 puts them after.
    const keys = [
      'a',
      'B',
      '\u00e9',
      '\u0800',
      '\ue000',
      '\uffee',
      '\uffff',
      '\u{1F600}',
      '\u{10000}',
      'z',
      '~',
      'a\u0000b',
      'ab',
    ]
    for (const r of keys) await h.same('PutItem', { TableName: name, Item: { h: S('x'), r: S(r) } })
    const asc = await h.same(
      'Query',
      { TableName: name, KeyConditionExpression: 'h = :h', ExpressionAttributeValues: { ':h': S('x') } },
      'S ascending',
    )
    expect(asc.ours.body.Count).toBe(keys.length)
    await h.same(
      'Query',
      {
        TableName: name,
        KeyConditionExpression: 'h = :h',
        ExpressionAttributeValues: { ':h': S('x') },
        ScanIndexForward: false,
      },
      'S descending',
    )
    await h.same(
      'Query',
      {
        TableName: name,
        KeyConditionExpression: 'h = :h AND r > :r',
        ExpressionAttributeValues: { ':h': S('x'), ':r': S('\uffff') },
      },
      'S above U+FFFF',
    )
    await h.same(
      'Query',
      {
        TableName: name,
        KeyConditionExpression: 'h = :h AND begins_with(r, :r)',
        ExpressionAttributeValues: { ':h': S('x'), ':r': S('a') },
      },
      'S begins_with',
    )
  })

  test('N range keys sort numerically (negatives, exponents, 38 digits)', async () => {
    const name = h.name('ord_n')
    await h.same('CreateTable', keyTable(name, 'S', 'N'))
    const values = [
      '-1E+125',
      '-100',
      '-2.5',
      '-0.0001',
      '0',
      '1E-129',
      '0.5',
      '2',
      '10',
      '1e2',
      '99999999999999999999999999999999999999',
      '9.9E+125',
    ]
    for (const r of values) await h.same('PutItem', { TableName: name, Item: { h: S('x'), r: N(r) } })
    await h.same(
      'Query',
      { TableName: name, KeyConditionExpression: 'h = :h', ExpressionAttributeValues: { ':h': S('x') } },
      'N ascending',
    )
    await h.same(
      'Query',
      {
        TableName: name,
        KeyConditionExpression: 'h = :h AND r BETWEEN :a AND :b',
        ExpressionAttributeValues: { ':h': S('x'), ':a': N('-3'), ':b': N('10') },
        ScanIndexForward: false,
      },
      'N BETWEEN descending',
    )
  })

  test('B range keys sort by unsigned bytes', async () => {
    const name = h.name('ord_b')
    await h.same('CreateTable', keyTable(name, 'S', 'B'))
    const values = [[0], [0, 0], [1], [127], [128], [255], [255, 0], [16, 32, 48]]
    for (const r of values) await h.same('PutItem', { TableName: name, Item: { h: S('x'), r: B(r) } })
    await h.same(
      'Query',
      { TableName: name, KeyConditionExpression: 'h = :h', ExpressionAttributeValues: { ':h': S('x') } },
      'B ascending',
    )
    await h.same(
      'Query',
      {
        TableName: name,
        KeyConditionExpression: 'h = :h AND begins_with(r, :p)',
        ExpressionAttributeValues: { ':h': S('x'), ':p': B([255]) },
      },
      'B begins_with',
    )
    await h.same(
      'Query',
      {
        TableName: name,
        KeyConditionExpression: 'h = :h AND r < :p',
        ExpressionAttributeValues: { ':h': S('x'), ':p': B([128]) },
        ScanIndexForward: false,
      },
      'B < descending',
    )
  })
})

describe('the 1 MB page limit', () => {
  test('Query and Scan stop at 1 MB of data read, with the next start key', async () => {
    const name = h.name('mb')
    await h.same('CreateTable', keyTable(name, 'S', 'N'))
    // Six items of ~300 KB: a page holds three full ones and stops inside the fourth (DynamoDB counts the item
    // that crosses 1 MB). https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html
    const blob = 'x'.repeat(300 * 1024)
    for (let i = 0; i < 6; i++)
      await h.same(
        'PutItem',
        { TableName: name, Item: { h: S('big'), r: N(i), blob: S(blob) } },
        `put big ${i}`,
      )
    const count = await pages(
      'Query',
      {
        TableName: name,
        KeyConditionExpression: 'h = :h',
        ExpressionAttributeValues: { ':h': S('big') },
        ProjectionExpression: 'r',
        ReturnConsumedCapacity: 'TOTAL',
      },
      'Query over 1 MB',
    )
    expect(count).toBeGreaterThan(1)
    // One partition, so the Scan order is the key order on both sides.
    await pages(
      'Scan',
      { TableName: name, ProjectionExpression: 'r', ReturnConsumedCapacity: 'TOTAL' },
      'Scan over 1 MB',
    )
    await pages(
      'Query',
      {
        TableName: name,
        KeyConditionExpression: 'h = :h',
        ExpressionAttributeValues: { ':h': S('big') },
        Select: 'COUNT',
      },
      'Query COUNT over 1 MB',
    )
  })
})
