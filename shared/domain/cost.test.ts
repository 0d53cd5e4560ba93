import { describe, expect, it } from 'vitest'
import {
  evenHotKeyShare,
  formatUsd,
  gsiWriteAmplification,
  hotPartitions,
  indexWriteUnits,
  itemCollectionWarnings,
  noUnits,
  patternCost,
  plainItemSize,
  readUnits,
  sizeHistogram,
  tableStorage,
  tableWriteUnits,
  targetCosts,
  writeUnits,
  type PatternCapacity,
} from './cost'
import { TableSpec } from './model'
import { mergeTraffic, parseRateArg, unknownTrafficNames } from './traffic'

const table = TableSpec.parse({
  name: 'orders',
  attributeDefinitions: [
    { attributeName: 'pk', attributeType: 'S' },
    { attributeName: 'sk', attributeType: 'S' },
    { attributeName: 'status', attributeType: 'S' },
    { attributeName: 'placed', attributeType: 'S' },
  ],
  keySchema: [
    { attributeName: 'pk', keyType: 'HASH' },
    { attributeName: 'sk', keyType: 'RANGE' },
  ],
  globalSecondaryIndexes: [
    {
      indexName: 'by-status',
      keySchema: [{ attributeName: 'status', keyType: 'HASH' }],
      projection: { projectionType: 'KEYS_ONLY' },
    },
  ],
  localSecondaryIndexes: [
    {
      indexName: 'by-placed',
      keySchema: [
        { attributeName: 'pk', keyType: 'HASH' },
        { attributeName: 'placed', keyType: 'RANGE' },
      ],
      projection: { projectionType: 'ALL' },
    },
  ],
})

const reads = (tableUnits: number, id = 'A'): PatternCapacity => ({
  patternId: id,
  table: 'orders',
  reads: { ...noUnits(), table: tableUnits },
  writes: noUnits(),
})

describe('capacity units', () => {
  it('reads: per started 4 KB, halved eventually consistent, doubled in a transaction', () => {
    expect(readUnits(1024, 'eventual')).toBe(0.5)
    expect(readUnits(1024, 'strong')).toBe(1)
    expect(readUnits(1024, 'transactional')).toBe(2)
    expect(readUnits(4097, 'strong')).toBe(2)
    expect(readUnits(4097, 'eventual')).toBe(1)
    expect(readUnits(0, 'strong')).toBe(1)
  })

  it('writes: per started 1 KB, doubled in a transaction', () => {
    expect(writeUnits(1024)).toBe(1)
    expect(writeUnits(1025)).toBe(2)
    expect(writeUnits(1536, { transactional: true })).toBe(4)
  })

  it('item size follows the developer guide: names + UTF-8 strings, numbers by digit pairs, 3 bytes per list/map', () => {
    expect(plainItemSize({ pk: 'ab' })).toBe(4)
    expect(plainItemSize({ é: 'é' })).toBe(4)
    // 12345: 5 significant digits → 3 bytes, + 1
    expect(plainItemSize({ n: 12345 })).toBe(1 + 4)
    expect(plainItemSize({ b: true })).toBe(2)
    // list: 3 + (1 + 2 for the number 1) + (1 + 1 for "a")
    expect(plainItemSize({ l: [1, 'a'] })).toBe(1 + 3 + 3 + 2)
  })
})

describe('the issue 13 worked example', () => {
  it('GetItem of a 1 KB item at 100/s, eventually consistent, on-demand: 131.4M RRU, $16.43 a month', () => {
    const c = patternCost(reads(readUnits(1024, 'eventual')), 100, { utilisation: 0.7 })
    expect(c.requestsPerMonth).toBe(100 * 3600 * 730)
    expect(c.readRequestUnitsPerMonth).toBe(131_400_000)
    expect(c.onDemand).toBe(16.425)
    expect(formatUsd(c.onDemand)).toBe('$16.43')
  })

  it('strongly consistent costs twice as much', () => {
    const c = patternCost(reads(readUnits(1024, 'strong')), 100, { utilisation: 0.7 })
    expect(c.readRequestUnitsPerMonth).toBe(262_800_000)
    expect(formatUsd(c.onDemand)).toBe('$32.85')
  })

  it('provisioned: units per second over the utilisation target, per unit-hour, 730 hours', () => {
    const c = patternCost(reads(0.5), 100, { utilisation: 0.5 })
    // 0.5 × 100 / 0.5 = 100 RCU; 100 × $0.00013 × 730 = $9.49
    expect(c.provisionedRcu).toBe(100)
    expect(c.provisioned).toBe(9.49)
  })
})

describe('GSI and transactions', () => {
  const gsi = table.globalSecondaryIndexes![0]!
  const before = { pk: 'O#1', sk: 'O#1', status: 'open', placed: '2026-01-01', note: 'x' }

  it('a changed GSI key is two index writes (delete + put)', () => {
    expect(indexWriteUnits(table, gsi, before, { ...before, status: 'shipped' })).toEqual({
      writes: 2,
      units: 2,
    })
  })

  it('an entry appearing or disappearing is one write; an unprojected change is none', () => {
    const { status: _omit, ...noStatus } = before
    void _omit
    expect(indexWriteUnits(table, gsi, undefined, before).writes).toBe(1)
    expect(indexWriteUnits(table, gsi, before, undefined).writes).toBe(1)
    expect(indexWriteUnits(table, gsi, before, noStatus).writes).toBe(1)
    expect(indexWriteUnits(table, gsi, noStatus, { ...noStatus, note: 'y' }).writes).toBe(0)
    // KEYS_ONLY: `note` is not in the index, so changing it writes nothing there
    expect(indexWriteUnits(table, gsi, before, { ...before, note: 'y' }).writes).toBe(0)
  })

  it('an update that moves the GSI key: table 1 + GSI 2 + LSI 1; at 10/s on-demand that is $49.28', () => {
    const units = tableWriteUnits(table, before, { ...before, status: 'shipped', note: 'y' })
    expect(units).toEqual({ table: 1, gsis: { 'by-status': 2 }, lsis: { 'by-placed': 1 } })
    const c = patternCost({ patternId: 'U', table: 'orders', reads: noUnits(), writes: units }, 10, {
      utilisation: 0.7,
    })
    expect(c.writeUnitsPerCall).toBe(4)
    expect(c.gsiWriteUnitsPerCall).toBe(2)
    // 10 × 3600 × 730 = 26.28M calls × 4 WRU = 105.12M WRU × $0.625/M = $65.70
    expect(c.writeRequestUnitsPerMonth).toBe(105_120_000)
    expect(formatUsd(c.onDemand)).toBe('$65.70')
    const gsiOnly = patternCost(
      { patternId: 'U', table: 'orders', reads: noUnits(), writes: { table: 1, gsis: { g: 2 }, lsis: {} } },
      10,
      { utilisation: 0.7 },
    )
    // 3 WRU × 26.28M = 78.84M × $0.625/M = $49.275
    expect(formatUsd(gsiOnly.onDemand)).toBe('$49.28')
  })

  it('a transaction doubles every write, on the table and the indexes', () => {
    const plain = tableWriteUnits(table, undefined, before)
    const tx = tableWriteUnits(table, undefined, before, { transactional: true })
    expect(tx.table).toBe(plain.table * 2)
    expect(tx.gsis['by-status']).toBe(plain.gsis['by-status']! * 2)
    const cost = (u: typeof plain) =>
      patternCost({ patternId: 'T', table: 'orders', reads: noUnits(), writes: u }, 1, { utilisation: 1 })
        .onDemand
    expect(cost(tx)).toBeCloseTo(cost(plain) * 2, 9)
  })

  it('GSI write amplification is GSI write units per table write unit over the traffic', () => {
    const w = (t: number, g: number): PatternCapacity => ({
      patternId: 'W',
      table: 'orders',
      reads: noUnits(),
      writes: { table: t, gsis: { g }, lsis: {} },
    })
    expect(
      gsiWriteAmplification([
        { capacity: w(1, 2), rate: 10 },
        { capacity: w(1, 0), rate: 30 },
      ]),
    ).toBe(0.5)
    expect(gsiWriteAmplification([{ capacity: reads(1), rate: 5 }])).toBe(0)
  })

  it('per target: table and each GSI priced apart', () => {
    const rows = targetCosts(
      [
        { capacity: reads(1), rate: 100 },
        {
          capacity: {
            patternId: 'W',
            table: 'orders',
            reads: noUnits(),
            writes: { table: 1, gsis: { g: 1 }, lsis: {} },
          },
          rate: 10,
        },
      ],
      { utilisation: 1 },
    )
    const t = rows.find((r) => r.kind === 'table')!
    const g = rows.find((r) => r.kind === 'gsi')!
    expect(t).toMatchObject({ readUnitsPerSecond: 100, writeUnitsPerSecond: 10 })
    expect(g).toMatchObject({ index: 'g', readUnitsPerSecond: 0, writeUnitsPerSecond: 10 })
    // GSI: 10 WCU × $0.00065 × 730 = $4.745
    expect(g.provisioned).toBe(4.745)
  })
})

describe('storage and partitions', () => {
  const items = [
    { pk: 'O#1', sk: 'A', status: 'open', placed: 'p' },
    { pk: 'O#1', sk: 'B' },
  ]

  it('each item and index entry is its size + 100 bytes, scaled to the declared item count', () => {
    const rows = tableStorage(table, items, { items: 2_000_000 })
    const sizes = items.map(plainItemSize)
    const t = rows.find((r) => r.kind === 'table')!
    expect(t.items).toBe(2_000_000)
    expect(t.bytes).toBe(((sizes[0]! + 100 + sizes[1]! + 100) / 2) * 2_000_000)
    // Only the first item carries `status`; KEYS_ONLY keeps pk, sk, status.
    const g = rows.find((r) => r.kind === 'gsi')!
    expect(g.items).toBe(1_000_000)
    expect(g.bytes).toBe((plainItemSize({ pk: 'O#1', sk: 'A', status: 'open' }) + 100) * 1_000_000)
    expect(t.monthly).toBeCloseTo((t.bytes / 1024 ** 3) * 0.25, 5)
  })

  it('hot partitions: over 3,000 RCU or 1,000 WCU on the busiest key throttles', () => {
    const [hot] = hotPartitions(reads(0.5), 10_000, 1)
    expect(hot).toMatchObject({ kind: 'read', unitsPerSecond: 5000, limit: 3000, throttles: true })
    expect(hotPartitions(reads(0.5), 10_000, 0.5)[0]!.throttles).toBe(false)
    const w = hotPartitions(
      { patternId: 'W', table: 'orders', reads: noUnits(), writes: { table: 1, gsis: { g: 1 }, lsis: {} } },
      1500,
      1,
    )
    expect(w.map((r) => [r.index ?? 'table', r.throttles])).toEqual([
      ['table', true],
      ['g', true],
    ])
    expect(evenHotKeyShare('O#', ['O#1', 'O#2', 'U#1', 'O#3', 'O#4'])).toBe(0.25)
    expect(evenHotKeyShare(undefined, ['a'])).toBe(1)
  })

  it('item collections over 10 GB are reported for tables with an LSI', () => {
    expect(itemCollectionWarnings(table, items, 1)).toEqual([])
    const big = itemCollectionWarnings(table, items, 1e9)
    expect(big).toHaveLength(1)
    expect(big[0]).toMatchObject({ table: 'orders', partitionKey: 'O#1' })
    const noLsi = { ...table, localSecondaryIndexes: undefined }
    expect(itemCollectionWarnings(noLsi, items, 1e9)).toEqual([])
  })
})

describe('partition size histogram', () => {
  it('counts partitions per size band of ×4 from 1 KB up to the largest', () => {
    const p = (bytes: number) => ({ partitionKey: String(bytes), items: 1, bytes })
    expect(sizeHistogram([p(10), p(1024), p(1025), p(5000), p(20_000)])).toEqual([
      { label: '≤ 1 KB', upToBytes: 1024, partitions: 2 },
      { label: '≤ 4 KB', upToBytes: 4096, partitions: 1 },
      { label: '≤ 16 KB', upToBytes: 16384, partitions: 1 },
      { label: '≤ 64 KB', upToBytes: 65536, partitions: 1 },
    ])
    expect(sizeHistogram([])).toEqual([])
  })
})

describe('traffic profile', () => {
  it('parses --rate PATTERN=N and refuses anything else', () => {
    expect(parseRateArg('A=100')).toEqual(['A', 100])
    expect(parseRateArg('send-message=0.5')).toEqual(['send-message', 0.5])
    expect(() => parseRateArg('A:100')).toThrow(/PATTERN=N/)
    expect(() => parseRateArg('A=-1')).toThrow(/PATTERN=N/)
  })

  it('names the patterns a profile refers to that the model lacks', () => {
    const p = mergeTraffic({ rates: { A: 1, Z: 2 } })
    expect(unknownTrafficNames(p, ['A', 'B'])).toEqual(['Z'])
  })

  it('later profiles win per pattern; utilisation and volumes carry over', () => {
    const p = mergeTraffic(
      { rates: { A: 1, B: { rate: 2, hotKeyShare: 0.1 } }, utilisation: 0.5 },
      { rates: { A: 7 } },
      undefined,
    )
    expect(p.rates).toEqual({ A: 7, B: { rate: 2, hotKeyShare: 0.1 } })
    expect(p.utilisation).toBe(0.5)
  })
})
