import { describe, expect, test } from 'vitest'
import { parseModel, type Model } from '../../shared/domain/model'
import { planRecipe } from './recipe.builder'

// A model written here, not a sample: the builder must work for any model.
const parsed = parseModel({
  name: 'shop',
  tables: [
    {
      name: 'shop',
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
        { name: 'order_id', type: 'uuid' },
        { name: 'sku', type: 'string', default: 'LAMP-1' },
        { name: 'qty', type: 'number', default: 1 },
        { name: 'note', type: 'string', required: false },
      ],
      steps: [
        {
          op: 'Put',
          table: 'shop',
          item: { PK: 'ORDER#{order_id}', SK: 'ORDER', sku: '{sku}', qty: '{qty}', note: '{note}' },
          condition: 'attribute_not_exists(PK)',
        },
        {
          op: 'Update',
          table: 'shop',
          key: { PK: 'PRODUCT#{sku}', SK: 'PRODUCT' },
          update: 'SET #stock = #stock - :qty',
          condition: '#stock >= :qty',
          values: { ':qty': '{qty}' },
        },
        {
          op: 'ConditionCheck',
          table: 'shop',
          key: { PK: 'CUSTOMER#1', SK: 'CUSTOMER' },
          condition: 'attribute_exists(PK)',
        },
        { op: 'Delete', table: 'shop', key: { PK: 'CART#{order_id}', SK: 'CART' } },
      ],
    },
  ],
})
if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
const model: Model = parsed.model
const gen = { uuid: () => '00000000-0000-4000-8000-000000000001', now: () => '2026-01-01T00:00:00.000Z' }

describe('recipe builder', () => {
  test('each step becomes its TransactWriteItems action, keys and values from the parameters', () => {
    const plan = planRecipe(model, 'place-order', { qty: '3' }, gen)
    expect(plan.params).toEqual({ order_id: '00000000-0000-4000-8000-000000000001', sku: 'LAMP-1', qty: 3 })
    expect(plan.writes.map((w) => w.action)).toEqual([
      {
        Put: {
          TableName: 'shop',
          // `note` was optional and not given: the item has no note attribute.
          Item: {
            PK: { S: 'ORDER#00000000-0000-4000-8000-000000000001' },
            SK: { S: 'ORDER' },
            sku: { S: 'LAMP-1' },
            qty: { N: '3' },
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        Update: {
          TableName: 'shop',
          Key: { PK: { S: 'PRODUCT#LAMP-1' }, SK: { S: 'PRODUCT' } },
          UpdateExpression: 'SET #stock = #stock - :qty',
          ConditionExpression: '#stock >= :qty',
          ExpressionAttributeNames: { '#stock': 'stock' },
          ExpressionAttributeValues: { ':qty': { N: '3' } },
        },
      },
      {
        ConditionCheck: {
          TableName: 'shop',
          Key: { PK: { S: 'CUSTOMER#1' }, SK: { S: 'CUSTOMER' } },
          ConditionExpression: 'attribute_exists(PK)',
        },
      },
      {
        Delete: {
          TableName: 'shop',
          Key: { PK: { S: 'CART#00000000-0000-4000-8000-000000000001' }, SK: { S: 'CART' } },
        },
      },
    ])
    expect(plan.writes[0]!.key).toEqual({ PK: 'ORDER#00000000-0000-4000-8000-000000000001', SK: 'ORDER' })
  })

  test('an unknown recipe lists the valid ones; a bad parameter lists the parameters', () => {
    expect(() => planRecipe(model, 'nope', {}, gen)).toThrow(
      expect.objectContaining({
        code: 'recipe.notFound',
        details: { recipe: 'nope', valid: ['place-order'] },
      }),
    )
    expect(() => planRecipe(model, 'place-order', { colour: 'red' }, gen)).toThrow(
      /colour: not a parameter of recipe place-order\. Parameters of place-order: order_id .*sku .*qty .*note/,
    )
    expect(() => planRecipe(model, 'place-order', { qty: 'many' }, gen)).toThrow(
      expect.objectContaining({ code: 'recipe.invalidParams' }),
    )
  })
})
