import { describe, expect, test } from 'vitest'
import { createEngine } from '.'
import { engineWithTable, errorOf, n, s, SINGLE_TABLE } from './test-support'

// Answers are walked loosely here; each expectation checks the shape it reads.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Out = Record<string, any>

const simple = (TableName: string, extra: Out = {}) => ({
  TableName,
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
  ...extra,
})

describe('control plane', () => {
  test('CreateTable describes the table ACTIVE at once with ARNs, billing summary and indexes', async () => {
    const engine = createEngine({
      region: 'eu-west-1',
      accountId: '123456789012',
      now: () => 1_700_000_000_000,
    })
    const out = (await engine.call('CreateTable', SINGLE_TABLE)) as Out
    const t = out.TableDescription
    expect(t.TableStatus).toBe('ACTIVE')
    expect(t.TableArn).toBe('arn:aws:dynamodb:eu-west-1:123456789012:table/app')
    expect(t.CreationDateTime).toBe(1_700_000_000)
    expect(t.BillingModeSummary.BillingMode).toBe('PAY_PER_REQUEST')
    expect(t.GlobalSecondaryIndexes[0].IndexStatus).toBe('ACTIVE')
    expect(t.LocalSecondaryIndexes[0].IndexName).toBe('lsi1')
    expect(t.LatestStreamArn).toMatch(/^arn:aws:dynamodb:eu-west-1:123456789012:table\/app\/stream\//)
    const again = await errorOf(engine.call('CreateTable', SINGLE_TABLE))
    expect(again.type).toBe('ResourceInUseException')
  })

  test('CreateTable rejects definitions DynamoDB rejects', async () => {
    const engine = createEngine()
    const unused = await errorOf(
      engine.call(
        'CreateTable',
        simple('tt1', {
          AttributeDefinitions: [
            { AttributeName: 'id', AttributeType: 'S' },
            { AttributeName: 'x', AttributeType: 'S' },
          ],
        }),
      ),
    )
    expect(unused.message).toContain('Number of attributes in KeySchema does not exactly match')
    const missing = await errorOf(
      engine.call(
        'CreateTable',
        simple('tt1', { AttributeDefinitions: [{ AttributeName: 'x', AttributeType: 'S' }] }),
      ),
    )
    expect(missing.message).toContain('Some index key attributes are not defined in AttributeDefinitions')
    const lsiNoRange = await errorOf(
      engine.call(
        'CreateTable',
        simple('tt1', {
          AttributeDefinitions: [
            { AttributeName: 'id', AttributeType: 'S' },
            { AttributeName: 'r', AttributeType: 'S' },
          ],
          LocalSecondaryIndexes: [
            {
              IndexName: 'lsi',
              KeySchema: [
                { AttributeName: 'id', KeyType: 'HASH' },
                { AttributeName: 'r', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
          ],
        }),
      ),
    )
    expect(lsiNoRange.message).toContain('Table KeySchema does not have a range key')
    const provisionedMissing = await errorOf(
      engine.call('CreateTable', simple('tt1', { BillingMode: 'PROVISIONED' })),
    )
    expect(provisionedMissing.message).toContain(
      'ReadCapacityUnits and WriteCapacityUnits must both be specified',
    )
    const badName = await errorOf(engine.call('CreateTable', simple('a!')))
    expect(badName.type).toBe('ValidationException')
    expect(((await engine.call('ListTables', {})) as Out).TableNames).toEqual([])
  })

  test('ListTables pages in name order', async () => {
    const engine = createEngine()
    for (const name of ['ccc', 'aaa', 'bbb', 'ddd']) await engine.call('CreateTable', simple(name))
    const first = (await engine.call('ListTables', { Limit: 3 })) as Out
    expect(first).toEqual({ TableNames: ['aaa', 'bbb', 'ccc'], LastEvaluatedTableName: 'ccc' })
    const second = (await engine.call('ListTables', { ExclusiveStartTableName: 'ccc' })) as Out
    expect(second).toEqual({ TableNames: ['ddd'] })
    await engine.call('DeleteTable', { TableName: 'bbb' })
    expect(((await engine.call('ListTables', {})) as Out).TableNames).toEqual(['aaa', 'ccc', 'ddd'])
  })

  test('DescribeTable keeps live counts and sizes', async () => {
    const engine = await engineWithTable()
    await engine.call('PutItem', {
      TableName: 'app',
      Item: { pk: s('a'), sk: s('b'), gsi1pk: s('g'), gsi1sk: s('h') },
    })
    await engine.call('PutItem', { TableName: 'app', Item: { pk: s('a'), sk: s('c') } })
    const t = ((await engine.call('DescribeTable', { TableName: 'app' })) as Out).Table
    expect(t.ItemCount).toBe(2)
    // pk(2)+a(1) + sk(2)+b(1) + gsi1pk(6)+g(1) + gsi1sk(6)+h(1) = 20; pk+a + sk+c = 6
    expect(t.TableSizeBytes).toBe(26)
    expect(t.GlobalSecondaryIndexes[0].ItemCount).toBe(1)
    expect(t.GlobalSecondaryIndexes[0].IndexSizeBytes).toBe(20)
  })

  test('UpdateTable adds a GSI filled from existing items, deletes it, and switches billing', async () => {
    const engine = await engineWithTable()
    await engine.call('PutItem', { TableName: 'app', Item: { pk: s('a'), sk: s('1'), status: s('open') } })
    await engine.call('PutItem', { TableName: 'app', Item: { pk: s('a'), sk: s('2'), status: n(3) } })
    await engine.call('PutItem', { TableName: 'app', Item: { pk: s('a'), sk: s('3') } })
    const out = (await engine.call('UpdateTable', {
      TableName: 'app',
      AttributeDefinitions: [{ AttributeName: 'status', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [
        {
          Create: {
            IndexName: 'byStatus',
            KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        },
      ],
    })) as Out
    const created = out.TableDescription.GlobalSecondaryIndexes.find((g: Out) => g.IndexName === 'byStatus')
    // The UpdateTable answer shows the index as DynamoDB does right after the request: CREATING, not backfilled yet.
    expect(created).toMatchObject({ IndexStatus: 'CREATING', Backfilling: false })
    expect(created.ItemCount).toBeUndefined()
    const described = (await engine.call('DescribeTable', { TableName: 'app' })) as Out
    const idx = described.Table.GlobalSecondaryIndexes.find((g: Out) => g.IndexName === 'byStatus')
    expect(idx.IndexStatus).toBe('ACTIVE')
    // The item whose status is a number does not fit the index key type and is left out.
    expect(idx.ItemCount).toBe(1)
    const q = (await engine.call('Query', {
      TableName: 'app',
      IndexName: 'byStatus',
      KeyConditionExpression: '#s = :s',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': s('open') },
    })) as Out
    expect(q.Items).toEqual([{ pk: s('a'), sk: s('1'), status: s('open') }])
    await engine.call('UpdateTable', {
      TableName: 'app',
      GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byStatus' } }],
    })
    const after = ((await engine.call('DescribeTable', { TableName: 'app' })) as Out).Table
    expect(after.GlobalSecondaryIndexes.map((g: Out) => g.IndexName)).toEqual(['gsi1'])
    const prov = (await engine.call('UpdateTable', {
      TableName: 'app',
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 6 },
      GlobalSecondaryIndexUpdates: [
        {
          Update: {
            IndexName: 'gsi1',
            ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
          },
        },
      ],
    })) as Out
    expect(prov.TableDescription.ProvisionedThroughput.WriteCapacityUnits).toBe(6)
    // A table that was on demand keeps its summary, now saying PROVISIONED (as DynamoDB Local does).
    expect(prov.TableDescription.BillingModeSummary.BillingMode).toBe('PROVISIONED')
  })

  test('tags, limits, TTL description and unsupported operations', async () => {
    const engine = await engineWithTable()
    const arn = ((await engine.call('DescribeTable', { TableName: 'app' })) as Out).Table.TableArn
    await engine.call('TagResource', {
      ResourceArn: arn,
      Tags: [
        { Key: 'env', Value: 'dev' },
        { Key: 'team', Value: 'a' },
      ],
    })
    await engine.call('UntagResource', { ResourceArn: arn, TagKeys: ['team'] })
    expect(await engine.call('ListTagsOfResource', { ResourceArn: arn })).toEqual({
      Tags: [{ Key: 'env', Value: 'dev' }],
    })
    expect(((await engine.call('DescribeLimits', {})) as Out).TableMaxReadCapacityUnits).toBe(40000)
    expect(await engine.call('DescribeTimeToLive', { TableName: 'app' })).toEqual({
      TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' },
    })
    for (const op of ['ExportTableToPointInTime', 'NoSuchOperation', 'toString', '__proto__']) {
      expect((await errorOf(engine.call(op, {}))).type).toBe('UnknownOperationException')
    }
  })

  test('wrong JSON types are SerializationExceptions and reset() empties the engine', async () => {
    const engine = await engineWithTable()
    expect((await errorOf(engine.call('ListTables', { Limit: 'x' }))).type).toBe('SerializationException')
    expect((await errorOf(engine.call('PutItem', { TableName: 'app', Item: 'x' }))).type).toBe(
      'SerializationException',
    )
    expect((await errorOf(engine.call('PutItem', 'x'))).type).toBe('SerializationException')
    engine.reset()
    expect(await engine.call('ListTables', {})).toEqual({ TableNames: [] })
    expect(await engine.call('ListStreams', {})).toEqual({ Streams: [] })
  })
})
