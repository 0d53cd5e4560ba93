import type { DynamoDBClient, UpdateTableCommandInput } from '@aws-sdk/client-dynamodb'
import { describe, expect, test } from 'vitest'
import type { TableSpec } from '../../shared/domain/model'
import { exportDescribeTable } from './formats/describe-table'
import { applyModelDiff, planTableChanges } from './model-diff.service'

const base: TableSpec = {
  name: 'orders',
  attributeDefinitions: [
    { attributeName: 'pk', attributeType: 'S' },
    { attributeName: 'sk', attributeType: 'S' },
    { attributeName: 'g1', attributeType: 'S' },
  ],
  keySchema: [
    { attributeName: 'pk', keyType: 'HASH' },
    { attributeName: 'sk', keyType: 'RANGE' },
  ],
  globalSecondaryIndexes: [
    {
      indexName: 'g1',
      keySchema: [{ attributeName: 'g1', keyType: 'HASH' }],
      projection: { projectionType: 'ALL' },
    },
  ],
  billingMode: 'PAY_PER_REQUEST',
}
/** What DescribeTable answers for a table created from a spec. */
const live = (spec: TableSpec) => exportDescribeTable(spec).Table

describe('planTableChanges', () => {
  test('a table that matches its spec needs nothing', () => {
    expect(planTableChanges(base, live(base))).toEqual({ steps: [], unsupported: [] })
  })

  test('one UpdateTable per change: delete a GSI, billing, stream (disable then enable), create a GSI', () => {
    const liveSpec: TableSpec = { ...base, stream: { viewType: 'KEYS_ONLY' } }
    const want: TableSpec = {
      ...base,
      attributeDefinitions: [
        ...base.attributeDefinitions.filter((a) => a.attributeName !== 'g1'),
        { attributeName: 'g2', attributeType: 'N' },
      ],
      globalSecondaryIndexes: [
        {
          indexName: 'g2',
          keySchema: [{ attributeName: 'g2', keyType: 'HASH' }],
          projection: { projectionType: 'KEYS_ONLY' },
          provisionedThroughput: { readCapacityUnits: 2, writeCapacityUnits: 3 },
        },
      ],
      billingMode: 'PROVISIONED',
      provisionedThroughput: { readCapacityUnits: 5, writeCapacityUnits: 6 },
      stream: { viewType: 'NEW_IMAGE' },
    }
    const { steps, unsupported } = planTableChanges(want, live(liveSpec))
    expect(unsupported).toEqual([])
    expect(steps.map((s) => s.kind)).toEqual([
      'deleteIndex',
      'updateBilling',
      'updateStream',
      'updateStream',
      'createIndex',
    ])
    expect(steps[0]!.request).toEqual({
      TableName: 'orders',
      GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'g1' } }],
    })
    expect(steps[1]!.request).toEqual({
      TableName: 'orders',
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 6 },
    })
    expect(steps[2]!.request.StreamSpecification).toEqual({ StreamEnabled: false })
    expect(steps[3]!.request.StreamSpecification).toEqual({
      StreamEnabled: true,
      StreamViewType: 'NEW_IMAGE',
    })
    expect(steps[4]!.request).toEqual({
      TableName: 'orders',
      AttributeDefinitions: [{ AttributeName: 'g2', AttributeType: 'N' }],
      GlobalSecondaryIndexUpdates: [
        {
          Create: {
            IndexName: 'g2',
            KeySchema: [{ AttributeName: 'g2', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'KEYS_ONLY' },
            ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
          },
        },
      ],
    })
  })

  test('switching to PROVISIONED gives the GSIs that stay their throughput in the same request', () => {
    const want: TableSpec = {
      ...base,
      billingMode: 'PROVISIONED',
      provisionedThroughput: { readCapacityUnits: 1, writeCapacityUnits: 1 },
      globalSecondaryIndexes: [
        {
          ...base.globalSecondaryIndexes![0]!,
          provisionedThroughput: { readCapacityUnits: 4, writeCapacityUnits: 4 },
        },
      ],
    }
    const [step] = planTableChanges(want, live(base)).steps
    expect((step!.request as UpdateTableCommandInput).GlobalSecondaryIndexUpdates).toEqual([
      { Update: { IndexName: 'g1', ProvisionedThroughput: { ReadCapacityUnits: 4, WriteCapacityUnits: 4 } } },
    ])
  })

  test('a GSI whose projection changed is deleted and created again; key schema and LSI changes are not applied', () => {
    const want: TableSpec = {
      ...base,
      keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
      attributeDefinitions: base.attributeDefinitions.filter((a) => a.attributeName !== 'sk'),
      globalSecondaryIndexes: [
        { ...base.globalSecondaryIndexes![0]!, projection: { projectionType: 'KEYS_ONLY' } },
      ],
    }
    const liveWithLsi: TableSpec = {
      ...base,
      attributeDefinitions: [...base.attributeDefinitions, { attributeName: 'l', attributeType: 'S' }],
      localSecondaryIndexes: [
        {
          indexName: 'lsi',
          keySchema: [
            { attributeName: 'pk', keyType: 'HASH' },
            { attributeName: 'l', keyType: 'RANGE' },
          ],
          projection: { projectionType: 'ALL' },
        },
      ],
    }
    const { steps, unsupported } = planTableChanges(want, live(liveWithLsi))
    expect(steps.map((s) => `${s.kind} ${s.summary}`)).toEqual([
      expect.stringMatching(/^deleteIndex delete GSI g1 \(to create it again/),
      expect.stringMatching(/^createIndex create GSI g1 /),
    ])
    expect(unsupported.map((u) => u.field)).toEqual(['keySchema', 'localSecondaryIndexes'])
  })
})

describe('applyModelDiff', () => {
  const plan = {
    tables: [],
    steps: planTableChanges({ ...base, stream: { viewType: 'NEW_IMAGE' } }, live(base)).steps,
  }
  // No request may be sent in these cases, so a client that throws on any use stands in for a connection.
  const noClient = new Proxy({} as DynamoDBClient, {
    get: () => {
      throw new Error('no request should have been sent')
    },
  })

  test('is refused on a read-only connection before any request', async () => {
    await expect(applyModelDiff(noClient, plan, { confirmed: true, writable: false })).rejects.toMatchObject({
      code: 'connection.readOnly',
    })
  })

  test('needs confirmation, and the refusal lists the steps', async () => {
    await expect(applyModelDiff(noClient, plan, { confirmed: false, writable: true })).rejects.toMatchObject({
      code: 'confirm.required',
      details: {
        steps: [{ kind: 'updateStream', table: 'orders', summary: 'enable the stream (NEW_IMAGE)' }],
      },
    })
  })
})
