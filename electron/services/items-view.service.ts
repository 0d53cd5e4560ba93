import { randomUUID } from 'node:crypto'
import type {
  ItemJson,
  ItemsPage,
  ItemsSnapshot,
  ItemsViewOptions,
  ItemsViewSummary,
  TableDetail,
  ViewItemRow,
} from '../../shared/contract/channels/workbench'
import {
  entitiesForTable,
  filterItems,
  itemId,
  summarizeGroup,
  toViewItemRow,
  ViewBuilder,
  type EntityMatcher,
  type IndexSpec,
  type KeySchemaView,
  type View,
} from '../../shared/domain/grouping'
import type { Model } from '../../shared/domain/model'
import { WorkbenchError } from './errors'

/**
 * The visualizer's items, held by the host: the host reads a table once into a snapshot and builds views of it
 * (grouped by the table's or an index's keys, filtered, with removed items in place); the renderer asks for a view's
 * groups and for the rows it shows. At 100k items, sending every item to the page cost the host more CPU to write
 * (pack, stringify, compress) than to read, and the page as much again to parse and group: about 1.6 s in all,
 * where reading the table in-process and grouping it here takes about 0.4 s. It is a server-side row model, as data
 * grids that outgrow the client use (https://www.ag-grid.com/javascript-data-grid/server-side-model/).
 */

/** Snapshots kept, most recently used first: a table the user switches back to still answers its scrolled rows. */
const MAX_SNAPSHOTS = 3
/** Views kept per snapshot (by their options): switching index or filter back reuses the view built before. */
const MAX_VIEWS = 4
/**
 * Items a call reads at most before it looks at its time budget again: from the embedded engine a read of 100k
 * items takes about 50 ms, from a remote table each 1 MB Scan page is one request.
 */
const ENGINE_STEP = 100_000
const REMOTE_STEP = 10_000

/**
 * Where a snapshot's items come from: one Scan page after another; with `sizes`, the items' DynamoDB sizes (the
 * embedded engine keeps each stored item's), so the view need not measure 100k items again.
 */
export type PageReader = (request: {
  tableName: string
  limit: number
  exclusiveStartKey?: ItemJson
}) => Promise<ItemsPage & { sizes?: number[] }>

interface CachedView {
  viewKey: string
  optionsKey: string
  /** Items of the snapshot the view has taken in; a view with ghosts is built again instead (see viewOf). */
  added: number
  builder: ViewBuilder
  view: Outline
  /** The row of each group's header: item row `starts[g] + 1 + i` is item i of group g. */
  starts: number[]
  rowCount: number
  ghosts: boolean
}

type Outline = Omit<View, 'rows'>

interface Snapshot {
  id: string
  connectionId: string
  tableName: string
  keys: KeySchemaView
  indexes: IndexSpec[]
  expected?: number
  items: ItemJson[]
  /** The items' sizes, while every page came with them. */
  sizes?: number[]
  lastEvaluatedKey?: ItemJson
  done: boolean
  /** Reads run one at a time. */
  reading: Promise<unknown>
  views: CachedView[]
}

const entityCache = new WeakMap<Model, Map<string, EntityMatcher[]>>()
/** A number per model object: a model saved again is a new object, so its views are built with its new entities. */
const modelSerial = new WeakMap<Model, number>()
let modelCount = 0
const modelKey = (model: Model | undefined) => {
  if (!model) return 0
  let n = modelSerial.get(model)
  if (n === undefined) modelSerial.set(model, (n = ++modelCount))
  return n
}

/** The snapshots of one host (a Workbench holds one). */
export class ItemSnapshots {
  private readonly snapshots: Snapshot[] = []
  private viewSeq = 0

  /**
   * Starts a snapshot of a table (`detail` from DescribeTable) or goes on reading one, until `maxItems` more items,
   * the end of the table, or about `budgetMs`.
   */
  async load(
    input: { snapshotId?: string; maxItems?: number; budgetMs: number },
    start: () => Promise<{ connectionId: string; tableName: string; detail: TableDetail }>,
    read: PageReader,
    inProcess: boolean,
  ): Promise<ItemsSnapshot> {
    let snapshot: Snapshot
    if (input.snapshotId) snapshot = this.get(input.snapshotId)
    else {
      const { connectionId, tableName, detail } = await start()
      snapshot = {
        id: randomUUID(),
        connectionId,
        tableName,
        keys: {
          partitionKey: detail.partitionKey ?? { name: 'pk', type: 'S' },
          sortKey: detail.sortKey,
        },
        indexes: detail.indexes.map((i) => ({
          name: i.name,
          kind: i.kind,
          partitionKey: i.partitionKey,
          sortKey: i.sortKey,
          projection: { type: i.projection.type, nonKeyAttributes: i.projection.nonKeyAttributes },
        })),
        expected: detail.itemCount,
        items: [],
        sizes: [],
        done: false,
        reading: Promise.resolve(),
        views: [],
      }
      this.snapshots.unshift(snapshot)
      this.snapshots.splice(MAX_SNAPSHOTS)
    }
    const run = snapshot.reading.then(() => readSome(snapshot, input, read, inProcess))
    snapshot.reading = run.catch(() => undefined)
    await run
    return {
      snapshotId: snapshot.id,
      loaded: snapshot.items.length,
      done: snapshot.done,
      expected: snapshot.expected,
    }
  }

  /** A view of a snapshot: its groups, rows `from` to `from + count`, and the rows of the ids in `locate`. */
  view(
    input: { snapshotId: string; options: ItemsViewOptions; from: number; count: number; locate: string[] },
    model: Model | undefined,
  ): ItemsViewSummary {
    const snapshot = this.get(input.snapshotId)
    const cached = this.viewOf(snapshot, input.options, model)
    const { view } = cached
    const located: Record<string, number> = {}
    if (input.locate.length) {
      const wanted = new Set(input.locate)
      view.groups.forEach((g, at) =>
        g.items.forEach((v, i) => {
          if (!v.ghost && wanted.has(v.id) && !(v.id in located)) located[v.id] = cached.starts[at]! + 1 + i
        }),
      )
    }
    return {
      viewKey: cached.viewKey,
      loaded: snapshot.items.length,
      done: snapshot.done,
      itemCount: view.itemCount,
      excludedCount: view.excludedCount,
      unfilteredCount: snapshot.items.length,
      rowCount: cached.rowCount,
      groups: view.groups.map(summarizeGroup),
      rows: rowsOf(cached, input.from, input.count),
      located,
    }
  }

  /** Rows `from` to `from + count` of a view items:view gave. */
  rows(input: { snapshotId: string; viewKey: string; from: number; count: number }): ViewItemRow[] {
    const snapshot = this.get(input.snapshotId)
    const cached = snapshot.views.find((v) => v.viewKey === input.viewKey)
    if (!cached) throw expired()
    return rowsOf(cached, input.from, input.count)
  }

  private get(snapshotId: string): Snapshot {
    const at = this.snapshots.findIndex((s) => s.id === snapshotId)
    if (at < 0) throw expired()
    const [snapshot] = this.snapshots.splice(at, 1)
    this.snapshots.unshift(snapshot!)
    return snapshot!
  }

  private viewOf(snapshot: Snapshot, options: ItemsViewOptions, model: Model | undefined): CachedView {
    const index = options.indexName ? snapshot.indexes.find((i) => i.name === options.indexName) : undefined
    if (options.indexName && !index)
      throw new WorkbenchError(
        'input.invalid',
        `${snapshot.tableName} has no index ${options.indexName}${snapshot.indexes.length ? ` (its indexes: ${snapshot.indexes.map((i) => i.name).join(', ')})` : ''}.`,
        { table: snapshot.tableName, index: options.indexName, valid: snapshot.indexes.map((i) => i.name) },
      )
    const filter = options.filter
    const showExcluded = index ? options.showExcluded : false
    const ghosts = options.ghosts
    const entities = model ? entitiesOf(model, snapshot.tableName) : []
    const optionsKey = JSON.stringify([
      index?.name,
      showExcluded,
      filter.trim().toLowerCase(),
      ghosts,
      modelKey(model),
    ])
    const at = snapshot.views.findIndex((v) => v.optionsKey === optionsKey)
    let cached = at >= 0 ? snapshot.views.splice(at, 1)[0]! : undefined
    if (cached && cached.added === snapshot.items.length) {
      snapshot.views.unshift(cached)
      return cached
    }
    const keyNames = [snapshot.keys.partitionKey, snapshot.keys.sortKey, index?.partitionKey, index?.sortKey]
      .filter((k) => k !== undefined)
      .map((k) => k.name)
    // A view takes in items read since it was built; one with removed items is built again, as an item read since
    // may be one of them (a removed item still stored is not shown as removed).
    if (!cached || cached.ghosts) {
      cached = {
        viewKey: String(++this.viewSeq),
        optionsKey,
        added: 0,
        builder: new ViewBuilder({ table: snapshot.keys, index, entities, showExcluded, remember: false }),
        view: { groups: [], excludedCount: 0, itemCount: 0 },
        starts: [],
        rowCount: 0,
        ghosts: ghosts.length > 0,
      }
    }
    const fresh = snapshot.items.slice(cached.added)
    const shown = filterItems(fresh, filter, keyNames)
    cached.builder.add(shown, false, shown === fresh ? snapshot.sizes?.slice(cached.added) : undefined)
    cached.added = snapshot.items.length
    if (ghosts.length) {
      const present = new Set(snapshot.items.map((it) => itemId(it, snapshot.keys)))
      cached.builder.add(
        filterItems(
          ghosts.filter((g) => !present.has(itemId(g, snapshot.keys))),
          filter,
          keyNames,
        ),
        true,
      )
    }
    cached.view = cached.builder.outline()
    cached.starts = []
    let row = 0
    for (const g of cached.view.groups) {
      cached.starts.push(row)
      row += 1 + g.items.length
    }
    cached.rowCount = row
    cached.viewKey = String(++this.viewSeq)
    snapshot.views.unshift(cached)
    snapshot.views.splice(MAX_VIEWS)
    return cached
  }
}

async function readSome(
  snapshot: Snapshot,
  input: { maxItems?: number; budgetMs: number },
  read: PageReader,
  inProcess: boolean,
) {
  const deadline = Date.now() + input.budgetMs
  const until = input.maxItems !== undefined ? snapshot.items.length + input.maxItems : Infinity
  while (!snapshot.done && snapshot.items.length < until) {
    const page = await read({
      tableName: snapshot.tableName,
      limit: Math.min(until - snapshot.items.length, inProcess ? ENGINE_STEP : REMOTE_STEP),
      exclusiveStartKey: snapshot.lastEvaluatedKey,
    })
    for (const item of page.items) snapshot.items.push(item)
    if (page.sizes && snapshot.sizes) for (const size of page.sizes) snapshot.sizes.push(size)
    else snapshot.sizes = undefined
    snapshot.lastEvaluatedKey = page.lastEvaluatedKey
    snapshot.done = page.lastEvaluatedKey === undefined
    if (Date.now() >= deadline) break
  }
}

function rowsOf(view: CachedView, from: number, count: number): ViewItemRow[] {
  const out: ViewItemRow[] = []
  const end = Math.min(view.rowCount, from + count)
  const { starts } = view
  // The group whose rows hold `from`: the last one starting at or before it.
  let lo = 0
  let hi = starts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid]! <= from) lo = mid
    else hi = mid - 1
  }
  for (let at = lo; at < starts.length && starts[at]! < end; at++) {
    const items = view.view.groups[at]!.items
    const first = Math.max(0, from - starts[at]! - 1)
    const last = Math.min(items.length, end - starts[at]! - 1)
    for (let position = first; position < last; position++) {
      out.push(toViewItemRow(items[position]!, starts[at]! + 1 + position, position))
    }
  }
  return out
}

/** One entity list per model and table, so the view's per-item cache and compiled key templates are reused. */
function entitiesOf(model: Model, tableName: string): EntityMatcher[] {
  let byTable = entityCache.get(model)
  if (!byTable) entityCache.set(model, (byTable = new Map()))
  let list = byTable.get(tableName)
  if (!list) byTable.set(tableName, (list = entitiesForTable(model.entities, tableName)))
  return list
}

const expired = () =>
  new WorkbenchError(
    'view.expired',
    'The items shown were replaced by a newer load of the table. Reload the items.',
    {},
  )
