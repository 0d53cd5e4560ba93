/**
 * The seam between ExecuteTransaction and the engine's transaction machinery: PartiQL resolves its statements into
 * these actions (table, key, item or update, condition) and hands them to one synchronous function that applies
 * all of them or none. TransactWriteItems/TransactGetItems resolve their own request shapes into the same actions.
 *
 * Everything runs inside one engine call, so no other request can interleave: checking every action first and
 * writing only when all pass is all-or-nothing and isolated.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
 */
import { Consumed, readUnitsFor, writeUnitsFor } from '../capacity'
import type { EngineState } from '../engine-state'
import { applyUpdate, evaluateCondition, type Condition, type UpdateProgram } from '../expressions'
import { atomically } from '../storage/journal'
import { checkItemKeys, getItem, sizeOf, type TableState, writeItem } from '../table'
import type { Item } from '../types'
import { DynamoError } from '../types'
import { itemsEqual } from '../values'

/** https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html */
const MAX_ITEM_BYTES = 400 * 1024

export interface TransactWriteAction {
  kind: 'Put' | 'Update' | 'Delete' | 'ConditionCheck'
  table: TableState
  key: Item
  /** The new item of a Put. */
  item?: Item
  update?: UpdateProgram
  condition?: Condition
  /** The cancellation reason this action gives when its condition fails. */
  onConditionFailed: { Code: string; Message: string }
}

export interface TransactGetAction {
  table: TableState
  key: Item
}

export interface CancellationReason {
  Code: string
  Message?: string
}

export function cancelled(reasons: CancellationReason[]): DynamoError {
  return new DynamoError(
    'TransactionCanceledException',
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
    { CancellationReasons: reasons },
  )
}

/**
 * Applies every action or none. Conditions are read against the state before the transaction; an action whose
 * result would be invalid cancels the transaction with a ValidationError reason. Writes cost twice their units, as
 * transactional writes do (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-capacity-handling).
 */
export function applyTransactWrites(
  state: EngineState,
  actions: TransactWriteAction[],
): Map<TableState, Consumed> {
  const planned: { action: TransactWriteAction; old: Item | undefined; next: Item | undefined }[] = []
  const reasons: CancellationReason[] = []
  for (const action of actions) {
    const old = getItem(action.table, action.key)
    if (action.condition && !evaluateCondition(action.condition, old)) {
      reasons.push(action.onConditionFailed)
      planned.push({ action, old, next: old })
      continue
    }
    try {
      let next: Item | undefined
      if (action.kind === 'Put') next = action.item
      else if (action.kind === 'Update') next = applyUpdate(action.update as UpdateProgram, old ?? action.key)
      else if (action.kind === 'Delete') next = undefined
      else next = old
      if (next && action.kind !== 'ConditionCheck') {
        checkItemKeys(action.table, next)
        if (sizeOf(next) > MAX_ITEM_BYTES)
          throw new DynamoError('ValidationException', 'Item size has exceeded the maximum allowed size')
      }
      planned.push({ action, old, next })
      reasons.push({ Code: 'None' })
    } catch (err) {
      if (!(err instanceof DynamoError) || err.type !== 'ValidationException') throw err
      reasons.push({ Code: 'ValidationError', Message: err.message })
      planned.push({ action, old, next: old })
    }
  }
  if (reasons.some((r) => r.Code !== 'None')) throw cancelled(reasons)
  const consumed = new Map<TableState, Consumed>()
  // One log record for the whole transaction: after a crash, all of its writes are there or none.
  atomically(state, () => applyPlanned(state, planned, consumed))
  return consumed
}

function applyPlanned(
  state: EngineState,
  planned: { action: TransactWriteAction; old: Item | undefined; next: Item | undefined }[],
  consumed: Map<TableState, Consumed>,
): void {
  for (const { action, old, next } of planned) {
    let c = consumed.get(action.table)
    if (!c) consumed.set(action.table, (c = new Consumed(action.table)))
    const bytes = Math.max(old ? sizeOf(old) : 0, next ? sizeOf(next) : 0)
    if (action.kind === 'ConditionCheck') {
      c.table += readUnitsFor(bytes, true, true) * 2
      continue
    }
    c.table += writeUnitsFor(bytes) * 2
    if (old === undefined && next === undefined) continue
    if (old !== undefined && next !== undefined && itemsEqual(old, next)) continue
    const outcome = writeItem(action.table, action.key, next)
    for (const [name, units] of outcome.indexUnits) c.addIndex(name, units * 2)
    state.hub.record(action.table.name, action.table.streamArn, action.table.schema, old, next)
  }
}

/** Reads every item at one instant; reads cost twice a strongly consistent read. */
export function applyTransactGets(actions: TransactGetAction[]): {
  items: (Item | undefined)[]
  consumed: Map<TableState, Consumed>
} {
  const consumed = new Map<TableState, Consumed>()
  const items = actions.map((a) => {
    const item = getItem(a.table, a.key)
    let c = consumed.get(a.table)
    if (!c) consumed.set(a.table, (c = new Consumed(a.table)))
    c.table += readUnitsFor(item ? sizeOf(item) : 0, true, true) * 2
    return item
  })
  return { items, consumed }
}
