import { create } from 'zustand'
import { createCheckSlice, type CheckSlice } from './check.slice'
import { createConnectionsSlice, type ConnectionsSlice } from './connections.slice'
import { createLayoutSlice, type LayoutSlice } from './layout.slice'
import { createModelDraftSlice, type ModelDraftSlice } from './model-draft.slice'
import { createPatternsSlice, type PatternsSlice } from './patterns.slice'
import { createRecipesSlice, type RecipesSlice } from './recipes.slice'
import { createTablesSlice, type TablesSlice } from './tables.slice'
import { createWorkbenchSlice, type WorkbenchSlice } from './workbench.slice'

export type AppState = ConnectionsSlice &
  TablesSlice &
  WorkbenchSlice &
  PatternsSlice &
  RecipesSlice &
  CheckSlice &
  LayoutSlice &
  ModelDraftSlice

/** One store built from typed slices; components read it through selectors. */
export const useAppStore = create<AppState>()((...a) => ({
  ...createConnectionsSlice(...a),
  ...createTablesSlice(...a),
  ...createWorkbenchSlice(...a),
  ...createPatternsSlice(...a),
  ...createRecipesSlice(...a),
  ...createCheckSlice(...a),
  ...createLayoutSlice(...a),
  ...createModelDraftSlice(...a),
}))
