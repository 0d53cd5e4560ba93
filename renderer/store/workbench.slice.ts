import type { StateCreator } from 'zustand'
import type { OpenModelRequest, OpenModelView, RecentModel } from '../../shared/contract/channels/models'
import type { ItemJson, ItemsSnapshot, TableDetail } from '../../shared/contract/channels/workbench'
import type { Model } from '../../shared/domain/model'
import type { Highlight } from '../../shared/domain/diff'
import { itemId, type IndexSpec, type KeySchemaView } from '../../shared/domain/grouping'
import { call } from '../bridge/bridge'
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

/** Items the first items:load call reads, so the visualizer shows a table's start at once. */
const FIRST_LOAD = 500
/** Each further items:load call returns after about this long, so a slow remote Scan shows its progress. */
const LOAD_BUDGET_MS = 1000
/**
 * The UI benchmark's peer (`npm run bench:ui` prints both): localStorage `tablewright.itemsLoad` = `legacy` loads the
 * table the earlier way, every item into the page (items:page, 2,000 a page) to be grouped there (local-view.ts).
 * Nothing else uses it.
 */
const LEGACY_PAGE = 2000
const LEGACY_EVERY_MS = 250
const legacyLoader = () => {
  try {
    return globalThis.localStorage?.getItem('tablewright.itemsLoad') === 'legacy'
  } catch {
    return false
  }
}

/** How long a load waits at most for the visualizer's view of its first page before it reads on. */
const FIRST_VIEW_WAIT_MS = 300
const viewWaiters = new Map<string, () => void>()
/** The visualizer's view of a snapshot is in: a load waiting for it (untilViewAnswered) reads on. */
export function viewAnswered(snapshotId: string): void {
  viewWaiters.get(snapshotId)?.()
}
const untilViewAnswered = (snapshotId: string, ms: number) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer)
      viewWaiters.delete(snapshotId)
      resolve()
    }
    const timer = setTimeout(done, ms)
    viewWaiters.set(snapshotId, done)
  })

/** The table's items as the host holds them for the visualizer (items:load); its views come from items:view. */
export interface ItemsSnapshotState extends ItemsSnapshot {
  connectionId: string
  tableName: string
  /** The benchmark's peer only (legacyLoader): the items themselves, held by the page. */
  legacyItems?: ItemJson[]
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
  /** The selected table's items as last loaded (or being loaded); undefined before the first answer. */
  itemsSnapshot?: ItemsSnapshotState
  itemsState: 'idle' | 'loading' | 'ready' | 'error'
  itemsLoaded: number
  itemsExpected?: number
  itemsError?: UiError
  /** performance.now() when the load started: the benchmark's tw:first-page counts from here. */
  itemsStartedAt?: number
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
      itemsSnapshot: undefined,
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
    const started = performance.now()
    set({
      itemsState: 'loading',
      itemsLoaded: 0,
      itemsExpected: expected,
      itemsError: undefined,
      itemsStartedAt: started,
    })
    const stale = () =>
      generation !== loadGeneration ||
      get().activeConnectionId !== connectionId ||
      get().selectedTable !== tableName
    // Keep the inspector on the stored version of the open item, if the table still holds it (the inspector's
    // conflict choices wait for this).
    const refreshSelected = async (snapshotId: string) => {
      const selected = get().selectedItem
      const detail = get().detail
      if (!selected || !detail) return
      const id = itemId(selected, tableKeys(detail))
      const view = await call('items:view', {
        snapshotId,
        options: { showExcluded: false, filter: '', ghosts: [], modelId: get().modelId || undefined },
        from: 0,
        count: 0,
        locate: [id],
      })
      const row = view.located[id]
      if (row === undefined) return
      const { rows } = await call('items:viewRows', {
        snapshotId,
        viewKey: view.viewKey,
        from: row,
        count: 1,
      })
      const stored = rows[0]?.item
      if (stored && !stale() && get().selectedItem === selected) set({ selectedItem: stored })
    }
    const publish = (snapshot: ItemsSnapshot, legacyItems?: ItemJson[]) =>
      set({
        itemsSnapshot: { ...snapshot, connectionId, tableName, ...(legacyItems ? { legacyItems } : {}) },
        itemsLoaded: snapshot.loaded,
        itemsExpected: snapshot.expected ?? expected,
        ...(snapshot.done ? { itemsState: 'ready' } : {}),
      })
    try {
      if (legacyLoader()) {
        await loadLegacy(connectionId, tableName, `legacy:${generation}`, stale, publish)
        return
      }
      let snapshot = await call('items:load', { connectionId, tableName, maxItems: FIRST_LOAD })
      let first = true
      for (;;) {
        if (stale()) return
        publish(snapshot)
        // The host answers a view with every item read by the time it builds it: reading on before the first page's
        // view is in would make the first page wait for the whole table's view.
        if (first && !snapshot.done && get().tab === 'visualizer')
          await untilViewAnswered(snapshot.snapshotId, FIRST_VIEW_WAIT_MS)
        first = false
        if (snapshot.done) {
          // Not finding it again leaves the inspector on the item it shows; the table is loaded either way.
          await refreshSelected(snapshot.snapshotId).catch(() => undefined)
          return
        }
        snapshot = await call('items:load', {
          connectionId,
          tableName,
          snapshotId: snapshot.snapshotId,
          budgetMs: LOAD_BUDGET_MS,
        })
      }
    } catch (err) {
      if (!stale()) set({ itemsState: 'error', itemsError: toUiError(err) })
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

/** The benchmark's peer (legacyLoader): every item into the page, published every LEGACY_EVERY_MS. */
async function loadLegacy(
  connectionId: string,
  tableName: string,
  snapshotId: string,
  stale: () => boolean,
  publish: (snapshot: ItemsSnapshot, items: ItemJson[]) => void,
) {
  const items: ItemJson[] = []
  let exclusiveStartKey: ItemJson | undefined
  let lastPublish = performance.now()
  do {
    const page = await call('items:page', { connectionId, tableName, limit: LEGACY_PAGE, exclusiveStartKey })
    if (stale()) return
    for (const it of page.items) items.push(it)
    exclusiveStartKey = page.lastEvaluatedKey
    const now = performance.now()
    if (exclusiveStartKey && now - lastPublish > LEGACY_EVERY_MS) {
      lastPublish = now
      publish({ snapshotId, loaded: items.length, done: false }, items.slice())
    }
  } while (exclusiveStartKey)
  publish({ snapshotId, loaded: items.length, done: true }, items)
}
