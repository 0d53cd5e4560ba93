/**
 * What an engine with a data directory needs beyond an in-memory one, loaded only then (see operations.ts for why
 * the engine loads in parts): the store, the codec its sections use, and the transactions module, whose client
 * request tokens are persisted.
 */
export { DurableStore } from './storage/durable-store'
export { decodeValue, encodeValue } from './storage/state-codec'
export { registerTokenSection, TRANSACTION_OPERATIONS } from './transactions'
