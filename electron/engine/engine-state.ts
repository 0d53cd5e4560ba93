import type { BackupStore } from './backups'
import type { Durability } from './storage/journal'
import type { StreamHub } from './streams'
import type { IndexState, TableState } from './table'
import { DynamoError, validation } from './types'
import { checkTableName } from './request-shape'

export interface EngineState {
  readonly tables: Map<string, TableState>
  /** Table names in ListTables order (ascending), kept sorted on create/delete. */
  readonly tableNames: string[]
  readonly hub: StreamHub
  /** On-demand backups and point-in-time recovery settings (backups.ts); plain data a durability layer can persist. */
  readonly backups: BackupStore
  readonly region: string
  readonly accountId: string
  readonly now: () => number
  /** How long (engine time, ms) DescribeTimeToLive reports ENABLING/DISABLING after a change (ttl.ts). */
  readonly ttlTransitionMs?: number
  /** Set when the engine persists to a data directory; `atomically(state, fn)` (storage/journal.ts) uses it. */
  readonly durability?: Durability | undefined
}

export function tableArn(state: EngineState, name: string): string {
  return `arn:aws:dynamodb:${state.region}:${state.accountId}:table/${name}`
}

export function requireTable(state: EngineState, name: string | undefined, dataPlane = true): TableState {
  if (name === undefined) {
    throw validation(
      "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
    )
  }
  checkTableName(name)
  const table = state.tables.get(name)
  if (!table) {
    throw new DynamoError(
      'ResourceNotFoundException',
      dataPlane ? 'Requested resource not found' : `Requested resource not found: Table: ${name} not found`,
    )
  }
  return table
}

export function requireIndex(table: TableState, name: string): IndexState {
  checkTableName(name, 'indexName')
  const index = table.gsis.get(name) ?? table.lsis.get(name)
  if (!index) {
    throw validation(`The table does not have the specified index: ${name}`)
  }
  return index
}

export function createBackupStore(): BackupStore {
  return { backups: new Map(), pointInTimeRecovery: new Map() }
}
