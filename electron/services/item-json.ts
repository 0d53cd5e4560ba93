import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import {
  marshall,
  NumberValueImpl as NumberValue,
  unmarshall,
  type marshallOptions,
} from '@aws-sdk/util-dynamodb'
import type { AttributeValueJson, ItemJson } from '../../shared/contract/channels/workbench'
import {
  isLosslessNumber,
  numberToPlain,
  parseExactJson,
  stringifyExactJson,
} from '../../shared/domain/attribute-json'

/**
 * The services' one conversion module between DynamoDB's AttributeValue, the contract's DynamoDB JSON and plain
 * rows. A row holds each number as a JS number when that is exact and as a LosslessNumber otherwise (the rule of
 * shared/domain/attribute-json), so 38-digit, tiny (1E-130) and huge (9.99…E+125) numbers survive saves, exports,
 * the CLI, pattern results and stream handlers. Every unmarshall / marshall / JSON text of a row goes through here:
 * the SDK's defaults throw on such numbers ("can't be converted to BigInt"), and JSON.parse rounds them.
 */
export type Row = Record<string, unknown>

/** AttributeValue map → row, numbers exact. */
export function toRow(item: Record<string, AttributeValue>): Row {
  return unmarshall(item, { wrapNumbers: numberToPlain })
}

/**
 * The SDK's marshall writes NumberValue exactly but not LosslessNumber, and reads a number set's type from its
 * first member: a set mixing JS numbers and exact numbers becomes all NumberValue.
 */
function sdkNumbers(v: unknown): unknown {
  if (isLosslessNumber(v)) return NumberValue.from(v.value)
  if (Array.isArray(v)) return v.map(sdkNumbers)
  if (v instanceof Set) {
    const members = [...(v as Set<unknown>)]
    if (!members.some((m) => isLosslessNumber(m) || m instanceof NumberValue)) return v
    return new Set(members.map((m) => (m instanceof NumberValue ? m : NumberValue.from(String(m as number)))))
  }
  if (typeof v === 'object' && v !== null) {
    const proto: unknown = Object.getPrototypeOf(v)
    if (proto !== Object.prototype && proto !== null) return v
    // Object.fromEntries keeps an attribute named __proto__ as an own property.
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, sdkNumbers(x)]))
  }
  return v
}

/** Row → AttributeValue map, numbers exact; undefined attributes are left out unless `strict` (keys: an error). */
export function fromRow(
  row: Row,
  strict = false,
  options: marshallOptions = {},
): Record<string, AttributeValue> {
  return marshall(sdkNumbers(row) as Row, { removeUndefinedValues: !strict, ...options })
}

/** Row → the contract's DynamoDB JSON. */
export const rowToJson = (row: Row): ItemJson => itemToJson(fromRow(row))

/** Contract DynamoDB JSON → row. */
export const rowFromJson = (item: ItemJson): Row => toRow(itemFromJson(item))

/** JSON text of rows (or anything holding them) with exact number literals, sets as arrays, binary as base64. */
export const rowsText = (
  value: unknown,
  space?: number,
  replacer?: (key: string, value: unknown) => unknown,
): string => stringifyExactJson(value, space, replacer)

/** JSON text → value with exact numbers (a leading BOM is ignored; absurd nesting is refused). */
export const parseRowsText = (text: string): unknown => parseExactJson(text)

/**
 * The SDK's AttributeValue carries binary as Uint8Array; across the contract it is base64 text, exactly as
 * DynamoDB's own JSON wire format has it.
 */
export function valueToJson(v: AttributeValue): AttributeValueJson {
  if (v.B !== undefined) return { B: Buffer.from(v.B).toString('base64') }
  if (v.BS !== undefined) return { BS: v.BS.map((b) => Buffer.from(b).toString('base64')) }
  if (v.L !== undefined) return { L: v.L.map(valueToJson) }
  if (v.M !== undefined) return { M: itemToJson(v.M) }
  if (v.S !== undefined) return { S: v.S }
  if (v.N !== undefined) return { N: v.N }
  if (v.BOOL !== undefined) return { BOOL: v.BOOL }
  if (v.NULL !== undefined) return { NULL: true }
  if (v.SS !== undefined) return { SS: v.SS }
  if (v.NS !== undefined) return { NS: v.NS }
  throw new Error('unsupported attribute value')
}

export function itemToJson(item: Record<string, AttributeValue>): ItemJson {
  const out: ItemJson = {}
  for (const [k, v] of Object.entries(item)) out[k] = valueToJson(v)
  return out
}

export function valueFromJson(v: AttributeValueJson): AttributeValue {
  if ('B' in v) return { B: Buffer.from(v.B, 'base64') }
  if ('BS' in v) return { BS: v.BS.map((b) => Buffer.from(b, 'base64')) }
  if ('L' in v) return { L: v.L.map(valueFromJson) }
  if ('M' in v) return { M: itemFromJson(v.M) }
  return v as AttributeValue
}

export function itemFromJson(item: ItemJson): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {}
  for (const [k, v] of Object.entries(item)) out[k] = valueFromJson(v)
  return out
}
