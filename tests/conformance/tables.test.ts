/**
 * Control plane, ours vs DynamoDB Local 3.3.1: CreateTable (key types, indexes, projections, billing, streams,
 * validation), DescribeTable counts, ListTables paging, DeleteTable, UpdateTable, tags, DescribeTimeToLive.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { inject } from 'vitest'
import {
  Harness,
  N,
  S,
  errorMessage,
  errorName,
  expectSame,
  keyTable,
  singleTable,
  type Json,
} from './harness'

let h: Harness

beforeAll(async () => {
  h = await Harness.start(inject('ddbLocalEndpoint'), 'tbl')
})

afterAll(async () => {
  await h?.close()
})

describe('CreateTable / DescribeTable / DeleteTable', () => {
  test.each([
    ['S', undefined],
    ['N', undefined],
    ['B', undefined],
    ['S', 'N'],
    ['N', 'B'],
    ['B', 'S'],
  ] as const)('keys %s/%s: create, describe and delete answer alike', async (hash, range) => {
    const name = h.name(`k_${hash}${range ?? ''}`)
    await h.same('CreateTable', keyTable(name, hash, range), 'CreateTable')
    await h.same('DescribeTable', { TableName: name })
    await h.same('DeleteTable', { TableName: name })
    await h.same('DescribeTable', { TableName: name }, 'DescribeTable after delete')
  })

  test('GSIs and LSIs with each projection type, provisioned billing and a stream', async () => {
    const name = h.name('idx')
    const create = {
      TableName: name,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
        { AttributeName: 'a', AttributeType: 'S' },
        { AttributeName: 'b', AttributeType: 'B' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byA',
          KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
          ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
        },
        {
          IndexName: 'byAB',
          KeySchema: [
            { AttributeName: 'a', KeyType: 'HASH' },
            { AttributeName: 'b', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x', 'y'] },
          ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: 'lsiA',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'a', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 7 },
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }
    await h.same('CreateTable', create)
    await h.same('DescribeTable', { TableName: name })
  })

  test('PAY_PER_REQUEST with a stream of each view type', async () => {
    for (const view of ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES']) {
      const name = h.name(`st_${view.toLowerCase()}`)
      await h.same(
        'CreateTable',
        keyTable(name, 'S', undefined, {
          StreamSpecification: { StreamEnabled: true, StreamViewType: view },
        }),
      )
      await h.same('DescribeTable', { TableName: name })
    }
  })

  const base = (extra: Json): Json => ({ ...keyTable(h.name('bad'), 'S', 'S'), ...extra })
  const validationCases: [string, () => Json][] = [
    [
      'key attribute missing from AttributeDefinitions',
      () => base({ AttributeDefinitions: [{ AttributeName: 'h', AttributeType: 'S' }] }),
    ],
    [
      'an AttributeDefinition no key uses',
      () =>
        base({
          AttributeDefinitions: [
            { AttributeName: 'h', AttributeType: 'S' },
            { AttributeName: 'r', AttributeType: 'S' },
            { AttributeName: 'z', AttributeType: 'S' },
          ],
        }),
    ],
    [
      'attribute type BOOL',
      () =>
        base({
          AttributeDefinitions: [
            { AttributeName: 'h', AttributeType: 'BOOL' },
            { AttributeName: 'r', AttributeType: 'S' },
          ],
        }),
    ],
    ['table name too short', () => base({ TableName: 'ab' })],
    ['table name with a bad character', () => base({ TableName: 'bad name!' })],
    [
      'first key element RANGE',
      () =>
        base({
          KeySchema: [
            { AttributeName: 'h', KeyType: 'RANGE' },
            { AttributeName: 'r', KeyType: 'HASH' },
          ],
        }),
    ],
    ['no KeySchema', () => base({ KeySchema: undefined })],
    ['PROVISIONED without throughput', () => base({ BillingMode: 'PROVISIONED' })],
    [
      'PAY_PER_REQUEST with throughput',
      () => base({ ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }),
    ],
    ['stream enabled without a view type', () => base({ StreamSpecification: { StreamEnabled: true } })],
    [
      'LSI on a hash-only table',
      () => ({
        ...keyTable(h.name('bad'), 'S'),
        AttributeDefinitions: [
          { AttributeName: 'h', AttributeType: 'S' },
          { AttributeName: 'x', AttributeType: 'S' },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: 'lsi1',
            KeySchema: [
              { AttributeName: 'h', KeyType: 'HASH' },
              { AttributeName: 'x', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    ],
    [
      'two indexes with one name',
      () =>
        base({
          GlobalSecondaryIndexes: [
            {
              IndexName: 'gsi1',
              KeySchema: [{ AttributeName: 'r', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'ALL' },
            },
            {
              IndexName: 'gsi1',
              KeySchema: [{ AttributeName: 'r', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'ALL' },
            },
          ],
        }),
    ],
    [
      'INCLUDE projection without NonKeyAttributes',
      () =>
        base({
          GlobalSecondaryIndexes: [
            {
              IndexName: 'gsi1',
              KeySchema: [{ AttributeName: 'r', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'INCLUDE' },
            },
          ],
        }),
    ],
    [
      'KEYS_ONLY projection with NonKeyAttributes',
      () =>
        base({
          GlobalSecondaryIndexes: [
            {
              IndexName: 'gsi1',
              KeySchema: [{ AttributeName: 'r', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'KEYS_ONLY', NonKeyAttributes: ['x'] },
            },
          ],
        }),
    ],
    ['an empty GlobalSecondaryIndexes list', () => base({ GlobalSecondaryIndexes: [] })],
  ]
  test.each(validationCases)('validation: %s', async (what, req) => {
    const pair = await h.same('CreateTable', req(), `CreateTable with ${what}`)
    expect(pair.ours.status).toBe(400)
    expect(errorName(pair.ours)).toBe('ValidationException')
  })

  test('creating a table that exists: ResourceInUseException (real DynamoDB wording, see KNOWN-DIFFERENCES.md)', async () => {
    const name = h.name('dup')
    await h.same('CreateTable', keyTable(name, 'S'))
    const pair = await h.send('CreateTable', keyTable(name, 'S'))
    expect(errorName(pair.local)).toBe('ResourceInUseException')
    expect(errorName(pair.ours)).toBe('ResourceInUseException')
    expect(pair.ours.status).toBe(pair.local.status)
    expect(errorMessage(pair.ours)).toBe(`Table already exists: ${name}`)
    expect(errorMessage(pair.local)).toBe('Cannot create preexisting table')
  })

  test('operations on a missing table: ResourceNotFoundException', async () => {
    const TableName = h.name('missing')
    for (const op of ['DescribeTable', 'DeleteTable'])
      await h.same(op, { TableName }, `${op} on a missing table`)
    await h.same(
      'UpdateTable',
      { TableName, BillingMode: 'PAY_PER_REQUEST' },
      'UpdateTable on a missing table',
    )
    await h.same('GetItem', { TableName, Key: { h: S('x') } }, 'GetItem on a missing table')
    await h.same('PutItem', { TableName, Item: { h: S('x') } }, 'PutItem on a missing table')
    await h.same(
      'Query',
      { TableName, KeyConditionExpression: 'h = :h', ExpressionAttributeValues: { ':h': S('x') } },
      'Query on a missing table',
    )
    await h.same('Scan', { TableName }, 'Scan on a missing table')
  })
})

describe('DescribeTable counts (DynamoDB Local updates them live, as ours does)', () => {
  test('ItemCount, TableSizeBytes and index counts follow writes', async () => {
    const name = h.name('counts')
    await h.same('CreateTable', singleTable(name))
    await h.same('DescribeTable', { TableName: name }, 'DescribeTable empty')
    const items = [
      { pk: S('a'), sk: S('1'), gpk: S('g'), gsk: S('x'), lsk: N(1), body: S('hello') },
      { pk: S('a'), sk: S('2'), lsk: N(2) },
      {
        pk: S('b'),
        sk: S('1'),
        gpk: S('g'),
        gsk: S('y'),
        blob: { B: Buffer.from('abc').toString('base64') },
      },
      { pk: S('c'), sk: S('1'), n: N('3.14'), list: { L: [S('x'), N(1)] } },
    ]
    for (const Item of items) await h.same('PutItem', { TableName: name, Item })
    await h.same('DescribeTable', { TableName: name }, 'DescribeTable after 4 puts')
    await h.same('DeleteItem', { TableName: name, Key: { pk: S('a'), sk: S('1') } })
    await h.same('DescribeTable', { TableName: name }, 'DescribeTable after a delete')
  })
})

describe('ListTables', () => {
  test('pages by Limit and ExclusiveStartTableName', async () => {
    const names = ['lt_a', 'lt_b', 'lt_c', 'lt_d'].map((n) => h.name(n))
    for (const TableName of names) await h.same('CreateTable', keyTable(TableName, 'S'))
    const start = h.name('lt_')
    const p1 = await h.same('ListTables', { ExclusiveStartTableName: start, Limit: 2 }, 'ListTables page 1')
    expect(p1.ours.body).toEqual({ TableNames: names.slice(0, 2), LastEvaluatedTableName: names[1] })
    const p2 = await h.same(
      'ListTables',
      { ExclusiveStartTableName: names[1], Limit: 1 },
      'ListTables page 2',
    )
    expect(p2.ours.body.TableNames).toEqual([names[2]])
    // Every table name sorts below this one, on both sides: the last, empty page has no LastEvaluatedTableName.
    await h.same(
      'ListTables',
      { ExclusiveStartTableName: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', Limit: 5 },
      'ListTables past the end',
    )
    // Unpaged: ours lists exactly its tables; Local lists them (in the same order) among every other test file's.
    const all = await h.send('ListTables', {})
    const mine = (w: Json) => (w.TableNames as string[]).filter((n) => n.startsWith(h.name('lt_')))
    expect(mine(all.ours.body)).toEqual(mine(all.local.body))
    expect(mine(all.ours.body)).toEqual(names)
  })

  test.each([
    ['Limit 0', { Limit: 0 }],
    ['Limit 101', { Limit: 101 }],
    ['a too-short ExclusiveStartTableName', { ExclusiveStartTableName: 'ab' }],
  ])('validation: %s', async (what, req) => {
    const pair = await h.same('ListTables', req, `ListTables with ${what}`)
    expect(pair.ours.status).toBe(400)
  })
})

describe('UpdateTable', () => {
  test('GSI create backfills existing items, then delete; query the new index', async () => {
    const name = h.name('upd_gsi')
    await h.same('CreateTable', keyTable(name, 'S', 'S'))
    for (let i = 0; i < 5; i++) {
      await h.same('PutItem', {
        TableName: name,
        Item: { h: S(`h${i % 2}`), r: S(`r${i}`), ...(i !== 3 ? { g: S(`g${i % 2}`) } : {}), v: N(i) },
      })
    }
    await h.same('UpdateTable', {
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [
        {
          Create: {
            IndexName: 'byG',
            KeySchema: [
              { AttributeName: 'g', KeyType: 'HASH' },
              { AttributeName: 'r', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        },
      ],
    })
    // Index creation is asynchronous on DynamoDB and on Local (CREATING while it backfills); ours backfills at once.
    // Compare the settled state, as a client that waits for the index would see it.
    await waitForIndex(name, 'byG', 'ACTIVE')
    // Local's backfill also counts the item that has no `g` in IndexSizeBytes (KNOWN-DIFFERENCES.md,
    // backfill-index-size); ours counts the items the sparse index holds. Everything else must match.
    const described = await h.send('DescribeTable', { TableName: name })
    const indexSize = (side: { body: Json }) =>
      (((side.body.Table as Json).GlobalSecondaryIndexes as Json[])[0] as Json).IndexSizeBytes as number
    expect(indexSize(described.ours)).toBeLessThan(indexSize(described.local))
    for (const side of [described.ours, described.local]) {
      delete (((side.body.Table as Json).GlobalSecondaryIndexes as Json[])[0] as Json).IndexSizeBytes
    }
    expectSame(described, 'DescribeTable after GSI create')
    await h.same(
      'Query',
      {
        TableName: name,
        IndexName: 'byG',
        KeyConditionExpression: 'g = :g',
        ExpressionAttributeValues: { ':g': S('g1') },
      },
      'Query backfilled GSI',
    )
    // DynamoDB documents no Scan order across partitions (ours walks them in hash order): compared as sets.
    await h.scanAll({ TableName: name, IndexName: 'byG' }, 'Scan backfilled GSI')
    await h.same(
      'UpdateTable',
      { TableName: name, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byG' } }] },
      'UpdateTable GSI delete',
    )
    await waitForIndex(name, 'byG', 'GONE')
    await h.same('DescribeTable', { TableName: name }, 'DescribeTable after GSI delete')
    await h.same(
      'UpdateTable',
      { TableName: name, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'nope' } }] },
      'UpdateTable delete missing GSI',
    )
  })

  test('stream on, off, on again; billing mode switches', async () => {
    const name = h.name('upd_st')
    await h.same('CreateTable', keyTable(name, 'S'))
    await h.same(
      'UpdateTable',
      { TableName: name, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } },
      'stream on',
    )
    await h.same(
      'UpdateTable',
      { TableName: name, StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } },
      'stream on twice',
    )
    await h.same(
      'UpdateTable',
      { TableName: name, StreamSpecification: { StreamEnabled: false } },
      'stream off',
    )
    await h.same('DescribeTable', { TableName: name }, 'DescribeTable with stream off')
    await h.same(
      'UpdateTable',
      { TableName: name, StreamSpecification: { StreamEnabled: false } },
      'stream off twice',
    )
    await h.same(
      'UpdateTable',
      { TableName: name, StreamSpecification: { StreamEnabled: true, StreamViewType: 'OLD_IMAGE' } },
      'stream on again',
    )
    await h.same(
      'UpdateTable',
      {
        TableName: name,
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 },
      },
      'to PROVISIONED',
    )
    await h.same('DescribeTable', { TableName: name }, 'DescribeTable provisioned')
    await h.same(
      'UpdateTable',
      { TableName: name, BillingMode: 'PAY_PER_REQUEST' },
      'back to PAY_PER_REQUEST',
    )
    await h.same('DescribeTable', { TableName: name }, 'DescribeTable on demand')
    await h.same('UpdateTable', { TableName: name }, 'UpdateTable with nothing to do')
  })
})

/** Polls DescribeTable on both sides until the index reaches the state (or is gone), at most 30 s. */
async function waitForIndex(table: string, index: string, state: 'ACTIVE' | 'GONE'): Promise<void> {
  for (const side of ['ours', 'local'] as const) {
    const deadline = Date.now() + 30_000
    for (;;) {
      const wire = await h.post(side, 'DynamoDB_20120810.DescribeTable', JSON.stringify({ TableName: table }))
      const gsis = ((wire.body.Table as Json | undefined)?.GlobalSecondaryIndexes ?? []) as Json[]
      const found = gsis.find((g) => g.IndexName === index)
      if (state === 'GONE' ? !found : found?.IndexStatus === 'ACTIVE') break
      if (Date.now() > deadline)
        throw new Error(`${side}: index ${index} of ${table} did not become ${state} within 30 s`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}

describe('tags and TTL', () => {
  test('DescribeTimeToLive', async () => {
    const name = h.name('ttl')
    await h.same('CreateTable', keyTable(name, 'S'))
    await h.same('DescribeTimeToLive', { TableName: name })
    await h.same('DescribeTimeToLive', { TableName: h.name('nope') }, 'DescribeTimeToLive on a missing table')
  })

  // DynamoDB Local does not implement tagging ("Tagging is not currently supported in DynamoDB Local."), so ours
  // is held to the API reference: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TagResource.html
  test('TagResource, ListTagsOfResource, UntagResource (real DynamoDB behaviour; Local refuses tagging)', async () => {
    const name = h.name('tags')
    const created = await h.same('CreateTable', keyTable(name, 'S'))
    const arn = (side: 'ours' | 'local') =>
      ((side === 'ours' ? created.ours : created.local).body.TableDescription as Json).TableArn as string
    const local = await h.send('TagResource', (side) => ({
      ResourceArn: arn(side),
      Tags: [{ Key: 'a', Value: '1' }],
    }))
    expect(errorName(local.local)).toBe('UnknownOperationException')
    expect(errorMessage(local.local)).toBe('Tagging is not currently supported in DynamoDB Local.')

    const ours = (op: string, req: Json) =>
      h.post('ours', `DynamoDB_20120810.${op}`, JSON.stringify({ ResourceArn: arn('ours'), ...req }))
    expect(
      await ours('TagResource', {
        Tags: [
          { Key: 'b', Value: '2' },
          { Key: 'a', Value: 'changed' },
        ],
      }),
    ).toEqual({ status: 200, body: {} })
    const listed = await ours('ListTagsOfResource', {})
    expect(listed.status).toBe(200)
    expect(
      [...(listed.body.Tags as Json[])].sort((x, y) => String(x.Key).localeCompare(String(y.Key))),
    ).toEqual([
      { Key: 'a', Value: 'changed' },
      { Key: 'b', Value: '2' },
    ])
    expect(await ours('UntagResource', { TagKeys: ['b', 'not-there'] })).toEqual({ status: 200, body: {} })
    expect((await ours('ListTagsOfResource', {})).body).toEqual({ Tags: [{ Key: 'a', Value: 'changed' }] })
    const missing = await h.post(
      'ours',
      'DynamoDB_20120810.ListTagsOfResource',
      JSON.stringify({ ResourceArn: arn('ours').replace(name, h.name('gone')) }),
    )
    expect({ status: missing.status, type: errorName(missing) }).toEqual({
      status: 400,
      type: 'ResourceNotFoundException',
    })
  })
})

describe('through the AWS SDK v3 low-level client', () => {
  test('CreateTable, DescribeTable and a validation error deserialize alike', async () => {
    const name = h.name('sdk')
    const created = await h.sendSdk('CreateTable', keyTable(name, 'S', 'N'))
    expect(created.ours).toEqual(created.local)
    const described = await h.sendSdk('DescribeTable', { TableName: name })
    expect(described.ours).toEqual(described.local)
    const bad = await h.sendSdk('DescribeTable', { TableName: 'x' })
    expect(bad.ours).toEqual(bad.local)
  })
})
