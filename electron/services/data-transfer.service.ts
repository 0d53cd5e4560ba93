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

/**
 * Writes a table's items in `format` through `write`, page by page (CSV, whose header needs every column, at the
 * end). The file export (CLI) and the app's download both go through here.
 */
export async function exportTableTo(
  client: DynamoDBClient,
  table: string,
  format: DataFormat,
  write: (chunk: string) => Promise<unknown> | void,
  options: { onProgress?: (p: ExportProgress) => void; pageSize?: number } = {},
): Promise<{ items: number; pages: number }> {
  const description = await describeTable(client, table)
  if (!description)
    throw new WorkbenchError('table.notFound', `no table ${table} at this connection`, { table })
  const keyNames = (description.KeySchema ?? []).map((k) => k.AttributeName!)
  const csvRows: ItemJson[] = []
  let items = 0
  let pages = 0
  if (format === 'json') await write('[')
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
    if (lines.length) await write(lines.join(''))
    options.onProgress?.({ items, pages })
    start = page.LastEvaluatedKey
  } while (start)
  if (format === 'json') await write(items ? '\n]\n' : ']\n')
  if (format === 'csv') await write(itemsToCsv(csvRows, keyNames))
  return { items, pages }
}

export async function exportTableData(
  client: DynamoDBClient,
  table: string,
  format: DataFormat,
  file: string,
  options: { onProgress?: (p: ExportProgress) => void; pageSize?: number } = {},
): Promise<{ items: number; pages: number; file: string; format: DataFormat }> {
  // The table is looked up before the file is created, so a wrong name leaves no empty file behind.
  if (!(await describeTable(client, table)))
    throw new WorkbenchError('table.notFound', `no table ${table} at this connection`, { table })
  let out
  try {
    out = await open(file, 'w')
  } catch (err) {
    throw new WorkbenchError('input.invalid', `cannot write ${file}: ${(err as Error).message}`, { file })
  }
  try {
    const r = await exportTableTo(client, table, format, (chunk) => out.write(chunk), options)
    return { ...r, file, format }
  } finally {
    await out.close()
  }
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

/** A data file read and checked against a table, before anything is written. */
export interface ImportCheck {
  format: DataFormat
  items: { line: number; item: ItemJson }[]
  /** Bad rows by line (at most 20, in line order); an import with any is refused whole. */
  errors: { line: number; message: string }[]
  keyNames: string[]
}

/** Which format a file is, from its name, else from its first characters (`[` JSON, `{` JSON lines, else CSV). */
export function detectDataFormat(fileName: string, text: string): DataFormat {
  const byName = dataFormatOf(fileName)
  if (byName) return byName
  const head = text.replace(/^\uFEFF/, '').trimStart()
  if (head.startsWith('[')) return 'json'
  if (head.startsWith('{')) return 'jsonl'
  return 'csv'
}

/** Parses a whole data file and checks every row, key attributes included, against the table. */
export async function checkImport(
  client: DynamoDBClient,
  table: string,
  text: string,
  format: DataFormat,
): Promise<ImportCheck> {
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
  rowErrors.sort((a, b) => a.line - b.line)
  return { format, items, errors: rowErrors.slice(0, 20), keyNames }
}

function refuseBadRows(file: string, check: ImportCheck): void {
  const rowErrors = check.errors
  if (!rowErrors.length) return
  throw new WorkbenchError(
    'input.invalid',
    `${file}: ${rowErrors.length}${rowErrors.length >= 20 ? '+' : ''} bad row(s), nothing was imported: ${rowErrors
      .slice(0, 5)
      .map((e) => e.message)
      .join('; ')}`,
    { file, errors: rowErrors },
  )
}

/** Writes checked items (BatchWriteItem in 25s with retries); a failure part way says how many went in. */
async function writeChecked(
  client: DynamoDBClient,
  table: string,
  check: ImportCheck,
  options: { onProgress?: (p: ImportProgress) => void },
): Promise<{ items: number; written: number; batches: number; retries: number }> {
  const { items, keyNames } = check
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
  const check = await checkImport(client, table, text, format)
  refuseBadRows(file, check)
  return writeChecked(client, table, check, options)
}

/** True when a table holds at least one item (an exact check, unlike DescribeTable's ItemCount on AWS). */
export async function tableHasItems(client: DynamoDBClient, table: string): Promise<boolean> {
  try {
    const out = await client.send(new ScanCommand({ TableName: table, Limit: 1, Select: 'COUNT' }))
    return (out.Count ?? 0) > 0 || out.LastEvaluatedKey !== undefined
  } catch (err) {
    throw toWorkbenchError(err, { table })
  }
}

/**
 * The app's import: a file's text (uploaded, not a path), checked whole first; writing into a table that already
 * holds items (which overwrites items with the same keys) needs the table's name typed back as `confirm`.
 */
export async function importTableText(
  client: DynamoDBClient,
  table: string,
  input: { fileName: string; text: string; format?: DataFormat; confirm?: string },
  options: { onProgress?: (p: ImportProgress) => void } = {},
): Promise<{ items: number; written: number; batches: number; retries: number }> {
  const format = input.format ?? detectDataFormat(input.fileName, input.text)
  const check = await checkImport(client, table, input.text, format)
  refuseBadRows(input.fileName, check)
  if (input.confirm !== table && (await tableHasItems(client, table)))
    throw new WorkbenchError(
      'confirm.required',
      `${table} already holds items; importing ${check.items.length} item(s) overwrites any with the same key. Type the table name to confirm.`,
      { table, writes: check.items.length },
    )
  return writeChecked(client, table, check, options)
}
