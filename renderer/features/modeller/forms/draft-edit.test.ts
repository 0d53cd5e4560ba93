import { describe, expect, test } from 'vitest'
import { isLosslessNumber } from '../../../../shared/domain/attribute-json'
import {
  freshName,
  getIn,
  moveItem,
  readDraft,
  renameTableInDraft,
  setEntry,
  setIn,
  setKeyPart,
  syncDefinitions,
  templateValue,
  writeDraft,
} from './draft-edit'

const BIG = '12345678901234567890123456789012345678'

describe('draft edits', () => {
  test('setIn copies only the path, creates what is missing and removes on undefined', () => {
    const root = { a: { b: [1, 2] }, keep: { x: 1 } }
    const next = setIn(root, ['a', 'b', 1], 3)
    expect(next).toEqual({ a: { b: [1, 3] }, keep: { x: 1 } })
    expect(next.keep).toBe(root.keep)
    expect(root.a.b).toEqual([1, 2])
    expect(setIn({}, ['t', 0, 'name'], 'x')).toEqual({ t: [{ name: 'x' }] })
    expect(setIn({ a: 1, b: 2 }, ['a'], undefined)).toEqual({ b: 2 })
    expect(getIn(next, ['a', 'b', 0])).toBe(1)
    expect(getIn(next, ['a', 'nope', 0])).toBeUndefined()
  })

  test('a form edit keeps a 38-digit sample number digit for digit', () => {
    const r = readDraft(`{"name":"m","tables":[],"sampleData":{"items":{"t":[{"n":${BIG}}]}}}`)
    if (!r.ok) throw new Error(r.reason)
    const text = writeDraft(setIn(r.draft, ['name'], 'renamed'))
    expect(text).toContain(`"n": ${BIG}`)
    const again = readDraft(text)
    expect(again.ok && isLosslessNumber(getIn(again.draft, ['sampleData', 'items', 't', 0, 'n']))).toBe(true)
  })

  test('drafts the forms cannot show say why', () => {
    expect(readDraft('{"name": ')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('does not parse'),
    })
    expect(readDraft('[1]')).toEqual({ ok: false, reason: 'The model is not a JSON object.' })
    expect(readDraft('{"tables": [1]}')).toEqual({ ok: false, reason: '"tables" is not a list of objects.' })
    expect(readDraft('\uFEFF{"tables": []}').ok).toBe(true)
  })

  test('lists reorder; records keep their order when a key is renamed', () => {
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c'])
    expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c'])
    expect(Object.keys(setEntry({ ':a': 1, ':b': 2, ':c': 3 }, 1, ':x', 2))).toEqual([':a', ':x', ':c'])
    expect(freshName('GSI', ['GSI1', 'GSI3'])).toBe('GSI2')
  })

  test('a number stays a number, and a template stays text', () => {
    expect(templateValue('5', 1)).toBe(5)
    expect(templateValue('5', 'x')).toBe('5')
    expect(templateValue('abc', 1)).toBe('abc')
    expect(templateValue('false', true)).toBe(false)
  })

  test('the attribute definitions follow the keys of the table and its indexes', () => {
    const table = {
      name: 't',
      attributeDefinitions: [
        { attributeName: 'PK', attributeType: 'S' },
        { attributeName: 'SK', attributeType: 'N' },
        { attributeName: 'unused', attributeType: 'S' },
      ],
      keySchema: setKeyPart([{ attributeName: 'PK', keyType: 'HASH' }], 1, 'SK'),
      globalSecondaryIndexes: [
        {
          indexName: 'g',
          keySchema: setKeyPart(undefined, 0, 'GSI1PK'),
          projection: { projectionType: 'ALL' },
        },
      ],
    }
    expect(table.keySchema).toEqual([
      { attributeName: 'PK', keyType: 'HASH' },
      { attributeName: 'SK', keyType: 'RANGE' },
    ])
    expect(syncDefinitions(table).attributeDefinitions).toEqual([
      { attributeName: 'PK', attributeType: 'S' },
      { attributeName: 'SK', attributeType: 'N' },
      { attributeName: 'GSI1PK', attributeType: 'S' },
    ])
    expect(syncDefinitions(table, { name: 'GSI1PK', type: 'B' }).attributeDefinitions).toContainEqual({
      attributeName: 'GSI1PK',
      attributeType: 'B',
    })
    // An emptied sort key name removes the sort key.
    expect(setKeyPart(table.keySchema, 1, '')).toEqual([{ attributeName: 'PK', keyType: 'HASH' }])
  })
})

test('renaming a table in its form renames it wherever the model names it', () => {
  const r = readDraft(
    JSON.stringify({
      name: 'm',
      tables: [{ name: 'old' }, { name: 'other' }],
      entities: [
        { name: 'E', table: 'old' },
        { name: 'F', table: 'other' },
      ],
      accessPatterns: [
        { id: 'p', table: 'old', params: [{ name: 'x', bind: { attribute: 'a', table: 'old' } }] },
      ],
      recipes: [
        {
          id: 'r',
          steps: [
            { op: 'Put', table: 'old' },
            { op: 'Put', table: 'other' },
          ],
        },
      ],
      streamHandlers: [{ name: 'h', table: 'old' }],
      sampleData: { items: { old: [{ pk: 'a' }], other: [] } },
    }),
  )
  if (!r.ok) throw new Error(r.reason)
  const d = renameTableInDraft(r.draft, 0, 'new')
  expect(d.tables).toEqual([{ name: 'new' }, { name: 'other' }])
  expect(d.entities?.map((e) => e.table)).toEqual(['new', 'other'])
  expect(getIn(d, ['accessPatterns', 0, 'table'])).toBe('new')
  expect(getIn(d, ['accessPatterns', 0, 'params', 0, 'bind', 'table'])).toBe('new')
  expect(getIn(d, ['recipes', 0, 'steps'])).toEqual([
    { op: 'Put', table: 'new' },
    { op: 'Put', table: 'other' },
  ])
  expect(getIn(d, ['streamHandlers', 0, 'table'])).toBe('new')
  expect(Object.keys(getIn(d, ['sampleData', 'items']) as object)).toEqual(['new', 'other'])
  // With two tables of one name, only the table typed in is renamed; its references stay as they were.
  const dup = renameTableInDraft(setIn(r.draft, ['tables', 1], { name: 'old' }), 1, 'x')
  expect(dup.tables).toEqual([{ name: 'old' }, { name: 'x' }])
  expect(dup.entities?.[0]?.table).toBe('old')
})
