import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { TARGETS, localClientConfig } from '../support/targets'
import { parseModel, type Model } from '../../shared/domain/model'
import { runRecipe } from '../../electron/services/recipe.service'
import { dropTable, schemaLoad } from '../../electron/services/schema.service'

/**
 * runRecipe with every kind of step, on a model written here (no stream, so nothing follows): an order that takes
 * stock with a conditional Update, checks the customer with a ConditionCheck, and clears the cart with a Delete.
 */
function shopModel(table: string): Model {
  const parsed = parseModel({
    name: 'shop',
    tables: [
      {
        name: table,
        attributeDefinitions: [
          { attributeName: 'PK', attributeType: 'S' },
          { attributeName: 'SK', attributeType: 'S' },
        ],
        keySchema: [
          { attributeName: 'PK', keyType: 'HASH' },
          { attributeName: 'SK', keyType: 'RANGE' },
        ],
      },
    ],
    recipes: [
      {
        id: 'place-order',
        name: 'Place an order',
        params: [
          { name: 'order_id', type: 'string' },
          { name: 'customer', type: 'string', default: 'c1' },
          { name: 'sku', type: 'string', default: 'LAMP' },
          { name: 'qty', type: 'number', default: 1 },
        ],
        steps: [
          {
            op: 'Put',
            table,
            item: { PK: 'ORDER#{order_id}', SK: 'ORDER', sku: '{sku}', qty: '{qty}' },
            condition: 'attribute_not_exists(PK)',
          },
          {
            op: 'Update',
            table,
            key: { PK: 'PRODUCT#{sku}', SK: 'PRODUCT' },
            update: 'SET #stock = #stock - :qty',
            condition: '#stock >= :qty',
            values: { ':qty': '{qty}' },
          },
          {
            op: 'ConditionCheck',
            table,
            key: { PK: 'CUSTOMER#{customer}', SK: 'CUSTOMER' },
            condition: 'attribute_exists(PK)',
          },
          { op: 'Delete', table, key: { PK: 'CART#{customer}', SK: 'CART' } },
        ],
      },
    ],
  })
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
  return parsed.model
}

describe.each(TARGETS)('write recipes on $name', ({ start }) => {
  let stop: () => Promise<void> = async () => {}
  const table = `svc-recipes-${process.pid}`
  let ddb: DynamoDBClient
  let model: Model
  const stock = async () =>
    (
      await ddb.send(
        new GetItemCommand({
          TableName: table,
          Key: { PK: { S: 'PRODUCT#LAMP' }, SK: { S: 'PRODUCT' } },
          ConsistentRead: true,
        }),
      )
    ).Item?.stock?.N
  const put = (item: Record<string, string | number>) =>
    ddb.send(
      new PutItemCommand({
        TableName: table,
        Item: Object.fromEntries(
          Object.entries(item).map(([k, v]) => [k, typeof v === 'number' ? { N: String(v) } : { S: v }]),
        ),
      }),
    )

  beforeAll(async () => {
    let endpoint: string
    ;({ endpoint, stop } = await start())
    ddb = new DynamoDBClient(localClientConfig(endpoint))
    model = shopModel(table)
    await schemaLoad(ddb, model)
  })
  /** Each test starts from its own stock, a known customer and a full cart, whatever ran before. */
  const setUp = async (stockLeft: number) => {
    await put({ PK: 'PRODUCT#LAMP', SK: 'PRODUCT', stock: stockLeft })
    await put({ PK: 'CUSTOMER#c1', SK: 'CUSTOMER', name: 'Ada' })
    await put({ PK: 'CART#c1', SK: 'CART', items: 1 })
  }
  afterAll(async () => {
    await dropTable(ddb, table)
    ddb.destroy()
    await stop()
  })

  test.each(['transaction', 'steps'] as const)(
    'in %s mode every step runs, with the item before and after',
    async (mode) => {
      await setUp(3)
      const before = Number(await stock())
      const r = await runRecipe({ ddb }, model, 'place-order', { order_id: `o-${mode}`, qty: '2' }, { mode })
      expect(r).toMatchObject({ ok: true, mode, process: 'direct' })
      expect(r.writes.map((w) => [w.write.op, w.status])).toEqual([
        ['Put', 'written'],
        ['Update', 'written'],
        ['ConditionCheck', 'checked'],
        ['Delete', 'written'],
      ])
      const [, update, check] = r.writes
      expect(update!.before?.stock).toBe(before)
      expect(update!.after?.stock).toBe(before - 2)
      expect(check!.before?.name).toBe('Ada')
      expect(Number(await stock())).toBe(before - 2)
      expect(r.timeline.map((e) => e.kind)).toEqual(['write', 'write', 'write', 'write'])
    },
  )

  test('not enough stock: the transaction is cancelled, only the Update has a reason, nothing is written', async () => {
    await setUp(1)
    const r = await runRecipe(
      { ddb },
      model,
      'place-order',
      { order_id: 'o-big', qty: '5' },
      { mode: 'transaction' },
    )
    expect(r.ok).toBe(false)
    expect(r.failure?.code).toBe('dynamodb.conditionFailed')
    expect(r.writes.map((w) => [w.status, w.reason?.code])).toEqual([
      ['not-run', 'None'],
      ['failed', 'ConditionalCheckFailed'],
      ['not-run', 'None'],
      ['not-run', 'None'],
    ])
    expect(r.writes[1]!.before?.stock).toBe(1)
    expect(
      (
        await ddb.send(
          new GetItemCommand({ TableName: table, Key: { PK: { S: 'ORDER#o-big' }, SK: { S: 'ORDER' } } }),
        )
      ).Item,
    ).toBeUndefined()
    expect(await stock()).toBe('1')
  })

  test('not enough stock step by step: the Put stays, the Update is refused, the rest do not run', async () => {
    await setUp(1)
    const r = await runRecipe(
      { ddb },
      model,
      'place-order',
      { order_id: 'o-short', qty: '5' },
      { mode: 'steps' },
    )
    expect(r.ok).toBe(false)
    expect(r.writes.map((w) => w.status)).toEqual(['written', 'failed', 'not-run', 'not-run'])
    expect(r.writes[1]!.reason?.code).toBe('ConditionalCheckFailed')
    expect(r.timeline.map((e) => e.kind)).toEqual(['write', 'error', 'skip', 'skip'])
    expect(await stock()).toBe('1')
  })

  test('an unknown customer fails the ConditionCheck, in steps mode too (a one-action transaction)', async () => {
    await setUp(9)
    const r = await runRecipe(
      { ddb },
      model,
      'place-order',
      { order_id: 'o-who', customer: 'nobody' },
      { mode: 'steps' },
    )
    expect(r.writes.map((w) => w.status)).toEqual(['written', 'written', 'failed', 'not-run'])
    expect(r.writes[2]!.reason?.code).toBe('ConditionalCheckFailed')
  })
})
