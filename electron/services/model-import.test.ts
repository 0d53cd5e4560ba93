import { describe, expect, test } from 'vitest'
import { CRUDDUR_MODEL_FILE } from '../../seeds/cruddur'
import { stringifyExactJson } from '../../shared/domain/attribute-json'
import { fromRow } from './item-json'
import { loadModelFile, loadSampleItems, parseModelText } from './model.service'
import {
  detectModelFormat,
  exportCreateTableJson,
  exportNoSqlWorkbench,
  importCreateTableJson,
  importModelText,
  importNoSqlWorkbench,
} from './model-import'
import { buildCreateTable } from './schema.service'

/** A small NoSQL Workbench 3.0 export written for this test (a library with GSI, INCLUDE projection, facets). */
const LIBRARY = {
  ModelName: 'Library',
  ModelMetadata: {
    Author: 'test',
    Description: 'books and loans',
    AWSService: 'Amazon DynamoDB',
    Version: '3.0',
  },
  DataModel: [
    {
      TableName: 'library',
      KeyAttributes: {
        PartitionKey: { AttributeName: 'PK', AttributeType: 'S' },
        SortKey: { AttributeName: 'SK', AttributeType: 'S' },
      },
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
          KeyAttributes: {
            PartitionKey: { AttributeName: 'GSI1PK', AttributeType: 'S' },
            SortKey: { AttributeName: 'GSI1SK', AttributeType: 'N' },
          },
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['title'] },
        },
      ],
      TableData: [
        {
          PK: { S: 'BOOK#1' },
          SK: { S: 'META' },
          title: { S: 'First' },
          GSI1PK: { S: 'AUTHOR#9' },
          GSI1SK: { N: '1999' },
        },
      ],
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
    expect(t.globalSecondaryIndexes?.[0]).toMatchObject({
      indexName: 'GSI1',
      projection: { projectionType: 'INCLUDE', nonKeyAttributes: ['title'] },
      provisionedThroughput: { readCapacityUnits: 3, writeCapacityUnits: 2 },
    })
    expect(t.billingMode).toBe('PROVISIONED')
    expect(model.sampleData?.items?.library).toEqual([
      { PK: 'BOOK#1', SK: 'META', title: 'First', GSI1PK: 'AUTHOR#9', GSI1SK: 1999 },
      { PK: 'BOOK#2', SK: 'META', title: 'Second' },
    ])
    expect(model.entities).toEqual([
      expect.objectContaining({ name: 'Book', keys: { PK: '{BookId}', SK: '{Kind}' } }),
    ])
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
    expect(() => importNoSqlWorkbench({ ModelName: 'x', DataModel: [{ TableName: 'abc' }] })).toThrow(
      /DataModel\[0\]\.KeyAttributes: .*expected object/,
    )
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
    expect(
      importModelText(JSON.stringify(exportCreateTableJson(cruddur.tables[0]!))).model.tables[0]!.name,
    ).toBe('cruddur-messages')
    expect(importModelText(JSON.stringify(LIBRARY)).format).toBe('nosql-workbench')
  })

  test('a create-table file with an undefined key attribute is rejected, naming the field', () => {
    expect(() =>
      importCreateTableJson({
        TableName: 'abc',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'nope', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    ).toThrow(/tables\[0\]\.keySchema\[0\]\.attributeName/)
  })
})

/** Issue 14 item 11: malformed model files answer model.invalid naming the field, never a TypeError. */
describe('malformed model files', () => {
  const table = () => structuredClone(LIBRARY.DataModel[0]!) as Record<string, unknown>
  const workbench = (patch: (t: Record<string, unknown>) => void) => {
    const t = table()
    t.LocalSecondaryIndexes = [
      {
        IndexName: 'LSI1',
        KeyAttributes: {
          PartitionKey: { AttributeName: 'PK', AttributeType: 'S' },
          SortKey: { AttributeName: 'title', AttributeType: 'S' },
        },
        Projection: { ProjectionType: 'ALL' },
      },
    ]
    patch(t)
    return JSON.stringify({ ...LIBRARY, DataModel: [t] })
  }
  const createTable = (patch: (c: Record<string, unknown>) => void) => {
    const c: Record<string, unknown> = {
      TableName: 'orders',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byG',
          KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }
    patch(c)
    return JSON.stringify(c)
  }
  const gsi = (t: Record<string, unknown>) => (t.GlobalSecondaryIndexes as Record<string, unknown>[])[0]!
  const facet = (t: Record<string, unknown>) => (t.TableFacets as Record<string, unknown>[])[0]!

  // Each of these answered "internal: Cannot read properties of undefined/null" or "… is not a function" before.
  test.each([
    [
      'a GSI without KeyAttributes',
      workbench((t) => delete gsi(t).KeyAttributes),
      'DataModel[0].GlobalSecondaryIndexes[0].KeyAttributes',
    ],
    [
      'a GSI key without PartitionKey',
      workbench((t) => delete (gsi(t).KeyAttributes as Record<string, unknown>).PartitionKey),
      'DataModel[0].GlobalSecondaryIndexes[0].KeyAttributes.PartitionKey',
    ],
    [
      'an LSI that is null',
      workbench((t) => (t.LocalSecondaryIndexes = [null])),
      'DataModel[0].LocalSecondaryIndexes[0]',
    ],
    [
      'a null non-key attribute',
      workbench((t) => (t.NonKeyAttributes = [null])),
      'DataModel[0].NonKeyAttributes[0]',
    ],
    ['TableFacets that is not an array', workbench((t) => (t.TableFacets = {})), 'DataModel[0].TableFacets'],
    [
      'a facet alias that is not a string',
      workbench((t) => (facet(t).KeyAttributeAlias = { PartitionKeyAlias: 5 })),
      'DataModel[0].TableFacets[0].KeyAttributeAlias.PartitionKeyAlias',
    ],
    [
      'a sort key name that is not a string',
      workbench((t) => ((t.KeyAttributes as { SortKey: Record<string, unknown> }).SortKey.AttributeName = 5)),
      'DataModel[0].KeyAttributes.SortKey.AttributeName',
    ],
    ['TableData that is text', workbench((t) => (t.TableData = 'rows')), 'DataModel[0].TableData'],
    ['a sample row that is null', workbench((t) => (t.TableData = [null])), 'DataModel[0].TableData[0]'],
    [
      'a facet row attribute without its type',
      workbench((t) => (facet(t).TableData = [{ PK: {}, SK: { S: 'x' } }])),
      'DataModel[0].TableFacets[0].TableData[0].PK',
    ],
    [
      'create-table: a null attribute definition',
      createTable((c) => (c.AttributeDefinitions = [null])),
      'AttributeDefinitions[0]',
    ],
    ['create-table: a null key schema element', createTable((c) => (c.KeySchema = [null])), 'KeySchema[0]'],
    [
      'create-table: GlobalSecondaryIndexes that is text',
      createTable((c) => (c.GlobalSecondaryIndexes = 'byG')),
      'GlobalSecondaryIndexes',
    ],
    [
      'create-table: a GSI KeySchema that is an object',
      createTable((c) => ((c.GlobalSecondaryIndexes as Record<string, unknown>[])[0]!.KeySchema = {})),
      'GlobalSecondaryIndexes[0].KeySchema',
    ],
    [
      'create-table: a null GSI',
      createTable((c) => (c.GlobalSecondaryIndexes = [null])),
      'GlobalSecondaryIndexes[0]',
    ],
  ])('%s → model.invalid at %#', (_what, text, path) => {
    let err: unknown
    try {
      importModelText(text, 'm.json')
    } catch (e) {
      err = e
    }
    expect(err).toMatchObject({ code: 'model.invalid' })
    expect((err as Error).message).toContain(`m.json: ${path}: `)
    expect((err as Error).message).not.toMatch(/Cannot read|is not a function|is not iterable/)
  })

  test('no single missing or wrong-typed field makes an importer fail with anything but model.invalid', () => {
    const bases = [workbench(() => {}), createTable(() => {})].map((t) => JSON.parse(t) as unknown)
    const paths = (v: unknown, p: (string | number)[] = []): (string | number)[][] =>
      Array.isArray(v)
        ? [p, ...v.flatMap((x, i) => paths(x, [...p, i]))]
        : v && typeof v === 'object'
          ? [p, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...p, k]))]
          : [p]
    const others: string[] = []
    for (const base of bases)
      for (const path of paths(base).filter((p) => p.length))
        for (const value of [undefined, null, 5, 'x', [], {}, true, [null]]) {
          const copy = structuredClone(base) as Record<string | number, unknown>
          const parent = path
            .slice(0, -1)
            .reduce<Record<string | number, unknown>>(
              (o, k) => o[k] as Record<string | number, unknown>,
              copy,
            )
          parent[path.at(-1)!] = value
          try {
            importModelText(JSON.stringify(copy))
          } catch (e) {
            if ((e as { code?: string }).code !== 'model.invalid')
              others.push(`${path.join('.')} = ${JSON.stringify(value)}: ${(e as Error).message}`)
          }
        }
    expect(others).toEqual([])
  })

  test('a UTF-8 byte order mark is accepted in every format', async () => {
    const cruddur = await loadModelFile(CRUDDUR_MODEL_FILE)
    expect(importModelText(`\uFEFF${JSON.stringify(LIBRARY)}`).model.tables[0]!.name).toBe('library')
    expect(importModelText(`\uFEFF${createTable(() => {})}`).model.tables[0]!.name).toBe('orders')
    expect(importModelText(`\uFEFF${JSON.stringify(cruddur)}`).model.name).toBe(cruddur.name)
    expect(parseModelText(`\uFEFF${JSON.stringify(cruddur)}`).name).toBe(cruddur.name)
  })

  const nested = (levels: number): unknown => (levels === 0 ? 'leaf' : { n: nested(levels - 1) })
  const nestedJson = (levels: number): unknown =>
    levels === 0 ? { S: 'leaf' } : { M: { n: nestedJson(levels - 1) } }

  test('sample items nested deeper than DynamoDB allows are refused with their path', async () => {
    const cruddur = await loadModelFile(CRUDDUR_MODEL_FILE)
    const withItem = (deep: unknown) =>
      JSON.stringify({
        ...cruddur,
        sampleData: { items: { 'cruddur-messages': [{ pk: 'a', sk: 'b', deep }] } },
      })
    // 31 maps around a value are stored by DynamoDB; 32 are refused.
    expect(importModelText(withItem(nested(31))).model.sampleData?.items?.['cruddur-messages']).toHaveLength(
      1,
    )
    expect(() => importModelText(withItem(nested(32)), 'm.json')).toThrow(
      expect.objectContaining({
        code: 'model.invalid',
        message: expect.stringMatching(
          /sampleData\.items\.cruddur-messages\[0\]\.deep(\.n){31}: nested more than 32 levels/,
        ),
      }),
    )
    const wb = workbench((t) => (t.TableData = [{ PK: { S: 'a' }, SK: { S: 'b' }, deep: nestedJson(32) }]))
    expect(() => importModelText(wb, 'wb.json')).toThrow(
      expect.objectContaining({
        code: 'model.invalid',
        message: expect.stringMatching(
          /DataModel\[0\]\.TableData\[0\]\.deep(\.n){31}: nested more than 32 levels/,
        ),
      }),
    )
  })

  test('absurd nesting is refused before parsing, with a clear error', () => {
    const text = `{"name":"x","sampleData":{"items":{"t":[{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}]}}}`
    expect(() => importModelText(text, 'm.json')).toThrow(
      expect.objectContaining({
        code: 'model.invalid',
        message: expect.stringMatching(/m\.json: not valid JSON: JSON nested more than 200 levels/),
      }),
    )
  })
})

describe('model files with numbers beyond JS precision', () => {
  // 38 significant digits, the smallest and the largest DynamoDB number.
  const BIG = '12345678901234567890.123456789012345678'
  const HUGE = '9.9999999999999999999999999999999999999E+125'

  test('NoSQL Workbench TableData keeps them through import and export', () => {
    const wb = structuredClone(LIBRARY)
    wb.DataModel[0]!.TableData = [
      { PK: { S: 'BOOK#1' }, SK: { S: 'META' }, price: { N: BIG }, tiny: { N: '1E-130' }, huge: { N: HUGE } },
    ] as never
    const { model } = importModelText(JSON.stringify(wb))
    const row = model.sampleData!.items!.library![0]!
    expect(fromRow(row)).toMatchObject({ price: { N: BIG }, tiny: { N: '1e-130' }, huge: { N: HUGE } })
    const text = stringifyExactJson(exportNoSqlWorkbench(model), 2)
    expect(text).toContain(`"N": "${BIG}"`)
    expect(text).toContain(`"N": "${HUGE}"`)
  })

  test('a Tablewright model reads sample numbers exactly and writes them back as number literals', async () => {
    const cruddur = await loadModelFile(CRUDDUR_MODEL_FILE)
    const text = stringifyExactJson({
      ...cruddur,
      sampleData: { items: { 'cruddur-messages': [{ pk: 'a', sk: 'b' }] } },
    }).replace('"sk":"b"', `"sk":"b","n":${BIG},"h":${HUGE}`)
    const { model } = importModelText(text)
    const row = model.sampleData!.items!['cruddur-messages']![0]!
    expect(fromRow(row)).toMatchObject({ n: { N: BIG }, h: { N: HUGE } })
    expect(stringifyExactJson(model)).toContain(`"n":${BIG},"h":${HUGE}`)
  })
})
