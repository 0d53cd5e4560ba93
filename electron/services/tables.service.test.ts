import { describe, expect, it } from 'vitest'
import { buildCreateTable } from './tables.service'

describe('buildCreateTable', () => {
  it('turns the dialog’s spec into one CreateTable request', () => {
    expect(
      buildCreateTable({
        name: 'orders',
        partitionKey: { name: 'pk', type: 'S' },
        sortKey: { name: 'sk', type: 'S' },
        gsis: [
          {
            name: 'by-status',
            partitionKey: { name: 'status', type: 'S' },
            sortKey: { name: 'at', type: 'N' },
            projection: { type: 'INCLUDE', nonKeyAttributes: ['total'] },
            capacity: { read: 2, write: 3 },
          },
        ],
        lsis: [{ name: 'by-at', sortKey: { name: 'at', type: 'N' }, projection: { type: 'KEYS_ONLY' } }],
        billing: { mode: 'PROVISIONED', read: 5, write: 6 },
        stream: { enabled: true, viewType: 'NEW_AND_OLD_IMAGES' },
      }),
    ).toEqual({
      TableName: 'orders',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'status', AttributeType: 'S' },
        { AttributeName: 'at', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'by-status',
          KeySchema: [
            { AttributeName: 'status', KeyType: 'HASH' },
            { AttributeName: 'at', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] },
          ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
        },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: 'by-at',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'at', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 6 },
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    })
  })

  it('sends on-demand tables without capacity, and no index lists when there are none', () => {
    const input = buildCreateTable({
      name: 'simple',
      partitionKey: { name: 'id', type: 'N' },
      gsis: [],
      lsis: [],
      billing: { mode: 'PAY_PER_REQUEST' },
      stream: { enabled: false },
    })
    expect(input).toEqual({
      TableName: 'simple',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    })
  })
})
