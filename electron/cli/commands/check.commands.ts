import type { Command } from 'commander'
import { readFile, writeFile } from 'node:fs/promises'
import { checkReason, checkResult, checkSummary } from '../../../shared/domain/check-report'
import { formatUsd } from '../../../shared/domain/cost'
import { formatIssuePath } from '../../../shared/domain/model'
import {
  mergeTraffic,
  parseRateArg,
  TrafficProfile,
  type TrafficProfileInput,
} from '../../../shared/domain/traffic'
import { parseExactJson } from '../../../shared/domain/attribute-json'
import { checkToJunit } from '../../services/check.junit'
import {
  checkOnThrowawayEngine,
  checkPrefix,
  loadModelForCheck,
  runCheck,
  type CheckReport,
  type CheckRow,
} from '../../services/check.service'
import { estimateCost, type CostReport } from '../../services/cost.service'
import { WorkbenchError } from '../../services/errors'
import { generateSampleItems } from '../../services/seed.service'
import type { SampleItems } from '../../services/model.service'
import { CliFailure, EXIT, printJson, printTable } from '../output'
import {
  addConnectionOptions,
  CliContext,
  loadModel,
  reportedFailure,
  run,
  type ConnectionOptions,
  type LoadedModel,
} from './context'
import { parseGenerator } from './params'

async function sampleFor(loaded: LoadedModel, generator: string | true | undefined): Promise<SampleItems> {
  if (generator === undefined) return loaded.sample()
  const spec = loaded.model.sampleData?.generator
  if (!spec)
    throw new WorkbenchError(
      'model.invalid',
      `model ${loaded.model.name} has no generator (sampleData.generator)`,
    )
  return generateSampleItems(loaded.model, parseGenerator(generator, spec))
}

/** The check's matrix: one line per pattern or recipe. */
export function checkMatrix(report: CheckReport): Record<string, unknown>[] {
  return report.rows.map((r) => ({
    row: r.kind === 'pattern' ? r.id : `${r.kind} ${r.id}`,
    result: checkResult(r) === 'fail' ? 'FAIL' : checkResult(r),
    'served by': r.operation ?? '',
    index: r.index ?? (r.kind === 'pattern' ? '(table)' : ''),
    items: r.itemCount ?? '',
    capacity: r.consumedCapacity ?? '',
    reason: checkReason(r),
  }))
}

const collectRate = (value: string, previous: Record<string, number> = {}) => {
  try {
    const [k, v] = parseRateArg(value)
    return { ...previous, [k]: v }
  } catch (err) {
    throw new CliFailure((err as Error).message, EXIT.usage, 'input.invalid')
  }
}

async function readTrafficFile(file: string): Promise<TrafficProfileInput> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new WorkbenchError('traffic.invalid', `cannot read traffic file ${file}: ${(err as Error).message}`)
  }
  let json: unknown
  try {
    json = parseExactJson(text)
  } catch (err) {
    throw new WorkbenchError('traffic.invalid', `traffic file ${file} is not JSON: ${(err as Error).message}`)
  }
  const r = TrafficProfile.safeParse(json)
  if (!r.success)
    throw new WorkbenchError(
      'traffic.invalid',
      `traffic file ${file}: ${r.error.issues.map((i) => `${formatIssuePath(i.path)}: ${i.message}`).join('; ')}`,
    )
  return r.data
}

function printCost(report: CostReport): void {
  const money = formatUsd
  console.log(
    `Cost of model ${report.model} per month (${report.prices.region}, ${report.prices.tableClass}; prices of ${report.prices.asOf}; provisioned at ${Math.round(report.utilisation * 100)}% utilisation)`,
  )
  printTable(
    report.patterns.map((p) => ({
      pattern: p.patternId,
      op: p.operation,
      'req/s': p.rate,
      'RU/call': p.readUnitsPerCall,
      'WU/call': p.writeUnitsPerCall,
      'GSI WU/call': p.gsiWriteUnitsPerCall,
      'on-demand': money(p.onDemand),
      provisioned: money(p.provisioned),
      RCU: p.provisionedRcu,
      WCU: p.provisionedWcu,
    })),
  )
  console.log(
    `\nTotal: on-demand ${money(report.totals.onDemand)}, provisioned ${money(report.totals.provisioned)}, storage ${money(report.totals.storage)}`,
  )
  console.log(
    `GSI write amplification: ${report.gsiWriteAmplification}× (GSI write units per table write unit)\n`,
  )
  console.log('Per table and index:')
  printTable(
    report.targets.map((t) => ({
      table: t.table,
      index: t.index ?? '(table)',
      'RCU/s': t.readUnitsPerSecond,
      'WCU/s': t.writeUnitsPerSecond,
      'on-demand': money(t.onDemand),
      provisioned: money(t.provisioned),
    })),
  )
  console.log('\nStorage:')
  printTable(
    report.storage.map((s) => ({
      table: s.table,
      index: s.index ?? '(table)',
      items: s.items,
      bytes: s.bytes,
      'per month': money(s.monthly),
    })),
  )
  if (report.warnings.length) {
    console.log('\nWarnings:')
    for (const w of report.warnings) console.log(`  ! ${w}`)
  }
}

export function registerCheckCommands(program: Command): void {
  addConnectionOptions(
    program
      .command('check')
      .description(
        'check the model as a contract: create its tables, load its data, run every access pattern and check its expectations (a throwaway engine unless --endpoint/--connection is given; there, in a table-name prefix of its own that is removed afterwards). Exit 0 when all pass, 1 when any fails',
      )
      .option('--junit <file>', 'also write the results as JUnit XML')
      .option('--generator [params]', "load the model's generated data instead of its sample items"),
  ).action(async (opts: ConnectionOptions & { junit?: string; generator?: string | true }) => {
    await run(opts.json, async () => {
      let setAside: CheckRow[] = []
      // A model file whose only faults are in some patterns is still checked; those patterns are failing rows.
      const loaded = await loadModel(opts.model).catch(async (err: unknown) => {
        const partial =
          err instanceof WorkbenchError && err.code === 'model.invalid' && opts.model
            ? await loadModelForCheck(opts.model)
            : undefined
        if (!partial) throw err
        setAside = partial.rows
        return { model: partial.model, sample: async () => partial.items } satisfies LoadedModel
      })
      const sample = await sampleFor(loaded, opts.generator)
      const generatedData = opts.generator !== undefined
      const progress = (line: string) => {
        if (!opts.json) console.error(`check: ${line}`)
      }
      const remote = !!(opts.endpoint || opts.connection || opts.profile || opts.aws)
      let report: CheckReport
      if (!remote)
        report = await checkOnThrowawayEngine(loaded.model, sample, {
          onProgress: progress,
          setAside,
          generatedData,
        })
      else {
        const ctx = await CliContext.open(opts)
        try {
          if (ctx.isAws && !opts.allowWrites)
            throw new WorkbenchError(
              'connection.readOnly',
              `check creates and removes tables (under its own prefix) on ${ctx.profile.name}: pass --allow-writes`,
            )
          report = await runCheck(ctx.client, loaded.model, sample, {
            target: ctx.profile.name,
            prefix: checkPrefix(),
            onProgress: progress,
            setAside,
            generatedData,
          })
        } finally {
          await ctx.close()
        }
      }
      if (opts.junit)
        await writeFile(opts.junit, checkToJunit(report)).catch((err: Error) => {
          throw new WorkbenchError('input.invalid', `cannot write --junit ${opts.junit}: ${err.message}`)
        })
      const summary = checkSummary(report)
      if (opts.json)
        printJson({
          ...report,
          ...(report.ok ? {} : { code: 'check.failed', message: summary }),
        })
      else {
        console.log(
          `Check of model ${report.model} on ${report.target}${report.prefix ? ` (tables under ${report.prefix})` : ''}`,
        )
        printTable(checkMatrix(report), undefined, 90)
        if (report.removedLeftovers.length)
          console.log(`Removed ${report.removedLeftovers.length} table(s) left by an interrupted check.`)
        console.log(summary)
      }
      if (!report.ok) throw reportedFailure(summary, 'check.failed', opts.json)
    })
  })

  program
    .command('cost')
    .description(
      'what every access pattern costs a month at a traffic profile: capacity per call measured on a throwaway engine, priced on-demand and provisioned, with storage, GSI write amplification and hot-partition warnings',
    )
    .option(
      '--model <file|name>',
      'a model file, or a built-in sample by name (`tablewright models`; default: the first sample)',
    )
    .option('--traffic <file>', 'a traffic profile (JSON: { "rates": { "A": 100 }, "utilisation": 0.7 })')
    .option(
      '--rate <pattern=n>',
      'requests per second for a pattern (repeatable; over the model and --traffic)',
      collectRate,
      {},
    )
    .option('--generator [params]', "measure on the model's generated data instead of its sample items")
    .option('--json', 'print one JSON document on stdout')
    .action(
      async (opts: {
        model?: string
        traffic?: string
        rate: Record<string, number>
        generator?: string | true
        json?: boolean
      }) => {
        await run(opts.json, async () => {
          const loaded = await loadModel(opts.model)
          const sample = await sampleFor(loaded, opts.generator)
          const fromFile = opts.traffic ? await readTrafficFile(opts.traffic) : undefined
          const traffic = mergeTraffic(loaded.model.traffic, fromFile, { rates: opts.rate })
          const report = await estimateCost(loaded.model, sample, traffic, {
            onProgress: (line) => {
              if (!opts.json) console.error(`cost: ${line}`)
            },
          })
          if (opts.json) printJson({ ok: true, ...report })
          else printCost(report)
        })
      },
    )
}
