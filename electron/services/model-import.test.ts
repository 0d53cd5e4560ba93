import { describe, expect, test } from 'vitest'
import { CRUDDUR_MODEL_FILE } from '../../seeds/cruddur'
import { loadModelFile, loadSampleItems } from './model.service'
import { detectModelFormat, exportCreateTableJson, exportNoSqlWorkbench, importCreateTableJson, importModelText, importNoSqlWorkbench } from './model-import'
import { buildCreateTable } from './schema.service'

/** A small NoSQL Workbench 3.0 export written for this test (a library with GSI, INCLUDE projection, facets). */
const LIBRARY = {
  ModelName: 'Library',
  ModelMetadata: { Author: 'test', Description: 'books and loans', AWSService: 'Amazon DynamoDB', Version: '3.0' },
  DataModel: [
    {
      TableName: 'library',
      KeyAttributes: { PartitionKey: { AttributeName: 'PK', AttributeType: 'S' }, SortKey: { AttributeName: 'SK', AttributeType: 'S' } },
      NonKeyAttributes: [
        { AttributeName: 'GSI1PK', AttributeType: 'S' },
        { AttributeName: 'GSI1SK', AttributeType: 'N' },
        { AttributeName: 'title', AttributeType: 'S' },
      ],
      TableFacets: [
        {
          FacetName: 'Book',
          KeyAttributeAlias: { PartitionKeyAlias: 'BookId', SortKeyAlias: 'Kind' },
          TableData: [{ PK: { S: 'BOOK#2' }, SK: { S: 'META' }, title: { S: 'Second' } }],
          NonKeyAttributes: ['title'],
        },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'GSI1',
          KeyAttributes: { PartitionKey: { AttributeName: 'GSI1PK', AttributeType: 'S' }, SortKey: { AttributeName: 'GSI1SK', AttributeType: 'N' } },
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['title'] },
        },
      ],
      TableData: [{ PK: { S: 'BOOK#1' }, SK: { S: 'META' }, title: { S: 'First' }, GSI1PK: { S: 'AUTHOR#9' }, GSI1SK: { N: '1999' } }],
      DataAccess: { MySql: {} },
      BillingMode: 'PROVISIONED',
      ProvisionedCapacitySettings: { ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 2 } },
    },
  ],
}

describe('NoSQL Workbench import/export', () => {
  test('imports tables, GSIs with their key types, billing, sample data and facets', () => {
    const model = importNoSqlWorkbench(LIBRARY)
    const t = model.tables[0]!
    expect(t.name).toBe('library')
    expect(t.attributeDefinitions).toEqual([
      { attributeName: 'PK', attributeType: 'S' },
      { attributeName: 'SK', attributeType: 'S' },
      { attributeName: 'GSI1PK', attributeType: 'S' },
      { attributeName: 'GSI1SK', attributeType: 'N' },
    ])
    expect(t.globalSecondaryIndexes?.[0]).toMatchObject({ indexName: 'GSI1', projection: { projectionType: 'INCLUDE', nonKeyAttributes: ['title'] }, provisionedThroughput: { readCapacityUnits: 3, writeCapacityUnits: 2 } })
    expect(t.billingMode).toBe('PROVISIONED')
    expect(model.sampleData?.items?.library).toEqual([
      { PK: 'BOOK#1', SK: 'META', title: 'First', GSI1PK: 'AUTHOR#9', GSI1SK: 1999 },
      { PK: 'BOOK#2', SK: 'META', title: 'Second' },
    ])
    expect(model.entities).toEqual([expect.objectContaining({ name: 'Book', keys: { PK: '{BookId}', SK: '{Kind}' } })])
  })

  test('Cruddur survives export to NoSQL Workbench and back', async () => {
    const cruddur = await loadModelFile(CRUDDUR_MODEL_FILE)
    const items = await loadSampleItems(cruddur, CRUDDUR_MODEL_FILE)
    const exported = exportNoSqlWorkbench(cruddur, items)
    expect(exported.DataModel[0]!.TableData).toHaveLength(items['cruddur-messages']!.length)
    const back = importNoSqlWorkbench(JSON.parse(JSON.stringify(exported)))
    expect(buildCreateTable(back.tables[0]!)).toEqual(buildCreateTable(cruddur.tables[0]!))
    expect(back.sampleData?.items?.['cruddur-messages']).toEqual(items['cruddur-messages'])
  })

  test('a broken workbench file names the field', () => {
    expect(() => importNoSqlWorkbench({ ModelName: 'x', DataModel: [{ TableName: 'abc' }] })).toThrow(/DataModel\[0\]\.KeyAttributes\.PartitionKey/)
  })
})

describe('create-table --cli-input-json', () => {
  test('round-trips the Cruddur table exactly', async () => {
    const cruddur = await loadModelFile(CRUDDUR_MODEL_FILE)
    const json = exportCreateTableJson(cruddur.tables[0]!)
    expect(importCreateTableJson(JSON.parse(JSON.stringify(json)))).toEqual(cruddur.tables[0])
  })

  test('detects formats and imports each', async () => {
    const cruddur = await loadModelFile(CRUDDUR_MODEL_FILE)
    expect(detectModelFormat(LIBRARY)).toBe('nosql-workbench')
    expect(detectModelFormat(exportCreateTableJson(cruddur.tables[0]!))).toBe('create-table')
    expect(importModelText(JSON.stringify(exportCreateTableJson(cruddur.tables[0]!))).model.tables[0]!.name).toBe('cruddur-messages')
    expect(importModelText(JSON.stringify(LIBRARY)).format).toBe('nosql-workbench')
  })

  test('a create-table file with an undefined key attribute is rejected, naming the field', () => {
    expect(() =>
      importCreateTableJson({ TableName: 'abc', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'nope', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }),
    ).toThrow(/tables\[0\]\.keySchema\[0\]\.attributeName/)
  })
})
