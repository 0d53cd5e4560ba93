import type { ViewGroupSummary, ViewItemRow } from '../../../shared/contract/channels/workbench'

/**
 * The visualizer's rows as the host numbers them (items:view): group 0's header row is row 0, its `count` item rows
 * follow, then group 1's header, and so on. The groups alone say every row's kind, group and position; the item rows
 * themselves are fetched a window at a time (RowCache). Pure, so it is tested without a DOM or a host.
 */
export class RowLayout {
  /** The header row of each group, ascending. */
  readonly headers: readonly number[]
  readonly rowCount: number
  private readonly headerSet: ReadonlySet<number>

  constructor(readonly groups: readonly ViewGroupSummary[]) {
    const headers: number[] = []
    let row = 0
    for (const g of groups) {
      headers.push(row)
      row += 1 + g.count
    }
    this.headers = headers
    this.rowCount = row
    this.headerSet = new Set(headers)
  }

  isHeader(row: number): boolean {
    return this.headerSet.has(row)
  }

  /** The index of the group a row belongs to (its header or one of its items); -1 outside the view. */
  groupIndexAt(row: number): number {
    if (row < 0 || row >= this.rowCount) return -1
    let lo = 0
    let hi = this.headers.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (this.headers[mid]! <= row) lo = mid
      else hi = mid - 1
    }
    return lo
  }

  groupAt(row: number): ViewGroupSummary | undefined {
    return this.groups[this.groupIndexAt(row)]
  }

  /** The header row at or above a row (the partition a sticky header names); 0 for an empty view. */
  headerAtOrBefore(row: number): number {
    return this.headers[this.groupIndexAt(Math.min(Math.max(row, 0), this.rowCount - 1))] ?? 0
  }

  /** A row's index in its group (what ViewItemRow.position says), or -1 for a header or a row outside the view. */
  positionAt(row: number): number {
    const g = this.groupIndexAt(row)
    return g < 0 ? -1 : row - this.headers[g]! - 1
  }

  /** The header row of the first non-excluded group whose partition key is `pk`, else of the first starting so. */
  findPartition(prefix: string): number | undefined {
    const q = prefix.trim()
    if (!q) return undefined
    let startsWith: number | undefined
    for (let i = 0; i < this.groups.length; i++) {
      const g = this.groups[i]!
      if (g.excluded) continue
      if (g.pk === q) return this.headers[i]
      if (startsWith === undefined && g.pk.startsWith(q)) startsWith = this.headers[i]
    }
    return startsWith
  }
}

/** A header row's id, as flattenGroups names it (shared/domain/grouping.ts). */
export const groupRowId = (g: ViewGroupSummary) => (g.excluded ? `x:${g.reason ?? ''}` : `g:${g.pk}`)

/** Rows are fetched in aligned blocks of this many (items:viewRows). */
export const BLOCK = 200

/** The blocks covering rows `from` to `to` (both included), clipped to the view. */
export function blocksIn(from: number, to: number, rowCount: number, block = BLOCK): number[] {
  const first = Math.max(0, Math.floor(from / block))
  const last = Math.min(Math.floor((rowCount - 1) / block), Math.floor(to / block))
  const out: number[] = []
  for (let b = first; b <= last; b++) out.push(b)
  return out
}

/**
 * The item rows of one view (its `viewKey`) fetched so far, by row number, with which blocks are in or on their
 * way. At most `maxBlocks` blocks are kept: scrolling through a large table drops the blocks farthest from where the
 * grid is, so memory stays bounded by what was seen lately rather than by the table.
 */
export class RowCache {
  private readonly rows = new Map<number, ViewItemRow>()
  /** The row of each stored item's id (removed items, which cannot take the cursor, are not in it). */
  private readonly byItemId = new Map<string, number>()
  private readonly done = new Set<number>()
  private readonly pending = new Set<number>()

  constructor(
    readonly viewKey: string,
    readonly rowCount: number,
    readonly block = BLOCK,
    readonly maxBlocks = 100,
  ) {}

  get(row: number): ViewItemRow | undefined {
    return this.rows.get(row)
  }

  rowOfItem(itemId: string): number | undefined {
    return this.byItemId.get(itemId)
  }

  /** Stores rows answered for [from, from + count): every block that span covers is in, whatever rows it held. */
  add(rows: readonly ViewItemRow[], from: number, count: number): void {
    for (const r of rows) {
      this.rows.set(r.row, r)
      if (!r.ghost) this.byItemId.set(r.itemId, r.row)
    }
    // A block is in when the span covers all of it (the view's last block ends at rowCount, short of a full one).
    const end = Math.min(from + count, this.rowCount)
    for (let b = Math.ceil(from / this.block); b * this.block < end; b++) {
      if (Math.min((b + 1) * this.block, this.rowCount) > end) break
      this.done.add(b)
      this.pending.delete(b)
    }
  }

  /** Blocks over rows `from`..`to` neither in nor asked for. */
  missing(from: number, to: number): number[] {
    return blocksIn(from, to, this.rowCount, this.block).filter(
      (b) => !this.done.has(b) && !this.pending.has(b),
    )
  }

  has(from: number, to: number): boolean {
    return blocksIn(from, to, this.rowCount, this.block).every((b) => this.done.has(b))
  }

  markPending(b: number): void {
    this.pending.add(b)
  }

  /** A block's request failed: it may be asked again. */
  release(b: number): void {
    this.pending.delete(b)
  }

  get pendingCount(): number {
    return this.pending.size
  }

  get blockCount(): number {
    return this.done.size
  }

  /** Drops the blocks farthest from rows `from`..`to` until at most maxBlocks are kept. */
  evict(from: number, to: number): void {
    if (this.done.size <= this.maxBlocks) return
    const centre = (from + to) / 2 / this.block
    const far = [...this.done].sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre))
    for (const b of far.slice(0, this.done.size - this.maxBlocks)) {
      this.done.delete(b)
      const end = Math.min((b + 1) * this.block, this.rowCount)
      for (let row = b * this.block; row < end; row++) {
        const r = this.rows.get(row)
        if (!r) continue
        this.rows.delete(row)
        if (this.byItemId.get(r.itemId) === row) this.byItemId.delete(r.itemId)
      }
    }
  }
}
