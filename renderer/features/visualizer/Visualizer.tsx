import { useCallback, useDeferredValue, useId, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { Highlight } from '../../../shared/domain/diff'
import { entitiesForTable, itemId } from '../../../shared/domain/grouping'
import { ErrorNote } from '../../components/ErrorNote'
import { ProgressBar } from '../../components/ProgressBar'
import { SampleButton } from '../shell/EmptyStates'
import { indexSpecs, tableKeys } from '../../store/workbench.slice'
import { useAppStore } from '../../store/store'
import type { ItemJson } from '../../../shared/contract/channels/workbench'
import { BulkDeleteDialog } from './BulkDelete'
import { HeatStrip } from './HeatStrip'
import { ItemsGrid } from './ItemsGrid'
import { useItemsView } from './useItemsView'
import { localSource } from './local-view'
import { hostSource } from './view-source'

const NO_HIGHLIGHTS = new Map<string, Highlight>()
const NO_GHOSTS: ItemJson[] = []
const EMPTY_PICKS = new Map<string, ItemJson>()
/** Partition keys offered by the jump box: enough to pick from, few enough for the browser's list. */
const MAX_JUMP_OPTIONS = 200

export function Visualizer() {
  const s = useAppStore(
    useShallow((st) => ({
      selectedTable: st.selectedTable,
      detail: st.detail,
      detailError: st.detailError,
      model: st.model,
      modelId: st.modelId,
      snapshot: st.itemsSnapshot,
      itemsState: st.itemsState,
      itemsLoaded: st.itemsLoaded,
      itemsExpected: st.itemsExpected,
      itemsError: st.itemsError,
      itemsStartedAt: st.itemsStartedAt,
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
  const [jumpTo, setJumpTo] = useState<{ row: number; seq: number } | undefined>()
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
  const ghosts = ownHighlights ? s.ghosts : NO_GHOSTS

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
  const openId = s.selectedItem && keys ? itemId(s.selectedItem, keys) : undefined

  // The snapshot of this table the host holds (or, for the benchmark's peer, the items the page holds).
  const snapshot =
    s.snapshot && s.snapshot.connectionId === s.connectionId && s.snapshot.tableName === s.selectedTable
      ? s.snapshot
      : undefined
  const source = useMemo(() => {
    if (!snapshot) return undefined
    if (!snapshot.legacyItems) return hostSource(snapshot.snapshotId)
    return keys
      ? localSource(snapshot.legacyItems, { table: keys, indexes, entities, done: snapshot.done })
      : undefined
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a source per snapshot (and per page of the peer's items)
  }, [snapshot?.snapshotId, snapshot?.legacyItems, keys, indexes, entities])
  // The cursor's item, kept for the next view to locate (it is read when a view is asked, not rendered).
  const cursorItem = useRef<string | undefined>(undefined)
  const onCursor = useCallback((id: string | undefined) => {
    cursorItem.current = id
  }, [])
  const locate = () => {
    const ids = [...highlights.keys()]
    if (cursorItem.current !== undefined) ids.push(cursorItem.current)
    if (openId !== undefined) ids.push(openId)
    return ids
  }
  const view = useItemsView({
    scope: `${s.connectionId ?? ''}\u0000${s.selectedTable ?? ''}`,
    source,
    loaded: snapshot?.loaded ?? 0,
    done: snapshot?.done ?? false,
    indexName: index?.name,
    showExcluded: s.showExcluded,
    filter: deferredFilter.trim(),
    ghosts,
    modelId: s.modelId || undefined,
    locate,
    locateKey: highlights,
    onExpired: () => {
      // The host let go of the snapshot (a newer load replaced it): load again, unless a load is under way.
      if (useAppStore.getState().itemsState !== 'loading') void loadItems()
    },
  })
  const summary = view.summary
  const layout = view.layout

  const shownGroups = useMemo(() => (summary ? summary.groups.filter((g) => !g.excluded) : []), [summary])
  const partitions = useMemo(() => shownGroups.map((g) => g.pk), [shownGroups])
  const jumpToRow = (row: number) => setJumpTo((prev) => ({ row, seq: (prev?.seq ?? 0) + 1 }))
  const jumpToPartition = (pk: string) => {
    setJump(pk)
    setJumpMiss(undefined)
    const row = layout?.findPartition(pk)
    if (row !== undefined) jumpToRow(row)
  }
  const jumpOptions = useMemo(() => {
    const q = jump.trim()
    return partitions.filter((pk) => pk.startsWith(q)).slice(0, MAX_JUMP_OPTIONS)
  }, [partitions, jump])
  const doJump = () => {
    const q = jump.trim()
    if (!layout || !q) return
    const row = layout.findPartition(q)
    if (row === undefined) {
      setJumpMiss(`No partition starts with ${q}${filter.trim() ? ' among the filtered items' : ''}.`)
      return
    }
    setJumpMiss(undefined)
    jumpToRow(row)
  }

  // For the UI benchmark: tw:first-page from the load's start to the frame showing its first view, and tw:first-paint
  // from the arrival of the whole table's view to the next frame.
  const firstPageFor = useRef<string | undefined>(undefined)
  const paintedFor = useRef<number | undefined>(undefined)
  useLayoutEffect(() => {
    const arrived = view.arrivedAt
    if (!summary || !snapshot || arrived === undefined || !view.fresh) return
    const started = s.itemsStartedAt
    if (firstPageFor.current !== snapshot.snapshotId && started !== undefined) {
      firstPageFor.current = snapshot.snapshotId
      requestAnimationFrame(() =>
        performance.measure('tw:first-page', { start: started, end: performance.now() }),
      )
    }
    if (s.itemsState !== 'ready' || summary.loaded !== snapshot.loaded || paintedFor.current === arrived)
      return
    paintedFor.current = arrived
    requestAnimationFrame(() =>
      performance.measure('tw:first-paint', { start: arrived, end: performance.now() }),
    )
  }, [summary, snapshot, view.arrivedAt, view.fresh, s.itemsState, s.itemsStartedAt])

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
        {summary ? (
          <span role="status" aria-label="View summary">
            {summary.itemCount.toLocaleString()} items in {partitions.length.toLocaleString()} partitions
            {index ? ` · ${summary.excludedCount.toLocaleString()} items not in ${index.name}` : ''}
            {deferredFilter.trim()
              ? ` · filtered from ${summary.unfilteredCount.toLocaleString()} items`
              : ''}
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
      {view.error && !s.itemsError ? <ErrorNote error={view.error} hint="Press R to reload." /> : null}
      {s.itemsState === 'ready' && snapshot?.loaded === 0 ? (
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
      {summary && summary.rowCount === 0 && deferredFilter.trim() && summary.unfilteredCount > 0 ? (
        <p className="muted">No item matches “{deferredFilter.trim()}”.</p>
      ) : null}
      {summary && layout && summary.rowCount > 0 ? (
        <ItemsGrid
          layout={layout}
          viewKey={summary.viewKey}
          rowAt={view.rowAt}
          rowOfItem={view.rowOfItem}
          onRange={view.show}
          span={view.span}
          located={summary.located}
          highlightsInView={view.locatedFor === highlights}
          highlights={highlights}
          jumpTo={jumpTo}
          openId={openId}
          onOpen={selectItem}
          onCursor={onCursor}
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
