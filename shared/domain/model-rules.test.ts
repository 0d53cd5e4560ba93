import { describe, expect, test } from 'vitest'
import { parseModel } from './model'
import {
  addGsiProblem,
  addLsiProblem,
  attributeNameProblem,
  duplicatePositions,
  keyTypeProblem,
  modelRuleIssues,
  nameProblem,
  projectedAttributesProblem,
  projectionProblem,
  tableRuleIssues,
} from './model-rules'

const key = (h: string, r?: string) => [
  { attributeName: h, keyType: 'HASH' },
  ...(r ? [{ attributeName: r, keyType: 'RANGE' }] : []),
]
const gsi = (name: string, nonKey?: string[]) => ({
  indexName: name,
  keySchema: key('SK', 'PK'),
  projection: nonKey ? { projectionType: 'INCLUDE', nonKeyAttributes: nonKey } : { projectionType: 'ALL' },
})
const table = (extra: Record<string, unknown> = {}) => ({
  name: 'orders',
  attributeDefinitions: [
    { attributeName: 'PK', attributeType: 'S' },
    { attributeName: 'SK', attributeType: 'S' },
  ],
  keySchema: key('PK', 'SK'),
  ...extra,
})

describe('names', () => {
  test.each([
    ['ab', 'at least 3 characters'],
    ['', 'is required'],
    ['a'.repeat(256), 'at most 255 characters'],
    ['my table!', 'not space, “!”'],
    ['Ünïcode', 'not “Ü”, “ï”'],
  ])('table name %j is refused (%s)', (name, words) => {
    expect(nameProblem(name, 'table')).toContain(words)
  })
  test.each(['abc', 'a'.repeat(255), 'My_Table.v2-x'])('table name %j is fine', (name) => {
    expect(nameProblem(name, 'table')).toBeUndefined()
  })
  test('an index name says index', () => {
    expect(nameProblem('x', 'index')).toBe('An index name needs at least 3 characters.')
  })
  test('attribute names are 1–255 bytes of UTF-8, not characters', () => {
    expect(attributeNameProblem('')).toContain('required')
    expect(attributeNameProblem('é'.repeat(128))).toContain('255 bytes')
    expect(attributeNameProblem('é'.repeat(127))).toBeUndefined()
    expect(attributeNameProblem('pk')).toBeUndefined()
  })
  test('key types are S, N or B', () => {
    expect(keyTypeProblem('S')).toBeUndefined()
    expect(keyTypeProblem('B')).toBeUndefined()
    expect(keyTypeProblem('BOOL')).toContain('string (S), a number (N) or binary (B)')
  })
  test('duplicates are the later positions', () => {
    expect(duplicatePositions(['a', 'b', 'a', 'a', ''])).toEqual([2, 3])
  })
})

describe('index limits', () => {
  test('the 21st GSI is refused, the 20th is not', () => {
    const nineteen = table({ globalSecondaryIndexes: Array.from({ length: 19 }, (_, i) => gsi(`gsi${i}`)) })
    expect(addGsiProblem(nineteen)).toBeUndefined()
    const twenty = table({ globalSecondaryIndexes: Array.from({ length: 20 }, (_, i) => gsi(`gsi${i}`)) })
    expect(addGsiProblem(twenty)).toBe('A table has at most 20 global secondary indexes.')
    const over = table({ globalSecondaryIndexes: Array.from({ length: 21 }, (_, i) => gsi(`gsi${i}`)) })
    expect(tableRuleIssues(over, 0)).toContainEqual({
      path: 'tables[0].globalSecondaryIndexes',
      message: 'A table has at most 20 global secondary indexes (this one has 21).',
    })
  })
  test('the 6th LSI is refused, and LSIs need a table with a sort key', () => {
    const lsi = (n: number) => ({
      indexName: `lsi${n}`,
      keySchema: key('PK', `s${n}`),
      projection: { projectionType: 'KEYS_ONLY' },
    })
    expect(addLsiProblem(table({ localSecondaryIndexes: [1, 2, 3, 4].map(lsi) }))).toBeUndefined()
    expect(addLsiProblem(table({ localSecondaryIndexes: [1, 2, 3, 4, 5].map(lsi) }))).toBe(
      'A table has at most 5 local secondary indexes.',
    )
    expect(addLsiProblem({ ...table(), keySchema: key('PK') })).toBe(
      'Local secondary indexes need a table with a sort key.',
    )
  })
  test("an LSI keeps the table's partition key and has a sort key", () => {
    const t = table({
      localSecondaryIndexes: [
        { indexName: 'by-date', keySchema: key('SK', 'date'), projection: { projectionType: 'ALL' } },
        { indexName: 'no-sort', keySchema: key('PK'), projection: { projectionType: 'ALL' } },
        { indexName: 'fine', keySchema: key('PK', 'date'), projection: { projectionType: 'ALL' } },
      ],
    })
    expect(tableRuleIssues(t, 2)).toEqual([
      {
        path: 'tables[2].localSecondaryIndexes[0].keySchema',
        message: "A local secondary index has the table's partition key (PK).",
      },
      {
        path: 'tables[2].localSecondaryIndexes[1].keySchema',
        message: 'A local secondary index needs a sort key.',
      },
    ])
  })
})

describe('projections', () => {
  test('INCLUDE needs attributes; only INCLUDE lists them; no attribute twice', () => {
    expect(projectionProblem({ projectionType: 'INCLUDE', nonKeyAttributes: [] })).toContain('at least one')
    expect(projectionProblem({ projectionType: 'INCLUDE' })).toContain('at least one')
    expect(projectionProblem({ projectionType: 'ALL', nonKeyAttributes: ['a'] })).toContain('Only an INCLUDE')
    expect(projectionProblem({ projectionType: 'INCLUDE', nonKeyAttributes: ['a', 'a'] })).toContain('twice')
    expect(projectionProblem({ projectionType: 'INCLUDE', nonKeyAttributes: ['a'] })).toBeUndefined()
  })
  test('at most 100 projected non-key attributes across all indexes, the same name counting twice', () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `a${i}`)
    expect(
      projectedAttributesProblem(
        table({ globalSecondaryIndexes: [gsi('one', names(50)), gsi('two', names(50))] }),
      ),
    ).toBeUndefined()
    const over = table({ globalSecondaryIndexes: [gsi('one', names(60)), gsi('two', names(41))] })
    expect(projectedAttributesProblem(over)).toContain('these project 101')
    // The model's own validation refuses it too, so the JSON editor and schema-load agree with the forms.
    const r = parseModel({
      name: 'm',
      tables: [{ ...over, attributeDefinitions: table().attributeDefinitions }],
    })
    expect(r.ok ? [] : r.issues).toContainEqual({
      path: 'tables[0].globalSecondaryIndexes',
      message: expect.stringContaining('at most 100 non-key attributes') as unknown as string,
    })
  })
})

describe('a whole draft', () => {
  test('duplicate table and index names, each at its field', () => {
    const issues = modelRuleIssues({
      tables: [table({ globalSecondaryIndexes: [gsi('byDate'), gsi('byDate')] }), table()],
    })
    expect(issues).toEqual([
      {
        path: 'tables[0].globalSecondaryIndexes[1].indexName',
        message: 'Another index of this table has this name.',
      },
      { path: 'tables[1].name', message: 'Another table of this model has this name.' },
    ])
  })
  test('a valid table has no issues, and junk shapes do not throw', () => {
    expect(modelRuleIssues({ tables: [table({ globalSecondaryIndexes: [gsi('GSI1')] })] })).toEqual([])
    expect(() =>
      modelRuleIssues({ tables: [{}, null, 'x', { globalSecondaryIndexes: [null] }] }),
    ).not.toThrow()
    expect(modelRuleIssues({ tables: 'nope' })).toEqual([])
  })
})

test("the model's validation refuses an LSI on a table without a sort key, as the forms do", () => {
  const r = parseModel({
    name: 'm',
    tables: [
      {
        name: 'orders',
        attributeDefinitions: [
          { attributeName: 'PK', attributeType: 'S' },
          { attributeName: 'd', attributeType: 'S' },
        ],
        keySchema: key('PK'),
        localSecondaryIndexes: [
          { indexName: 'by-d', keySchema: key('PK', 'd'), projection: { projectionType: 'ALL' } },
        ],
      },
    ],
  })
  expect(r.ok ? [] : r.issues).toEqual([
    {
      path: 'tables[0].localSecondaryIndexes[0].keySchema',
      message: 'local secondary indexes need a table with a sort key',
    },
  ])
  expect(
    tableRuleIssues(
      { keySchema: key('PK'), localSecondaryIndexes: [{ indexName: 'by-d', keySchema: key('PK', 'd') }] },
      0,
    ),
  ).toContainEqual({
    path: 'tables[0].localSecondaryIndexes[0].keySchema',
    message: 'Local secondary indexes need a table with a sort key.',
  })
})
