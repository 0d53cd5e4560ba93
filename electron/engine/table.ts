import { recordVersion } from './storage/item-history'
import { journalItemWrite } from './storage/journal'
import { OrderedStore } from './storage/ordered-store'
import { tieBreakFor, tieDigest } from './storage/tie-order'
import type { AttributeValue, Item, ScalarAttributeType } from './types'
import { validation } from './types'
import {
  attributeValuesEqual,
  compareAttributeValues,
  getAttr,
  itemSizeBytes,
  keyString,
  setAttr,
} from './values'

export interface KeySchema {
  hash: string
  range?: string
  /**
   * A GSI's multi-attribute key (up to four partition and four sort key attributes, in KeySchema order); hash and
   * range are then the first of each. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.DesignPattern.MultiAttributeKeys.html
   */
  hashParts?: string[]
  rangeParts?: string[]
}

export const hashNames = (s: KeySchema): string[] => s.hashParts ?? [s.hash]
export const rangeNames = (s: KeySchema): string[] => s.rangeParts ?? (s.range === undefined ? [] : [s.range])
export const keyNames = (s: KeySchema): string[] => [...hashNames(s), ...rangeNames(s)]
export const isMultiAttribute = (s: KeySchema): boolean =>
  s.hashParts !== undefined || s.rangeParts !== undefined

/**
 * The partition an item (or a start key) falls in for this key schema: its partition key value, or, for a
 * multi-attribute partition key, all of its values together (unambiguously, as a JSON list).
 */
export function partitionKeyOf(schema: KeySchema, item: Item): string {
  if (!schema.hashParts) return keyString(item[schema.hash] as AttributeValue)
  return JSON.stringify(schema.hashParts.map((n) => keyString(item[n] as AttributeValue)))
}

export type ProjectionType = 'ALL' | 'KEYS_ONLY' | 'INCLUDE'

export interface ProvisionedThroughput {
  ReadCapacityUnits: number
  WriteCapacityUnits: number
}

export interface IndexState {
  readonly name: string
  readonly kind: 'GSI' | 'LSI'
  readonly schema: KeySchema
  readonly hashType: ScalarAttributeType
  readonly rangeType: ScalarAttributeType | undefined
  /** Every key attribute's type, for a multi-attribute key (undefined otherwise). */
  readonly keyTypes?: ReadonlyMap<string, ScalarAttributeType>
  readonly projectionType: ProjectionType
  readonly nonKeyAttributes: string[] | undefined
  /** Attribute names an index entry keeps (undefined for ALL). */
  readonly projected: Set<string> | undefined
  provisioned: ProvisionedThroughput | undefined
  /** Created by UpdateTable on an on-demand table: DynamoDB Local then describes it with OnDemandThroughput -1/-1. */
  onDemandThroughput?: boolean
  readonly store: OrderedStore
  itemCount: number
  /**
   * IndexSizeBytes: the full size of the items in the index, whatever the projection, as DynamoDB Local reports it
   * (DynamoDB documents no formula, and updates it only every six hours).
   */
  sizeBytes: number
  readonly arn: string
}

export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES'

export interface TableState {
  /** Time to Live (ttl.ts); absent until UpdateTimeToLive. */
  ttl?: { attributeName: string; enabled: boolean; changedAt: number; settlesAt?: number }
  readonly name: string
  readonly arn: string
  readonly tableId: string
  readonly createdAt: number
  readonly attributeDefinitions: { AttributeName: string; AttributeType: ScalarAttributeType }[]
  readonly attributeTypes: Map<string, ScalarAttributeType>
  readonly schema: KeySchema
  readonly store: OrderedStore
  itemCount: number
  sizeBytes: number
  billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST'
  billingModeChangedAt: number
  /** When the table last switched to (or was created with) on-demand billing; undefined if it never was. */
  lastPayPerRequestAt: number | undefined
  provisioned: ProvisionedThroughput
  readonly gsis: Map<string, IndexState>
  readonly lsis: Map<string, IndexState>
  /** The current stream's ARN when a stream is enabled. */
  streamArn: string | undefined
  streamViewType: StreamViewType | undefined
  /** ARN of the latest stream, enabled or not (DescribeTable keeps showing it after the stream is disabled). */
  latestStreamArn: string | undefined
  latestStreamLabel: string | undefined
  deletionProtection: boolean
  readonly tags: Map<string, string>
  /** Set on a table RestoreTableFromBackup created (backups.ts). */
  restoreSummary?: { SourceBackupArn?: string; SourceTableArn: string; RestoreDateTime: number }
}

/** Orders items of one table partition by the range key (tables without one hold one item per partition). */
export function tableComparator(schema: KeySchema): (a: Item, b: Item) => number {
  const range = schema.range
  if (range === undefined) return () => 0
  return (a, b) => compareAttributeValues(a[range] as AttributeValue, b[range] as AttributeValue)
}

/**
 * Orders items of one index partition by the index range key, then entries with equal index keys as DynamoDB
 * Local does (storage/tie-order.ts), then by the table's primary key, so that every index entry has a unique
 * position and LastEvaluatedKey (index + table keys) resumes exactly. Also orders a start key among the entries.
 */
export function indexComparator(index: KeySchema, table: KeySchema): (a: Item, b: Item) => number {
  const range = index.range
  // A multi-attribute sort key orders by each of its attributes in turn.
  const ranges = index.rangeParts
  const tie = tieBreakFor(index, table)
  const keyParts = table.range === undefined ? [table.hash] : [table.hash, table.range]
  return (a, b) => {
    if (ranges !== undefined) {
      for (const r of ranges) {
        const c = compareAttributeValues(a[r] as AttributeValue, b[r] as AttributeValue)
        if (c !== 0) return c
      }
    } else if (range !== undefined) {
      const c = compareAttributeValues(a[range] as AttributeValue, b[range] as AttributeValue)
      if (c !== 0) return c
    }
    if (tie !== undefined) {
      const c = Buffer.compare(tieDigest(a, table, tie), tieDigest(b, table, tie))
      if (c !== 0) return c
    }
    for (const name of keyParts) {
      const c = compareAttributeValues(a[name] as AttributeValue, b[name] as AttributeValue)
      if (c !== 0) return c
    }
    return 0
  }
}

/**
 * Where an item object keeps its size: a non-enumerable symbol member, which JSON, structuredClone, spreads and
 * for-in all skip. (A WeakMap did this before; its inserts and its weight on every garbage collection were a
 * visible share of a BatchWriteItem in the profile.)
 */
const SIZE = Symbol('itemSizeBytes')

/** Item size, remembered per item object: stored items are never mutated, and a write or a page reads it often. */
export function sizeOf(item: Item): number {
  const known = (item as { [SIZE]?: number })[SIZE]
  if (known !== undefined) return known
  const size = itemSizeBytes(item)
  if (Object.isExtensible(item)) Object.defineProperty(item, SIZE, { value: size })
  return size
}

export function keyOf(item: Item, schema: KeySchema): Item {
  const key: Item = { [schema.hash]: getAttr(item, schema.hash) as AttributeValue }
  if (schema.range !== undefined) setAttr(key, schema.range, getAttr(item, schema.range) as AttributeValue)
  return key
}

/** True when the item carries the index's key attributes (indexes are sparse). */
export function inIndex(item: Item, index: IndexState): boolean {
  if (index.keyTypes) {
    for (const [name, type] of index.keyTypes) if (!indexableValue(item[name], type)) return false
    return true
  }
  return (
    indexableValue(item[index.schema.hash], index.hashType) &&
    (index.schema.range === undefined || indexableValue(item[index.schema.range], index.rangeType))
  )
}

/** Items whose index key has another type or is empty never enter the index (a GSI backfill skips them). */
function indexableValue(v: AttributeValue | undefined, type: ScalarAttributeType | undefined): boolean {
  if (v === undefined || type === undefined || !(type in v)) return false
  return !isEmptyScalar(v)
}

/** The attributes an index holds for an item: its projection plus the table and index keys. */
export function projectForIndex(item: Item, index: IndexState): Item {
  if (!index.projected) return item
  const out: Item = {}
  for (const name of index.projected) {
    const v = getAttr(item, name)
    if (v !== undefined) setAttr(out, name, v)
  }
  return out
}

export function indexEntrySize(item: Item, index: IndexState): number {
  return index.projected ? itemSizeBytes(projectForIndex(item, index)) : sizeOf(item)
}

export function allIndexes(table: TableState): IndexState[] {
  return [...table.lsis.values(), ...table.gsis.values()]
}

/**
 * Checks the key attributes an item must carry and the types of every index key it carries; DynamoDB rejects
 * an item whose index key has the wrong type or is empty rather than leaving it out of the index.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.Writes
 */
export function checkItemKeys(table: TableState, item: Item): void {
  checkKeyAttributes(table, item, false)
  for (const index of allIndexes(table)) {
    for (const name of index.keyTypes ? index.keyTypes.keys() : [index.schema.hash, index.schema.range]) {
      if (name === undefined) continue
      const v = item[name]
      if (v === undefined) continue
      const expected = table.attributeTypes.get(name) as ScalarAttributeType
      const actual = Object.keys(v)[0] ?? ''
      // A multi-attribute key's mismatch is worded without details (DynamoDB Local 3.3.1).
      if (actual !== expected && index.keyTypes)
        throw validation('One or more parameter values were invalid: Type mismatch for Index Key')
      if (actual !== expected) {
        throw validation(
          `One or more parameter values were invalid: Type mismatch for Index Key ${name} Expected: ${expected} Actual: ${actual} IndexName: ${index.name}`,
        )
      }
      if (isEmptyScalar(v)) {
        throw validation(
          `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${expected === 'S' ? 'string' : 'binary'} value. IndexName: ${index.name}, IndexKey: ${name}`,
        )
      }
    }
  }
}

function isEmptyScalar(v: AttributeValue): boolean {
  return ('S' in v && v.S === '') || ('B' in v && v.B === '')
}

/**
 * Validates a primary key (or the key attributes of a full item): present, of the declared type, not empty.
 * With exact set, no other attributes are allowed (GetItem/DeleteItem/UpdateItem keys).
 */
export function checkKeyAttributes(table: TableState, key: Item, exact: boolean): void {
  const names =
    table.schema.range === undefined ? [table.schema.hash] : [table.schema.hash, table.schema.range]
  if (exact && Object.keys(key).length !== names.length) {
    throw validation('The provided key element does not match the schema')
  }
  for (const name of names) {
    const v = key[name]
    if (v === undefined) {
      throw validation(
        exact
          ? 'The provided key element does not match the schema'
          : `One or more parameter values were invalid: Missing the key ${name} in the item`,
      )
    }
    const expected = table.attributeTypes.get(name) as ScalarAttributeType
    const actual = Object.keys(v)[0] ?? ''
    if (actual !== expected) {
      throw validation(
        exact
          ? 'The provided key element does not match the schema'
          : `One or more parameter values were invalid: Type mismatch for key ${name} expected: ${expected} actual: ${actual}`,
      )
    }
    if (isEmptyScalar(v)) {
      throw validation(
        `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${expected === 'S' ? 'string' : 'binary'} value. Key: ${name}`,
      )
    }
  }
}

/** Reads the item stored under key (key already validated). */
export function getItem(table: TableState, key: Item): Item | undefined {
  return table.store.get(keyString(key[table.schema.hash] as AttributeValue), key)
}

export interface WriteOutcome {
  old: Item | undefined
  /** Write units each index consumed, by index name (only indexes the write touched). */
  indexUnits: Map<string, number>
}

const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024))

/**
 * Stores newItem (or deletes key when newItem is undefined), keeping counts, sizes and every index in step.
 * Index write costs follow https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations.Writes :
 * a key change costs a delete plus a put, an update touching no projected attribute costs nothing.
 */
export function writeItem(table: TableState, key: Item, newItem: Item | undefined): WriteOutcome {
  const hashValue = key[table.schema.hash] as AttributeValue
  const pk = keyString(hashValue)
  const old = newItem ? table.store.put(pk, hashValue, newItem) : table.store.remove(pk, key)
  if (old) {
    table.itemCount--
    table.sizeBytes -= sizeOf(old)
  }
  if (newItem) {
    table.itemCount++
    table.sizeBytes += sizeOf(newItem)
  }
  const indexUnits = new Map<string, number>()
  for (const index of allIndexes(table)) {
    const units = updateIndex(index, old, newItem)
    if (units > 0) indexUnits.set(index.name, units)
  }
  // The durable store's choke point: every item change of every operation (and of sweepers) passes here.
  journalItemWrite(table, key, newItem)
  // Point-in-time recovery's history, while it is on for this table.
  recordVersion(table, key, newItem, itemIdentity)
  return { old, indexUnits }
}

/** An item's identity in its table: its key values (an item or a key object). */
export function itemIdentity(table: TableState, item: Item): string {
  const h = keyString(item[table.schema.hash] as AttributeValue)
  return table.schema.range === undefined
    ? h
    : `${h}\u0000${keyString(item[table.schema.range] as AttributeValue)}`
}

/**
 * Replay of stored items (a snapshot's chunks): writeItem's effect on the table, its counts and its indexes,
 * without what only a live write needs (a key object per item, index write units, the journal). A snapshot lists
 * a table's items in store order, so each lands at its partition's end with one comparison. sizes, when the
 * snapshot recorded them, spare measuring every item at start-up; an item's own size is measured when first
 * needed (sizeOf), as for any stored item.
 */
export function loadItems(table: TableState, items: readonly Item[], sizes?: readonly number[]): void {
  const indexes = allIndexes(table)
  const hash = table.schema.hash
  const store = table.store
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as Item
    const size = sizes?.[i] ?? sizeOf(item)
    const hashValue = item[hash] as AttributeValue
    const old = store.put(keyString(hashValue), hashValue, item)
    if (old) {
      table.itemCount--
      table.sizeBytes -= sizeOf(old)
    }
    table.itemCount++
    table.sizeBytes += size
    for (const index of indexes) loadIndexEntry(index, old, item, size)
  }
}

/** updateIndex for replay: the index's structure and counts, no write units (see loadItems). */
function loadIndexEntry(index: IndexState, old: Item | undefined, next: Item, size: number): void {
  if (old !== undefined && inIndex(old, index)) {
    index.store.remove(partitionKeyOf(index.schema, old), old)
    index.itemCount--
    index.sizeBytes -= sizeOf(old)
  }
  if (inIndex(next, index)) {
    index.store.put(partitionKeyOf(index.schema, next), next[index.schema.hash] as AttributeValue, next)
    index.itemCount++
    index.sizeBytes += size
  }
}

function updateIndex(index: IndexState, old: Item | undefined, next: Item | undefined): number {
  const oldIn = old !== undefined && inIndex(old, index)
  const newIn = next !== undefined && inIndex(next, index)
  if (!oldIn && !newIn) return 0
  const oldSize = oldIn ? indexEntrySize(old, index) : 0
  const newSize = newIn ? indexEntrySize(next, index) : 0
  const sameKey =
    oldIn &&
    newIn &&
    (index.keyTypes
      ? [...index.keyTypes.keys()].every(
          (n) => keyString(old[n] as AttributeValue) === keyString(next[n] as AttributeValue),
        )
      : keyString(old[index.schema.hash] as AttributeValue) ===
          keyString(next[index.schema.hash] as AttributeValue) &&
        (index.schema.range === undefined ||
          keyString(old[index.schema.range] as AttributeValue) ===
            keyString(next[index.schema.range] as AttributeValue)))
  if (oldIn) {
    if (!sameKey) index.store.remove(partitionKeyOf(index.schema, old), old)
    index.itemCount--
    index.sizeBytes -= sizeOf(old)
  }
  if (newIn) {
    const hv = next[index.schema.hash] as AttributeValue
    index.store.put(partitionKeyOf(index.schema, next), hv, next)
    index.itemCount++
    index.sizeBytes += sizeOf(next)
  }
  if (sameKey) {
    if (index.projected && sameProjection(old, next, index.projected)) return 0
    return writeUnits(newSize)
  }
  return (oldIn ? writeUnits(oldSize) : 0) + (newIn ? writeUnits(newSize) : 0)
}

function sameProjection(a: Item, b: Item, names: Set<string>): boolean {
  for (const name of names) {
    const x = a[name]
    const y = b[name]
    if (x === y) continue
    if (x === undefined || y === undefined) return false
    if (!attributeValuesEqual(x, y)) return false
  }
  return true
}

export function createIndexState(
  table: { name: string; arn: string; schema: KeySchema; attributeTypes: Map<string, ScalarAttributeType> },
  def: {
    name: string
    kind: 'GSI' | 'LSI'
    schema: KeySchema
    projectionType: ProjectionType
    nonKeyAttributes?: string[]
    provisioned?: ProvisionedThroughput
  },
): IndexState {
  let projected: Set<string> | undefined
  if (def.projectionType !== 'ALL') {
    projected = new Set([table.schema.hash, ...keyNames(def.schema)])
    if (table.schema.range !== undefined) projected.add(table.schema.range)
    if (def.projectionType === 'INCLUDE') for (const n of def.nonKeyAttributes ?? []) projected.add(n)
  }
  return {
    name: def.name,
    kind: def.kind,
    schema: def.schema,
    hashType: table.attributeTypes.get(def.schema.hash) as ScalarAttributeType,
    rangeType: def.schema.range === undefined ? undefined : table.attributeTypes.get(def.schema.range),
    keyTypes: isMultiAttribute(def.schema)
      ? new Map(keyNames(def.schema).map((n) => [n, table.attributeTypes.get(n) as ScalarAttributeType]))
      : undefined,
    projectionType: def.projectionType,
    nonKeyAttributes: def.nonKeyAttributes,
    projected,
    provisioned: def.provisioned,
    store: new OrderedStore(indexComparator(def.schema, table.schema)),
    itemCount: 0,
    sizeBytes: 0,
    arn: `${table.arn}/index/${def.name}`,
  }
}

/** Fills a new index from the table's items (UpdateTable adding a GSI). */
export function backfillIndex(table: TableState, index: IndexState): void {
  for (const item of table.store.all()) {
    if (!inIndex(item, index)) continue
    const hv = item[index.schema.hash] as AttributeValue
    index.store.put(partitionKeyOf(index.schema, item), hv, item)
    index.itemCount++
    index.sizeBytes += sizeOf(item)
  }
}
