import { describe, expect, test } from 'vitest'
import { accessPatternMatrix } from './matrix'
import { parseModel } from './model'
import { MODEL_TEMPLATES } from './templates'

describe('new-model templates', () => {
  test.each(Object.entries(MODEL_TEMPLATES))('%s is a valid model', (_id, t) => {
    const r = parseModel(structuredClone(t.model))
    expect(r.ok ? [] : r.issues).toEqual([])
  })

  test('the adjacency list reads its edges both ways, by key and never by Scan', () => {
    const r = parseModel(structuredClone(MODEL_TEMPLATES.adjacency.model))
    if (!r.ok) throw new Error(JSON.stringify(r.issues))
    const rows = accessPatternMatrix(r.model)
    expect(rows.map((x) => [x.id, x.table, x.scan])).toEqual([
      ['user-groups', 'app-table', undefined],
      ['group-members', 'app-table / GSI1', undefined],
      ['join-group', 'app-table', undefined],
    ])
  })
})
