import { describe, expect, test } from 'vitest'
import { changedKeyAttributes, diffItems, highlightsFor, itemsEqual, valuesEqual } from './diff'
import { itemId, type KeySchemaView } from './grouping'

const table: KeySchemaView = { partitionKey: { name: 'pk', type: 'S' }, sortKey: { name: 'sk', type: 'S' } }

describe('item diff', () => {
  test('names added, removed and changed attributes', () => {
    const d = diffItems(
      { pk: { S: 'a' }, sk: { S: '1' }, message: { S: 'old' }, gone: { BOOL: true } },
      { pk: { S: 'a' }, sk: { S: '2' }, message: { S: 'new' }, fresh: { N: '1' } },
    )
    expect(d.status).toBe('changed')
    expect(d.changes).toEqual([
      { attribute: 'fresh', kind: 'added', after: { N: '1' } },
      { attribute: 'gone', kind: 'removed', before: { BOOL: true } },
      { attribute: 'message', kind: 'changed', before: { S: 'old' }, after: { S: 'new' } },
      { attribute: 'sk', kind: 'changed', before: { S: '1' }, after: { S: '2' } },
    ])
  })

  test('whole-item status for puts and deletes', () => {
    expect(diffItems(undefined, { pk: { S: 'a' } }).status).toBe('added')
    expect(diffItems({ pk: { S: 'a' } }, undefined).status).toBe('removed')
    expect(diffItems({ pk: { S: 'a' } }, { pk: { S: 'a' } }).status).toBe('unchanged')
  })

  test('values compare by meaning: numbers by value, sets ignoring order', () => {
    expect(valuesEqual({ N: '1.50' }, { N: '1.5' })).toBe(true)
    expect(valuesEqual({ SS: ['a', 'b'] }, { SS: ['b', 'a'] })).toBe(true)
    expect(valuesEqual({ NS: ['1', '2'] }, { NS: ['2.0', '1'] })).toBe(true)
    expect(valuesEqual({ S: '1' }, { N: '1' })).toBe(false)
    expect(valuesEqual({ L: [{ S: 'a' }] }, { L: [{ S: 'a' }, { S: 'b' }] })).toBe(false)
    expect(valuesEqual({ M: { a: { S: 'x' } } }, { M: { a: { S: 'y' } } })).toBe(false)
    expect(itemsEqual({ a: { M: { b: { N: '2' } } } }, { a: { M: { b: { N: '2' } } } })).toBe(true)
    expect(itemsEqual(undefined, { a: { S: 'x' } })).toBe(false)
  })

  test('key attribute changes are spotted', () => {
    expect(
      changedKeyAttributes(
        { pk: { S: 'a' }, sk: { S: '1' }, x: { S: 'x' } },
        { pk: { S: 'a' }, sk: { S: '2' } },
        table,
      ),
    ).toEqual(['sk'])
    expect(
      changedKeyAttributes(
        { pk: { S: 'a' }, sk: { S: '1' } },
        { pk: { S: 'a' }, sk: { S: '1' }, x: { S: 'y' } },
        table,
      ),
    ).toEqual([])
  })
})

describe('timeline highlights', () => {
  test('delete + put of a conversation row: the old key is removed (ghost), the new key is new', () => {
    const oldRow = { pk: { S: 'GRP#u1' }, sk: { S: '2026-01-01' }, message: { S: 'old' } }
    const newRow = { pk: { S: 'GRP#u1' }, sk: { S: '2026-02-02' }, message: { S: 'new' } }
    const message = { pk: { S: 'MSG#g' }, sk: { S: '2026-02-02' }, message: { S: 'new' } }
    const updated = { pk: { S: 'X' }, sk: { S: '1' }, v: { N: '2' } }
    const { highlights, ghosts } = highlightsFor(
      [
        { after: message },
        { before: oldRow },
        { after: newRow },
        { before: { ...updated, v: { N: '1' } }, after: updated },
      ],
      table,
    )
    expect(highlights.get(itemId(message, table))).toBe('new')
    expect(highlights.get(itemId(newRow, table))).toBe('new')
    expect(highlights.get(itemId(oldRow, table))).toBe('removed')
    expect(highlights.get(itemId(updated, table))).toBe('changed')
    expect(ghosts).toEqual([oldRow])
  })
})
