import type { ItemJson } from '../../../shared/contract/channels/workbench'
import { displayValue } from '../../../shared/domain/attribute-json'
import { formatBytes } from '../../components/format'

/** Longest text a cell shows; the rest is in the inspector. */
const CELL_MAX = 60
/**
 * How many items keep their texts. Plain maps emptied when full rather than WeakMaps: every WeakMap
 * entry is an ephemeron the garbage collector must revisit in each full collection, and at 100k items that phase
 * showed up in scroll frames. A few thousand entries hold every row a user scrolls past in a while.
 */
const CAPACITY = 4096

/**
 * Display strings, worked out once per item and attribute rather than on every render of a row: rows mount and
 * unmount continuously while the grid scrolls, and a map or list value goes through JSON.stringify. Keyed by the
 * item object, so a reload (new objects) starts afresh.
 */
const texts = new Map<ItemJson, Map<string, string>>()

export function cellText(item: ItemJson, attr: string): string {
  let perItem = texts.get(item)
  if (!perItem) {
    if (texts.size >= CAPACITY) texts.clear()
    texts.set(item, (perItem = new Map()))
  }
  let text = perItem.get(attr)
  if (text === undefined) perItem.set(attr, (text = displayValue(item[attr], CELL_MAX)))
  return text
}

const count = new Intl.NumberFormat()

/**
 * A partition header's summary ("12 items · 3.4 KB · 1 removed") from the view's group: `count` rows, of which
 * `removedCount` are removed items. Nothing here holds on to a group (a cache keyed by groups kept every earlier
 * view's partitions alive).
 */
export function groupSummary(g: { count: number; removedCount: number; sizeBytes: number }): string {
  const stored = g.count - g.removedCount
  return `${count.format(stored)} ${stored === 1 ? 'item' : 'items'} · ${formatBytes(g.sizeBytes)}${g.removedCount ? ` · ${g.removedCount} removed` : ''}`
}
