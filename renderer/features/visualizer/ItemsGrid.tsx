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
import type { ItemJson, ViewGroupSummary, ViewItemRow } from '../../../shared/contract/channels/workbench'
import type { Highlight } from '../../../shared/domain/diff'
import { cellText, groupSummary } from './cell-text'
import { isNavKey, moveCursor } from './grid-nav'
import { groupRowId, type RowLayout } from './row-model'
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
/**
 * A group's cells after the first: its columns, less the partition key its header and first cell already show (an
 * excluded group has no partition of its own); `frozen` of them stay in place when scrolling right.
 */
function cellColumns(group: ViewGroupSummary, keyNames: ReadonlySet<string>) {
  const cols = group.excluded ? group.columns : group.columns.slice(1)
  return { cols, frozen: frozenCount(cols, keyNames) }
}
const cellClass = (c: string, i: number, frozen: number, keyNames: ReadonlySet<string>) =>
  `${widthClass(c, keyNames)}${i < frozen ? ` frozen f${i + 1}` : ''}`

export interface ItemsGridProps {
  /** The view's rows, numbered from its groups. */
  layout: RowLayout
  /** Names the view: a cursor kept by row number (its item not fetched yet) holds only within it. */
  viewKey: string
  /** An item row, if fetched (a new function whenever rows arrive). */
  rowAt(row: number): ViewItemRow | undefined
  /** The row of a stored item by its id, among fetched and located rows. */
  rowOfItem(itemId: string): number | undefined
  /** The rows in sight changed: fetch what is missing around them. */
  onRange(from: number, to: number): void
  /** Item rows from..to (both included), fetched where needed (a shift-click range). */
  span(from: number, to: number): Promise<ViewItemRow[]>
  highlights: Map<string, Highlight>
  /** The rows of highlighted items the view located: a new set scrolls to the first. */
  located: Record<string, number>
  /** Whether the view (its `located` and removed rows) was asked with these highlights yet. */
  highlightsInView: boolean
  /** The item open in the inspector. */
  openId?: string
  onOpen(item: ItemJson): void
  /** The cursor's item id, as it moves (so the next view can locate it). */
  onCursor?(itemId: string | undefined): void
  keyNames: ReadonlySet<string>
  label: string
  /** Scrolls to this row (a partition header) and puts the cursor on its first item; `seq` repeats a jump. */
  jumpTo?: { row: number; seq: number }
  /** Items picked for a bulk action, by item id; with `onPick`, rows get a checkbox. */
  picked?: ReadonlySet<string>
  /** Toggles one row's pick, or (`add`) picks a range of rows (shift-click). */
  onPick?(rows: { id: string; item: ItemJson }[], mode: 'toggle' | 'add'): void
}

/** Where the cursor is: an item (by id) once its row is known, else a row of one view (a row not fetched yet). */
interface Cursor {
  id?: string
  row: number
  viewKey: string
}

/**
 * The virtualized grid over a host-held view: headers come from the view's groups, item rows from the fetched
 * windows, and a row not fetched yet shows as a placeholder of the same height until it lands. Keyboard: the grid
 * holds the focus and points at the cursor row with aria-activedescendant (rows come and go as it scrolls, so they
 * cannot hold the focus themselves); arrows, Home, End, PageUp and PageDown move the cursor and scroll it into view,
 * Enter opens it in the inspector. Where the grid offers picking (`onPick`), Space picks the cursor row (Shift+Space
 * a range) and Space no longer opens.
 */
export function ItemsGrid({
  layout,
  viewKey,
  rowAt,
  rowOfItem,
  onRange,
  span,
  highlights,
  located,
  highlightsInView,
  openId,
  onOpen,
  onCursor,
  keyNames,
  label,
  jumpTo,
  picked,
  onPick,
}: ItemsGridProps) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const rowIdPrefix = useId()
  const activeSticky = useRef(0)
  const rangeExtractor = useCallback(
    (range: Range) => {
      activeSticky.current = layout.headerAtOrBefore(range.startIndex)
      const next = new Set([activeSticky.current, ...defaultRangeExtractor(range)])
      return [...next].sort((a, b) => a - b)
    },
    [layout],
  )
  // Stable options: the virtualizer recomputes every row's offset whenever estimateSize or getItemKey changes
  // identity, so it keys rows by their number (a fixed height needs no measuring) and estimateSize changes only with
  // the view. React keys rows by their item instead (below): an element stays with its item when the view changes
  // under it, so a click lands on the item it was aimed at.
  const estimateSize = useCallback((i: number) => (layout.isHeader(i) ? GROUP_HEIGHT : ROW_HEIGHT), [layout])
  const getScrollElement = useCallback(() => scrollRef.current, [])
  // The virtualizer hands out functions React Compiler cannot memoise; this component opts out knowingly.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: layout.rowCount,
    getScrollElement,
    estimateSize,
    overscan: OVERSCAN,
    rangeExtractor,
    // The sticky partition header covers the top of the viewport: scrolling a row into view keeps it below.
    scrollPaddingStart: GROUP_HEIGHT,
  })
  const width = useMemo(
    () =>
      layout.groups.reduce(
        (w, g) =>
          Math.max(
            w,
            FIRST_COL + cellColumns(g, keyNames).cols.reduce((n, c) => n + widthOf(c, keyNames), 0),
          ),
        FIRST_COL,
      ) +
      (FIRST_COL + COL),
    [layout, keyNames],
  )

  // The cursor is an item id where known, so it survives reloads and view switches; it follows the item opened
  // elsewhere.
  const [cursorAt, setCursorAt] = useState<Cursor | undefined>(() =>
    openId === undefined ? undefined : { id: openId, row: -1, viewKey },
  )
  const [followedOpenId, setFollowedOpenId] = useState(openId)
  if (openId !== followedOpenId) {
    setFollowedOpenId(openId)
    if (openId !== undefined) setCursorAt({ id: openId, row: -1, viewKey })
  }
  const known = cursorAt?.id !== undefined ? rowOfItem(cursorAt.id) : undefined
  const cursor =
    known ?? (cursorAt && cursorAt.viewKey === viewKey && cursorAt.row < layout.rowCount ? cursorAt.row : -1)
  // A cursor put on a row before it was fetched takes the row's item once it is in.
  const cursorRow = cursor >= 0 ? rowAt(cursor) : undefined
  if (cursorAt && cursorAt.id === undefined && cursorRow && !cursorRow.ghost)
    setCursorAt({ ...cursorAt, id: cursorRow.itemId })
  const cursorId = cursorAt?.id
  useEffect(() => onCursor?.(cursorId), [onCursor, cursorId])

  // Headers, and fetched removed items, cannot take the cursor; a row not fetched yet counts as an item.
  const selectable = (i: number) => i >= 0 && i < layout.rowCount && !layout.isHeader(i) && !rowAt(i)?.ghost
  const put = (row: number) => {
    const r = rowAt(row)
    setCursorAt({ id: r && !r.ghost ? r.itemId : undefined, row, viewKey })
  }
  const moveTo = (index: number) => {
    if (index < 0 || index >= layout.rowCount) return
    put(index)
    virtualizer.scrollToIndex(index, { align: 'auto' })
  }

  // The row a shift-click range starts from: the last row picked or unpicked by itself.
  const anchor = useRef<{ id: string; row: number; viewKey: string } | undefined>(undefined)
  const pick = (index: number, range: boolean) => {
    const row = rowAt(index)
    if (!onPick || !row || row.ghost) return
    const a = anchor.current
    const from = range && a ? (rowOfItem(a.id) ?? (a.viewKey === viewKey ? a.row : -1)) : -1
    if (from >= 0) {
      const [lo, hi] = from < index ? [from, index] : [index, from]
      void span(lo, hi).then((rows) =>
        onPick(
          rows.filter((r) => !r.ghost).map((r) => ({ id: r.itemId, item: r.item })),
          'add',
        ),
      )
    } else {
      anchor.current = { id: row.itemId, row: index, viewKey }
      onPick([{ id: row.itemId, item: row.item }], 'toggle')
    }
  }

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const row = cursor >= 0 ? rowAt(cursor) : undefined
    const openable = row !== undefined && !row.ghost
    // Space picks the cursor row for a bulk action (where the grid offers one); Enter opens it.
    if (e.key === ' ' && onPick && !e.altKey && !e.ctrlKey && !e.metaKey && openable) {
      e.preventDefault()
      pick(cursor, e.shiftKey)
      return
    }
    if (e.altKey || e.ctrlKey || e.metaKey) return
    if (isNavKey(e.key)) {
      e.preventDefault()
      const el = scrollRef.current
      const pageRows = el ? Math.floor((el.clientHeight - GROUP_HEIGHT) / ROW_HEIGHT) : 1
      moveTo(moveCursor({ count: layout.rowCount, selectable }, cursor, e.key, pageRows))
    } else if ((e.key === 'Enter' || e.key === ' ') && openable) {
      e.preventDefault()
      onOpen(row.item)
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
      .filter((v) => v.start >= top && v.end <= bottom && selectable(v.index))
    const to = inSight.find((v) => openId !== undefined && rowAt(v.index)?.itemId === openId) ?? inSight[0]
    if (to) put(to.index)
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
    const row = el ? rowAt(index) : undefined
    if (!row || row.ghost) return
    put(index)
    // The row's checkbox, or a ctrl/cmd/shift-click anywhere on the row, picks instead of opening.
    if (
      onPick &&
      ((e.target as HTMLElement).closest('[data-pick]') || e.ctrlKey || e.metaKey || e.shiftKey)
    ) {
      pick(index, e.shiftKey)
      return
    }
    onOpen(row.item)
  }

  // A new highlight set (a pattern result or a message) scrolls to its first row once the view has located it.
  const [scrollFor, setScrollFor] = useState<Map<string, Highlight> | undefined>(highlights)
  const [seenHighlights, setSeenHighlights] = useState(highlights)
  if (highlights !== seenHighlights) {
    setSeenHighlights(highlights)
    setScrollFor(highlights)
  }
  useEffect(() => {
    if (!scrollFor?.size || !highlightsInView) return
    let first = -1
    for (const id of scrollFor.keys()) {
      const row = located[id]
      if (row !== undefined && (first < 0 || row < first)) first = row
    }
    // Removed items are shown only with their highlight set, and are not located: the first partition holding one
    // stands for them.
    const removedIn = layout.groups.findIndex((g) => g.removedCount > 0)
    const removedAt = removedIn >= 0 ? layout.headers[removedIn]! : -1
    if (removedAt >= 0 && (first < 0 || removedAt < first)) first = removedAt
    if (first < 0) return
    virtualizer.scrollToIndex(first, { align: 'center' })
    setScrollFor(undefined)
  }, [scrollFor, located, layout, highlightsInView, virtualizer])

  useEffect(() => {
    if (!jumpTo || jumpTo.row < 0 || jumpTo.row >= layout.rowCount) return
    virtualizer.scrollToIndex(jumpTo.row, { align: 'start' })
    if (selectable(jumpTo.row + 1)) put(jumpTo.row + 1)
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when a jump is asked for
  }, [jumpTo])

  const items = virtualizer.getVirtualItems()
  // The sticky header can be far above the rows in sight (a large partition): the rows to fetch start after it.
  const detached = items.length > 1 && items[1]!.index > items[0]!.index + 1
  const firstShown = (detached ? items[1] : items[0])?.index ?? 0
  const lastShown = items.at(-1)?.index ?? -1
  useEffect(() => {
    if (lastShown >= 0) onRange(firstShown, lastShown)
  }, [onRange, firstShown, lastShown, viewKey])

  const rowId = (index: number) => `${rowIdPrefix}-r${index}`
  const cursorShown = cursor >= 0 && items.some((v) => v.index === cursor)

  return (
    <div
      ref={scrollRef}
      className={virtualizer.isScrolling ? 'vgrid scrolling' : 'vgrid'}
      role="grid"
      aria-label={label}
      aria-rowcount={layout.rowCount}
      aria-activedescendant={cursorShown ? rowId(cursor) : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onFocus={onFocus}
      onClick={onClick}
      onScroll={onScroll}
    >
      <div style={{ height: virtualizer.getTotalSize(), width, position: 'relative' }} role="rowgroup">
        {items.map((v) => {
          const group = layout.groupAt(v.index)
          if (!group) return null
          if (layout.isHeader(v.index))
            return (
              <GroupRow
                key={groupRowId(group)}
                group={group}
                start={v.start}
                sticky={v.index === activeSticky.current}
                width={width}
                index={v.index}
                keyNames={keyNames}
              />
            )
          const row = rowAt(v.index)
          return row ? (
            <ItemRow
              key={row.id}
              id={rowId(v.index)}
              row={row}
              group={group}
              start={v.start}
              width={width}
              index={v.index}
              highlight={highlights.get(row.itemId)}
              cursor={v.index === cursor}
              open={openId === row.itemId && !row.ghost}
              keyNames={keyNames}
              picked={onPick ? (picked?.has(row.itemId) ?? false) : undefined}
            />
          ) : (
            <PendingRow
              key={`p:${v.index}`}
              id={rowId(v.index)}
              group={group}
              start={v.start}
              width={width}
              index={v.index}
              cursor={v.index === cursor}
              keyNames={keyNames}
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
  group: g,
  start,
  sticky,
  width,
  index,
  keyNames,
}: {
  group: ViewGroupSummary
  start: number
  sticky: boolean
  width: number
  index: number
  keyNames: ReadonlySet<string>
}) {
  const { cols, frozen } = cellColumns(g, keyNames)
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
  row: item,
  group,
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
  row: ViewItemRow
  group: ViewGroupSummary
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
  const { cols, frozen } = cellColumns(group, keyNames)
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

/** An item row not fetched yet: the same size and place, its cells waiting. */
const PendingRow = memo(function PendingRow({
  id,
  group,
  start,
  width,
  index,
  cursor,
  keyNames,
}: {
  id: string
  group: ViewGroupSummary
  start: number
  width: number
  index: number
  cursor: boolean
  keyNames: ReadonlySet<string>
}) {
  const { cols, frozen } = cellColumns(group, keyNames)
  return (
    <div
      id={id}
      role="row"
      data-row={index}
      aria-rowindex={index + 1}
      aria-selected={cursor}
      aria-busy
      className={`vrow item pending${cursor ? ' cursor' : ''}`}
      style={rowStyle(start, width)}
    >
      <div role="gridcell" className="vcell first w-first frozen muted">
        …
      </div>
      {cols.map((c, i) => (
        <div role="gridcell" key={c} className={`vcell muted ${cellClass(c, i, frozen, keyNames)}`}>
          …
        </div>
      ))}
    </div>
  )
})
