import type { Command } from 'commander'
import { readFile } from 'node:fs/promises'
import {
  dataFormatOf,
  detectDataFormat,
  exportTableData,
  importTableData,
} from '../../services/data-transfer.service'
import { deleteItems, planDeleteItems } from '../../services/items.service'
import { WorkbenchError } from '../../services/errors'
import { DATA_FORMATS, parseDataFile, type DataFormat } from '../../services/formats/data-files'
import { CliFailure, EXIT, printJson, Progress } from '../output'
import { addConnectionOptions, withContext, type ConnectionOptions } from './context'

function format(value: string | undefined, file: string): DataFormat {
  if (value !== undefined) {
    if (!(DATA_FORMATS as readonly string[]).includes(value))
      throw new CliFailure(`--format must be one of ${DATA_FORMATS.join(', ')}`, EXIT.usage)
    return value as DataFormat
  }
  const detected = dataFormatOf(file)
  if (!detected)
    throw new CliFailure(
      `cannot tell the format of ${file} from its name: pass --format ${DATA_FORMATS.join('|')}`,
      EXIT.usage,
    )
  return detected
}

/** `tablewright data export|import`: a table's items to and from DynamoDB JSON lines, JSON or CSV files. */
export function registerDataTransferCommand(program: Command): void {
  const data = program
    .command('data')
    .description("export and import a table's items: DynamoDB JSON lines (the S3 export format), JSON or CSV")

  addConnectionOptions(
    data
      .command('export')
      .description('write every item of a table to a file (numbers exact, binary and sets kept)')
      .argument('<table>', 'table name')
      .requiredOption('--out <file>', 'the file to write')
      .option('--format <format>', `${DATA_FORMATS.join(', ')} (default: from the file name)`),
  ).action(async (table: string, opts: ConnectionOptions & { out: string; format?: string }) => {
    const fmt = format(opts.format, opts.out)
    await withContext(opts, async (ctx) => {
      const progress = new Progress()
      const r = await exportTableData(ctx.client, table, fmt, opts.out, {
        onProgress: (p) => progress.update(`exporting ${table} (${p.pages} pages)`, p.items),
      })
      progress.finish()
      if (opts.json) printJson({ ok: true, table, ...r })
      else console.error(`wrote ${r.items} item(s) of ${table} to ${r.file} (${r.format})`)
    })
  })

  addConnectionOptions(
    data
      .command('import')
      .description(
        'write the items of a file into a table; the whole file is checked first and a bad row, named by its line, stops the import before anything is written',
      )
      .argument('<table>', 'table name')
      .argument('<file>', 'the file to read')
      .option('--format <format>', `${DATA_FORMATS.join(', ')} (default: from the file name)`),
  ).action(async (table: string, file: string, opts: ConnectionOptions & { format?: string }) => {
    const fmt = format(opts.format, file)
    await withContext(opts, async (ctx) => {
      if (ctx.manager.view(ctx.profile).readOnly)
        throw new WorkbenchError(
          'connection.readOnly',
          `importing into ${table} writes items; this connection is read-only`,
        )
      const progress = new Progress()
      const r = await importTableData(ctx.client, table, file, fmt, {
        onProgress: (p) => progress.update(`importing into ${table}`, p.written, p.total),
      })
      progress.finish()
      if (opts.json) printJson({ ok: true, table, file, format: fmt, ...r })
      else
        console.error(
          `imported ${r.written} item(s) into ${table} from ${file} (${fmt}, ${r.batches} batch(es), ${r.retries} retries${r.written < r.items ? `; ${r.items - r.written} row(s) repeated a key and were replaced by a later row` : ''})`,
        )
    })
  })
}

/**
 * `tablewright items delete`: the app's bulk delete from the command line. The keys (or whole items: only their table
 * key is used) come from a data file in any import format; `--dry-run` prints exactly what would go, and deleting
 * needs `--yes`.
 */
export function registerItemsCommand(program: Command): void {
  const items = program.command('items').description('act on items by key')
  addConnectionOptions(
    items
      .command('delete')
      .description(
        'delete the items whose keys a file lists (BatchWriteItem, 25 a call, with retries); --dry-run shows the keys and writes nothing',
      )
      .requiredOption('--table <table>', 'table name')
      .requiredOption('--key-file <file>', 'keys or items, as DynamoDB JSON lines, JSON or CSV')
      .option('--format <format>', `${DATA_FORMATS.join(', ')} (default: from the file)`)
      .option('--dry-run', 'list what would be deleted; delete nothing')
      .option('--yes', 'delete without asking'),
  ).action(
    async (
      opts: ConnectionOptions & {
        table: string
        keyFile: string
        format?: string
        dryRun?: boolean
        yes?: boolean
      },
    ) => {
      let text: string
      try {
        text = await readFile(opts.keyFile, 'utf8')
      } catch (err) {
        throw new CliFailure(`cannot read ${opts.keyFile}: ${(err as Error).message}`, EXIT.usage)
      }
      const fmt = opts.format ? format(opts.format, opts.keyFile) : detectDataFormat(opts.keyFile, text)
      const parsed = parseDataFile(text, fmt)
      if (parsed.errors.length)
        throw new WorkbenchError(
          'input.invalid',
          `${opts.keyFile}: ${parsed.errors.map((e) => e.message).join('; ')}`,
          { file: opts.keyFile, errors: parsed.errors.map((e) => ({ line: e.line, message: e.message })) },
        )
      await withContext(opts, async (ctx) => {
        const plan = await planDeleteItems(
          ctx.client,
          opts.table,
          parsed.items.map((x) => x.item),
        )
        const present = plan.keys.length - plan.missing.length
        if (opts.dryRun) {
          if (opts.json) printJson({ ok: true, dryRun: true, ...plan })
          else {
            for (const k of plan.keys) console.log(JSON.stringify(k))
            console.error(
              `dry run: ${present} item(s) would be deleted from ${opts.table}${plan.missing.length ? ` (${plan.missing.length} listed key(s) hold no item)` : ''}`,
            )
          }
          return
        }
        if (ctx.manager.view(ctx.profile).readOnly)
          throw new WorkbenchError(
            'connection.readOnly',
            `deleting from ${opts.table} writes; this connection is read-only`,
          )
        if (!opts.yes)
          throw new WorkbenchError(
            'confirm.required',
            `this deletes ${present} item(s) from ${opts.table}: look with --dry-run, then pass --yes`,
            { table: opts.table, count: present },
          )
        const progress = new Progress()
        const r = await deleteItems(ctx.client, plan, {
          onProgress: (p) => progress.update(`deleting from ${opts.table}`, p.deleted, p.total),
        })
        progress.finish()
        if (opts.json) printJson({ ok: true, table: opts.table, ...r })
        else
          console.error(
            `deleted ${present} item(s) from ${opts.table} (${r.batches} batch(es), ${r.retries} retries)`,
          )
      })
    },
  )
}
