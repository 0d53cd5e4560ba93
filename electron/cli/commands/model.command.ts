import type { Command } from 'commander'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { stringifyExactJson } from '../../../shared/domain/attribute-json'
import type { Model } from '../../../shared/domain/model'
import { WorkbenchError } from '../../services/errors'
import { writeTextFile } from '../../services/formats/common'
import {
  exportCloudFormation,
  exportCloudFormationYaml,
  exportCreateTableJson,
  exportDescribeTable,
  exportNoSqlWorkbench,
  importModel,
} from '../../services/model-import'
import { applyModelDiff, planModelDiff } from '../../services/model-diff.service'
import { ModelRegistry } from '../../services/model.registry'
import { listSamples } from '../../services/open-model.service'
import { reverseEngineerTable } from '../../services/reverse-engineer.service'
import { CliFailure, EXIT, printJson, printTable, Progress } from '../output'
import { addConnectionOptions, loadModel, run, withContext, type ConnectionOptions } from './context'
import { wholeNumber } from './params'

const FORMATS = [
  'tablewright',
  'nosql-workbench',
  'cloudformation',
  'cloudformation-yaml',
  'create-table',
  'describe-table',
] as const
type Format = (typeof FORMATS)[number]

/** `tablewright models`: the built-in samples, any of which `--model NAME` opens. */
export function registerModelsCommand(program: Command): void {
  program
    .command('models')
    .description('list the built-in sample models (`--model NAME` on any data command opens one)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await run(opts.json, async () => {
        const registry = new ModelRegistry()
        const samples = listSamples(registry)
        if (opts.json) {
          printJson({ ok: true, models: samples, problems: registry.problems })
          return
        }
        // A sample folder whose model does not load is left out of the list: say why.
        for (const p of registry.problems) console.error(`skipped ${p.file}: ${p.code}: ${p.message}`)
        printTable(
          samples.map((m) => ({ name: m.id, tables: m.tables.join(', '), description: m.description ?? '' })),
          undefined,
          100,
        )
      })
    })
}

/** `tablewright model validate|import|export`: check a model file and convert between the supported formats. */
export function registerModelCommand(program: Command): void {
  const model = program
    .command('model')
    .description(
      'import, check, convert and diff models (Tablewright, NoSQL Workbench, CloudFormation, create-table, describe-table, OneTable) and reverse-engineer one from a live table',
    )

  model
    .command('validate')
    .description(
      'validate a model file (any supported format), its stream handler files included; a bad file names the field at fault',
    )
    .argument('[file]', 'model file (same as --model)')
    .option('--model <file|name>', 'a model file, or a built-in sample by name (default: the first sample)')
    .option('--json', 'print JSON')
    .action(async (file: string | undefined, opts: { model?: string; json?: boolean }) => {
      const source = file ?? opts.model
      await run(opts.json, async () => {
        const loaded = await loadModel(source)
        const m = loaded.model
        const handlers = m.streamHandlers.map((h) => ({ name: h.name, table: h.table, file: h.file }))
        if (opts.json) {
          process.stdout.write(
            JSON.stringify({ ok: true, name: m.name, tables: m.tables.map((t) => t.name), handlers }) + '\n',
          )
          return
        }
        console.log(`${loaded.file ?? `built-in sample ${m.name}`}: valid model "${m.name}"`)
        for (const h of handlers) console.log(`stream handler ${h.name} (${h.table}): ${h.file}`)
        printTable(
          m.tables.map((t) => ({
            table: t.name,
            keys: t.keySchema.map((k) => k.attributeName).join(' / '),
            gsis: (t.globalSecondaryIndexes ?? []).length,
            lsis: (t.localSecondaryIndexes ?? []).length,
          })),
        )
      })
    })

  model
    .command('import')
    .description(
      'convert a model file of any supported format (NoSQL Workbench, CloudFormation JSON/YAML, create-table, describe-table, OneTable) to a Tablewright model',
    )
    .argument('<file>', 'the file to import; its format is detected')
    .option('--out <file>', 'write the Tablewright model here (default: stdout)')
    .option('--table-name <name>', 'OneTable schemas do not name their table: the name to give it')
    .option('--json', 'print a JSON summary (format, tables, entities, patterns, warnings)')
    .action(async (file: string, opts: { out?: string; tableName?: string; json?: boolean }) => {
      await run(opts.json, async () => {
        let text: string
        try {
          text = await readFile(file, 'utf8')
        } catch (err) {
          throw new WorkbenchError('model.notFound', `cannot read ${file}: ${(err as Error).message}`, {
            file,
          })
        }
        const imported = importModel(text, file, { tableName: opts.tableName })
        const modelText = stringifyExactJson(imported.model, 2) + '\n'
        if (opts.out) await writeTextFile(opts.out, modelText)
        else if (!opts.json) process.stdout.write(modelText)
        const m = imported.model
        const summary = {
          format: imported.format,
          name: m.name,
          tables: m.tables.map((t) => t.name),
          entities: m.entities.map((e) => e.name),
          accessPatterns: m.accessPatterns.map((p) => p.id),
          warnings: imported.warnings,
          ...(opts.out ? { out: opts.out } : {}),
        }
        if (opts.json) {
          printJson({ ok: true, ...summary, ...(opts.out ? {} : { model: m }) })
          return
        }
        for (const w of imported.warnings) console.error(`warning: ${w}`)
        console.error(
          `${file}: ${imported.format} → model "${m.name}": ${m.tables.length} table(s), ${m.entities.length} entit${m.entities.length === 1 ? 'y' : 'ies'}, ${m.accessPatterns.length} pattern(s)${opts.out ? `; wrote ${opts.out}` : ''}`,
        )
      })
    })

  model
    .command('export')
    .description(
      'write the model as Tablewright JSON, a NoSQL Workbench data model, a CloudFormation template (JSON or YAML), create-table --cli-input-json or describe-table output',
    )
    .argument('[model]', 'model file or built-in sample name (same as --model)')
    .option(
      '--model <file|name>',
      'model file to convert, or a built-in sample by name (default: the first sample)',
    )
    .option('--format <format>', `one of ${FORMATS.join(', ')}`, 'nosql-workbench')
    .option('--table <name>', 'for create-table and describe-table: which table (default: the first)')
    .option(
      '--resource-type <type>',
      'for cloudformation: Table (AWS::DynamoDB::Table) or GlobalTable (AWS::DynamoDB::GlobalTable)',
      'Table',
    )
    .option(
      '--region <region>',
      "for a GlobalTable: the replica region (default: the stack's, !Ref AWS::Region)",
    )
    .option('--out <file>', 'write to a file instead of stdout')
    .action(
      async (
        ref: string | undefined,
        opts: {
          model?: string
          format: string
          table?: string
          out?: string
          resourceType: string
          region?: string
        },
      ) => {
        if (!(FORMATS as readonly string[]).includes(opts.format)) {
          throw new CliFailure(`--format must be one of ${FORMATS.join(', ')}`, EXIT.usage)
        }
        if (opts.resourceType !== 'Table' && opts.resourceType !== 'GlobalTable')
          throw new CliFailure('--resource-type must be Table or GlobalTable', EXIT.usage)
        await run(false, async () => {
          const loaded = await loadModel(ref ?? opts.model)
          const format = opts.format as Format
          const cfn = { resourceType: opts.resourceType as 'Table' | 'GlobalTable', region: opts.region }
          const spec = () => {
            const t = opts.table
              ? loaded.model.tables.find((x) => x.name === opts.table)
              : loaded.model.tables[0]
            if (!t) throw new WorkbenchError('table.notFound', `the model has no table "${opts.table}"`)
            return t
          }
          let out: unknown
          if (format === 'cloudformation-yaml') {
            const text = exportCloudFormationYaml(loaded.model, cfn)
            if (opts.out) {
              await writeTextFile(opts.out, text)
              console.error(`wrote ${opts.out} (${format})`)
            } else process.stdout.write(text)
            return
          }
          if (format === 'cloudformation') out = exportCloudFormation(loaded.model, cfn)
          else if (format === 'describe-table') out = exportDescribeTable(spec())
          else if (format === 'tablewright') {
            // Handler files are written relative to where the model goes, as a user writes them.
            const dir = path.dirname(path.resolve(opts.out ?? 'model.json'))
            out = {
              ...loaded.model,
              streamHandlers: loaded.model.streamHandlers.map((h) => ({
                ...h,
                file: path.relative(dir, h.file),
              })),
            }
          } else if (format === 'nosql-workbench')
            out = exportNoSqlWorkbench(loaded.model, await loaded.sample())
          else out = exportCreateTableJson(spec())
          const text = stringifyExactJson(out, 2) + '\n'
          if (opts.out) {
            await writeTextFile(opts.out, text)
            console.error(`wrote ${opts.out} (${format})`)
          } else process.stdout.write(text)
        })
      },
    )
}

/** `tablewright model from-table` and `model diff`: a model from a live table, and what schema-load would change. */
export function registerModelLiveCommands(program: Command): void {
  const model = program.commands.find((c) => c.name() === 'model')!
  addConnectionOptions(
    model
      .command('from-table')
      .description(
        'reverse-engineer a model from a live table: DescribeTable plus a sample of items (entities from key prefixes, attribute types, sparse-index membership); reads only',
      )
      .argument('<table>', 'table name')
      .option('--out <file>', 'write the model here (default: stdout)')
      .option('--sample <n>', 'items to sample (default 500)', wholeNumber('--sample', 1), 500)
      .option('--with-items', "keep the sampled items as the model's sample data"),
  ).action(
    async (
      table: string,
      opts: ConnectionOptions & { out?: string; sample: number; withItems?: boolean },
    ) => {
      await withContext(opts, async (ctx) => {
        const progress = new Progress()
        const r = await reverseEngineerTable(ctx.client, table, {
          sampleSize: opts.sample,
          withItems: opts.withItems,
          onProgress: (p) => progress.update(`sampling ${table}`, p.items, p.sampleSize),
        })
        progress.finish()
        const text = stringifyExactJson(r.model, 2) + '\n'
        if (opts.out) await writeTextFile(opts.out, text)
        const entities = r.entities.map((e) => ({
          name: e.name,
          items: e.count,
          keys: e.keys,
          indexes: e.indexes,
        }))
        if (opts.json) {
          printJson({
            ok: true,
            table,
            sampled: r.sampled,
            truncated: r.truncated,
            entities,
            ...(opts.out ? { out: opts.out } : { model: r.model }),
          })
          return
        }
        if (!opts.out) process.stdout.write(text)
        const err = (line: string) => process.stderr.write(line + '\n')
        err(
          `${table}: ${r.sampled} item(s) sampled${r.truncated ? ' (the table holds more)' : ''}; ${r.entities.length} entit${r.entities.length === 1 ? 'y' : 'ies'}${opts.out ? `; wrote ${opts.out}` : ''}`,
        )
        for (const e of r.entities)
          err(
            `  ${e.name} (${e.count}): ${Object.entries(e.keys)
              .map(([k, v]) => `${k}=${v}`)
              .join(' ')}${Object.entries(e.indexes)
              .map(([i, n]) => `, ${i} ${n}/${e.count}`)
              .join('')}`,
          )
      })
    },
  )

  addConnectionOptions(
    model
      .command('diff')
      .description(
        'what schema-load would create or change on this connection (tables, GSIs to add or delete, stream and billing); --apply sends it after confirmation (--yes), never on a read-only connection',
      )
      .option('--table <name>', 'only this table of the model')
      .option('--apply', 'apply the changes (CreateTable / UpdateTable, one step at a time)')
      .option('--yes', 'confirm --apply'),
  ).action(async (opts: ConnectionOptions & { table?: string; apply?: boolean; yes?: boolean }) => {
    await run(opts.json, async () => {
      const loaded = await loadModel(opts.model)
      await withContext(opts, async (ctx) => {
        const plan = await planModelDiff(ctx.client, loaded.model, opts.table ? [opts.table] : undefined)
        const steps = plan.steps.map((s) => ({
          table: s.table,
          kind: s.kind,
          summary: s.summary,
          request: s.request,
        }))
        if (!opts.apply) {
          if (opts.json) {
            printJson({ ok: true, endpoint: ctx.endpoint, tables: plan.tables, steps })
            return
          }
          printDiff(loaded.model, plan)
          return
        }
        if (!opts.json) printDiff(loaded.model, plan)
        const progress = new Progress()
        const result = await applyModelDiff(ctx.client, plan, {
          confirmed: Boolean(opts.yes),
          writable: !ctx.manager.view(ctx.profile).readOnly,
          onProgress: (p) =>
            progress.update(
              `${p.step.table}: ${p.step.summary} (${p.phase})`,
              p.index + (p.phase === 'done' ? 1 : 0),
              p.total,
            ),
        })
        progress.finish()
        if (opts.json) {
          printJson({
            ok: true,
            endpoint: ctx.endpoint,
            tables: plan.tables,
            applied: result.applied.map((s) => ({ table: s.table, kind: s.kind, summary: s.summary })),
          })
          return
        }
        console.log(`applied ${result.applied.length} step(s)`)
      })
    })
  })
}

function printDiff(model: Model, plan: Awaited<ReturnType<typeof planModelDiff>>): void {
  for (const t of plan.tables) {
    console.log(
      `${t.table}: ${t.status === 'missing' ? 'not on this connection (would be created)' : t.status === 'same' ? 'matches the model' : 'differs from the model'}`,
    )
    for (const u of t.unsupported) console.log(`  cannot apply: ${u.field}: ${u.reason}`)
  }
  if (!plan.steps.length) {
    console.log(`nothing to change for model ${model.name}`)
    return
  }
  plan.steps.forEach((s, i) => console.log(`  ${i + 1}. ${s.table}: ${s.summary}`))
}
