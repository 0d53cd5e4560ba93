import type { AttributeValue, Item } from '../types'

/**
 * One partition: the items sharing a partition key, kept sorted by the store's comparator so a Query touches only
 * this array (binary search to the first match, then a walk). Partitions form a linked list in creation order,
 * which is the order Scan visits them in (DynamoDB orders by a hash of the partition key; a stable creation
 * order is cheap and good enough for a local engine).
 */
export interface Partition {
  readonly key: string
  readonly hashValue: AttributeValue
  readonly items: Item[]
  prev: Partition | undefined
  next: Partition | undefined
}

/** First index i in [0, arr.length] such that !before(arr[i]). */
export function lowerBound<T>(arr: readonly T[], before: (e: T) => boolean): number {
  let lo = 0
  let hi = arr.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (before(arr[mid] as T)) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * Partitioned, sorted item storage used for a table and for each secondary index. Empty partitions stay in the
 * list (holding no items) so that a Scan resuming from an ExclusiveStartKey whose partition was emptied can still
 * find its place; they cost one small object each.
 */
export class OrderedStore {
  private readonly partitions = new Map<string, Partition>()
  private head: Partition | undefined
  private tail: Partition | undefined

  /** compare orders two items of one partition; it must be a total order over the items' full primary keys. */
  constructor(private readonly compare: (a: Item, b: Item) => number) {}

  partition(key: string): Partition | undefined {
    return this.partitions.get(key)
  }

  first(): Partition | undefined {
    return this.head
  }

  /** Index of the item equal to probe in the partition, or -1. */
  indexOf(p: Partition, probe: Item): number {
    const items = p.items
    // Keys written in ascending order (timestamps, counters) land after the last item: one comparison, no search.
    const last = items[items.length - 1]
    if (last === undefined || this.compare(last, probe) < 0) return -1
    const i = lowerBound(items, (e) => this.compare(e, probe) < 0)
    const found = items[i]
    return found !== undefined && this.compare(found, probe) === 0 ? i : -1
  }

  get(key: string, probe: Item): Item | undefined {
    const p = this.partitions.get(key)
    if (!p) return undefined
    const i = this.indexOf(p, probe)
    return i < 0 ? undefined : p.items[i]
  }

  /** Inserts or replaces the item with the same key; returns the replaced item. */
  put(key: string, hashValue: AttributeValue, item: Item): Item | undefined {
    let p = this.partitions.get(key)
    if (!p) {
      p = { key, hashValue, items: [], prev: this.tail, next: undefined }
      if (this.tail) this.tail.next = p
      else this.head = p
      this.tail = p
      this.partitions.set(key, p)
    }
    const items = p.items
    const last = items[items.length - 1]
    if (last === undefined || this.compare(last, item) < 0) {
      items.push(item)
      return undefined
    }
    const i = lowerBound(items, (e) => this.compare(e, item) < 0)
    const existing = items[i]
    if (existing !== undefined && this.compare(existing, item) === 0) {
      items[i] = item
      return existing
    }
    if (i === items.length) items.push(item)
    else items.splice(i, 0, item)
    return undefined
  }

  /** Removes the item with probe's key; returns it. */
  remove(key: string, probe: Item): Item | undefined {
    const p = this.partitions.get(key)
    if (!p) return undefined
    const i = this.indexOf(p, probe)
    if (i < 0) return undefined
    const [removed] = p.items.splice(i, 1)
    return removed
  }

  clear(): void {
    this.partitions.clear()
    this.head = undefined
    this.tail = undefined
  }

  /** Every item, partition by partition. */
  *all(): Generator<Item> {
    for (let p = this.head; p; p = p.next) yield* p.items
  }
}
