import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  PutItemCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runOperation } from '../../electron/services/operation.service'
import { guardWrites } from '../../electron/services/write-guard'
import type { OperationSpec } from '../../shared/contract/channels/operations'
import { TARGETS, localClientConfig } from '../support/targets'

const TABLE = `ops-builder-${process.pid}`
const INDEX = 'by-status'

describe.each(TARGETS)('the operation builder on $name', ({ start }) => {
  let client: DynamoDBClient
  let endpoint: string
  let stop: () => Promise<void> = async () => {}

  beforeAll(async () => {
    const s = await start()
    stop = s.stop
    endpoint = s.endpoint
    client = new DynamoDBClient(localClientConfig(endpoint))
    await client.send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'n', AttributeType: 'N' },
          { AttributeName: 'status', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'n', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: INDEX,
            KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    )
    await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: TABLE })
    for (let n = 1; n <= 10; n++)
      await client.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: {
            pk: { S: 'A' },
            n: { N: String(n) },
            label: { S: `item-${n}` },
            ...(n % 3 === 0 ? { status: { S: 'open' } } : {}),
          },
        }),
      )
  })
  afterAll(async () => {
    await client.send(new DeleteTableCommand({ TableName: TABLE })).catch(() => undefined)
    client.destroy()
    await stop()
  })

  const run = (spec: Omit<OperationSpec, 'table'>, page?: Parameters<typeof runOperation>[2]) =>
    runOperation(client, { table: TABLE, ...spec } as OperationSpec, page)
  const ns = (items: Record<string, unknown>[]) => items.map((i) => Number((i.n as { N: string }).N))

  test.each([
    ['=', '4', undefined, [4]],
    ['<', '3', undefined, [1, 2]],
    ['<=', '3', undefined, [1, 2, 3]],
    ['>', '8', undefined, [9, 10]],
    ['>=', '9', undefined, [9, 10]],
    ['BETWEEN', '4', '6', [4, 5, 6]],
  ] as const)('Query with sort key %s: a number key typed from DescribeTable', async (op, v, v2, want) => {
    const r = await run({
      operation: 'Query',
      partitionValue: 'A',
      sortOperator: op,
      sortValue: v,
      ...(v2 ? { sortValue2: v2 } : {}),
    })
    expect(ns(r.items)).toEqual(want)
    expect(r.request.input.KeyConditionExpression).toContain(op === 'BETWEEN' ? 'BETWEEN' : ` ${op} `)
    expect(r.consumedCapacity).toBeGreaterThan(0)
  })

  test('Query desc with a filter, projection and a page limit: pages continue from LastEvaluatedKey', async () => {
    const spec = {
      operation: 'Query' as const,
      partitionValue: 'A',
      direction: 'desc' as const,
      limit: 4,
      filters: [{ attribute: 'label', operator: '<>' as const, value: 'item-9' }],
      projection: ['n', 'label'],
    }
    const first = await run(spec)
    expect(ns(first.items)).toEqual([10, 8, 7])
    expect(first.scannedCount).toBe(4)
    expect(Object.keys(first.items[0]!).sort()).toEqual(['label', 'n'])
    expect(first.lastEvaluatedKey).toBeDefined()
    const second = await run(spec, { exclusiveStartKey: first.lastEvaluatedKey })
    expect(ns(second.items)).toEqual([6, 5, 4, 3])
    expect(first.partiql).toBe(
      `SELECT "n", "label" FROM "${TABLE}" WHERE "pk" = 'A' AND "label" <> 'item-9' ORDER BY "n" DESC`,
    )
  })

  test('begins_with on a string sort key: refused for a number key with DynamoDB own error', async () => {
    const err = await run({
      operation: 'Query',
      partitionValue: 'A',
      sortOperator: 'begins_with',
      sortValue: '1',
    }).catch((e: unknown) => e as { code: string })
    expect(err).toMatchObject({ code: 'dynamodb.validation' })
  })

  test('Query on the sparse index, Scan with parallel segments covering the table exactly once', async () => {
    const idx = await run({ operation: 'Query', index: INDEX, partitionValue: 'open' })
    expect(ns(idx.items).sort((a, b) => a - b)).toEqual([3, 6, 9])
    const seen: number[] = []
    for (let segment = 0; segment < 3; segment++)
      seen.push(...ns((await run({ operation: 'Scan', segment, totalSegments: 3 })).items))
    expect(seen.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  })

  test('Put, Get, Update, ConditionCheck and Delete; a failed condition is a coded error', async () => {
    await run({
      operation: 'PutItem',
      item: '{"pk": "B", "n": 12345678901234567890.123456789012345678, "qty": 5}',
    })
    const got = await run({
      operation: 'GetItem',
      key: '{"pk": "B", "n": 12345678901234567890.123456789012345678}',
    })
    expect(got.items[0]!.n).toEqual({ N: '12345678901234567890.123456789012345678' })
    const key = '{"pk": "B", "n": 12345678901234567890.123456789012345678}'
    const updated = await run({
      operation: 'UpdateItem',
      key,
      update: 'SET #qty = #qty - :one',
      values: '{":one": 1}',
      filters: [{ attribute: 'qty', operator: '>=', type: 'N', value: '1' }],
    })
    expect(updated.items[0]!.qty).toEqual({ N: '4' })
    const failed = await run({
      operation: 'ConditionCheck',
      key,
      filters: [{ attribute: 'qty', operator: '>', type: 'N', value: '100' }],
    }).catch((e: unknown) => e as { code: string })
    expect(failed).toMatchObject({ code: 'dynamodb.conditionFailed' })
    const deleted = await run({ operation: 'DeleteItem', key })
    expect(deleted.items[0]!.qty).toEqual({ N: '4' })
    expect((await run({ operation: 'GetItem', key })).items).toEqual([])
  })

  test('PartiQL with ? parameters; bad builder input is input.invalid before anything is sent', async () => {
    const r = await runOperation(client, {
      operation: 'PartiQL',
      statement: `SELECT * FROM "${TABLE}" WHERE pk = ? AND n = ?`,
      parameters: '["A", 7]',
    })
    expect(r.items.map((i) => i.label)).toEqual([{ S: 'item-7' }])
    for (const spec of [
      { operation: 'Query', partitionValue: '' },
      { operation: 'Query', partitionValue: 'A', sortOperator: '=', sortValue: 'seven' },
      { operation: 'GetItem', key: '{not json' },
      { operation: 'UpdateItem', key: '{"pk": "A", "n": 1}', update: 'SET a = :missing' },
      { operation: 'Scan', segment: 3, totalSegments: 3 },
    ] as Omit<OperationSpec, 'table'>[])
      await expect(run(spec)).rejects.toMatchObject({ code: 'input.invalid' })
  })

  test('a read-only connection refuses the builder writes before they are sent, and still reads', async () => {
    const guarded = new DynamoDBClient(localClientConfig(endpoint))
    guardWrites(guarded, { connection: 'aws-test' })
    await expect(
      runOperation(guarded, { operation: 'PutItem', table: TABLE, item: '{"pk": "C", "n": 1}' }),
    ).rejects.toMatchObject({ code: 'connection.readOnly' })
    await expect(
      runOperation(guarded, {
        operation: 'PartiQL',
        statement: `DELETE FROM "${TABLE}" WHERE pk = 'A' AND n = 1`,
      }),
    ).rejects.toMatchObject({ code: 'connection.readOnly' })
    const read = await runOperation(guarded, {
      operation: 'GetItem',
      table: TABLE,
      key: '{"pk": "A", "n": 1}',
    })
    expect(read.count).toBe(1)
    guarded.destroy()
  })
})
