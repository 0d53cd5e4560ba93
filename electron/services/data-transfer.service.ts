import { open, readFile } from 'node:fs/promises'
import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { ItemJson } from '../../shared/contract/channels/workbench'
import { toWorkbenchError, WorkbenchError } from './errors'
import { itemsToCsv, jsonlLine, parseDataFile, plainJsonItem, type DataFormat } from './formats/data-files'
import { itemToJson, rowFromJson } from './item-json'
import { buildScan } from './scan.service'
import { describeTable } from './schema.service'
import { seedItems } from './seed.service'

/*
 * Data import and export between a table and a file (formats in formats/data-files.ts). Export reads the table
 * page by page and writes as it goes (CSV, whose header needs every column, is written at the end). Import reads
 * and checks the whole file before the first write: a bad row is reported by its line and nothing is written; a
 * write that fails part way says how many items went in.
 */

export interface ExportProgress {
  items: number
  pages: number
}

export async function exportTableData(
  client: DynamoDBClient,
  table: string,
  format: DataFormat,
  file: string,
  options: { onProgress?: (p: ExportProgress) => void; pageSize?: number } = {},
): Promise<{ items: number; pages: number; file: string; format: DataFormat }> {
  const description = await describeTable(client, table)
  if (!description)
    throw new WorkbenchError('table.notFound', `no table ${table} at this connection`, { table })
  const keyNames = (description.KeySchema ?? []).map((k) => k.AttributeName!)
  let out
  try {
    out = await open(file, 'w')
  } catch (err) {
    throw new WorkbenchError('input.invalid', `cannot write ${file}: ${(err as Error).message}`, { file })
  }
  const csvRows: ItemJson[] = []
  let items = 0
  let pages = 0
  try {
    if (format === 'json') await out.write('[')
    let start: Record<string, AttributeValue> | undefined
    do {
      let page
      try {
        page = await client.send(
          new ScanCommand(buildScan(table, { pageSize: options.pageSize, exclusiveStartKey: start })),
        )
      } catch (err) {
        throw toWorkbenchError(err, { table })
      }
      pages++
      const lines: string[] = []
      for (const raw of page.Items ?? []) {
        const item = itemToJson(raw)
        if (format === 'csv') csvRows.push(item)
        else if (format === 'jsonl') lines.push(jsonlLine(item) + '\n')
        else lines.push(`${items + lines.length === 0 ? '\n' : ',\n'}${plainJsonItem(item)}`)
      }
      items += page.Items?.length ?? 0
      if (lines.length) await out.write(lines.join(''))
      options.onProgress?.({ items, pages })
      start = page.LastEvaluatedKey
    } while (start)
    if (format === 'json') await out.write(items ? '\n]\n' : ']\n')
    if (format === 'csv') await out.write(itemsToCsv(csvRows, keyNames))
  } finally {
    await out.close()
  }
  return { items, pages, file, format }
}

export interface ImportProgress {
  written: number
  total: number
}

/** Which format a file is, from its name (`.jsonl`/`.ndjson`, `.json`, `.csv`). */
export function dataFormatOf(file: string): DataFormat | undefined {
  if (/\.(jsonl|ndjson)$/i.test(file)) return 'jsonl'
  if (/\.json$/i.test(file)) return 'json'
  if (/\.csv$/i.test(file)) return 'csv'
  return undefined
}

export async function importTableData(
  client: DynamoDBClient,
  table: string,
  file: string,
  format: DataFormat,
  options: { onProgress?: (p: ImportProgress) => void } = {},
): Promise<{ items: number; written: number; batches: number; retries: number }> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new WorkbenchError('input.invalid', `cannot read ${file}: ${(err as Error).message}`, { file })
  }
  const { items, errors } = parseDataFile(text, format)
  const description = await describeTable(client, table)
  if (!description)
    throw new WorkbenchError('table.notFound', `no table ${table} at this connection`, { table })
  const keyNames = (description.KeySchema ?? []).map((k) => k.AttributeName!)
  const keyTypes = new Map(
    (description.AttributeDefinitions ?? []).map((a) => [a.AttributeName!, a.AttributeType!]),
  )
  const rowErrors = errors.map((e) => ({ line: e.line, message: e.message }))
  // Key attributes are checked here too, so that no batch fails on a row the file already shows is bad.
  for (const { line, item } of items) {
    if (rowErrors.length >= 20) break
    for (const k of keyNames) {
      const v = item[k]
      const want = keyTypes.get(k)
      if (!v) rowErrors.push({ line, message: `line ${line}: no key attribute ${k}` })
      else if (want && !(want in v))
        rowErrors.push({
          line,
          message: `line ${line}: key attribute ${k} is ${Object.keys(v)[0]}, the table's is ${want}`,
        })
    }
  }
  if (rowErrors.length) {
    rowErrors.sort((a, b) => a.line - b.line)
    throw new WorkbenchError(
      'input.invalid',
      `${file}: ${rowErrors.length}${rowErrors.length >= 20 ? '+' : ''} bad row(s), nothing was imported: ${rowErrors
        .slice(0, 5)
        .map((e) => e.message)
        .join('; ')}`,
      { file, errors: rowErrors },
    )
  }
  let written = 0
  try {
    const result = await seedItems(
      client,
      table,
      keyNames,
      items.map((x) => rowFromJson(x.item)),
      {
        onProgress: (p) => {
          written = p.written
          options.onProgress?.({ written: p.written, total: p.total })
        },
      },
    )
    return { items: items.length, written: result.written, batches: result.batches, retries: result.retries }
  } catch (err) {
    const e = toWorkbenchError(err, { table })
    throw new WorkbenchError(
      e.code,
      `${e.message} (${written} of ${items.length} item(s) were written before this)`,
      {
        ...e.details,
        written,
        total: items.length,
      },
    )
  }
}
