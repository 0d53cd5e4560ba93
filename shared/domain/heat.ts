import { PARTITION_READ_LIMIT, PARTITION_WRITE_LIMIT } from './cost'

/**
 * Traffic per partition, for the visualizer's heat strip. The cost report states each pattern's load on a table or
 * index (units per second over all its calls, the literal start of the partition key it asks for, and optionally a
 * share on its busiest key); this spreads those loads over the partitions actually shown, so the strip works on
 * whatever data a connection holds, not only the sample the cost was measured on.
 */

export interface PartitionLoad {
  patternId: string
  table: string
  /** The GSI the units land on; absent for the table (an LSI's units land on the table's own partitions). */
  index?: string
  kind: 'read' | 'write'
  /** Units per second over every call at the traffic profile. */
  unitsPerSecond: number
  /** Calls go to partitions whose key starts with this; absent when the key cannot be told (every partition). */
  keyPrefix?: string
  /** A declared share of the calls on one key, and that key (the pattern's default parameters'). */
  hotKeyShare?: number
  hotKey?: string
}

export interface PartitionCell {
  pk: string
  items: number
  bytes: number
}

export interface PartitionHeat extends PartitionCell {
  readUnitsPerSecond: number
  writeUnitsPerSecond: number
  /** This partition's share of all the units on the shown table or index (0 when there is no traffic). */
  share: number
  /** Fractions of DynamoDB's per-partition limits, 3,000 read and 1,000 write units per second. */
  readOfLimit: number
  writeOfLimit: number
  throttles: boolean
}

export interface HeatSummary {
  cells: PartitionHeat[]
  maxBytes: number
  maxShare: number
  totalUnitsPerSecond: number
  throttling: number
}

const round = (n: number) => Math.round(n * 1e6) / 1e6

/**
 * Each shown partition's units per second from the loads aimed at `target` (its table, and `index` when the view
 * is a GSI). A load's calls spread evenly over the partitions its key prefix matches; a declared hot-key share goes
 * to its hot key when that partition is shown, the rest evenly over the others. One pass per load over the
 * partitions: cheap next to grouping the items, and done once per view and report, not per render.
 */
export function partitionHeat(
  cells: readonly PartitionCell[],
  loads: readonly PartitionLoad[],
  target: { table: string; index?: string },
): HeatSummary {
  const read = new Float64Array(cells.length)
  const write = new Float64Array(cells.length)
  for (const load of loads) {
    if (load.table !== target.table || (load.index ?? undefined) !== target.index || !load.unitsPerSecond)
      continue
    const into = load.kind === 'read' ? read : write
    const prefix = load.keyPrefix ?? ''
    const matching: number[] = []
    for (let i = 0; i < cells.length; i++) if (cells[i]!.pk.startsWith(prefix)) matching.push(i)
    if (!matching.length) continue
    const hot =
      load.hotKeyShare !== undefined && load.hotKey !== undefined
        ? matching.find((i) => cells[i]!.pk === load.hotKey)
        : undefined
    if (hot === undefined) {
      const each = load.unitsPerSecond / matching.length
      for (const i of matching) into[i]! += each
      continue
    }
    into[hot]! += load.unitsPerSecond * load.hotKeyShare!
    const rest = matching.length - 1
    if (rest > 0) {
      const each = (load.unitsPerSecond * (1 - load.hotKeyShare!)) / rest
      for (const i of matching) if (i !== hot) into[i]! += each
    }
  }
  let total = 0
  for (let i = 0; i < cells.length; i++) total += read[i]! + write[i]!
  let maxBytes = 0
  let maxShare = 0
  let throttling = 0
  const out = cells.map((c, i): PartitionHeat => {
    const r = read[i]!
    const w = write[i]!
    const share = total > 0 ? (r + w) / total : 0
    const throttles = r > PARTITION_READ_LIMIT || w > PARTITION_WRITE_LIMIT
    if (c.bytes > maxBytes) maxBytes = c.bytes
    if (share > maxShare) maxShare = share
    if (throttles) throttling++
    // Every field spelled out: spreading `c` into a wider object costs ~10 µs a cell in V8, seconds at 100k.
    return {
      pk: c.pk,
      items: c.items,
      bytes: c.bytes,
      readUnitsPerSecond: round(r),
      writeUnitsPerSecond: round(w),
      share,
      readOfLimit: r / PARTITION_READ_LIMIT,
      writeOfLimit: w / PARTITION_WRITE_LIMIT,
      throttles,
    }
  })
  return { cells: out, maxBytes, maxShare, totalUnitsPerSecond: round(total), throttling }
}

const pct = (x: number) => `${x >= 0.1 || x === 0 ? (x * 100).toFixed(0) : (x * 100).toFixed(1)}%`

/** The words a cell is announced with (its hover and focus text). */
export function describePartition(cell: PartitionHeat, withTraffic: boolean): string {
  const size = cell.bytes < 1024 ? `${cell.bytes} B` : `${(cell.bytes / 1024).toFixed(1)} KB`
  const base = `${cell.pk}: ${cell.items} item${cell.items === 1 ? '' : 's'}, ${size}`
  if (!withTraffic) return base
  const traffic = `${pct(cell.share)} of the traffic, ${cell.readUnitsPerSecond} RCU/s (${pct(cell.readOfLimit)} of 3,000), ${cell.writeUnitsPerSecond} WCU/s (${pct(cell.writeOfLimit)} of 1,000)`
  return `${base}; ${traffic}${cell.throttles ? '; will throttle' : ''}`
}
