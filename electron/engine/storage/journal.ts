import type { Item } from '../types'

/**
 * The engine's one seam for durability. Every item change goes through table.ts writeItem, which tells the journal
 * bound to the table (if any). A durable store binds the tables it holds; an in-memory engine binds none, so this
 * costs one WeakMap lookup per write there.
 */
export interface Durability {
  /** An item was stored (item) or deleted (undefined) under key in table. Called by writeItem, after the change. */
  itemWritten(table: { readonly name: string }, key: Item, item: Item | undefined): void
  /**
   * Runs fn and logs every change it makes as one record: after a crash, replay applies all of them or none.
   * fn must be synchronous (the engine applies a request's changes in one go anyway). Groups nest.
   */
  group<T>(fn: () => T): T
  /**
   * Logs a change to an incremental section (DurableStore.registerSection with apply()) in the record being built:
   * inside a group, it is atomic with the group's item writes.
   */
  note(section: string, change: unknown): void
}

const bound = new WeakMap<object, Durability>()

export function bindTable(table: object, durability: Durability): void {
  bound.set(table, durability)
}

export function unbindTable(table: object): void {
  bound.delete(table)
}

export function isBound(table: object): boolean {
  return bound.has(table)
}

/** Called by writeItem only. */
export function journalItemWrite(table: { readonly name: string }, key: Item, item: Item | undefined): void {
  bound.get(table)?.itemWritten(table, key, item)
}

/**
 * All or nothing on replay after a crash: what a transaction needs. TransactWriteItems should check every condition
 * first, then apply its writes inside `atomically(state, () => { for (const w of writes) commit(...) })`.
 * BatchWriteItem needs no group: DynamoDB applies each of a batch's items on its own, and so does replay (each item
 * write, with its stream record, is one log record).
 */
export function atomically<T>(state: { readonly durability?: Durability | undefined }, fn: () => T): T {
  return state.durability ? state.durability.group(fn) : fn()
}

/** Durability.note, or nothing for an in-memory engine. */
export function noteChange(
  state: { readonly durability?: Durability | undefined },
  section: string,
  change: unknown,
): void {
  state.durability?.note(section, change)
}
