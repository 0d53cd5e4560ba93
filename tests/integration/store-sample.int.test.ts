import { DescribeTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { closeHandlerRunners } from '../../electron/services/handlers/invoke'
import { fromRow, toRow } from '../../electron/services/item-json'
import { loadModelSource } from '../../electron/services/open-model.service'
import { runPattern } from '../../electron/services/pattern.service'
import { runRecipe } from '../../electron/services/recipe.service'
import { scanTable } from '../../electron/services/scan.service'
import { suggestParamValues } from '../../electron/services/suggest.service'
import { dropTable } from '../../electron/services/schema.service'
import { matchEntityKeys } from '../../shared/domain/key-template'
import { renameModelTable, type Model } from '../../shared/domain/model'
import { TARGETS, localClientConfig } from '../support/targets'
import { assertBuilt, cli } from './cli-helpers'

/**
 * The store sample through the generic services and CLI, on our engine and on DynamoDB Local: nothing in the app
 * knows its names. Its table is renamed per run (DynamoDB Local is shared by the test files).
 */

const STORE_MODEL = path.resolve(import.meta.dirname, '../../seeds/store/model.json')
const SAMPLE_TABLE = 'store'

type Row = Record<string, unknown>
const keyOf = (r: Row) => `${String(r.PK)}|${String(r.SK)}`
const keys = (rows: Row[]) => rows.map(keyOf)

test('the store is a built-in sample: `tablewright models` lists it, and --model store opens it with its handler', async () => {
  assertBuilt()
  const listed = await cli(['models', '--json'])
  expect(listed.code).toBe(0)
  const models = (listed.json() as { models: { id: string; source: string; tables: string[] }[] }).models
  expect(models.find((m) => m.id === 'store')).toMatchObject({ source: 'builtin', tables: ['store'] })
  const valid = await cli(['model', 'validate', '--model', 'store'])
  expect(valid.code, valid.stderr).toBe(0)
  expect(valid.stdout).toContain(`stream handler store-customer-totals (store): ${path.dirname(STORE_MODEL)}`)
})

describe.each(TARGETS)('the store sample on $name', ({ start }) => {
  const table = `store-${process.pid}`
  let endpoint: string
  let stop: () => Promise<void> = async () => {}
  let client: DynamoDBClient
  let model: Model
  let sample: Row[]
  let dir: string
  let modelFile: string
  let conn: string[]
  let loaded: Awaited<ReturnType<typeof cli>>
  let seeded: Awaited<ReturnType<typeof cli>>

  const entityOf = (r: Row) => model.entities.find((e) => matchEntityKeys(e.keys, r))?.name
  const get = async (key: Row) => {
    const out = await client.send(
      new GetItemCommand({ TableName: table, Key: fromRow(key, true), ConsistentRead: true }),
    )
    return out.Item ? toRow(out.Item) : undefined
  }
  const customer = (id: string) => get({ PK: `CUST#${id}`, SK: `CUST#${id}` })
  const product = (sku: string) => get({ PK: `PRODUCT#${sku}`, SK: `PRODUCT#${sku}` })
  const allItems = async () => (await scanTable(client, table, { consistentRead: true })).items
  /** `tablewright run <recipe> --param k=v … --json` on this run's model file and endpoint. */
  const runCli = (recipe: string, params: Record<string, string | number>) =>
    cli([
      'run',
      recipe,
      '--model',
      modelFile,
      ...Object.entries(params).flatMap(([k, v]) => ['--param', `${k}=${v}`]),
      ...conn,
      '--json',
    ])
  /** The recipe through the services, without following the stream (stream-process does that below). */
  const placeOrder = (params: Record<string, string | number>) =>
    runRecipe({ ddb: client }, model, 'place-order', params, { process: 'none' })

  beforeAll(async () => {
    assertBuilt()
    ;({ endpoint, stop } = await start())
    client = new DynamoDBClient(localClientConfig(endpoint))
    conn = ['--endpoint', endpoint]
    const source = await loadModelSource(STORE_MODEL)
    sample = source.items[SAMPLE_TABLE]!
    model = renameModelTable(source.model, SAMPLE_TABLE, table)
    // The same model under this run's table name, as a file the CLI opens (its handler path is already absolute).
    dir = mkdtempSync(path.join(os.tmpdir(), 'tw-store-int-'))
    modelFile = path.join(dir, 'model.json')
    writeFileSync(path.join(dir, 'items.json'), JSON.stringify({ [table]: sample }))
    writeFileSync(modelFile, JSON.stringify({ ...model, sampleData: { itemsFile: 'items.json' } }))
    loaded = await cli(['schema-load', '--model', modelFile, ...conn, '--json'])
    seeded = await cli(['seed', '--model', modelFile, ...conn, '--json'])
  })
  afterAll(async () => {
    closeHandlerRunners()
    await dropTable(client, table)
    client.destroy()
    rmSync(dir, { recursive: true, force: true })
    await stop()
  })

  test('schema-load (CLI) creates the table with GSI1, the sparse open-orders index, the LSI and a stream', async () => {
    expect(loaded.code).toBe(0)
    expect(loaded.json()).toMatchObject({ tables: [{ table, status: 'created' }] })
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }))
    expect(Table!.KeySchema).toEqual([
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ])
    expect(Table!.GlobalSecondaryIndexes!.map((g) => g.IndexName).sort()).toEqual(['GSI1', 'open-orders'])
    expect(Table!.LocalSecondaryIndexes!.map((l) => [l.IndexName, l.KeySchema])).toEqual([
      [
        'orders-by-date',
        [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'placed_at', KeyType: 'RANGE' },
        ],
      ],
    ])
    expect(Table!.StreamSpecification).toMatchObject({
      StreamEnabled: true,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    })
    const again = await cli(['schema-load', '--model', modelFile, ...conn, '--json'])
    expect(again.json()).toMatchObject({ tables: [{ table, status: 'exists', differences: [] }] })
  })

  test('seed (CLI) writes every sample item, each of one of the four entities', async () => {
    expect(seeded.code).toBe(0)
    const live = new Set(keys(await allItems()))
    for (const k of keys(sample)) expect(live.has(k), k).toBe(true)
    expect(new Set(sample.map(entityOf))).toEqual(new Set(['Customer', 'Order', 'OrderLine', 'Product']))
  })

  test('every access pattern returns the expected sample items and meets its expectations', async () => {
    const is = (entity: string) => (r: Row) => entityOf(r) === entity
    const orders = sample.filter(is('Order'))
    const expected: Record<string, { params?: Record<string, string>; items: Row[]; ordered?: boolean }> = {
      'get-customer': { items: sample.filter((r) => r.PK === 'CUST#ann' && r.SK === 'CUST#ann') },
      'customer-by-username': {
        params: { username: 'bob' },
        items: sample.filter((r) => r.username === 'bob'),
      },
      'customer-orders': { items: orders.filter((o) => o.customer_id === 'ann') },
      'customer-orders-by-date': {
        params: { customer_id: 'bob' },
        items: orders
          .filter((o) => o.customer_id === 'bob')
          .sort((a, b) => String(b.placed_at).localeCompare(String(a.placed_at))),
        ordered: true,
      },
      'order-with-lines': {
        items: sample.filter((r) => r.order_id === '6f1c2a9e-0d3b-4b7a-9c11-2b5e8d0a0101'),
      },
      'products-in-category': {
        params: { category: 'displays' },
        items: sample.filter((r) => r.category === 'displays'),
      },
      'get-product': {
        params: { sku: 'CB-USB' },
        items: sample.filter((r) => r.sku === 'CB-USB' && is('Product')(r)),
      },
      'customer-totals': { items: sample.filter((r) => r.PK === 'CUST#ann' && r.SK === 'CUST#ann') },
    }
    expect(Object.keys(expected).sort()).toEqual(
      model.accessPatterns
        .map((p) => p.id)
        .filter((id) => id !== 'open-orders')
        .sort(),
    )
    for (const [id, want] of Object.entries(expected)) {
      const out = await runPattern(client, model, id, want.params ?? {})
      expect(want.items.length, id).toBeGreaterThan(0)
      if (want.ordered) expect(keys(out.items), id).toEqual(keys(want.items))
      else expect(keys(out.items).sort(), id).toEqual(keys(want.items).sort())
      expect(
        out.expectations.filter((e) => !e.held),
        id,
      ).toEqual([])
    }
    // The order and its lines share GSI1's ORDER# partition: one Query, two entities.
    const withLines = await runPattern(client, model, 'order-with-lines')
    expect(withLines.items.map(entityOf).sort()).toEqual(['Order', 'OrderLine', 'OrderLine'])
  })

  test('a pattern through the CLI: the LSI query, with a date range narrowing it', async () => {
    const ran = await cli([
      'pattern',
      'customer-orders-by-date',
      '--model',
      modelFile,
      '--param',
      'customer_id=ann',
      '--param',
      'from=2026-11-15T00:00:00Z',
      ...conn,
      '--json',
    ])
    expect(ran.code).toBe(0)
    const doc = ran.json() as { servedBy: string; request: Row; items: Row[] }
    expect(doc.request).toMatchObject({ IndexName: 'orders-by-date', ScanIndexForward: false })
    // ann has two sample orders (2 and 18 November); only the second is after the 15th
    expect(doc.items.map((i) => i.order_id)).toEqual(['6f1c2a9e-0d3b-4b7a-9c11-2b5e8d0a0102'])
    const all = await runPattern(client, model, 'customer-orders-by-date', { customer_id: 'ann' })
    expect(all.items.map((i) => i.placed_at)).toEqual(['2026-11-18T17:40:00Z', '2026-11-02T09:15:00Z'])
    // the customer row shares the partition but has no placed_at, so the LSI leaves it out
    expect(all.items.every((i) => entityOf(i) === 'Order')).toBe(true)
  })

  test('bound parameters suggest values from the table: products with their price for place-order, customers by name', async () => {
    const skus = await suggestParamValues(client, model, { recipeId: 'place-order' }, 'sku')
    const products = sample.filter((r) => entityOf(r) === 'Product')
    expect(skus.suggestions.map((x) => x.value).sort()).toEqual(products.map((p) => p.sku).sort())
    expect(skus.suggestions.find((x) => x.value === 'CB-USB')).toEqual({
      value: 'CB-USB',
      label: 'USB-C cable (0 in stock)',
      companions: { product_name: 'USB-C cable', price_cents: 899, total_cents: 899 },
    })
    const customers = await suggestParamValues(client, model, { patternId: 'get-customer' }, 'customer_id')
    expect(customers.suggestions.find((x) => x.value === 'dee')).toMatchObject({ label: 'Dee Novak' })
    expect(
      customers.suggestions.every((x) => typeof x.value === 'string' && !String(x.value).includes('#')),
    ).toBe(true)
  })

  test('the sparse open-orders index holds exactly the open orders, with its projected attributes', async () => {
    const open = (await allItems()).filter((r) => entityOf(r) === 'Order' && r.status === 'OPEN')
    expect(open.length).toBeGreaterThan(0)
    const index = (await scanTable(client, table, { index: 'open-orders' })).items
    expect(keys(index).sort()).toEqual(keys(open).sort())
    for (const r of index)
      expect(Object.keys(r).sort()).toEqual(
        ['PK', 'SK', 'OpenOrdersPK', 'placed_at', 'order_id', 'customer_id', 'total_cents'].sort(),
      )
    const out = await runPattern(client, model, 'open-orders')
    expect(out.items.map((i) => i.placed_at)).toEqual(open.map((o) => o.placed_at).sort())
    expect(out.expectations.filter((e) => !e.held)).toEqual([])
  })

  test('place-order through `tablewright run`: one transaction, stock drops, order and line written, the handler counts it', async () => {
    const orderId = '11111111-2222-4333-8444-000000000001'
    const stock = Number((await product('HS-05'))!.stock)
    const cho = (await customer('cho'))!
    const ran = await runCli('place-order', {
      customer_id: 'cho',
      order_id: orderId,
      placed_at: '2026-11-26T10:00:00Z',
      sku: 'HS-05',
      product_name: 'Headset',
      qty: 2,
      price_cents: 7900,
      total_cents: 15800,
    })
    expect(ran.code, ran.stderr).toBe(0)
    const doc = ran.json() as {
      ok: boolean
      mode: string
      request: { TransactItems: Record<string, Row>[] }
      writes: { op: string; status: string }[]
      handlerReports: { record: { eventName: string; keys: Row }; steps: { kind: string }[] }[]
    }
    expect(doc).toMatchObject({ ok: true, mode: 'transaction' })
    expect(doc.request.TransactItems.map((a) => Object.keys(a)[0])).toEqual([
      'ConditionCheck',
      'Update',
      'Put',
      'Put',
    ])
    expect(doc.request.TransactItems[1]!.Update).toMatchObject({
      UpdateExpression: 'SET stock = stock - :qty',
      ConditionExpression: 'stock >= :qty',
      ExpressionAttributeValues: { ':qty': { N: '2' } },
    })
    expect(doc.writes.map((w) => [w.op, w.status])).toEqual([
      ['ConditionCheck', 'checked'],
      ['Update', 'written'],
      ['Put', 'written'],
      ['Put', 'written'],
    ])
    expect((await product('HS-05'))!.stock).toBe(stock - 2)
    expect(await get({ PK: 'CUST#cho', SK: `ORDER#${orderId}` })).toMatchObject({
      status: 'OPEN',
      OpenOrdersPK: 'OPEN',
      total_cents: 15800,
    })
    const lines = await runPattern(client, model, 'order-with-lines', { order_id: orderId })
    expect(lines.items.map(entityOf).sort()).toEqual(['Order', 'OrderLine'])
    expect(lines.items.find((i) => entityOf(i) === 'OrderLine')).toMatchObject({ sku: 'HS-05', qty: 2 })
    expect((await runPattern(client, model, 'open-orders')).items.map((i) => i.order_id)).toContain(orderId)
    // run followed the table's stream into the store handler: the new order is counted into cho's totals
    const counted = doc.handlerReports.find((r) => r.record.keys.SK === `ORDER#${orderId}`)
    expect(counted!.steps.map((st) => st.kind)).toEqual(['update', 'log'])
    expect(await customer('cho')).toMatchObject({
      order_count: Number(cho.order_count) + 1,
      spent_cents: Number(cho.spent_cents) + 15800,
    })
  })

  test('ship-order through `tablewright run` takes the order out of the sparse index; only an open order ships', async () => {
    const orderId = '11111111-2222-4333-8444-000000000005'
    const placed = await placeOrder({
      customer_id: 'cho',
      order_id: orderId,
      placed_at: '2026-11-26T10:30:00Z',
    })
    expect(placed.ok).toBe(true)
    expect((await runPattern(client, model, 'open-orders')).items.map((i) => i.order_id)).toContain(orderId)
    const ship = await runCli('ship-order', {
      customer_id: 'cho',
      order_id: orderId,
      shipped_at: '2026-11-27T09:00:00Z',
    })
    expect(ship.code, ship.stderr).toBe(0)
    const shipped = (await get({ PK: 'CUST#cho', SK: `ORDER#${orderId}` }))!
    expect(shipped).toMatchObject({ status: 'SHIPPED', shipped_at: '2026-11-27T09:00:00Z' })
    expect(shipped.OpenOrdersPK).toBeUndefined()
    expect((await runPattern(client, model, 'open-orders')).items.map((i) => i.order_id)).not.toContain(
      orderId,
    )
    const again = await runCli('ship-order', { customer_id: 'cho', order_id: orderId })
    expect(again.code).toBe(1)
    expect(again.json()).toMatchObject({ ok: false, writes: [{ op: 'Update', status: 'failed' }] })
  })

  test('an out-of-stock order is cancelled whole: ConditionalCheckFailed on the stock step, nothing written', async () => {
    const before = await allItems()
    const orderId = '11111111-2222-4333-8444-000000000002'
    const ran = await runCli('place-order', {
      customer_id: 'ann',
      order_id: orderId,
      placed_at: '2026-11-26T11:00:00Z',
      sku: 'CB-USB',
      product_name: 'USB-C cable',
      qty: 1,
      price_cents: 899,
      total_cents: 899,
    })
    expect(ran.code).toBe(1)
    const doc = ran.json() as {
      ok: boolean
      code: string
      writes: { op: string; status: string; reason?: { code: string } }[]
      handlerReports: unknown[]
    }
    expect(doc.ok).toBe(false)
    // TransactionCanceledException's CancellationReasons, one per action in order:
    // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
    expect(doc.writes.map((w) => [w.op, w.status, w.reason?.code ?? 'None'])).toEqual([
      ['ConditionCheck', 'not-run', 'None'],
      ['Update', 'failed', 'ConditionalCheckFailed'],
      ['Put', 'not-run', 'None'],
      ['Put', 'not-run', 'None'],
    ])
    expect(doc.handlerReports).toEqual([])
    const after = await allItems()
    expect(new Map(after.map((r) => [keyOf(r), r]))).toEqual(new Map(before.map((r) => [keyOf(r), r])))
    expect((await product('CB-USB'))!.stock).toBe(0)
  })

  test('an order for a customer that does not exist is refused by the ConditionCheck step', async () => {
    const out = await placeOrder({
      customer_id: 'nobody',
      order_id: '11111111-2222-4333-8444-000000000003',
      placed_at: '2026-11-26T12:00:00Z',
      sku: 'MS-02',
    })
    expect(out.ok).toBe(false)
    expect(out.writes.map((w) => [w.status, w.reason?.code ?? 'None'])).toEqual([
      ['failed', 'ConditionalCheckFailed'],
      ['not-run', 'None'],
      ['not-run', 'None'],
      ['not-run', 'None'],
    ])
    expect(await get({ PK: 'CUST#nobody', SK: 'ORDER#11111111-2222-4333-8444-000000000003' })).toBeUndefined()
  })

  test("stream-process (CLI) runs the store handler: a new order is counted into its customer's totals, once", async () => {
    const orderId = '11111111-2222-4333-8444-000000000004'
    expect(await customer('dee')).not.toHaveProperty('order_count')
    const untouched = await customer('bob')
    const placed = await placeOrder({
      customer_id: 'dee',
      order_id: orderId,
      placed_at: '2026-11-26T13:00:00Z',
      sku: 'MS-02',
      product_name: 'Wireless mouse',
      qty: 3,
      price_cents: 1999,
      total_cents: 5997,
    })
    expect(placed.ok).toBe(true)
    const first = await cli([
      'stream-process',
      '--model',
      modelFile,
      ...conn,
      '--from',
      'trim_horizon',
      '--json',
    ])
    expect(first.code, first.stderr).toBe(0)
    const doc = first.json() as {
      ok: boolean
      summary: { errors: number; failedBatches: number; records: number }
      reports: { record: { eventName: string; keys: Row }; steps: { kind: string; reason?: string }[] }[]
    }
    expect(doc).toMatchObject({ ok: true, table, summary: { errors: 0, failedBatches: 0 } })
    expect(doc.summary.records).toBeGreaterThanOrEqual(sample.length)
    // the new order was counted (an update), the seeded ones were already counted (skips)
    const reportOf = (sk: string) =>
      doc.reports.find((r) => r.record.keys.SK === sk && r.record.eventName === 'INSERT')
    expect(reportOf(`ORDER#${orderId}`)!.steps.map((s) => s.kind)).toEqual(['update', 'log'])
    expect(reportOf('ORDER#6f1c2a9e-0d3b-4b7a-9c11-2b5e8d0a0103')!.steps).toEqual([
      expect.objectContaining({
        kind: 'conflict',
        detail: 'UpdateItem refused: ConditionalCheckFailedException: The conditional request failed',
      }),
      expect.objectContaining({ kind: 'read', op: 'GetItem' }),
      { kind: 'skip', reason: 'order 6f1c2a9e-0d3b-4b7a-9c11-2b5e8d0a0103 is already counted for CUST#bob' },
    ])
    expect(reportOf('PRODUCT#KB-01')!.steps).toEqual([
      { kind: 'skip', reason: 'not an order row (PRODUCT#KB-01 / PRODUCT#KB-01)' },
    ])
    const dee = await customer('dee')
    expect(dee).toMatchObject({ order_count: 1, spent_cents: 5997, counted_orders: [orderId] })
    expect(await customer('bob')).toEqual(untouched)

    // A later run continues from the checkpoint; replaying the whole stream again counts nothing twice.
    const next = await cli(['stream-process', '--model', modelFile, ...conn, '--json'])
    expect(next.code, next.stderr).toBe(0)
    expect((next.json() as { reports: unknown[] }).reports.length).toBeLessThan(doc.reports.length)
    const replay = await cli([
      'stream-process',
      '--model',
      modelFile,
      ...conn,
      '--from',
      'trim_horizon',
      '--json',
    ])
    expect(replay.code, replay.stderr).toBe(0)
    expect(await customer('dee')).toEqual(dee)
    expect(await customer('bob')).toEqual(untouched)
  })
})
