import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { CRUDDUR_MODEL_FILE } from '../../seeds/cruddur'
import { parseModel } from '../../shared/domain/model'
import { buildCreateTable, diffTable } from './schema.service'

const parsed = parseModel(JSON.parse(readFileSync(CRUDDUR_MODEL_FILE, 'utf8')))
if (!parsed.ok) throw new Error('the Cruddur model must be valid')
const table = parsed.model.tables[0]!

describe('CreateTable builder', () => {
  test('Cruddur: the exact request', () => {
    expect(buildCreateTable(table)).toEqual({
      TableName: 'cruddur-messages',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'message_group_uuid', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'message-group-sk-index',
          KeySchema: [
            { AttributeName: 'message_group_uuid', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
          ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    })
  })

  test('on-demand tables send no throughput', () => {
    const input = buildCreateTable({ ...table, billingMode: 'PAY_PER_REQUEST' })
    expect(input.ProvisionedThroughput).toBeUndefined()
    expect(input.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput).toBeUndefined()
  })
})

describe('diffTable', () => {
  const live = () => {
    const req = buildCreateTable(table)
    return {
      TableName: req.TableName,
      AttributeDefinitions: [...req.AttributeDefinitions!].reverse(),
      KeySchema: req.KeySchema,
      GlobalSecondaryIndexes: req.GlobalSecondaryIndexes,
      StreamSpecification: req.StreamSpecification,
    }
  }
  test('a matching table has no differences (attribute order does not matter)', () => {
    expect(diffTable(table, live())).toEqual([])
  })
  test('a missing index, another key and no stream are each reported', () => {
    const t = {
      ...live(),
      GlobalSecondaryIndexes: [],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }],
      StreamSpecification: undefined,
    }
    expect(diffTable(table, t).map((d) => d.field)).toEqual([
      'keySchema',
      'globalSecondaryIndexes[message-group-sk-index]',
      'stream',
    ])
  })
})
