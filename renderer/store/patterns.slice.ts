import type { StateCreator } from 'zustand'
import type { PatternRunResult } from '../../shared/contract/channels/workbench'
import { itemId } from '../../shared/domain/grouping'
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
  patternErrors: Record<string, UiError | undefined>
  patternRunning?: string
  selectPattern(id: string): void
  setPatternParam(patternId: string, name: string, value: string): void
  runPattern(patternId: string): Promise<void>
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
      const detail = get().detail
      if (detail && detail.name === pattern.table) {
        const keys = tableKeys(detail)
        const highlights = new Map<string, Highlight>(result.items.map((it) => [itemId(it, keys), 'result']))
        get().setHighlights(`Pattern ${patternId}: ${result.items.length} items`, highlights)
        if (pattern.operation !== 'Query' && pattern.operation !== 'GetItem' && pattern.operation !== 'Scan')
          void get().loadItems()
      }
    } catch (err) {
      if (get().activeConnectionId === connectionId)
        set({ patternErrors: { ...get().patternErrors, [patternId]: toUiError(err) } })
    } finally {
      set({ patternRunning: undefined })
    }
  },
})
