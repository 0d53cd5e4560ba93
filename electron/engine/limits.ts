/**
 * DynamoDB's limits on what may be stored, as checks every write path calls on the item it is about to store:
 * PutItem, the result of an UpdateItem, each BatchWriteItem put, and (once they land) transactions and PartiQL.
 * Reads call the key checks on the keys they are given, as DynamoDB refuses an oversized key in a GetItem too.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
 *
 * Every check here walks items without recursion, so no item or request shape can overflow the stack.
 */
import type { KeySchema, TableState } from './table'
import type { AttributeValue, Item } from './types'
import { validation } from './types'
import { decodeBinary, itemSizeBytes, utf8Length } from './values'

/** Containers may nest 32 levels, the top-level attribute's value being the first. */
export const MAX_NESTING_DEPTH = 32
export const MAX_ITEM_BYTES = 400 * 1024
export const MAX_PARTITION_KEY_BYTES = 2048
export const MAX_SORT_KEY_BYTES = 1024
/** "Attribute names ... must be at least one character long and less than 64 KB" (developer guide, naming rules). */
export const MAX_ATTRIBUTE_NAME_BYTES = 65535

export const LIMIT_MESSAGES = {
  nesting:
    'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit',
  // DynamoDB Local 3.3.1's text (no record of real DynamoDB's was found).
  emptyName: 'Empty attribute name',
  // Real DynamoDB's text, as measured against the service for PutItem and UpdateItem (top-level and nested names)
  // in github.com/ExtendDB/extenddb/issues/365; DynamoDB Local 3.3.1 fails with a 500.
  longName: `1 validation error detected: Attribute name is too large, must be less than ${MAX_ATTRIBUTE_NAME_BYTES + 1} bytes`,
  // Real DynamoDB's texts, "of2048" included (quoted from AWS answers in github.com/nextauthjs/next-auth/issues/5827
  // and github.com/formkiq/formkiq-core/issues/271); DynamoDB Local words both as one sentence.
  partitionKey:
    'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes',
  sortKey:
    'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes',
  itemSize: 'Item size has exceeded the maximum allowed size',
  itemSizeUpdate: 'Item size to update has exceeded the maximum allowed size',
} as const

/**
 * Nesting depth and attribute names (top-level and map members) of a whole item, in one pass without recursion.
 * PutItem's values were checked while parsing; an update's result is checked here, since `SET a.b = a` can
 * build an item deeper than any value in the request.
 */
export function checkItemStructure(item: Item): void {
  const stack: { value: AttributeValue; depth: number }[] = []
  for (const name in item) {
    checkAttributeName(name)
    stack.push({ value: item[name] as AttributeValue, depth: 1 })
  }
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: AttributeValue; depth: number }
    if ('L' in value) {
      if (depth >= MAX_NESTING_DEPTH) throw validation(LIMIT_MESSAGES.nesting)
      for (const v of value.L) stack.push({ value: v, depth: depth + 1 })
    } else if ('M' in value) {
      if (depth >= MAX_NESTING_DEPTH) throw validation(LIMIT_MESSAGES.nesting)
      for (const k in value.M) {
        checkAttributeName(k)
        stack.push({ value: value.M[k] as AttributeValue, depth: depth + 1 })
      }
    }
  }
}

export function checkAttributeName(name: string): void {
  if (name === '') throw validation(LIMIT_MESSAGES.emptyName)
  // A UTF-16 length within a third of the limit cannot exceed it in UTF-8; only long names are measured.
  if (name.length > MAX_ATTRIBUTE_NAME_BYTES / 3 && utf8Length(name) > MAX_ATTRIBUTE_NAME_BYTES) {
    throw validation(LIMIT_MESSAGES.longName)
  }
}

function keyBytes(v: AttributeValue | undefined): number {
  if (v === undefined) return 0
  if ('S' in v) return utf8Length(v.S)
  if ('B' in v) return decodeBinary(v.B).length
  // Numbers are bounded by their 38 digits.
  return 0
}

/** Key sizes of an item or key against one key schema (the table's, or an index's for the values it carries). */
export function checkKeySize(item: Item, schema: KeySchema): void {
  if (keyBytes(item[schema.hash]) > MAX_PARTITION_KEY_BYTES) throw validation(LIMIT_MESSAGES.partitionKey)
  if (schema.range !== undefined && keyBytes(item[schema.range]) > MAX_SORT_KEY_BYTES) {
    throw validation(LIMIT_MESSAGES.sortKey)
  }
}

/** Key sizes against the table's key and every index key the item carries. */
export function checkItemKeySizes(table: TableState, item: Item): void {
  checkKeySize(item, table.schema)
  for (const index of table.gsis.values()) checkKeySize(item, index.schema)
  for (const index of table.lsis.values()) checkKeySize(item, index.schema)
}

/**
 * Everything a stored item must satisfy beyond its key types (table.ts checkItemKeys): structure, key sizes and
 * the 400 KB item size. `update` words the size error as UpdateItem does.
 */
export function checkWritableItem(
  table: TableState,
  item: Item,
  opts: { update?: boolean; size?: number } = {},
): void {
  checkItemStructure(item)
  checkItemKeySizes(table, item)
  const size = opts.size ?? itemSizeBytes(item)
  if (size > MAX_ITEM_BYTES)
    throw validation(opts.update ? LIMIT_MESSAGES.itemSizeUpdate : LIMIT_MESSAGES.itemSize)
}
