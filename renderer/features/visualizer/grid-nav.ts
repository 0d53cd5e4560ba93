/**
 * Keyboard movement over the visualizer's rows. Only stored items take the cursor: partition headers are
 * landmarks, and removed items (ghosts) cannot be opened. The rows are a count and a test, since most of a large
 * view's rows are not fetched yet (the grid counts a row it has not seen as an item). Pure, so it is tested without
 * a DOM.
 */
export type NavKey = 'ArrowDown' | 'ArrowUp' | 'Home' | 'End' | 'PageDown' | 'PageUp'

const NAV_KEYS: ReadonlySet<string> = new Set<NavKey>([
  'ArrowDown',
  'ArrowUp',
  'Home',
  'End',
  'PageDown',
  'PageUp',
])
export const isNavKey = (key: string): key is NavKey => NAV_KEYS.has(key)

export interface NavRows {
  count: number
  /** Whether row `i` can take the cursor. */
  selectable(i: number): boolean
}

/** The first selectable row from `from` (included) in direction `dir`, or -1. */
export function findSelectable(rows: NavRows, from: number, dir: 1 | -1): number {
  for (let i = from; i >= 0 && i < rows.count; i += dir) if (rows.selectable(i)) return i
  return -1
}

/**
 * Where the cursor goes for a key, from row `from` (-1: no cursor yet, so any key lands on the first item).
 * `pageRows` is how many rows a page holds. Returns -1 when no row can take the cursor.
 */
export function moveCursor(rows: NavRows, from: number, key: NavKey, pageRows: number): number {
  const last = rows.count - 1
  if (from < 0 || from > last) return findSelectable(rows, 0, 1)
  const nearest = (target: number, dir: 1 | -1) => {
    const hit = findSelectable(rows, target, dir)
    return hit >= 0 ? hit : findSelectable(rows, target, dir === 1 ? -1 : 1)
  }
  switch (key) {
    case 'ArrowDown': {
      const next = findSelectable(rows, from + 1, 1)
      return next >= 0 ? next : from
    }
    case 'ArrowUp': {
      const prev = findSelectable(rows, from - 1, -1)
      return prev >= 0 ? prev : from
    }
    case 'Home':
      return findSelectable(rows, 0, 1)
    case 'End':
      return findSelectable(rows, last, -1)
    case 'PageDown':
      return nearest(Math.min(last, from + Math.max(1, pageRows)), 1)
    case 'PageUp':
      return nearest(Math.max(0, from - Math.max(1, pageRows)), -1)
  }
}
