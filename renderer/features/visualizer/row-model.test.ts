import { describe, expect, it } from 'vitest'
import type { ViewGroupSummary, ViewItemRow } from '../../../shared/contract/channels/workbench'
import { buildView, flattenGroups } from '../../../shared/domain/grouping'
import { blocksIn, groupRowId, RowCache, RowLayout } from './row-model'

const group = (pk: string, count: number, extra: Partial<ViewGroupSummary> = {}): ViewGroupSummary => ({
  pk,
  count,
  columns: ['pk', 'sk'],
  sizeBytes: 0,
  removedCount: 0,
  ...extra,
})
const itemRow = (row: number, itemId = `id${row}`, ghost = false): ViewItemRow => ({
  row,
  id: ghost ? `${itemId}\u0000ghost` : itemId,
  itemId,
  item: { pk: { S: itemId } },
  position: 0,
  ...(ghost ? { ghost } : {}),
})

describe('row layout from groups', () => {
  // Rows: 0 header A, 1-3 A's items, 4 header B, 5 B's item, 6 header (excluded), 7-8 its items.
  const layout = new RowLayout([
    group('A', 3),
    group('B', 1),
    group('', 2, { excluded: true, reason: 'no gsi' }),
  ])

  it('numbers rows as flattenGroups does: a header, then its items, group after group', () => {
    const table = {
      partitionKey: { name: 'pk', type: 'S' as const },
      sortKey: { name: 'sk', type: 'S' as const },
    }
    const items = ['A1', 'A2', 'B1', 'C1', 'C2', 'C3'].map((k) => ({ pk: { S: k[0]! }, sk: { S: k } }))
    const view = buildView(items, { table })
    const flat = flattenGroups(view.groups)
    const fromGroups = new RowLayout(
      view.groups.map((g) => group(g.pk, g.items.length, { columns: g.columns })),
    )
    expect(fromGroups.rowCount).toBe(flat.length)
    flat.forEach((r, i) => {
      expect(fromGroups.isHeader(i)).toBe(r.kind === 'group')
      expect(fromGroups.groupAt(i)!.pk).toBe(r.group.pk)
      expect(fromGroups.positionAt(i)).toBe(r.kind === 'item' ? r.position : -1)
      if (r.kind === 'group') expect(groupRowId(fromGroups.groupAt(i)!)).toBe(r.id)
    })
  })

  it('knows each row’s kind, group and position', () => {
    expect(layout.rowCount).toBe(9)
    expect(layout.headers).toEqual([0, 4, 6])
    expect([0, 1, 3, 4, 5, 6, 8].map((r) => layout.groupIndexAt(r))).toEqual([0, 0, 0, 1, 1, 2, 2])
    expect(layout.positionAt(0)).toBe(-1)
    expect(layout.positionAt(3)).toBe(2)
    expect(layout.positionAt(8)).toBe(1)
    expect(layout.groupIndexAt(9)).toBe(-1)
    expect(layout.groupIndexAt(-1)).toBe(-1)
  })

  it('finds the sticky header above any row', () => {
    expect(layout.headerAtOrBefore(0)).toBe(0)
    expect(layout.headerAtOrBefore(3)).toBe(0)
    expect(layout.headerAtOrBefore(5)).toBe(4)
    expect(layout.headerAtOrBefore(8)).toBe(6)
    expect(new RowLayout([]).headerAtOrBefore(3)).toBe(0)
  })

  it('finds a partition by its key or a prefix, never an excluded group', () => {
    const l = new RowLayout([group('USER#1', 2), group('USER#10', 1), group('USER#2', 1)])
    expect(l.findPartition('USER#10')).toBe(3)
    expect(l.findPartition('USER#1')).toBe(0)
    expect(l.findPartition('USER#2')).toBe(5)
    expect(l.findPartition('NOPE')).toBeUndefined()
    expect(l.findPartition('  ')).toBeUndefined()
    expect(layout.findPartition('')).toBeUndefined()
  })
})

describe('row windows', () => {
  it('covers a range with aligned blocks, clipped to the view', () => {
    expect(blocksIn(0, 10, 1000, 200)).toEqual([0])
    expect(blocksIn(190, 410, 1000, 200)).toEqual([0, 1, 2])
    expect(blocksIn(-50, 5000, 450, 200)).toEqual([0, 1, 2])
    expect(blocksIn(0, 10, 0, 200)).toEqual([])
  })

  it('tracks which blocks are in, on their way or missing', () => {
    const cache = new RowCache('v1', 450, 200)
    expect(cache.missing(0, 449)).toEqual([0, 1, 2])
    cache.add([itemRow(1), itemRow(2)], 0, 200)
    cache.markPending(1)
    expect(cache.missing(0, 449)).toEqual([2])
    expect(cache.has(0, 199)).toBe(true)
    expect(cache.has(0, 200)).toBe(false)
    // The last block is short: rows 400-449 complete it.
    cache.add([itemRow(420)], 400, 200)
    expect(cache.has(400, 449)).toBe(true)
    cache.release(1)
    expect(cache.missing(0, 449)).toEqual([1])
    expect(cache.get(420)?.itemId).toBe('id420')
    expect(cache.get(3)).toBeUndefined()
  })

  it('marks in only the blocks a span covers entirely', () => {
    const cache = new RowCache('v', 1000, 200)
    cache.add([], 100, 400) // rows 100-499: block 1 whole, blocks 0 and 2 only in part
    expect(cache.missing(0, 999)).toEqual([0, 2, 3, 4])
  })

  it('finds a stored item’s row by its id, never a removed one', () => {
    const cache = new RowCache('v', 10, 5)
    cache.add([itemRow(1, 'a'), itemRow(2, 'b', true)], 0, 5)
    expect(cache.rowOfItem('a')).toBe(1)
    expect(cache.rowOfItem('b')).toBeUndefined()
  })

  it('keeps at most maxBlocks, dropping those farthest from the rows in sight', () => {
    const cache = new RowCache('v', 1000, 100, 3)
    for (let b = 0; b < 10; b++) cache.add([itemRow(b * 100, `r${b}`)], b * 100, 100)
    cache.evict(450, 550)
    expect(cache.blockCount).toBe(3)
    expect(cache.has(400, 599)).toBe(true)
    expect(cache.get(0)).toBeUndefined()
    expect(cache.rowOfItem('r0')).toBeUndefined()
    expect(cache.rowOfItem('r5')).toBe(500)
    expect(cache.missing(0, 999)).toEqual([0, 1, 2, 3, 7, 8, 9])
  })
})
