import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb'
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createEngine, startEngineServer, type EngineServer } from '../../electron/engine'
import { loadModelSource } from '../../electron/services/open-model.service'
import { schemaLoad } from '../../electron/services/schema.service'
import { seedModel } from '../../electron/services/seed.service'
import { entitySpecificity, matchEntityKeys } from '../../shared/domain/key-template'
import { generateData } from '../../shared/domain/generator'
import type { Model } from '../../shared/domain/model'

const MODEL_FILE = path.join(import.meta.dirname, 'model.json')
const TABLE = 'store'
const ARN = `arn:aws:dynamodb:us-east-1:000000000000:table/${TABLE}/stream/2026-11-01T00:00:00.000`

type Row = Record<string, unknown>

/** The entity whose key templates fit, the most specific first (as the visualizer decides). */
function entityOf(model: Model, item: Row): string | undefined {
  return [...model.entities]
    .sort((a, b) => entitySpecificity(b.keys) - entitySpecificity(a.keys))
    .find((e) => matchEntityKeys(e.keys, item))?.name
}

let seq = 0
/** A stream record as Lambda delivers it (DynamoDB JSON images). */
function record(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', image: Row, old?: Row) {
  const keys = { PK: image.PK, SK: image.SK }
  return {
    eventID: `e-${++seq}`,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    eventSourceARN: ARN,
    dynamodb: {
      Keys: marshall(keys),
      ...(eventName !== 'REMOVE' ? { NewImage: marshall(image) } : {}),
      ...(old ? { OldImage: marshall(old) } : {}),
      SequenceNumber: String(1000 + seq),
      SizeBytes: 100,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  }
}

const order = (customer: string, id: string, total: number): Row => ({
  PK: `CUST#${customer}`,
  SK: `ORDER#${id}`,
  order_id: id,
  customer_id: customer,
  placed_at: '2026-11-25T10:00:00Z',
  status: 'OPEN',
  OpenOrdersPK: 'OPEN',
  total_cents: total,
})

let model: Model
let items: Row[]
beforeAll(async () => {
  const source = await loadModelSource(MODEL_FILE)
  model = source.model
  items = source.items[TABLE]!
})

describe('the store model', () => {
  test('validates, with its handler file resolved beside it and its sample items loaded', () => {
    expect(model.name).toBe('store')
    const [table] = model.tables
    expect(table!.keySchema.map((k) => k.attributeName)).toEqual(['PK', 'SK'])
    expect(table!.globalSecondaryIndexes!.map((g) => g.indexName)).toEqual(['GSI1', 'open-orders'])
    expect(table!.localSecondaryIndexes!.map((l) => l.indexName)).toEqual(['orders-by-date'])
    expect(model.entities.map((e) => e.name)).toEqual(['Customer', 'Order', 'OrderLine', 'Product'])
    for (const e of model.entities) expect(e.colour).toMatch(/^#[0-9a-f]{6}$/)
    expect(model.streamHandlers[0]!.file).toBe(path.join(import.meta.dirname, 'handler.mjs'))
    expect(items.length).toBeGreaterThan(0)
  })

  test('every access pattern names its entity and states expectations; the recipe is a transaction', () => {
    for (const p of model.accessPatterns) {
      expect(p.entity, p.id).toBeDefined()
      expect(p.expectations?.servedBy, p.id).toBeDefined()
    }
    const indexes = new Set(model.accessPatterns.map((p) => p.index))
    expect(indexes).toEqual(new Set([undefined, 'GSI1', 'open-orders', 'orders-by-date']))
    const place = model.recipes.find((r) => r.id === 'place-order')!
    expect(place.mode).toBe('transaction')
    expect(place.steps.map((s) => s.op)).toEqual(['ConditionCheck', 'Update', 'Put', 'Put'])
    expect(place.steps[1]).toMatchObject({ update: 'SET stock = stock - :qty', condition: 'stock >= :qty' })
  })

  test('every sample item belongs to exactly one entity, and every entity has items', () => {
    const counts = new Map<string, number>()
    for (const item of items) {
      const fits = model.entities.filter((e) => matchEntityKeys(e.keys, item))
      expect(
        fits.map((e) => e.name),
        `${String(item.PK)} / ${String(item.SK)}`,
      ).toHaveLength(1)
      const name = entityOf(model, item)!
      counts.set(name, (counts.get(name) ?? 0) + 1)
    }
    for (const e of model.entities) expect(counts.get(e.name), e.name).toBeGreaterThan(0)
  })

  test('only open orders carry the sparse index key; customer totals agree with their orders', () => {
    const orders = items.filter((i) => entityOf(model, i) === 'Order')
    for (const o of orders) expect(o.OpenOrdersPK !== undefined, String(o.SK)).toBe(o.status === 'OPEN')
    expect(orders.some((o) => o.status !== 'OPEN')).toBe(true)
    for (const c of items.filter((i) => entityOf(model, i) === 'Customer')) {
      const mine = orders.filter((o) => o.customer_id === c.customer_id)
      expect(c.order_count ?? 0).toBe(mine.length)
      expect(c.spent_cents ?? 0).toBe(mine.reduce((n, o) => n + Number(o.total_cents), 0))
      expect(c.counted_orders ?? []).toEqual(mine.map((o) => o.order_id))
    }
    // each order's total is the sum of its lines
    for (const o of orders) {
      const lines = items.filter((i) => entityOf(model, i) === 'OrderLine' && i.order_id === o.order_id)
      expect(lines).toHaveLength(Number(o.line_count))
      expect(lines.reduce((n, l) => n + Number(l.qty) * Number(l.price_cents), 0)).toBe(o.total_cents)
    }
  })
})

describe('the store generator', () => {
  test('makes all four entities, deterministic for its seed, consistent as the sample items are', () => {
    const first = generateData(model)
    expect(generateData(model).items).toEqual(first.items)
    const rows = first.items[TABLE]!
    const entity = new Map(rows.map((r) => [r, entityOf(model, r)]))
    const by = (name: string) => rows.filter((r) => entity.get(r) === name)
    expect(rows.filter((r) => entity.get(r) === undefined)).toEqual([])
    const orders = by('Order')
    expect([by('Product').length, by('Customer').length, orders.length, by('OrderLine').length]).toEqual([
      40, 100, 460, 460,
    ])
    // keys are unique; GSI1's keys come from the entities' templates
    expect(new Set(rows.map((r) => `${String(r.PK)}|${String(r.SK)}`)).size).toBe(rows.length)
    expect(new Set(by('Customer').map((c) => c.GSI1PK)).size).toBe(100)
    const customers = new Set(by('Customer').map((c) => c.PK))
    const lines = new Map<unknown, Row[]>()
    for (const l of by('OrderLine')) lines.set(l.order_id, [...(lines.get(l.order_id) ?? []), l])
    for (const o of orders) {
      expect(o.GSI1PK).toBe(`ORDER#${String(o.order_id)}`)
      expect(o.OpenOrdersPK !== undefined, String(o.SK)).toBe(o.status === 'OPEN')
      const mine = lines.get(o.order_id) ?? []
      expect(mine).toHaveLength(1)
      expect(Number(mine[0]!.qty) * Number(mine[0]!.price_cents)).toBe(o.total_cents)
      expect(customers.has(o.PK)).toBe(true)
    }
    expect(orders.filter((o) => o.status === 'OPEN')).toHaveLength(60)
  })
})

describe('the store stream handler', () => {
  let server: EngineServer
  let client: DynamoDBClient
  let handlerModule: {
    handler: (event: unknown) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>
    planRecord: (r: unknown) => Record<string, unknown>
  }
  const savedEnv = { ...process.env }
  const logs: string[] = []
  const originalLog = console.log

  beforeAll(async () => {
    server = await startEngineServer(createEngine(), { port: 0 })
    // The handler builds its client from the environment, as on Lambda; here it points at the engine.
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: server.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    })
    client = new DynamoDBClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    })
    await schemaLoad(client, model)
    await seedModel(client, model, { items: { [TABLE]: items } })
    // Imported by URL, as Lambda loads it: plain JavaScript with no type declarations.
    const url = pathToFileURL(path.join(import.meta.dirname, 'handler.mjs')).href
    handlerModule = (await import(url)) as typeof handlerModule
    console.log = (...args: unknown[]) => logs.push(args.map(String).join(' '))
  })
  afterAll(async () => {
    console.log = originalLog
    process.env = savedEnv
    client?.destroy()
    await server?.close()
  })

  const customer = async (id: string) => {
    const out = await client.send(
      new GetItemCommand({
        TableName: TABLE,
        Key: marshall({ PK: `CUST#${id}`, SK: `CUST#${id}` }),
        ConsistentRead: true,
      }),
    )
    return out.Item ? unmarshall(out.Item) : undefined
  }

  test('planRecord: new orders are counted; MODIFY, REMOVE and other rows are skipped with a reason', () => {
    const { planRecord } = handlerModule
    expect(planRecord(record('INSERT', order('ann', 'o-1', 1200)))).toEqual({
      table: TABLE,
      customerKey: { PK: 'CUST#ann', SK: 'CUST#ann' },
      orderId: 'o-1',
      total: 1200,
    })
    expect(planRecord(record('MODIFY', order('ann', 'o-1', 1200)))).toEqual({
      skip: 'MODIFY: only new orders change the totals',
    })
    expect(planRecord(record('REMOVE', order('ann', 'o-1', 1200)))).toMatchObject({
      skip: expect.stringMatching(/^REMOVE/),
    })
    const product = { PK: 'PRODUCT#KB-01', SK: 'PRODUCT#KB-01', stock: 3 }
    expect(planRecord(record('INSERT', product))).toEqual({
      skip: 'not an order row (PRODUCT#KB-01 / PRODUCT#KB-01)',
    })
  })

  test('a batch of new orders adds each to its customer, including a first order', async () => {
    const before = (await customer('ann'))!
    const out = await handlerModule.handler({
      Records: [
        record('INSERT', order('ann', 'o-10', 1000)),
        record('INSERT', order('dee', 'o-11', 2500)),
        record('INSERT', order('ann', 'o-12', 300)),
      ],
    })
    expect(out).toEqual({ batchItemFailures: [] })
    const ann = (await customer('ann'))!
    expect(ann.order_count).toBe(Number(before.order_count) + 2)
    expect(ann.spent_cents).toBe(Number(before.spent_cents) + 1300)
    expect(ann.counted_orders).toEqual([...(before.counted_orders as string[]), 'o-10', 'o-12'])
    expect(await customer('dee')).toMatchObject({
      order_count: 1,
      spent_cents: 2500,
      counted_orders: ['o-11'],
    })
  })

  test('a redelivered record changes nothing (idempotent per order)', async () => {
    const again = record('INSERT', order('dee', 'o-20', 700))
    await handlerModule.handler({ Records: [again] })
    const once = await customer('dee')
    logs.length = 0
    const out = await handlerModule.handler({ Records: [again, again] })
    expect(out).toEqual({ batchItemFailures: [] })
    expect(await customer('dee')).toEqual(once)
    expect(logs).toEqual([
      'skip: order o-20 is already counted for CUST#dee',
      'skip: order o-20 is already counted for CUST#dee',
    ])
  })

  test('the seeded orders are already counted, so replaying the whole table changes no customer', async () => {
    const customers = items.filter((i) => String(i.SK).startsWith('CUST#')).map((i) => String(i.customer_id))
    const before = await Promise.all(customers.map(customer))
    await handlerModule.handler({
      Records: items.filter((i) => String(i.SK).startsWith('ORDER#')).map((i) => record('INSERT', i)),
    })
    expect(await Promise.all(customers.map(customer))).toEqual(before)
  })

  test('MODIFY and REMOVE leave the totals alone; an order of an unknown customer creates no customer row', async () => {
    const before = await customer('bob')
    logs.length = 0
    await handlerModule.handler({
      Records: [
        record('MODIFY', { ...order('bob', 'o-30', 999), status: 'SHIPPED' }, order('bob', 'o-30', 999)),
        record('REMOVE', order('bob', 'o-30', 999), order('bob', 'o-30', 999)),
        record('INSERT', order('nobody', 'o-31', 100)),
      ],
    })
    expect(await customer('bob')).toEqual(before)
    expect(await customer('nobody')).toBeUndefined()
    expect(logs).toEqual([
      'skip: MODIFY: only new orders change the totals',
      'skip: REMOVE: a deleted order stays in the customer’s totals',
      'skip: no customer row CUST#nobody for order o-31',
    ])
  })
})
