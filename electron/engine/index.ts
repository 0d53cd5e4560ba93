/**
 * Tablewright's embedded DynamoDB-compatible engine: in-memory tables, indexes and streams behind two doors,
 * `engine.call(operation, request)` in process and `startEngineServer(engine)` over DynamoDB's HTTP protocol.
 * It imports nothing from the rest of the app.
 */
export { createEngine, Engine, type EngineOptions } from './engine'
export { startEngineServer, type EngineServer, type EngineServerOptions, MAX_BODY_BYTES } from './http-server'
export type { ChangeEvent, ChangeListener, StreamRecord } from './streams'
export { DynamoError, type DynamoErrorType, type AttributeValue, type Item, type Key } from './types'
export { DurableStoreError, type StoreErrorCode, FORMAT_VERSION } from './storage/wal-format'
export { atomically, type Durability } from './storage/journal'
export type { Section, StorageInfo } from './storage/durable-store'
