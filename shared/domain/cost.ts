import Decimal from 'decimal.js'
import { itemSize, plainToItem } from './attribute-json'
import prices from './dynamodb-prices.json'
import type { GlobalSecondaryIndex, LocalSecondaryIndex, TableSpec } from './model'

/**
 * DynamoDB's cost arithmetic: capacity units per call, what a call costs a month on-demand and provisioned, storage,
 * and the per-partition limits. Pure, so the CLI, the app and the tests compute the same figures.
 */

export type Prices = typeof prices
/** us-east-1 Standard table class; see dynamodb-prices.json for the date and source. */
export const DEFAULT_PRICES: Prices = prices

// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/provisioned-capacity-mode.html
export const READ_UNIT_BYTES = 4096
export const WRITE_UNIT_BYTES = 1024
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html
export const PARTITION_READ_LIMIT = 3000
export const PARTITION_WRITE_LIMIT = 1000
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LSI.html#LSI.ItemCollections.SizeLimit
export const ITEM_COLLECTION_LIMIT_BYTES = 10 * 1024 ** 3
// "Every item in DynamoDB requires 100 bytes of storage overhead for indexing", and each index entry likewise:
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html,
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.StorageConsiderations
export const STORAGE_OVERHEAD_BYTES = 100
const GB = 1024 ** 3

export type ReadConsistency = 'eventual' | 'strong' | 'transactional'

/**
 * Read units for reading `bytes` (one item, or a Query's summed page): one unit per started 4 KB strongly
 * consistent, half of that eventually consistent, twice that inside a transaction
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-capacity-handling).
 */
export function readUnits(bytes: number, consistency: ReadConsistency = 'eventual'): number {
  const units = Math.max(1, Math.ceil(bytes / READ_UNIT_BYTES))
  return consistency === 'eventual' ? units / 2 : consistency === 'strong' ? units : units * 2
}

/** Write units for writing `bytes`: one per started 1 KB, twice that inside a transaction. */
export function writeUnits(bytes: number, options: { transactional?: boolean } = {}): number {
  const units = Math.max(1, Math.ceil(bytes / WRITE_UNIT_BYTES))
  return options.transactional ? units * 2 : units
}

type PlainItem = Record<string, unknown>

/** Size of a plain-JSON item as DynamoDB counts it (attribute names plus values; see itemSize). */
export function plainItemSize(item: PlainItem): number {
  return itemSize(plainToItem(item))
}

type AnyIndex = GlobalSecondaryIndex | LocalSecondaryIndex

/** The part of an item an index holds: none when it lacks the index's key, else its projection. */
export function projectedItem(table: TableSpec, index: AnyIndex, item: PlainItem): PlainItem | undefined {
  const indexKeys = index.keySchema.map((k) => k.attributeName)
  if (!indexKeys.every((k) => item[k] !== undefined && item[k] !== null)) return undefined
  if (index.projection.projectionType === 'ALL') return item
  const keep = new Set([
    ...table.keySchema.map((k) => k.attributeName),
    ...indexKeys,
    ...(index.projection.nonKeyAttributes ?? []),
  ])
  return Object.fromEntries(Object.entries(item).filter(([k]) => keep.has(k)))
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

export interface IndexWrite {
  /** 0 (the index is untouched), 1 (a put or a delete of the index entry), or 2 (its key changed: delete + put). */
  writes: 0 | 1 | 2
  units: number
}

/**
 * What a table write costs on one secondary index, from the item before and after it
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations.Writes):
 * an entry appearing or disappearing is one write; a changed index key is two, a delete of the old entry and a put
 * of the new one; a change to projected attributes only is one; anything else is none.
 */
export function indexWriteUnits(
  table: TableSpec,
  index: AnyIndex,
  before: PlainItem | undefined,
  after: PlainItem | undefined,
  options: { transactional?: boolean } = {},
): IndexWrite {
  const old = before && projectedItem(table, index, before)
  const now = after && projectedItem(table, index, after)
  const w = (item: PlainItem) => writeUnits(plainItemSize(item), options)
  if (!old && !now) return { writes: 0, units: 0 }
  if (!old) return { writes: 1, units: w(now!) }
  if (!now) return { writes: 1, units: w(old) }
  const keyChanged = index.keySchema.some((k) => !sameValue(old[k.attributeName], now[k.attributeName]))
  if (keyChanged) return { writes: 2, units: w(old) + w(now) }
  return sameValue(old, now) ? { writes: 0, units: 0 } : { writes: 1, units: w(now) }
}

/** Capacity units one call consumes, split as ReturnConsumedCapacity: INDEXES reports them. */
export interface UnitsByTarget {
  /** The table itself. */
  table: number
  gsis: Record<string, number>
  lsis: Record<string, number>
}

export const noUnits = (): UnitsByTarget => ({ table: 0, gsis: {}, lsis: {} })

export function addUnits(into: UnitsByTarget, add: UnitsByTarget): UnitsByTarget {
  into.table += add.table
  for (const [k, v] of Object.entries(add.gsis)) into.gsis[k] = (into.gsis[k] ?? 0) + v
  for (const [k, v] of Object.entries(add.lsis)) into.lsis[k] = (into.lsis[k] ?? 0) + v
  return into
}

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0)
export const totalUnits = (u: UnitsByTarget) => u.table + sum(u.gsis) + sum(u.lsis)

/**
 * The write units of a table write (put, update or delete of one item) on the table and each index, from the item
 * before and after: the table is charged for the larger of the two images.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
 */
export function tableWriteUnits(
  table: TableSpec,
  before: PlainItem | undefined,
  after: PlainItem | undefined,
  options: { transactional?: boolean } = {},
): UnitsByTarget {
  const bytes = Math.max(before ? plainItemSize(before) : 0, after ? plainItemSize(after) : 0)
  const out: UnitsByTarget = { table: writeUnits(bytes, options), gsis: {}, lsis: {} }
  for (const g of table.globalSecondaryIndexes ?? []) {
    const w = indexWriteUnits(table, g, before, after, options)
    if (w.units) out.gsis[g.indexName] = w.units
  }
  for (const l of table.localSecondaryIndexes ?? []) {
    const w = indexWriteUnits(table, l, before, after, options)
    if (w.units) out.lsis[l.indexName] = w.units
  }
  return out
}

/** What one pattern consumes per call, measured or computed. */
export interface PatternCapacity {
  patternId: string
  table: string
  reads: UnitsByTarget
  writes: UnitsByTarget
}

export interface PatternCost {
  patternId: string
  table: string
  /** Requests per second. */
  rate: number
  requestsPerMonth: number
  readUnitsPerCall: number
  writeUnitsPerCall: number
  /** Write units per call on global secondary indexes: the GSI write amplification, on its own. */
  gsiWriteUnitsPerCall: number
  readRequestUnitsPerMonth: number
  writeRequestUnitsPerMonth: number
  /** USD a month on-demand. */
  onDemand: number
  /** RCU and WCU to provision at the utilisation target, and what they cost a month. */
  provisionedRcu: number
  provisionedWcu: number
  provisioned: number
}

export interface CostOptions {
  prices?: Prices
  /** Provisioned capacity priced at this target utilisation (0.7 = 70%). */
  utilisation: number
}

const dec = (n: number) => new Decimal(n)
/** Money and units are computed in decimal so $16.425 rounds to $16.43, not to a binary neighbour's $16.42. */
const out = (d: Decimal) => d.toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toNumber()

export function secondsPerMonth(p: Prices = DEFAULT_PRICES): Decimal {
  return dec(p.hoursPerMonth).times(3600)
}

/**
 * A pattern's monthly cost at `rate` requests per second: on-demand (request units × requests ÷ 1M × price) and
 * provisioned (units per second ÷ utilisation target, priced per unit-hour for a month of `hoursPerMonth`).
 */
export function patternCost(capacity: PatternCapacity, rate: number, options: CostOptions): PatternCost {
  const p = options.prices ?? DEFAULT_PRICES
  const requests = dec(rate).times(secondsPerMonth(p))
  const r = dec(totalUnits(capacity.reads))
  const w = dec(totalUnits(capacity.writes))
  const rru = r.times(requests)
  const wru = w.times(requests)
  const onDemand = rru
    .div(1e6)
    .times(p.onDemand.readRequestUnitsPerMillion)
    .plus(wru.div(1e6).times(p.onDemand.writeRequestUnitsPerMillion))
  const rcu = r.times(rate).div(options.utilisation)
  const wcu = w.times(rate).div(options.utilisation)
  const provisioned = rcu
    .times(p.provisioned.rcuHour)
    .plus(wcu.times(p.provisioned.wcuHour))
    .times(p.hoursPerMonth)
  return {
    patternId: capacity.patternId,
    table: capacity.table,
    rate,
    requestsPerMonth: out(requests),
    readUnitsPerCall: out(r),
    writeUnitsPerCall: out(w),
    gsiWriteUnitsPerCall: out(dec(sum(capacity.writes.gsis))),
    readRequestUnitsPerMonth: out(rru),
    writeRequestUnitsPerMonth: out(wru),
    onDemand: out(onDemand),
    provisionedRcu: out(rcu),
    provisionedWcu: out(wcu),
    provisioned: out(provisioned),
  }
}

/** `16.425` → `$16.43` (half up, as a bill rounds). */
export function formatUsd(n: number): string {
  return `$${new Decimal(n).toFixed(2, Decimal.ROUND_HALF_UP)}`
}

export interface StorageFigure {
  table: string
  /** Absent for the table itself; LSI entries are billed with their table, so each LSI is its own row too. */
  index?: string
  kind: 'table' | 'gsi' | 'lsi'
  items: number
  bytes: number
  monthly: number
}

export interface TableVolume {
  items?: number
  averageItemBytes?: number
}

/**
 * Storage of a table and each of its indexes from sample items, scaled to a declared item count (and average
 * size) when given: each item or index entry is its size plus 100 bytes of overhead.
 */
export function tableStorage(
  table: TableSpec,
  sample: PlainItem[],
  volume: TableVolume = {},
  prices: Prices = DEFAULT_PRICES,
): StorageFigure[] {
  const sizes = sample.map(plainItemSize)
  const measuredAvg = sizes.length ? sizes.reduce((a, b) => a + b, 0) / sizes.length : 0
  const itemCount = volume.items ?? sample.length
  const perItemScale = sample.length ? itemCount / sample.length : 0
  // A declared average resizes every entry in proportion, indexes included.
  const sizeScale = volume.averageItemBytes && measuredAvg ? volume.averageItemBytes / measuredAvg : 1
  const figure = (
    kind: StorageFigure['kind'],
    entries: PlainItem[],
    index?: string,
    fixedBytes?: number,
  ): StorageFigure => {
    const raw = entries.reduce((n, e) => n + plainItemSize(e) * sizeScale + STORAGE_OVERHEAD_BYTES, 0)
    const bytes = Math.round(fixedBytes ?? raw * perItemScale)
    return {
      table: table.name,
      ...(index ? { index } : {}),
      kind,
      items: Math.round(entries.length * perItemScale),
      bytes,
      monthly: out(dec(bytes).div(GB).times(prices.storageGbMonth)),
    }
  }
  const rows: StorageFigure[] = [
    figure(
      'table',
      sample,
      undefined,
      !sample.length && volume.items && volume.averageItemBytes
        ? volume.items * (volume.averageItemBytes + STORAGE_OVERHEAD_BYTES)
        : undefined,
    ),
  ]
  for (const g of table.globalSecondaryIndexes ?? [])
    rows.push(
      figure(
        'gsi',
        sample.map((i) => projectedItem(table, g, i)).filter((x): x is PlainItem => !!x),
        g.indexName,
      ),
    )
  for (const l of table.localSecondaryIndexes ?? [])
    rows.push(
      figure(
        'lsi',
        sample.map((i) => projectedItem(table, l, i)).filter((x): x is PlainItem => !!x),
        l.indexName,
      ),
    )
  return rows
}

export interface PartitionSize {
  partitionKey: string
  items: number
  bytes: number
}

/** Items and bytes per partition key value in sample items (for the size histogram and item collections). */
export function partitionSizes(table: TableSpec, sample: PlainItem[], scale = 1): PartitionSize[] {
  const pk = table.keySchema[0]!.attributeName
  const by = new Map<string, PartitionSize>()
  for (const item of sample) {
    const key = String(item[pk])
    const entry = by.get(key) ?? { partitionKey: key, items: 0, bytes: 0 }
    entry.items += 1
    let bytes = plainItemSize(item)
    // An item collection holds the table's items and their LSI entries.
    for (const l of table.localSecondaryIndexes ?? []) {
      const p = projectedItem(table, l, item)
      if (p) bytes += plainItemSize(p)
    }
    entry.bytes += bytes * scale
    by.set(key, entry)
  }
  return [...by.values()].sort((a, b) => b.bytes - a.bytes)
}

export interface SizeBucket {
  /** `≤ 4 KB`: the bucket's upper bound. */
  label: string
  upToBytes: number
  partitions: number
}

const formatBytes = (n: number) => {
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let i = 0
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024
    i++
  }
  return `${Math.round(n * 10) / 10} ${units[i]}`
}

/** How many partitions fall in each size band (1 KB, 4 KB, 16 KB, … up to the largest): the size histogram. */
export function sizeHistogram(sizes: readonly PartitionSize[]): SizeBucket[] {
  if (!sizes.length) return []
  const largest = Math.max(...sizes.map((s) => s.bytes))
  const buckets: SizeBucket[] = []
  for (let bound = 1024; ; bound *= 4) {
    buckets.push({ label: `≤ ${formatBytes(bound)}`, upToBytes: bound, partitions: 0 })
    if (bound >= largest) break
  }
  for (const s of sizes) buckets.find((b) => s.bytes <= b.upToBytes)!.partitions++
  return buckets
}

export interface ItemCollectionWarning {
  table: string
  partitionKey: string
  bytes: number
  limit: number
}

/** Item collections over 10 GB, which only tables with LSIs have a limit on. */
export function itemCollectionWarnings(
  table: TableSpec,
  sample: PlainItem[],
  scale = 1,
): ItemCollectionWarning[] {
  if (!table.localSecondaryIndexes?.length) return []
  return partitionSizes(table, sample, scale)
    .filter((p) => p.bytes > ITEM_COLLECTION_LIMIT_BYTES)
    .map((p) => ({
      table: table.name,
      partitionKey: p.partitionKey,
      bytes: p.bytes,
      limit: ITEM_COLLECTION_LIMIT_BYTES,
    }))
}

export interface HotPartitionFigure {
  patternId: string
  table: string
  index?: string
  kind: 'read' | 'write'
  /** Units per second on the busiest partition at the traffic profile. */
  unitsPerSecond: number
  limit: number
  hotKeyShare: number
  throttles: boolean
}

/**
 * Each target's units per second on its busiest partition key (rate × units per call × the share of calls on that
 * key) against DynamoDB's per-partition limits of 3,000 read and 1,000 write units per second.
 */
export function hotPartitions(
  capacity: PatternCapacity,
  rate: number,
  hotKeyShare: number,
): HotPartitionFigure[] {
  const rows: HotPartitionFigure[] = []
  const add = (kind: 'read' | 'write', units: number, index?: string) => {
    if (!units) return
    const limit = kind === 'read' ? PARTITION_READ_LIMIT : PARTITION_WRITE_LIMIT
    const perSecond = out(dec(rate).times(units).times(hotKeyShare))
    rows.push({
      patternId: capacity.patternId,
      table: capacity.table,
      ...(index ? { index } : {}),
      kind,
      unitsPerSecond: perSecond,
      limit,
      hotKeyShare,
      throttles: perSecond > limit,
    })
  }
  // LSI units land on the table's own partitions, so they count with the table.
  add('read', capacity.reads.table + sum(capacity.reads.lsis))
  for (const [g, u] of Object.entries(capacity.reads.gsis)) add('read', u, g)
  add('write', capacity.writes.table + sum(capacity.writes.lsis))
  for (const [g, u] of Object.entries(capacity.writes.gsis)) add('write', u, g)
  return rows
}

/** Even spread over the partitions whose key starts with the pattern's literal key prefix (1 when unknown). */
export function evenHotKeyShare(prefix: string | undefined, partitionKeys: Iterable<string>): number {
  if (prefix === undefined) return 1
  let n = 0
  for (const k of partitionKeys) if (k.startsWith(prefix)) n++
  return n > 0 ? 1 / n : 1
}

export interface TargetCost {
  table: string
  index?: string
  kind: 'table' | 'gsi'
  readUnitsPerSecond: number
  writeUnitsPerSecond: number
  onDemand: number
  provisioned: number
}

/** The traffic's cost per table and per GSI (LSIs are billed with their table). */
export function targetCosts(
  rows: { capacity: PatternCapacity; rate: number }[],
  options: CostOptions,
): TargetCost[] {
  const p = options.prices ?? DEFAULT_PRICES
  const by = new Map<string, { table: string; index?: string; r: Decimal; w: Decimal }>()
  const add = (table: string, index: string | undefined, r: number, w: number, rate: number) => {
    const key = `${table}\u0000${index ?? ''}`
    const e = by.get(key) ?? { table, ...(index ? { index } : {}), r: dec(0), w: dec(0) }
    e.r = e.r.plus(dec(r).times(rate))
    e.w = e.w.plus(dec(w).times(rate))
    by.set(key, e)
  }
  for (const { capacity: c, rate } of rows) {
    add(c.table, undefined, c.reads.table + sum(c.reads.lsis), c.writes.table + sum(c.writes.lsis), rate)
    const gsis = new Set([...Object.keys(c.reads.gsis), ...Object.keys(c.writes.gsis)])
    for (const g of gsis) add(c.table, g, c.reads.gsis[g] ?? 0, c.writes.gsis[g] ?? 0, rate)
  }
  const seconds = secondsPerMonth(p)
  return [...by.values()].map((e) => ({
    table: e.table,
    ...(e.index ? { index: e.index } : {}),
    kind: e.index ? 'gsi' : 'table',
    readUnitsPerSecond: out(e.r),
    writeUnitsPerSecond: out(e.w),
    onDemand: out(
      e.r
        .times(seconds)
        .div(1e6)
        .times(p.onDemand.readRequestUnitsPerMillion)
        .plus(e.w.times(seconds).div(1e6).times(p.onDemand.writeRequestUnitsPerMillion)),
    ),
    provisioned: out(
      e.r
        .div(options.utilisation)
        .times(p.provisioned.rcuHour)
        .plus(e.w.div(options.utilisation).times(p.provisioned.wcuHour))
        .times(p.hoursPerMonth),
    ),
  }))
}

/**
 * GSI write units per table write unit across the traffic: 0 means the GSIs add nothing, 1 that every table
 * write costs as much again on the indexes.
 */
export function gsiWriteAmplification(rows: { capacity: PatternCapacity; rate: number }[]): number {
  let table = dec(0)
  let gsi = dec(0)
  for (const { capacity: c, rate } of rows) {
    table = table.plus(dec(c.writes.table + sum(c.writes.lsis)).times(rate))
    gsi = gsi.plus(dec(sum(c.writes.gsis)).times(rate))
  }
  return table.isZero() ? 0 : out(gsi.div(table))
}
