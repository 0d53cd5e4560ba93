/**
 * Item history for point-in-time recovery (backups.ts): while PITR is on for a table, every item change is kept as
 * a version, so RestoreTableToPointInTime can rebuild the table as it was at any moment since. Stored items are never
 * changed in place, so a version is a reference, not a copy.
 *
 * Memory is bounded: at most PITR_MAX_VERSIONS versions per table. Older versions (and those past the recovery
 * period) are folded into the base image, which moves the earliest restorable moment forward; DynamoDB keeps up to
 * 35 days, which the engine cannot promise for a busy table.
 */
import type { Item } from '../types'

export const PITR_MAX_VERSIONS = 100_000

interface Version {
  at: number
  id: string
  item: Item | undefined
}

export interface ItemHistory {
  /** The table's items by key identity at `baseAt` (engine ms). */
  readonly base: Map<string, Item>
  baseAt: number
  /** Versions after baseAt in time order; entries before `head` are already folded into base. */
  readonly log: Version[]
  head: number
  readonly now: () => number
}

const histories = new WeakMap<object, ItemHistory>()
let active = 0

/** Starts keeping versions of table's items, from its current items (identified by `id`). */
export function startHistory(
  table: object,
  items: Iterable<Item>,
  id: (item: Item) => string,
  now: () => number,
): ItemHistory {
  stopHistory(table)
  const base = new Map<string, Item>()
  for (const item of items) base.set(id(item), item)
  const history: ItemHistory = { base, baseAt: now(), log: [], head: 0, now }
  histories.set(table, history)
  active++
  return history
}

export function stopHistory(table: object): void {
  if (histories.delete(table)) active--
}

export function historyOf(table: object): ItemHistory | undefined {
  return active === 0 ? undefined : histories.get(table)
}

/** writeItem's hook: one version per item change while the table has a history. */
export function recordVersion<T extends object>(
  table: T,
  key: Item,
  item: Item | undefined,
  id: (table: T, key: Item) => string,
): void {
  if (active === 0) return
  const history = histories.get(table)
  if (!history) return
  history.log.push({ at: history.now(), id: id(table, key), item })
  if (history.log.length - history.head > PITR_MAX_VERSIONS) foldBefore(history, Number.NEGATIVE_INFINITY, 1)
}

/**
 * Folds versions older than `before` into the base (and at least `atLeast` versions), so the history starts at the
 * last folded version's moment.
 */
export function foldBefore(history: ItemHistory, before: number, atLeast = 0): void {
  const { log } = history
  let folded = 0
  while (history.head < log.length) {
    const v = log[history.head] as Version
    if (v.at >= before && folded >= atLeast) break
    if (v.item) history.base.set(v.id, v.item)
    else history.base.delete(v.id)
    history.baseAt = Math.max(history.baseAt, v.at)
    history.head++
    folded++
  }
  if (Number.isFinite(before) && history.baseAt < before) history.baseAt = before
  // Drop the folded prefix now and then, so the array does not keep it alive (amortised O(1) per version).
  if (history.head > 1024 && history.head * 2 > log.length) {
    log.splice(0, history.head)
    history.head = 0
  }
}

/** The items as they were at `at` (engine ms, at or after baseAt). */
export function itemsAt(history: ItemHistory, at: number): Item[] {
  const items = new Map(history.base)
  for (let i = history.head; i < history.log.length; i++) {
    const v = history.log[i] as Version
    if (v.at > at) break
    if (v.item) items.set(v.id, v.item)
    else items.delete(v.id)
  }
  return [...items.values()]
}
