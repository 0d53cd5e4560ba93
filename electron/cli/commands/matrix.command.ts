import type { Command } from 'commander'
import { writeFile } from 'node:fs/promises'
import { accessPatternMatrix, matrixCsv, matrixMarkdown } from '../../../shared/domain/matrix'
import { CliFailure, EXIT, printTable } from '../output'
import { loadModel, run } from './context'

const FORMATS = ['table', 'markdown', 'csv', 'json'] as const

/** `tablewright matrix`: the model's access-pattern matrix, as a table, Markdown, CSV or JSON. */
export function registerMatrixCommand(program: Command): void {
  program
    .command('matrix')
    .description(
      "print the model's access-pattern matrix (pattern, table or index, operation, key values, filter, parameters, expectations; rows only a Scan could serve are flagged)",
    )
    .option('--model <file|name>', 'a model file, or a built-in sample by name (default: the first sample)')
    .option('--format <format>', `one of ${FORMATS.join(', ')}`, 'table')
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--json', 'same as --format json')
    .action(async (opts: { model?: string; format: string; out?: string; json?: boolean }) => {
      const format = opts.json ? 'json' : opts.format
      if (!(FORMATS as readonly string[]).includes(format))
        throw new CliFailure(`--format must be one of ${FORMATS.join(', ')}`, EXIT.usage)
      await run(format === 'json', async () => {
        const { model } = await loadModel(opts.model)
        const rows = accessPatternMatrix(model)
        let text: string | undefined
        if (format === 'markdown') text = matrixMarkdown(rows)
        else if (format === 'csv') text = matrixCsv(rows)
        else if (format === 'json')
          text = JSON.stringify({ ok: true, model: model.name, rows }, null, 2) + '\n'
        if (text !== undefined) {
          if (opts.out) {
            await writeFile(opts.out, text, 'utf8')
            console.error(`wrote ${opts.out} (${rows.length} rows, ${format})`)
          } else process.stdout.write(text)
          return
        }
        if (opts.out) throw new CliFailure('--out needs --format markdown, csv or json', EXIT.usage)
        printTable(
          rows.map((r) => ({
            pattern: r.id,
            'table / index': r.table,
            operation: r.operation,
            'partition key': r.partitionKey,
            'sort key': r.sortKey,
            scan: r.scan ? 'SCAN' : '',
          })),
        )
        for (const r of rows.filter((x) => x.scan)) console.log(`${r.id}: ${r.scan}`)
      })
    })
}
