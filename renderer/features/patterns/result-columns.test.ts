import { describe, expect, it } from 'vitest'
import type { ItemJson } from '../../../shared/contract/channels/workbench'
import { TableSpec } from '../../../shared/domain/model'
import { MAX_RESULT_COLUMNS, patternKeyNames, resultColumns } from './result-columns'

// A model whose keys are not pk/sk: upper-case table keys, a GSI and an LSI with their own names.
const orders = TableSpec.parse({
  name: 'Orders',
  attributeDefinitions: [
    { attributeName: 'PK', attributeType: 'S' },
    { attributeName: 'SK', attributeType: 'S' },
    { attributeName: 'GSI1PK', attributeType: 'S' },
    { attributeName: 'GSI1SK', attributeType: 'N' },
    { attributeName: 'placedAt', attributeType: 'S' },
  ],
  keySchema: [
    { attributeName: 'PK', keyType: 'HASH' },
    { attributeName: 'SK', keyType: 'RANGE' },
  ],
  globalSecondaryIndexes: [
    {
      indexName: 'GSI1',
      keySchema: [
        { attributeName: 'GSI1PK', keyType: 'HASH' },
        { attributeName: 'GSI1SK', keyType: 'RANGE' },
      ],
      projection: { projectionType: 'ALL' },
    },
  ],
  localSecondaryIndexes: [
    {
      indexName: 'ByPlaced',
      keySchema: [
        { attributeName: 'PK', keyType: 'HASH' },
        { attributeName: 'placedAt', keyType: 'RANGE' },
      ],
      projection: { projectionType: 'ALL' },
    },
  ],
})
const model = { tables: [orders] }

const s = (v: string) => ({ S: v })
const item = (attrs: Record<string, string>): ItemJson =>
  Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, s(v)]))

describe('patternKeyNames', () => {
  it("gives the table's key schema for a table read", () => {
    expect(patternKeyNames(model, { table: 'Orders' })).toEqual(['PK', 'SK'])
  })

  it("puts a GSI's keys before the table's", () => {
    expect(patternKeyNames(model, { table: 'Orders', index: 'GSI1' })).toEqual([
      'GSI1PK',
      'GSI1SK',
      'PK',
      'SK',
    ])
  })

  it("lists an LSI's shared partition key once", () => {
    expect(patternKeyNames(model, { table: 'Orders', index: 'ByPlaced' })).toEqual(['PK', 'placedAt', 'SK'])
  })

  it('guesses nothing for a table the model does not describe', () => {
    expect(patternKeyNames(model, { table: 'Missing' })).toEqual([])
  })
})

describe('resultColumns', () => {
  it('shows the key attributes first, in key order, then the rest by name', () => {
    const items = [
      item({ total: '3', SK: 'ORDER#1', PK: 'USER#a', GSI1PK: 'STATUS#open', GSI1SK: '1', amount: '9' }),
    ]
    expect(resultColumns(items, ['GSI1PK', 'GSI1SK', 'PK', 'SK'])).toEqual([
      'GSI1PK',
      'GSI1SK',
      'PK',
      'SK',
      'amount',
      'total',
    ])
  })

  it('treats pk/sk as ordinary attributes when they are not the keys', () => {
    const items = [item({ sk: 'x', pk: 'y', PK: 'USER#a', SK: 'ORDER#1' })]
    expect(resultColumns(items, ['PK', 'SK'])).toEqual(['PK', 'SK', 'pk', 'sk'])
  })

  it('leaves out key attributes no item has (a sparse index, a missing sort key)', () => {
    const items = [item({ PK: 'USER#a', note: 'n' }), item({ PK: 'USER#b', extra: 'e' })]
    expect(resultColumns(items, ['PK', 'SK'])).toEqual(['PK', 'extra', 'note'])
  })

  it('collects attributes across all items and caps the column count', () => {
    const wide = item(
      Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`a${String(i).padStart(2, '0')}`, 'v'])),
    )
    const cols = resultColumns([item({ PK: 'p', SK: 's' }), wide], ['PK', 'SK'])
    expect(cols).toHaveLength(MAX_RESULT_COLUMNS)
    expect(cols.slice(0, 3)).toEqual(['PK', 'SK', 'a00'])
  })
})
