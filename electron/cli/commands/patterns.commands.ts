import type { Command } from 'commander'
import { setMaxListeners } from 'node:events'
import { parseExactJson, stringifyExactJson } from '../../../shared/domain/attribute-json'
import type { Model } from '../../../shared/domain/model'
import { WorkbenchError } from '../../services/errors'
import { describeParam, getPattern } from '../../services/pattern.builder'
import { runPattern } from '../../services/pattern.service'
import { scanTable } from '../../services/scan.service'
import {
  applyHandlerDirect,
  processStream,
  type HandlerStep,
  type RecordReport,
} from '../../services/stream.service'
import { printJson, printTable } from '../output'
import {
  addConnectionOptions,
  loadModel,
  run,
  withContext,
  reportedFailure,
  type CliContext,
  type ConnectionOptions,
} from './context'
import { CheckpointStore } from '../../services/handlers/checkpoints.store'
import { collectParam, wholeNumber } from './params'

const pretty = (v: unknown) => stringifyExactJson(v, 2)

function itemColumns(model: Model, table: string, items: Record<string, unknown>[]): string[] {
  const keys = model.tables.find((t) => t.name === table)?.keySchema.map((k) => k.attributeName) ?? []
  const seen = new Set<string>()
  for (const item of items) for (const k of Object.keys(item)) seen.add(k)
  return [...keys.filter((k) => seen.has(k)), ...[...seen].filter((k) => !keys.includes(k)).sort()]
}

/** One line per handler step, e.g. "query GSI → 2 row(s)" or "transact: ORDER#… moved to 2026-…". */
export function describeStep(step: HandlerStep): string {
  switch (step.kind) {
    case 'skip':
      return `skip: ${step.reason}`
    case 'query':
      return `query ${String((step.request as { IndexName?: string }).IndexName ?? 'table')} → ${step.items.length} row(s)`
    case 'transact':
      return `TransactWriteItems: ${step.writes.map((w) => `${w.op} ${String(w.item.pk)} ${String(w.item.sk ?? '')}`).join(' + ')}`
    case 'read':
      return `${step.op} → ${step.items.length} item(s)`
    case 'update':
      return `UpdateItem ${JSON.stringify(step.key)}`
    case 'write':
      return step.op
    case 'log':
      return `log (${step.level}): ${step.text}`
    case 'error':
      return `error: ${step.detail}`
    case 'put':
      return `PutItem ${String(step.after.pk)} ${String(step.after.sk)}`
    case 'delete':
      return `DeleteItem ${String(step.before.pk)} ${String(step.before.sk)}`
    case 'conflict':
      return `conflict: ${step.detail}`
    case 'fallback':
      return `fallback: ${step.detail}`
  }
}

/** What a handler did across records, for the one summary line: writes sent, and records it left alone. */
export function countSteps(reports: RecordReport[]): { writes: number; skipped: number; errors: number } {
  let writes = 0
  let skipped = 0
  let errors = 0
  for (const r of reports) {
    if (r.steps.length > 0 && r.steps.every((st) => st.kind === 'skip')) skipped++
    for (const st of r.steps) {
      if (st.kind === 'put' || st.kind === 'delete' || st.kind === 'update' || st.kind === 'write') writes++
      else if (st.kind === 'transact') writes += st.writes.filter((w) => w.op !== 'ConditionCheck').length
      else if (st.kind === 'error') errors++
    }
  }
  return { writes, skipped, errors }
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

function printReports(reports: RecordReport[]): void {
  for (const r of reports) {
    console.log(`  ${r.record.eventName} ${Object.values(r.record.keys).map(String).join(' ')}`)
    for (const s of r.steps) console.log(`    ${describeStep(s)}`)
  }
}

/** The values an option takes from the next argument, so a scan of raw arguments can step over them. */
const VALUE_OPTIONS = new Set([
  '--param',
  '--limit',
  '--start-key',
  '--connection',
  '--endpoint',
  '--region',
  '--profile',
  '--access-key-id',
  '--model',
])

/**
 * The part of `pattern --help` that depends on the model: each pattern with its parameters (`pattern A --help`: only
 * A, with descriptions). The model comes from --model in the raw arguments, as the command itself would load it.
 */
export async function patternsHelp(args: string[]): Promise<string> {
  let ref: string | undefined
  let id: string | undefined
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!
    if (a.startsWith('--model=')) ref = a.slice('--model='.length)
    else if (a === '--model') ref = args[i + 1]
    if (VALUE_OPTIONS.has(a)) i++
    else if (!a.startsWith('-') && id === undefined) id = a
  }
  let model: Model
  try {
    model = (await loadModel(ref)).model
  } catch (err) {
    return `\nPatterns: cannot read the model${ref ? ` ${ref}` : ''}: ${(err as Error).message}\n`
  }
  const chosen = id ? model.accessPatterns.filter((p) => p.id.toLowerCase() === id.toLowerCase()) : []
  const shown = chosen.length ? chosen : model.accessPatterns
  const lines = [`\nPatterns of model ${model.name}${ref ? '' : ' (--model picks another)'}:`]
  for (const p of shown) {
    lines.push(
      `  ${p.id.padEnd(4)} ${p.name}  (${p.operation} on ${p.table}${p.index ? ` / ${p.index}` : ''})`,
    )
    if (p.params.length === 0) lines.push('         no parameters')
    for (const param of p.params)
      lines.push(
        `         --param ${param.name}=…  ${describeParam(param).slice(param.name.length + 1)}${chosen.length && param.description ? `: ${param.description}` : ''}`,
      )
  }
  return `${lines.join('\n')}\n`
}

export function registerPatternCommands(program: Command): void {
  const patternCommand = addConnectionOptions(
    program
      .command('pattern')
      .description(
        "run one of the model's access patterns: prints the exact request, the items, consumed capacity and the expectations",
      )
      .argument('<id>', "pattern id (listed below, with each pattern's parameters)")
      .option('--param <name=value>', 'a pattern parameter (repeatable; listed below)', collectParam, {})
      .option(
        '--limit <n>',
        "items per request, 1 or more (default: the pattern's own; a page also ends at 1 MB)",
        wholeNumber('--limit', 1),
      )
      .option('--start-key <json>', 'continue from a previous LastEvaluatedKey (plain JSON)'),
  ).action(
    async (
      id: string,
      opts: ConnectionOptions & { param: Record<string, string>; limit?: number; startKey?: string },
    ) => {
      await run(opts.json, async () => {
        const { model } = await loadModel(opts.model)
        const pattern = getPattern(model, id)
        let startKey: Record<string, unknown> | undefined
        if (opts.startKey) {
          try {
            startKey = parseExactJson(opts.startKey) as Record<string, unknown>
          } catch (err) {
            throw new WorkbenchError(
              'pattern.invalidParams',
              `--start-key is not JSON: ${(err as Error).message}`,
            )
          }
        }
        await withContext(opts, async (ctx) => {
          const r = await runPattern(ctx.client, model, pattern.id, opts.param, {
            limit: opts.limit,
            exclusiveStartKey: startKey,
          })
          const capacity = r.consumedCapacity?.CapacityUnits
          if (opts.json) {
            printJson({
              ok: true,
              pattern: {
                id: pattern.id,
                name: pattern.name,
                table: pattern.table,
                index: pattern.index ?? null,
              },
              operation: r.operation,
              servedBy: r.operation,
              request: r.request,
              params: r.params,
              items: r.presented,
              returnedOrder: r.items,
              count: r.count,
              scannedCount: r.scannedCount,
              consumedCapacity: r.consumedCapacity ?? null,
              lastEvaluatedKey: r.lastEvaluatedKey ?? null,
              expectations: r.expectations,
            })
            return
          }
          console.log(`Pattern ${pattern.id}: ${pattern.name}`)
          console.log(
            `Served by: ${r.operation}${r.operation === 'Scan' ? ' (reads the whole table: no key condition)' : ''} on ${pattern.table}${pattern.index ? ` / ${pattern.index}` : ''}`,
          )
          console.log(`\nRequest (${r.operation}):\n${pretty(r.request)}\n`)
          const reversed = r.presented !== r.items
          console.log(`Items: ${r.count}${reversed ? ' (fetched newest first, shown oldest → newest)' : ''}`)
          printTable(r.presented, itemColumns(model, pattern.table, r.presented), 48)
          console.log(
            `\nConsumed capacity: ${capacity ?? 'not reported'}${capacity !== undefined ? ` ${r.operation === 'PutItem' || r.operation === 'DeleteItem' ? 'write' : 'read'} units` : ''}; scanned ${r.scannedCount}`,
          )
          if (r.lastEvaluatedKey) console.log(`More: --start-key '${stringifyExactJson(r.lastEvaluatedKey)}'`)
          if (r.expectations.length) {
            console.log('Expectations:')
            for (const e of r.expectations) console.log(`  ${e.held ? '✓' : '✗'} ${e.name}: ${e.detail}`)
          }
        })
      })
    },
  )
  // Help is printed while parsing, before any action runs; the hook loads the model first (asynchronously).
  let modelHelp = ''
  patternCommand.addHelpText('after', () => modelHelp)
  program.hook('preSubcommand', async (root, sub) => {
    if (sub === patternCommand && root.args.some((a) => a === '--help' || a === '-h'))
      modelHelp = await patternsHelp(root.args)
  })

  addConnectionOptions(
    program
      .command('stream-process')
      .description(
        "read a table's stream (DynamoDB Streams API) and run its handler module as Lambda would: batches, retries, batchItemFailures; continues from the last run's checkpoint",
      )
      .option('--table <name>', "the table (default: the model's first stream handler's table)")
      .option('--handler <file>', "a handler module (.mjs, .js, .ts) to run instead of the model's binding")
      .option(
        '--batch-size <n>',
        "records per invocation (default: the binding's, else 100)",
        wholeNumber('--batch-size', 1),
      )
      .option(
        '--max-retries <n>',
        'retries of a failing batch before it is given up (default 2)',
        wholeNumber('--max-retries', 0),
      )
      .option(
        '--from <where>',
        'trim_horizon (everything the stream holds) or latest (only new records); default: continue from the checkpoint, else trim_horizon',
      )
      .option('--follow', 'keep reading until Ctrl+C')
      .option('--direct', 'no Streams API: run the handler on every item of the table as if just inserted')
      .option(
        '--verbose',
        'print every batch, record and handler step (default: failures and a summary line)',
      ),
  ).action(
    async (
      opts: ConnectionOptions & {
        table?: string
        handler?: string
        batchSize?: number
        maxRetries?: number
        from?: string
        follow?: boolean
        direct?: boolean
        verbose?: boolean
      },
    ) => {
      await run(opts.json, async () => {
        if (opts.from !== undefined && opts.from !== 'trim_horizon' && opts.from !== 'latest')
          throw new WorkbenchError(
            'pattern.invalidParams',
            `--from must be trim_horizon or latest, got "${opts.from}"`,
          )
        if (opts.direct && opts.follow)
          throw new WorkbenchError(
            'pattern.invalidParams',
            '--follow reads a stream; it cannot be combined with --direct',
          )
        const { model } = await loadModel(opts.model)
        const table = opts.table ?? model.streamHandlers[0]?.table
        if (!table)
          throw new WorkbenchError(
            'stream.unavailable',
            `model ${model.name} binds no stream handler: pass --table and --handler`,
          )
        await withContext(opts, async (ctx) => {
          // The handler writes with its own SDK client (as on Lambda), past the connection's write guard: so an
          // AWS connection runs handlers only with writes allowed.
          if (ctx.isAws && !opts.allowWrites)
            throw new WorkbenchError(
              'connection.readOnly',
              'a stream handler writes to the table with its own client; on AWS that needs --allow-writes',
            )
          if (opts.direct) {
            const { items } = await scanTable(ctx.client, table)
            const reports = await applyHandlerDirect(ctx.client, model, table, items)
            if (opts.json) printJson({ ok: true, mode: 'direct', table, records: reports.length, reports })
            else {
              if (opts.verbose) printReports(reports.filter((r) => r.steps.some((s) => s.kind !== 'skip')))
              const c = countSteps(reports)
              console.log(
                `${table}: handler applied in-process to ${plural(reports.length, 'item')}: ${plural(c.writes, 'write')}, ` +
                  `${plural(c.skipped, 'item')} skipped, ${plural(c.errors, 'error')}${opts.verbose ? '' : ' (--verbose shows each step)'}`,
              )
            }
            return
          }
          const store = new CheckpointStore()
          const connection = connectionKey(ctx)
          const saved = opts.from ? undefined : store.get(connection, table)
          const abort = new AbortController()
          // processStream's poll sleep adds an abort listener per idle poll and keeps it: with --follow that
          // passes Node's default of 10 within seconds and would print a leak warning.
          if (opts.follow) setMaxListeners(0, abort.signal)
          const onSignal = () => abort.abort()
          if (opts.follow) {
            process.once('SIGINT', onSignal)
            process.once('SIGTERM', onSignal)
            if (!opts.json) console.error(`following the stream of ${table}; Ctrl+C stops`)
          }
          if (saved && !opts.json)
            console.error(
              `continuing from the checkpoint of the last run (--from trim_horizon reads everything again)`,
            )
          try {
            const out = await processStream({ ddb: ctx.client, streams: await ctx.streams() }, model, table, {
              from: saved ?? (opts.from as 'trim_horizon' | 'latest' | undefined) ?? 'trim_horizon',
              follow: opts.follow,
              signal: abort.signal,
              ...(opts.handler ? { handlerFile: opts.handler } : {}),
              ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
              ...(opts.maxRetries !== undefined ? { maximumRetryAttempts: opts.maxRetries } : {}),
              onCheckpoint: (cp) => store.set(connection, table, cp),
              onBatch: (b) => {
                if (opts.json) return
                const failedAttempt = b.outcome !== 'success'
                // Without --verbose a run prints only what went wrong (and, when following, one line a batch).
                if (!opts.verbose && !failedAttempt && !opts.follow) return
                const state =
                  b.outcome === 'success'
                    ? 'ok'
                    : b.givenUp
                      ? 'FAILED, no retries left: given up'
                      : b.outcome === 'partial'
                        ? 'partly failed, will retry'
                        : 'failed, will retry'
                console.log(
                  `batch of ${b.records.length} record(s)${b.attempt ? ` (retry ${b.attempt})` : ''}${b.reloaded ? ' (handler reloaded)' : ''}: ${state} in ${b.durationMs} ms`,
                )
                if (opts.verbose) printReports(b.reports)
                else
                  for (const r of b.reports)
                    for (const st of r.steps)
                      if (st.kind === 'error')
                        console.log(
                          `  ${r.record.eventName} ${Object.values(r.record.keys).map(String).join(' ')}: ${describeStep(st)}`,
                        )
                const shown = b.reports.some((r) => r.steps.some((st) => st.kind === 'error'))
                if (b.error && !shown) console.log(`  ${b.error}`)
              },
            })
            const s = out.summary
            const failed = s.failedBatches > 0
            const message = `${s.failedBatches} batch(es) still failed after their retries; see the errors above`
            if (opts.json) {
              printJson({
                ok: !failed,
                ...(failed ? { code: 'handler.failed', message } : {}),
                mode: 'stream',
                table,
                summary: s,
                records: out.records.length,
                batches: out.batches.map(({ reports: _r, records, ...b }) => ({
                  ...b,
                  records: records.length,
                })),
                reports: out.reports,
                checkpoint: out.checkpoint,
              })
            } else {
              const c = countSteps(out.reports)
              console.log(
                `${table}: ${plural(s.records, 'record')} in ${plural(s.batches, 'batch', 'batches')}, ` +
                  `${plural(s.retries, 'retry', 'retries')}, ${plural(s.errors, 'error')}` +
                  `${failed ? `, ${plural(s.failedBatches, 'batch', 'batches')} failed` : ''}; ` +
                  `handler: ${plural(c.writes, 'write')}, ${plural(c.skipped, 'record')} skipped` +
                  `${opts.verbose || s.records === 0 ? '' : ' (--verbose shows each record and step)'}`,
              )
            }
            if (failed) throw reportedFailure(message, 'handler.failed', opts.json)
          } finally {
            process.off('SIGINT', onSignal)
            process.off('SIGTERM', onSignal)
          }
        })
      })
    },
  )
}

/** Which database a checkpoint belongs to: endpoint (or AWS), region, and DynamoDB Local's access key id. */
function connectionKey(ctx: CliContext): string {
  const p = ctx.profile
  return [p.kind, ctx.endpoint ?? p.endpoint ?? 'aws', p.region, p.accessKeyId ?? '', p.profile ?? ''].join(
    '|',
  )
}
