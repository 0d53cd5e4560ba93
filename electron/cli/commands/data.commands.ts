import { ScanCommand } from '@aws-sdk/client-dynamodb'
import { Option, type Command } from 'commander'
import { stringifyExactJson } from '../../../shared/domain/attribute-json'
import type { Model } from '../../../shared/domain/model'
import { toWorkbenchError, WorkbenchError } from '../../services/errors'
import { scanTable } from '../../services/scan.service'
import {
  generateSampleItems,
  seedItems,
  type BatchWriteResult,
  type JsonItem,
} from '../../services/seed.service'
import { describeDestructive } from '../../services/write-guard'
import { CliFailure, EXIT, printJson, printTable, Progress } from '../output'
import type { GenerateOptions } from '../../../shared/domain/generator'
import type { SampleItems } from '../../services/model.service'
import {
  addConnectionOptions,
  loadModel,
  run,
  withContext,
  type CliContext,
  type ConnectionOptions,
} from './context'
import { parseGenerator, wholeNumber } from './params'

/** True when a table has at least one item (an exact check, unlike DescribeTable's ItemCount on AWS). */
async function hasItems(ctx: CliContext, table: string): Promise<boolean> {
  try {
    const out = await ctx.client.send(new ScanCommand({ TableName: table, Limit: 1, Select: 'COUNT' }))
    return (out.Count ?? 0) > 0 || out.LastEvaluatedKey !== undefined
  } catch (err) {
    const e = toWorkbenchError(err, { table })
    if (e.code === 'table.notFound')
      throw new WorkbenchError(
        'table.notFound',
        `no table ${table} at this connection: create it first with \`tablewright schema-load\``,
        { table },
      )
    throw e
  }
}

/**
 * Write units a seed costs: one per started KB per item, on the table and again on each GSI whose keys
 * the item carries (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html).
 * Sizes are estimated from the JSON text.
 */
export function estimateWriteUnits(model: Model, table: string, items: JsonItem[]): number {
  const spec = model.tables.find((t) => t.name === table)
  const gsiKeys = (spec?.globalSecondaryIndexes ?? []).map((g) => g.keySchema.map((k) => k.attributeName))
  let units = 0
  for (const item of items) {
    const perWrite = Math.max(1, Math.ceil(Buffer.byteLength(stringifyExactJson(item)) / 1024))
    const gsis = gsiKeys.filter((keys) => keys.every((k) => item[k] !== undefined)).length
    units += perWrite * (1 + gsis)
  }
  return units
}

export function registerSeedScanCommands(program: Command): void {
  addConnectionOptions(
    program
      .command('seed')
      .description(
        "write the model's sample items (or generated ones) with batching and retries; a non-empty table needs --yes",
      )
      .option(
        '--generate [counts]',
        "generate the data with the model's generator instead: name=N,…,seed=S (any subset; e.g. users=5,conversations=4,messages=40)",
      )
      .addOption(new Option('--generator [counts]', 'the same as --generate').hideHelp())
      .option('--yes', 'write into tables that already hold items'),
  ).action(
    async (
      opts: ConnectionOptions & { generate?: string | true; generator?: string | true; yes?: boolean },
    ) => {
      await run(opts.json, async () => {
        const loaded = await loadModel(opts.model)
        const asked = opts.generate ?? opts.generator
        let params: GenerateOptions | undefined
        let sample: SampleItems | undefined
        if (asked !== undefined) {
          const spec = loaded.model.sampleData?.generator
          if (!spec)
            throw new WorkbenchError(
              'model.invalid',
              `model ${loaded.model.name} has no generator (sampleData.generator)`,
            )
          params = parseGenerator(asked, spec)
          try {
            sample = generateSampleItems(loaded.model, params)
          } catch (err) {
            const e = toWorkbenchError(err)
            // Counts the user typed that cannot be met are a usage error, like any other bad argument.
            if (e.code === 'input.invalid') throw new CliFailure(e.message, EXIT.usage, e.code)
            throw e
          }
        }
        await withContext(opts, async (ctx) => {
          const data = sample ?? (await loaded.sample())
          const tables = Object.entries(data)
          if (tables.length === 0)
            throw new WorkbenchError('model.invalid', `model ${loaded.model.name} has no sample items`)
          const occupied = []
          for (const [table, items] of tables)
            if (await hasItems(ctx, table)) {
              const preview = await describeDestructive(ctx.client, table, 'reseed').catch(() => undefined)
              occupied.push({
                table,
                itemCount: preview?.itemCount ?? 'some',
                writes: items.length,
                estimatedWriteUnits: estimateWriteUnits(loaded.model, table, items),
              })
            }
          if (occupied.length && !opts.yes)
            throw new WorkbenchError(
              'confirm.required',
              occupied
                .map(
                  (o) =>
                    `${o.table} already holds ${o.itemCount} item(s); seeding writes ${o.writes} item(s) over them (items with the same keys are replaced; about ${o.estimatedWriteUnits} write units)`,
                )
                .join('; ') + '. Run again with --yes.',
              { tables: occupied },
            )
          const progress = new Progress()
          const results: BatchWriteResult[] = []
          for (const [table, items] of tables) {
            const spec = loaded.model.tables.find((t) => t.name === table)
            if (!spec)
              throw new WorkbenchError(
                'model.invalid',
                `sample items for "${table}", which the model does not define`,
                { table },
              )
            results.push(
              await seedItems(
                ctx.client,
                table,
                spec.keySchema.map((k) => k.attributeName),
                items,
                {
                  onProgress: (p) => progress.update(`seeding ${table}`, p.written, p.total),
                },
              ),
            )
          }
          progress.finish()
          const summary = results.map((r) => ({
            ...r,
            estimatedWriteUnits: estimateWriteUnits(loaded.model, r.table, data[r.table]!),
          }))
          if (opts.json) {
            printJson({ ok: true, endpoint: ctx.endpoint, generator: params ?? null, tables: summary })
            return
          }
          printTable(
            summary.map((s) => ({
              table: s.table,
              written: s.written,
              batches: s.batches,
              retries: s.retries,
              'est. WCU': s.estimatedWriteUnits,
            })),
          )
        })
      })
    },
  )

  addConnectionOptions(
    program
      .command('scan')
      .description('read every page of a table or index (parallel segments optional)')
      .argument('<table>', 'table name')
      .option('--index <name>', 'scan a secondary index instead')
      .option('--limit <n>', 'stop after this many items', wholeNumber('--limit', 1))
      .option('--segments <n>', 'parallel scan segments', wholeNumber('--segments', 1, 1_000_000), 1)
      .option('--page-size <n>', 'items per Scan request', wholeNumber('--page-size', 1))
      .option('--consistent', 'strongly consistent reads'),
  ).action(
    async (
      table: string,
      opts: ConnectionOptions & {
        index?: string
        limit?: number
        segments: number
        pageSize?: number
        consistent?: boolean
      },
    ) => {
      await withContext(opts, async (ctx) => {
        const progress = new Progress()
        const result = await scanTable(ctx.client, table, {
          index: opts.index,
          limit: opts.limit,
          totalSegments: opts.segments,
          pageSize: opts.pageSize,
          consistentRead: opts.consistent,
          onProgress: (p) =>
            progress.update(
              `scanning ${table}${opts.index ? `/${opts.index}` : ''} (${p.pages} pages, ${p.segmentsDone}/${p.totalSegments} segments)`,
              p.items,
            ),
        })
        progress.finish()
        if (opts.json) {
          printJson({ ok: true, table, index: opts.index ?? null, segments: opts.segments, ...result })
          return
        }
        const spec = (await loadModel(opts.model).catch(() => undefined))?.model.tables.find(
          (t) => t.name === table,
        )
        const first = spec ? spec.keySchema.map((k) => k.attributeName) : ['pk', 'sk']
        const seen = new Set<string>()
        for (const item of result.items) for (const k of Object.keys(item)) seen.add(k)
        const columns = [
          ...first.filter((k) => seen.has(k)),
          ...[...seen].filter((k) => !first.includes(k)).sort(),
        ]
        printTable(result.items, columns, 48)
        console.log(
          `${result.count} item(s), ${result.scannedCount} scanned, ${result.pages} page(s), ${result.consumedCapacityUnits} read units${result.truncated ? ' (stopped at --limit)' : ''}`,
        )
      })
    },
  )
}
