import * as sortedBtree from 'sorted-btree'
import type SortedBTree from 'sorted-btree'
import type { AttributeValue, Item } from '../types'

// sorted-btree is CommonJS: Node's ESM loader (the built CLI and main process) hands over its module.exports as
// the default export, with the class on `.default`; bundlers and vitest hand over the class itself.
type BTreeClass = typeof sortedBtree.default
const BTree: BTreeClass =
  (sortedBtree.default as unknown as { default?: BTreeClass }).default ?? sortedBtree.default

/**
 * One partition: the items sharing a partition key, kept sorted by the store's comparator so a Query touches only
 * this array (binary search to the first match, then a walk). Partitions are linked in Scan order: by a hash of
 * the partition key, then the key, as DynamoDB orders them by a hash (its hash function is its own).
 */
export interface Partition {
  readonly key: string
  /** FNV-1a of the key: the first part of the Scan order. */
  readonly hash: number
  readonly hashValue: AttributeValue
  readonly items: Item[]
  prev: Partition | undefined
  next: Partition | undefined
}

/** A place in Scan order: any partition key has one, whether or not its partition exists. */
interface Place {
  readonly hash: number
  readonly key: string
}

const byPlace = (a: Place, b: Place) =>
  a.hash !== b.hash ? a.hash - b.hash : a.key < b.key ? -1 : a.key > b.key ? 1 : 0

/** FNV-1a over the key's UTF-16 units: cheap, stable across runs, well spread. */
export function partitionHash(key: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
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
 * Partitioned, sorted item storage used for a table and for each secondary index. A partition emptied by deletes
 * is dropped, so memory follows what is stored. A Scan resuming from an ExclusiveStartKey whose partition is gone
 * (or never existed) still finds its place: Scan order is a pure function of the partition key (hash, then key),
 * so the scan continues at the next partition in that order (`partitionAfter`), which a B+ tree finds in O(log n).
 */
export class OrderedStore {
  private readonly partitions = new Map<string, Partition>()
  private readonly order: SortedBTree<Place, Partition> = new BTree<Place, Partition>(undefined, byPlace)
  private head: Partition | undefined

  /** compare orders two items of one partition; it must be a total order over the items' full primary keys. */
  constructor(private readonly compare: (a: Item, b: Item) => number) {}

  partition(key: string): Partition | undefined {
    return this.partitions.get(key)
  }

  first(): Partition | undefined {
    return this.head
  }

  /** The first partition after key's place in Scan order (key's own partition excluded). */
  partitionAfter(key: string): Partition | undefined {
    return this.order.nextHigherPair({ hash: partitionHash(key), key })?.[1]
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
    if (!p) p = this.create(key, hashValue)
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

  /** Removes the item with probe's key; returns it. A partition left empty is dropped. */
  remove(key: string, probe: Item): Item | undefined {
    const p = this.partitions.get(key)
    if (!p) return undefined
    const i = this.indexOf(p, probe)
    if (i < 0) return undefined
    const [removed] = p.items.splice(i, 1)
    if (p.items.length === 0) this.drop(p)
    return removed
  }

  clear(): void {
    this.partitions.clear()
    this.order.clear()
    this.head = undefined
  }

  /** Every item, partition by partition. */
  *all(): Generator<Item> {
    for (let p = this.head; p; p = p.next) yield* p.items
  }

  /** Partitions held (each holds at least one item). */
  get partitionCount(): number {
    return this.partitions.size
  }

  private create(key: string, hashValue: AttributeValue): Partition {
    const p: Partition = {
      key,
      hash: partitionHash(key),
      hashValue,
      items: [],
      prev: undefined,
      next: undefined,
    }
    const before = this.order.nextLowerPair(p)?.[1]
    p.prev = before
    p.next = before ? before.next : this.head
    if (p.next) p.next.prev = p
    if (before) before.next = p
    else this.head = p
    this.order.set(p, p)
    this.partitions.set(key, p)
    return p
  }

  private drop(p: Partition): void {
    this.order.delete(p)
    this.partitions.delete(p.key)
    if (p.prev) p.prev.next = p.next
    else this.head = p.next
    if (p.next) p.next.prev = p.prev
    p.prev = undefined
    p.next = undefined
  }
}
