/**
 * Evaluation of conditions and filters against an item. Comparisons between different types are false, never
 * errors, as in DynamoDB. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
 */
import type { AttributeValue, Item } from '../types'
import { attributeValuesEqual, compareAttributeValues, decodeBinary, getAttr, typeOf } from '../values'
import type { Condition, DocPath, Operand } from './ast'

export function getPath(item: Item | undefined, path: DocPath): AttributeValue | undefined {
  if (!item) return undefined
  let cur: AttributeValue | undefined = getAttr(item, path[0] as string)
  for (let i = 1; i < path.length && cur; i++) {
    const p = path[i]!
    if (typeof p === 'number') cur = 'L' in cur ? cur.L[p] : undefined
    else cur = 'M' in cur ? getAttr(cur.M, p) : undefined
  }
  return cur
}

/** size(): characters of a string, bytes of a binary, elements of a set, list or map. */
export function sizeOf(v: AttributeValue): number | undefined {
  if ('S' in v) return v.S.length
  if ('B' in v) return decodeBinary(v.B).length
  if ('SS' in v) return v.SS.length
  if ('NS' in v) return v.NS.length
  if ('BS' in v) return v.BS.length
  if ('L' in v) return v.L.length
  if ('M' in v) return Object.keys(v.M).length
  return undefined
}

export function resolveOperand(o: Operand, item: Item | undefined): AttributeValue | undefined {
  switch (o.kind) {
    case 'value':
      return o.value
    case 'path':
      return getPath(item, o.path)
    case 'size': {
      const v = resolveOperand(o.arg, item)
      const n = v === undefined ? undefined : sizeOf(v)
      return n === undefined ? undefined : { N: String(n) }
    }
  }
}

function orderable(a: AttributeValue, b: AttributeValue): boolean {
  return ('S' in a && 'S' in b) || ('N' in a && 'N' in b) || ('B' in a && 'B' in b)
}

function beginsWith(a: AttributeValue, b: AttributeValue): boolean {
  if ('S' in a && 'S' in b) return a.S.startsWith(b.S)
  if ('B' in a && 'B' in b) {
    const x = decodeBinary(a.B)
    const y = decodeBinary(b.B)
    return y.length <= x.length && x.subarray(0, y.length).equals(y)
  }
  return false
}

function contains(a: AttributeValue, b: AttributeValue): boolean {
  if ('S' in a) return 'S' in b && a.S.includes(b.S)
  if ('B' in a) return 'B' in b && decodeBinary(a.B).includes(decodeBinary(b.B))
  if ('SS' in a) return 'S' in b && a.SS.includes(b.S)
  if ('NS' in a) return 'N' in b && a.NS.some((n) => attributeValuesEqual({ N: n }, b))
  if ('BS' in a) return 'B' in b && a.BS.some((x) => attributeValuesEqual({ B: x }, b))
  if ('L' in a) return a.L.some((e) => attributeValuesEqual(e, b))
  return false
}

export function evaluateCondition(c: Condition, item: Item | undefined): boolean {
  switch (c.kind) {
    case 'and':
      return evaluateCondition(c.left, item) && evaluateCondition(c.right, item)
    case 'or':
      return evaluateCondition(c.left, item) || evaluateCondition(c.right, item)
    case 'not':
      return !evaluateCondition(c.condition, item)
    case 'attribute_exists':
      return getPath(item, c.path) !== undefined
    case 'attribute_not_exists':
      return getPath(item, c.path) === undefined
    case 'attribute_type': {
      const v = resolveOperand(c.operand, item)
      const t = resolveOperand(c.type, item)
      return v !== undefined && t !== undefined && 'S' in t && typeOf(v) === t.S
    }
    case 'begins_with': {
      const a = resolveOperand(c.left, item)
      const b = resolveOperand(c.right, item)
      return a !== undefined && b !== undefined && beginsWith(a, b)
    }
    case 'contains': {
      const a = resolveOperand(c.left, item)
      const b = resolveOperand(c.right, item)
      return a !== undefined && b !== undefined && contains(a, b)
    }
    case 'in': {
      const a = resolveOperand(c.operand, item)
      if (a === undefined) return false
      return c.list.some((o) => {
        const b = resolveOperand(o, item)
        return b !== undefined && attributeValuesEqual(a, b)
      })
    }
    case 'between': {
      const a = resolveOperand(c.operand, item)
      const lo = resolveOperand(c.low, item)
      const hi = resolveOperand(c.high, item)
      if (a === undefined || lo === undefined || hi === undefined) return false
      if (!orderable(a, lo) || !orderable(a, hi)) return false
      return compareAttributeValues(a, lo) >= 0 && compareAttributeValues(a, hi) <= 0
    }
    case 'compare': {
      const a = resolveOperand(c.left, item)
      const b = resolveOperand(c.right, item)
      if (c.op === '=') return a !== undefined && b !== undefined && attributeValuesEqual(a, b)
      if (c.op === '<>') return !(a !== undefined && b !== undefined && attributeValuesEqual(a, b))
      if (a === undefined || b === undefined || !orderable(a, b)) return false
      const cmp = compareAttributeValues(a, b)
      switch (c.op) {
        case '<':
          return cmp < 0
        case '<=':
          return cmp <= 0
        case '>':
          return cmp > 0
        case '>=':
          return cmp >= 0
      }
    }
  }
}
