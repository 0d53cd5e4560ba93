import type { ItemJson, ViewGroupSummary, ViewItemRow } from '../contract/channels/workbench'
import { compareScalar, itemSize, scalarOf, typeOf, type ScalarType } from './attribute-json'
import { parseKeyTemplate } from './key-template'

/**
 * The visualizer's model of a table: items grouped by partition key, sorted by sort key in the order DynamoDB keeps
 * them, with one column per attribute present in the group. The same grouping keyed by an index's keys shows what
 * that index holds, and which items it does not hold and why. Pure, so the slices only call it.
 */

export interface KeyElement {
  name: string
  type: ScalarType
}
export interface KeySchemaView {
  partitionKey: KeyElement
  sortKey?: KeyElement
}
export interface IndexSpec extends KeySchemaView {
  name: string
  kind: 'GSI' | 'LSI'
  projection: { type: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; nonKeyAttributes?: string[] }
}
/** An entity of the model, restricted to what the view needs: its key templates and colour. */
export interface EntityMatcher {
  name: string
  colour?: string
  keys: Record<string, string>
  /** The attributes the model declares for the entity, in its order: the visualizer's column order. */
  attributes?: readonly string[]
}

export interface ViewItem {
  /** Identity of the item in its table: its table key, so it survives switching views. */
  id: string
  item: ItemJson
  entity?: string
  colour?: string
  /** Shown but no longer stored (removed by a step the user is inspecting). */
  ghost?: boolean
  /** Only for items an index does not hold. */
  excludedReason?: string
  /** DynamoDB size in bytes, when already known. */
  size?: number
}

export interface ItemGroup {
  /** The partition key value as text ('' for the group of excluded items). */
  pk: string
  items: ViewItem[]
  columns: string[]
  sizeBytes: number
  /** Items shown as removed (ghosts); not counted in sizeBytes. */
  removedCount: number
  /** Set on the pseudo-groups listing the items an index does not hold, one group per reason. */
  excluded?: boolean
  /** Why the items of an excluded group are not in the index, stated once for the group. */
  reason?: string
}

export type ViewRow =
  | { kind: 'group'; id: string; group: ItemGroup }
  | { kind: 'item'; id: string; group: ItemGroup; item: ViewItem; position: number }

const keyPart = (av: ItemJson[string] | undefined): string =>
  !av ? '' : 'S' in av ? `S${av.S}` : 'N' in av ? `N${av.N}` : 'B' in av ? `B${av.B}` : JSON.stringify(av)

/** A stable identity for an item from its table key (type-tagged, so "1" as S and 1 as N differ). */
export function itemId(item: ItemJson, table: KeySchemaView): string {
  const pk = keyPart(item[table.partitionKey.name])
  return table.sortKey ? `${pk}\u0000${keyPart(item[table.sortKey.name])}` : pk
}

/** The table key of an item (the attributes DeleteItem/GetItem need). */
export function keyOf(item: ItemJson, table: KeySchemaView): ItemJson {
  const key: ItemJson = {}
  for (const k of [table.partitionKey, table.sortKey]) {
    const v = k ? item[k.name] : undefined
    if (k && v) key[k.name] = v
  }
  return key
}

interface CompiledEntity {
  name: string
  colour?: string
  attributes: readonly string[]
  specificity: number
  tests: { attr: string; re: RegExp }[]
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

const compiledCache = new WeakMap<readonly EntityMatcher[], CompiledEntity[]>()

function compile(entities: readonly EntityMatcher[]): CompiledEntity[] {
  const cached = compiledCache.get(entities)
  if (cached) return cached
  const compiled = entities
    .map((e) => {
      let specificity = 0
      const tests = Object.entries(e.keys).map(([attr, source]) => {
        const t = parseKeyTemplate(source)
        const body = t.segments
          .map((s) => {
            if (s.kind === 'param') return '.+'
            specificity += s.text.length
            return escapeRegex(s.text)
          })
          .join('')
        return { attr, re: new RegExp(`^${body}$`, 's') }
      })
      return { name: e.name, colour: e.colour, attributes: e.attributes ?? [], specificity, tests }
    })
    .sort((a, b) => b.specificity - a.specificity)
  compiledCache.set(entities, compiled)
  return compiled
}

/**
 * What the view derives from one item that does not depend on the other items: identity, entity and size.
 * Progressive loading rebuilds the view as pages arrive, with the same item objects, so this is kept per item
 * (for the same table keys and entity list) instead of being recomputed for 100,000 items on every page.
 */
interface Derived {
  table: KeySchemaView
  entities: readonly EntityMatcher[]
  id: string
  entity?: CompiledEntity
  size: number
}
/**
 * What the last buildView derived per item, so the next one (an index switch, a ghost added by the simulator, the
 * next progressive page) re-derives only new items. Each build keeps just the entries of the items it saw, in a
 * plain Map: a WeakMap of 100k entries made every full GC walk its ephemerons, which showed up in scroll frames.
 */
let derivedCache = new Map<ItemJson, Derived>()

function derive(
  item: ItemJson,
  table: KeySchemaView,
  entities: readonly EntityMatcher[],
  seen: Map<ItemJson, Derived> | undefined,
  size: number | undefined,
): Derived {
  const hit = seen && derivedCache.get(item)
  const d: Derived =
    hit && hit.table === table && hit.entities === entities
      ? hit
      : {
          table,
          entities,
          id: itemId(item, table),
          entity: classifyCompiled(item, compile(entities)),
          size: size ?? itemSize(item),
        }
  seen?.set(item, d)
  return d
}

/**
 * The entity an item belongs to: the most specific entity whose every key template fits (a template without
 * literal text, like `{created_at}`, fits anything, so literal prefixes such as ORDER# and CUST# decide).
 */
export function classifyEntity(item: ItemJson, entities: EntityMatcher[]): EntityMatcher | undefined {
  const compiled = compile(entities)
  const hit = classifyCompiled(item, compiled)
  return hit ? entities.find((e) => e.name === hit.name) : undefined
}

function classifyCompiled(item: ItemJson, compiled: CompiledEntity[]): CompiledEntity | undefined {
  for (const e of compiled) {
    let fits = true
    for (const t of e.tests) {
      const av = item[t.attr]
      const text = av && 'S' in av ? av.S : av && 'N' in av ? av.N : undefined
      if (text === undefined || !t.re.test(text)) {
        fits = false
        break
      }
    }
    if (fits) return e
  }
  return undefined
}

export type Membership = { included: true } | { included: false; reason: string }

/**
 * Whether an index holds an item. Secondary indexes are sparse: an item is in the index only when it has every
 * key attribute of the index, with the index's type
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-indexes-general-sparse-indexes.html).
 */
export function indexMembership(item: ItemJson, index: IndexSpec): Membership {
  const problems: string[] = []
  const missing: string[] = []
  for (const k of [index.partitionKey, index.sortKey]) {
    if (!k) continue
    const av = item[k.name]
    if (!av) missing.push(k.name)
    else if (scalarOf(av, k.type) === undefined)
      problems.push(`${k.name} is ${typeOf(av)}, the index key is ${k.type}`)
  }
  if (missing.length) problems.unshift(`no ${missing.join(' and no ')}`)
  return problems.length
    ? { included: false, reason: `${problems.join('; ')}: not in ${index.name}` }
    : { included: true }
}

/** What the index stores of an item: its projection plus the table's and the index's keys. */
export function projectForIndex(item: ItemJson, index: IndexSpec, table: KeySchemaView): ItemJson {
  if (index.projection.type === 'ALL') return item
  const keep = new Set([table.partitionKey.name, index.partitionKey.name])
  if (table.sortKey) keep.add(table.sortKey.name)
  if (index.sortKey) keep.add(index.sortKey.name)
  if (index.projection.type === 'INCLUDE')
    for (const a of index.projection.nonKeyAttributes ?? []) keep.add(a)
  const out: ItemJson = {}
  for (const [k, v] of Object.entries(item)) if (keep.has(k)) out[k] = v
  return out
}

export interface ViewOptions {
  table: KeySchemaView
  /** Group by this index's keys and keep only what it holds. */
  index?: IndexSpec
  entities?: EntityMatcher[]
  /** With an index: also list the items it does not hold, each with the reason. */
  showExcluded?: boolean
  /** Removed items to show in place, marked as ghosts. */
  ghosts?: ItemJson[]
}

const NO_ENTITIES: readonly EntityMatcher[] = []

export interface View {
  groups: ItemGroup[]
  rows: ViewRow[]
  /** Items the index does not hold (counted even when not shown). */
  excludedCount: number
  itemCount: number
}

/** Groups items by the view's partition key, orders groups and items by key, and flattens them into rows. */
export function buildView(items: readonly ItemJson[], options: ViewOptions): View {
  return new ViewBuilder(options)
    .add(items)
    .add(options.ghosts ?? [], true)
    .view()
}

/** A group while items are still being added: what its view needs, kept up to date item by item. */
interface GroupState {
  pk: string
  items: ViewItem[]
  /** The sort-key value and id of the last item added, and whether every item so far came in view order. */
  last?: { sort: string; id: string }
  inOrder: boolean
  /** How many of the group's items have each attribute, and belong to each entity (for the column order). */
  frequency: Map<string, number>
  entityCount: Map<string, number>
  sizeBytes: number
  removedCount: number
}

/**
 * buildView, a page at a time: the visualizer's loader adds each page of a Scan as it arrives, while the next page is
 * on its way, so the work per item (identity, entity, size, membership, placing, counting columns) is done by the
 * time the last page lands, and view() only orders the groups and lays out rows. A Scan returns each partition's
 * items together and in sort-key order (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html:
 * "results are returned in ascending order by sort key value" within a partition), so a group is sorted again only
 * when its items did not come in order. The result is the same as buildView over all items, whatever their order.
 */
export class ViewBuilder {
  private readonly keys: KeySchemaView
  private readonly entities: readonly EntityMatcher[]
  private readonly byPk = new Map<string, GroupState>()
  private readonly excluded: ViewItem[] = []
  private excludedCount = 0
  private itemCount = 0
  private readonly declared = new Map<string, readonly string[]>()
  private readonly seen: Map<ItemJson, Derived> | undefined

  /**
   * `remember: false`: derive each item afresh instead of keeping what was derived for the next builder. The host
   * builds a view of a snapshot once and passes the items' sizes, so the cache (a Map keyed by 100k item objects)
   * would cost more there than it saves.
   */
  constructor(private readonly options: Omit<ViewOptions, 'ghosts'> & { remember?: boolean }) {
    this.keys = options.index ?? options.table
    this.entities = options.entities ?? NO_ENTITIES
    this.seen = options.remember === false ? undefined : new Map()
  }

  /**
   * Adds items (ghost: removed items shown in place, counted nowhere). `sizes`, when known (the embedded engine keeps them), are
   * the items' itemSize, in the same order.
   */
  add(items: readonly ItemJson[], ghost = false, sizes?: readonly number[]): this {
    for (let i = 0; i < items.length; i++) this.place(items[i]!, ghost, sizes?.[i])
    return this
  }

  private place(raw: ItemJson, ghost: boolean, size: number | undefined) {
    const { table, index } = this.options
    const keys = this.keys
    const d = derive(raw, table, this.entities, this.seen, size)
    const base: ViewItem = { id: d.id, item: raw, entity: d.entity?.name, colour: d.entity?.colour }
    if (d.entity && !this.declared.has(d.entity.name)) this.declared.set(d.entity.name, d.entity.attributes)
    if (!index) base.size = d.size
    if (ghost) base.ghost = true
    if (index) {
      const m = indexMembership(raw, index)
      if (!m.included) {
        this.excluded.push({ ...base, excludedReason: m.reason })
        // Removed items are shown, as everywhere, but counted nowhere.
        if (!ghost) this.excludedCount++
        return
      }
      base.item = projectForIndex(raw, index, table)
    }
    const pk = scalarOf(base.item[keys.partitionKey.name], keys.partitionKey.type)
    if (pk === undefined) return // a table item always has its key; nothing to show otherwise
    let g = this.byPk.get(pk)
    if (!g) {
      g = {
        pk,
        items: [],
        inOrder: true,
        frequency: new Map(),
        entityCount: new Map(),
        sizeBytes: 0,
        removedCount: 0,
      }
      this.byPk.set(pk, g)
    }
    g.items.push(base)
    if (keys.sortKey && g.inOrder) {
      const sort = scalarOf(base.item[keys.sortKey.name], keys.sortKey.type) ?? ''
      if (g.last && compareInView(g.last.sort, g.last.id, sort, base.id, keys.sortKey.type) > 0)
        g.inOrder = false
      g.last = { sort, id: base.id }
    }
    count(g.frequency, g.entityCount, base)
    if (ghost) g.removedCount++
    else {
      g.sizeBytes += base.size ?? itemSize(base.item)
      this.itemCount++
    }
  }

  /** The view of the items added so far; the builder can go on taking items, and each view is a new object. */
  view(): View {
    const outline = this.outline()
    return { ...outline, rows: flattenGroups(outline.groups) }
  }

  /**
   * The view without its rows: the host, which sends a window of rows at a time, finds a row from the groups'
   * sizes instead of keeping one object per row.
   */
  outline(): Omit<View, 'rows'> {
    if (this.seen) derivedCache = this.seen
    const { table, index, showExcluded } = this.options
    const keys = this.keys
    const sk = keys.sortKey
    const declared = this.declared
    const groups: ItemGroup[] = [...this.byPk.keys()]
      .sort((a, b) => compareScalar(a, b, keys.partitionKey.type))
      .map((pk) => {
        const g = this.byPk.get(pk)!
        let list = g.items.slice()
        if (sk && !g.inOrder) {
          // Decorate once: extracting the sort key per comparison is the hot path at 100k items.
          const decorated = list.map((v) => ({ v, s: scalarOf(v.item[sk.name], sk.type) ?? '' }))
          decorated.sort((a, b) => compareInView(a.s, a.v.id, b.s, b.v.id, sk.type))
          list = decorated.map((x) => x.v)
        }
        return {
          pk,
          items: list,
          columns: orderColumns(keys, table, g.frequency, g.entityCount, declared),
          sizeBytes: g.sizeBytes,
          removedCount: g.removedCount,
        }
      })

    if (index && showExcluded && this.excluded.length) {
      // One group per reason: the reason is said once, and every row has room for its own keys.
      const byReason = new Map<string, ViewItem[]>()
      for (const v of this.excluded) {
        const reason = v.excludedReason ?? ''
        let list = byReason.get(reason)
        if (!list) byReason.set(reason, (list = []))
        list.push(v)
      }
      for (const [reason, list] of [...byReason].sort((a, b) => b[1].length - a[1].length)) {
        groups.push({
          pk: '',
          items: list,
          columns: columnsOf(list, table, table, declared),
          ...tally(list),
          excluded: true,
          reason,
        })
      }
    }
    return { groups, excludedCount: this.excludedCount, itemCount: this.itemCount }
  }
}

/** View order within a partition: by sort key as DynamoDB orders it, then by item id (for equal sort keys in an index). */
function compareInView(aSort: string, aId: string, bSort: string, bId: string, type: ScalarType): number {
  return compareScalar(aSort, bSort, type) || (aId < bId ? -1 : aId > bId ? 1 : 0)
}

function count(frequency: Map<string, number>, entityCount: Map<string, number>, v: ViewItem) {
  if (v.entity) entityCount.set(v.entity, (entityCount.get(v.entity) ?? 0) + 1)
  for (const a in v.item) frequency.set(a, (frequency.get(a) ?? 0) + 1)
}

/** A group's stored bytes (removed items not counted) and how many removed items it shows, in one pass. */
function tally(list: ViewItem[]): { sizeBytes: number; removedCount: number } {
  let sizeBytes = 0
  let removedCount = 0
  for (const v of list) {
    if (v.ghost) removedCount++
    else sizeBytes += v.size ?? itemSize(v.item)
  }
  return { sizeBytes, removedCount }
}

/**
 * Column order: the view's key attributes (then the table's); then the attributes the group's entities declare, in
 * the model's order (the most common entity first); then any other attribute, the most frequent first, ties by
 * name. A sparse attribute added to one item thus lands at the end instead of reordering the partition.
 */
export function columnsOf(
  list: readonly ViewItem[],
  keys: KeySchemaView,
  table: KeySchemaView,
  declared: ReadonlyMap<string, readonly string[]> = new Map(),
): string[] {
  const frequency = new Map<string, number>()
  const entityCount = new Map<string, number>()
  for (const v of list) count(frequency, entityCount, v)
  return orderColumns(keys, table, frequency, entityCount, declared)
}

function orderColumns(
  keys: KeySchemaView,
  table: KeySchemaView,
  frequency: ReadonlyMap<string, number>,
  entityCount: ReadonlyMap<string, number>,
  declared: ReadonlyMap<string, readonly string[]>,
): string[] {
  const out: string[] = []
  const taken = new Set<string>()
  const add = (name: string) => {
    if (!taken.has(name)) {
      taken.add(name)
      out.push(name)
    }
  }
  for (const k of [keys.partitionKey, keys.sortKey, table.partitionKey, table.sortKey]) if (k) add(k.name)
  const entitiesByCount = [...entityCount].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  for (const [entity] of entitiesByCount)
    for (const a of declared.get(entity) ?? []) if (frequency.has(a)) add(a)
  const rest = [...frequency]
    .filter(([a]) => !taken.has(a))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  for (const [a] of rest) add(a)
  return out
}

export function flattenGroups(groups: readonly ItemGroup[]): ViewRow[] {
  const rows: ViewRow[] = []
  for (const group of groups) {
    rows.push({ kind: 'group', id: groupRowId(group), group })
    group.items.forEach((item, position) =>
      rows.push({ kind: 'item', id: itemRowId(item), group, item, position }),
    )
  }
  return rows
}

export const groupRowId = (group: ItemGroup): string =>
  group.excluded ? `x:${group.reason ?? ''}` : `g:${group.pk}`

/** Item ids are unique within a view (an index view lists an item once, held or excluded); ghosts get a suffix. */
export const itemRowId = (item: ViewItem): string => (item.ghost ? `${item.id}\u0000ghost` : item.id)

/** A group as a view's outline gives it (items:view): its header's facts and how many rows it has. */
export function summarizeGroup(g: ItemGroup): ViewGroupSummary {
  return {
    pk: g.pk,
    count: g.items.length,
    columns: g.columns,
    sizeBytes: g.sizeBytes,
    removedCount: g.removedCount,
    ...(g.excluded ? { excluded: true, reason: g.reason } : {}),
  }
}

/** Item `position` of its group, shown as row `row` of the view, as items:view and items:viewRows send it. */
export function toViewItemRow(v: ViewItem, row: number, position: number): ViewItemRow {
  return {
    row,
    id: itemRowId(v),
    itemId: v.id,
    item: v.item,
    position,
    ...(v.entity !== undefined ? { entity: v.entity } : {}),
    ...(v.colour !== undefined ? { colour: v.colour } : {}),
    ...(v.ghost ? { ghost: true } : {}),
    ...(v.excludedReason !== undefined ? { excludedReason: v.excludedReason } : {}),
    ...(v.size !== undefined ? { size: v.size } : {}),
  }
}

/** The model's entities for one table, in the matcher shape. */
export function entitiesForTable(
  entities: readonly {
    name: string
    table: string
    keys: Record<string, string>
    colour?: string
    attributes?: readonly { name: string }[]
  }[],
  tableName: string,
): EntityMatcher[] {
  return entities
    .filter((e) => e.table === tableName)
    .map((e) => ({
      name: e.name,
      colour: e.colour,
      keys: e.keys,
      attributes: e.attributes?.map((a) => a.name),
    }))
}

/**
 * The visualizer's filter: an item matches when one of its key attributes starts with the text, or any string or
 * number attribute contains it (case-insensitive either way). Empty text keeps every item.
 */
export function filterItems(
  items: readonly ItemJson[],
  text: string,
  keyNames: readonly string[],
): readonly ItemJson[] {
  const q = text.trim().toLowerCase()
  if (!q) return items
  const isKey = new Set(keyNames)
  return items.filter((item) => {
    for (const name in item) {
      const av = item[name]!
      const v = 'S' in av ? av.S : 'N' in av ? av.N : undefined
      if (v === undefined) continue
      const lower = v.toLowerCase()
      if (isKey.has(name) ? lower.startsWith(q) : lower.includes(q)) return true
    }
    return false
  })
}
