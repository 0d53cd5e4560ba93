import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb'
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import type { Model } from '../../shared/domain/model'
import { supportsTransactions } from './capabilities'
import { toWorkbenchError, WorkbenchError } from './errors'
import { fromRow, toRow, type Row } from './item-json'
import type { ParamGenerators, ParamValue, ParamValues } from './pattern.builder'
import { defaultGenerators } from './pattern.service'
import { planRecipe, type PlannedWrite, type WritePlan } from './recipe.builder'
import {
  applyHandlerDirect,
  getStreamArn,
  handleRecords,
  StreamReader,
  type RecordReport,
  type StreamRecordView,
  type TransactionsMode,
} from './stream.service'
import { keyLabel, mergeMoves, recordEntry, reportEntries, type TimelineEntry } from './timeline'

export type RecipeMode = 'auto' | 'transaction' | 'steps'
/** How the table's stream handler follows the writes: the Streams API, in-process on the written items, or not. */
export type FollowMode = 'stream' | 'direct' | 'none'

export interface RunRecipeOptions {
  /** Overrides the recipe's own mode. */
  mode?: RecipeMode
  /** Default: through the stream where the written table has one on this connection, else direct. */
  process?: FollowMode
  /** For `auto` and the handler: whether to use TransactWriteItems ('auto': where the connection has them). */
  transactions?: TransactionsMode
  generators?: ParamGenerators
  /** Stream mode: polls to wait for the writes' records. */
  maxPolls?: number
  /** Each stream record as it is read, for live views. */
  onRecord?: (table: string, record: StreamRecordView) => void
}

export interface WriteOutcome {
  write: PlannedWrite
  status: 'written' | 'checked' | 'failed' | 'not-run'
  /** The request sent for this write (its TransactWriteItems action in transaction mode). */
  request: unknown
  before?: Row | undefined
  after?: Row | undefined
  reason?: { code: string; message?: string | undefined } | undefined
}

export interface RecipeRunResult {
  recipe: { id: string; name: string }
  params: Record<string, ParamValue>
  mode: 'transaction' | 'steps'
  process: FollowMode
  ok: boolean
  /** Why the writes stopped (a failed condition, a cancelled transaction); thrown errors are not caught here. */
  failure?: { code: string; message: string } | undefined
  /** The whole TransactWriteItems request in transaction mode. */
  transactRequest?: TransactWriteItemsCommandInput | undefined
  writes: WriteOutcome[]
  records: StreamRecordView[]
  handlerReports: RecordReport[]
  timeline: TimelineEntry[]
  notes: string[]
}

/** Failures a write can meet that belong in the timeline (the request was fine, the data said no). */
const DATA_REFUSALS = new Set(['dynamodb.conditionFailed', 'dynamodb.error', 'dynamodb.validation'])

async function getItem(client: DynamoDBClient, w: PlannedWrite): Promise<Row | undefined> {
  try {
    const out = await client.send(
      new GetItemCommand({ TableName: w.table, Key: fromRow(w.key, true), ConsistentRead: true }),
    )
    return out.Item ? toRow(out.Item) : undefined
  } catch (err) {
    throw toWorkbenchError(err, { table: w.table })
  }
}

async function decideMode(client: DynamoDBClient, plan: WritePlan, options: RunRecipeOptions) {
  const mode = options.mode ?? plan.recipe.mode
  if (mode !== 'auto') return mode
  if (options.transactions === 'off') return 'steps'
  if (options.transactions === 'on') return 'transaction'
  return (await supportsTransactions(client)) ? 'transaction' : 'steps'
}

/** One TransactWriteItems: all or nothing. A cancellation reports DynamoDB's reason for each action. */
async function runTransaction(client: DynamoDBClient, plan: WritePlan, result: RecipeRunResult) {
  const befores = await Promise.all(plan.writes.map((w) => getItem(client, w)))
  const request: TransactWriteItemsCommandInput = {
    TransactItems: plan.writes.map((w) => {
      const [op, body] = Object.entries(w.action)[0]! as [string, Record<string, unknown>]
      // On a failed condition DynamoDB returns the item as it was in that action's CancellationReasons entry
      // (ReturnValuesOnConditionCheckFailure: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Put.html).
      return body.ConditionExpression
        ? { [op]: { ...body, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } }
        : w.action
    }),
  }
  result.transactRequest = request
  try {
    await client.send(new TransactWriteItemsCommand(request))
  } catch (err) {
    const e = toWorkbenchError(err, { recipe: plan.recipe.id })
    if (!DATA_REFUSALS.has(e.code)) throw e
    const reasons =
      (e.details?.cancellationReasons as { Code?: string; Message?: string; Item?: unknown }[] | undefined) ??
      []
    result.ok = false
    result.failure = { code: e.code, message: e.message }
    plan.writes.forEach((w, i) => {
      const r = reasons[i]
      const item = r?.Item ? toRow(r.Item as Parameters<typeof toRow>[0]) : befores[i]
      result.writes.push({
        write: w,
        status: r && r.Code && r.Code !== 'None' ? 'failed' : 'not-run',
        request: request.TransactItems![i],
        before: item,
        reason: r?.Code ? { code: r.Code, message: r.Message } : undefined,
      })
    })
    return
  }
  for (const [i, w] of plan.writes.entries()) {
    const before = befores[i]
    const after = w.op === 'Put' ? w.item : w.op === 'Update' ? await getItem(client, w) : undefined
    result.writes.push({
      write: w,
      status: w.op === 'ConditionCheck' ? 'checked' : 'written',
      request: request.TransactItems![i],
      before,
      after: w.op === 'ConditionCheck' ? before : after,
    })
  }
}

/** Each write as its own request, in order; the first refusal stops the rest (earlier writes stay). */
async function runSteps(client: DynamoDBClient, plan: WritePlan, result: RecipeRunResult) {
  let stopped = false
  for (const w of plan.writes) {
    const [, body] = Object.entries(w.action)[0]! as [string, Record<string, unknown>]
    if (stopped) {
      result.writes.push({ write: w, status: 'not-run', request: body })
      continue
    }
    let request: Record<string, unknown> = body
    let before: Row | undefined
    let after: Row | undefined
    try {
      if (w.op === 'Put') {
        request = { ...body, ReturnValues: 'ALL_OLD' }
        const out = await client.send(new PutItemCommand(request as never))
        before = out.Attributes ? toRow(out.Attributes) : undefined
        after = w.item
      } else if (w.op === 'Delete') {
        request = { ...body, ReturnValues: 'ALL_OLD' }
        const out = await client.send(new DeleteItemCommand(request as never))
        before = out.Attributes ? toRow(out.Attributes) : undefined
      } else if (w.op === 'Update') {
        before = await getItem(client, w)
        request = { ...body, ReturnValues: 'ALL_NEW' }
        const out = await client.send(new UpdateItemCommand(request as never))
        after = out.Attributes ? toRow(out.Attributes) : undefined
      } else {
        // DynamoDB has no ConditionCheck outside TransactWriteItems: a one-action transaction checks it alone.
        request = { TransactItems: [w.action] }
        before = await getItem(client, w)
        await client.send(new TransactWriteItemsCommand(request as never))
      }
      result.writes.push({
        write: w,
        status: w.op === 'ConditionCheck' ? 'checked' : 'written',
        request,
        before,
        after: w.op === 'ConditionCheck' ? before : after,
      })
    } catch (err) {
      const e = toWorkbenchError(err, { recipe: plan.recipe.id, table: w.table })
      if (!DATA_REFUSALS.has(e.code)) throw e
      stopped = true
      result.ok = false
      result.failure = { code: e.code, message: e.message }
      const reasons = e.details?.cancellationReasons as { Code?: string; Message?: string }[] | undefined
      const name = String(e.details?.dynamodbError ?? e.code)
      result.writes.push({
        write: w,
        status: 'failed',
        request,
        before: before ?? (await getItem(client, w).catch(() => undefined)),
        reason: reasons?.[0]?.Code
          ? { code: reasons[0].Code, message: reasons[0].Message }
          : { code: name.replace(/Exception$/, ''), message: e.message },
      })
    }
  }
}

const sameKey = (a: Row, b: Row) => Object.entries(a).every(([k, v]) => String(b[k]) === String(v))

/** The recipe's own steps as timeline entries. */
function writeEntries(model: Model, result: RecipeRunResult): TimelineEntry[] {
  const n = result.writes.length
  return result.writes.map(({ write: w, status, request, before, after, reason }) => {
    const api = w.op === 'ConditionCheck' ? 'ConditionCheck' : `${w.op}Item`
    const label = `${keyLabel(model, w.table, w.key)}`
    const where = result.mode === 'transaction' ? ` (TransactWriteItems ${w.index + 1}/${n})` : ''
    const base = { source: 'recipe' as const, table: w.table, entity: w.entity, request, before, after }
    if (status === 'failed')
      return {
        ...base,
        kind: 'error' as const,
        title: `${api} ${label} refused: ${reason?.code ?? 'failed'}${where}`,
        detail: reason?.message ?? w.description,
        reason,
      }
    if (status === 'not-run')
      return {
        ...base,
        kind: 'skip' as const,
        title: `${api} ${label} not written${where}`,
        detail:
          result.mode === 'transaction'
            ? `cancelled with the transaction${reason ? ` (its own reason: ${reason.code})` : ''}: nothing was written`
            : 'not run: an earlier step failed (steps are separate requests, so the earlier ones stay written)',
        reason,
      }
    return {
      ...base,
      kind: 'write' as const,
      title: `${api} ${label}${where}`,
      detail: w.description,
    }
  })
}

/**
 * Runs a model's write recipe: resolves its parameters, builds each step from the templates, sends them as one
 * TransactWriteItems (`transaction`, or `auto` where the connection has transactions) or one request per step,
 * then follows the written tables' streams into their handlers (the Streams API, in-process, or not at all) and
 * returns the timeline: each write with its request and before/after items, the stream records, and what the
 * handler read, wrote and logged. A refused condition ends the run with ok=false and the reasons per step;
 * anything else (a read-only connection, an unreachable endpoint) is thrown.
 */
export async function runRecipe(
  clients: { ddb: DynamoDBClient; streams?: DynamoDBStreamsClient | undefined },
  model: Model,
  recipeId: string,
  given: ParamValues = {},
  options: RunRecipeOptions = {},
): Promise<RecipeRunResult> {
  const client = clients.ddb
  const plan = planRecipe(model, recipeId, given, options.generators ?? defaultGenerators)
  const mode = await decideMode(client, plan, options)
  const tables = [...new Set(plan.writes.filter((w) => w.op !== 'ConditionCheck').map((w) => w.table))]
  const result: RecipeRunResult = {
    recipe: { id: plan.recipe.id, name: plan.recipe.name },
    params: plan.params,
    mode,
    process: options.process ?? 'stream',
    ok: true,
    writes: [],
    records: [],
    handlerReports: [],
    timeline: [],
    notes: [],
  }

  // Readers open before the writes (at the stream's end), so they see exactly what follows; the mode is decided
  // before writing, since falling back afterwards would write twice.
  const readers = new Map<string, StreamReader>()
  if (result.process === 'stream') {
    for (const table of tables) {
      if (!clients.streams) break
      try {
        const arn = await getStreamArn(client, clients.streams, table)
        readers.set(table, await new StreamReader(clients.streams, arn, 'latest').open())
      } catch (err) {
        if (!(err instanceof WorkbenchError) || err.code !== 'stream.unavailable') throw err
        result.notes.push(`${table}: ${err.message}`)
      }
    }
    if (readers.size === 0) {
      result.process = 'direct'
      result.notes.push('no stream here: the handler runs in-process on the written items (direct)')
    }
  }

  if (mode === 'transaction') await runTransaction(client, plan, result)
  else await runSteps(client, plan, result)
  result.timeline.push(...mergeMoves(model, writeEntries(model, result)))

  const written = result.writes.filter((w) => w.status === 'written')
  const bound = (table: string) => model.streamHandlers.some((h) => h.table === table)
  if (result.process === 'stream') {
    for (const [table, reader] of readers) {
      const expected = written.filter((w) => w.write.table === table).map((w) => w.write.key)
      const seen: StreamRecordView[] = []
      const pending = () => expected.filter((k) => !seen.some((r) => sameKey(k, r.keys)))
      for (let i = 0; i < (options.maxPolls ?? 20) && pending().length; i++) {
        const batch = await reader.poll()
        for (const r of batch) options.onRecord?.(table, r)
        seen.push(...batch)
        if (pending().length) await new Promise((r) => setTimeout(r, 250))
      }
      // A Put or Update that changes nothing writes no stream record
      // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html), so a missing one is a note.
      if (pending().length)
        result.notes.push(
          `${table}: no stream record for ${pending().length} write(s) (a write that changes nothing makes none)`,
        )
      result.records.push(...seen)
      if (seen.length && bound(table)) {
        const reports = await handleRecords(client, model, table, seen, {
          streamArn: reader.streamArn,
          transactions: options.transactions ?? 'auto',
        })
        result.handlerReports.push(...reports)
        result.timeline.push(...reportEntries(model, table, reports))
      } else
        result.timeline.push(
          ...mergeMoves(
            model,
            seen.map((r) => recordEntry(model, table, r)),
          ),
        )
    }
  } else if (result.process === 'direct') {
    for (const table of tables.filter(bound)) {
      const mine = written.filter((w) => w.write.table === table)
      const puts = mine.filter((w) => w.write.op === 'Put').map((w) => w.write.item!)
      if (mine.length > puts.length)
        result.timeline.push({
          kind: 'skip',
          source: 'stream',
          title: 'Updates and deletes not replayed',
          table,
          detail:
            'direct mode hands the handler each Put as an INSERT; read the stream to see MODIFY and REMOVE',
        })
      if (!puts.length) continue
      const reports = await applyHandlerDirect(client, model, table, puts, {
        transactions: options.transactions ?? 'auto',
      })
      result.records.push(...reports.map((r) => r.record))
      result.handlerReports.push(...reports)
      result.timeline.push(...reportEntries(model, table, reports, 'Handler applied in-process to'))
    }
  }
  return result
}
