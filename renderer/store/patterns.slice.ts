import type { StateCreator } from 'zustand'
import type { ItemJson, PatternRunResult } from '../../shared/contract/channels/workbench'
import { itemId, type KeySchemaView } from '../../shared/domain/grouping'
import type { Highlight } from '../../shared/domain/diff'
import { call } from '../bridge/bridge'
import { toUiError, type UiError } from './connections.slice'
import { tableKeys } from './workbench.slice'
import type { AppState } from './store'

export interface PatternsSlice {
  selectedPatternId?: string
  /** What the user typed, per pattern: kept through errors and tab switches. */
  patternParams: Record<string, Record<string, string>>
  patternResults: Record<string, PatternRunResult>
  /** The limit typed per pattern ('' = the pattern's own). */
  patternLimits: Record<string, string>
  /** Which page a pattern's result is (1 = first), and the keys that started each page, for paging back. */
  patternPages: Record<string, { page: number; starts: (ItemJson | undefined)[] }>
  patternErrors: Record<string, UiError | undefined>
  patternRunning?: string
  selectPattern(id: string): void
  setPatternParam(patternId: string, name: string, value: string): void
  setPatternLimit(patternId: string, value: string): void
  /** Runs a pattern: from the start, or (`next`) from the last result's LastEvaluatedKey, or back a page. */
  runPattern(patternId: string, page?: 'first' | 'next' | 'previous'): Promise<void>
  /** Opens the visualizer on the pattern's own table and index, its last result highlighted. */
  showPatternInVisualizer(patternId: string): Promise<void>
}

/**
 * Highlights a pattern's items on the pattern's own table. An item's identity needs only the names of the table's
 * keys, which the model has, so this works before that table is open.
 */
function highlightResult(
  get: () => AppState,
  pattern: { id: string; table: string },
  result: PatternRunResult,
): void {
  const detail = get().detail
  const spec = get().model?.tables.find((t) => t.name === pattern.table)
  const name = (type: 'HASH' | 'RANGE') => spec?.keySchema.find((k) => k.keyType === type)?.attributeName
  const pk = name('HASH')
  const sk = name('RANGE')
  const keys: KeySchemaView | undefined =
    detail?.name === pattern.table
      ? tableKeys(detail)
      : pk
        ? { partitionKey: { name: pk, type: 'S' }, sortKey: sk ? { name: sk, type: 'S' } : undefined }
        : undefined
  if (!keys) return
  const highlights = new Map<string, Highlight>(result.items.map((it) => [itemId(it, keys), 'result']))
  get().setHighlights(`Pattern ${pattern.id}: ${result.items.length} items`, highlights, [], pattern.table)
}

export const createPatternsSlice: StateCreator<AppState, [], [], PatternsSlice> = (set, get) => ({
  patternParams: {},
  patternResults: {},
  patternLimits: {},
  patternPages: {},
  patternErrors: {},
  selectPattern(id) {
    set({ selectedPatternId: id })
  },
  setPatternParam(patternId, name, value) {
    const all = get().patternParams
    set({ patternParams: { ...all, [patternId]: { ...all[patternId], [name]: value } } })
  },
  setPatternLimit(patternId, value) {
    set({ patternLimits: { ...get().patternLimits, [patternId]: value } })
  },
  async runPattern(patternId, page = 'first') {
    const { activeConnectionId: connectionId, modelId, model } = get()
    const pattern = model?.accessPatterns.find((p) => p.id === patternId)
    if (!connectionId || !pattern) return
    const typed = get().patternParams[patternId] ?? {}
    const params: Record<string, string | number> = {}
    for (const p of pattern.params) {
      const raw = typed[p.name] ?? (p.default === undefined ? '' : String(p.default))
      if (raw === '') continue
      // A number goes as typed: the services read it exactly (Number() would round a 38-digit one).
      params[p.name] = raw
    }
    const typedLimit = get().patternLimits[patternId]?.trim()
    const limit = typedLimit ? Number(typedLimit) : undefined
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 1000)) {
      set({
        patternErrors: {
          ...get().patternErrors,
          [patternId]: { code: 'input.invalid', message: 'The limit is a whole number from 1 to 1000.' },
        },
      })
      return
    }
    const paging = get().patternPages[patternId] ?? { page: 1, starts: [undefined] }
    const last = get().patternResults[patternId]
    let at = 1
    let starts: (ItemJson | undefined)[] = [undefined]
    if (page === 'next' && last?.lastEvaluatedKey) {
      at = paging.page + 1
      starts = [...paging.starts.slice(0, paging.page), last.lastEvaluatedKey]
    } else if (page === 'previous' && paging.page > 1) {
      at = paging.page - 1
      starts = paging.starts.slice(0, at)
    }
    const exclusiveStartKey = starts[at - 1]
    set({ patternRunning: patternId, patternErrors: { ...get().patternErrors, [patternId]: undefined } })
    try {
      const result = await call('patterns:run', {
        connectionId,
        modelId,
        patternId,
        params,
        exclusiveStartKey,
        limit,
      })
      if (get().activeConnectionId !== connectionId) return
      set({
        patternResults: { ...get().patternResults, [patternId]: result },
        patternPages: { ...get().patternPages, [patternId]: { page: at, starts } },
      })
      highlightResult(get, pattern, result)
      if (
        get().selectedTable === pattern.table &&
        pattern.operation !== 'Query' &&
        pattern.operation !== 'GetItem' &&
        pattern.operation !== 'Scan'
      )
        void get().loadItems()
    } catch (err) {
      if (get().activeConnectionId === connectionId)
        set({ patternErrors: { ...get().patternErrors, [patternId]: toUiError(err) } })
    } finally {
      set({ patternRunning: undefined })
    }
  },
  async showPatternInVisualizer(patternId) {
    const pattern = get().model?.accessPatterns.find((p) => p.id === patternId)
    if (!pattern) return
    const result = get().patternResults[patternId]
    if (result) highlightResult(get, pattern, result)
    get().setTab('visualizer')
    if (get().selectedTable !== pattern.table) await get().selectTable(pattern.table)
    get().setIndex(pattern.index)
  },
})
