import { useCallback, useEffect, useRef, useState } from 'react'
import type {
  ItemJson,
  ItemsViewOptions,
  ItemsViewSummary,
  ViewItemRow,
} from '../../../shared/contract/channels/workbench'
import { BridgeError } from '../../bridge/bridge'
import { toUiError, type UiError } from '../../store/connections.slice'
import { reaskDelay, type Asked } from './reask'
import { BLOCK, RowCache, RowLayout } from './row-model'
import type { ViewSource } from './view-source'

/** While a table loads, its view is asked again at most this often after the first page. */
const REASK_MS = 1000
/** Block requests (items:viewRows) in flight at once. */
const MAX_IN_FLIGHT = 3
/** Rows fetched past each edge of the rows in sight, so a steady scroll finds them there. */
const PREFETCH = 100
/** Rows asked for in one call when a range is fetched whole (a shift-click over rows not in yet). */
const SPAN_STEP = 50_000

export interface ItemsView {
  summary?: ItemsViewSummary
  layout?: RowLayout
  /** An item row, if fetched; a new function whenever rows arrive, so the grid re-renders. */
  rowAt(row: number): ViewItemRow | undefined
  /** The row of a stored item (by its table-key id) among the fetched rows or those the view located. */
  rowOfItem(itemId: string): number | undefined
  /** The rows the grid shows (first and last): fetches the blocks around them that are missing. */
  show(from: number, to: number): void
  /** The item rows from `from` to `to` (both included), fetched first where they are not in. */
  span(from: number, to: number): Promise<ViewItemRow[]>
  error?: UiError
  /** performance.now() when the summary arrived. */
  arrivedAt?: number
  /** The locateKey the summary was asked with (its `located` answers for that highlight set). */
  locatedFor?: unknown
  /** The summary is of the current source (not the previous load's, kept on screen while the new one comes). */
  fresh: boolean
}

interface Current {
  scope: string
  locateKey: unknown
  source: ViewSource
  summary: ItemsViewSummary
  layout: RowLayout
  cache: RowCache
  arrivedAt: number
}

export interface ItemsViewArgs {
  /** The connection and table: a view of another one is never shown, a view of an earlier load of this one is. */
  scope: string
  /** undefined: nothing to show (no table, or its first items are not in yet). */
  source: ViewSource | undefined
  /** Items read so far and whether that is all: a change asks the view again. */
  loaded: number
  done: boolean
  indexName?: string
  showExcluded: boolean
  filter: string
  ghosts: ItemJson[]
  modelId?: string
  /** Item ids to locate, read when the view is asked (highlights, cursor, open item). */
  locate(): string[]
  /** Changes of this (the highlight set) ask the view again, for their rows. */
  locateKey: unknown
  /** The host no longer holds the snapshot. */
  onExpired(): void
}

/**
 * A view of the items the host holds: its outline (groups, counts) and the rows the grid shows, fetched in aligned
 * blocks as it scrolls, like a server-side row model. Only the latest view's answers are kept; blocks asked for an
 * earlier view are dropped when they land.
 */
export function useItemsView(args: ItemsViewArgs): ItemsView {
  const { scope, source, loaded, done, indexName, showExcluded, filter, ghosts, modelId, locateKey } = args
  const [current, setCurrent] = useState<Current | undefined>()
  // With the table it is about: another table's failure is not shown.
  const [error, setError] = useState<{ scope: string; error: UiError } | undefined>()
  // Bumped when rows arrive: rowAt changes identity so the grid renders them.
  const [version, setVersion] = useState(0)
  // Bumped to ask the view again: the host let go of the view whose rows were asked for.
  const [reask, setReask] = useState(0)
  const currentRef = useRef<Current | undefined>(undefined)
  // The rows the grid shows (first, last); until it says, the top of the view.
  const range = useRef<[number, number]>([0, 0])
  const seq = useRef(0)
  const lastAsk = useRef<Asked | undefined>(undefined)
  const latest = useRef(args)
  useEffect(() => {
    latest.current = args
  })

  // Only the current source's failures count: an earlier load's snapshot is expected to be gone. A view's rows can be
  // gone while its snapshot is still held (the host rebuilt or dropped the view): the view is asked again, once per
  // view. The view itself gone means the snapshot is: the items are loaded again.
  const reasked = useRef(new WeakSet<RowCache>())
  const fail = useCallback((err: unknown, from: ViewSource, rowsOf?: RowCache) => {
    if (from !== latest.current.source) return
    if (!(err instanceof BridgeError && err.code === 'view.expired'))
      setError({ scope: latest.current.scope, error: toUiError(err) })
    else if (!rowsOf) latest.current.onExpired()
    else if (!reasked.current.has(rowsOf)) {
      reasked.current.add(rowsOf)
      setReask((n) => n + 1)
    }
  }, [])

  // Asks for the missing blocks around the rows in sight, a few at a time; each block that lands asks for more.
  const fill = useCallback(() => {
    const next = () => {
      const cur = currentRef.current
      if (!cur) return
      const { cache, source } = cur
      const [lo, hi] = range.current
      const wanted = new Set([...cache.missing(lo, hi), ...cache.missing(lo - PREFETCH, hi + PREFETCH)])
      for (const b of wanted) {
        if (cache.pendingCount >= MAX_IN_FLIGHT) break
        cache.markPending(b)
        source.rows(cache.viewKey, b * cache.block, cache.block).then(
          (rows) => {
            if (currentRef.current?.cache !== cache) return
            cache.add(rows, b * cache.block, cache.block)
            cache.evict(...range.current)
            setVersion((v) => v + 1)
            next()
          },
          (err: unknown) => {
            cache.release(b)
            if (currentRef.current?.cache === cache) fail(err, source, cache)
          },
        )
      }
    }
    next()
  }, [fail])

  useEffect(() => {
    if (!source) {
      currentRef.current = undefined
      seq.current++
      lastAsk.current = undefined
      return
    }
    const asking = {
      view: [source, indexName, showExcluded, filter, ghosts, modelId, locateKey, reask],
      loaded,
      done,
    }
    const wait = reaskDelay(lastAsk.current, asking, performance.now(), REASK_MS)
    if (wait === undefined) return
    const ask = () => {
      const mine = ++seq.current
      lastAsk.current = { ...asking, at: performance.now() }
      // Ask for the rows in sight with the view, so a new view (or the next page of a load) shows them at once.
      const [lo, hi] = range.current
      const from = Math.floor(Math.max(0, lo) / BLOCK) * BLOCK
      const count = (Math.floor(Math.max(lo, hi) / BLOCK) + 1) * BLOCK - from
      const options: ItemsViewOptions = { indexName, showExcluded, filter, ghosts, modelId }
      source.view({ options, from, count, locate: latest.current.locate().slice(0, 10_000) }).then(
        (summary) => {
          if (mine !== seq.current) return
          const before = currentRef.current
          // The same view (asked again for other ids to locate) keeps the rows already fetched.
          const cache =
            before?.source === source &&
            before.cache.viewKey === summary.viewKey &&
            before.cache.rowCount === summary.rowCount
              ? before.cache
              : new RowCache(summary.viewKey, summary.rowCount)
          cache.add(summary.rows, from, count)
          const arrived: Current = {
            scope,
            locateKey,
            source,
            summary,
            layout: new RowLayout(summary.groups),
            cache,
            arrivedAt: performance.now(),
          }
          currentRef.current = arrived
          setCurrent(arrived)
          setError(undefined)
          fill()
        },
        (err: unknown) => {
          if (mine === seq.current) fail(err, source)
        },
      )
    }
    if (wait <= 0) {
      ask()
      return
    }
    const timer = setTimeout(ask, wait)
    return () => clearTimeout(timer)
  }, [
    scope,
    source,
    indexName,
    showExcluded,
    filter,
    ghosts,
    modelId,
    locateKey,
    reask,
    loaded,
    done,
    fill,
    fail,
  ])

  // While a reload's first view is on its way, the previous view of the same table stays.
  const shown = current?.scope === scope ? current : undefined
  const cache = shown?.cache
  const located = shown?.summary.located
  // eslint-disable-next-line react-hooks/exhaustive-deps -- version: rows arrived in the (mutable) cache
  const rowAt = useCallback((row: number) => cache?.get(row), [cache, version])
  const rowOfItem = useCallback(
    (id: string) => cache?.rowOfItem(id) ?? located?.[id],
    // eslint-disable-next-line react-hooks/exhaustive-deps -- version: rows arrived in the (mutable) cache
    [cache, located, version],
  )
  const show = useCallback(
    (from: number, to: number) => {
      range.current = [from, to]
      fill()
    },
    [fill],
  )
  const span = useCallback(
    async (from: number, to: number) => {
      const cur = currentRef.current
      if (!cur) return []
      const { cache: c, source: src } = cur
      const pick = (rows: Iterable<ViewItemRow | undefined>) =>
        [...rows].filter((r): r is ViewItemRow => r !== undefined && r.row >= from && r.row <= to)
      if (c.has(from, to)) return pick(Array.from({ length: to - from + 1 }, (_, i) => c.get(from + i)))
      try {
        const rows: ViewItemRow[] = []
        // items:viewRows answers at most 100,000 rows a call.
        for (let at = from; at <= to; at += SPAN_STEP)
          rows.push(...(await src.rows(c.viewKey, at, Math.min(SPAN_STEP, to - at + 1))))
        return pick(rows)
      } catch (err) {
        fail(err, src, c)
        return []
      }
    },
    [fail],
  )

  return {
    summary: shown?.summary,
    layout: shown?.layout,
    rowAt,
    rowOfItem,
    show,
    span,
    error: error?.scope === scope ? error.error : undefined,
    arrivedAt: shown?.arrivedAt,
    locatedFor: shown?.locateKey,
    fresh: shown !== undefined && shown.source === source,
  }
}
