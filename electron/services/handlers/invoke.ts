import { TransactWriteItemsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { unmarshall } from '@aws-sdk/util-dynamodb'
import path from 'node:path'
import type { Model, StreamHandlerSpec } from '../../../shared/domain/model'
import { WorkbenchError } from '../errors'
import type { HandlerStep, RecordReport, StreamRecordView, TransactionsMode } from '../stream.service'
import { HandlerRunner, handlerEnvironment, type HandlerCall, type Invocation } from './handler-runner'
import { batchOutcome, type BatchOutcome, type LambdaStreamRecord } from './lambda-event'

type Row = Record<string, unknown>
type Image = Parameters<typeof unmarshall>[0]

/** A model's stream handler with its file resolved and Lambda's event source mapping settings filled in. */
export interface ResolvedHandler {
  name: string
  table: string
  file: string
  timeoutMs: number
  batchSize: number
  maximumRetryAttempts: number
  reportBatchItemFailures: boolean
}

export interface HandlerOverrides {
  /** A handler module to run instead of the model's binding (`--handler FILE`). */
  file?: string
  name?: string
  batchSize?: number
  timeoutMs?: number
  maximumRetryAttempts?: number
}

/**
 * The handler bound to a table's stream. Its `file` is absolute once the model was loaded from a file (the loader
 * resolves it against the model's folder and checks it exists); a relative one here has nothing to resolve against.
 */
export function resolveStreamHandler(
  model: Model,
  table: string,
  overrides: HandlerOverrides = {},
): ResolvedHandler {
  const spec: StreamHandlerSpec | undefined = model.streamHandlers.find((h) =>
    overrides.name ? h.name === overrides.name : h.table === table,
  )
  const file = overrides.file ? path.resolve(overrides.file) : spec?.file
  if (!file)
    throw new WorkbenchError(
      'stream.unavailable',
      `the model has no stream handler${overrides.name ? ` "${overrides.name}"` : ` for table ${table}`}; bind one in streamHandlers or pass a handler file`,
      { table, name: overrides.name },
    )
  if (!path.isAbsolute(file))
    throw new WorkbenchError(
      'model.invalid',
      `stream handler file "${file}" is relative, and the model was not loaded from a file to resolve it against`,
      {
        file,
      },
    )
  return {
    name: spec?.name ?? path.basename(file).replace(/\.[^.]+$/, ''),
    table,
    file,
    timeoutMs: overrides.timeoutMs ?? (spec?.timeoutSeconds ?? 30) * 1000,
    batchSize: overrides.batchSize ?? spec?.batchSize ?? 100,
    maximumRetryAttempts: overrides.maximumRetryAttempts ?? spec?.maximumRetryAttempts ?? 2,
    reportBatchItemFailures: spec?.reportBatchItemFailures ?? true,
  }
}

const transactionSupport = new WeakMap<DynamoDBClient, Promise<boolean>>()

/**
 * Whether the connection has TransactWriteItems, asked once per client: an empty transaction is refused with a
 * ValidationException by an endpoint that has the operation and with UnknownOperationException by one that has not.
 */
export function probeTransactions(client: DynamoDBClient): Promise<boolean> {
  let known = transactionSupport.get(client)
  if (!known) {
    known = client.send(new TransactWriteItemsCommand({ TransactItems: [] })).then(
      () => true,
      (err: unknown) => (err as { name?: string }).name !== 'UnknownOperationException',
    )
    transactionSupport.set(client, known)
  }
  return known
}

const runners = new Map<string, HandlerRunner>()

/** A warm runner per handler file and environment, shared by every caller (the app's sends, replays and CLI runs). */
async function runnerFor(
  client: DynamoDBClient,
  handler: ResolvedHandler,
  transactions: TransactionsMode,
): Promise<HandlerRunner> {
  const tx = transactions === 'auto' ? ((await probeTransactions(client)) ? 'on' : 'off') : transactions
  // TABLEWRIGHT_TRANSACTIONS tells a handler whether this connection has TransactWriteItems; on Lambda it is
  // unset and a handler should assume it has.
  const env = await handlerEnvironment(client, {
    TABLEWRIGHT_TRANSACTIONS: tx,
    AWS_LAMBDA_FUNCTION_NAME: handler.name,
  })
  const key = JSON.stringify([handler.file, handler.timeoutMs, env])
  let runner = runners.get(key)
  if (!runner) {
    runner = new HandlerRunner(
      { file: handler.file, functionName: handler.name, timeoutMs: handler.timeoutMs },
      env,
    )
    runners.set(key, runner)
  }
  return runner
}

/** Ends every handler worker (app shutdown, end of a test file). */
export function closeHandlerRunners(): void {
  for (const r of runners.values()) r.close()
  runners.clear()
}

/** DynamoDB JSON as a plain row; whatever a handler sent that is not DynamoDB JSON is shown as it was. */
function asRow(x: unknown): Row {
  if (!x || typeof x !== 'object') return {}
  try {
    return unmarshall(x as Image)
  } catch {
    return x as Row
  }
}

/** One recorded SDK call as a timeline step. */
export function callStep(call: HandlerCall): HandlerStep {
  const input = call.input
  if (call.error) {
    const conflict =
      call.error.name === 'ConditionalCheckFailedException' ||
      call.error.name === 'TransactionCanceledException'
    const detail = `${call.op} refused: ${call.error.name}: ${call.error.message}`
    return conflict ? { kind: 'conflict', detail, request: input } : { kind: 'error', detail, request: input }
  }
  const out = call.output ?? {}
  const image = (x: unknown): Row => (call.plainOutput ? ((x ?? {}) as Row) : asRow(x))
  const items = (x: unknown): Row[] => (Array.isArray(x) ? x.map(image) : [])
  switch (call.op) {
    case 'Query':
    case 'Scan':
      return { kind: 'query', request: input, items: items(out.Items) }
    case 'GetItem':
      return { kind: 'read', op: call.op, request: input, items: out.Item ? [image(out.Item)] : [] }
    case 'BatchGetItem':
      return {
        kind: 'read',
        op: call.op,
        request: input,
        items: Object.values((out.Responses ?? {}) as Record<string, unknown[]>).flatMap(items),
      }
    case 'PutItem':
      return { kind: 'put', request: input, after: asRow(input.Item) }
    case 'DeleteItem':
      return {
        kind: 'delete',
        request: input,
        before: out.Attributes ? image(out.Attributes) : image(input.Key),
      }
    case 'UpdateItem': {
      const step: HandlerStep = { kind: 'update', request: input, key: asRow(input.Key) }
      if (out.Attributes) step.after = image(out.Attributes)
      return step
    }
    case 'TransactWriteItems': {
      const writes = ((input.TransactItems ?? []) as Record<string, Row>[]).flatMap((t) =>
        (['Put', 'Delete', 'Update', 'ConditionCheck'] as const)
          .filter((op) => t[op])
          .map((op) => ({
            op,
            table: String(t[op]!.TableName ?? ''),
            item: image(op === 'Put' ? t[op]!.Item : t[op]!.Key),
          })),
      )
      return { kind: 'transact', request: input, writes }
    }
    default:
      return { kind: 'write', op: call.op, request: input }
  }
}

/**
 * The invocation's steps per record of the batch. Calls and logs are attributed to the record the handler last
 * read in the same async context (worker.mjs tracks reads of event.Records); those before any read go to the
 * first record. A thrown error or timeout closes the record it happened in.
 */
export function stepsPerRecord(inv: Invocation, size: number): HandlerStep[][] {
  const out: HandlerStep[][] = Array.from({ length: Math.max(size, 1) }, () => [])
  const at = (i: number) => out[i >= 0 && i < out.length ? i : 0]!
  let last = 0
  const seen: Row[] = []
  for (const t of inv.timeline) {
    if (t.kind === 'call') {
      last = t.call.record >= 0 ? t.call.record : last
      const step = withRowsAsRead(callStep(t.call), seen)
      if (step.kind === 'query' || step.kind === 'read') seen.push(...step.items)
      at(t.call.record).push(step)
    } else if (t.log.level !== 'warning') {
      last = t.log.record >= 0 ? t.log.record : last
      const skip = /^skip:\s*(.*)$/is.exec(t.log.text)
      at(t.log.record).push(
        skip
          ? { kind: 'skip', reason: skip[1]!.trim() }
          : { kind: 'log', level: t.log.level, text: t.log.text },
      )
    }
  }
  if (inv.error) {
    const e = inv.error
    const where = e.location ? ` (${e.location})` : ''
    const step: HandlerStep = {
      kind: 'error',
      detail: `${e.phase === 'load' ? 'cannot load the handler: ' : ''}${e.name}: ${e.message}${where}`,
    }
    if (e.location) step.location = e.location
    if (e.stack) step.stack = e.stack
    at(last).push(step)
  }
  return out
}

/** The newest row the handler read whose attributes include this key (so a delete shows the whole row it removed). */
function rowAsRead(key: Row, seen: Row[]): Row {
  const keys = Object.entries(key)
  if (keys.length === 0) return key
  for (let i = seen.length - 1; i >= 0; i--) {
    const row = seen[i]!
    if (keys.every(([k, v]) => row[k] === v)) return row
  }
  return key
}

function withRowsAsRead(step: HandlerStep, seen: Row[]): HandlerStep {
  if (step.kind === 'delete') return { ...step, before: rowAsRead(step.before, seen) }
  if (step.kind === 'transact')
    return {
      ...step,
      writes: step.writes.map((w) => (w.op === 'Put' ? w : { ...w, item: rowAsRead(w.item, seen) })),
    }
  return step
}

export interface BatchRun {
  invocation: Invocation
  reports: RecordReport[]
  outcome: BatchOutcome
}

/** Invokes the handler once with a batch, as Lambda would, and reads its response as ReportBatchItemFailures does. */
export async function invokeBatch(
  client: DynamoDBClient,
  handler: ResolvedHandler,
  batch: { view: StreamRecordView; lambda: LambdaStreamRecord }[],
  options: { transactions?: TransactionsMode; attempt?: number } = {},
): Promise<BatchRun> {
  const runner = await runnerFor(client, handler, options.transactions ?? 'auto')
  const invocation = await runner.invoke({ Records: batch.map((b) => b.lambda) })
  const steps = stepsPerRecord(invocation, batch.length)
  const reports = batch.map((b, i) => {
    const r: RecordReport = { record: b.view, steps: steps[i] ?? [] }
    if (options.attempt) r.attempt = options.attempt
    return r
  })
  let outcome: BatchOutcome
  if (!invocation.ok) outcome = { kind: 'failure', reason: invocation.error?.message ?? 'the handler failed' }
  else if (!handler.reportBatchItemFailures) outcome = { kind: 'success' }
  else
    outcome = batchOutcome(
      invocation.result,
      batch.map((b) => b.lambda),
    )
  return { invocation, reports, outcome }
}
