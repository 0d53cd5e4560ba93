import type { StateCreator } from 'zustand'
import type { OpenModelRequest, OpenModelView, RecentModel } from '../../shared/contract/channels/models'
import type { ItemJson, TableDetail } from '../../shared/contract/channels/workbench'
import type { Model } from '../../shared/domain/model'
import type { Highlight } from '../../shared/domain/diff'
import {
  entitiesForTable,
  itemId,
  ViewBuilder,
  type IndexSpec,
  type KeySchemaView,
  type View,
} from '../../shared/domain/grouping'
import { unpackItemsSized } from '../../shared/domain/packed-items'
import { call, callBulk } from '../bridge/bridge'
import { toUiError, type UiError } from './connections.slice'
import type { AppState } from './store'

export type Tab = 'overview' | 'visualizer' | 'schema' | 'patterns' | 'writes' | 'query' | 'model' | 'check'
export const TABS: { id: Tab; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'visualizer', label: 'Visualizer' },
  { id: 'schema', label: 'Schema & data' },
  { id: 'patterns', label: 'Access patterns' },
  { id: 'writes', label: 'Writes & stream' },
  { id: 'query', label: 'Query' },
  { id: 'model', label: 'Model' },
  { id: 'check', label: 'Check & cost' },
]

/**
 * How the visualizer loads a table. `paged` (the default): a small first page shown at once, then pages of up to
 * 20,000 items (from the embedded engine; a remote Scan page stops at 1 MB first, about 2,800 items of 350 bytes),
 * packed (items:pagePacked: about a third of the bytes of DynamoDB JSON) and received off the main thread in the
 * browser (callBulk), each request sent before the previous page is unpacked. The Scan runs in two parallel segments
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.ParallelScan), so one segment's page
 * is read out by the host while the other's is on its way or being unpacked: one request at a time left the host
 * and the page waiting on each other about half the time. The view is re-grouped after the first page only when a second has passed and
 * the item count has at least doubled: a local table of 100k items arrives within that second and is grouped twice
 * (first page, whole table), while a slow remote scan still shows its progress every second or so. `legacy` is the
 * earlier loader (2,000-item pages of DynamoDB JSON, re-grouping every 250 ms), kept so `npm run bench:ui` can print
 * both; localStorage `tablewright.itemsLoad` picks it.
 */
const LOADERS = {
  paged: { firstPage: 500, page: 20_000, growth: 2, everyMs: 1000, overlap: true, packed: true, segments: 2 },
  legacy: {
    firstPage: 2000,
    page: 2000,
    growth: 0,
    everyMs: 250,
    overlap: false,
    packed: false,
    segments: 1,
  },
} as const
const loader = () => {
  try {
    return globalThis.localStorage?.getItem('tablewright.itemsLoad') === 'legacy'
      ? LOADERS.legacy
      : LOADERS.paged
  } catch {
    return LOADERS.paged
  }
}

export interface OperationProgress {
  label: string
  done: number
  total?: number
  finished: boolean
}

export interface WorkbenchSlice {
  tab: Tab
  /** The open model's id ('' until the host has said which model is open). */
  modelId: string
  model?: Model
  modelError?: UiError
  /** The open model's name, source and file; `error` when its file's last save was refused. */
  openModel?: OpenModelView
  recentModels: RecentModel[]
  /** Opening a model failed (a bad path or file): the model that was open stays open. */
  openModelError?: UiError
  modelOpening: boolean
  selectedTable?: string
  detail?: TableDetail
  detailError?: UiError
  items: ItemJson[]
  /**
   * The table view of `items` (no index, filter or removed rows), built by the loader page by page as they arrived
   * (ViewBuilder), so the visualizer need not group 100k items again once the last page is in. Valid only while its
   * `items` is the state's `items`, for the same table keys and model.
   */
  itemsView?: { items: ItemJson[]; view: View; keys: KeySchemaView; model?: Model }
  itemsState: 'idle' | 'loading' | 'ready' | 'error'
  itemsLoaded: number
  itemsExpected?: number
  itemsError?: UiError
  /** performance.now() when the last page arrived: the benchmark measures first paint from here. */
  itemsArrivedAt?: number
  indexName?: string
  showExcluded: boolean
  selectedItem?: ItemJson
  /** The inspector holds a draft of a new item (nothing selected). */
  creatingItem: boolean
  /** A stream record, timeline step or pattern request shown read-only in the inspector, above the item. */
  inspected?: { title: string; value: unknown }
  highlights: Map<string, Highlight>
  ghosts: ItemJson[]
  highlightLabel?: string
  /** The table the highlights came from: they are shown only on it. */
  highlightTable?: string
  progress: Record<string, OperationProgress>
  sampleBusy?: string
  sampleError?: UiError
  theme: 'light' | 'dark'

  setTheme(theme: 'light' | 'dark'): void
  /** Saves an item; with `expected` only if the stored item is still that one. Rejects with a BridgeError. */
  saveItem(
    item: ItemJson,
    expected: ItemJson | undefined,
    replacesKey?: ItemJson,
    create?: boolean,
  ): Promise<ItemJson>
  /** Opens an empty draft in the inspector for a new item of the selected table. */
  startNewItem(): void
  cancelNewItem(): void
  deleteItem(key: ItemJson, expected: ItemJson | undefined): Promise<void>
  /** Allowing writes on AWS needs `confirm`: the text connections:writeAccess asked for, typed back. */
  allowWrites(allow: boolean, confirm?: string): Promise<void>
  setTab(tab: Tab): void
  loadModel(): Promise<void>
  /** Asks the host which model is open (at start: its --model, else the first sample) and loads it. */
  loadCurrentModel(): Promise<void>
  openModelFrom(request: OpenModelRequest): Promise<void>
  openModelDialog(): Promise<void>
  loadRecentModels(): Promise<void>
  /** The host's model:changed event: another model was opened, or the open file was saved. */
  modelChanged(view: OpenModelView): Promise<void>
  selectTable(name: string | undefined): Promise<void>
  describe(): Promise<void>
  loadItems(): Promise<void>
  setIndex(name: string | undefined): void
  setShowExcluded(v: boolean): void
  selectItem(item: ItemJson | undefined): void
  inspect(inspected: { title: string; value: unknown } | undefined): void
  /** Highlights for `table` (the selected table when not given). */
  setHighlights(
    label: string | undefined,
    highlights: Map<string, Highlight>,
    ghosts?: ItemJson[],
    table?: string,
  ): void
  trackProgress(operationId: string, p: OperationProgress): void
  loadSample(): Promise<void>
}

let loadGeneration = 0

export const createWorkbenchSlice: StateCreator<AppState, [], [], WorkbenchSlice> = (set, get) => ({
  tab: 'overview',
  modelId: '',
  recentModels: [],
  modelOpening: false,
  items: [],
  itemsState: 'idle',
  itemsLoaded: 0,
  showExcluded: false,
  creatingItem: false,
  highlights: new Map(),
  ghosts: [],
  progress: {},
  theme: window.matchMedia?.('(prefers-color-scheme: light)').matches ? 'light' : 'dark',

  setTheme(theme) {
    set({ theme })
  },
  async saveItem(item, expected, replacesKey, create) {
    const connectionId = get().activeConnectionId
    const tableName = get().selectedTable
    if (!connectionId || !tableName) throw new Error('no table selected')
    const saved = await call('items:put', { connectionId, tableName, item, expected, replacesKey, create })
    const detail = get().detail
    if (detail) {
      const keys = tableKeys(detail)
      const highlights = new Map<string, Highlight>([
        [itemId(saved.item, keys), replacesKey || create ? 'new' : 'changed'],
      ])
      get().setHighlights('Saved item', highlights, replacesKey ? [{ ...expected, ...replacesKey }] : [])
    }
    set({ selectedItem: saved.item, creatingItem: false })
    void get().loadItems()
    return saved.item
  },
  startNewItem() {
    set({ creatingItem: true, selectedItem: undefined, inspectorCollapsed: false })
  },
  cancelNewItem() {
    set({ creatingItem: false })
  },
  async deleteItem(key, expected) {
    const connectionId = get().activeConnectionId
    const tableName = get().selectedTable
    if (!connectionId || !tableName) return
    await call('items:delete', { connectionId, tableName, key, expected })
    set({ selectedItem: undefined })
    void get().loadItems()
  },
  async allowWrites(allow, confirm) {
    const connectionId = get().activeConnectionId
    if (!connectionId) return
    await call('connections:allowWrites', { connectionId, allow, confirm })
    await get().loadConnections()
  },

  setTab(tab) {
    set({ tab })
  },
  async loadModel() {
    if (!get().modelId) return get().loadCurrentModel()
    try {
      const model = await call('models:get', { modelId: get().modelId })
      set({ model, modelError: undefined })
    } catch (err) {
      set({ modelError: toUiError(err) })
    }
  },
  async loadCurrentModel() {
    try {
      await get().modelChanged(await call('models:current', {}))
    } catch (err) {
      set({ modelError: toUiError(err) })
    }
  },
  async openModelFrom(request) {
    set({ modelOpening: true, openModelError: undefined })
    try {
      await get().modelChanged(await call('models:open', request))
      void get().loadRecentModels()
    } catch (err) {
      set({ openModelError: toUiError(err) })
    } finally {
      set({ modelOpening: false })
    }
  },
  async openModelDialog() {
    set({ openModelError: undefined })
    try {
      const view = await call('models:openDialog', {})
      if (view) {
        await get().modelChanged(view)
        void get().loadRecentModels()
      }
    } catch (err) {
      set({ openModelError: toUiError(err) })
    }
  },
  async loadRecentModels() {
    try {
      set({ recentModels: await call('models:recent', {}) })
    } catch {
      // The recents list is a convenience: without it the other ways to open a model still work.
    }
  },
  async modelChanged(view) {
    const switched = view.modelId !== get().modelId
    set({ openModel: view, modelId: view.modelId, openModelError: undefined })
    if (switched) {
      // Results of the previous model's patterns mean nothing under another model; the connection stays.
      set({
        selectedPatternId: undefined,
        patternParams: {},
        patternResults: {},
        patternPages: {},
        patternErrors: {},
        selectedRecipeId: undefined,
        recipeParams: {},
        flow: undefined,
        flowShown: 0,
      })
    }
    await get().loadModel()
  },
  async selectTable(name) {
    if (name === get().selectedTable && get().itemsState !== 'error') return
    set({
      selectedTable: name,
      detail: undefined,
      items: [],
      itemsView: undefined,
      itemsState: 'idle',
      itemsLoaded: 0,
      indexName: undefined,
      selectedItem: undefined,
      creatingItem: false,
    })
    if (!name) return
    await get().describe()
    await get().loadItems()
  },
  async describe() {
    const connectionId = get().activeConnectionId
    const tableName = get().selectedTable
    if (!connectionId || !tableName) return
    try {
      const detail = await call('tables:describe', { connectionId, tableName })
      if (get().activeConnectionId === connectionId && get().selectedTable === tableName)
        set({ detail, detailError: undefined })
    } catch (err) {
      if (get().activeConnectionId === connectionId && get().selectedTable === tableName)
        set({ detailError: toUiError(err) })
    }
  },
  async loadItems() {
    const connectionId = get().activeConnectionId
    const tableName = get().selectedTable
    if (!connectionId || !tableName) return
    const generation = ++loadGeneration
    const expected = get().tables.find((t) => t.name === tableName)?.itemCount ?? get().detail?.itemCount
    set({ itemsState: 'loading', itemsLoaded: 0, itemsExpected: expected, itemsError: undefined })
    const buffer: ItemJson[] = []
    const how = loader()
    // The table's keys are known before its items (selectTable describes first); without them the visualizer groups.
    const detail = get().detail
    const model = get().model
    const keys = detail && how.packed ? tableKeys(detail) : undefined
    const builder =
      keys &&
      new ViewBuilder({ table: keys, entities: model ? entitiesForTable(model.entities, tableName) : [] })
    const viewOf = (items: ItemJson[]) => builder && keys && { items, view: builder.view(), keys, model }
    const started = performance.now()
    let lastPublish = started
    let published = 0
    let firstShown = false
    const stale = () =>
      generation !== loadGeneration ||
      get().activeConnectionId !== connectionId ||
      get().selectedTable !== tableName
    type Page = { lastEvaluatedKey?: ItemJson; read: () => { items: ItemJson[]; sizes?: number[] } }
    // A page's items are read out (unpacked) only after the next request has gone out, so the two overlap.
    const fetchPage = async (
      segment: number,
      exclusiveStartKey: ItemJson | undefined,
      limit: number,
    ): Promise<Page> => {
      if (!how.packed) {
        const page = await call('items:page', { connectionId, tableName, limit, exclusiveStartKey })
        return { lastEvaluatedKey: page.lastEvaluatedKey, read: () => ({ items: page.items }) }
      }
      const page = await callBulk('items:pagePacked', {
        connectionId,
        tableName,
        limit,
        exclusiveStartKey,
        ...(how.segments > 1 ? { segment, totalSegments: how.segments } : {}),
      })
      return { lastEvaluatedKey: page.lastEvaluatedKey, read: () => unpackItemsSized(page.packed) }
    }
    // One request in flight per segment of a parallel Scan; the first page is segment 0's, and the other segments
    // start once it is shown.
    const inflight = new Map<number, Promise<{ segment: number; page: Page }>>()
    const request = (segment: number, exclusiveStartKey: ItemJson | undefined, limit: number) =>
      inflight.set(
        segment,
        fetchPage(segment, exclusiveStartKey, limit).then((page) => ({ segment, page })),
      )
    try {
      request(0, undefined, how.firstPage)
      let first = true
      while (inflight.size) {
        const { segment, page } = await Promise.race(inflight.values())
        inflight.delete(segment)
        if (stale()) return
        performance.mark('tw:page-in')
        const next = page.lastEvaluatedKey
        // The next requests go out before this page is unpacked, grouped and painted, so they overlap.
        if (next && how.overlap) request(segment, next, how.page)
        if (first) for (let other = 1; other < how.segments; other++) request(other, undefined, how.page)
        first = false
        const { items, sizes } = page.read()
        for (const it of items) buffer.push(it)
        builder?.add(items, false, sizes)
        performance.mark('tw:page-read', { detail: items.length })
        const now = performance.now()
        const more = next !== undefined || inflight.size > 0
        const publish =
          more &&
          (how.growth
            ? published === 0 || (now - lastPublish >= how.everyMs && buffer.length >= published * how.growth)
            : now - lastPublish > how.everyMs)
        if (publish) {
          lastPublish = now
          published = buffer.length
          const items = buffer.slice()
          set({ items, itemsView: viewOf(items), itemsLoaded: buffer.length })
          if (!firstShown) {
            firstShown = true
            markFirstPage(started)
          }
        } else set({ itemsLoaded: buffer.length })
        if (next && !how.overlap) request(segment, next, how.page)
      }
      if (!firstShown) markFirstPage(started)
      const selected = get().selectedItem
      set({
        items: buffer,
        itemsView: viewOf(buffer),
        itemsLoaded: buffer.length,
        itemsState: 'ready',
        itemsArrivedAt: performance.now(),
        // Keep the inspector on the stored version of the selected item, if it still exists.
        selectedItem: selected && detail ? findSame(buffer, selected, tableKeys(detail)) : selected,
      })
    } catch (err) {
      if (
        generation === loadGeneration &&
        get().activeConnectionId === connectionId &&
        get().selectedTable === tableName
      )
        set({ itemsState: 'error', itemsError: toUiError(err), items: buffer.slice() })
    }
  },
  setIndex(indexName) {
    set({ indexName })
  },
  setShowExcluded(showExcluded) {
    set({ showExcluded })
  },
  selectItem(selectedItem) {
    // Opening something to inspect brings a hidden inspector back: that is what the user asked to see.
    set(selectedItem ? { selectedItem, creatingItem: false, inspectorCollapsed: false } : { selectedItem })
  },
  inspect(inspected) {
    set(inspected ? { inspected, inspectorCollapsed: false } : { inspected })
  },
  setHighlights(highlightLabel, highlights, ghosts = [], table = get().selectedTable) {
    set({ highlightLabel, highlights, ghosts, highlightTable: table })
  },
  trackProgress(operationId, p) {
    set({ progress: { ...get().progress, [operationId]: p } })
  },
  async loadSample() {
    const connectionId = get().activeConnectionId
    if (!connectionId) return
    const modelId = get().modelId
    // The sample opens in the visualizer, unless the user has gone to another tab while it loaded.
    const tabAtStart = get().tab
    set({ sampleError: undefined })
    try {
      set({ sampleBusy: 'Loading the schema…' })
      const schema = await call('schema:load', {
        connectionId,
        modelId,
        operationId: newOperationId('schema'),
      })
      set({ sampleBusy: 'Writing the sample items…' })
      await call('data:seed', { connectionId, modelId, operationId: newOperationId('seed') })
      await get().loadTables()
      await get().loadModel()
      const first = schema.tables[0]?.name
      if (get().tab === tabAtStart) set({ tab: 'visualizer' })
      if (first) {
        set({ selectedTable: undefined })
        await get().selectTable(first)
      }
    } catch (err) {
      set({ sampleError: toUiError(err) })
    } finally {
      set({ sampleBusy: undefined })
    }
  },
})

export const newOperationId = (what: string) =>
  `${what}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`

export function tableKeys(detail: TableDetail): KeySchemaView {
  return {
    partitionKey: detail.partitionKey ?? { name: 'pk', type: 'S' },
    sortKey: detail.sortKey,
  }
}

export function indexSpecs(detail: TableDetail): IndexSpec[] {
  return detail.indexes.map((i) => ({
    name: i.name,
    kind: i.kind,
    partitionKey: i.partitionKey,
    sortKey: i.sortKey,
    projection: { type: i.projection.type, nonKeyAttributes: i.projection.nonKeyAttributes },
  }))
}

/** For the UI benchmark: from the load's start to the first frame showing its first page. */
function markFirstPage(started: number) {
  requestAnimationFrame(() =>
    performance.measure('tw:first-page', { start: started, end: performance.now() }),
  )
}

function findSame(items: ItemJson[], wanted: ItemJson, keys: KeySchemaView): ItemJson | undefined {
  const same = (a: ItemJson, b: ItemJson) =>
    [keys.partitionKey, keys.sortKey].every(
      (k) => !k || JSON.stringify(a[k.name]) === JSON.stringify(b[k.name]),
    )
  return items.find((it) => same(it, wanted)) ?? wanted
}
