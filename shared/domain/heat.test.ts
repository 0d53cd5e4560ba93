import { describe, expect, it } from 'vitest'
import { describePartition, partitionHeat, type PartitionCell, type PartitionLoad } from './heat'

const cells: PartitionCell[] = [
  { pk: 'CUST#ann', items: 3, bytes: 900 },
  { pk: 'CUST#bob', items: 1, bytes: 300 },
  { pk: 'CUST#cho', items: 1, bytes: 300 },
  { pk: 'PRODUCT#KB-01', items: 1, bytes: 2048 },
]
const load = (over: Partial<PartitionLoad>): PartitionLoad => ({
  patternId: 'p',
  table: 'store',
  kind: 'read',
  unitsPerSecond: 0,
  ...over,
})

describe('partitionHeat', () => {
  it('spreads a load evenly over the partitions its key prefix matches', () => {
    const h = partitionHeat(cells, [load({ unitsPerSecond: 300, keyPrefix: 'CUST#' })], { table: 'store' })
    expect(h.cells.map((c) => c.readUnitsPerSecond)).toEqual([100, 100, 100, 0])
    expect(h.cells.map((c) => c.share)).toEqual([1 / 3, 1 / 3, 1 / 3, 0])
    expect(h.totalUnitsPerSecond).toBe(300)
    expect(h.maxBytes).toBe(2048)
    expect(h.throttling).toBe(0)
  })

  it('puts a declared hot-key share on its key and spreads the rest; over the limit it throttles', () => {
    const h = partitionHeat(
      cells,
      [
        load({ unitsPerSecond: 5000, keyPrefix: 'CUST#', hotKey: 'CUST#ann', hotKeyShare: 0.8 }),
        load({ kind: 'write', unitsPerSecond: 1500 }),
      ],
      { table: 'store' },
    )
    expect(h.cells.map((c) => c.readUnitsPerSecond)).toEqual([4000, 500, 500, 0])
    // A write load without a prefix lands on every partition.
    expect(h.cells.map((c) => c.writeUnitsPerSecond)).toEqual([375, 375, 375, 375])
    expect(h.cells.map((c) => c.throttles)).toEqual([true, false, false, false])
    expect(h.cells[0]!.readOfLimit).toBeCloseTo(4000 / 3000)
    expect(h.throttling).toBe(1)
    expect(describePartition(h.cells[0]!, true)).toBe(
      'CUST#ann: 3 items, 900 B; 67% of the traffic, 4000 RCU/s (133% of 3,000), 375 WCU/s (38% of 1,000); will throttle',
    )
  })

  it('counts only the loads on the shown table or GSI; with none, every share is 0', () => {
    const loads = [load({ unitsPerSecond: 10, index: 'GSI1' }), load({ unitsPerSecond: 10, table: 'other' })]
    const onTable = partitionHeat(cells, loads, { table: 'store' })
    expect(onTable.totalUnitsPerSecond).toBe(0)
    expect(onTable.cells.every((c) => c.share === 0)).toBe(true)
    expect(describePartition(onTable.cells[3]!, false)).toBe('PRODUCT#KB-01: 1 item, 2.0 KB')
    const onGsi = partitionHeat(cells, loads, { table: 'store', index: 'GSI1' })
    expect(onGsi.cells.map((c) => c.readUnitsPerSecond)).toEqual([2.5, 2.5, 2.5, 2.5])
  })
})
