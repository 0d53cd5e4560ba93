import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual'
import { memo, useCallback, type CSSProperties, useEffect, useId, useLayoutEffect, useMemo, useRef } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { ItemJson } from '../../../shared/contract/channels/workbench'
import { displayValue } from '../../../shared/domain/attribute-json'
import type { Highlight } from '../../../shared/domain/diff'
import { buildView, entitiesForTable, itemId, type ViewRow } from '../../../shared/domain/grouping'
import { ErrorNote } from '../../components/ErrorNote'
import { ProgressBar } from '../../components/ProgressBar'
import { SampleButton } from '../shell/EmptyStates'
import { indexSpecs, tableKeys } from '../../store/workbench.slice'
import { useAppStore } from '../../store/store'

const ROW_HEIGHT = 28
const GROUP_HEIGHT = 40
const FIRST_COL = 300
const COL = 200
const KEY_COL = 250

/** Key columns are wider: their values (ISO timestamps, prefixed uuids) are what people scan for. */
const widthOf = (name: string, keyNames: ReadonlySet<string>) => (keyNames.has(name) ? KEY_COL : COL)

const formatBytes = (n: number) => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`)

export function Visualizer() {
  const s = useAppStore(
    useShallow((st) => ({
      selectedTable: st.selectedTable,
      detail: st.detail,
      detailError: st.detailError,
      model: st.model,
      items: st.items,
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
      selectedItem: st.selectedItem,
      tablesCount: st.tables.length,
    })),
  )
  const { setIndex, setShowExcluded, selectItem, loadItems, setHighlights } = useAppStore.getState()
  const viewId = useId()

  const keys = useMemo(() => (s.detail ? tableKeys(s.detail) : undefined), [s.detail])
  const indexes = useMemo(() => (s.detail ? indexSpecs(s.detail) : []), [s.detail])
  const index = indexes.find((i) => i.name === s.indexName)
  const keyNames = useMemo(
    () =>
      new Set(
        [keys?.partitionKey, keys?.sortKey, index?.partitionKey, index?.sortKey].flatMap((k) => (k ? [k.name] : [])),
      ),
    [keys, index],
  )
  const entities = useMemo(
    () => (s.model && s.selectedTable ? entitiesForTable(s.model.entities, s.selectedTable) : []),
    [s.model, s.selectedTable],
  )
  const view = useMemo(() => {
    if (!keys) return undefined
    let ghosts = s.ghosts
    if (ghosts.length) {
      const present = new Set(s.items.map((it) => itemId(it, keys)))
      ghosts = ghosts.filter((g) => !present.has(itemId(g, keys)))
    }
    return buildView(s.items, { table: keys, index, entities, showExcluded: s.showExcluded, ghosts })
  }, [s.items, keys, index, entities, s.showExcluded, s.ghosts])

  // First paint after the data arrives, for the UI benchmark: from the last page's arrival to the next frame.
  const measuredFor = useRef<number | undefined>(undefined)
  useLayoutEffect(() => {
    const arrived = s.itemsArrivedAt
    if (s.itemsState !== 'ready' || arrived === undefined || measuredFor.current === arrived || !view) return
    measuredFor.current = arrived
    requestAnimationFrame(() => performance.measure('tw:first-paint', { start: arrived, end: performance.now() }))
  }, [s.itemsState, s.itemsArrivedAt, view])

  if (!s.selectedTable) {
    return (
      <div className="empty-state">
        <p>{s.tablesCount ? 'Pick a table on the left to see its items.' : 'No tables yet — load the Cruddur sample.'}</p>
        <SampleButton />
      </div>
    )
  }
  if (s.detailError) return <ErrorNote error={s.detailError} hint="Press R to try again, or pick another table." />

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
            <input type="checkbox" checked={s.showExcluded} onChange={(e) => setShowExcluded(e.target.checked)} />
            Show items not in the index
          </label>
        ) : null}
        <span className="grow" />
        <Legend entities={entities} />
        <button type="button" onClick={() => void loadItems()} title="Reload items (R)">
          Reload items
        </button>
      </div>

      <div className="toolbar small">
        {view ? (
          <span role="status" aria-label="View summary">
            {view.itemCount.toLocaleString()} items in {view.groups.filter((g) => !g.excluded).length.toLocaleString()}{' '}
            partitions
            {index ? ` · ${view.excludedCount.toLocaleString()} items not in ${index.name}` : ''}
          </span>
        ) : null}
        {s.highlightLabel ? (
          <span className="highlight-label">
            Highlighted: {s.highlightLabel}{' '}
            <button type="button" className="subtle" onClick={() => setHighlights(undefined, new Map())}>
              Clear highlights
            </button>
          </span>
        ) : null}
      </div>

      {s.itemsState === 'loading' ? <ProgressBar label="Loading items" done={s.itemsLoaded} total={s.itemsExpected} /> : null}
      {s.itemsError ? <ErrorNote error={s.itemsError} hint="Press R to reload." /> : null}
      {s.itemsState === 'ready' && s.items.length === 0 ? (
        <div className="empty-state">
          <p>This table is empty — seed it from Schema & data, or load the Cruddur sample.</p>
          <SampleButton />
        </div>
      ) : null}

      {view && view.rows.length > 0 ? (
        <ItemsGrid
          rows={view.rows}
          highlights={s.highlights}
          selectedId={s.selectedItem && keys ? itemId(s.selectedItem, keys) : undefined}
          onSelect={selectItem}
          keyNames={keyNames}
          label={index ? `Items in ${index.name}` : 'Items'}
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

/** Binary search: the last group header at or above a row index. */
function lastHeaderAtOrBefore(headers: number[], index: number): number {
  let lo = 0
  let hi = headers.length - 1
  let found = 0
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (headers[mid]! <= index) {
      found = headers[mid]!
      lo = mid + 1
    } else hi = mid - 1
  }
  return found
}

function ItemsGrid(props: {
  rows: ViewRow[]
  highlights: Map<string, Highlight>
  selectedId?: string
  onSelect(item: ItemJson): void
  keyNames: ReadonlySet<string>
  label: string
}) {
  const { rows, keyNames } = props
  const scrollRef = useRef<HTMLDivElement>(null)
  const headers = useMemo(() => {
    const out: number[] = []
    rows.forEach((r, i) => r.kind === 'group' && out.push(i))
    return out
  }, [rows])
  const activeSticky = useRef(0)
  const rangeExtractor = useCallback(
    (range: Range) => {
      activeSticky.current = lastHeaderAtOrBefore(headers, range.startIndex)
      const next = new Set([activeSticky.current, ...defaultRangeExtractor(range)])
      return [...next].sort((a, b) => a - b)
    },
    [headers],
  )
  // The virtualizer hands out functions React Compiler cannot memoise; this component opts out knowingly.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => (rows[i]?.kind === 'group' ? GROUP_HEIGHT : ROW_HEIGHT),
    overscan: 6,
    rangeExtractor,
    getItemKey: (i) => rows[i]!.id,
  })
  const width = useMemo(
    () =>
      rows.reduce(
        (w, r) => (r.kind === 'group' ? Math.max(w, FIRST_COL + r.group.columns.reduce((n, c) => n + widthOf(c, keyNames), 0)) : w),
        FIRST_COL,
      ) + (FIRST_COL + COL),
    [rows, keyNames],
  )

  useEffect(() => {
    // A new highlight set (a pattern result or a message) scrolls to its first row.
    const first = rows.findIndex((r) => r.kind === 'item' && props.highlights.has(r.item.id))
    if (first >= 0) virtualizer.scrollToIndex(first, { align: 'center' })
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the highlight set changes
  }, [props.highlights])

  return (
    <div ref={scrollRef} className="vgrid" role="grid" aria-label={props.label} aria-rowcount={rows.length}>
      <div style={{ height: virtualizer.getTotalSize(), width, position: 'relative' }} role="rowgroup">
        {virtualizer.getVirtualItems().map((v) => {
          const row = rows[v.index]!
          const sticky = row.kind === 'group' && v.index === activeSticky.current
          return row.kind === 'group' ? (
            <GroupRow key={v.key} row={row} start={v.start} sticky={sticky} width={width} index={v.index} keyNames={keyNames} />
          ) : (
            <ItemRow
              key={v.key}
              row={row}
              start={v.start}
              width={width}
              index={v.index}
              highlight={props.highlights.get(row.item.id)}
              selected={props.selectedId === row.item.id && !row.item.ghost}
              onSelect={props.onSelect}
              keyNames={keyNames}
            />
          )
        })}
      </div>
    </div>
  )
}

/** Position of a row: props are plain numbers so memoised rows skip re-rendering while the grid scrolls. */
const rowStyle = (start: number, width: number, sticky = false): CSSProperties =>
  sticky
    ? { position: 'sticky', top: 0, zIndex: 2, width }
    : { position: 'absolute', top: 0, transform: `translateY(${start}px)`, width }

const GroupRow = memo(function GroupRow({
  row,
  start,
  sticky,
  width,
  index,
  keyNames,
}: {
  row: Extract<ViewRow, { kind: 'group' }>
  start: number
  sticky: boolean
  width: number
  index: number
  keyNames: ReadonlySet<string>
}) {
  const style = rowStyle(start, width, sticky)
  const g = row.group
  const cols = g.excluded ? ['reason', ...g.columns] : g.columns.slice(1)
  const removed = g.items.reduce((n, v) => n + (v.ghost ? 1 : 0), 0)
  const stored = g.items.length - removed
  return (
    <div role="row" aria-rowindex={index + 1} className={g.excluded ? 'vrow group excluded' : 'vrow group'} style={style}>
      <div role="rowheader" className="vcell first stack" style={{ width: FIRST_COL }} title={g.pk}>
        {g.excluded ? <strong>Not in this index</strong> : <strong className="pk ellipsis">{g.pk}</strong>}
        <span className="muted">
          {stored.toLocaleString()} {stored === 1 ? 'item' : 'items'} · {formatBytes(g.sizeBytes)}
          {removed ? ` · ${removed} removed` : ''}
        </span>
      </div>
      {cols.map((c) => (
        <div
          role="columnheader"
          key={c}
          className="vcell colname"
          style={{ width: c === 'reason' ? FIRST_COL + COL : widthOf(c, keyNames) }}
        >
          {c}
        </div>
      ))}
    </div>
  )
})

const ItemRow = memo(function ItemRow({
  row,
  start,
  width,
  index,
  highlight,
  selected,
  onSelect,
  keyNames,
}: {
  row: Extract<ViewRow, { kind: 'item' }>
  start: number
  width: number
  index: number
  highlight?: Highlight
  selected: boolean
  onSelect(item: ItemJson): void
  keyNames: ReadonlySet<string>
}) {
  const { item, group } = row
  const cols = group.excluded ? group.columns : group.columns.slice(1)
  const mark = item.ghost ? 'removed' : highlight
  const style = rowStyle(start, width)
  return (
    <div
      role="row"
      aria-rowindex={index + 1}
      aria-selected={selected}
      tabIndex={item.ghost ? -1 : 0}
      className={`vrow item${mark ? ` hl-${mark}` : ''}${selected ? ' selected' : ''}`}
      style={{ ...style, borderLeftColor: item.colour ?? 'transparent' }}
      onClick={() => !item.ghost && onSelect(item.item)}
      onKeyDown={(e) => {
        if ((e.key === 'Enter' || e.key === ' ') && !item.ghost) {
          e.preventDefault()
          onSelect(item.item)
        }
      }}
    >
      <div role="cell" className="vcell first" style={{ width: FIRST_COL }}>
        <span className="entity" style={{ color: item.colour }}>
          {item.entity ?? 'item'}
        </span>{' '}
        {mark ? <span className={`mark mark-${mark}`}>{mark}</span> : null}
      </div>
      {group.excluded ? (
        <div role="cell" className="vcell reason" style={{ width: FIRST_COL + COL }}>
          {item.excludedReason}
        </div>
      ) : null}
      {cols.map((c) => (
        <div role="cell" key={c} className="vcell" style={{ width: widthOf(c, keyNames) }}>
          {displayValue(item.item[c], 60)}
        </div>
      ))}
    </div>
  )
})
