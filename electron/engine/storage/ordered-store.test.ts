import { expect, test } from 'vitest'
import fc from 'fast-check'
import { lowerBound, OrderedStore, partitionHash } from './ordered-store'
import type { Item } from '../types'

const item = (p: number, s: number, v = 0): Item => ({
  p: { N: String(p) },
  s: { N: String(s) },
  v: { N: String(v) },
})
const sortOf = (i: Item) => Number((i.s as { N: string }).N)

test('lowerBound finds the first element not before the target', () => {
  const arr = [1, 3, 3, 5]
  expect(lowerBound(arr, (x) => x < 3)).toBe(1)
  expect(lowerBound(arr, (x) => x <= 3)).toBe(3)
  expect(lowerBound(arr, (x) => x < 0)).toBe(0)
  expect(lowerBound(arr, (x) => x < 9)).toBe(4)
})

test('random puts and removes keep every partition sorted, unique and equal to a reference map', () => {
  const op = fc.record({
    remove: fc.boolean(),
    p: fc.integer({ min: 0, max: 4 }),
    s: fc.integer({ min: 0, max: 30 }),
    v: fc.integer(),
  })
  fc.assert(
    fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
      const store = new OrderedStore((a, b) => sortOf(a) - sortOf(b))
      const reference = new Map<string, Item>()
      for (const o of ops) {
        const key = `${o.p}/${o.s}`
        if (o.remove) {
          const removed = store.remove(String(o.p), item(o.p, o.s))
          expect(removed).toBe(reference.get(key))
          reference.delete(key)
        } else {
          const next = item(o.p, o.s, o.v)
          expect(store.put(String(o.p), { N: String(o.p) }, next)).toBe(reference.get(key))
          reference.set(key, next)
        }
      }
      // Only partitions holding items remain, visited by (hash, key) both ways along the links; each is sorted by
      // the comparator with no duplicates.
      const visited: string[] = []
      let last
      for (let part = store.first(); part; part = part.next) {
        visited.push(part.key)
        expect(part.items.length).toBeGreaterThan(0)
        expect(part.prev).toBe(last)
        last = part
        const sorts = part.items.map(sortOf)
        expect(sorts).toEqual([...new Set(sorts)].sort((a, b) => a - b))
      }
      const live = [...new Set([...reference.keys()].map((k) => k.split('/')[0] as string))]
      expect(visited).toEqual(live.sort((a, b) => partitionHash(a) - partitionHash(b) || (a < b ? -1 : 1)))
      expect(store.partitionCount).toBe(live.length)
      // Any key, stored or not, resumes at the first live partition after its place.
      for (let k = 0; k <= 5; k++) {
        const after = visited.find(
          (v) =>
            partitionHash(v) > partitionHash(String(k)) ||
            (partitionHash(v) === partitionHash(String(k)) && v > String(k)),
        )
        expect(store.partitionAfter(String(k))?.key).toBe(after)
      }
      expect([...store.all()].length).toBe(reference.size)
      for (const [key, value] of reference) {
        const [p, s] = key.split('/').map(Number) as [number, number]
        expect(store.get(String(p), item(p, s))).toBe(value)
      }
    }),
    { numRuns: 300 },
  )
})

test('a store emptied by deletes holds no partitions, however many keys it has seen', () => {
  const store = new OrderedStore((a, b) => sortOf(a) - sortOf(b))
  for (let p = 0; p < 5000; p++) store.put(String(p), { N: String(p) }, item(p, 0))
  expect(store.partitionCount).toBe(5000)
  for (let p = 0; p < 5000; p++) store.remove(String(p), item(p, 0))
  expect(store.partitionCount).toBe(0)
  expect(store.first()).toBeUndefined()
  expect(store.partitionAfter('17')).toBeUndefined()
})
