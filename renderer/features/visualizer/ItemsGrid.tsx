import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual'
import {
  memo,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type FocusEvent,
  type KeyboardEvent,
  type MouseEvent,
  type UIEvent,
} from 'react'
import type { ItemJson } from '../../../shared/contract/channels/workbench'
import type { Highlight } from '../../../shared/domain/diff'
import type { ViewRow } from '../../../shared/domain/grouping'
import { cellText, groupSummary } from './cell-text'
import { isNavKey, isSelectable, moveCursor } from './grid-nav'
import './visualizer.css'

/** Fixed sizes (set in visualizer.css too): the virtualizer never measures a row, and rows can use size containment. */
const ROW_HEIGHT = 28
const GROUP_HEIGHT = 40
const FIRST_COL = 300
const COL = 200
const KEY_COL = 250
/**
 * Rows rendered past each edge. A scroll frame mounts the rows it uncovers whatever the overscan, so more overscan
 * only adds DOM to style and lay out; a few rows hide the mount of the next ones behind the edge.
 */
const OVERSCAN = 4

/** Key columns are wider: their values (ISO timestamps, prefixed uuids) are what people scan for. */
const widthOf = (name: string, keyNames: ReadonlySet<string>) => (keyNames.has(name) ? KEY_COL : COL)
/**
 * The same widths as classes (visualizer.css): cells mount by the hundred while scrolling, and a class is cheaper for
 * the browser than an inline style on each of them (no style attribute to parse, and styles shared between cells).
 */
const widthClass = (name: string, keyNames: ReadonlySet<string>) => (keyNames.has(name) ? 'w-key' : 'w-col')

/** Frozen key columns past the first one (their `left` offsets are classes f1…f3 in visualizer.css). */
const MAX_FROZEN = 3
/** How many of a row's leading columns are keys: they stay in place when the grid scrolls right. */
function frozenCount(cols: readonly string[], keyNames: ReadonlySet<string>): number {
  let n = 0
  while (n < cols.length && n < MAX_FROZEN && keyNames.has(cols[n]!)) n++
  return n
}
const cellClass = (c: string, i: number, frozen: number, keyNames: ReadonlySet<string>) =>
  `${widthClass(c, keyNames)}${i < frozen ? ` frozen f${i + 1}` : ''}`

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

export interface ItemsGridProps {
  rows: ViewRow[]
  highlights: Map<string, Highlight>
  /** The item open in the inspector. */
  openId?: string
  onOpen(item: ItemJson): void
  keyNames: ReadonlySet<string>
  label: string
  /** Scrolls to this row (a partition header) and puts the cursor on its first item; `seq` repeats a jump. */
  jumpTo?: { rowId: string; seq: number }
  /** Items picked for a bulk action, by item id; with `onPick`, rows get a checkbox. */
  picked?: ReadonlySet<string>
  /** Toggles one row's pick, or (`add`) picks a range of rows (shift-click). */
  onPick?(rows: { id: string; item: ItemJson }[], mode: 'toggle' | 'add'): void
}

/**
 * The virtualized grid. Keyboard: the grid holds the focus and points at the cursor row with
 * aria-activedescendant (rows come and go as it scrolls, so they cannot hold the focus themselves); arrows, Home,
 * End, PageUp and PageDown move the cursor and scroll it into view, Enter opens it in the inspector. Where the grid
 * offers picking (`onPick`), Space picks the cursor row (Shift+Space a range) and Space no longer opens.
 */
export function ItemsGrid({
  rows,
  highlights,
  openId,
  onOpen,
  keyNames,
  label,
  jumpTo,
  picked,
  onPick,
}: ItemsGridProps) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const rowIdPrefix = useId()
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
  // Stable options: the virtualizer recomputes every row's offset whenever getItemKey changes identity, which at
  // 100k rows was most of each scroll frame's work when it was a new arrow function on every render.
  const getItemKey = useCallback((i: number) => rows[i]!.id, [rows])
  const estimateSize = useCallback(
    (i: number) => (rows[i]?.kind === 'group' ? GROUP_HEIGHT : ROW_HEIGHT),
    [rows],
  )
  const getScrollElement = useCallback(() => scrollRef.current, [])
  // The virtualizer hands out functions React Compiler cannot memoise; this component opts out knowingly.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement,
    estimateSize,
    overscan: OVERSCAN,
    rangeExtractor,
    getItemKey,
    // The sticky partition header covers the top of the viewport: scrolling a row into view keeps it below.
    scrollPaddingStart: GROUP_HEIGHT,
  })
  const width = useMemo(
    () =>
      rows.reduce(
        (w, r) =>
          r.kind === 'group'
            ? Math.max(w, FIRST_COL + r.group.columns.reduce((n, c) => n + widthOf(c, keyNames), 0))
            : w,
        FIRST_COL,
      ) +
      (FIRST_COL + COL),
    [rows, keyNames],
  )

  // The cursor is an item id, so it survives reloads and view switches; it follows the item opened elsewhere.
  const [cursorId, setCursorId] = useState(openId)
  const [followedOpenId, setFollowedOpenId] = useState(openId)
  if (openId !== followedOpenId) {
    setFollowedOpenId(openId)
    if (openId !== undefined) setCursorId(openId)
  }
  const cursor = useMemo(
    () => (cursorId === undefined ? -1 : rows.findIndex((r) => r.kind === 'item' && r.id === cursorId)),
    [rows, cursorId],
  )

  const moveTo = useCallback(
    (index: number) => {
      const row = rows[index]
      if (index < 0 || !row) return
      setCursorId(row.id)
      virtualizer.scrollToIndex(index, { align: 'auto' })
    },
    [rows, virtualizer],
  )

  // The row a shift-click range starts from: the last row picked or unpicked by itself.
  const anchor = useRef<string | undefined>(undefined)
  const pick = (index: number, range: boolean) => {
    const row = rows[index]
    if (!onPick || row?.kind !== 'item' || !isSelectable(row)) return
    const from = range && anchor.current ? rows.findIndex((r) => r.id === anchor.current) : -1
    if (from >= 0) {
      const [lo, hi] = from < index ? [from, index] : [index, from]
      const span = rows
        .slice(lo, hi + 1)
        .filter((r): r is Extract<ViewRow, { kind: 'item' }> => r.kind === 'item' && isSelectable(r))
      onPick(
        span.map((r) => ({ id: r.item.id, item: r.item.item })),
        'add',
      )
    } else {
      anchor.current = row.id
      onPick([{ id: row.item.id, item: row.item.item }], 'toggle')
    }
  }

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // Space picks the cursor row for a bulk action (where the grid offers one); Enter opens it.
    if (e.key === ' ' && onPick && !e.altKey && !e.ctrlKey && !e.metaKey && isSelectable(rows[cursor])) {
      e.preventDefault()
      pick(cursor, e.shiftKey)
      return
    }
    if (e.altKey || e.ctrlKey || e.metaKey) return
    if (isNavKey(e.key)) {
      e.preventDefault()
      const el = scrollRef.current
      const pageRows = el ? Math.floor((el.clientHeight - GROUP_HEIGHT) / ROW_HEIGHT) : 1
      moveTo(moveCursor(rows, cursor, e.key, pageRows))
    } else if ((e.key === 'Enter' || e.key === ' ') && isSelectable(rows[cursor])) {
      e.preventDefault()
      const row = rows[cursor]
      if (row?.kind === 'item') onOpen(row.item.item)
    }
  }

  const onFocus = (e: FocusEvent<HTMLDivElement>) => {
    // Focus arriving without a cursor puts it on the open item if it is in sight, else on the first item in sight.
    // It never scrolls: a click focuses the grid just before it picks its own row.
    if (e.target !== e.currentTarget || cursor >= 0) return
    const el = e.currentTarget
    const top = el.scrollTop + GROUP_HEIGHT - ROW_HEIGHT / 2
    const bottom = el.scrollTop + el.clientHeight
    const inSight = virtualizer
      .getVirtualItems()
      .filter((v) => v.start >= top && v.end <= bottom && isSelectable(rows[v.index]))
    const pick = inSight.find((v) => rows[v.index]!.id === openId) ?? inSight[0]
    if (pick) setCursorId(rows[pick.index]!.id)
  }

  // Frozen columns pin only while the grid is scrolled right (visualizer.css says why). Set on the element here,
  // not through React state, so it applies in the frame that scrolled; React renders no data-hscrolled, so it
  // never resets it.
  const onScroll = (e: UIEvent<HTMLDivElement>) => {
    const el = e.currentTarget
    const right = el.scrollLeft > 0
    if (right !== el.hasAttribute('data-hscrolled')) el.toggleAttribute('data-hscrolled', right)
  }

  // One listener for every row: rows mount and unmount while scrolling, so they carry no handlers of their own.
  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    const el = (e.target as HTMLElement).closest<HTMLElement>('[data-row]')
    const index = Number(el?.dataset.row)
    const row = rows[index]
    if (!row || row.kind !== 'item' || !isSelectable(row)) return
    setCursorId(row.id)
    // The row's checkbox, or a ctrl/cmd/shift-click anywhere on the row, picks instead of opening.
    if (
      onPick &&
      ((e.target as HTMLElement).closest('[data-pick]') || e.ctrlKey || e.metaKey || e.shiftKey)
    ) {
      pick(index, e.shiftKey)
      return
    }
    onOpen(row.item.item)
  }

  useEffect(() => {
    // A new highlight set (a pattern result or a message) scrolls to its first row.
    const first = rows.findIndex((r) => r.kind === 'item' && highlights.has(r.item.id))
    if (first >= 0) virtualizer.scrollToIndex(first, { align: 'center' })
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the highlight set changes
  }, [highlights])

  useEffect(() => {
    if (!jumpTo) return
    const at = rows.findIndex((r) => r.id === jumpTo.rowId)
    if (at < 0) return
    virtualizer.scrollToIndex(at, { align: 'start' })
    const first = rows[at + 1]
    if (first?.kind === 'item') setCursorId(first.id)
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when a jump is asked for
  }, [jumpTo])

  const items = virtualizer.getVirtualItems()
  const rowId = (index: number) => `${rowIdPrefix}-r${index}`
  const cursorShown = cursor >= 0 && items.some((v) => v.index === cursor)

  return (
    <div
      ref={scrollRef}
      className={virtualizer.isScrolling ? 'vgrid scrolling' : 'vgrid'}
      role="grid"
      aria-label={label}
      aria-rowcount={rows.length}
      aria-activedescendant={cursorShown ? rowId(cursor) : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onFocus={onFocus}
      onClick={onClick}
      onScroll={onScroll}
    >
      <div style={{ height: virtualizer.getTotalSize(), width, position: 'relative' }} role="rowgroup">
        {items.map((v) => {
          const row = rows[v.index]!
          const sticky = row.kind === 'group' && v.index === activeSticky.current
          return row.kind === 'group' ? (
            <GroupRow
              key={v.key}
              row={row}
              start={v.start}
              sticky={sticky}
              width={width}
              index={v.index}
              keyNames={keyNames}
            />
          ) : (
            <ItemRow
              key={v.key}
              id={rowId(v.index)}
              row={row}
              start={v.start}
              width={width}
              index={v.index}
              highlight={highlights.get(row.item.id)}
              cursor={v.index === cursor}
              open={openId === row.item.id && !row.item.ghost}
              keyNames={keyNames}
              picked={onPick ? (picked?.has(row.item.id) ?? false) : undefined}
            />
          )
        })}
      </div>
    </div>
  )
}

const ignore = () => undefined

/** Position of a row: props are plain numbers so memoised rows skip re-rendering while the grid scrolls. */
const rowStyle = (start: number, width: number, sticky = false): CSSProperties =>
  sticky ? { position: 'sticky', top: 0, zIndex: 2, width } : { position: 'absolute', top: start, width }

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
  const g = row.group
  const cols = g.excluded ? g.columns : g.columns.slice(1)
  const frozen = frozenCount(cols, keyNames)
  return (
    <div
      role="row"
      aria-rowindex={index + 1}
      className={g.excluded ? 'vrow group excluded' : 'vrow group'}
      style={rowStyle(start, width, sticky)}
    >
      {g.excluded ? (
        <div role="rowheader" className="vcell first stack w-first frozen" title={g.reason}>
          <strong className="ellipsis">Not in this index · {groupSummary(g)}</strong>
          <span className="reason ellipsis">{g.reason}</span>
        </div>
      ) : (
        <div role="rowheader" className="vcell first stack w-first frozen" title={g.pk}>
          <strong className="pk ellipsis">{g.pk}</strong>
          <span className="muted">{groupSummary(g)}</span>
        </div>
      )}
      {cols.map((c, i) => (
        <div role="columnheader" key={c} className={`vcell colname ${cellClass(c, i, frozen, keyNames)}`}>
          {c}
        </div>
      ))}
    </div>
  )
})

const ItemRow = memo(function ItemRow({
  id,
  row,
  start,
  width,
  index,
  highlight,
  cursor,
  open,
  keyNames,
  picked,
}: {
  id: string
  row: Extract<ViewRow, { kind: 'item' }>
  start: number
  width: number
  index: number
  highlight?: Highlight
  cursor: boolean
  open: boolean
  keyNames: ReadonlySet<string>
  /** Undefined where the grid offers no picking. */
  picked?: boolean
}) {
  const { item, group } = row
  const cols = group.excluded ? group.columns : group.columns.slice(1)
  const frozen = frozenCount(cols, keyNames)
  const mark = item.ghost ? 'removed' : highlight
  return (
    <div
      id={id}
      role="row"
      data-row={index}
      aria-rowindex={index + 1}
      aria-selected={item.ghost ? undefined : cursor}
      aria-current={open || undefined}
      aria-disabled={item.ghost || undefined}
      className={`vrow item${mark ? ` hl-${mark}` : ''}${open ? ' selected' : ''}${cursor ? ' cursor' : ''}`}
      style={{ ...rowStyle(start, width), borderLeftColor: item.colour ?? 'transparent' }}
    >
      <div role="gridcell" className="vcell first w-first frozen">
        <span className="entity" style={{ borderLeftColor: item.colour }}>
          {item.entity ?? 'item'}
        </span>{' '}
        {mark ? <span className={`mark mark-${mark}`}>{mark}</span> : null}
        {/* Last in the cell, so the row's name still starts with its entity. */}
        {picked !== undefined && !item.ghost ? (
          <input
            type="checkbox"
            data-pick
            className="pick"
            tabIndex={-1}
            checked={picked}
            // The grid's click handler picks (it knows shift-click ranges); React needs a handler on a controlled box.
            onChange={ignore}
            aria-label={`Select ${[...keyNames].map((k) => cellText(item.item, k)).join(' / ')}`}
          />
        ) : null}
      </div>
      {cols.map((c, i) => (
        <div role="gridcell" key={c} className={`vcell ${cellClass(c, i, frozen, keyNames)}`}>
          {cellText(item.item, c)}
        </div>
      ))}
    </div>
  )
})
