import { create } from 'zustand'
import { createConnectionsSlice, type ConnectionsSlice } from './connections.slice'
import { createTablesSlice, type TablesSlice } from './tables.slice'

export type AppState = ConnectionsSlice & TablesSlice

/** One store built from typed slices; components read it through selectors. */
export const useAppStore = create<AppState>()((...a) => ({
  ...createConnectionsSlice(...a),
  ...createTablesSlice(...a),
}))
