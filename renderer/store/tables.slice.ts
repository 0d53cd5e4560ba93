import type { StateCreator } from 'zustand'
import type { TableSummary } from '../../shared/contract/channels/tables'
import type { TableIssue, TableSpec } from '../../shared/domain/table-rules'
import { BridgeError, call } from '../bridge/bridge'
import { toUiError, type UiError } from './connections.slice'
import type { AppState } from './store'

export interface TablesSlice {
  tables: TableSummary[]
  tablesState: 'idle' | 'loading' | 'ready' | 'error'
  tablesError?: UiError
  busy?: string
  actionError?: UiError
  loadTables(): Promise<void>
  /** Creates a table; a refusal comes back with the fields at fault (the dialog shows them where they belong). */
  createTable(spec: TableSpec): Promise<{ ok: true } | { ok: false; error: UiError; issues: TableIssue[] }>
  dropTable(tableName: string, confirm: string): Promise<boolean>
}

export const createTablesSlice: StateCreator<AppState, [], [], TablesSlice> = (set, get) => ({
  tables: [],
  tablesState: 'idle',
  async loadTables() {
    const connectionId = get().activeConnectionId
    if (!connectionId) return
    set({ tablesState: 'loading', tablesError: undefined })
    try {
      const tables = await call('tables:list', { connectionId })
      // A slow answer for a connection the user has left must not land under the new one.
      if (get().activeConnectionId === connectionId) set({ tables, tablesState: 'ready' })
    } catch (err) {
      if (get().activeConnectionId === connectionId)
        set({ tables: [], tablesState: 'error', tablesError: toUiError(err) })
    }
  },
  async createTable(spec) {
    const connectionId = get().activeConnectionId
    if (!connectionId)
      return {
        ok: false,
        error: { code: 'connection.notFound', message: 'No connection is open.' },
        issues: [],
      }
    set({ busy: `Creating ${spec.name}…`, actionError: undefined })
    try {
      await call('tables:create', { connectionId, spec })
      await get().loadTables()
      return { ok: true }
    } catch (err) {
      const issues =
        err instanceof BridgeError && Array.isArray(err.details?.issues)
          ? (err.details.issues as TableIssue[])
          : []
      return { ok: false, error: toUiError(err), issues }
    } finally {
      set({ busy: undefined })
    }
  },
  async dropTable(tableName, confirm) {
    const connectionId = get().activeConnectionId
    if (!connectionId) return false
    set({ busy: `Dropping ${tableName}…`, actionError: undefined })
    let dropped = false
    try {
      await call('tables:drop', { connectionId, tableName, confirm })
      dropped = true
    } catch (err) {
      set({ actionError: toUiError(err) })
    } finally {
      set({ busy: undefined })
    }
    await get().loadTables()
    return dropped
  },
})
