import { describe, expect, it } from 'vitest'
import { buildView, type ViewRow } from '../../../shared/domain/grouping'
import { findSelectable, moveCursor, type NavRows } from './grid-nav'

const table = {
  partitionKey: { name: 'pk', type: 'S' as const },
  sortKey: { name: 'sk', type: 'S' as const },
}
const item = (pk: string, sk: string) => ({ pk: { S: pk }, sk: { S: sk } })

/** Two partitions (A: a1 a2 a3, B: b1 b2) and a removed item (ghost) shown in A: rows are
 *  0 header A, 1 a1, 2 a2, 3 a3, 4 a4 (ghost), 5 header B, 6 b1, 7 b2. */
function rows(): ViewRow[] {
  const items = [item('A', 'a1'), item('A', 'a2'), item('A', 'a3'), item('B', 'b1'), item('B', 'b2')]
  return buildView(items, { table, ghosts: [item('A', 'a4')] }).rows
}
const nav = (r: ViewRow[]): NavRows => ({
  count: r.length,
  selectable: (i) => {
    const row = r[i]
    return row?.kind === 'item' && !row.item.ghost
  },
})
const label = (r: ViewRow[], i: number) => {
  const row = r[i]
  if (row?.kind !== 'item') return row?.kind
  const sk = row.item.item.sk
  return sk && 'S' in sk ? sk.S : undefined
}

describe('grid keyboard movement', () => {
  const r = rows()
  const n = nav(r)

  it('lays out the rows the tests assume', () => {
    expect(r.map((_, i) => label(r, i))).toEqual(['group', 'a1', 'a2', 'a3', 'a4', 'group', 'b1', 'b2'])
  })

  it('lands on the first item when there is no cursor yet', () => {
    expect(moveCursor(n, -1, 'ArrowDown', 10)).toBe(1)
    expect(moveCursor(n, -1, 'End', 10)).toBe(1)
  })

  it('steps over partition headers and removed items', () => {
    expect(label(r, moveCursor(n, 3, 'ArrowDown', 10))).toBe('b1')
    expect(label(r, moveCursor(n, 6, 'ArrowUp', 10))).toBe('a3')
  })

  it('stays on the first and last items at the ends', () => {
    expect(moveCursor(n, 1, 'ArrowUp', 10)).toBe(1)
    expect(moveCursor(n, 7, 'ArrowDown', 10)).toBe(7)
  })

  it('goes to the first and last items with Home and End', () => {
    expect(label(r, moveCursor(n, 6, 'Home', 10))).toBe('a1')
    expect(label(r, moveCursor(n, 1, 'End', 10))).toBe('b2')
  })

  it('pages by rows, settling on the nearest item in the direction of travel', () => {
    expect(label(r, moveCursor(n, 1, 'PageDown', 4))).toBe('b1') // row 5 is a header: on to b1
    expect(label(r, moveCursor(n, 7, 'PageUp', 3))).toBe('a3') // row 4 is a ghost: back to a3
    expect(label(r, moveCursor(n, 2, 'PageDown', 100))).toBe('b2')
    expect(label(r, moveCursor(n, 6, 'PageUp', 100))).toBe('a1') // row 0 is a header: forward to a1
  })

  it('lets rows not fetched yet take the cursor, so End reaches the last row of a large view', () => {
    // 1 header + 999 item rows, none fetched but row 500, a removed item.
    const big: NavRows = { count: 1000, selectable: (i) => i > 0 && i !== 500 }
    expect(moveCursor(big, 1, 'End', 10)).toBe(999)
    expect(moveCursor(big, 499, 'ArrowDown', 10)).toBe(501)
    expect(moveCursor(big, 490, 'PageDown', 10)).toBe(501)
  })

  it('finds nothing in a view without stored items', () => {
    const onlyGhosts = buildView([], { table, ghosts: [item('A', 'gone')] }).rows
    expect(findSelectable(nav(onlyGhosts), 0, 1)).toBe(-1)
    expect(moveCursor(nav(onlyGhosts), -1, 'ArrowDown', 10)).toBe(-1)
  })
})
