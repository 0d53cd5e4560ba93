/**
 * Tablewright's embedded DynamoDB-compatible engine: in-memory tables, indexes and streams behind two doors,
 * `engine.call(operation, request)` in process and `startEngineServer(engine)` over DynamoDB's HTTP protocol.
 * It imports nothing from the rest of the app.
 *
 * This entry loads the whole engine, so `createEngine` takes a `dataDir` and `engine.handle` runs any operation
 * synchronously. A process that must start fast imports `./engine` and `./http-server` instead: operations are then
 * loaded on first use (the doors await `engine.prepare`), and `openEngine` loads the store when given a `dataDir`.
 */
import { BACKUP_OPERATIONS } from './backups'
import { ITEM_OPERATIONS } from './data-plane'
import * as durability from './durability'
import { provideDurability } from './engine'
import { registerGroup } from './operations'
import { PARTIQL_OPERATIONS } from './partiql/execute'

registerGroup('items', ITEM_OPERATIONS)
registerGroup('partiql', PARTIQL_OPERATIONS)
registerGroup('backups', BACKUP_OPERATIONS)
provideDurability(durability)

export { createEngine, openEngine, Engine, type EngineOptions } from './engine'
export { startEngineServer, type EngineServer, type EngineServerOptions, MAX_BODY_BYTES } from './http-server'
export type { ChangeEvent, ChangeListener, StreamRecord } from './streams'
export { sizeOf as itemSizeOf } from './table'
export { DynamoError, type DynamoErrorType, type AttributeValue, type Item, type Key } from './types'
export { DurableStoreError, type StoreErrorCode, FORMAT_VERSION } from './storage/wal-format'
export { atomically, type Durability } from './storage/journal'
export type { Section, StorageInfo } from './storage/durable-store'
