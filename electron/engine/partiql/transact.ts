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
import { checkItemLimits } from '../data-plane'
import type { EngineState } from '../engine-state'
import { applyUpdate, evaluateCondition, type Condition, type UpdateProgram } from '../expressions'
import { checkItemKeys, getItem, sizeOf, type TableState } from '../table'
import { applyTransaction, checkReadPayload } from '../transactions'
import type { Item } from '../types'
import { DynamoError } from '../types'

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
        checkItemLimits(action.table, next, action.kind === 'Update')
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
  const writes = planned.filter((p) => p.action.kind !== 'ConditionCheck')
  // TransactWriteItems' one place that changes items, so both front ends commit a transaction the same way.
  const indexUnits = applyTransaction(
    state,
    writes.map(({ action, old, next }) => ({ table: action.table, key: action.key, old, next })),
  )
  for (const { action, old, next } of planned) {
    let c = consumed.get(action.table)
    if (!c) consumed.set(action.table, (c = new Consumed(action.table)))
    const bytes = Math.max(old ? sizeOf(old) : 0, next ? sizeOf(next) : 0)
    if (action.kind === 'ConditionCheck') c.table += readUnitsFor(bytes, true, true) * 2
    else c.table += writeUnitsFor(bytes) * 2
  }
  writes.forEach(({ action }, i) => {
    const c = consumed.get(action.table) as Consumed
    for (const [name, units] of indexUnits[i] ?? []) c.addIndex(name, units * 2)
  })
  return consumed
}

/** Reads every item at one instant; reads cost twice a strongly consistent read. */
export function applyTransactGets(actions: TransactGetAction[]): {
  items: (Item | undefined)[]
  consumed: Map<TableState, Consumed>
} {
  const consumed = new Map<TableState, Consumed>()
  const found = actions.map((a) => getItem(a.table, a.key))
  // The same 4 MB limit on the answer as TransactGetItems.
  checkReadPayload(found)
  const items = actions.map((a, i) => {
    const item = found[i]
    let c = consumed.get(a.table)
    if (!c) consumed.set(a.table, (c = new Consumed(a.table)))
    c.table += readUnitsFor(item ? sizeOf(item) : 0, true, true) * 2
    return item
  })
  return { items, consumed }
}
