import {
  BatchGetItemCommand,
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
import { describeTable } from './schema.service'
import { BATCH_WRITE_LIMIT, backoffDelay, runBatchWrite } from './seed.service'

type Sdk = Record<string, AttributeValue>

/** A page of a Scan: of a table or an index, from a key, up to a limit, in one segment of a parallel Scan. */
interface ScanPageInput {
  tableName: string
  indexName?: string
  exclusiveStartKey?: ItemJson
  limit: number
  segment?: number
  totalSegments?: number
}

/** One page of a Scan of a table or index, for progressive loading in the visualizer. */
export async function scanPage(client: DynamoDBClient, input: ScanPageInput): Promise<ItemsPage> {
  try {
    const out = await client.send(
      new ScanCommand({
        TableName: input.tableName,
        IndexName: input.indexName,
        Limit: input.limit,
        Segment: input.segment,
        TotalSegments: input.totalSegments,
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
 * already answers in that JSON. Same request, same 1 MB page cap, same LastEvaluatedKey: only the transport differs
 * (unless `fill` asks for several pages at once).
 */
export async function scanPageInProcess(
  engine: Pick<Engine, 'handle' | 'settled' | 'prepare' | 'whenReady'>,
  input: ScanPageInput & {
    /**
     * Read Scan pages until `limit` items or the end of the table, and answer them as one page. For the visualizer,
     * which reads the whole table anyway: fewer, larger pages cost fewer round trips and repeat fewer strings.
     */
    fill?: boolean
  },
): Promise<ItemsPage> {
  try {
    const request = {
      TableName: input.tableName,
      IndexName: input.indexName,
      Limit: input.limit,
      ExclusiveStartKey: input.exclusiveStartKey,
      Segment: input.segment,
      TotalSegments: input.totalSegments,
    }
    // As the engine's own doors do: wait for the operation's code and, while a data directory still loads in the
    // background, for this table.
    await Promise.all([engine.prepare('Scan'), engine.whenReady('Scan', request)])
    const items: ItemJson[] = []
    let lastEvaluatedKey = input.exclusiveStartKey
    let scannedCount = 0
    do {
      // handle(), not call(): call() deep-copies the answer (a third of the time left), and the page only goes out as
      // JSON or a structured clone, never kept or changed here; the engine never changes a stored item in place.
      const out = engine.handle('Scan', {
        ...request,
        Limit: input.limit - items.length,
        ExclusiveStartKey: lastEvaluatedKey,
      }) as { Items?: ItemJson[]; LastEvaluatedKey?: ItemJson; ScannedCount?: number }
      for (const item of out.Items ?? []) items.push(item)
      scannedCount += out.ScannedCount ?? 0
      lastEvaluatedKey = out.LastEvaluatedKey
    } while (input.fill && lastEvaluatedKey && items.length < input.limit)
    // As every door of the engine: answer only once what the page shows is on disk.
    await engine.settled()
    return { items, lastEvaluatedKey, scannedCount }
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

/** BatchGetItem reads at most 100 keys a call: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html */
const BATCH_GET_LIMIT = 100

/** What a bulk delete would do: exactly which base-table keys, how many, in which table, and which are already gone. */
export interface DeletePlan {
  tableName: string
  keyAttributes: string[]
  /** The keys to delete, once each, in the order given. */
  keys: ItemJson[]
  /** Of those, the keys no item has now (deleting them changes nothing). */
  missing: ItemJson[]
}

const keyText = (key: ItemJson, names: string[]) => JSON.stringify(names.map((n) => key[n]))

/**
 * The base-table keys of the given items: an item read from a GSI or LSI carries the table's key attributes (DynamoDB
 * always projects them: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.Projections),
 * so its other attributes are dropped and the same base item selected twice is deleted once.
 */
export async function planDeleteItems(
  client: DynamoDBClient,
  tableName: string,
  items: ItemJson[],
  options: { delay?: (ms: number) => Promise<void> } = {},
): Promise<DeletePlan> {
  const table = await describeTable(client, tableName)
  if (!table)
    throw new WorkbenchError('table.notFound', `Table ${tableName} was not found.`, { table: tableName })
  const keyAttributes = (table.KeySchema ?? []).map((k) => k.AttributeName!)
  const types = new Map((table.AttributeDefinitions ?? []).map((a) => [a.AttributeName!, a.AttributeType!]))
  const seen = new Set<string>()
  const keys: ItemJson[] = []
  items.forEach((item, i) => {
    const key: ItemJson = {}
    for (const name of keyAttributes) {
      const v = item[name]
      if (!v)
        throw new WorkbenchError(
          'input.invalid',
          `Item ${i + 1} has no ${name}, a key attribute of ${tableName}: it cannot be deleted by key.`,
          { table: tableName, index: i },
        )
      const want = types.get(name)
      if (want && !(want in v))
        throw new WorkbenchError(
          'input.invalid',
          `Item ${i + 1}: key attribute ${name} is ${Object.keys(v)[0]}, ${tableName}'s is ${want}.`,
          { table: tableName, index: i },
        )
      key[name] = v
    }
    const text = keyText(key, keyAttributes)
    if (!seen.has(text)) {
      seen.add(text)
      keys.push(key)
    }
  })
  // Which keys still have an item: BatchGetItem, 100 keys a call, resending UnprocessedKeys with backoff.
  const present = new Set<string>()
  const delay = options.delay ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  for (let i = 0; i < keys.length; i += BATCH_GET_LIMIT) {
    let pending: Sdk[] | undefined = keys.slice(i, i + BATCH_GET_LIMIT).map(itemFromJson)
    for (let attempt = 0; pending?.length; attempt++) {
      if (attempt >= 10)
        throw new WorkbenchError('dynamodb.throttled', 'BatchGetItem kept leaving keys unprocessed.', {
          table: tableName,
        })
      if (attempt > 0) await delay(backoffDelay(attempt))
      const names = Object.fromEntries(keyAttributes.map((k, j) => [`#k${j}`, k]))
      let out
      try {
        out = await client.send(
          new BatchGetItemCommand({
            RequestItems: {
              [tableName]: {
                Keys: pending,
                ProjectionExpression: Object.keys(names).join(', '),
                ExpressionAttributeNames: names,
              },
            },
          }),
        )
      } catch (err) {
        throw toWorkbenchError(err, { table: tableName })
      }
      for (const found of out.Responses?.[tableName] ?? [])
        present.add(keyText(itemToJson(found), keyAttributes))
      pending = out.UnprocessedKeys?.[tableName]?.Keys
    }
  }
  return {
    tableName,
    keyAttributes,
    keys,
    missing: keys.filter((k) => !present.has(keyText(k, keyAttributes))),
  }
}

/**
 * Deletes the planned keys that held an item with BatchWriteItem, 25 a call, resending UnprocessedItems with backoff.
 * Deleting a key whose item has gone since succeeds (a delete is idempotent), so a rerun after a failure is safe.
 */
export async function deleteItems(
  client: DynamoDBClient,
  plan: DeletePlan,
  options: {
    onProgress?: (p: { deleted: number; total: number }) => void
    delay?: (ms: number) => Promise<void>
  } = {},
): Promise<{ deleted: number; batches: number; retries: number }> {
  // Keys the plan found no item for are left out, so `deleted` counts items that were there.
  const gone = new Set(plan.missing.map((k) => keyText(k, plan.keyAttributes)))
  const keys = plan.keys.filter((k) => !gone.has(keyText(k, plan.keyAttributes)))
  const total = keys.length
  let deleted = 0
  let retries = 0
  let batches = 0
  options.onProgress?.({ deleted, total })
  for (let i = 0; i < total; i += BATCH_WRITE_LIMIT) {
    const chunk = keys.slice(i, i + BATCH_WRITE_LIMIT)
    batches++
    try {
      retries += await runBatchWrite(
        client,
        {
          RequestItems: {
            [plan.tableName]: chunk.map((k) => ({ DeleteRequest: { Key: itemFromJson(k) } })),
          },
        },
        {
          delay: options.delay,
          onWritten: (n) => {
            deleted += n
            options.onProgress?.({ deleted, total })
          },
        },
      )
    } catch (err) {
      const e = toWorkbenchError(err, { table: plan.tableName })
      throw new WorkbenchError(
        e.code,
        `${e.message} (${deleted} of ${total} item(s) were deleted before this)`,
        {
          ...e.details,
          deleted,
          total,
        },
      )
    }
  }
  return { deleted, batches, retries }
}
