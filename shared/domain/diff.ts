import type { AttributeValueJson, ItemJson } from '../contract/channels/workbench'
import { compareNumbers } from './attribute-json'
import { itemId, type KeySchemaView } from './grouping'

/** Before/after of one item, attribute by attribute: what the timeline and the inspector show for a step. */

export type ChangeKind = 'added' | 'removed' | 'changed'
export interface AttributeChange {
  attribute: string
  kind: ChangeKind
  before?: AttributeValueJson
  after?: AttributeValueJson
}
export interface ItemDiff {
  status: 'added' | 'removed' | 'changed' | 'unchanged'
  changes: AttributeChange[]
}

/** Deep equality of DynamoDB values: numbers by value, sets ignoring order. */
export function valuesEqual(a: AttributeValueJson | undefined, b: AttributeValueJson | undefined): boolean {
  if (a === b) return true
  if (!a || !b) return false
  if ('S' in a) return 'S' in b && a.S === b.S
  if ('N' in a) return 'N' in b && compareNumbers(a.N, b.N) === 0
  if ('B' in a) return 'B' in b && a.B === b.B
  if ('BOOL' in a) return 'BOOL' in b && a.BOOL === b.BOOL
  if ('NULL' in a) return 'NULL' in b
  if ('SS' in a) return 'SS' in b && sameSet(a.SS, b.SS)
  if ('BS' in a) return 'BS' in b && sameSet(a.BS, b.BS)
  if ('NS' in a)
    return (
      'NS' in b &&
      a.NS.length === b.NS.length &&
      a.NS.every((x) => b.NS.some((y) => compareNumbers(x, y) === 0))
    )
  if ('L' in a) return 'L' in b && a.L.length === b.L.length && a.L.every((x, i) => valuesEqual(x, b.L[i]))
  if (!('M' in b)) return false
  const ka = Object.keys(a.M)
  return ka.length === Object.keys(b.M).length && ka.every((k) => valuesEqual(a.M[k], b.M[k]))
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && new Set([...a, ...b]).size === a.length

export function itemsEqual(a: ItemJson | undefined, b: ItemJson | undefined): boolean {
  return diffItems(a, b).status === 'unchanged' && Boolean(a) === Boolean(b)
}

export function diffItems(before: ItemJson | undefined, after: ItemJson | undefined): ItemDiff {
  const changes: AttributeChange[] = []
  const names = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])
  for (const attribute of [...names].sort()) {
    const b = before?.[attribute]
    const a = after?.[attribute]
    if (b && !a) changes.push({ attribute, kind: 'removed', before: b })
    else if (!b && a) changes.push({ attribute, kind: 'added', after: a })
    else if (!valuesEqual(b, a)) changes.push({ attribute, kind: 'changed', before: b, after: a })
  }
  const status =
    !before && after ? 'added' : before && !after ? 'removed' : changes.length ? 'changed' : 'unchanged'
  return { status, changes }
}

/** Key attributes that differ between two versions of an item: DynamoDB cannot update these in place. */
export function changedKeyAttributes(before: ItemJson, after: ItemJson, table: KeySchemaView): string[] {
  return [table.partitionKey, table.sortKey]
    .filter((k): k is NonNullable<typeof k> => Boolean(k))
    .filter((k) => !valuesEqual(before[k.name], after[k.name]))
    .map((k) => k.name)
}

export type Highlight = 'new' | 'changed' | 'removed' | 'result'

/**
 * Highlights for a set of before/after pairs (one message's timeline): a key that only appears after is new, one
 * that disappears is removed (kept as a ghost row so the user sees it go), one present on both sides is changed.
 */
export function highlightsFor(
  pairs: readonly { before?: ItemJson; after?: ItemJson }[],
  table: KeySchemaView,
): { highlights: Map<string, Highlight>; ghosts: ItemJson[] } {
  const befores = new Map<string, ItemJson>()
  const afters = new Map<string, ItemJson>()
  for (const p of pairs) {
    if (p.before) befores.set(itemId(p.before, table), p.before)
    if (p.after) afters.set(itemId(p.after, table), p.after)
  }
  const highlights = new Map<string, Highlight>()
  const ghosts: ItemJson[] = []
  for (const id of afters.keys()) {
    highlights.set(id, befores.has(id) ? 'changed' : 'new')
  }
  for (const [id, before] of befores) {
    if (afters.has(id)) continue
    highlights.set(id, 'removed')
    ghosts.push(before)
  }
  return { highlights, ghosts }
}
