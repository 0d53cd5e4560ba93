import { describe, expect, it } from 'vitest'
import { buildView } from '../../../shared/domain/grouping'
import { cellText, groupSummary } from './cell-text'

const table = {
  partitionKey: { name: 'pk', type: 'S' as const },
  sortKey: { name: 'sk', type: 'S' as const },
}

describe('visualizer cell texts', () => {
  it('shows scalars as text, collections as JSON, and cuts long values', () => {
    const item = { pk: { S: 'A' }, n: { N: '12.50' }, tags: { SS: ['x', 'y'] }, long: { S: 'z'.repeat(100) } }
    expect(cellText(item, 'pk')).toBe('A')
    expect(cellText(item, 'n')).toBe('12.50')
    expect(JSON.parse(cellText(item, 'tags'))).toEqual(['x', 'y'])
    expect(cellText(item, 'long')).toHaveLength(60)
    expect(cellText(item, 'long').endsWith('…')).toBe(true)
    expect(cellText(item, 'missing')).toBe('')
  })

  it('gives the same text for the same item after many others have filled the cache', () => {
    const first = { pk: { S: 'first' } }
    expect(cellText(first, 'pk')).toBe('first')
    for (let i = 0; i < 5000; i++) cellText({ pk: { S: `k${i}` } }, 'pk')
    expect(cellText(first, 'pk')).toBe('first')
  })

  it('sums up a partition: stored items, size, removed ones apart', () => {
    const items = [
      { pk: { S: 'A' }, sk: { S: '1' } },
      { pk: { S: 'A' }, sk: { S: '2' } },
    ]
    const summary = (g: { items: unknown[]; removedCount: number; sizeBytes: number }) =>
      groupSummary({ count: g.items.length, removedCount: g.removedCount, sizeBytes: g.sizeBytes })
    const [group] = buildView(items, { table, ghosts: [{ pk: { S: 'A' }, sk: { S: '3' } }] }).groups
    expect(summary(group!)).toMatch(/^2 items · \d+ B · 1 removed$/)
    const [single] = buildView(items.slice(0, 1), { table }).groups
    expect(summary(single!)).toMatch(/^1 item · \d+ B$/)
  })
})
