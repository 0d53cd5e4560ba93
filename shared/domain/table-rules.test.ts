import { describe, expect, it } from 'vitest'
import {
  attributeDefinitions,
  checkTableSpec,
  nameProblem,
  type GsiSpec,
  type TableSpec,
} from './table-rules'

const base: TableSpec = {
  name: 'orders',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  gsis: [],
  lsis: [],
  billing: { mode: 'PAY_PER_REQUEST' },
  stream: { enabled: false },
}
const gsi = (i: number): GsiSpec => ({
  name: `gsi-${i}`,
  partitionKey: { name: `g${i}pk`, type: 'S' },
  projection: { type: 'ALL' },
})
const fields = (spec: TableSpec) => checkTableSpec(spec).map((i) => i.field)

describe('table names', () => {
  it('takes 3–255 characters of letters, digits, _ . -', () => {
    expect(nameProblem('a.b-c_1', 'table')).toBeUndefined()
    expect(nameProblem('x'.repeat(255), 'table')).toBeUndefined()
  })
  it('refuses short, long and odd names in plain words', () => {
    expect(nameProblem('', 'table')).toBe('A table name is required.')
    expect(nameProblem('ab', 'table')).toMatch(/at least 3 characters/)
    expect(nameProblem('x'.repeat(256), 'index')).toMatch(/index name has at most 255/)
    expect(nameProblem('my table!', 'table')).toBe(
      'A table name uses only letters, digits, "_", "-" and "." (not space, “!”).',
    )
  })
})

describe('checkTableSpec', () => {
  it('accepts a table with a GSI, an LSI and provisioned capacity', () => {
    const spec: TableSpec = {
      ...base,
      gsis: [{ ...gsi(1), sortKey: { name: 'created', type: 'N' }, capacity: { read: 1, write: 1 } }],
      lsis: [{ name: 'by-date', sortKey: { name: 'created', type: 'N' }, projection: { type: 'KEYS_ONLY' } }],
      billing: { mode: 'PROVISIONED', read: 5, write: 5 },
      stream: { enabled: true, viewType: 'NEW_AND_OLD_IMAGES' },
    }
    expect(checkTableSpec(spec)).toEqual([])
  })

  it('refuses a bad table name at the name field', () => {
    expect(checkTableSpec({ ...base, name: 'no' })).toEqual([
      { field: 'name', message: 'A table name needs at least 3 characters.' },
    ])
  })

  it('stops at 20 GSIs and 5 LSIs', () => {
    expect(fields({ ...base, gsis: Array.from({ length: 20 }, (_, i) => gsi(i)) })).toEqual([])
    expect(fields({ ...base, gsis: Array.from({ length: 21 }, (_, i) => gsi(i)) })).toEqual(['gsis'])
    const lsis = Array.from({ length: 6 }, (_, i) => ({
      name: `lsi-${i}`,
      sortKey: { name: `l${i}`, type: 'S' as const },
      projection: { type: 'ALL' as const },
    }))
    expect(checkTableSpec({ ...base, lsis })[0]).toEqual({
      field: 'lsis',
      message: 'A table can have at most 5 local secondary indexes; remove 1.',
    })
  })

  it('needs a table sort key for an LSI, and an LSI sort key other than the partition key', () => {
    const lsi = {
      name: 'by-pk',
      sortKey: { name: 'pk', type: 'S' as const },
      projection: { type: 'ALL' as const },
    }
    expect(fields({ ...base, sortKey: undefined, lsis: [lsi] })).toEqual(['lsis', 'lsis.0.sortKey'])
  })

  it('needs INCLUDE to list attributes, and only INCLUDE to list any', () => {
    const include = checkTableSpec({ ...base, gsis: [{ ...gsi(1), projection: { type: 'INCLUDE' } }] })
    expect(include).toEqual([
      {
        field: 'gsis.0.projection',
        message: 'An INCLUDE projection lists the attributes it copies: name at least one.',
      },
    ])
    expect(
      fields({ ...base, gsis: [{ ...gsi(1), projection: { type: 'ALL', nonKeyAttributes: ['a'] } }] }),
    ).toEqual(['gsis.0.projection'])
    expect(
      fields({ ...base, gsis: [{ ...gsi(1), projection: { type: 'INCLUDE', nonKeyAttributes: ['a'] } }] }),
    ).toEqual([])
  })

  it('refuses an attribute used with two types, and duplicate index names', () => {
    const issues = checkTableSpec({
      ...base,
      gsis: [
        { ...gsi(1), partitionKey: { name: 'sk', type: 'N' } },
        { ...gsi(2), name: 'gsi-1' },
      ],
    })
    expect(issues).toEqual([
      {
        field: 'gsis.0.partitionKey',
        message: 'sk is N here but S in the table key; an attribute has one type.',
      },
      { field: 'gsis.1.name', message: 'Another index (gsis.0.name) is already named gsi-1.' },
    ])
  })

  it('needs whole capacities of at least 1 for the table and each GSI when provisioned', () => {
    expect(fields({ ...base, billing: { mode: 'PROVISIONED', read: 0, write: 1 }, gsis: [gsi(1)] })).toEqual([
      'gsis.0.capacity',
      'billing',
    ])
  })

  it('refuses more than 100 projected attributes over all indexes', () => {
    const attrs = Array.from({ length: 51 }, (_, i) => `a${i}`)
    const spec = {
      ...base,
      gsis: [1, 2].map((i) => ({
        ...gsi(i),
        projection: { type: 'INCLUDE' as const, nonKeyAttributes: attrs },
      })),
    }
    expect(fields(spec)).toEqual(['indexes'])
  })
})

describe('attributeDefinitions', () => {
  it('lists every key attribute once', () => {
    expect(
      attributeDefinitions({
        ...base,
        gsis: [{ ...gsi(1), partitionKey: { name: 'sk', type: 'S' }, sortKey: { name: 'at', type: 'N' } }],
        lsis: [{ name: 'lsi', sortKey: { name: 'at', type: 'N' }, projection: { type: 'ALL' } }],
      }),
    ).toEqual([
      { name: 'pk', type: 'S' },
      { name: 'sk', type: 'S' },
      { name: 'at', type: 'N' },
    ])
  })
})
