import type { StateCreator } from 'zustand'
import type { FlowStep, RecipeRunResult, RunHistorySummary } from '../../shared/contract/channels/workbench'
import type { Model } from '../../shared/domain/model'
import { highlightsFor } from '../../shared/domain/diff'
import { call } from '../bridge/bridge'
import { toUiError, type UiError } from './connections.slice'
import { tableKeys } from './workbench.slice'
import type { AppState } from './store'

export interface RecipesSlice {
  selectedRecipeId?: string
  /** What the user typed, per recipe: kept through errors and tab switches. */
  recipeParams: Record<string, Record<string, string>>
  recipeMode: 'auto' | 'transaction' | 'steps' | 'recipe'
  flow?: {
    title: string
    steps: FlowStep[]
    run?: Omit<RecipeRunResult, 'steps'>
  }
  /** How many steps of the timeline are revealed (Next / Play). */
  flowShown: number
  recordsProcessed: number
  recipeBusy?: string
  recipeError?: UiError
  selectRecipe(id: string): void
  setRecipeParam(recipeId: string, name: string, value: string): void
  setRecipeMode(mode: RecipesSlice['recipeMode']): void
  runRecipe(recipeId: string): Promise<void>
  /** Runs the table's handler again on one stream record (from `tableName`, else the open table). */
  replay(sequenceNumber: string, tableName?: string): Promise<void>
  showSteps(n: number): void
  /** Earlier runs and replays of the open model (newest first), and which one the timeline shows. */
  runHistory: RunHistorySummary[]
  shownRunId?: string
  loadRunHistory(): Promise<void>
  /** Shows an earlier run's timeline again (nothing is re-run). */
  showRun(id: string): Promise<void>
}

/** The open model's first table with a stream: where a replayed record comes from when no table is selected. */
const streamTableOf = (model: Model | undefined) =>
  (model?.tables.find((t) => t.stream) ?? model?.tables[0])?.name ?? ''

export const createRecipesSlice: StateCreator<AppState, [], [], RecipesSlice> = (set, get) => {
  const afterFlow = async (title: string, steps: FlowStep[], run?: Omit<RecipeRunResult, 'steps'>) => {
    set({ flow: { title, steps, ...(run ? { run } : {}) }, flowShown: Math.min(1, steps.length) })
    void get().loadRunHistory()
    const detail = get().detail
    if (detail) {
      const mine = steps.filter((s) => !s.table || s.table === detail.name)
      const { highlights, ghosts } = highlightsFor(mine, tableKeys(detail))
      get().setHighlights(title, highlights, ghosts)
    }
    await get().loadItems()
  }
  return {
    recipeParams: {},
    recipeMode: 'recipe',
    flowShown: 0,
    recordsProcessed: 0,
    runHistory: [],
    async loadRunHistory() {
      const { modelId } = get()
      if (!modelId) return
      try {
        const runHistory = await call('recipes:history', { modelId })
        if (get().modelId === modelId) set({ runHistory, shownRunId: runHistory[0]?.id })
      } catch {
        // The history is a convenience; the timeline itself is already shown.
      }
    },
    async showRun(id) {
      const { modelId } = get()
      if (!modelId) return
      try {
        const entry = await call('recipes:historyGet', { modelId, id })
        set({
          flow: { title: entry.title, steps: entry.steps, ...(entry.run ? { run: entry.run } : {}) },
          flowShown: Math.min(1, entry.steps.length),
          shownRunId: id,
          recipeError: undefined,
        })
      } catch (err) {
        set({ recipeError: toUiError(err) })
      }
    },
    selectRecipe(id) {
      set({ selectedRecipeId: id })
    },
    setRecipeParam(recipeId, name, value) {
      const all = get().recipeParams
      set({ recipeParams: { ...all, [recipeId]: { ...all[recipeId], [name]: value } } })
    },
    setRecipeMode(mode) {
      set({ recipeMode: mode })
    },
    async runRecipe(recipeId) {
      const { activeConnectionId: connectionId, modelId, model, recipeMode } = get()
      const recipe = model?.recipes.find((r) => r.id === recipeId)
      if (!connectionId || !recipe) return
      const typed = get().recipeParams[recipeId] ?? {}
      const params: Record<string, string> = {}
      for (const p of recipe.params) {
        const raw = typed[p.name] ?? (p.default === undefined ? '' : String(p.default))
        // Left empty: the services use the default or generate a fresh uuid / time.
        if (raw !== '') params[p.name] = raw
      }
      set({ recipeBusy: `Running ${recipe.name}…`, recipeError: undefined })
      try {
        const result = await call('recipes:run', {
          connectionId,
          modelId,
          recipeId,
          params,
          ...(recipeMode !== 'recipe' ? { mode: recipeMode } : {}),
        })
        if (get().activeConnectionId !== connectionId) return
        set({ recordsProcessed: get().recordsProcessed + result.recordsProcessed })
        const { steps, ...run } = result
        await afterFlow(recipe.name, steps, run)
      } catch (err) {
        set({ recipeError: toUiError(err) })
      } finally {
        set({ recipeBusy: undefined })
      }
    },
    async replay(sequenceNumber, table) {
      const { activeConnectionId: connectionId, modelId } = get()
      if (!connectionId) return
      const tableName = table ?? get().detail?.name ?? streamTableOf(get().model)
      set({ recipeBusy: 'Replaying the stream record…', recipeError: undefined })
      try {
        const result = await call('stream:replay', { connectionId, modelId, tableName, sequenceNumber })
        set({ recordsProcessed: get().recordsProcessed + 1 })
        await afterFlow(`Replay of record ${sequenceNumber}`, result.steps)
      } catch (err) {
        set({ recipeError: toUiError(err) })
      } finally {
        set({ recipeBusy: undefined })
      }
    },
    showSteps(n) {
      const total = get().flow?.steps.length ?? 0
      set({ flowShown: Math.max(0, Math.min(total, n)) })
    },
  }
}
