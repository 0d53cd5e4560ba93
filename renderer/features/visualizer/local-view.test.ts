import { describe, expect, it } from 'vitest'
import { buildView, itemId } from '../../../shared/domain/grouping'
import { localSource } from './local-view'

const table = {
  partitionKey: { name: 'pk', type: 'S' as const },
  sortKey: { name: 'sk', type: 'S' as const },
}
const item = (pk: string, sk: string, extra: Record<string, string> = {}) => ({
  pk: { S: pk },
  sk: { S: sk },
  ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, { S: v }])),
})
const items = [
  item('B', '2', { note: 'red' }),
  item('A', '1', { gsi: 'x' }),
  item('B', '1', { note: 'blue' }),
  item('C', '1', { gsi: 'y' }),
]
const options = { showExcluded: false, filter: '', ghosts: [] }
const gsi = {
  name: 'by-gsi',
  kind: 'GSI' as const,
  partitionKey: { name: 'gsi', type: 'S' as const },
  projection: { type: 'ALL' as const },
}
const source = () => localSource(items, { table, indexes: [gsi], entities: [], done: true })

/** The benchmark's peer answers as the host does: the same numbering, groups and rows as buildView. */
describe('the in-page view source (the benchmark peer)', () => {
  it('numbers rows as buildView flattens them and answers windows of them', async () => {
    const expected = buildView(items, { table })
    const s = source()
    const summary = await s.view({ options, from: 0, count: 3, locate: [itemId(items[2]!, table)] })
    expect(summary.rowCount).toBe(expected.rows.length)
    expect(summary.groups.map((g) => [g.pk, g.count])).toEqual([
      ['A', 1],
      ['B', 2],
      ['C', 1],
    ])
    // Rows 0-2: header A, A/1, header B: one item row.
    expect(summary.rows.map((r) => [r.row, r.itemId])).toEqual([[1, itemId(items[1]!, table)]])
    expect(summary.located).toEqual({ [itemId(items[2]!, table)]: 3 })
    const rest = await s.rows(summary.viewKey, 3, 100)
    expect(rest.map((r) => [r.row, r.position])).toEqual([
      [3, 0],
      [4, 1],
      [6, 0],
    ])
    expect(await s.rows('no-such-view', 0, 10)).toEqual([])
  })

  it('filters, counts what the filter left out, and shows removed items in place', async () => {
    const s = source()
    const filtered = await s.view({ options: { ...options, filter: 'red' }, from: 0, count: 10, locate: [] })
    expect(filtered.itemCount).toBe(1)
    expect(filtered.unfilteredCount).toBe(4)
    const ghost = item('A', '0')
    const withGhost = await s.view({
      options: { ...options, ghosts: [ghost, items[0]!] },
      from: 0,
      count: 10,
      locate: [],
    })
    // A ghost still stored (items[0]) is left out; the other shows in its partition, marked.
    expect(withGhost.itemCount).toBe(4)
    expect(withGhost.rows.filter((r) => r.ghost).map((r) => r.itemId)).toEqual([itemId(ghost, table)])
    expect(withGhost.groups[0]).toMatchObject({ pk: 'A', count: 2, removedCount: 1 })
  })

  it('groups by an index and lists what it does not hold', async () => {
    const s = source()
    const v = await s.view({
      options: { ...options, indexName: 'by-gsi', showExcluded: true },
      from: 0,
      count: 0,
      locate: [],
    })
    expect(v.excludedCount).toBe(2)
    expect(v.groups.map((g) => [g.pk, g.count, g.excluded ?? false])).toEqual([
      ['x', 1, false],
      ['y', 1, false],
      ['', 2, true],
    ])
  })
})
