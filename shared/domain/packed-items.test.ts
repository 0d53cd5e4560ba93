import { describe, expect, it } from 'vitest'
import type { ItemJson } from '../contract/channels/workbench'
import { itemSize } from './attribute-json'
import { packItems, PackedItemsError, unpackItemsSized, type PackedItems } from './packed-items'

const unpackItems = (packed: PackedItems) => unpackItemsSized(packed).items

describe('packed items', () => {
  const items: ItemJson[] = [
    {
      pk: { S: 'MSG#1' },
      sk: { S: '2026-01-01' },
      user: { S: 'ann' },
      n: { N: '12345678901234567890.123456789' },
    },
    { pk: { S: 'MSG#1' }, sk: { S: '2026-01-02' }, user: { S: 'ann' }, n: { N: '-1E-130' } },
    {
      sk: { S: 'first' },
      pk: { S: 'GRP#2' },
      b: { B: 'AAEC' },
      ok: { BOOL: false },
      nil: { NULL: true },
      ss: { SS: ['a', 'b'] },
      ns: { NS: ['1', '2.5'] },
      bs: { BS: ['AA=='] },
      l: { L: [{ S: 'MSG#1' }, { M: { deep: { N: '3' } } }] },
      m: { M: { user: { S: 'ann' } } },
      empty: { S: '' },
    },
    {},
  ]

  it('round-trips every attribute type, item order and attribute order', () => {
    const back = unpackItems(packItems(items))
    expect(back).toEqual(items)
    expect(back.map((it) => Object.keys(it))).toEqual(items.map((it) => Object.keys(it)))
  })

  it('states each name, shape and string once', () => {
    const packed = packItems(items)
    expect(packed.strings.filter((s) => s === 'ann')).toHaveLength(1)
    expect(packed.strings.filter((s) => s === 'MSG#1')).toHaveLength(1)
    expect(packed.names.filter((n) => n === 'pk')).toHaveLength(1)
    // The first two items have the same attributes in the same order: one shape.
    expect(packed.rows[0]![0]).toBe(packed.rows[1]![0])
    expect(packed.shapes).toHaveLength(3)
    // A partition of messages by a few users: well under half the text of DynamoDB JSON.
    const messages: ItemJson[] = Array.from({ length: 200 }, (_, i) => ({
      pk: { S: 'MSG#5ae290ed-55d1-47a0-bc6d-fe2bc2700399' },
      sk: { S: `2026-01-01T00:00:${String(i).padStart(3, '0')}` },
      user_handle: { S: `user${i % 3}` },
      user_display_name: { S: `User number ${i % 3}` },
    }))
    expect(JSON.stringify(packItems(messages)).length).toBeLessThan(JSON.stringify(messages).length / 2)
  })

  it('shares one frozen value object per distinct string, so a change to one item cannot reach another', () => {
    const [a, b] = unpackItems(packItems(items))
    expect(a!.pk).toEqual(b!.pk)
    expect(a!.pk).toBe(b!.pk)
    expect(Object.isFrozen(a!.pk)).toBe(true)
    expect(() => {
      ;(a!.pk as { S: string }).S = 'changed'
    }).toThrow(TypeError)
    expect(b!.pk).toEqual(items[1]!.pk)
  })

  it('lists a repeating value once, and the values of an attribute that never repeats as they come, losslessly', () => {
    const many: ItemJson[] = Array.from({ length: 2000 }, (_, i) => ({
      pk: { S: `P#${i % 7}` },
      id: { S: `id-${i}` },
      // Unique for the first 1500 items, then repeating: still read back exactly.
      late: { S: i < 1500 ? `late-${i}` : 'late-0' },
    }))
    const packed = packItems(many)
    expect(unpackItems(packed)).toEqual(many)
    expect(packed.strings.filter((s) => s.startsWith('P#'))).toHaveLength(7)
    expect(packed.strings.filter((s) => s.startsWith('id-'))).toHaveLength(2000)
    // Once an attribute has shown it does not repeat, its values are no longer looked up, even when one repeats.
    expect(packed.strings.filter((s) => s === 'late-0').length).toBeGreaterThan(1)
  })

  it("gives each item's DynamoDB size as itemSize counts it, from the packed form", () => {
    const withText: ItemJson[] = [
      ...items,
      { pk: { S: 'MSG#1' }, sk: { S: 'é—😀' }, note: { S: 'tab\tand a line\n' }, ns: { NS: ['1', '22'] } },
      { pk: { S: 'MSG#1' }, sk: { S: 'é—😀' }, m: { M: { a: { L: [{ BOOL: true }, { NULL: true }] } } } },
    ]
    const { items: out, sizes } = unpackItemsSized(packItems(withText))
    expect(out).toEqual(withText)
    expect(sizes).toEqual(withText.map(itemSize))
  })

  it('keeps an attribute named __proto__ as an attribute', () => {
    const item = JSON.parse('{"__proto__":{"S":"x"},"pk":{"S":"a"}}') as ItemJson
    const [back] = unpackItems(packItems([item]))
    expect(Object.keys(back!)).toEqual(['__proto__', 'pk'])
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype)
    expect(JSON.stringify(back)).toBe(JSON.stringify(item))
  })

  it('refuses a page whose indexes point nowhere', () => {
    const packed = packItems(items.slice(0, 1))
    expect(() => unpackItems({ ...packed, strings: [] })).toThrow(PackedItemsError)
    expect(() => unpackItems({ ...packed, rows: [[7]] })).toThrow(PackedItemsError)
    expect(() => unpackItems({ ...packed, rows: [[0, 1]] })).toThrow(PackedItemsError)
  })
})
