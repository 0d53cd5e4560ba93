/**
 * GSIs with multi-attribute keys inside the engine: entries move between partitions as items change, reads through
 * PartiQL use them, and backups keep them. (Conformance with DynamoDB Local: tests/conformance/multi-key.test.ts.)
 */
import { describe, expect, test } from 'vitest'
import { createEngine } from '.'
import { errorOf, n, s } from './test-support'

// Answers are walked loosely here; each expectation checks the shape it reads.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Out = Record<string, any>

async function engineWithIndex() {
  const engine = createEngine()
  await engine.call('CreateTable', {
    TableName: 'devices',
    AttributeDefinitions: [
      { AttributeName: 'id', AttributeType: 'S' },
      { AttributeName: 'site', AttributeType: 'S' },
      { AttributeName: 'kind', AttributeType: 'S' },
      { AttributeName: 'year', AttributeType: 'N' },
      { AttributeName: 'day', AttributeType: 'N' },
    ],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'by-site',
        KeySchema: [
          { AttributeName: 'site', KeyType: 'HASH' },
          { AttributeName: 'kind', KeyType: 'HASH' },
          { AttributeName: 'year', KeyType: 'RANGE' },
          { AttributeName: 'day', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['v'] },
      },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  })
  const rows: [string, string, string, number, number][] = [
    ['d1', 'A', 'temp', 2025, 3],
    ['d2', 'A', 'temp', 2024, 9],
    ['d3', 'A', 'temp', 2025, 1],
    ['d4', 'A', 'hum', 2025, 1],
    ['d5', 'B', 'temp', 2025, 1],
  ]
  for (const [id, site, kind, year, day] of rows) {
    await engine.call('PutItem', {
      TableName: 'devices',
      Item: { id: s(id), site: s(site), kind: s(kind), year: n(year), day: n(day), v: n(1), extra: s('x') },
    })
  }
  return engine
}

const query = (
  engine: Awaited<ReturnType<typeof engineWithIndex>>,
  cond: string,
  values: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) =>
  engine.call('Query', {
    TableName: 'devices',
    IndexName: 'by-site',
    KeyConditionExpression: cond,
    ExpressionAttributeValues: values,
    ...extra,
  }) as Promise<Out>

describe('multi-attribute GSI keys', () => {
  test('entries are ordered by each sort attribute in turn and follow their items across partitions', async () => {
    const engine = await engineWithIndex()
    const ids = async () =>
      (
        (await query(engine, 'site = :s AND kind = :k', { ':s': s('A'), ':k': s('temp') })).Items as Out[]
      ).map((i) => i.id.S)
    expect(await ids()).toEqual(['d2', 'd3', 'd1'])
    // A new sort position, then another partition, then out of the index (sparse) and back.
    await engine.call('UpdateItem', {
      TableName: 'devices',
      Key: { id: s('d2') },
      UpdateExpression: 'SET #y = :y',
      ExpressionAttributeNames: { '#y': 'year' },
      ExpressionAttributeValues: { ':y': n(2026) },
    })
    expect(await ids()).toEqual(['d3', 'd1', 'd2'])
    await engine.call('UpdateItem', {
      TableName: 'devices',
      Key: { id: s('d3') },
      UpdateExpression: 'SET kind = :k',
      ExpressionAttributeValues: { ':k': s('hum') },
    })
    expect(await ids()).toEqual(['d1', 'd2'])
    await engine.call('UpdateItem', {
      TableName: 'devices',
      Key: { id: s('d1') },
      UpdateExpression: 'REMOVE #d',
      ExpressionAttributeNames: { '#d': 'day' },
    })
    expect(await ids()).toEqual(['d2'])
    const described = ((await engine.call('DescribeTable', { TableName: 'devices' })) as Out).Table
      .GlobalSecondaryIndexes[0]
    expect(described.ItemCount).toBe(4)
    expect(described.KeySchema.map((k: Out) => `${k.AttributeName}:${k.KeyType}`)).toEqual([
      'site:HASH',
      'kind:HASH',
      'year:RANGE',
      'day:RANGE',
    ])
    // The index projects its key attributes, the table key and v, not extra.
    const entry = (await query(engine, 'site = :s AND kind = :k', { ':s': s('A'), ':k': s('hum') })).Items[0]
    expect(Object.keys(entry).sort()).toEqual(['day', 'id', 'kind', 'site', 'v', 'year'])
  })

  test('key conditions: left prefix of the sort attributes, errors worded as DynamoDB Local words them', async () => {
    const engine = await engineWithIndex()
    const base = { ':s': s('A'), ':k': s('temp') }
    expect(
      (
        await query(
          engine,
          'site = :s AND kind = :k AND #y = :y AND #d > :d',
          { ...base, ':y': n(2025), ':d': n(1) },
          { ExpressionAttributeNames: { '#y': 'year', '#d': 'day' } },
        )
      ).Items.map((i: Out) => i.id.S),
    ).toEqual(['d1'])
    expect(
      (
        await query(
          engine,
          'site = :s AND kind = :k AND #y < :y',
          { ...base, ':y': n(2025) },
          { ExpressionAttributeNames: { '#y': 'year' }, ScanIndexForward: false },
        )
      ).Items.map((i: Out) => i.id.S),
    ).toEqual(['d2'])
    expect((await errorOf(query(engine, 'site = :s', { ':s': s('A') }))).message).toBe(
      'HASH key attributes kind must have equality conditions specified in the query',
    )
    expect(
      (
        await errorOf(
          query(
            engine,
            'site = :s AND kind = :k AND #d = :d',
            { ...base, ':d': n(1) },
            { ExpressionAttributeNames: { '#d': 'day' } },
          ),
        )
      ).message,
    ).toBe(
      'RANGE key attributes year must have equality conditions specified in the query because a condition is present on key attribute day',
    )
    expect(
      (await errorOf(query(engine, 'site = :s AND kind = :k AND id = :i', { ...base, ':i': s('d1') })))
        .message,
    ).toBe('Query condition missed key schema element')
  })

  test('a PartiQL SELECT fixing every partition attribute queries the index; fixing only some scans it', async () => {
    const engine = await engineWithIndex()
    const run = (Statement: string) => engine.call('ExecuteStatement', { Statement }) as Promise<Out>
    const queried = await run(
      `SELECT id FROM "devices"."by-site" WHERE site = 'A' AND kind = 'temp' AND "year" = 2025 ORDER BY "year" DESC`,
    )
    expect(queried.Items).toEqual([{ id: s('d1') }, { id: s('d3') }])
    const scanned = await run(`SELECT id FROM "devices"."by-site" WHERE site = 'A'`)
    expect(scanned.Items.map((i: Out) => i.id.S).sort()).toEqual(['d1', 'd2', 'd3', 'd4'])
  })

  test('a backup keeps the index definition and a restore rebuilds it', async () => {
    const engine = await engineWithIndex()
    const arn = ((await engine.call('CreateBackup', { TableName: 'devices', BackupName: 'snap' })) as Out)
      .BackupDetails.BackupArn
    await engine.call('RestoreTableFromBackup', { TargetTableName: 'devices-copy', BackupArn: arn })
    const copy = (await engine.call('Query', {
      TableName: 'devices-copy',
      IndexName: 'by-site',
      KeyConditionExpression: 'site = :s AND kind = :k',
      ExpressionAttributeValues: { ':s': s('A'), ':k': s('temp') },
    })) as Out
    expect(copy.Items.map((i: Out) => i.id.S)).toEqual(['d2', 'd3', 'd1'])
  })
})
