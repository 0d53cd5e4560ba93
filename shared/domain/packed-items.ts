import type { AttributeValueJson, ItemJson } from '../contract/channels/workbench'
import { utf8Length, valueSize } from './attribute-json'

/**
 * A page of items in a compact form for the visualizer's loading, which moves a whole table across the boundary.
 * DynamoDB JSON spells out every attribute name and type on every item (`{"customer_name":{"S":"…"}}`), and a
 * single-table design repeats the same strings across items (a partition's key on each of its items, a customer's
 * name on each order): at 100k items of the built-in sample that was 36 MB of text for the renderer to receive and parse.
 *
 * - `names`: the attribute names of the page, once each;
 * - `shapes`: each distinct list of attribute names (as indexes into `names`), once each;
 * - `strings`: the string values (`S`); a value that repeats is listed once, unless its attribute's values almost never
 *   repeat (ids, timestamps), which are listed as they come;
 * - `rows`: one per item, `[shape, v0, v1, …]`: v_i is the value of the shape's i-th attribute, a number when it is
 *   an `S` (the index of its text in `strings`), else the attribute value itself in DynamoDB JSON.
 *
 * Lossless: unpackItemsSized(packItems(items)).items equals items, attribute order included. Unpacked items share one frozen
 * `{ S }` object per distinct string.
 */
export interface PackedItems {
  names: string[]
  shapes: number[][]
  strings: string[]
  rows: (number | AttributeValueJson)[][]
}

/** The shapes met so far, as a tree keyed by name index: an item's shape is found without making a key string. */
interface ShapeNode {
  shape: number
  next: Map<number, ShapeNode>
}

/**
 * How many strings of an attribute are looked up before deciding whether its values repeat, and the share of repeats
 * below which its later strings are sent as they come: an id or a timestamp is nearly always new, and a lookup table
 * of 100k of them is most of the packing's time, for nothing saved.
 */
const REPEAT_SAMPLE = 256
const REPEAT_MIN = 0.05

export function packItems(items: readonly ItemJson[]): PackedItems {
  const names: string[] = []
  // Per attribute (by name index): strings looked up, and how many of them had been seen before.
  const looked: number[] = []
  const repeated: number[] = []
  // Per attribute: the last string looked up, and its index.
  const lastText: (string | undefined)[] = []
  const lastIndex: number[] = []
  const nameIndex = new Map<string, number>()
  const shapes: number[][] = []
  const root: ShapeNode = { shape: -1, next: new Map() }
  const strings: string[] = []
  const stringIndex = new Map<string, number>()
  const rows: (number | AttributeValueJson)[][] = new Array<(number | AttributeValueJson)[]>(items.length)
  const shape: number[] = []
  for (let r = 0; r < items.length; r++) {
    const item = items[r]!
    const row: (number | AttributeValueJson)[] = [0]
    let node = root
    shape.length = 0
    for (const name in item) {
      if (!Object.hasOwn(item, name)) continue
      let n = nameIndex.get(name)
      if (n === undefined) nameIndex.set(name, (n = names.push(name) - 1))
      shape.push(n)
      let child = node.next.get(n)
      if (!child) node.next.set(n, (child = { shape: -1, next: new Map() }))
      node = child
      const value = item[name]!
      const text = (value as { S?: unknown }).S
      if (typeof text === 'string') {
        const seen = (looked[n] ??= 0)
        // The previous item's value of the attribute first: a partition's items come together and share their key.
        if (lastText[n] === text) row.push(lastIndex[n]!)
        else if (seen >= REPEAT_SAMPLE && (repeated[n] ?? 0) < seen * REPEAT_MIN)
          row.push(strings.push(text) - 1)
        else {
          looked[n] = seen + 1
          let s = stringIndex.get(text)
          if (s === undefined) stringIndex.set(text, (s = strings.push(text) - 1))
          else repeated[n] = (repeated[n] ?? 0) + 1
          row.push(s)
          lastText[n] = text
          lastIndex[n] = s
        }
      } else row.push(value)
    }
    if (node.shape < 0) node.shape = shapes.push(shape.slice()) - 1
    row[0] = node.shape
    rows[r] = row
  }
  return { names, shapes, strings, rows }
}

/** A packed page that does not hold together (an index out of range): refused rather than shown wrong. */
export class PackedItemsError extends Error {}

/**
 * The items, and each one's DynamoDB size (itemSize's answer) worked out from the packed form: a name's or a repeated
 * string's bytes are counted once per page instead of once per item.
 */
export function unpackItemsSized(packed: PackedItems): { items: ItemJson[]; sizes: number[] } {
  const { names, shapes, strings, rows } = packed
  const shapeNames = shapes.map((shape) =>
    shape.map((n) => {
      const name = names[n]
      if (name === undefined) throw new PackedItemsError(`packed items: no attribute name #${n}`)
      return name
    }),
  )
  // One value object per distinct string, shared by every item that holds it (a partition's key on each of its items,
  // a user's name on each message): fewer objects to make and collect. Frozen, as nothing may change a shared value.
  const stringValues: (AttributeValueJson | undefined)[] = new Array(strings.length)
  const stringBytes: number[] = new Array<number>(strings.length).fill(-1)
  const shapeBytes = shapeNames.map((attrs) => attrs.reduce((n, a) => n + utf8Length(a), 0))
  const out: ItemJson[] = new Array<ItemJson>(rows.length)
  const sizes: number[] = new Array<number>(rows.length)
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!
    const attrs = shapeNames[row[0] as number]
    if (!attrs || row.length !== attrs.length + 1)
      throw new PackedItemsError(`packed items: row ${r} does not match its shape`)
    // Object.create(null)-free on purpose: items are plain objects everywhere else; an attribute named __proto__
    // is defined as an own property rather than assigned.
    const item: ItemJson = {}
    let size = shapeBytes[row[0] as number]!
    for (let i = 0; i < attrs.length; i++) {
      const v = row[i + 1]!
      let value: AttributeValueJson
      if (typeof v === 'number') {
        let shared = stringValues[v]
        if (!shared) {
          const s = strings[v]
          if (s === undefined) throw new PackedItemsError(`packed items: no string #${v}`)
          shared = stringValues[v] = Object.freeze({ S: s })
          stringBytes[v] = utf8Length(s)
        }
        value = shared
        size += stringBytes[v]!
      } else {
        value = v
        size += valueSize(v)
      }
      const name = attrs[i]!
      if (name === '__proto__')
        Object.defineProperty(item, name, { value, enumerable: true, writable: true, configurable: true })
      else item[name] = value
    }
    out[r] = item
    sizes[r] = size
  }
  return { items: out, sizes }
}
