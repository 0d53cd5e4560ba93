import { useCallback, useDeferredValue, useId, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { Highlight } from '../../../shared/domain/diff'
import {
  buildView,
  entitiesForTable,
  filterItems,
  itemId,
  type KeyElement,
  type KeySchemaView,
} from '../../../shared/domain/grouping'
import { ErrorNote } from '../../components/ErrorNote'
import { ProgressBar } from '../../components/ProgressBar'
import { SampleButton } from '../shell/EmptyStates'
import { indexSpecs, tableKeys } from '../../store/workbench.slice'
import { useAppStore } from '../../store/store'
import type { ItemJson } from '../../../shared/contract/channels/workbench'
import { BulkDeleteDialog } from './BulkDelete'
import { HeatStrip } from './HeatStrip'
import { ItemsGrid } from './ItemsGrid'

const NO_HIGHLIGHTS = new Map<string, Highlight>()
const EMPTY_PICKS = new Map<string, ItemJson>()
/** Partition keys offered by the jump box: enough to pick from, few enough for the browser's list. */
const MAX_JUMP_OPTIONS = 200

const sameKey = (a?: KeyElement, b?: KeyElement) => a?.name === b?.name && a?.type === b?.type
const sameKeys = (a: KeySchemaView, b: KeySchemaView) =>
  sameKey(a.partitionKey, b.partitionKey) && sameKey(a.sortKey, b.sortKey)

export function Visualizer() {
  const s = useAppStore(
    useShallow((st) => ({
      selectedTable: st.selectedTable,
      detail: st.detail,
      detailError: st.detailError,
      model: st.model,
      items: st.items,
      itemsView: st.itemsView,
      itemsState: st.itemsState,
      itemsLoaded: st.itemsLoaded,
      itemsExpected: st.itemsExpected,
      itemsError: st.itemsError,
      itemsArrivedAt: st.itemsArrivedAt,
      indexName: st.indexName,
      showExcluded: st.showExcluded,
      highlights: st.highlights,
      ghosts: st.ghosts,
      highlightLabel: st.highlightLabel,
      highlightTable: st.highlightTable,
      selectedItem: st.selectedItem,
      tablesCount: st.tables.length,
      readOnly: st.connections.find((c) => c.id === st.activeConnectionId)?.readOnly ?? false,
      connectionId: st.activeConnectionId,
    })),
  )
  const { setIndex, setShowExcluded, selectItem, loadItems, setHighlights } = useAppStore.getState()
  const viewId = useId()
  const filterId = useId()
  const jumpId = useId()
  const [filter, setFilter] = useState('')
  const deferredFilter = useDeferredValue(filter)
  const [jump, setJump] = useState('')
  const [jumpTo, setJumpTo] = useState<{ rowId: string; seq: number } | undefined>()
  const [jumpMiss, setJumpMiss] = useState<string | undefined>()
  // Rows picked for a bulk delete, by item id (the table key, also for index rows); they belong to one table.
  const [picked, setPicked] = useState<{ table?: string; items: Map<string, ItemJson> }>({
    items: new Map(),
  })
  const pickedItems = picked.table === s.selectedTable ? picked.items : EMPTY_PICKS
  const pickedIds = useMemo(() => new Set(pickedItems.keys()), [pickedItems])
  const [deleting, setDeleting] = useState<ItemJson[] | undefined>()
  const [deletedNote, setDeletedNote] = useState<string | undefined>()
  const onPick = useCallback(
    (rows: { id: string; item: ItemJson }[], mode: 'toggle' | 'add') =>
      setPicked((prev) => {
        const table = useAppStore.getState().selectedTable
        const items = new Map(prev.table === table ? prev.items : [])
        for (const r of rows) {
          if (mode === 'toggle' && items.has(r.id)) items.delete(r.id)
          else items.set(r.id, r.item)
        }
        return { table, items }
      }),
    [],
  )
  // Highlights and removed rows belong to the table they came from.
  const ownHighlights = s.highlightTable === s.selectedTable
  const highlights = ownHighlights ? s.highlights : NO_HIGHLIGHTS

  const keys = useMemo(() => (s.detail ? tableKeys(s.detail) : undefined), [s.detail])
  const indexes = useMemo(() => (s.detail ? indexSpecs(s.detail) : []), [s.detail])
  const index = indexes.find((i) => i.name === s.indexName)
  const keyNames = useMemo(
    () =>
      new Set(
        [keys?.partitionKey, keys?.sortKey, index?.partitionKey, index?.sortKey].flatMap((k) =>
          k ? [k.name] : [],
        ),
      ),
    [keys, index],
  )
  const entities = useMemo(
    () => (s.model && s.selectedTable ? entitiesForTable(s.model.entities, s.selectedTable) : []),
    [s.model, s.selectedTable],
  )
  const view = useMemo(() => {
    if (!keys) return undefined
    let ghosts = ownHighlights ? s.ghosts : []
    if (ghosts.length) {
      const present = new Set(s.items.map((it) => itemId(it, keys)))
      ghosts = ghosts.filter((g) => !present.has(itemId(g, keys)))
    }
    const names = [...keyNames]
    const filtering = deferredFilter.trim() !== ''
    // The plain table view was built by the loader as the pages came in.
    const prebuilt = s.itemsView
    if (
      prebuilt &&
      prebuilt.items === s.items &&
      prebuilt.model === s.model &&
      sameKeys(prebuilt.keys, keys) &&
      !index &&
      !filtering &&
      !ghosts.length
    )
      return prebuilt.view
    const shown = filterItems(s.items, deferredFilter, names)
    if (filtering) ghosts = [...filterItems(ghosts, deferredFilter, names)]
    return buildView(shown, { table: keys, index, entities, showExcluded: s.showExcluded, ghosts })
  }, [
    s.items,
    s.itemsView,
    s.model,
    keys,
    index,
    entities,
    s.showExcluded,
    s.ghosts,
    ownHighlights,
    deferredFilter,
    keyNames,
  ])

  const shownGroups = useMemo(() => (view ? view.groups.filter((g) => !g.excluded) : []), [view])
  const partitions = useMemo(() => shownGroups.map((g) => g.pk), [shownGroups])
  const jumpToPartition = (pk: string) => {
    setJump(pk)
    setJumpMiss(undefined)
    setJumpTo((prev) => ({ rowId: `g:${pk}`, seq: (prev?.seq ?? 0) + 1 }))
  }
  const jumpOptions = useMemo(() => {
    const q = jump.trim()
    return partitions.filter((pk) => pk.startsWith(q)).slice(0, MAX_JUMP_OPTIONS)
  }, [partitions, jump])
  const doJump = () => {
    const q = jump.trim()
    if (!view || !q) return
    const group =
      view.groups.find((g) => !g.excluded && g.pk === q) ??
      view.groups.find((g) => !g.excluded && g.pk.startsWith(q))
    if (!group) {
      setJumpMiss(`No partition starts with ${q}${filter.trim() ? ' among the filtered items' : ''}.`)
      return
    }
    setJumpMiss(undefined)
    setJumpTo({ rowId: `g:${group.pk}`, seq: (jumpTo?.seq ?? 0) + 1 })
  }

  // First paint after the data arrives, for the UI benchmark: from the last page's arrival to the next frame.
  const measuredFor = useRef<number | undefined>(undefined)
  useLayoutEffect(() => {
    const arrived = s.itemsArrivedAt
    if (s.itemsState !== 'ready' || arrived === undefined || measuredFor.current === arrived || !view) return
    measuredFor.current = arrived
    requestAnimationFrame(() =>
      performance.measure('tw:first-paint', { start: arrived, end: performance.now() }),
    )
  }, [s.itemsState, s.itemsArrivedAt, view])

  if (!s.selectedTable) {
    return (
      <div className="empty-state">
        <p>
          {s.tablesCount
            ? 'Pick a table on the left to see its items.'
            : "No tables yet — load the model's sample."}
        </p>
        <SampleButton />
      </div>
    )
  }
  if (s.detailError)
    return <ErrorNote error={s.detailError} hint="Press R to try again, or pick another table." />

  return (
    <section aria-label="Visualizer" className="visualizer">
      <div className="toolbar">
        <label htmlFor={viewId}>View</label>
        <select id={viewId} value={s.indexName ?? ''} onChange={(e) => setIndex(e.target.value || undefined)}>
          <option value="">
            Table {s.selectedTable}
            {keys ? ` (${keys.partitionKey.name}${keys.sortKey ? `, ${keys.sortKey.name}` : ''})` : ''}
          </option>
          {indexes.map((i) => (
            <option key={i.name} value={i.name}>
              {i.kind} {i.name} ({i.partitionKey.name}
              {i.sortKey ? `, ${i.sortKey.name}` : ''})
            </option>
          ))}
        </select>
        {index ? (
          <label className="check">
            <input
              type="checkbox"
              checked={s.showExcluded}
              onChange={(e) => setShowExcluded(e.target.checked)}
            />
            Show items not in the index
          </label>
        ) : null}
        <label htmlFor={filterId}>Filter</label>
        <input
          id={filterId}
          type="search"
          value={filter}
          placeholder="key prefix or value"
          onChange={(e) => setFilter(e.target.value)}
        />
        <form
          className="inline-form"
          aria-label="Jump to partition"
          onSubmit={(e) => {
            e.preventDefault()
            doJump()
          }}
        >
          <label htmlFor={jumpId}>Partition</label>
          <input
            id={jumpId}
            list={`${jumpId}-list`}
            value={jump}
            placeholder={keys?.partitionKey.name ?? 'pk'}
            onChange={(e) => {
              setJump(e.target.value)
              setJumpMiss(undefined)
            }}
          />
          <datalist id={`${jumpId}-list`}>
            {jumpOptions.map((pk) => (
              <option key={pk} value={pk} />
            ))}
          </datalist>
          <button type="submit">Jump</button>
        </form>
        <span className="grow" />
        <Legend entities={entities} />
        <button
          type="button"
          disabled={s.readOnly}
          title={
            s.readOnly ? 'Read-only connection: allow writes to add items' : 'Add an item in the inspector'
          }
          onClick={() => useAppStore.getState().startNewItem()}
        >
          New item
        </button>
        <button type="button" onClick={() => void loadItems()} title="Reload items (R)">
          Reload items
        </button>
      </div>
      {pickedItems.size > 0 ? (
        <div className="toolbar small" role="group" aria-label="Selection">
          <span role="status" aria-label="Selected items">
            {pickedItems.size.toLocaleString()} selected
          </span>
          <button
            type="button"
            className="danger"
            disabled={s.readOnly}
            title={s.readOnly ? 'Read-only connection: allow writes to delete items' : undefined}
            onClick={() => {
              setDeletedNote(undefined)
              setDeleting([...pickedItems.values()])
            }}
          >
            Delete selected…
          </button>
          <button type="button" className="subtle" onClick={() => setPicked({ items: new Map() })}>
            Clear selection
          </button>
        </div>
      ) : null}
      {deletedNote ? (
        <p role="status" className="ok small">
          {deletedNote}
        </p>
      ) : null}

      <div className="toolbar small">
        {view ? (
          <span role="status" aria-label="View summary">
            {view.itemCount.toLocaleString()} items in {partitions.length.toLocaleString()} partitions
            {index ? ` · ${view.excludedCount.toLocaleString()} items not in ${index.name}` : ''}
            {deferredFilter.trim() ? ` · filtered from ${s.items.length.toLocaleString()} items` : ''}
          </span>
        ) : null}
        {jumpMiss ? (
          <span role="alert" className="warn">
            {jumpMiss}
          </span>
        ) : null}
        {s.highlightLabel && ownHighlights ? (
          <span className="highlight-label">
            Highlighted: {s.highlightLabel}{' '}
            <button type="button" className="subtle" onClick={() => setHighlights(undefined, new Map())}>
              Clear highlights
            </button>
          </span>
        ) : null}
      </div>

      {s.itemsState === 'loading' ? (
        <ProgressBar label="Loading items" done={s.itemsLoaded} total={s.itemsExpected} />
      ) : null}
      {s.itemsError ? <ErrorNote error={s.itemsError} hint="Press R to reload." /> : null}
      {s.itemsState === 'ready' && s.items.length === 0 ? (
        <div className="empty-state">
          <p>This table is empty — seed it from Schema & data, or load the model's sample.</p>
          <SampleButton />
        </div>
      ) : null}

      {s.selectedTable && shownGroups.length ? (
        <HeatStrip
          groups={shownGroups}
          table={s.selectedTable}
          {...(index?.kind === 'GSI' ? { gsi: index.name } : {})}
          onJump={jumpToPartition}
        />
      ) : null}
      {view && view.rows.length === 0 && deferredFilter.trim() && s.items.length ? (
        <p className="muted">No item matches “{deferredFilter.trim()}”.</p>
      ) : null}
      {view && view.rows.length > 0 ? (
        <ItemsGrid
          rows={view.rows}
          highlights={highlights}
          jumpTo={jumpTo}
          openId={s.selectedItem && keys ? itemId(s.selectedItem, keys) : undefined}
          onOpen={selectItem}
          keyNames={keyNames}
          label={index ? `Items in ${index.name}` : 'Items'}
          picked={pickedIds}
          onPick={onPick}
        />
      ) : null}
      {deleting && s.connectionId && s.selectedTable ? (
        <BulkDeleteDialog
          connectionId={s.connectionId}
          tableName={s.selectedTable}
          items={deleting}
          onClose={(result) => {
            setDeleting(undefined)
            if (result) {
              setPicked({ items: new Map() })
              setDeletedNote(`Deleted ${result.deleted.toLocaleString()} items from ${s.selectedTable}.`)
              void loadItems()
              void useAppStore.getState().loadTables()
            }
          }}
        />
      ) : null}
    </section>
  )
}

function Legend({ entities }: { entities: { name: string; colour?: string }[] }) {
  if (!entities.length) return null
  return (
    <ul className="legend" aria-label="Entities">
      {entities.map((e) => (
        <li key={e.name}>
          <span className="swatch" style={{ background: e.colour ?? 'var(--muted)' }} aria-hidden />
          {e.name}
        </li>
      ))}
    </ul>
  )
}
