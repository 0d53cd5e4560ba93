/**
 * TransactWriteItems and TransactGetItems.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
 *
 * Isolation: every operation of the engine runs to its end inside one synchronous call (Engine.handle), and a
 * transaction validates, evaluates and writes without awaiting anything, so no other request, single write or
 * transaction can run between its reads and its writes. Transactions are therefore serializable with everything,
 * and the conflicts DynamoDB reports as `TransactionConflict` (two overlapping requests on one item) cannot arise.
 */
import { Consumed, readUnitsFor, writeUnitsFor, type CapacityMode } from './capacity'
import { capacityMode, checkItemLimits, compile, keyIdentity, readKey, type Compiled } from './data-plane'
import { type EngineState, requireTable } from './engine-state'
import { applyProjection, applyUpdate, evaluateCondition, updatedAttributeNames } from './expressions'
import type { OperationGroup } from './operations'
import { asObject, optArray, optEnum, optObject, optString, reqString, type Req } from './request-shape'
import { checkItemKeys, getItem, keyOf, sizeOf, type TableState, writeItem } from './table'
import type { Section } from './storage/durable-store'
import { atomically, noteChange } from './storage/journal'
import type { Item } from './types'
import { DynamoError, validation } from './types'
import { itemsEqual, validateItem } from './values'

/** https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-dynamodb-transactions */
export const MAX_TRANSACTION_ACTIONS = 100
export const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024
/** "A client request token is valid for 10 minutes after the first request that uses it is completed." (API reference) */
export const IDEMPOTENCY_WINDOW_MS = 10 * 60 * 1000
const MAX_TOKEN_LENGTH = 36

const METRICS_MODES = ['SIZE', 'NONE'] as const
const ON_FAILURE = ['ALL_OLD', 'NONE'] as const
const WRITE_KINDS = ['ConditionCheck', 'Put', 'Delete', 'Update'] as const
type WriteKind = (typeof WRITE_KINDS)[number]

interface WriteAction {
  kind: WriteKind
  table: TableState
  key: Item
  /** The item a Put writes. */
  item: Item | undefined
  compiled: Compiled
  onFailure: 'ALL_OLD' | 'NONE' | undefined
}

/** One item change of a transaction, decided before anything is written. */
export interface TransactionWrite {
  table: TableState
  key: Item
  old: Item | undefined
  next: Item | undefined
}

export interface CancellationReason {
  Code: string
  Message?: string
  Item?: Item
}

/** A client request token's use, as plain data: it is persisted (see tokenSection). */
interface TokenEntry {
  fingerprint: string
  at: number
  /** The items the transaction touched, for the read capacity a replay reports. */
  targets: { table: string; tableId: string; key: Item }[]
  metrics: Record<string, unknown> | undefined
}

/** The durable store's name for the token section. */
const TOKEN_SECTION = 'transactionTokens'
type TokenChange = ['add', string, TokenEntry] | ['reset']

/** Client request tokens of successful transactions, per engine, in the order they were used (oldest first). */
const tokensByState = new WeakMap<EngineState, Map<string, TokenEntry>>()

function tokenStore(state: EngineState): Map<string, TokenEntry> {
  let store = tokensByState.get(state)
  if (!store) tokensByState.set(state, (store = new Map()))
  const cutoff = state.now() - IDEMPOTENCY_WINDOW_MS
  for (const [token, entry] of store) {
    if (entry.at >= cutoff) break
    store.delete(token)
  }
  return store
}

function applyTokenChange(state: EngineState, change: TokenChange): void {
  if (change[0] === 'reset') tokensByState.delete(state)
  else {
    const store = tokenStore(state)
    // Re-adding keeps the map in the order of use, which expiry relies on.
    store.delete(change[1])
    store.set(change[1], change[2])
  }
}

/** Forgets every client request token (Engine.reset). */
export function resetTransactions(state: EngineState): void {
  applyTokenChange(state, ['reset'])
  noteChange(state, TOKEN_SECTION, ['reset'])
}

/**
 * Tokens survive a restart of a durable engine, so a client retrying across one still gets the idempotent answer:
 * each use is logged with the transaction's own writes (one record: both or neither after a crash), and the live
 * ones are saved whole in snapshots. Times are engine time, so the window also holds across a restart.
 */
export function registerTokenSection(
  state: EngineState,
  register: (name: string, section: Section) => void,
): void {
  register(TOKEN_SECTION, {
    save: () => [...tokenStore(state)],
    load: (data) => {
      tokensByState.delete(state)
      const store = tokenStore(state)
      for (const [token, entry] of data as [string, TokenEntry][]) store.set(token, entry)
    },
    apply: (change) => applyTokenChange(state, change as TokenChange),
  })
}

/**
 * A write transaction's ClientRequestToken (TransactWriteItems, ExecuteTransaction): the earlier use of the token
 * within its 10 minutes, if any; IdempotentParameterMismatchException if that use had other parameters.
 * ReturnConsumedCapacity does not count: DynamoDB Local 3.3.1 replays a token whatever it says.
 */
export function earlierUse(
  state: EngineState,
  token: string | undefined,
  req: Req,
): { print: string | undefined; seen: TokenEntry | undefined } {
  if (token === undefined) return { print: undefined, seen: undefined }
  const { ClientRequestToken: _t, ReturnConsumedCapacity: _c, ...parameters } = req
  const print = fingerprint(parameters)
  const seen = tokenStore(state).get(token)
  if (seen && seen.fingerprint !== print) {
    // DynamoDB Local 3.3.1's words for ExecuteTransaction (for TransactWriteItems it says nothing): the one text
    // from DynamoDB's own code on record.
    throw new DynamoError(
      'IdempotentParameterMismatchException',
      'Specified idempotent token was used with different request parameters within the idempotency window',
    )
  }
  return { print, seen }
}

/** Records a token's use; call it inside the transaction's atomically() so it is logged with the writes. */
export function rememberToken(
  state: EngineState,
  token: string | undefined,
  print: string | undefined,
  targets: readonly { table: TableState; key: Item }[],
  metrics?: Record<string, unknown>,
): void {
  if (token === undefined || print === undefined) return
  const entry: TokenEntry = {
    fingerprint: print,
    at: state.now(),
    targets: targets.map((t) => ({ table: t.table.name, tableId: t.table.tableId, key: t.key })),
    metrics,
  }
  applyTokenChange(state, ['add', token, entry])
  noteChange(state, TOKEN_SECTION, ['add', token, entry] satisfies TokenChange)
}

const member = (path: string) =>
  `1 validation error detected: Value null at '${path}' failed to satisfy constraint: Member must not be null`

function transactItems(req: Req): unknown[] {
  const items = optArray(req, 'TransactItems')
  if (items === undefined) throw validation(member('transactItems'))
  if (items.length === 0) {
    throw validation(
      "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
    )
  }
  // Real DynamoDB prints the whole list (Java's toString of each member) into this message; DynamoDB Local 3.3.1
  // answers the constraint alone, which is what the engine says too.
  if (items.length > MAX_TRANSACTION_ACTIONS)
    throw validation(`Member must have length less than or equal to ${MAX_TRANSACTION_ACTIONS}`)
  return items
}

export function clientRequestToken(req: Req): string | undefined {
  const token = optString(req, 'ClientRequestToken')
  if (token === undefined) return undefined
  if (token.length < 1 || token.length > MAX_TOKEN_LENGTH) {
    throw validation(
      `1 validation error detected: Value '${token}' at 'clientRequestToken' failed to satisfy constraint: Member must have length ${token.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_TOKEN_LENGTH}`}`,
    )
  }
  return token
}

/** JSON with object keys sorted: two requests with the same parameters give the same text. */
function fingerprint(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort)
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {}
      for (const k of Object.keys(v).sort()) out[k] = sort((v as Record<string, unknown>)[k])
      return out
    }
    return v
  }
  return JSON.stringify(sort(value))
}

function readWriteAction(state: EngineState, raw: unknown, position: number): WriteAction {
  const entry = asObject(raw, 'TransactWriteItem')
  const present = WRITE_KINDS.filter((k) => optObject(entry, k) !== undefined)
  if (present.length === 0) {
    // DynamoDB Local 3.3.1's wording; no record of real DynamoDB's was found.
    throw validation('Invalid Request: TransactWriteRequest should contain Delete or Put or Update request')
  }
  if (present.length > 1)
    throw validation('TransactItems can only contain one of Check, Put, Update or Delete')
  const kind = present[0] as WriteKind
  const action = entry[kind] as Req
  const path = `transactItems.${position}.member.${kind === 'ConditionCheck' ? 'conditionCheck' : kind.toLowerCase()}`
  const table = requireTable(state, reqString(action, 'TableName', member(`${path}.tableName`)))
  const onFailure = optEnum(action, 'ReturnValuesOnConditionCheckFailure', ON_FAILURE)
  if (kind === 'Put') {
    if (action.Item === undefined || action.Item === null) throw validation(member(`${path}.item`))
    const item = validateItem(action.Item, { field: 'item' })
    const compiled = compile(action, ['ConditionExpression'], 'PutItem')
    checkItemKeys(table, item)
    checkItemLimits(table, item)
    return { kind, table, key: keyOf(item, table.schema), item, compiled, onFailure }
  }
  if (action.Key === undefined || action.Key === null) throw validation(member(`${path}.key`))
  const key = readKey(table, action.Key)
  if (kind === 'ConditionCheck' && optString(action, 'ConditionExpression') === undefined)
    throw validation(member(`${path}.conditionExpression`))
  // The API reference marks Update.UpdateExpression required (DynamoDB Local 3.3.1 accepts an Update without one).
  if (kind === 'Update' && optString(action, 'UpdateExpression') === undefined)
    throw validation(member(`${path}.updateExpression`))
  const names = kind === 'Update' ? ['UpdateExpression', 'ConditionExpression'] : ['ConditionExpression']
  const compiled = compile(
    action,
    names,
    kind === 'Update' ? 'UpdateItem' : kind === 'Delete' ? 'DeleteItem' : 'ConditionCheck',
  )
  if (compiled.update) {
    const updated = updatedAttributeNames(compiled.update)
    for (const name of [table.schema.hash, table.schema.range]) {
      if (name !== undefined && updated.includes(name)) {
        throw validation(
          `One or more parameter values were invalid: Cannot update attribute ${name}. This attribute is part of the key`,
        )
      }
    }
  }
  return { kind, table, key, item: undefined, compiled, onFailure }
}

/**
 * What one action would do to the stored state, or why it cannot. Errors found only once the stored item is known
 * (an update on a missing attribute, a result too large or with an index key of the wrong type) cancel the
 * transaction with a `ValidationError` reason, as the API reference lists them under TransactionCanceledException.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html#API_TransactWriteItems_Errors
 */
function evaluateAction(a: WriteAction): { reason: CancellationReason; write?: TransactionWrite } {
  const old = getItem(a.table, a.key)
  if (a.compiled.condition && !evaluateCondition(a.compiled.condition, old)) {
    // The API reference words this reason with a period (a single write's ConditionalCheckFailedException has none).
    const reason: CancellationReason = {
      Code: 'ConditionalCheckFailed',
      Message: 'The conditional request failed.',
    }
    if (a.onFailure === 'ALL_OLD' && old) reason.Item = old
    return { reason }
  }
  let next: Item | undefined
  try {
    switch (a.kind) {
      case 'ConditionCheck':
        return { reason: { Code: 'None' } }
      case 'Put':
        next = a.item
        break
      case 'Delete':
        next = undefined
        break
      case 'Update': {
        const base = old ?? a.key
        next = a.compiled.update ? applyUpdate(a.compiled.update, base) : base
        checkItemKeys(a.table, next)
        checkItemLimits(a.table, next, true)
        break
      }
    }
  } catch (err) {
    if (err instanceof DynamoError && err.type === 'ValidationException')
      return { reason: { Code: 'ValidationError', Message: err.message } }
    throw err
  }
  return { reason: { Code: 'None' }, write: { table: a.table, key: a.key, old, next } }
}

/**
 * Applies every item change of one transaction, in request order, in one synchronous step: nothing else runs
 * between the first and the last write, and this is the one place that changes items for a transaction (the
 * place a write-ahead log records it as one unit). Each changed item writes its stream record; a Put that leaves
 * an item as it was writes none (as a single PutItem). Returns the index write units of each write.
 */
export function applyTransaction(
  state: EngineState,
  writes: readonly TransactionWrite[],
): Map<string, number>[] {
  // One log record for the whole transaction: after a crash, all of its writes are there or none.
  return atomically(state, () => applyWrites(state, writes))
}

function applyWrites(state: EngineState, writes: readonly TransactionWrite[]): Map<string, number>[] {
  const indexUnits: Map<string, number>[] = []
  for (const w of writes) {
    if (
      (w.old === undefined && w.next === undefined) ||
      (w.old !== undefined && w.next !== undefined && itemsEqual(w.old, w.next))
    ) {
      indexUnits.push(new Map())
      continue
    }
    const outcome = writeItem(w.table, w.key, w.next)
    indexUnits.push(outcome.indexUnits)
    state.hub.record(w.table.name, w.table.streamArn, w.table.schema, w.old, w.next)
  }
  return indexUnits
}

function consumedFor(byTable: Map<TableState, Consumed>, table: TableState): Consumed {
  let c = byTable.get(table)
  if (!c) byTable.set(table, (c = new Consumed(table)))
  return c
}

function wireCapacity(byTable: Map<TableState, Consumed>, mode: CapacityMode): Record<string, unknown>[] {
  return [...byTable.values()].map((c) => c.wire(mode))
}

function collectionMetrics(
  actions: readonly { table: TableState; key: Item }[],
): Record<string, unknown> | undefined {
  const out: Record<string, unknown[]> = {}
  for (const a of actions) {
    if (a.table.lsis.size === 0) continue
    const hash = a.table.schema.hash
    ;(out[a.table.name] ??= []).push({
      ItemCollectionKey: { [hash]: a.key[hash] },
      SizeEstimateRangeGB: [0, 1],
    })
  }
  return Object.keys(out).length > 0 ? out : undefined
}

export function transactWriteItems(state: EngineState, req: Req) {
  const rawItems = transactItems(req)
  const token = clientRequestToken(req)
  const mode = capacityMode(req)
  const metricsMode = optEnum(req, 'ReturnItemCollectionMetrics', METRICS_MODES) ?? 'NONE'

  const { print, seen: earlier } = earlierUse(state, token, req)
  if (earlier) return replay(state, earlier, mode)

  const actions = rawItems.map((raw, i) => readWriteAction(state, raw, i + 1))
  const seen = new Set<string>()
  let payload = 0
  for (const a of actions) {
    const id = `${a.table.name}\u0000${keyIdentity(a.table, a.key)}`
    if (seen.has(id)) throw validation('Transaction request cannot include multiple operations on one item')
    seen.add(id)
    payload += a.item ? sizeOf(a.item) : sizeOf(a.key)
  }
  // ExtendDB's wording, from its conformance suite checked against DynamoDB (crates/engine/src/transact_write_items.rs,
  // ExtendDB PR #21); DynamoDB Local says "Transaction payload size cannot exceed 4MB. Payload Size: N".
  if (payload > MAX_TRANSACTION_BYTES) throw validation('Transaction item size has exceeded the 4 MB limit')

  const reasons: CancellationReason[] = []
  const writes: TransactionWrite[] = []
  const writeOf: (TransactionWrite | undefined)[] = []
  for (const a of actions) {
    const { reason, write } = evaluateAction(a)
    reasons.push(reason)
    writeOf.push(write)
    if (write) writes.push(write)
  }
  if (reasons.some((r) => r.Code !== 'None')) {
    throw new DynamoError(
      'TransactionCanceledException',
      `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
      { CancellationReasons: reasons },
    )
  }

  // The token's use is logged in the transaction's own record: after a crash, both are there or neither.
  const { indexUnits, metrics } = atomically(state, () => {
    const indexUnits = applyTransaction(state, writes)
    const metrics = metricsMode === 'SIZE' ? collectionMetrics(writes) : undefined
    rememberToken(state, token, print, actions, metrics)
    return { indexUnits, metrics }
  })

  // Transactional writes cost twice a standard write: DynamoDB prepares and commits each item.
  // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-capacity-handling
  const byTable = new Map<TableState, Consumed>()
  let w = 0
  actions.forEach((a, i) => {
    const consumed = consumedFor(byTable, a.table)
    const write = writeOf[i]
    if (!write) {
      // A ConditionCheck reads the item with a transactional (doubled, strongly consistent) read.
      const old = getItem(a.table, a.key)
      consumed.table += 2 * readUnitsFor(old ? sizeOf(old) : 0, true, true)
      return
    }
    const bytes = Math.max(write.old ? sizeOf(write.old) : 0, write.next ? sizeOf(write.next) : 0)
    consumed.table += 2 * writeUnitsFor(bytes)
    for (const [name, units] of indexUnits[w++] ?? []) consumed.addIndex(name, 2 * units)
  })
  const out: Record<string, unknown> = {}
  if (mode !== 'NONE') out.ConsumedCapacity = wireCapacity(byTable, mode)
  if (metrics) out.ItemCollectionMetrics = metrics
  return out
}

/**
 * A repeated request with a known token changes nothing; it reports the read units of reading the items, not the
 * write units of the original call (API reference, ClientRequestToken).
 */
export function replay(state: EngineState, entry: TokenEntry, mode: CapacityMode) {
  const out: Record<string, unknown> = {}
  if (mode !== 'NONE') {
    const byTable = new Map<TableState, Consumed>()
    for (const t of entry.targets) {
      const table = state.tables.get(t.table)
      if (table === undefined || table.tableId !== t.tableId) continue
      const item = getItem(table, t.key)
      consumedFor(byTable, table).table += 2 * readUnitsFor(item ? sizeOf(item) : 0, true, true)
    }
    out.ConsumedCapacity = wireCapacity(byTable, mode)
  }
  if (entry.metrics) out.ItemCollectionMetrics = entry.metrics
  return out
}

/**
 * "DynamoDB rejects the entire TransactGetItems request if ... the aggregate size of the items in the transaction
 * exceeded 4 MB" (API reference, TransactGetItems). The error is DynamoDB Local 3.3.1's, in its words (no record
 * of real DynamoDB's text was found); the size counted is the stored items', as the limit on writes counts it.
 */
export function checkReadPayload(items: readonly (Item | undefined)[]): void {
  let total = 0
  for (const item of items) if (item) total += sizeOf(item)
  if (total > MAX_TRANSACTION_BYTES) throw validation(`Payload in response is too large.${total}`)
}

/** https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactGetItems.html */
export function transactGetItems(state: EngineState, req: Req) {
  const rawItems = transactItems(req)
  const mode = capacityMode(req)
  const gets = rawItems.map((raw, i) => {
    const entry = asObject(raw, 'TransactGetItem')
    const get = optObject(entry, 'Get')
    const path = `transactItems.${i + 1}.member.get`
    if (!get) throw validation(member(path))
    const table = requireTable(state, reqString(get, 'TableName', member(`${path}.tableName`)))
    if (get.Key === undefined || get.Key === null) throw validation(member(`${path}.key`))
    const key = readKey(table, get.Key)
    const compiled = compile(get, ['ProjectionExpression'], 'GetItem')
    return { table, key, compiled }
  })
  const seen = new Set<string>()
  for (const g of gets) {
    const id = `${g.table.name}\u0000${keyIdentity(g.table, g.key)}`
    if (seen.has(id)) throw validation('Transaction request cannot include multiple operations on one item')
    seen.add(id)
  }
  checkReadPayload(gets.map((g) => getItem(g.table, g.key)))
  const byTable = new Map<TableState, Consumed>()
  const responses = gets.map((g) => {
    const item = getItem(g.table, g.key)
    // Transactional reads cost twice a strongly consistent read, a missing item included (DynamoDB Local 3.3.1).
    consumedFor(byTable, g.table).table += 2 * readUnitsFor(item ? sizeOf(item) : 0, true, true)
    if (!item) return {}
    return { Item: g.compiled.projection ? applyProjection(g.compiled.projection, item) : item }
  })
  const out: Record<string, unknown> = {}
  if (mode !== 'NONE') out.ConsumedCapacity = wireCapacity(byTable, mode)
  out.Responses = responses
  return out
}

export const TRANSACTION_OPERATIONS: OperationGroup = {
  handlers: { TransactWriteItems: transactWriteItems, TransactGetItems: transactGetItems },
  reset: resetTransactions,
}
