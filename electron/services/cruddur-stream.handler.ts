import {
  DeleteItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  type DeleteItemCommandInput,
  type DynamoDBClient,
  type PutItemCommandInput,
  type QueryCommandInput,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb'
import { matchKeyTemplate } from '../../shared/domain/key-template'
import type { TableSpec } from '../../shared/domain/model'
import { toWorkbenchError, WorkbenchError } from './errors'
import { fromRow, toRow } from './item-json'
import { buildPatternRequest } from './pattern.builder'
import type { HandlerContext, HandlerStep, RecordReport, StreamHandler, StreamRecordView } from './stream.service'

type Row = Record<string, unknown>

/** Which clients answered TransactWriteItems; an endpoint without it gets the conditional put-then-delete. */
const transactSupport = new WeakMap<DynamoDBClient, boolean>()

export interface MoveRequests {
  transact: TransactWriteItemsCommandInput
  put: PutItemCommandInput
  delete: DeleteItemCommandInput
}

/**
 * The requests that move a conversation row to a new sort key. Keys cannot be updated, so it is a put of the
 * new row plus a delete of the old one (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html#WorkingWithItems.UpdatingData).
 * The put is conditional on the new key being free and the delete on the old row still having its old sort
 * key, so a concurrent mover makes this one fail instead of losing or doubling the row. Pure.
 */
export function buildMoveRequests(table: TableSpec, before: Row, after: Row): MoveRequests {
  const pkName = table.keySchema[0]!.attributeName
  const skName = table.keySchema[1]?.attributeName
  if (!skName) throw new WorkbenchError('model.invalid', `table ${table.name} has no sort key to move rows along`)
  const put: PutItemCommandInput = {
    TableName: table.name,
    Item: fromRow(after),
    ConditionExpression: 'attribute_not_exists(#pk)',
    ExpressionAttributeNames: { '#pk': pkName },
  }
  const del: DeleteItemCommandInput = {
    TableName: table.name,
    Key: fromRow({ [pkName]: before[pkName], [skName]: before[skName] }, true),
    ConditionExpression: '#sk = :old',
    ExpressionAttributeNames: { '#sk': skName },
    ExpressionAttributeValues: fromRow({ ':old': before[skName] }, true),
  }
  const transact: TransactWriteItemsCommandInput = {
    TransactItems: [
      { Put: { ...put, Item: put.Item!, TableName: table.name } },
      { Delete: { ...del, Key: del.Key!, TableName: table.name } },
    ],
  }
  return { transact, put, delete: del }
}

async function queryAll(client: DynamoDBClient, request: QueryCommandInput): Promise<Row[]> {
  const rows: Row[] = []
  let start = request.ExclusiveStartKey
  do {
    const page = await client.send(new QueryCommand({ ...request, ExclusiveStartKey: start }))
    rows.push(...(page.Items ?? []).map((i) => toRow(i)))
    start = page.LastEvaluatedKey
  } while (start)
  return rows
}

const isUnsupported = (err: unknown) => {
  const name = (err as { name?: string }).name ?? ''
  return name === 'UnknownOperationException' || /not (supported|implemented)/i.test((err as Error).message ?? '')
}

/** `retry`: a concurrent handler moved the row first; re-read it and decide again. */
type MoveOutcome = 'done' | 'retry'

async function moveRow(ctx: HandlerContext, spec: TableSpec, before: Row, after: Row, steps: HandlerStep[]): Promise<MoveOutcome> {
  const req = buildMoveRequests(spec, before, after)
  const useTransact = ctx.transactions === 'on' || (ctx.transactions === 'auto' && transactSupport.get(ctx.client) !== false)
  if (useTransact) {
    try {
      await ctx.client.send(new TransactWriteItemsCommand(req.transact))
      transactSupport.set(ctx.client, true)
      steps.push({ kind: 'transact', request: req.transact, before, after })
      return 'done'
    } catch (err) {
      if (ctx.transactions === 'auto' && isUnsupported(err)) {
        transactSupport.set(ctx.client, false)
        steps.push({ kind: 'fallback', detail: 'TransactWriteItems is not supported here: conditional put, then conditional delete' })
      } else {
        const e = toWorkbenchError(err)
        const reasons = (e.details?.cancellationReasons ?? []) as { Code?: string }[]
        // TransactionConflict: another transaction touched the same rows at the same moment.
        if (e.code !== 'dynamodb.conditionFailed' && !reasons.some((r) => r.Code === 'TransactionConflict')) throw e
        steps.push({ kind: 'conflict', detail: 'the row was moved by someone else meanwhile; reading it again', request: req.transact })
        return 'retry'
      }
    }
  }
  // Put first, then delete: if we stop half-way the conversation shows twice for an instant, never zero times.
  try {
    await ctx.client.send(new PutItemCommand(req.put))
    steps.push({ kind: 'put', request: req.put, after })
  } catch (err) {
    const e = toWorkbenchError(err)
    if (e.code !== 'dynamodb.conditionFailed') throw e
    // Only a handler for this same message writes this exact key; it also deletes the old row.
    steps.push({ kind: 'conflict', detail: 'a row at the new sort key exists already (same message handled twice); the old row is left to that handler', request: req.put })
    return 'done'
  }
  try {
    await ctx.client.send(new DeleteItemCommand(req.delete))
    steps.push({ kind: 'delete', request: req.delete, before })
    return 'done'
  } catch (err) {
    const e = toWorkbenchError(err)
    if (e.code !== 'dynamodb.conditionFailed') throw e
    steps.push({ kind: 'conflict', detail: 'the old row had already moved; keeping only the newest row for this owner', request: req.delete })
    await keepNewestOnly(ctx, spec, before, steps)
    return 'done'
  }
}

const MAX_MOVE_ATTEMPTS = 5

/**
 * Moves one owner's conversation row to the message, re-reading it after a lost race (a transaction whose
 * condition failed because another handler moved the row first) so a newer message is never undone.
 */
async function moveToMessage(
  ctx: HandlerContext,
  spec: TableSpec,
  query: QueryCommandInput,
  row: Row,
  message: { createdAt: string; text: unknown },
  steps: HandlerStep[],
): Promise<void> {
  let current: Row | undefined = row
  for (let attempt = 0; current && attempt < MAX_MOVE_ATTEMPTS; attempt++) {
    if (typeof current.sk === 'string' && current.sk >= message.createdAt) {
      steps.push({ kind: 'skip', reason: `row already at ${current.sk}, not older than this message (${message.createdAt})`, item: current })
      return
    }
    if ((await moveRow(ctx, spec, current, { ...current, sk: message.createdAt, message: message.text }, steps)) === 'done') return
    const owner: unknown = current.pk
    const rows = await queryAll(ctx.client, query)
    steps.push({ kind: 'query', request: query, items: rows })
    current = rows.filter((r) => r.pk === owner).sort((a, b) => (String(a.sk) < String(b.sk) ? 1 : -1))[0]
  }
  if (current) throw new WorkbenchError('item.conflict', `conversation row ${String(current.pk)} kept moving under us; gave up after ${MAX_MOVE_ATTEMPTS} attempts`, { row: current })
}

/** After a lost race in the fallback path: delete every row of this owner+conversation but the newest. */
async function keepNewestOnly(ctx: HandlerContext, spec: TableSpec, row: Row, steps: HandlerStep[]): Promise<void> {
  const pkName = spec.keySchema[0]!.attributeName
  const skName = spec.keySchema[1]!.attributeName
  const request: QueryCommandInput = {
    TableName: spec.name,
    KeyConditionExpression: '#pk = :pk',
    FilterExpression: 'message_group_uuid = :g',
    ExpressionAttributeNames: { '#pk': pkName },
    ExpressionAttributeValues: fromRow({ ':pk': row[pkName], ':g': row.message_group_uuid }, true),
    ScanIndexForward: false,
  }
  const rows = await queryAll(ctx.client, request)
  steps.push({ kind: 'query', request, items: rows })
  for (const stale of rows.slice(1)) {
    const del: DeleteItemCommandInput = {
      TableName: spec.name,
      Key: fromRow({ [pkName]: stale[pkName], [skName]: stale[skName] }, true),
      ConditionExpression: 'attribute_exists(#sk)',
      ExpressionAttributeNames: { '#sk': skName },
    }
    try {
      await ctx.client.send(new DeleteItemCommand(del))
      steps.push({ kind: 'delete', request: del, before: stale })
    } catch (err) {
      if (toWorkbenchError(err).code !== 'dynamodb.conditionFailed') throw err
    }
  }
}

/**
 * Cruddur's pattern D. For every new message in the batch (not just the first): query the GSI for the
 * conversation's rows and move each one to sk = the message's created_at, message = its text, unless the row
 * is already at or after that message (a late, out-of-order record must not move a conversation back).
 */
export const cruddurUpdateConversations: StreamHandler = async (records: StreamRecordView[], ctx: HandlerContext): Promise<RecordReport[]> => {
  const handlerSpec = ctx.model.streamHandlers.find((h) => h.name === 'cruddur-update-conversations')
  const patternId = handlerSpec?.pattern ?? 'D'
  const spec = ctx.model.tables.find((t) => t.name === ctx.table)
  if (!spec) throw new WorkbenchError('table.notFound', `the model has no table "${ctx.table}"`, { table: ctx.table })
  const message = ctx.model.entities.find((e) => e.name === 'Message' && e.table === ctx.table)
  const pkTemplate = message?.keys.pk ?? 'MSG#{message_group_uuid}'
  const reports: RecordReport[] = []
  for (const record of records) {
    const steps: HandlerStep[] = []
    reports.push({ record, steps })
    const img = record.newImage
    if (record.eventName !== 'INSERT' || !img) {
      steps.push({ kind: 'skip', reason: `${record.eventName} record: only new messages move conversations` })
      continue
    }
    const parsed = typeof img.pk === 'string' ? matchKeyTemplate(pkTemplate, img.pk) : undefined
    const group = parsed?.message_group_uuid
    const createdAt = img.sk
    if (!group || typeof createdAt !== 'string') {
      steps.push({ kind: 'skip', reason: 'not a message row', item: img })
      continue
    }
    const { input } = buildPatternRequest(ctx.model, patternId, { message_group_uuid: group })
    const query = { ...(input as QueryCommandInput) }
    delete query.Limit
    delete query.ReturnConsumedCapacity
    const rows = await queryAll(ctx.client, query)
    steps.push({ kind: 'query', request: query, items: rows })
    for (const row of rows) await moveToMessage(ctx, spec, query, row, { createdAt, text: img.message }, steps)
  }
  return reports
}

