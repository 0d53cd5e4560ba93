import { describe, expect, test } from 'vitest'
import type { TableSpec } from '../../shared/domain/model'
import { buildMoveRequests } from './cruddur-stream.handler'

const table: TableSpec = {
  name: 'cruddur-messages',
  attributeDefinitions: [
    { attributeName: 'pk', attributeType: 'S' },
    { attributeName: 'sk', attributeType: 'S' },
  ],
  keySchema: [
    { attributeName: 'pk', keyType: 'HASH' },
    { attributeName: 'sk', keyType: 'RANGE' },
  ],
  billingMode: 'PAY_PER_REQUEST',
}

describe('moving a conversation row', () => {
  const before = { pk: 'GRP#u1', sk: '2026-01-01T00:00:00.000000+00:00', message: 'old', message_group_uuid: 'g' }
  const after = { ...before, sk: '2026-01-02T00:00:00.000000+00:00', message: 'new' }
  const req = buildMoveRequests(table, before, after)

  test('puts the new row only where none exists', () => {
    expect(req.put).toEqual({
      TableName: 'cruddur-messages',
      Item: { pk: { S: 'GRP#u1' }, sk: { S: after.sk }, message: { S: 'new' }, message_group_uuid: { S: 'g' } },
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': 'pk' },
    })
  })

  test('deletes the old row only while it still has the old sort key', () => {
    expect(req.delete).toEqual({
      TableName: 'cruddur-messages',
      Key: { pk: { S: 'GRP#u1' }, sk: { S: before.sk } },
      ConditionExpression: '#sk = :old',
      ExpressionAttributeNames: { '#sk': 'sk' },
      ExpressionAttributeValues: { ':old': { S: before.sk } },
    })
  })

  test('the transaction holds the same put and delete, put first', () => {
    expect(req.transact.TransactItems?.map((i) => Object.keys(i)[0])).toEqual(['Put', 'Delete'])
    expect(req.transact.TransactItems?.[0]?.Put?.Item).toEqual(req.put.Item)
    expect(req.transact.TransactItems?.[1]?.Delete?.Key).toEqual(req.delete.Key)
  })
})
