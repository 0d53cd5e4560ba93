import type { StateCreator } from 'zustand'
import type { PatternRunResult } from '../../shared/contract/channels/workbench'
import { itemId, type KeySchemaView } from '../../shared/domain/grouping'
import type { Highlight } from '../../shared/domain/diff'
import { call } from '../bridge/bridge'
import { toUiError, type UiError } from './connections.slice'
import { tableKeys } from './workbench.slice'
import type { AppState } from './store'

export type Participants = Awaited<ReturnType<typeof call<'data:participants'>>>

export interface PatternsSlice {
  selectedPatternId?: string
  /** What the user typed, per pattern: kept through errors and tab switches. */
  patternParams: Record<string, Record<string, string>>
  patternResults: Record<string, PatternRunResult>
  patternErrors: Record<string, UiError | undefined>
  patternRunning?: string
  participants?: Participants
  participantsError?: UiError
  selectPattern(id: string): void
  setPatternParam(patternId: string, name: string, value: string): void
  runPattern(patternId: string): Promise<void>
  /** Opens the visualizer on the pattern's own table and index, its last result highlighted. */
  showPatternInVisualizer(patternId: string): Promise<void>
  loadParticipants(): Promise<void>
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
  patternErrors: {},
  selectPattern(id) {
    set({ selectedPatternId: id })
  },
  setPatternParam(patternId, name, value) {
    const all = get().patternParams
    set({ patternParams: { ...all, [patternId]: { ...all[patternId], [name]: value } } })
  },
  async runPattern(patternId) {
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
    set({ patternRunning: patternId, patternErrors: { ...get().patternErrors, [patternId]: undefined } })
    try {
      const result = await call('patterns:run', { connectionId, modelId, patternId, params })
      if (get().activeConnectionId !== connectionId) return
      set({ patternResults: { ...get().patternResults, [patternId]: result } })
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
  async loadParticipants() {
    const { activeConnectionId: connectionId, modelId } = get()
    if (!connectionId) return
    try {
      const participants = await call('data:participants', { connectionId, modelId })
      if (get().activeConnectionId === connectionId) set({ participants, participantsError: undefined })
    } catch (err) {
      if (get().activeConnectionId === connectionId) set({ participantsError: toUiError(err) })
    }
  },
})
