import { parse as parseCsv } from 'csv-parse/sync'
import { stringify as stringifyCsv } from 'csv-stringify/sync'
import type { AttributeValueJson, ItemJson } from '../../../shared/contract/channels/workbench'
import {
  AttributeJsonError,
  isLosslessNumber,
  numberToPlain,
  parseExactJson,
  parseItemJson,
  stringifyExactJson,
  typeOf,
} from '../../../shared/domain/attribute-json'

/*
 * Item files for data import and export, all read and written from DynamoDB JSON (ItemJson), so numbers keep all
 * 38 digits, binary stays base64 and sets stay sets:
 * - jsonl: one `{"Item": {…DynamoDB JSON…}}` per line, the format of DynamoDB's export to S3
 *   (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.Output.html); a line holding
 *   the DynamoDB JSON item alone is read too.
 * - json: an array of plain items (numbers as exact literals). Plain JSON has no binary or sets, so those (and a
 *   map whose only key is one of B, SS, NS, BS or M) are written tagged as DynamoDB JSON: `{"SS": ["a"]}`.
 * - csv: one column per attribute, its header `name (TYPE)` when the column holds one type (strings as they are,
 *   numbers as digits, sets, lists and maps as JSON), else `name` with each cell in DynamoDB JSON. An empty cell is
 *   a missing attribute; `""` is an empty string.
 */

export type DataFormat = 'jsonl' | 'json' | 'csv'
export const DATA_FORMATS: readonly DataFormat[] = ['jsonl', 'json', 'csv']

/** A line (or array element, or CSV row) that is not an item: the line number and what is wrong. */
export class DataRowError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`)
    this.name = 'DataRowError'
  }
}

const TAGS = new Set(['B', 'SS', 'NS', 'BS', 'M'])

// --- plain JSON -----------------------------------------------------------------------------------------------

function toPlain(v: AttributeValueJson): unknown {
  if ('S' in v) return v.S
  if ('N' in v) return numberToPlain(v.N)
  if ('BOOL' in v) return v.BOOL
  if ('NULL' in v) return null
  if ('L' in v) return v.L.map(toPlain)
  if ('M' in v) {
    const keys = Object.keys(v.M)
    const plain = Object.fromEntries(Object.entries(v.M).map(([k, x]) => [k, toPlain(x)]))
    return keys.length === 1 && TAGS.has(keys[0]!) ? { M: plain } : plain
  }
  return v // B, SS, NS, BS: tagged
}

function fromPlain(v: unknown, path: string): AttributeValueJson {
  if (typeof v === 'string') return { S: v }
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new AttributeJsonError(`${path}: not a finite number`, path)
    return { N: String(v) }
  }
  if (isLosslessNumber(v)) return { N: v.value }
  if (typeof v === 'boolean') return { BOOL: v }
  if (v === null) return { NULL: true }
  if (Array.isArray(v)) return { L: v.map((x, i) => fromPlain(x, `${path}[${i}]`)) }
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
    if (entries.length === 1 && TAGS.has(entries[0]![0])) {
      const [tag, inner] = entries[0]!
      if (tag === 'M') {
        if (!inner || typeof inner !== 'object' || Array.isArray(inner))
          throw new AttributeJsonError(`${path}.M: a tagged map holds an object`, path)
        return { M: plainItem(inner as Record<string, unknown>, path) }
      }
      // Number sets may be written as number literals; keep their exact text.
      const norm = Array.isArray(inner)
        ? inner.map((x) => (isLosslessNumber(x) ? x.value : typeof x === 'number' ? String(x) : x))
        : inner
      return parseItemJson({ v: { [tag]: norm } }, path).v!
    }
    return { M: plainItem(v as Record<string, unknown>, path) }
  }
  throw new AttributeJsonError(`${path}: unsupported value`, path)
}

function plainItem(row: Record<string, unknown>, path: string): ItemJson {
  return Object.fromEntries(Object.entries(row).map(([k, x]) => [k, fromPlain(x, path ? `${path}.${k}` : k)]))
}

// --- writing ----------------------------------------------------------------------------------------------------

/** One exported line of the S3 export format. */
export const jsonlLine = (item: ItemJson): string => JSON.stringify({ Item: item })

export const plainJsonItem = (item: ItemJson): string =>
  stringifyExactJson(Object.fromEntries(Object.entries(item).map(([k, v]) => [k, toPlain(v)])))

const CSV_TYPED = /^(.*) \((S|N|B|BOOL|NULL|SS|NS|BS|L|M)\)$/

function csvCell(v: AttributeValueJson, typed: boolean): string {
  if (!typed) return JSON.stringify(v)
  if ('S' in v) return v.S
  if ('N' in v) return v.N
  if ('B' in v) return v.B
  if ('BOOL' in v) return String(v.BOOL)
  if ('NULL' in v) return 'true'
  if ('SS' in v) return JSON.stringify(v.SS)
  if ('NS' in v) return JSON.stringify(v.NS)
  if ('BS' in v) return JSON.stringify(v.BS)
  if ('L' in v) return JSON.stringify(v.L)
  return JSON.stringify(v.M)
}

/** Items as CSV: key attributes first, then the others in name order. */
export function itemsToCsv(items: readonly ItemJson[], keyNames: readonly string[]): string {
  const types = new Map<string, Set<string>>()
  for (const item of items)
    for (const [k, v] of Object.entries(item)) {
      const s = types.get(k) ?? new Set<string>()
      s.add(typeOf(v))
      types.set(k, s)
    }
  const names = [
    ...keyNames.filter((k) => types.has(k)),
    ...[...types.keys()].filter((k) => !keyNames.includes(k)).sort(),
  ]
  const typed = names.map((n) => types.get(n)!.size === 1)
  const header = names.map((n, i) => (typed[i] ? `${n} (${[...types.get(n)!][0]})` : n))
  const rows = items.map((item) => names.map((n, i) => (item[n] ? csvCell(item[n], typed[i]!) : undefined)))
  return stringifyCsv([header, ...rows], {
    // An empty string is written "" so that it reads back as one; a missing attribute is an empty cell.
    quoted_match: /^$/,
  })
}

// --- reading ----------------------------------------------------------------------------------------------------

function checkItem(value: unknown, line: number, path = ''): ItemJson {
  try {
    return parseItemJson(value, path)
  } catch (err) {
    throw new DataRowError(line, (err as Error).message)
  }
}

/** Parses a whole file; every bad row is reported with its line number (up to `maxErrors`), nothing is half-read. */
export function parseDataFile(
  text: string,
  format: DataFormat,
  maxErrors = 20,
): { items: { line: number; item: ItemJson }[]; errors: DataRowError[] } {
  const body = text.replace(/^\uFEFF/, '')
  const items: { line: number; item: ItemJson }[] = []
  const errors: DataRowError[] = []
  const attempt = (line: number, read: () => ItemJson) => {
    if (errors.length >= maxErrors) return
    try {
      items.push({ line, item: read() })
    } catch (err) {
      errors.push(err instanceof DataRowError ? err : new DataRowError(line, (err as Error).message))
    }
  }
  if (format === 'jsonl') {
    body.split(/\r?\n/).forEach((raw, i) => {
      if (!raw.trim()) return
      attempt(i + 1, () => {
        let doc: unknown
        try {
          doc = JSON.parse(raw)
        } catch (err) {
          throw new DataRowError(i + 1, `not valid JSON: ${(err as Error).message}`)
        }
        const wrapped = doc && typeof doc === 'object' && !Array.isArray(doc) && 'Item' in doc
        return checkItem(wrapped ? (doc as { Item: unknown }).Item : doc, i + 1, wrapped ? 'Item' : '')
      })
    })
  } else if (format === 'json') {
    let doc: unknown
    try {
      doc = parseExactJson(body)
    } catch (err) {
      errors.push(new DataRowError(1, `not valid JSON: ${(err as Error).message}`))
      return { items, errors }
    }
    if (!Array.isArray(doc)) {
      errors.push(new DataRowError(1, 'a JSON data file is an array of items'))
      return { items, errors }
    }
    // Items of a JSON array have no line of their own: they are numbered from 1, as `[n]`.
    doc.forEach((row, i) =>
      attempt(i + 1, () => {
        if (!row || typeof row !== 'object' || Array.isArray(row))
          throw new DataRowError(i + 1, `item [${i}] is not an object`)
        try {
          return plainItem(row as Record<string, unknown>, '')
        } catch (err) {
          throw new DataRowError(i + 1, `item [${i}]: ${(err as Error).message}`)
        }
      }),
    )
  } else {
    let records: { record: (string | null)[]; info: { lines: number } }[]
    try {
      records = parseCsv(body, {
        info: true,
        relax_column_count: false,
        cast: (v: string, ctx: { quoting: boolean }) => (ctx.quoting || v !== '' ? v : null),
      }) as unknown as { record: (string | null)[]; info: { lines: number } }[]
    } catch (err) {
      const e = err as Error & { lines?: number }
      errors.push(new DataRowError(e.lines ?? 1, `not valid CSV: ${e.message}`))
      return { items, errors }
    }
    const [head, ...rows] = records
    if (!head) return { items, errors }
    const columns = head.record.map((h) => {
      const m = CSV_TYPED.exec(h ?? '')
      return m ? { name: m[1]!, type: m[2]! } : { name: h ?? '', type: undefined }
    })
    for (const { record, info } of rows)
      attempt(info.lines, () => {
        const item: Record<string, unknown> = {}
        columns.forEach((c, i) => {
          const cell = record[i]
          if (cell === null || cell === undefined) return
          if (!c.type) {
            // An untyped column: DynamoDB JSON cells, or plain text (a CSV from elsewhere) as strings.
            let v: unknown
            try {
              v = JSON.parse(cell)
            } catch {
              v = undefined
            }
            item[c.name] = v && typeof v === 'object' && !Array.isArray(v) ? v : { S: cell }
            return
          }
          const json = (): unknown => {
            try {
              return JSON.parse(cell)
            } catch {
              throw new DataRowError(
                info.lines,
                `${c.name}: ${c.type} cell is not JSON: ${cell.slice(0, 40)}`,
              )
            }
          }
          item[c.name] =
            c.type === 'S' || c.type === 'N' || c.type === 'B'
              ? { [c.type]: cell }
              : c.type === 'BOOL'
                ? { BOOL: cell === 'true' ? true : cell === 'false' ? false : cell }
                : c.type === 'NULL'
                  ? { NULL: cell === 'true' ? true : cell }
                  : { [c.type]: json() }
        })
        return checkItem(item, info.lines)
      })
  }
  return { items, errors }
}
