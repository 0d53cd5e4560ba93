import {
  isLosslessNumber,
  LosslessNumber,
  parse as parseLossless,
  stringify as stringifyLossless,
} from 'lossless-json'
import type { AttributeValueJson, ItemJson } from '../contract/channels/workbench'

/**
 * DynamoDB JSON ({ "pk": { "S": "…" } }) ⇄ plain JSON ({ "pk": "…" }), plus the orderings DynamoDB uses for keys.
 * Plain JSON is what people read and type; DynamoDB JSON is what crosses the boundary, because only it keeps
 * big numbers, sets and binary exact. Converting back takes the original item as a type hint so that editing
 * plain JSON does not silently turn a string set into a list.
 *
 * This is the one place that decides how a DynamoDB number (up to 38 significant digits, exponents from -130 to
 * +125: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.Number)
 * looks outside DynamoDB JSON: a JS number when that holds it exactly, else a LosslessNumber holding its decimal
 * text. JSON text with such numbers is read and written by parseExactJson / stringifyExactJson (lossless-json), so
 * a 38-digit number is a number literal in plain JSON, exports and CLI output, never a rounded float or a string.
 * The services' rows (electron/services/item-json.ts) use the same rule.
 */

export { isLosslessNumber, LosslessNumber }

export type PlainValue =
  string | number | boolean | null | LosslessNumber | PlainValue[] | { [k: string]: PlainValue }
export type PlainItem = Record<string, PlainValue>

export class AttributeJsonError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message)
    this.name = 'AttributeJsonError'
  }
}

/** True when Number(n) is exactly the decimal n, so a JS number can carry it without loss. */
export function isExactInJs(n: string): boolean {
  const v = Number(n)
  if (!Number.isFinite(v)) return false
  if (Number.isInteger(v) && !Number.isSafeInteger(v)) return false
  // Exact when the round trip gives the same decimal (modulo normalisation such as "1.50" → 1.5).
  return normalizeNumber(String(v)) === normalizeNumber(n)
}

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/

/** A DynamoDB number as a JS number when that is exact, else as a LosslessNumber (printed as the same literal). */
export function numberToPlain(n: string): number | LosslessNumber {
  if (isExactInJs(n)) return Number(n)
  // DynamoDB returns numbers such as "1E-130"; a form JSON cannot spell (".5", "+5") is written out in full.
  const text = n.trim()
  return new LosslessNumber(JSON_NUMBER.test(text) ? text : normalizeNumber(text))
}

/** DynamoDB normalises numbers: no leading zeros, no trailing fractional zeros, no exponent noise. */
export function normalizeNumber(n: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(n.trim())
  if (!m) return n
  const sign = m[1] === '-' ? '-' : ''
  let digits = (m[2] ?? '') + (m[3] ?? '')
  let point = (m[2] ?? '').length + Number(m[4] ?? 0)
  const lead = digits.search(/[1-9]/)
  if (lead < 0) return '0'
  digits = digits.slice(lead)
  point -= lead
  digits = digits.replace(/0+$/, '')
  let out: string
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length)
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`
  return sign + out
}

/**
 * Maps an object's own entries into a new object. Object.fromEntries defines each key as an own property, so an
 * attribute named `__proto__` survives (an `out[k] = …` assignment would set the prototype and lose it).
 */
function mapEntries<T, U>(obj: Record<string, T>, f: (value: T, key: string) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, f(v, k)]))
}

export function valueToPlain(av: AttributeValueJson): PlainValue {
  if ('S' in av) return av.S
  if ('N' in av) return numberToPlain(av.N)
  if ('B' in av) return av.B
  if ('BOOL' in av) return av.BOOL
  if ('NULL' in av) return null
  if ('SS' in av) return [...av.SS]
  if ('NS' in av) return av.NS.map(numberToPlain)
  if ('BS' in av) return [...av.BS]
  if ('L' in av) return av.L.map(valueToPlain)
  return mapEntries(av.M, (v) => valueToPlain(v))
}

export function itemToPlain(item: ItemJson): PlainItem {
  return mapEntries(item, (v) => valueToPlain(v))
}

const isNumeric = (s: string) => /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s.trim())

/** Plain → DynamoDB JSON. `hint` is the value's previous DynamoDB form: its type wins where the plain value fits it. */
export function plainToValue(v: unknown, hint?: AttributeValueJson, path = ''): AttributeValueJson {
  if (v === null) return { NULL: true }
  if (isLosslessNumber(v)) return { N: v.value }
  if (typeof v === 'boolean') return { BOOL: v }
  if (typeof v === 'number') {
    if (!Number.isFinite(v))
      throw new AttributeJsonError(`${path || 'value'}: DynamoDB numbers must be finite`, path)
    return { N: String(v) }
  }
  if (typeof v === 'string') {
    if (hint && 'N' in hint && isNumeric(v)) return { N: v.trim() }
    if (hint && 'B' in hint) return { B: v }
    return { S: v }
  }
  if (Array.isArray(v)) {
    if (hint && 'SS' in hint && v.every((x) => typeof x === 'string')) return { SS: v as string[] }
    if (hint && 'BS' in hint && v.every((x) => typeof x === 'string')) return { BS: v as string[] }
    if (
      hint &&
      'NS' in hint &&
      v.every((x) => typeof x === 'number' || isLosslessNumber(x) || (typeof x === 'string' && isNumeric(x)))
    )
      return { NS: v.map((x) => String(x).trim()) }
    const hints = hint && 'L' in hint ? hint.L : []
    return { L: v.map((x, i) => plainToValue(x, hints[i], `${path}[${i}]`)) }
  }
  if (typeof v === 'object') {
    const hints = hint && 'M' in hint ? hint.M : {}
    return {
      M: mapEntries(v as Record<string, unknown>, (x, k) =>
        plainToValue(x, hints[k], path ? `${path}.${k}` : k),
      ),
    }
  }
  throw new AttributeJsonError(`${path || 'value'}: ${typeof v} has no DynamoDB type`, path)
}

export function plainToItem(plain: unknown, hint?: ItemJson): ItemJson {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain))
    throw new AttributeJsonError('an item is a JSON object of attribute → value', '')
  return mapEntries(plain as Record<string, unknown>, (v, k) => plainToValue(v, hint?.[k], k))
}

/** How deep JSON text may nest before it is refused, well above DynamoDB's 32 levels for an item. */
export const MAX_JSON_DEPTH = 200

/** Throws when brackets nest deeper than `max` (a parser would overflow its stack on absurd input first). */
export function checkJsonDepth(text: string, max = MAX_JSON_DEPTH): void {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max)
        throw new AttributeJsonError(`JSON nested more than ${max} levels deep (at character ${i})`, '')
    } else if (c === 0x5d || c === 0x7d) depth--
  }
}

/**
 * JSON text → value, with every number exact: a JS number when it holds the literal exactly, else a
 * LosslessNumber. A leading UTF-8 byte order mark is ignored, absurd nesting is refused, and a repeated key is
 * an error rather than a silent overwrite.
 */
export function parseExactJson(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  checkJsonDepth(body, maxDepth)
  return parseLossless(body, null, (literal) =>
    isExactInJs(literal) ? Number(literal) : new LosslessNumber(literal),
  )
}

const base64 = (bytes: Uint8Array) => {
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  return btoa(bin)
}

/**
 * Value → JSON text with LosslessNumbers as number literals, sets as arrays and binary as base64. `replacer` runs
 * first, as JSON.stringify's would.
 */
export function stringifyExactJson(
  value: unknown,
  space?: number | string,
  replacer: (key: string, value: unknown) => unknown = (_k, v) => v,
): string {
  const replace = (key: string, raw: unknown) => {
    const v = replacer(key, raw)
    return v instanceof Set ? [...(v as Set<unknown>)] : v instanceof Uint8Array ? base64(v) : v
  }
  return stringifyLossless(value, replace, space) ?? ''
}

/**
 * DynamoDB refuses values nested deeper than 32 levels, the attribute itself being the first
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-attributes).
 */
export const MAX_NESTING = 32

/** The path of the first list or map in a plain item that nests deeper than DynamoDB allows, if any. */
export function nestedTooDeep(item: Record<string, unknown>): (string | number)[] | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = Object.entries(item).map(([k, value]) => ({
    value,
    path: [k],
  }))
  while (stack.length) {
    const { value, path } = stack.pop()!
    // Lists and maps nest; numbers, binary and sets are leaves.
    let children: [string | number, unknown][]
    if (Array.isArray(value)) children = value.map((v: unknown, i) => [i, v])
    else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
      children = Object.entries(value)
    else continue
    if (path.length >= MAX_NESTING) return path
    for (const [k, v] of children) stack.push({ value: v, path: [...path, k] })
  }
  return undefined
}

const TYPES = ['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M'] as const

/** Checks DynamoDB JSON typed by a person; names the attribute at fault. */
export function parseItemJson(value: unknown, path = ''): ItemJson {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AttributeJsonError('an item is a JSON object of attribute → { "S": … } values', path)
  return mapEntries(value as Record<string, unknown>, (v, k) => parseValueJson(v, path ? `${path}.${k}` : k))
}

function parseValueJson(v: unknown, path: string): AttributeValueJson {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new AttributeJsonError(`${path}: expected a typed value such as { "S": "text" }`, path)
  const keys = Object.keys(v)
  const type = keys[0]
  if (keys.length !== 1 || !(TYPES as readonly string[]).includes(type!))
    throw new AttributeJsonError(`${path}: expected exactly one of ${TYPES.join(', ')}`, path)
  const x = (v as Record<string, unknown>)[type!]
  const fail = (what: string): never => {
    throw new AttributeJsonError(`${path}: ${type} holds ${what}`, path)
  }
  switch (type) {
    case 'S':
    case 'B':
      return typeof x === 'string' ? ({ [type]: x } as AttributeValueJson) : fail('a string')
    case 'N':
      return typeof x === 'string' && isNumeric(x)
        ? { N: x }
        : fail('a number written as a string, e.g. "42"')
    case 'BOOL':
      return typeof x === 'boolean' ? { BOOL: x } : fail('true or false')
    case 'NULL':
      return x === true ? { NULL: true } : fail('true')
    case 'SS':
    case 'BS':
      return Array.isArray(x) && x.length > 0 && x.every((s) => typeof s === 'string')
        ? ({ [type]: x } as AttributeValueJson)
        : fail('a non-empty array of strings')
    case 'NS':
      return Array.isArray(x) && x.length > 0 && x.every((s) => typeof s === 'string' && isNumeric(s))
        ? { NS: x as string[] }
        : fail('a non-empty array of numbers written as strings')
    case 'L':
      return Array.isArray(x) ? { L: x.map((e, i) => parseValueJson(e, `${path}[${i}]`)) } : fail('an array')
    default: {
      if (typeof x !== 'object' || x === null || Array.isArray(x)) return fail('an object')
      return { M: mapEntries(x as Record<string, unknown>, (e, k) => parseValueJson(e, `${path}.${k}`)) }
    }
  }
}

export type ScalarType = 'S' | 'N' | 'B'

/** The DynamoDB type letter of a value (S, N, B, BOOL, NULL, SS, NS, BS, L, M). */
export const typeOf = (av: AttributeValueJson): string => Object.keys(av)[0] ?? ''

/** A key value of the given scalar type, or undefined when the attribute is absent or typed otherwise. */
export function scalarOf(av: AttributeValueJson | undefined, type: ScalarType): string | undefined {
  if (!av) return undefined
  if (type === 'S' && 'S' in av) return av.S
  if (type === 'N' && 'N' in av) return av.N
  if (type === 'B' && 'B' in av) return av.B
  return undefined
}

/** Short display text of any value, for grid cells. */
export function displayValue(av: AttributeValueJson | undefined, max = 120): string {
  if (!av) return ''
  let text: string
  if ('S' in av) text = av.S
  else if ('N' in av) text = av.N
  else if ('B' in av) text = `<binary ${av.B.length * 0.75} B>`
  else if ('BOOL' in av) text = String(av.BOOL)
  else if ('NULL' in av) text = 'null'
  else text = stringifyExactJson(valueToPlain(av))
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/**
 * Compares strings by their UTF-8 bytes, which is how DynamoDB orders S keys
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.String).
 * UTF-8 byte order equals code point order; JS compares UTF-16 code units, which differs only between surrogates
 * (code points above U+FFFF) and U+E000–U+FFFF, so those two ranges are swapped before comparing.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i)
    let y = b.charCodeAt(i)
    if (x === y) continue
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000
    }
    return x < y ? -1 : 1
  }
  return a.length - b.length
}

/** Compares two decimal strings numerically without floating point (DynamoDB N has up to 38 digits). */
export function compareNumbers(a: string, b: string): number {
  const na = normalizeNumber(a)
  const nb = normalizeNumber(b)
  if (na === nb) return 0
  const negA = na.startsWith('-')
  const negB = nb.startsWith('-')
  if (negA !== negB) return negA ? -1 : 1
  const absCmp = compareAbs(negA ? na.slice(1) : na, negB ? nb.slice(1) : nb)
  return negA ? -absCmp : absCmp
}

function compareAbs(a: string, b: string): number {
  const [ai = '', af = ''] = a.split('.')
  const [bi = '', bf = ''] = b.split('.')
  const aInt = ai === '0' ? '' : ai
  const bInt = bi === '0' ? '' : bi
  if (aInt.length !== bInt.length) return aInt.length < bInt.length ? -1 : 1
  if (aInt !== bInt) return aInt < bInt ? -1 : 1
  const len = Math.max(af.length, bf.length)
  const fa = af.padEnd(len, '0')
  const fb = bf.padEnd(len, '0')
  return fa === fb ? 0 : fa < fb ? -1 : 1
}

function base64Bytes(s: string): Uint8Array {
  const bin = atob(s)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

/** Binary keys order as unsigned bytes. */
export function compareBinary(a: string, b: string): number {
  const x = base64Bytes(a)
  const y = base64Bytes(b)
  const n = Math.min(x.length, y.length)
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!
  return x.length - y.length
}

/** Orders two key values of one scalar type the way DynamoDB orders a sort key. */
export function compareScalar(a: string, b: string, type: ScalarType): number {
  if (type === 'N') return compareNumbers(a, b)
  if (type === 'B') return compareBinary(a, b)
  return compareUtf8(a, b)
}

/** Printable ASCII, tabs and line breaks: one byte a character in UTF-8 (other text takes the loop below). */
const ASCII = /^[ -~\t\n\r]*$/

export const utf8Length = (s: string): number => {
  // Most attribute text is ASCII, and the native regex test is many times quicker than the loop below.
  if (ASCII.test(s)) return s.length
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4
      i++
    } else n += 3
  }
  return n
}

/** Approximate DynamoDB size of a number: about 1 byte per two significant digits plus 1. */
const numberSize = (n: string) =>
  Math.ceil(normalizeNumber(n).replace(/[-.]/g, '').replace(/^0+/, '').length / 2) + 1

/** An attribute value's bytes as DynamoDB counts them (its name not included). */
export function valueSize(av: AttributeValueJson): number {
  if ('S' in av) return utf8Length(av.S)
  if ('N' in av) return numberSize(av.N)
  if ('B' in av) return Math.floor((av.B.length * 3) / 4)
  if ('BOOL' in av || 'NULL' in av) return 1
  if ('SS' in av) return av.SS.reduce((n, s) => n + utf8Length(s), 0)
  if ('NS' in av) return av.NS.reduce((n, s) => n + numberSize(s), 0)
  if ('BS' in av) return av.BS.reduce((n, s) => n + Math.floor((s.length * 3) / 4), 0)
  if ('L' in av) return 3 + av.L.reduce((n, v) => n + 1 + valueSize(v), 0)
  return 3 + Object.entries(av.M).reduce((n, [k, v]) => n + 1 + utf8Length(k) + valueSize(v), 0)
}

/**
 * Item size as DynamoDB counts it: attribute name bytes plus value bytes
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html).
 */
export function itemSize(item: ItemJson): number {
  let n = 0
  for (const k in item) if (Object.hasOwn(item, k)) n += utf8Length(k) + valueSize(item[k]!)
  return n
}
