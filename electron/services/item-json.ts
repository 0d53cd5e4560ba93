import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import type { AttributeValueJson, ItemJson } from '../../shared/contract/channels/workbench'

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
