import {
  ScanCommand,
  type AttributeValue,
  type ConsumedCapacity,
  type DynamoDBClient,
  type ScanCommandInput,
} from '@aws-sdk/client-dynamodb'
import { toWorkbenchError, WorkbenchError } from './errors'
import { toRow } from './item-json'

export interface ScanOptions {
  index?: string
  /** Parallel scan: how many segments to read at once. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.ParallelScan */
  totalSegments?: number
  /** Stop after this many items in total. */
  limit?: number
  /** Items per page request. */
  pageSize?: number
  consistentRead?: boolean
  onProgress?: (p: {
    items: number
    scanned: number
    pages: number
    segmentsDone: number
    totalSegments: number
  }) => void
  signal?: AbortSignal
}

/** The exact Scan request for one page of one segment. */
export function buildScan(
  table: string,
  options: Pick<ScanOptions, 'index' | 'totalSegments' | 'pageSize' | 'consistentRead'> & {
    segment?: number
    exclusiveStartKey?: Record<string, AttributeValue>
  } = {},
): ScanCommandInput {
  const input: ScanCommandInput = { TableName: table, ReturnConsumedCapacity: 'TOTAL' }
  if (options.index) input.IndexName = options.index
  if (options.totalSegments && options.totalSegments > 1) {
    input.Segment = options.segment ?? 0
    input.TotalSegments = options.totalSegments
  }
  if (options.pageSize) input.Limit = options.pageSize
  if (options.consistentRead) input.ConsistentRead = true
  if (options.exclusiveStartKey) input.ExclusiveStartKey = options.exclusiveStartKey
  return input
}

export interface ScanResult {
  items: Record<string, unknown>[]
  count: number
  scannedCount: number
  pages: number
  consumedCapacityUnits: number
  /** True when `limit` stopped the scan before the end of the table. */
  truncated: boolean
}

/** Reads every page of a table (or index), optionally in parallel segments, stopping early at `limit`. */
export async function scanTable(
  client: DynamoDBClient,
  table: string,
  options: ScanOptions = {},
): Promise<ScanResult> {
  const totalSegments = Math.max(1, options.totalSegments ?? 1)
  if (totalSegments > 1_000_000)
    throw new WorkbenchError('input.invalid', 'totalSegments is at most 1,000,000')
  const result: ScanResult = {
    items: [],
    count: 0,
    scannedCount: 0,
    pages: 0,
    consumedCapacityUnits: 0,
    truncated: false,
  }
  let segmentsDone = 0
  const full = () => options.limit !== undefined && result.items.length >= options.limit
  const report = () =>
    options.onProgress?.({
      items: result.items.length,
      scanned: result.scannedCount,
      pages: result.pages,
      segmentsDone,
      totalSegments,
    })

  const readSegment = async (segment: number) => {
    let start: Record<string, AttributeValue> | undefined
    do {
      if (options.signal?.aborted || full()) {
        result.truncated = true
        return
      }
      const input = buildScan(table, { ...options, totalSegments, segment, exclusiveStartKey: start })
      let page
      try {
        page = await client.send(new ScanCommand(input))
      } catch (err) {
        throw toWorkbenchError(err, { table, segment })
      }
      result.pages++
      result.scannedCount += page.ScannedCount ?? 0
      result.consumedCapacityUnits += sumCapacity(page.ConsumedCapacity)
      for (const item of page.Items ?? []) {
        if (full()) {
          result.truncated = true
          break
        }
        result.items.push(toRow(item))
      }
      start = page.LastEvaluatedKey
      report()
    } while (start)
    segmentsDone++
    report()
  }
  await Promise.all(Array.from({ length: totalSegments }, (_, s) => readSegment(s)))
  result.count = result.items.length
  return result
}

export function sumCapacity(c: ConsumedCapacity | ConsumedCapacity[] | undefined): number {
  if (!c) return 0
  return (Array.isArray(c) ? c : [c]).reduce((n, x) => n + (x.CapacityUnits ?? 0), 0)
}
