import { expect, test } from 'vitest'
import fc from 'fast-check'
import { lowerBound, OrderedStore } from './ordered-store'
import type { Item } from '../types'

const item = (p: number, s: number, v = 0): Item => ({ p: { N: String(p) }, s: { N: String(s) }, v: { N: String(v) } })
const sortOf = (i: Item) => Number((i.s as { N: string }).N)

test('lowerBound finds the first element not before the target', () => {
  const arr = [1, 3, 3, 5]
  expect(lowerBound(arr, (x) => x < 3)).toBe(1)
  expect(lowerBound(arr, (x) => x <= 3)).toBe(3)
  expect(lowerBound(arr, (x) => x < 0)).toBe(0)
  expect(lowerBound(arr, (x) => x < 9)).toBe(4)
})

test('random puts and removes keep every partition sorted, unique and equal to a reference map', () => {
  const op = fc.record({ remove: fc.boolean(), p: fc.integer({ min: 0, max: 4 }), s: fc.integer({ min: 0, max: 30 }), v: fc.integer() })
  fc.assert(
    fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
      const store = new OrderedStore((a, b) => sortOf(a) - sortOf(b))
      const reference = new Map<string, Item>()
      const created: number[] = []
      for (const o of ops) {
        const key = `${o.p}/${o.s}`
        if (o.remove) {
          const removed = store.remove(String(o.p), item(o.p, o.s))
          expect(removed).toBe(reference.get(key))
          reference.delete(key)
        } else {
          const next = item(o.p, o.s, o.v)
          if (!created.includes(o.p)) created.push(o.p)
          expect(store.put(String(o.p), { N: String(o.p) }, next)).toBe(reference.get(key))
          reference.set(key, next)
        }
      }
      // Partitions are visited in creation order; each is sorted by the comparator with no duplicates.
      const visited: number[] = []
      for (let part = store.first(); part; part = part.next) {
        visited.push(Number(part.key))
        const sorts = part.items.map(sortOf)
        expect(sorts).toEqual([...new Set(sorts)].sort((a, b) => a - b))
      }
      expect(visited).toEqual(created)
      expect([...store.all()].length).toBe(reference.size)
      for (const [key, value] of reference) {
        const [p, s] = key.split('/').map(Number) as [number, number]
        expect(store.get(String(p), item(p, s))).toBe(value)
      }
    }),
    { numRuns: 300 },
  )
})
