import type { EngineState } from './engine-state'
import type { Req } from './request-shape'

export type Handler = (state: EngineState, req: Req) => unknown

/** Operations loaded together, and what Engine.reset must clear of the state their module keeps. */
export interface OperationGroup {
  readonly handlers: Readonly<Record<string, Handler>>
  readonly reset?: (state: EngineState) => void
}

/**
 * The data plane, PartiQL, transactions and backups are most of the engine's code (and decimal.js's callers), and a
 * process started for one test answers its first request (CreateTable, ListTables) without them: `tablewright
 * engine` must answer within 100 ms of spawning (issue 11), and compiling every module up front took a third of
 * that. Each group is imported the first time one of its operations is asked for; the library entry (index.ts)
 * registers them all at once, so an in-process engine can run any operation synchronously from the start.
 */
const LOADERS = {
  items: () => import('./data-plane').then((m) => m.ITEM_OPERATIONS),
  partiql: () => import('./partiql/execute').then((m) => m.PARTIQL_OPERATIONS),
  transactions: () => import('./transactions').then((m) => m.TRANSACTION_OPERATIONS),
  backups: () => import('./backups').then((m) => m.BACKUP_OPERATIONS),
} satisfies Record<string, () => Promise<OperationGroup>>

export type GroupName = keyof typeof LOADERS

/** Every lazily loaded DynamoDB operation, by its group. */
export const GROUP_OF: Readonly<Record<string, GroupName>> = {
  PutItem: 'items',
  GetItem: 'items',
  UpdateItem: 'items',
  DeleteItem: 'items',
  Query: 'items',
  Scan: 'items',
  BatchGetItem: 'items',
  BatchWriteItem: 'items',
  ExecuteStatement: 'partiql',
  BatchExecuteStatement: 'partiql',
  ExecuteTransaction: 'partiql',
  TransactWriteItems: 'transactions',
  TransactGetItems: 'transactions',
  CreateBackup: 'backups',
  DescribeBackup: 'backups',
  ListBackups: 'backups',
  DeleteBackup: 'backups',
  RestoreTableFromBackup: 'backups',
  RestoreTableToPointInTime: 'backups',
  DescribeContinuousBackups: 'backups',
  UpdateContinuousBackups: 'backups',
}

const loaded = new Map<GroupName, OperationGroup>()
const loading = new Map<GroupName, Promise<void>>()

/** Makes a group's operations available at once (the library entry does this for every group). */
export function registerGroup(name: GroupName, group: OperationGroup): void {
  loaded.set(name, group)
}

/** Undefined when the group is loaded; otherwise a promise that settles once it is. */
export function loadGroup(name: GroupName): Promise<void> | undefined {
  if (loaded.has(name)) return undefined
  let pending = loading.get(name)
  if (!pending) {
    pending = LOADERS[name]().then(
      (group) => registerGroup(name, group),
      (err: unknown) => {
        loading.delete(name)
        throw err
      },
    )
    loading.set(name, pending)
  }
  return pending
}

/** Loads every group (for callers that want to use Engine.handle synchronously for any operation). */
export async function loadAllGroups(): Promise<void> {
  await Promise.all(Object.keys(LOADERS).map((name) => loadGroup(name as GroupName)))
}

export function isLoaded(name: GroupName): boolean {
  return loaded.has(name)
}

export function loadedHandler(name: GroupName, operation: string): Handler | undefined {
  return loaded.get(name)?.handlers[operation]
}

export function loadedGroups(): Iterable<OperationGroup> {
  return loaded.values()
}
