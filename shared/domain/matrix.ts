import type { AccessPattern, Model, TableSpec, WriteRecipe } from './model'

/**
 * The access-pattern matrix: one row per access pattern (and per write recipe), in the columns AWS's own modelling
 * guides use — pattern, table or index, operation, partition key value, sort key condition, filter, parameters and
 * expectations (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-modeling-nosql-B.html). A row
 * that only a Scan could serve says so, with the reason.
 */
export interface MatrixRow {
  kind: 'pattern' | 'recipe'
  id: string
  name: string
  table: string
  index?: string
  operation: string
  partitionKey: string
  sortKey: string
  filter: string
  params: string
  expectations: string
  /** Why this row reads the whole table or index, when it does. */
  scan?: string
}

export const MATRIX_COLUMNS: { key: keyof MatrixRow; label: string }[] = [
  { key: 'id', label: 'Pattern' },
  { key: 'name', label: 'Name' },
  { key: 'table', label: 'Table / index' },
  { key: 'operation', label: 'Operation' },
  { key: 'partitionKey', label: 'Partition key' },
  { key: 'sortKey', label: 'Sort key condition' },
  { key: 'filter', label: 'Filter' },
  { key: 'params', label: 'Parameters' },
  { key: 'expectations', label: 'Expectations' },
  { key: 'scan', label: 'Needs a Scan' },
]

interface KeyNames {
  hash: string[]
  range: string[]
}

function keyNamesOf(table: TableSpec, index: string | undefined): KeyNames | undefined {
  const schema = index
    ? [...(table.globalSecondaryIndexes ?? []), ...(table.localSecondaryIndexes ?? [])].find(
        (x) => x.indexName === index,
      )?.keySchema
    : table.keySchema
  if (!schema) return undefined
  return {
    hash: schema.filter((k) => k.keyType === 'HASH').map((k) => k.attributeName),
    range: schema.filter((k) => k.keyType === 'RANGE').map((k) => k.attributeName),
  }
}

/** `:pk` → its template (`CUST#{customer}`), `#name` → `name`, so a condition reads in the model's own words. */
function readable(expression: string, values: AccessPattern['values']): string {
  // One pass, so a `#` inside a substituted value (`CUST#1`) is not read as a name placeholder.
  return expression.replace(/:[A-Za-z0-9_]+|#([A-Za-z0-9_]+)/g, (m, name: string | undefined) => {
    if (name !== undefined) return name
    const v = values?.[m]
    return v === undefined ? m : typeof v === 'string' ? `"${v}"` : String(v)
  })
}

/** Splits a key condition at its top-level ANDs (BETWEEN's own AND stays with it). */
function conditionParts(expression: string): string[] {
  const parts: string[] = []
  let depth = 0
  let start = 0
  let between = false
  const upper = expression.toUpperCase()
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i]
    if (c === '(') depth++
    else if (c === ')') depth--
    else if (depth === 0 && /\s/.test(c!) && upper.startsWith('BETWEEN', i + 1)) between = true
    else if (
      depth === 0 &&
      /\s/.test(c!) &&
      upper.startsWith('AND', i + 1) &&
      /\s/.test(expression[i + 4] ?? '')
    ) {
      if (between) {
        between = false
        continue
      }
      parts.push(expression.slice(start, i).trim())
      start = i + 4
    }
  }
  parts.push(expression.slice(start).trim())
  return parts.filter(Boolean)
}

/** The attribute a key-condition part is about: `pk = :pk` → pk, `begins_with(#sk, :p)` → sk. */
function attributeOf(part: string): string | undefined {
  const fn = /^\s*begins_with\s*\(\s*#?([A-Za-z0-9_.-]+)/i.exec(part)
  if (fn) return fn[1]
  return /^\s*#?([A-Za-z0-9_.-]+)/.exec(part)?.[1]
}

function paramsText(params: AccessPattern['params']): string {
  return params
    .map((p) => `${p.name}: ${p.type}${p.format ? ` (${p.format})` : ''}${p.required ? '' : '?'}`)
    .join(', ')
}

function expectationsText(p: AccessPattern): string {
  const e = p.expectations
  if (!e) return ''
  const out: string[] = []
  if (e.servedBy) out.push(`served by ${e.servedBy}`)
  if (e.orderBy) out.push(`ordered by ${e.orderBy.attribute} ${e.orderBy.direction}`)
  if (e.maxItems !== undefined) out.push(`at most ${e.maxItems} items`)
  return out.join('; ')
}

function keyValues(rec: AccessPattern['key'], names: string[]): string {
  return names
    .map((n) => (rec?.[n] === undefined ? '' : `${n} = "${String(rec[n])}"`))
    .filter(Boolean)
    .join(' AND ')
}

function patternRow(model: Model, p: AccessPattern): MatrixRow {
  const table = model.tables.find((t) => t.name === p.table)
  const keys = table ? keyNamesOf(table, p.index) : undefined
  const base = {
    kind: 'pattern' as const,
    id: p.id,
    name: p.name,
    table: p.index ? `${p.table} / ${p.index}` : p.table,
    ...(p.index ? { index: p.index } : {}),
    operation: p.operation === 'stream' ? 'Query (stream handler)' : p.operation,
    filter: p.filter ? readable(p.filter, p.values) : '',
    params: paramsText(p.params),
    expectations: expectationsText(p),
  }
  if (p.operation === 'Scan')
    return {
      ...base,
      partitionKey: '',
      sortKey: '',
      scan: `a Scan reads every item of ${base.table}; a key condition on ${keys?.hash.join(' + ') ?? 'its partition key'} would make it a Query`,
    }
  if (p.operation === 'GetItem' || p.operation === 'DeleteItem' || p.operation === 'PutItem') {
    const rec = p.operation === 'PutItem' ? p.item : p.key
    return {
      ...base,
      partitionKey: keyValues(rec, keys?.hash ?? []),
      sortKey: keyValues(rec, keys?.range ?? []),
    }
  }
  // Query and stream patterns: split the key condition into its partition and sort parts.
  const parts = conditionParts(p.keyCondition ?? '')
  const hash = keys?.hash ?? []
  const range = keys?.range ?? []
  const pkParts = parts.filter((x) => hash.includes(attributeOf(x) ?? ''))
  const skParts = parts.filter((x) => range.includes(attributeOf(x) ?? ''))
  const other = parts.filter((x) => !pkParts.includes(x) && !skParts.includes(x))
  const missing = hash.filter((h) => !pkParts.some((x) => attributeOf(x) === h))
  const row: MatrixRow = {
    ...base,
    partitionKey: pkParts.map((x) => readable(x, p.values)).join(' AND '),
    sortKey: skParts.map((x) => readable(x, p.values)).join(' AND '),
  }
  if (!keys) row.scan = `${base.table} is not in the model, so no key condition can serve it`
  else if (missing.length || other.length)
    row.scan = [
      missing.length ? `the key condition fixes no value for ${missing.join(' + ')}` : '',
      other.length
        ? `${other.map((x) => attributeOf(x)).join(', ')} is not a key of ${base.table} (keys: ${[...hash, ...range].join(', ')})`
        : '',
    ]
      .filter(Boolean)
      .join('; ')
      .concat(': DynamoDB refuses this Query, and only a Scan with a filter could answer it')
  return row
}

function recipeRow(model: Model, r: WriteRecipe): MatrixRow {
  const tables = [...new Set(r.steps.map((s) => s.table))]
  const first = r.steps[0]!
  const table = model.tables.find((t) => t.name === first.table)
  const keys = table ? keyNamesOf(table, undefined) : undefined
  const rec = first.op === 'Put' ? first.item : first.key
  return {
    kind: 'recipe',
    id: r.id,
    name: r.name,
    table: tables.join(', '),
    operation:
      r.steps.length === 1 && r.mode !== 'transaction'
        ? `${first.op}Item`.replace('ConditionCheckItem', 'ConditionCheck')
        : `${r.mode === 'steps' ? 'steps' : 'TransactWriteItems'}: ${r.steps.map((s) => s.op).join(', ')}`,
    partitionKey: keyValues(rec, keys?.hash ?? []),
    sortKey: keyValues(rec, keys?.range ?? []),
    filter: r.steps
      .filter((s) => s.condition)
      .map((s) => readable(s.condition!, s.values))
      .join('; '),
    params: paramsText(r.params),
    expectations: r.pattern ? `carries out pattern ${r.pattern}` : '',
  }
}

/** The matrix for a whole model: its access patterns in order, then its write recipes. */
export function accessPatternMatrix(model: Model): MatrixRow[] {
  return [
    ...model.accessPatterns.map((p) => patternRow(model, p)),
    ...model.recipes.map((r) => recipeRow(model, r)),
  ]
}

function cell(row: MatrixRow, key: keyof MatrixRow): string {
  const v = row[key]
  return v === undefined ? '' : String(v)
}

/** GitHub-flavoured Markdown: `|` inside a cell is escaped, line breaks become spaces. */
export function matrixMarkdown(rows: MatrixRow[]): string {
  const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
  const head = `| ${MATRIX_COLUMNS.map((c) => c.label).join(' | ')} |`
  const rule = `| ${MATRIX_COLUMNS.map(() => '---').join(' | ')} |`
  const body = rows.map((r) => `| ${MATRIX_COLUMNS.map((c) => esc(cell(r, c.key))).join(' | ')} |`)
  return [head, rule, ...body].join('\n') + '\n'
}

/** RFC 4180 CSV with CRLF line ends; a field with a comma, quote or line break is quoted. */
export function matrixCsv(rows: MatrixRow[]): string {
  const q = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)
  const lines = [
    MATRIX_COLUMNS.map((c) => q(c.label)).join(','),
    ...rows.map((r) => MATRIX_COLUMNS.map((c) => q(cell(r, c.key))).join(',')),
  ]
  return lines.join('\r\n') + '\r\n'
}
