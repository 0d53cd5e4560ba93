import type { EngineState } from '../engine-state'
import type { HubMeta, StoredRecord } from '../streams'
import {
  backfillIndex,
  createIndexState,
  type IndexState,
  loadItems,
  type TableState,
  tableComparator,
  writeItem,
} from '../table'
import type { Item } from '../types'
import { OrderedStore } from './ordered-store'

/**
 * Log entries. Every entry carries a full image (a whole item, a table's whole description), never a delta, so
 * applying an entry twice is harmless: replaying log records that a snapshot already holds gives the same state.
 *
 *   ["t", tableMeta]            a table was created or changed (schema, indexes, billing, streams, tags, TTL, ...)
 *   ["x", name]                 a table was deleted
 *   ["r"]                       everything was dropped (Engine.reset)
 *   ["p", table, item]          an item was stored
 *   ["P", table, [item, ...], [size, ...]?]   many (snapshots), with each item's size when the writer knew them
 *   ["d", table, key]           an item was deleted
 *   ["h", hubMeta]              the streams' state, records aside
 *   ["s", streamArn, record]    a stream record was kept    ["S", streamArn, [record, ...]]   many (snapshots)
 *   ["e", name, data]           an extension's state (see DurableStore.registerSection)
 *   ["E", name, change]         a change to an incremental extension's state (Durability.note)
 */
export type Entry =
  | ['t', EncodedTable]
  | ['x', string]
  | ['r']
  | ['p', string, Item]
  | ['P', string, Item[], number[]?]
  | ['d', string, Item]
  | ['h', HubMeta]
  | ['s', string, StoredRecord]
  | ['S', string, StoredRecord[]]
  | ['e', string, unknown]
  | ['E', string, unknown]

export type EncodedTable = Record<string, unknown> & { name: string; tableId: string }

/** Derived from the items (recounted on replay) or rebuilt from the definition: never logged. */
const TABLE_DERIVED = new Set(['store', 'itemCount', 'sizeBytes', 'gsis', 'lsis'])
const INDEX_DERIVED = new Set(['store', 'itemCount', 'sizeBytes', 'projected'])

/**
 * A table's state without its items, as plain JSON. Fields are taken generically (Maps and Sets tagged), so a
 * field another feature adds to TableState (TTL settings, say) is persisted with no change here; class instances
 * and functions are runtime machinery and are skipped.
 */
export function encodeTable(table: TableState): EncodedTable {
  const out = encodeObject(table, TABLE_DERIVED) as EncodedTable
  out.gsis = [...table.gsis.values()].map((i) => encodeObject(i, INDEX_DERIVED))
  out.lsis = [...table.lsis.values()].map((i) => encodeObject(i, INDEX_DERIVED))
  return out
}

function encodeObject(v: object, skip?: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(v)) {
    if (skip?.has(k)) continue
    const x = encodeValue((v as Record<string, unknown>)[k])
    if (x !== undefined) out[k] = x
  }
  return out
}

export function encodeValue(v: unknown): unknown {
  if (v === null) return null
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v
    case 'number':
      return Number.isFinite(v) ? v : undefined
    case 'object':
      break
    default:
      return undefined
  }
  if (Array.isArray(v)) return v.map((x) => encodeValue(x) ?? null)
  if (v instanceof Map) return { $map: [...v].map(([k, x]) => [encodeValue(k), encodeValue(x)]) }
  if (v instanceof Set) return { $set: [...v].map((x) => encodeValue(x)) }
  const proto = Object.getPrototypeOf(v) as unknown
  if (proto !== Object.prototype && proto !== null) return undefined
  return encodeObject(v)
}

export function decodeValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) return v.map(decodeValue)
  const o = v as Record<string, unknown>
  if (Array.isArray(o.$map))
    return new Map((o.$map as [unknown, unknown][]).map(([k, x]) => [decodeValue(k), decodeValue(x)]))
  if (Array.isArray(o.$set)) return new Set((o.$set as unknown[]).map(decodeValue))
  const out: Record<string, unknown> = {}
  // defineProperty: a member named __proto__ stays a member.
  for (const k of Object.keys(o))
    Object.defineProperty(out, k, {
      value: decodeValue(o[k]),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  return out
}

/**
 * Rebuilds a table from its logged description. When the table already exists with the same id (a later change
 * to it), its items and the indexes whose definition is unchanged are kept; a new index is filled from the items.
 */
export function restoreTable(encoded: EncodedTable, existing: TableState | undefined): TableState {
  const same = existing !== undefined && existing.tableId === encoded.tableId ? existing : undefined
  const { gsis: gsiDefs, lsis: lsiDefs, ...rest } = encoded
  const fields = decodeValue(rest) as TableState
  const store = same?.store ?? new OrderedStore(tableComparator(fields.schema))
  const base = {
    name: fields.name,
    arn: fields.arn,
    schema: fields.schema,
    attributeTypes: fields.attributeTypes,
  }
  const oldDefs = new Map<IndexState, string>()
  if (same)
    for (const i of [...same.gsis.values(), ...same.lsis.values()])
      oldDefs.set(i, JSON.stringify(encodeObject(i, INDEX_DERIVED)))
  const table: TableState = Object.assign(fields, {
    store,
    itemCount: same?.itemCount ?? 0,
    sizeBytes: same?.sizeBytes ?? 0,
    gsis: new Map<string, IndexState>(),
    lsis: new Map<string, IndexState>(),
  })
  const restoreIndex = (raw: unknown, kind: 'GSI' | 'LSI') => {
    const def = decodeValue(raw) as IndexState
    const prior = same?.[kind === 'GSI' ? 'gsis' : 'lsis'].get(def.name)
    if (prior && oldDefs.get(prior) === JSON.stringify(raw)) return prior
    const index = createIndexState(base, {
      name: def.name,
      kind,
      schema: def.schema,
      projectionType: def.projectionType,
      nonKeyAttributes: def.nonKeyAttributes,
      provisioned: def.provisioned,
    })
    // Fields other features add to an index (and onDemandThroughput) come back as they were logged.
    for (const [k, v] of Object.entries(def))
      if (!(k in index) || (index as unknown as Record<string, unknown>)[k] === undefined)
        Object.assign(index, { [k]: v })
    if (same) backfillIndex(table, index)
    return index
  }
  for (const raw of (gsiDefs as unknown[] | undefined) ?? []) {
    const index = restoreIndex(raw, 'GSI')
    table.gsis.set(index.name, index)
  }
  for (const raw of (lsiDefs as unknown[] | undefined) ?? []) {
    const index = restoreIndex(raw, 'LSI')
    table.lsis.set(index.name, index)
  }
  return table
}

/** Inserts name into the sorted ListTables order if it is not there. */
function addName(names: string[], name: string): void {
  let lo = 0
  let hi = names.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((names[mid] as string) < name) lo = mid + 1
    else hi = mid
  }
  if (names[lo] !== name) names.splice(lo, 0, name)
}

function removeName(names: string[], name: string): void {
  const i = names.indexOf(name)
  if (i >= 0) names.splice(i, 1)
}

export interface ApplyTarget {
  state: EngineState
  /** Sets a table in the engine's map without logging it. */
  setTable(name: string, table: TableState): void
  deleteTable(name: string): void
  clearTables(): void
  section(name: string, data: unknown): void
  sectionChange(name: string, change: unknown): void
}

/** Applies one replayed entry; entries naming a table or stream that does not exist are skipped (returns false). */
export function applyEntry(target: ApplyTarget, entry: Entry): boolean {
  const { state } = target
  switch (entry[0]) {
    case 't': {
      const table = restoreTable(entry[1], state.tables.get(entry[1].name))
      target.setTable(table.name, table)
      addName(state.tableNames, table.name)
      return true
    }
    case 'x':
      target.deleteTable(entry[1])
      removeName(state.tableNames, entry[1])
      return true
    case 'r':
      target.clearTables()
      state.tableNames.length = 0
      state.hub.reset()
      return true
    case 'p': {
      const table = state.tables.get(entry[1])
      if (!table) return false
      loadItems(table, [entry[2]])
      return true
    }
    case 'P': {
      const table = state.tables.get(entry[1])
      if (!table) return false
      const [, , items, sizes] = entry
      // Sizes only spare measuring: a list that does not fit its items is not used.
      const usable =
        Array.isArray(sizes) &&
        sizes.length === items.length &&
        sizes.every((n) => Number.isInteger(n) && n > 0)
      loadItems(table, items, usable ? sizes : undefined)
      return true
    }
    case 'd': {
      const table = state.tables.get(entry[1])
      if (!table) return false
      writeItem(table, entry[2], undefined)
      return true
    }
    case 'h':
      state.hub.importMeta(entry[1])
      return true
    case 's':
      state.hub.restoreRecord(entry[1], entry[2])
      return true
    case 'S':
      for (const r of entry[2]) state.hub.restoreRecord(entry[1], r)
      return true
    case 'e':
      target.section(entry[1], entry[2])
      return true
    case 'E':
      target.sectionChange(entry[1], entry[2])
      return true
    default:
      return false
  }
}
