import {
  BatchWriteItemCommand,
  ScanCommand,
  type BatchWriteItemCommandInput,
  type DynamoDBClient,
  type AttributeValue,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb'
import type { Model } from '../../shared/domain/model'
import { toWorkbenchError, WorkbenchError } from './errors'
import { fromRow } from './item-json'
import { GeneratorError, generateData, type GenerateOptions } from '../../shared/domain/generator'
import { loadSampleItems } from './model.service'

/** BatchWriteItem takes at most 25 put or delete requests: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html */
export const BATCH_WRITE_LIMIT = 25

export type JsonItem = Record<string, unknown>

/**
 * The exact BatchWriteItem requests that write `items` into `table`, in chunks of 25. Later items with the same
 * key replace earlier ones (a batch may not hold the same key twice).
 */
export function buildBatchWrites(
  table: string,
  keyAttributes: string[],
  items: JsonItem[],
): BatchWriteItemCommandInput[] {
  const byKey = new Map<string, JsonItem>()
  for (const item of items) byKey.set(JSON.stringify(keyAttributes.map((k) => item[k])), item)
  const unique = [...byKey.values()]
  const out: BatchWriteItemCommandInput[] = []
  for (let i = 0; i < unique.length; i += BATCH_WRITE_LIMIT)
    out.push({
      RequestItems: {
        [table]: unique
          .slice(i, i + BATCH_WRITE_LIMIT)
          .map((item) => ({ PutRequest: { Item: fromRow(item) } })),
      },
    })
  return out
}

/**
 * "Full jitter" exponential backoff: a random delay in [0, min(cap, base·2^attempt)].
 * https://docs.aws.amazon.com/general/latest/gr/api-retries.html
 */
export function backoffDelay(
  attempt: number,
  random: () => number = Math.random,
  baseMs = 50,
  capMs = 5000,
): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt))
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

export interface BatchWriteOptions {
  onProgress?: (p: { table: string; written: number; total: number }) => void
  maxAttempts?: number
  signal?: AbortSignal
  /** Injected for tests; defaults to a real timer. */
  delay?: (ms: number) => Promise<void>
}

export interface BatchWriteResult {
  table: string
  written: number
  total: number
  batches: number
  retries: number
}

/**
 * Sends one BatchWriteItem and keeps resending its UnprocessedItems (and throttled calls) with backoff
 * until every request is written. Returns how many retries it took.
 */
export async function runBatchWrite(
  client: DynamoDBClient,
  input: BatchWriteItemCommandInput,
  options: Pick<BatchWriteOptions, 'maxAttempts' | 'delay' | 'signal'> & {
    onWritten?: (n: number) => void
  } = {},
): Promise<number> {
  const maxAttempts = options.maxAttempts ?? 10
  const delay = options.delay ?? sleep
  let pending: Record<string, WriteRequest[]> | undefined = input.RequestItems
  let retries = 0
  for (let attempt = 0; pending && Object.keys(pending).length > 0; attempt++) {
    if (options.signal?.aborted)
      throw new WorkbenchError('internal', 'batch write cancelled', { reason: 'aborted' })
    if (attempt >= maxAttempts)
      throw new WorkbenchError(
        'dynamodb.throttled',
        `BatchWriteItem still had unprocessed items after ${maxAttempts} attempts`,
        {
          unprocessed: Object.values(pending).reduce((n, r) => n + r.length, 0),
        },
      )
    if (attempt > 0) {
      retries++
      await delay(backoffDelay(attempt))
    }
    const sent = Object.values(pending).reduce((n, r) => n + r.length, 0)
    try {
      const out = await client.send(new BatchWriteItemCommand({ ...input, RequestItems: pending }))
      const left =
        out.UnprocessedItems && Object.keys(out.UnprocessedItems).length ? out.UnprocessedItems : undefined
      const unprocessed = left ? Object.values(left).reduce((n, r) => n + r.length, 0) : 0
      options.onWritten?.(sent - unprocessed)
      pending = left
    } catch (err) {
      const e = toWorkbenchError(err)
      if (e.code !== 'dynamodb.throttled') throw e
      // Throttled as a whole: nothing written, retry the same requests.
    }
  }
  return retries
}

/** Writes items in chunks of 25 with retries; idempotent since every item has a fixed key (a rerun overwrites). */
export async function seedItems(
  client: DynamoDBClient,
  table: string,
  keyAttributes: string[],
  items: JsonItem[],
  options: BatchWriteOptions = {},
): Promise<BatchWriteResult> {
  const batches = buildBatchWrites(table, keyAttributes, items)
  const total = batches.reduce((n, b) => n + (b.RequestItems?.[table]?.length ?? 0), 0)
  let written = 0
  let retries = 0
  options.onProgress?.({ table, written, total })
  for (const batch of batches) {
    retries += await runBatchWrite(client, batch, {
      ...options,
      onWritten: (n) => {
        written += n
        options.onProgress?.({ table, written, total })
      },
    })
  }
  return { table, written, total, batches: batches.length, retries }
}

/**
 * Items from the model's generator (`sampleData.generator`), with the seed and counts per generated entity
 * optionally overridden; deterministic for a seed. A count the generator cannot meet (more distinct pairs than
 * there are users for) is `input.invalid`; a generator the model gets wrong is `model.invalid`; both name the path.
 */
export function generateSampleItems(model: Model, options: GenerateOptions = {}): Record<string, JsonItem[]> {
  if (!model.sampleData?.generator)
    throw new WorkbenchError(
      'model.invalid',
      `sampleData.generator: the model ${model.name} has no generator`,
      {
        model: model.name,
      },
    )
  try {
    return generateData(model, options).items
  } catch (err) {
    if (!(err instanceof GeneratorError)) throw err
    throw new WorkbenchError(
      err.path.startsWith('counts.') ? 'input.invalid' : 'model.invalid',
      err.message,
      {
        path: err.path,
      },
    )
  }
}

/**
 * Seeds every table of a model from its sample data (inline items and/or itemsFile next to the model file), or
 * from its generator with `source: 'generator'`.
 */
export async function seedModel(
  client: DynamoDBClient,
  model: Model,
  options: BatchWriteOptions & {
    modelFile?: string
    tables?: string[]
    items?: Record<string, JsonItem[]>
    source?: 'items' | 'generator'
    generator?: GenerateOptions
  } = {},
): Promise<BatchWriteResult[]> {
  const sample =
    options.items ??
    (options.source === 'generator'
      ? generateSampleItems(model, options.generator)
      : await loadSampleItems(model, options.modelFile))
  const results: BatchWriteResult[] = []
  for (const [table, items] of Object.entries(sample)) {
    if (options.tables && !options.tables.includes(table)) continue
    const spec = model.tables.find((t) => t.name === table)
    if (!spec) throw new WorkbenchError('table.notFound', `the model has no table "${table}"`, { table })
    results.push(
      await seedItems(
        client,
        table,
        spec.keySchema.map((k) => k.attributeName),
        items,
        options,
      ),
    )
  }
  return results
}

/** Counts a table's (or index's) items exactly, with a COUNT scan over every page. */
export async function countItems(
  client: DynamoDBClient,
  table: string,
  options: { index?: string } = {},
): Promise<number> {
  let count = 0
  let start: Record<string, AttributeValue> | undefined
  do {
    try {
      const page = await client.send(
        new ScanCommand({
          TableName: table,
          IndexName: options.index,
          Select: 'COUNT',
          ExclusiveStartKey: start,
        }),
      )
      count += page.Count ?? 0
      start = page.LastEvaluatedKey
    } catch (err) {
      throw toWorkbenchError(err, { table })
    }
  } while (start)
  return count
}
