import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { describe, expect, it } from 'vitest'
import type { ItemJson, ItemsPage } from '../../shared/contract/channels/workbench'
import { createEngine, startEngineServer } from '../engine'
import { scanPage, scanPageInProcess } from './items.service'

// 38 significant digits, the smallest and the largest DynamoDB number.
const BIG = '12345678901234567890.123456789012345678'
const HUGE = '9.9999999999999999999999999999999999999E+125'

describe('scanPageInProcess', () => {
  // Every attribute type, numbers at DynamoDB's edges, binary and sets: the in-process read must give exactly what
  // the SDK path gives (the contract's DynamoDB JSON), page by page.
  const item = (i: number) => ({
    pk: { S: `P#${i % 3}` },
    sk: { N: String(i) },
    big: { N: BIG },
    tiny: { N: '1E-130' },
    huge: { N: HUGE },
    bin: { B: Buffer.from([0, 1, 2, i]).toString('base64') },
    ok: { BOOL: i % 2 === 0 },
    nil: { NULL: true as const },
    ss: { SS: ['a', 'b'] },
    ns: { NS: ['1', BIG] },
    bs: { BS: ['AA=='] },
    l: { L: [{ S: 'x' }, { M: { n: { N: '-0.5' } } }] },
    m: { M: { deep: { L: [{ NULL: true as const }] } } },
  })

  it('pages exactly as the SDK over HTTP does', async () => {
    const engine = createEngine({})
    const server = await startEngineServer(engine, { port: 0 })
    try {
      await engine.call('CreateTable', {
        TableName: 'things',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      })
      for (let i = 0; i < 7; i++) await engine.call('PutItem', { TableName: 'things', Item: item(i) })
      const client = new DynamoDBClient({
        endpoint: server.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      })
      const direct: ItemsPage[] = []
      const viaSdk: ItemsPage[] = []
      for (const [pages, read] of [
        [
          direct,
          (k?: ItemJson) =>
            scanPageInProcess(engine, { tableName: 'things', limit: 3, exclusiveStartKey: k }),
        ],
        [viaSdk, (k?: ItemJson) => scanPage(client, { tableName: 'things', limit: 3, exclusiveStartKey: k })],
      ] as const) {
        let key: ItemJson | undefined
        do {
          const page = await read(key)
          pages.push(page)
          key = page.lastEvaluatedKey
        } while (key)
      }
      expect(direct.flatMap((p) => p.items)).toHaveLength(7)
      expect(direct).toEqual(viaSdk)
      client.destroy()
    } finally {
      await server.close()
      await engine.close()
    }
  })

  it('with fill, gathers up to the limit over several 1 MB Scan pages, in Scan order', async () => {
    const engine = createEngine({})
    try {
      await engine.call('CreateTable', {
        TableName: 'wide',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      })
      // 30 items of about 100 KB: a Scan page stops at 1 MB, about 10 of them.
      const pad = 'x'.repeat(100_000)
      for (let i = 0; i < 30; i++)
        await engine.call('PutItem', { TableName: 'wide', Item: { pk: { S: `K${i}` }, pad: { S: pad } } })
      const one = await scanPageInProcess(engine, { tableName: 'wide', limit: 25 })
      expect(one.items.length).toBeLessThan(25)
      const filled = await scanPageInProcess(engine, { tableName: 'wide', limit: 25, fill: true })
      expect(filled.items).toHaveLength(25)
      expect(filled.scannedCount).toBe(25)
      expect(filled.items.slice(0, one.items.length)).toEqual(one.items)
      const rest = await scanPageInProcess(engine, {
        tableName: 'wide',
        limit: 25,
        fill: true,
        exclusiveStartKey: filled.lastEvaluatedKey,
      })
      expect(rest.items).toHaveLength(5)
      expect(rest.lastEvaluatedKey).toBeUndefined()
      const keys = [...filled.items, ...rest.items].map((it) => it.pk)
      expect(new Set(keys.map((k) => JSON.stringify(k))).size).toBe(30)
      // Two parallel segments, each read to its end, hold every item once.
      const bySegment = []
      for (const segment of [0, 1]) {
        let key: ItemJson | undefined
        do {
          const page = await scanPageInProcess(engine, {
            tableName: 'wide',
            limit: 7,
            fill: true,
            segment,
            totalSegments: 2,
            exclusiveStartKey: key,
          })
          bySegment.push(...page.items.map((it) => (it.pk as { S: string }).S))
          key = page.lastEvaluatedKey
        } while (key)
      }
      expect(bySegment.sort()).toEqual(keys.map((k) => (k as { S: string }).S).sort())
      await expect(
        scanPageInProcess(engine, { tableName: 'wide', limit: 7, segment: 2, totalSegments: 2 }),
      ).rejects.toMatchObject({
        code: 'dynamodb.validation',
        message: expect.stringMatching(/Segment parameter is zero-based/),
      })
    } finally {
      await engine.close()
    }
  })

  it('reports a missing table with the same code as the SDK path', async () => {
    const engine = createEngine({})
    try {
      await expect(scanPageInProcess(engine, { tableName: 'nope', limit: 10 })).rejects.toMatchObject({
        code: 'table.notFound',
      })
    } finally {
      await engine.close()
    }
  })
})
