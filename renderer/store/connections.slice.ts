import type { StateCreator } from 'zustand'
import type {
  ConnectionView,
  EngineStorageAction,
  EngineStorageView,
} from '../../shared/contract/channels/connections'
import { BridgeError, call } from '../bridge/bridge'
import type { AppState } from './store'

export interface UiError {
  code: string
  message: string
}

export const toUiError = (err: unknown): UiError =>
  err instanceof BridgeError
    ? { code: err.code, message: err.message }
    : { code: 'internal', message: err instanceof Error ? err.message : String(err) }

export interface ConnectionsSlice {
  connections: ConnectionView[]
  activeConnectionId?: string
  connectionsError?: UiError
  loadConnections(): Promise<void>
  connect(connectionId: string): Promise<void>
  /** The active embedded connection's storage (data folder and size, or an in-memory session). */
  engineStorage?: EngineStorageView
  engineStorageError?: UiError
  loadEngineStorage(): Promise<void>
  /** 'reset' is sent with confirm: true only after the user confirmed it in the UI. */
  setEngineStorage(action: EngineStorageAction, confirm?: boolean): Promise<void>
}

/**
 * Everything the store holds that came from one connection. Switching connections resets all of it at once, so
 * nothing from the previous connection (its tables, items, results or errors) is ever shown under the next one.
 */
export const connectionDataReset = (): Partial<AppState> => ({
  tables: [],
  tablesState: 'loading',
  tablesError: undefined,
  actionError: undefined,
  busy: undefined,
  selectedTable: undefined,
  detail: undefined,
  detailError: undefined,
  itemsSnapshot: undefined,
  itemsState: 'idle',
  itemsLoaded: 0,
  itemsExpected: undefined,
  itemsError: undefined,
  indexName: undefined,
  selectedItem: undefined,
  inspected: undefined,
  highlights: new Map(),
  ghosts: [],
  highlightLabel: undefined,
  sampleError: undefined,
  patternResults: {},
  patternErrors: {},
  flow: undefined,
  flowShown: 0,
  recipeError: undefined,
})

export const createConnectionsSlice: StateCreator<AppState, [], [], ConnectionsSlice> = (set, get) => ({
  connections: [],
  async loadConnections() {
    try {
      const connections = await call('connections:list', {})
      const active = connections.find((c) => c.active) ?? connections[0]
      set({
        connections,
        activeConnectionId: get().activeConnectionId ?? active?.id,
        connectionsError: undefined,
      })
    } catch (err) {
      set({ connectionsError: toUiError(err) })
    }
  },
  async connect(connectionId) {
    if (connectionId !== get().activeConnectionId) set(connectionDataReset())
    else set({ tablesState: 'loading', tablesError: undefined })
    set({ activeConnectionId: connectionId, connectionsError: undefined })
    try {
      await call('connections:connect', { connectionId })
    } catch (err) {
      // Another connection was picked meanwhile: this answer is no longer the user's concern.
      if (get().activeConnectionId !== connectionId) return
      const error = toUiError(err)
      set({ connectionsError: error, tables: [], tablesState: 'error', tablesError: error })
      await get().loadConnections()
      return
    }
    if (get().activeConnectionId !== connectionId) return
    await get().loadConnections()
    await get().loadTables()
    await get().loadEngineStorage()
  },
  async loadEngineStorage() {
    const id = get().activeConnectionId
    const active = get().connections.find((c) => c.id === id)
    if (!id || active?.kind !== 'embedded') {
      set({ engineStorage: undefined, engineStorageError: undefined })
      return
    }
    try {
      set({
        engineStorage: await call('engine:storage', { connectionId: id }),
        engineStorageError: undefined,
      })
    } catch (err) {
      set({ engineStorageError: toUiError(err) })
    }
  },
  async setEngineStorage(action, confirm) {
    const id = get().activeConnectionId
    if (!id) return
    try {
      set({
        engineStorage: await call('engine:setStorage', { connectionId: id, action, confirm }),
        engineStorageError: undefined,
      })
    } catch (err) {
      set({ engineStorageError: toUiError(err) })
    }
    await get().selectTable(undefined)
    await get().loadTables()
  },
})
