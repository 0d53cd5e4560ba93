/**
 * Keys cannot be updated in DynamoDB: changing an item's partition or sort key is a delete of the old item plus a
 * put of the new one (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html).
 * A timeline shows such a pair as one "move" of the same logical row. This module decides which deletes and puts
 * belong together, from data alone: it knows no model and no sample.
 */

/** A plain JSON row (attribute name → value). */
export type PlainRow = Record<string, unknown>

/** One removal (before only) or creation (after only) of an item in a table, in the order it happened. */
export interface RowChange {
  table: string | undefined
  before?: PlainRow | undefined
  after?: PlainRow | undefined
}

export interface MoveContext {
  /** The table's key attribute names: partition key first, then the sort key if any. */
  keyNames(table: string | undefined): readonly string[]
  /** The entity a row belongs to (by the model's key templates), if known. */
  entityOf(table: string | undefined, row: PlainRow): string | undefined
}

export interface MovePair {
  /** Index of the removal in the input list. */
  from: number
  /** Index of the creation in the input list. */
  to: number
}

/** Scalars compare as text, so a number read back as a string still matches; anything else compares as JSON. */
const same = (a: unknown, b: unknown) =>
  a !== undefined &&
  b !== undefined &&
  (typeof a === 'object' || typeof b === 'object'
    ? JSON.stringify(a) === JSON.stringify(b)
    : String(a) === String(b))

/**
 * Attribute names that name an identity by convention (`id`, `orderId`, `message_group_uuid`, `sku`…), so two
 * rows sharing such a value are taken to be the same thing. Key attributes are excluded by the caller.
 */
const ID_NAME = /(^|[_-])(id|uuid|guid|sku)$|[a-z](Id|Uuid|ID|UUID)$|^(id|uuid|guid)$/

/**
 * How strongly a removed row and a created row look like the same logical row, 0 when they do not:
 * - 3: same partition key value, same entity, and a shared id-like attribute;
 * - 2: same partition key value and same entity (a row moved along its sort key);
 * - 1: a shared id-like non-key attribute with equal values (a row moved to another partition).
 * Rows with identical keys are a delete and re-put of the same item, not a move: 0.
 */
export function moveScore(ctx: MoveContext, removed: RowChange, created: RowChange): number {
  if (removed.table !== created.table || !removed.before || !created.after) return 0
  const before = removed.before
  const after = created.after
  const keys = ctx.keyNames(removed.table)
  if (keys.length === 0) return 0
  if (keys.every((k) => same(before[k], after[k]))) return 0
  const entity = ctx.entityOf(removed.table, before)
  const sameEntity = entity !== undefined && entity === ctx.entityOf(created.table, after)
  const entityMismatch =
    entity !== undefined && !sameEntity && ctx.entityOf(created.table, after) !== undefined
  if (entityMismatch) return 0
  const sharedId = Object.keys(before).some(
    (name) => !keys.includes(name) && ID_NAME.test(name) && same(before[name], after[name]),
  )
  const samePartition = same(before[keys[0]!], after[keys[0]!])
  if (samePartition && sameEntity) return sharedId ? 3 : 2
  return sharedId ? 1 : 0
}

/**
 * Pairs each removal with the creation that is most likely the same row moved to a new key. Each change is used
 * at most once; among equally likely creations the earliest wins, so the result does not depend on anything but
 * the order the writes happened in.
 */
export function pairMoves(ctx: MoveContext, changes: readonly RowChange[]): MovePair[] {
  const pairs: MovePair[] = []
  const used = new Set<number>()
  changes.forEach((removed, from) => {
    if (!removed.before || removed.after) return
    let best = -1
    let bestScore = 0
    changes.forEach((created, to) => {
      if (used.has(to) || !created.after || created.before) return
      const score = moveScore(ctx, removed, created)
      if (score > bestScore) {
        best = to
        bestScore = score
      }
    })
    if (best >= 0) {
      used.add(best)
      pairs.push({ from, to: best })
    }
  })
  return pairs
}

/** One attribute's old and new value in a move, in the order the title lists them. */
export interface MovedAttribute {
  attribute: string
  before: unknown
  after: unknown
}

/**
 * What a move changed: the key attributes first (in key order), then the other changed attributes by name.
 * Attributes added or dropped by the move are listed with `undefined` on the missing side.
 */
export function movedAttributes(
  keyNames: readonly string[],
  before: PlainRow,
  after: PlainRow,
): MovedAttribute[] {
  const changed = (name: string) =>
    !(before[name] === undefined && after[name] === undefined) && !same(before[name], after[name])
  const keys = keyNames.filter(changed)
  const others = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((n) => !keyNames.includes(n) && changed(n))
    .sort()
  return [...keys, ...others].map((attribute) => ({
    attribute,
    before: before[attribute],
    after: after[attribute],
  }))
}

/** `sk A → B, message x → y`: a move in one line, each value shortened to `max` characters. */
export function moveSummary(moved: readonly MovedAttribute[], max = 40): string {
  const show = (v: unknown) => {
    if (v === undefined) return '(none)'
    const text = typeof v === 'object' ? JSON.stringify(v) : String(v)
    return text.length > max ? `${text.slice(0, max - 1)}…` : text
  }
  return moved.map((m) => `${m.attribute} ${show(m.before)} → ${show(m.after)}`).join(', ')
}
