import type { Command } from 'commander'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { stringifyExactJson } from '../../../shared/domain/attribute-json'
import { WorkbenchError } from '../../services/errors'
import { exportCreateTableJson, exportNoSqlWorkbench } from '../../services/model-import'
import { ModelRegistry } from '../../services/model.registry'
import { listSamples } from '../../services/open-model.service'
import { CliFailure, EXIT, printJson, printTable } from '../output'
import { loadModel, run } from './context'

const FORMATS = ['tablewright', 'nosql-workbench', 'create-table'] as const
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

/** `tablewright model validate|export`: check a model file and convert between Tablewright, NoSQL Workbench and create-table JSON. */
export function registerModelCommand(program: Command): void {
  const model = program
    .command('model')
    .description('check and convert model files (Tablewright, NoSQL Workbench, create-table JSON)')

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
    .command('export')
    .description(
      'write the model as Tablewright JSON, a NoSQL Workbench data model, or create-table --cli-input-json',
    )
    .option(
      '--model <file|name>',
      'model file to convert, or a built-in sample by name (default: the first sample)',
    )
    .option('--format <format>', `one of ${FORMATS.join(', ')}`, 'nosql-workbench')
    .option('--table <name>', 'for create-table: which table (default: the first)')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (opts: { model?: string; format: string; table?: string; out?: string }) => {
      if (!(FORMATS as readonly string[]).includes(opts.format)) {
        throw new CliFailure(`--format must be one of ${FORMATS.join(', ')}`, EXIT.usage)
      }
      await run(false, async () => {
        const loaded = await loadModel(opts.model)
        const format = opts.format as Format
        let out: unknown
        if (format === 'tablewright') {
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
        else {
          const spec = opts.table
            ? loaded.model.tables.find((t) => t.name === opts.table)
            : loaded.model.tables[0]
          if (!spec) throw new WorkbenchError('table.notFound', `the model has no table "${opts.table}"`)
          out = exportCreateTableJson(spec)
        }
        const text = stringifyExactJson(out, 2) + '\n'
        if (opts.out) {
          await writeFile(opts.out, text, 'utf8')
          console.error(`wrote ${opts.out} (${format})`)
        } else process.stdout.write(text)
      })
    })
}
