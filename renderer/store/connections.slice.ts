import type { StateCreator } from 'zustand'
import type { ConnectionView } from '../../shared/contract/channels/connections'
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
}

export const createConnectionsSlice: StateCreator<AppState, [], [], ConnectionsSlice> = (set, get) => ({
  connections: [],
  async loadConnections() {
    try {
      const connections = await call('connections:list', {})
      const active = connections.find((c) => c.active) ?? connections[0]
      set({ connections, activeConnectionId: get().activeConnectionId ?? active?.id, connectionsError: undefined })
    } catch (err) {
      set({ connectionsError: toUiError(err) })
    }
  },
  async connect(connectionId) {
    if (connectionId !== get().activeConnectionId) await get().selectTable(undefined)
    set({ activeConnectionId: connectionId, connectionsError: undefined })
    try {
      await call('connections:connect', { connectionId })
    } catch (err) {
      set({ connectionsError: toUiError(err) })
    }
    await get().loadConnections()
    await get().loadTables()
  },
})
