import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import type { ItemJson, ItemsPage } from '../../shared/contract/channels/workbench'
import type { Engine } from '../engine'
import { WorkbenchError, toWorkbenchError } from './errors'
import { itemFromJson, itemToJson, rowsText, toRow } from './item-json'

type Sdk = Record<string, AttributeValue>

/** One page of a Scan of a table or index, for progressive loading in the visualizer. */
export async function scanPage(
  client: DynamoDBClient,
  input: { tableName: string; indexName?: string; exclusiveStartKey?: ItemJson; limit: number },
): Promise<ItemsPage> {
  try {
    const out = await client.send(
      new ScanCommand({
        TableName: input.tableName,
        IndexName: input.indexName,
        Limit: input.limit,
        ExclusiveStartKey: input.exclusiveStartKey ? itemFromJson(input.exclusiveStartKey) : undefined,
      }),
    )
    return {
      items: (out.Items ?? []).map(itemToJson),
      lastEvaluatedKey: out.LastEvaluatedKey ? itemToJson(out.LastEvaluatedKey) : undefined,
      scannedCount: out.ScannedCount ?? 0,
    }
  } catch (err) {
    throw toWorkbenchError(err, { table: input.tableName, index: input.indexName })
  }
}

/**
 * The same page read straight from the embedded engine in this process, for a connection that is that engine: the
 * HTTP round trip, the SDK's parse of DynamoDB JSON into AttributeValues and the conversion back to the contract's
 * DynamoDB JSON (base64 binary, numbers as text) cost about 30 times the Scan itself at 100k items, and the engine
 * already answers in that JSON. Same request, same 1 MB page cap, same LastEvaluatedKey: only the transport differs.
 */
export async function scanPageInProcess(
  engine: Pick<Engine, 'handle' | 'settled'>,
  input: { tableName: string; indexName?: string; exclusiveStartKey?: ItemJson; limit: number },
): Promise<ItemsPage> {
  try {
    // handle(), not call(): call() deep-copies the answer (a third of the time left), and the page only goes out as
    // JSON or a structured clone, never kept or changed here; the engine never changes a stored item in place.
    const out = engine.handle('Scan', {
      TableName: input.tableName,
      IndexName: input.indexName,
      Limit: input.limit,
      ExclusiveStartKey: input.exclusiveStartKey,
    }) as { Items?: ItemJson[]; LastEvaluatedKey?: ItemJson; ScannedCount?: number }
    // As every door of the engine: answer only once what the page shows is on disk.
    await engine.settled()
    return {
      items: out.Items ?? [],
      lastEvaluatedKey: out.LastEvaluatedKey,
      scannedCount: out.ScannedCount ?? 0,
    }
  } catch (err) {
    throw toWorkbenchError(err, { table: input.tableName, index: input.indexName })
  }
}

/** `#a0 = :v0 AND …` over every attribute of `expected`: the write only lands if the stored item still has them. */
function equalsCondition(expected: Sdk) {
  const names: Record<string, string> = {}
  const values: Record<string, AttributeValue> = {}
  const parts = Object.entries(expected).map(([name, value], i) => {
    names[`#a${i}`] = name
    values[`:v${i}`] = value
    return `#a${i} = :v${i}`
  })
  return {
    ConditionExpression: parts.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  }
}

function keyOf(item: Sdk, keyAttributes: string[]): Sdk {
  const key: Sdk = {}
  for (const k of keyAttributes) {
    const v = item[k]
    if (v === undefined)
      throw new WorkbenchError('input.invalid', `The item has no value for key attribute "${k}".`)
    key[k] = v
  }
  return key
}

function sameItem(a: Sdk, b: Sdk): boolean {
  const canon = (x: Sdk) =>
    rowsText(toRow(x), undefined, (_k, v) =>
      v instanceof Set ? [...(v as Set<unknown>)].map(String).sort() : v,
    )
  const keysA = Object.keys(a).sort()
  const keysB = Object.keys(b).sort()
  return (
    keysA.join('\u0000') === keysB.join('\u0000') &&
    keysA.every((k) => canon({ [k]: a[k]! }) === canon({ [k]: b[k]! }))
  )
}

const conflict = (table: string) =>
  new WorkbenchError(
    'item.conflict',
    `The item changed in ${table} since you loaded it. Your edit is kept: reload the item to see the stored version, then apply your change again.`,
    { table },
  )

/**
 * Saves an item. With `expected`, the save is optimistic: a consistent read first catches attributes added by someone
 * else (a condition cannot name attributes it does not know), and the conditional put catches any change in between.
 * A changed key cannot be updated in place (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html):
 * the new item is put only if its key is free, then the old one is deleted only if it is still as loaded.
 */
export async function putItem(
  client: DynamoDBClient,
  input: {
    tableName: string
    keyAttributes: string[]
    item: ItemJson
    expected?: ItemJson
    replacesKey?: ItemJson
    create?: boolean
  },
): Promise<ItemJson> {
  const item = itemFromJson(input.item)
  const table = input.tableName
  try {
    if (input.replacesKey) {
      const oldKey = itemFromJson(input.replacesKey)
      const newKey = keyOf(item, input.keyAttributes)
      if (sameItem(oldKey, newKey))
        throw new WorkbenchError('input.invalid', 'replacesKey is the same key as the item’s.')
      const names: Record<string, string> = { '#k': input.keyAttributes[0]! }
      try {
        await client.send(
          new PutItemCommand({
            TableName: table,
            Item: item,
            ConditionExpression: 'attribute_not_exists(#k)',
            ExpressionAttributeNames: names,
          }),
        )
      } catch (err) {
        if ((err as { name?: string }).name === 'ConditionalCheckFailedException') {
          throw new WorkbenchError('item.conflict', `An item with that key already exists in ${table}.`, {
            table,
          })
        }
        throw err
      }
      const expected = input.expected ? itemFromJson(input.expected) : undefined
      try {
        await client.send(
          new DeleteItemCommand({
            TableName: table,
            Key: oldKey,
            ...(expected ? equalsCondition(expected) : {}),
          }),
        )
      } catch (err) {
        if ((err as { name?: string }).name === 'ConditionalCheckFailedException') {
          // Undo the put so nothing is duplicated, then report the conflict.
          await client.send(new DeleteItemCommand({ TableName: table, Key: newKey }))
          throw conflict(table)
        }
        throw err
      }
      return itemToJson(item)
    }
    if (input.expected) {
      const expected = itemFromJson(input.expected)
      const stored = await client.send(
        new GetItemCommand({
          TableName: table,
          Key: keyOf(expected, input.keyAttributes),
          ConsistentRead: true,
        }),
      )
      if (!stored.Item || !sameItem(stored.Item, expected)) throw conflict(table)
      try {
        await client.send(new PutItemCommand({ TableName: table, Item: item, ...equalsCondition(expected) }))
      } catch (err) {
        if ((err as { name?: string }).name === 'ConditionalCheckFailedException') throw conflict(table)
        throw err
      }
      return itemToJson(item)
    }
    if (input.create) {
      try {
        await client.send(
          new PutItemCommand({
            TableName: table,
            Item: item,
            ConditionExpression: 'attribute_not_exists(#k)',
            ExpressionAttributeNames: { '#k': input.keyAttributes[0]! },
          }),
        )
      } catch (err) {
        if ((err as { name?: string }).name === 'ConditionalCheckFailedException')
          throw new WorkbenchError('item.conflict', `An item with that key already exists in ${table}.`, {
            table,
          })
        throw err
      }
      return itemToJson(item)
    }
    await client.send(new PutItemCommand({ TableName: table, Item: item }))
    return itemToJson(item)
  } catch (err) {
    throw toWorkbenchError(err, { table })
  }
}

export async function deleteItem(
  client: DynamoDBClient,
  input: { tableName: string; key: ItemJson; expected?: ItemJson },
): Promise<boolean> {
  const expected = input.expected ? itemFromJson(input.expected) : undefined
  try {
    const out = await client.send(
      new DeleteItemCommand({
        TableName: input.tableName,
        Key: itemFromJson(input.key),
        ReturnValues: 'ALL_OLD',
        ...(expected ? equalsCondition(expected) : {}),
      }),
    )
    return out.Attributes !== undefined
  } catch (err) {
    if ((err as { name?: string }).name === 'ConditionalCheckFailedException') throw conflict(input.tableName)
    throw toWorkbenchError(err, { table: input.tableName })
  }
}

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return ''
  const text = typeof value === 'object' ? rowsText(value) : String(value)
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** Items as JSON (plain values) or CSV (one column per attribute seen, keys first). */
export function formatExport(
  items: Record<string, unknown>[],
  format: 'json' | 'csv',
  keyAttributes: string[],
): string {
  if (format === 'json') {
    // Exact number literals: JSON.stringify cannot write a 38-digit number, and a string would change its type.
    return rowsText(items, 2)
  }
  const columns = [...keyAttributes]
  for (const item of items) for (const k of Object.keys(item)) if (!columns.includes(k)) columns.push(k)
  const lines = [columns.map(csvCell).join(',')]
  for (const item of items) lines.push(columns.map((c) => csvCell(item[c])).join(','))
  return lines.join('\n') + '\n'
}
