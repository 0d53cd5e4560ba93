import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { parse } from 'yaml'
import { CRUDDUR_MODEL_FILE } from '../../../seeds/cruddur'
import type { Model } from '../../../shared/domain/model'
import { loadModelFile, loadSampleItems } from '../model.service'
import {
  exportCloudFormation,
  exportCloudFormationYaml,
  exportDescribeTable,
  exportNoSqlWorkbench,
  importModel,
} from '../model-import'
import { buildCreateTable } from '../schema.service'
import { CFN_YAML_TAGS } from './cloudformation'
import { writeTextFile } from './common'

const fixture = (name: string) => readFileSync(path.join(__dirname, 'fixtures', name), 'utf8')
const requests = (m: Model) => m.tables.map((t) => buildCreateTable(t))

/** A NoSQL Workbench model with a facet and access patterns as a 3.20 file might carry them. */
const SHOP = {
  ModelName: 'Shop',
  ModelMetadata: { Author: '', AWSService: 'Amazon DynamoDB', Version: '3.0' },
  DataModel: [
    {
      TableName: 'shop',
      KeyAttributes: {
        PartitionKey: { AttributeName: 'PK', AttributeType: 'S' },
        SortKey: { AttributeName: 'SK', AttributeType: 'S' },
      },
      NonKeyAttributes: [{ AttributeName: 'total', AttributeType: 'N' }],
      TableFacets: [
        {
          FacetName: 'Order',
          KeyAttributeAlias: { PartitionKeyAlias: 'CustomerId', SortKeyAlias: 'OrderId' },
          NonKeyAttributes: ['total'],
        },
      ],
      AccessPatterns: [
        {
          Name: 'Orders of a customer',
          Type: 'Query',
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :o)',
          ExpressionAttributeValues: { ':pk': { S: 'CUST#{customer}' }, ':o': { S: 'ORDER#' } },
          ScanIndexForward: false,
          Limit: 10,
        },
        { Name: 'Mark paid', Type: 'UpdateItem', Key: { PK: { S: 'x' } } },
      ],
    },
  ],
}

/** Fails with whatever was thrown, so a test can check the code and the named field. */
function importError(text: string, source = 'f'): { code?: string; message: string } {
  try {
    importModel(text, source)
  } catch (e) {
    return e as { code?: string; message: string }
  }
  throw new Error('expected the import to fail')
}

describe('NoSQL Workbench: facets and access patterns', () => {
  test('Cruddur round-trips its tables, entities (as facets), patterns and sample data', async () => {
    const cruddur = await loadModelFile(CRUDDUR_MODEL_FILE)
    const items = await loadSampleItems(cruddur, CRUDDUR_MODEL_FILE)
    const wb = exportNoSqlWorkbench(cruddur, items)
    expect(wb.DataModel[0]!.TableFacets?.map((f) => f.FacetName)).toEqual(['Message', 'Conversation'])
    expect(wb.DataModel[0]!.TableFacets?.[0]!.KeyAttributeAlias).toEqual({
      PartitionKeyAlias: 'MSG#{message_group_uuid}',
      SortKeyAlias: '{created_at}',
    })
    const back = importModel(JSON.stringify(wb), 'wb.json')
    expect(back.format).toBe('nosql-workbench')
    expect(requests(back.model)).toEqual(requests(cruddur))
    expect(
      back.model.entities.map((e) => ({ name: e.name, keys: e.keys, attributes: e.attributes })),
    ).toEqual(
      cruddur.entities.map((e) => ({
        name: e.name,
        keys: e.keys,
        attributes: e.attributes?.map(({ name, type }) => ({ name, type })),
      })),
    )
    // Stream patterns are a handler, not a request: the workbench has no place for them.
    expect(back.model.accessPatterns).toEqual(cruddur.accessPatterns.filter((p) => p.operation !== 'stream'))
    expect(back.model.sampleData?.items?.['cruddur-messages']).toEqual(items['cruddur-messages'])
  })

  test('reads access patterns written in DynamoDB JSON, per table, and leaves out what a model cannot hold', () => {
    const r = importModel(JSON.stringify(SHOP))
    expect(r.model.entities[0]).toMatchObject({
      name: 'Order',
      keys: { PK: '{CustomerId}', SK: '{OrderId}' },
      attributes: [{ name: 'total', type: 'N' }],
    })
    expect(r.model.accessPatterns).toEqual([
      expect.objectContaining({
        id: 'Orders_of_a_customer',
        operation: 'Query',
        table: 'shop',
        params: [{ name: 'customer', type: 'string', required: true }],
        values: { ':pk': 'CUST#{customer}', ':o': 'ORDER#' },
        direction: 'desc',
        limit: 10,
      }),
    ])
    expect(r.warnings).toEqual([expect.stringContaining('"Mark paid": UpdateItem')])
  })

  test('a malformed access pattern names its field', () => {
    const bad = {
      ModelName: 'm',
      DataModel: [
        { TableName: 'ttt', KeyAttributes: { PartitionKey: { AttributeName: 'id', AttributeType: 'S' } } },
      ],
      AccessPatterns: [{ Name: 'p', Type: 'Query', Limit: 'ten' }],
    }
    const e = importError(JSON.stringify(bad))
    expect(e.code).toBe('model.invalid')
    expect(e.message).toContain('AccessPatterns[0].Limit')
  })
})

describe('CloudFormation', () => {
  test('a SAM-style YAML stack: the table is read through !Sub, !Ref and !GetAtt, other resources are ignored', () => {
    const r = importModel(fixture('orders-stack.yaml'), 'orders-stack.yaml')
    expect(r.format).toBe('cloudformation-yaml')
    expect(r.warnings).toEqual([expect.stringContaining('TableName is computed at deploy time')])
    const t = r.model.tables[0]!
    expect(t.name).toBe('OrdersTable')
    expect(t.billingMode).toBe('PAY_PER_REQUEST')
    expect(t.stream).toEqual({ viewType: 'NEW_AND_OLD_IMAGES' })
    expect(t.globalSecondaryIndexes?.[0]).toMatchObject({
      indexName: 'GSI1',
      projection: { projectionType: 'INCLUDE', nonKeyAttributes: ['status', 'total'] },
    })
    expect(r.model.description).toBe('Orders service (API, worker and its single table)')
  })

  test('JSON and YAML exports import back to the same tables, a BOM included', async () => {
    const cruddur = await loadModelFile(CRUDDUR_MODEL_FILE)
    const json = JSON.stringify(exportCloudFormation(cruddur), null, 2)
    expect(JSON.parse(json)).toMatchObject({
      Resources: { CruddurMessages: { Type: 'AWS::DynamoDB::Table' } },
    })
    const fromJson = importModel(`\uFEFF${json}`)
    expect(fromJson.format).toBe('cloudformation')
    expect(requests(fromJson.model)).toEqual(requests(cruddur))
    const yaml = exportCloudFormationYaml(cruddur)
    expect(yaml).toContain('Type: AWS::DynamoDB::Table')
    const fromYaml = importModel(`\uFEFF${yaml}`)
    expect(fromYaml.format).toBe('cloudformation-yaml')
    expect(requests(fromYaml.model)).toEqual(requests(cruddur))
  })

  test('a provisioned GlobalTable: capacity from its auto scaling minimum and replica reads; round-trips', () => {
    const r = importModel(fixture('sessions-global.json'))
    expect(r.warnings).toEqual([expect.stringContaining('2 replicas')])
    const t = r.model.tables[0]!
    expect(t).toMatchObject({
      name: 'sessions',
      billingMode: 'PROVISIONED',
      provisionedThroughput: { readCapacityUnits: 10, writeCapacityUnits: 5 },
      stream: { viewType: 'NEW_AND_OLD_IMAGES' },
    })
    expect(t.globalSecondaryIndexes?.[0]).toMatchObject({
      indexName: 'by-user',
      provisionedThroughput: { readCapacityUnits: 10, writeCapacityUnits: 2 },
    })
    const exported = exportCloudFormation(r.model, { resourceType: 'GlobalTable', region: 'eu-west-1' })
    expect(exported).toMatchObject({ Resources: { Sessions: { Type: 'AWS::DynamoDB::GlobalTable' } } })
    const back = importModel(JSON.stringify(exported))
    expect(back.warnings).toEqual([])
    expect(requests(back.model)).toEqual(requests(r.model))
  })

  test.each([
    [
      'a template without tables',
      { Resources: { Q: { Type: 'AWS::SQS::Queue' } } },
      'Resources: no AWS::DynamoDB::Table',
    ],
    ['a resource without Type', { Resources: { T: { Properties: {} } } }, 'Resources.T.Type'],
    [
      'a billing mode chosen by a condition',
      {
        Resources: {
          T: {
            Type: 'AWS::DynamoDB::Table',
            Properties: {
              TableName: 'ttt',
              BillingMode: { 'Fn::If': ['Prod', 'PROVISIONED', 'PAY_PER_REQUEST'] },
              AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
              KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            },
          },
        },
      },
      'Resources.T.Properties.BillingMode',
    ],
    [
      'a stream without its view type',
      {
        Resources: {
          T: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'ttt', StreamSpecification: {} } },
        },
      },
      'Resources.T.Properties.StreamSpecification.StreamViewType',
    ],
    [
      'a GlobalTable without replicas',
      {
        Resources: {
          T: {
            Type: 'AWS::DynamoDB::GlobalTable',
            Properties: {
              TableName: 'ttt',
              AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
              KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            },
          },
        },
      },
      'Resources.T.Properties.Replicas',
    ],
  ])('%s is model.invalid naming the field', (_what, doc, field) => {
    const e = importError(JSON.stringify(doc))
    expect(e.code).toBe('model.invalid')
    expect(e.message).toContain(field)
  })

  test('broken YAML names the line', () => {
    const e = importError('Resources:\n  T:\n    Type: [unclosed\n', 'stack.yaml')
    expect(e.code).toBe('model.invalid')
    expect(e.message).toMatch(/^stack\.yaml:\d+:\d+: not valid YAML/)
  })
})

describe('DescribeTable output', () => {
  test('real-shaped output: on-demand zeros are not capacity, the LSI, GSI and stream are kept', () => {
    const r = importModel(fixture('describe-table.json'))
    expect(r.format).toBe('describe-table')
    const t = r.model.tables[0]!
    expect(t).toMatchObject({
      name: 'chat-prod',
      billingMode: 'PAY_PER_REQUEST',
      stream: { viewType: 'NEW_IMAGE' },
    })
    expect(t.provisionedThroughput).toBeUndefined()
    expect(t.localSecondaryIndexes?.[0]).toMatchObject({
      indexName: 'by-lsk',
      projection: { projectionType: 'KEYS_ONLY' },
    })
    expect(t.globalSecondaryIndexes?.[0]?.provisionedThroughput).toBeUndefined()
  })

  test('export and import round-trip, provisioned and on demand', async () => {
    const cruddur = await loadModelFile(CRUDDUR_MODEL_FILE)
    const onDemand = importModel(JSON.stringify(exportDescribeTable(cruddur.tables[0]!)))
    expect(requests(onDemand.model)).toEqual(requests(cruddur))
    const provisioned = importModel(fixture('sessions-global.json')).model.tables[0]!
    const out = exportDescribeTable(provisioned)
    expect(out.Table.BillingModeSummary?.BillingMode).toBe('PROVISIONED')
    expect(out.Table.TableStatus).toBe('ACTIVE')
    const back = importModel(JSON.stringify(out.Table))
    expect(buildCreateTable(back.model.tables[0]!)).toEqual(buildCreateTable(provisioned))
  })

  test('an index without KeySchema names the field', () => {
    const doc = JSON.parse(fixture('describe-table.json')) as { Table: { GlobalSecondaryIndexes: object[] } }
    delete (doc.Table.GlobalSecondaryIndexes[0] as Record<string, unknown>).KeySchema
    const e = importError(JSON.stringify(doc))
    expect(e.code).toBe('model.invalid')
    expect(e.message).toContain('Table.GlobalSecondaryIndexes[0].KeySchema')
  })
})

describe('OneTable schema', () => {
  test('indexes become the table, models become entities with key templates and attribute types', () => {
    const r = importModel(fixture('crm-onetable.json'), '/some/dir/crm-onetable.json')
    expect(r.format).toBe('onetable')
    const t = r.model.tables[0]!
    expect(t.name).toBe('crm-onetable')
    expect(t.attributeDefinitions).toEqual(
      expect.arrayContaining([
        { attributeName: 'created', attributeType: 'N' },
        { attributeName: 'gs1pk', attributeType: 'S' },
      ]),
    )
    expect(t.globalSecondaryIndexes?.[0]).toMatchObject({
      indexName: 'gs1',
      projection: { projectionType: 'INCLUDE', nonKeyAttributes: ['name', 'status'] },
    })
    expect(t.localSecondaryIndexes?.[0]).toMatchObject({
      indexName: 'ls1',
      projection: { projectionType: 'KEYS_ONLY' },
    })
    const entity = (n: string) => r.model.entities.find((e) => e.name === n)!
    expect(entity('Account').keys).toEqual({ pk: 'account#{id}', sk: 'account#' })
    expect(entity('Invoice').keys).toEqual({ pk: 'account#{accountId}', sk: 'invoice#{seq}' })
    expect(entity('User').attributes).toEqual(
      expect.arrayContaining([
        { name: 'prefs', type: 'M' },
        { name: 'roles', type: 'SS' },
      ]),
    )
    expect(entity('Invoice').attributes).toEqual(expect.arrayContaining([{ name: 'pdf', type: 'B' }]))
  })

  test('a schema without a primary index names it', () => {
    const e = importError(JSON.stringify({ indexes: { gs1: { hash: 'a' } }, models: {} }))
    expect(e.code).toBe('model.invalid')
    expect(e.message).toContain('indexes')
  })
})

describe('no malformed field of any format answers anything but model.invalid', () => {
  const bases = [
    fixture('describe-table.json'),
    fixture('sessions-global.json'),
    fixture('crm-onetable.json'),
    JSON.stringify(SHOP),
  ]
    .map((t) => JSON.parse(t) as unknown)
    .concat([parse(fixture('orders-stack.yaml'), { customTags: CFN_YAML_TAGS }) as unknown])
  const paths = (v: unknown, p: (string | number)[] = []): (string | number)[][] =>
    Array.isArray(v)
      ? [p, ...v.flatMap((x, i) => paths(x, [...p, i]))]
      : v && typeof v === 'object'
        ? [p, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...p, k]))]
        : [p]
  test('every path set to undefined, null, a number, text, [] or {}', () => {
    const others: string[] = []
    for (const base of bases)
      for (const p of paths(base).filter((x) => x.length))
        for (const value of [undefined, null, 5, 'x', [], {}, [null]]) {
          const copy = structuredClone(base) as Record<string | number, unknown>
          const parent = p
            .slice(0, -1)
            .reduce<Record<string | number, unknown>>(
              (o, k) => o[k] as Record<string | number, unknown>,
              copy,
            )
          parent[p.at(-1)!] = value
          try {
            importModel(JSON.stringify(copy))
          } catch (e) {
            if ((e as { code?: string }).code !== 'model.invalid')
              others.push(`${p.join('.')} = ${JSON.stringify(value)}: ${(e as Error).message}`)
          }
        }
    expect(others).toEqual([])
    // Several thousand imports: on a loaded machine that takes longer than the default 5 s.
  }, 60_000)
})

test('an output path that cannot be written is input.invalid naming it', async () => {
  const target = path.join(__dirname, 'fixtures', 'no-such-dir', 'model.json')
  await expect(writeTextFile(target, '{}')).rejects.toMatchObject({
    code: 'input.invalid',
    message: expect.stringContaining(`cannot write ${target}`),
  })
})

test('hostile YAML (an alias bomb, absurd nesting) is model.invalid, not a crash', () => {
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]']
  for (let i = 0; i < 12; i++)
    bomb.push(
      `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
    )
  expect(importError(bomb.join('\n'))).toMatchObject({ code: 'model.invalid' })
  const deep = `Resources: ${'['.repeat(20_000)}${']'.repeat(20_000)}`
  expect(importError(deep)).toMatchObject({ code: 'model.invalid' })
})
