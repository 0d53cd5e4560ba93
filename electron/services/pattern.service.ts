import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  type ConsumedCapacity,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { randomUUID } from 'node:crypto'
import type { Model } from '../../shared/domain/model'
import { formatTimestampAs, nowTimestamp } from '../../shared/domain/timestamp'
import { toWorkbenchError } from './errors'
import { toRow } from './item-json'
import {
  buildPatternRequest,
  evaluateExpectations,
  getPattern,
  resolveParams,
  type ExpectationResult,
  type ParamGenerators,
  type ParamValue,
  type ParamValues,
  type PatternRequest,
} from './pattern.builder'
import { applyHandlerDirect, type RecordReport } from './stream.service'

const MICROS_UTC = 'YYYY-MM-DDTHH:mm:ss.SSSSSS+00:00'
export const defaultGenerators: ParamGenerators = {
  uuid: () => randomUUID(),
  // Six fractional digits get the strictly increasing clock, so two writes in one millisecond keep distinct keys.
  now: (format) => (format === MICROS_UTC ? nowTimestamp() : formatTimestampAs(new Date(), format)),
}

type Row = Record<string, unknown>

export interface PatternRunResult {
  patternId: string
  operation: PatternRequest['operation']
  /** The exact SDK input that was sent. */
  request: PatternRequest['input']
  params: Record<string, ParamValue>
  /** Items in the order DynamoDB returned them. */
  items: Row[]
  /** Items in the order the pattern shows them (`present: reverse` flips a newest-first page). */
  presented: Row[]
  count: number
  scannedCount: number
  consumedCapacity?: ConsumedCapacity | undefined
  /** Plain-JSON key to pass back as exclusiveStartKey for the next (for pattern A: older) page. */
  lastEvaluatedKey?: Row | undefined
  expectations: ExpectationResult[]
  /** For `stream` patterns run with a message: what the handler did. */
  handlerReports?: RecordReport[]
}

export interface RunPatternOptions {
  exclusiveStartKey?: Row
  limit?: number
  generators?: ParamGenerators
  /** For a `stream` pattern: a message row to apply the handler to, in-process (direct mode). */
  applyTo?: Row
  returnConsumedCapacity?: 'TOTAL' | 'INDEXES'
}

/** Builds the pattern's request without sending it ("show me the request", code generation). */
export function previewPattern(
  model: Model,
  patternId: string,
  params: ParamValues = {},
  options: RunPatternOptions = {},
): PatternRequest & { params: Record<string, ParamValue> } {
  const pattern = getPattern(model, patternId)
  const resolved = resolveParams(pattern, params, options.generators ?? defaultGenerators)
  return { ...buildPatternRequest(model, pattern, resolved, options), params: resolved }
}

/** Runs a named access pattern with parameters and reports items, capacity, paging and expectations. */
export async function runPattern(
  client: DynamoDBClient,
  model: Model,
  patternId: string,
  params: ParamValues = {},
  options: RunPatternOptions = {},
): Promise<PatternRunResult> {
  const pattern = getPattern(model, patternId)
  const resolved = resolveParams(pattern, params, options.generators ?? defaultGenerators)
  const req = buildPatternRequest(model, pattern, resolved, options)
  let items: Row[] = []
  let count = 0
  let scannedCount = 0
  let consumed: ConsumedCapacity | undefined
  let last: Row | undefined
  try {
    switch (req.operation) {
      case 'Query':
      case 'Scan': {
        const out =
          req.operation === 'Query'
            ? await client.send(new QueryCommand(req.input))
            : await client.send(new ScanCommand(req.input))
        items = (out.Items ?? []).map((i) => toRow(i))
        count = out.Count ?? items.length
        scannedCount = out.ScannedCount ?? count
        consumed = out.ConsumedCapacity
        last = out.LastEvaluatedKey ? toRow(out.LastEvaluatedKey) : undefined
        break
      }
      case 'GetItem': {
        const out = await client.send(new GetItemCommand(req.input))
        items = out.Item ? [toRow(out.Item)] : []
        count = scannedCount = items.length
        consumed = out.ConsumedCapacity
        break
      }
      case 'PutItem': {
        const out = await client.send(new PutItemCommand(req.input))
        items = [toRow(req.input.Item!)]
        count = 1
        consumed = out.ConsumedCapacity
        break
      }
      case 'DeleteItem': {
        const out = await client.send(new DeleteItemCommand(req.input))
        items = out.Attributes ? [toRow(out.Attributes)] : []
        count = items.length
        consumed = out.ConsumedCapacity
        break
      }
    }
  } catch (err) {
    throw toWorkbenchError(err, { pattern: pattern.id, table: pattern.table, operation: req.operation })
  }
  const result: PatternRunResult = {
    patternId: pattern.id,
    operation: req.operation,
    request: req.input,
    params: resolved,
    items,
    presented: pattern.present === 'reverse' ? [...items].reverse() : items,
    count,
    scannedCount,
    consumedCapacity: consumed,
    lastEvaluatedKey: last,
    expectations: evaluateExpectations(pattern, {
      operation: req.operation,
      items,
      index: 'IndexName' in req.input ? req.input.IndexName : undefined,
      capacityUnits: consumed?.CapacityUnits,
    }),
  }
  if (pattern.operation === 'stream' && options.applyTo)
    result.handlerReports = await applyHandlerDirect(client, model, pattern.table, [options.applyTo], {
      handlerName: pattern.handler,
    })
  return result
}

/** The next page after a previous run (for pattern A, the next older messages). */
export function nextPage(
  client: DynamoDBClient,
  model: Model,
  patternId: string,
  params: ParamValues,
  lastEvaluatedKey: Row,
  options: Omit<RunPatternOptions, 'exclusiveStartKey'> = {},
): Promise<PatternRunResult> {
  return runPattern(client, model, patternId, params, { ...options, exclusiveStartKey: lastEvaluatedKey })
}

/** Pattern A's "load older messages". */
export const nextOlderPage = nextPage
