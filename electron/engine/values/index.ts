/**
 * The attribute-value layer: validation and normalization of DynamoDB values, key ordering, equality and item size.
 * Numbers are handled as decimal text (decimal.js), never as JS floats, because DynamoDB keeps 38 significant digits.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
 */
import Decimal from 'decimal.js'
import { DynamoError, readBoolean, validation, wrongJsonType } from '../types'
import type { AttributeValue, Item } from '../types'

export type AttributeType = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'SS' | 'NS' | 'BS' | 'L' | 'M'

const TYPES: ReadonlySet<string> = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M'])

/** Containers may nest 32 levels, the top-level attribute being the first. */
const MAX_DEPTH = 32

/** DynamoDB's number grammar: no whitespace, no hex, no Infinity/NaN (which decimal.js would accept). */
const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

// Messages below are real DynamoDB's (DynamoDB Local words some of them differently; see
// tests/conformance/KNOWN-DIFFERENCES.md).
export const NUMBER_MESSAGES = {
  empty: 'The parameter cannot be converted to a numeric value',
  invalid: (n: string) => `The parameter cannot be converted to a numeric value: ${n}`,
  overflow: 'Number overflow. Attempting to store a number with magnitude larger than supported range',
  underflow: 'Number underflow. Attempting to store a number with magnitude smaller than supported range',
  precision: 'Attempting to store more than 38 significant digits in a Number',
} as const

/** DynamoDB's number grammar, split into its integer digits, fraction digits and exponent. */
const NUMBER_PARTS = /^[+-]?(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?$/
/** DynamoDB parses numbers as Java's BigDecimal does, whose exponent is a 32-bit int: beyond it, text is no number. */
const MAX_EXPONENT_DIGITS = 10
const INT_MAX = 2147483647

/**
 * Parses DynamoDB number text to a Decimal, enforcing the range and precision limits. The magnitude is read from
 * the text before decimal.js sees it: decimal.js turns exponents beyond its own range into Infinity or a silent 0
 * (`1e-9999999999999999999` would become the key 0).
 */
export function parseNumber(n: string): Decimal {
  if (typeof n !== 'string' || n === '') throw validation(NUMBER_MESSAGES.empty)
  if (!NUMBER_RE.test(n)) throw validation(NUMBER_MESSAGES.invalid(n))
  const [, int = '', frac = '', exp] = NUMBER_PARTS.exec(n) as RegExpExecArray
  if (exp !== undefined) {
    const digits = exp.replace(/^[+-]?0*/, '')
    if (digits.length > MAX_EXPONENT_DIGITS || Number(digits) > INT_MAX)
      throw validation(NUMBER_MESSAGES.invalid(n))
  }
  const all = int + frac
  const first = all.search(/[1-9]/)
  if (first < 0) return new Decimal(0)
  // Scientific exponent of the first significant digit; exact, since every part is bounded above.
  const magnitude = int.length - 1 - first + (exp === undefined ? 0 : Number(exp))
  if (magnitude > 125) throw validation(NUMBER_MESSAGES.overflow)
  if (magnitude < -130) throw validation(NUMBER_MESSAGES.underflow)
  const d = new Decimal(n)
  checkNumberRange(d)
  return d
}

/** Range and precision of a number (a parsed one, or one computed by SET a = a + :x or ADD). */
export function checkNumberRange(d: Decimal): void {
  if (d.isZero()) return
  // Magnitude 1E-130 .. 9.9999999999999999999999999999999999999E+125
  if (!d.isFinite() || d.e > 125) throw validation(NUMBER_MESSAGES.overflow)
  if (d.e < -130) throw validation(NUMBER_MESSAGES.underflow)
  if (d.sd() > 38) throw validation(NUMBER_MESSAGES.precision)
}

/** DynamoDB's canonical text of a number: plain notation, no leading/trailing zeros, "0" for any zero. */
export function formatNumber(d: Decimal): string {
  return d.isZero() ? '0' : d.toFixed()
}

/**
 * An integer already in canonical text: no sign but minus, no leading zeros, at most 38 digits (so within range
 * and precision). Most numbers a workload stores (counters, epoch times) are these; they skip decimal.js.
 */
const CANONICAL_INT = /^(?:0|-?[1-9]\d{0,37})$/

export function normalizeNumber(n: string): string {
  if (typeof n === 'string' && CANONICAL_INT.test(n)) return n
  return formatNumber(parseNumber(n))
}

export function typeOf(v: AttributeValue): AttributeType {
  for (const k in v) return k as AttributeType
  throw validation('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes')
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function serialization(message: string): DynamoError {
  return new DynamoError('SerializationException', message)
}

function expectString(v: unknown): string {
  if (typeof v !== 'string') throw wrongJsonType(v, 'String')
  return v
}

function expectStringArray(v: unknown, what: string): string[] {
  if (!Array.isArray(v)) throw serialization(`Unexpected value type in payload: ${what} must be a list`)
  return v.map((x) => expectString(x))
}

function checkBase64(b: string): string {
  if (!BASE64_RE.test(b)) throw serialization('Base64 encoded value is not valid')
  return b
}

const SET_EMPTY: Record<'SS' | 'NS' | 'BS', string> = {
  SS: 'One or more parameter values were invalid: An string set  may not be empty',
  NS: 'One or more parameter values were invalid: An number set  may not be empty',
  BS: 'One or more parameter values were invalid: Binary sets should not be empty',
}

/**
 * Validates one attribute value and returns its normalized copy (numbers canonical).
 * `depth` is the nesting level of this value: 1 for a top-level attribute.
 */
export function validateAttributeValue(v: unknown, path: string | number = '', depth = 1): AttributeValue {
  if (!isPlainObject(v)) throw serialization(`Unexpected value type in payload at ${String(path)}`)
  let type: string | undefined
  let count = 0
  let members = 0
  for (const k in v) {
    members++
    // The SDKs omit unset members and JSON null means unset; DynamoDB's reader skips members it does not know,
    // so {"X": "a"} is an empty value (DynamoDB Local alike).
    if (v[k] === undefined || v[k] === null || !TYPES.has(k)) continue
    count++
    type ??= k
  }
  if (count === 0 || type === undefined) {
    throw validation('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes')
  }
  // A lone scalar already in canonical form is kept as it came: copying every value of every written item was a
  // large share of a write's cost. Callers hand over requests the engine may keep (see Engine.handle).
  if (members === 1 && canonicalScalar(type, v[type])) return v as AttributeValue
  // DynamoDB validates the members of the first type before noticing a second one.
  const out = validateTyped(type as AttributeType, v[type], path, depth)
  if (count > 1) {
    throw validation(
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    )
  }
  return out
}

function canonicalScalar(type: string, raw: unknown): boolean {
  switch (type) {
    case 'S':
      return typeof raw === 'string'
    case 'N':
      return typeof raw === 'string' && CANONICAL_INT.test(raw)
    case 'BOOL':
      return typeof raw === 'boolean'
    case 'NULL':
      return raw === true
    default:
      return false
  }
}

function validateTyped(
  type: AttributeType,
  raw: unknown,
  path: string | number,
  depth: number,
): AttributeValue {
  switch (type) {
    case 'S':
      return { S: expectString(raw) }
    case 'N':
      return { N: normalizeNumber(expectString(raw)) }
    case 'B':
      return { B: checkBase64(expectString(raw)) }
    case 'BOOL':
      return { BOOL: readBoolean(raw) }
    case 'NULL':
      if (readBoolean(raw) !== true) {
        throw validation(
          'One or more parameter values were invalid: Null attribute value types must have the value of true',
        )
      }
      return { NULL: true }
    case 'SS': {
      const ss = expectStringArray(raw, 'STRING_VALUE')
      if (ss.length === 0) throw validation(SET_EMPTY.SS)
      if (new Set(ss).size !== ss.length) {
        throw validation(
          `One or more parameter values were invalid: Input collection [${ss.join(', ')}] contains duplicates.`,
        )
      }
      return { SS: [...ss] }
    }
    case 'NS': {
      const ns = expectStringArray(raw, 'NUMBER_VALUE')
      if (ns.length === 0) throw validation(SET_EMPTY.NS)
      const normalized = ns.map(normalizeNumber)
      // Duplicates compare numerically: ["1", "1.0"] is a duplicate.
      if (new Set(normalized).size !== normalized.length)
        throw validation('Input collection contains duplicates')
      return { NS: normalized }
    }
    case 'BS': {
      const bs = expectStringArray(raw, 'BINARY_VALUE').map(checkBase64)
      if (bs.length === 0) throw validation(SET_EMPTY.BS)
      if (new Set(bs.map(canonicalBase64)).size !== bs.length) {
        throw validation(
          `One or more parameter values were invalid: Input collection [${bs.join(', ')}]of type BS contains duplicates.`,
        )
      }
      return { BS: [...bs] }
    }
    case 'L': {
      if (!Array.isArray(raw)) throw serialization('Unexpected value type in payload: L must be a list')
      checkDepth(depth)
      return { L: raw.map((x, i) => validateAttributeValue(x, i, depth + 1)) }
    }
    case 'M': {
      if (!isPlainObject(raw)) throw serialization('Unexpected value type in payload: M must be a map')
      checkDepth(depth)
      const m: Record<string, AttributeValue> = {}
      for (const k in raw) {
        if (raw[k] === undefined) continue
        setAttr(m, k, validateAttributeValue(raw[k], k, depth + 1))
      }
      return { M: m }
    }
  }
}

function checkDepth(depth: number): void {
  if (depth >= MAX_DEPTH) {
    throw validation(
      'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit',
    )
  }
}

/**
 * Sets an attribute (or map member) as an own property. `__proto__` is a valid attribute name, and plain assignment
 * of it would change the object's prototype instead, losing the attribute.
 */
export function setAttr<T>(obj: Record<string, T>, name: string, value: T): void {
  if (name === '__proto__')
    Object.defineProperty(obj, name, { value, writable: true, enumerable: true, configurable: true })
  else obj[name] = value
}

/** Reads an attribute (or map member) the object itself holds: never Object.prototype for `__proto__`. */
export function getAttr<T>(obj: Record<string, T>, name: string): T | undefined {
  return name === '__proto__' && !Object.hasOwn(obj, name) ? undefined : obj[name]
}

/** Validates an item (or a key, or ExpressionAttributeValues) and returns the normalized copy. */
export function validateItem(item: unknown, opts: { field?: string } = {}): Item {
  if (!isPlainObject(item)) {
    throw serialization(`Unexpected value type in payload${opts.field ? `: ${opts.field}` : ''}`)
  }
  // The item itself is kept when every value was (none dropped or normalized); a copy starts at the first change.
  let out: Item | undefined
  for (const name in item) {
    const raw = item[name]
    const v = raw === undefined ? undefined : validateAttributeValue(raw, name, 1)
    if (out === undefined && (raw === undefined || v !== raw)) {
      out = {}
      for (const before in item) {
        if (before === name) break
        setAttr(out, before, item[before] as AttributeValue)
      }
    }
    if (out !== undefined && v !== undefined) setAttr(out, name, v)
  }
  return out ?? (item as Item)
}

// ---------------------------------------------------------------------------------------------------------------
// Ordering and equality

const HIGH_UNIT = /[\ud800-\uffff]/

/** Compares two strings by their UTF-8 bytes, which is code point order (JS `<` is UTF-16 code unit order). */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0
  // UTF-16 order differs from code point order only where both strings hold a unit at or above U+D800 (a
  // surrogate against U+E000..FFFF); when either has none, the engine's native comparison gives the same answer.
  if (!HIGH_UNIT.test(a) || !HIGH_UNIT.test(b)) return a < b ? -1 : 1
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i)
    let y = b.charCodeAt(i)
    if (x === y) continue
    // Surrogates (U+D800..DFFF) encode code points above U+FFFF, so they sort after U+E000..FFFF.
    if (x >= 0xd800) x = x <= 0xdfff ? x + 0x2000 : x - 0x800
    if (y >= 0xd800) y = y <= 0xdfff ? y + 0x2000 : y - 0x800
    return x < y ? -1 : 1
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0
}

export function decodeBinary(b: string): Buffer {
  return Buffer.from(b, 'base64')
}

function canonicalBase64(b: string): string {
  return Buffer.from(b, 'base64').toString('base64')
}

/** Integers of up to 15 digits are exact as doubles; anything else compares as decimals. */
const SMALL_INT = /^-?\d{1,15}$/

export function compareNumbers(a: string, b: string): number {
  if (a === b) return 0
  if (SMALL_INT.test(a) && SMALL_INT.test(b)) {
    const x = Number(a)
    const y = Number(b)
    return x < y ? -1 : x > y ? 1 : 0
  }
  return new Decimal(a).comparedTo(new Decimal(b))
}

/**
 * Orders two key values (S, N or B) as DynamoDB sorts a sort key. Values of different types compare by type name
 * only to keep the order total; DynamoDB never compares them (a key attribute has one type).
 */
export function compareAttributeValues(a: AttributeValue, b: AttributeValue): number {
  if ('S' in a && 'S' in b) return compareUtf8(a.S, b.S)
  if ('N' in a && 'N' in b) return compareNumbers(a.N, b.N)
  if ('B' in a && 'B' in b) return Buffer.compare(decodeBinary(a.B), decodeBinary(b.B))
  const ta = typeOf(a)
  const tb = typeOf(b)
  return ta < tb ? -1 : ta > tb ? 1 : 0
}

/** Deep equality for any type: sets ignore order, numbers compare by value, binaries by bytes. */
export function attributeValuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  if ('S' in a) return 'S' in b && a.S === b.S
  if ('N' in a) return 'N' in b && compareNumbers(a.N, b.N) === 0
  if ('B' in a) return 'B' in b && canonicalBase64(a.B) === canonicalBase64(b.B)
  if ('BOOL' in a) return 'BOOL' in b && a.BOOL === b.BOOL
  if ('NULL' in a) return 'NULL' in b
  if ('SS' in a) return 'SS' in b && sameSet(a.SS, b.SS, (x) => x)
  if ('NS' in a) return 'NS' in b && sameSet(a.NS, b.NS, normalizeNumber)
  if ('BS' in a) return 'BS' in b && sameSet(a.BS, b.BS, canonicalBase64)
  if ('L' in a) {
    if (!('L' in b) || a.L.length !== b.L.length) return false
    for (let i = 0; i < a.L.length; i++) if (!attributeValuesEqual(a.L[i]!, b.L[i]!)) return false
    return true
  }
  if ('M' in a) {
    if (!('M' in b)) return false
    const ka = Object.keys(a.M)
    if (ka.length !== Object.keys(b.M).length) return false
    for (const k of ka) {
      const bv = b.M[k]
      if (bv === undefined || !attributeValuesEqual(a.M[k]!, bv)) return false
    }
    return true
  }
  return false
}

function sameSet(a: string[], b: string[], canon: (x: string) => string): boolean {
  if (a.length !== b.length) return false
  const s = new Set(a.map(canon))
  for (const x of b) if (!s.has(canon(x))) return false
  return true
}

export function itemsEqual(a: Item, b: Item): boolean {
  return attributeValuesEqual({ M: a }, { M: b })
}

/** A stable string for a key value (S, N or B), usable as a Map key; numbers by value, binaries by bytes. */
export function keyString(v: AttributeValue): string {
  if ('S' in v) return `S:${v.S}`
  if ('N' in v) return `N:${normalizeNumber(v.N)}`
  if ('B' in v) return `B:${canonicalBase64(v.B)}`
  throw validation(`Key values must be of type S, N or B; got ${typeOf(v)}`)
}

// ---------------------------------------------------------------------------------------------------------------
// Item size: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html

export function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8')
}

/**
 * Bytes a number takes: DynamoDB stores it base-100 (two digits a byte) plus an exponent byte, and a terminator
 * for negatives; the digit pairs align on the exponent, so an even count of digits on an even exponent spills into
 * one more byte.
 */
export function numberSizeBytes(n: string): number {
  if (CANONICAL_INT.test(n)) {
    if (n === '0') return 1
    const negative = n.charCodeAt(0) === 45
    const exponent = n.length - (negative ? 2 : 1)
    let end = n.length
    while (n.charCodeAt(end - 1) === 48) end--
    const digits = end - (negative ? 1 : 0)
    return 1 + Math.ceil(digits / 2) + (digits % 2 === 0 && exponent % 2 === 0 ? 1 : 0) + (negative ? 1 : 0)
  }
  const d = new Decimal(n)
  if (d.isZero()) return 1
  const digits = d.sd()
  return 1 + Math.ceil(digits / 2) + (digits % 2 === 0 && d.e % 2 === 0 ? 1 : 0) + (d.isNeg() ? 1 : 0)
}

/** Size of a value (without its attribute name). */
export function attributeSizeBytes(v: AttributeValue): number {
  if ('S' in v) return utf8Length(v.S)
  if ('N' in v) return numberSizeBytes(v.N)
  if ('B' in v) return decodeBinary(v.B).length
  if ('BOOL' in v || 'NULL' in v) return 1
  if ('SS' in v) return v.SS.reduce((sum, s) => sum + utf8Length(s), 0)
  if ('NS' in v) return v.NS.reduce((sum, s) => sum + numberSizeBytes(s), 0)
  if ('BS' in v) return v.BS.reduce((sum, s) => sum + decodeBinary(s).length, 0)
  // Lists and maps: 3 bytes of overhead plus 1 byte per element.
  if ('L' in v) return v.L.reduce((sum, e) => sum + 1 + attributeSizeBytes(e), 3)
  if ('M' in v) {
    let sum = 3
    for (const k in v.M) sum += 1 + utf8Length(k) + attributeSizeBytes(v.M[k]!)
    return sum
  }
  return 0
}

/** Item size as DynamoDB counts it for the 400 KB limit and capacity units: names (UTF-8) plus values. */
export function itemSizeBytes(item: Item): number {
  let sum = 0
  for (const k in item) sum += utf8Length(k) + attributeSizeBytes(item[k]!)
  return sum
}

/** Deep copy of a value; much faster than structuredClone for these plain shapes. */
export function cloneAttributeValue(v: AttributeValue): AttributeValue {
  if ('L' in v) return { L: v.L.map(cloneAttributeValue) }
  if ('M' in v) return { M: cloneItem(v.M) }
  if ('SS' in v) return { SS: [...v.SS] }
  if ('NS' in v) return { NS: [...v.NS] }
  if ('BS' in v) return { BS: [...v.BS] }
  return { ...v }
}

export function cloneItem(item: Item): Item {
  const out: Item = {}
  for (const k in item) setAttr(out, k, cloneAttributeValue(item[k]!))
  return out
}
