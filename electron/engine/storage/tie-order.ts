/**
 * The order of index entries whose index keys are equal. DynamoDB documents none; DynamoDB Local 3.3.1 keeps each
 * index as an SQLite index on (index hash, index range, one trailing hash column) and so orders ties by that
 * column: a salted SHA-1 of the table key parts the index does not already hold. A Query reading backwards walks
 * the same order in reverse. Read from DynamoDBLocal.jar (SQLiteDBAccess.getTrailingHashColumnName,
 * LocalDBUtils.getHashValue and encodeBigDecimal) and checked against it in tests/conformance/index-ties.test.ts.
 */
import { createHash } from 'node:crypto'
import Decimal from 'decimal.js'
import type { AttributeValue, Item } from '../types'

export interface KeyNames {
  hash: string
  range?: string
}

/** Which digest breaks ties: of the table's hash key, its range key, both, or none (the index key is unique). */
export type TieBreak = 'hash' | 'range' | 'hashRange' | undefined

const SALT = Buffer.from('LocalDdb', 'latin1')

/** As getTrailingHashColumnName: the table key parts missing from the index's own key decide. */
export function tieBreakFor(index: KeyNames, table: KeyNames): TieBreak {
  const has = (name: string | undefined) =>
    name !== undefined && (index.hash === name || index.range === name)
  if (has(table.hash)) return table.range !== undefined && !has(table.range) ? 'range' : undefined
  if (table.range === undefined) return 'hash'
  return has(table.range) ? 'hash' : 'hashRange'
}

const DIGESTS: Record<Exclude<TieBreak, undefined>, symbol> = {
  hash: Symbol('localHashValue'),
  range: Symbol('localRangeValue'),
  hashRange: Symbol('localHashRangeValue'),
}

/**
 * The tie digest of an item (or a start key carrying the table key), remembered on the object as a
 * non-enumerable member like its size: stored items are never mutated.
 */
export function tieDigest(item: Item, table: KeyNames, kind: Exclude<TieBreak, undefined>): Buffer {
  const slot = DIGESTS[kind]
  const known = (item as { [k: symbol]: Buffer | undefined })[slot]
  if (known !== undefined) return known
  const hashPart = () => valueDigest(item[table.hash] as AttributeValue)
  const rangePart = () => valueDigest(item[table.range as string] as AttributeValue)
  const digest =
    kind === 'hash'
      ? hashPart()
      : kind === 'range'
        ? rangePart()
        : createHash('sha1').update(SALT).update(hashPart()).update(rangePart()).digest()
  if (Object.isExtensible(item)) Object.defineProperty(item, slot, { value: digest })
  return digest
}

/** LocalDBUtils.getHashValue of one key value: SHA-1 of the salt and the value's bytes. */
function valueDigest(v: AttributeValue): Buffer {
  return createHash('sha1').update(SALT).update(valueBytes(v)).digest()
}

function valueBytes(v: AttributeValue): Buffer {
  if ('S' in v) return Buffer.from(v.S, 'utf8')
  if ('B' in v) return Buffer.from(v.B, 'base64')
  if ('N' in v) return encodeNumber(v.N)
  return Buffer.alloc(0)
}

/**
 * LocalDBUtils.encodeBigDecimal: an exponent byte (192 + half the decimal exponent), then base-100 digit pairs
 * stored as pair + 1; negatives complement the exponent byte, store 101 - pair and end with 102 (when shorter
 * than 20 pairs).
 */
export function encodeNumber(text: string): Buffer {
  const d = new Decimal(text)
  if (d.isZero()) return Buffer.from([0x80])
  const negative = d.isNeg()
  const abs = d.abs()
  // precision - scale of the trailing-zero-stripped BigDecimal: the digits before the decimal point.
  let exponent = abs.e + 1
  const odd = exponent % 2 !== 0 ? 1 : 0
  exponent += odd
  const [mantissa = ''] = abs.toExponential().split('e')
  const digits = mantissa.replace('.', '')
  const pairs = Math.trunc((digits.length + odd + 1) / 2)
  const out = new Uint8Array(pairs < 20 && negative ? pairs + 2 : pairs + 1)
  if (pairs < 20 && negative) out[pairs + 1] = 102
  let head = (192 + Math.trunc(exponent / 2)) & 0xff
  if (negative) head = ~head & 0xff
  out[0] = head
  // Digit i lands in pair (i + odd) / 2; an odd exponent starts with a half-empty pair (a leading 0 digit).
  for (let i = 0; i < digits.length; i++) {
    const at = Math.trunc((i + odd) / 2) + 1
    const digit = digits.charCodeAt(i) - 48
    out[at] = (i + odd) % 2 === 0 ? digit * 10 : (out[at] as number) + digit
    if ((i + odd) % 2 === 1 || i === digits.length - 1) {
      out[at] = negative ? (101 - (out[at] as number)) & 0xff : ((out[at] as number) + 1) & 0xff
    }
  }
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength)
}
