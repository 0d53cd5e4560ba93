/**
 * "Save as access pattern": an ad-hoc Query, Scan or GetItem (as the operation builder composes it) becomes an
 * access pattern of the model, with its literal key values lifted out into parameters. A value that fits one of the
 * table's entity key templates reuses that template (`ORDER#123` on `ORDER#{orderId}` → parameter `orderId`);
 * any other literal becomes a parameter of its own, named after its attribute. Each parameter's default is the
 * value the operation ran with, so the pattern runs with the same result straight away.
 */

import { isLosslessNumber } from './attribute-json'
import { matchKeyTemplate, parseKeyTemplate, templatePrefix, type KeyTemplate } from './key-template'
import { AccessPattern, type Model, type TableSpec } from './model'

export interface LiftFilterRow {
  attribute: string
  operator: string
  type?: 'S' | 'N' | 'BOOL' | 'NULL' | undefined
  value?: string | undefined
  value2?: string | undefined
}

/** The parts of an operation-builder spec that an access pattern can carry. */
export interface LiftableOperation {
  operation: string
  table?: string | undefined
  index?: string | undefined
  partitionValue?: string | undefined
  sortOperator?: '=' | '<' | '<=' | '>' | '>=' | 'BETWEEN' | 'begins_with' | undefined
  sortValue?: string | undefined
  sortValue2?: string | undefined
  filters?: LiftFilterRow[] | undefined
  projection?: string[] | undefined
  direction?: 'asc' | 'desc' | undefined
  limit?: number | undefined
  consistentRead?: boolean | undefined
  segment?: number | undefined
  totalSegments?: number | undefined
  /** GetItem: the key, already parsed (numbers exact). */
  key?: Record<string, unknown> | undefined
}

export interface LiftedParam {
  name: string
  type: 'string' | 'number'
  /** The value the operation ran with: the parameter's default. */
  value: string | number
  attribute: string
  /** The template the value was read through (`ORDER#{orderId}`, or `{pk}` for a plain literal). */
  template: string
  /** The entity whose key template was reused, if any. */
  entity?: string
}

export interface LiftResult {
  /** The access pattern, as model JSON (validated against the model schema's AccessPattern). */
  pattern: Record<string, unknown>
  params: LiftedParam[]
  /** Parts of the operation a pattern does not carry, and constants kept as they were. */
  notes: string[]
}

export class LiftError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message)
    this.name = 'LiftError'
  }
}

const IDENT = /^[A-Za-z0-9_]+$/
const PARAM = /^[A-Za-z_][A-Za-z0-9_]*$/

/** A pattern id from its name: letters, digits, `-`; unique among the model's patterns. */
export function patternIdFrom(name: string, taken: Iterable<string>): string {
  const used = new Set(taken)
  const base =
    name
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'pattern'
  let id = base
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`
  return id
}

const literalChars = (t: KeyTemplate) =>
  t.segments.reduce((n, s) => n + (s.kind === 'literal' ? s.text.length : 0), 0)

function paramName(base: string): string {
  const clean = base.replace(/[^A-Za-z0-9_]/g, '_')
  return PARAM.test(clean) ? clean : `p_${clean}`
}

function exprName(attribute: string, field: string): string {
  // Pattern expressions name attributes as `#name`, standing for the attribute of the same name.
  if (!IDENT.test(attribute))
    throw new LiftError(
      `attribute "${attribute}" cannot be named in a pattern's expression (only letters, digits and "_")`,
      field,
    )
  return `#${attribute}`
}

/** The key schema (partition, sort) of the table or one of its indexes. */
function keysOf(table: TableSpec, index: string | undefined): { hash: string; range?: string } {
  const schema = index
    ? [...(table.globalSecondaryIndexes ?? []), ...(table.localSecondaryIndexes ?? [])].find(
        (i) => i.indexName === index,
      )?.keySchema
    : table.keySchema
  if (!schema) throw new LiftError(`table ${table.name} in the model has no index "${index}"`, 'index')
  const hash = schema.find((k) => k.keyType === 'HASH')!.attributeName
  const range = schema.find((k) => k.keyType === 'RANGE')?.attributeName
  return range ? { hash, range } : { hash }
}

class Lifter {
  readonly params: LiftedParam[] = []
  readonly values: Record<string, string | number | boolean> = {}
  readonly notes: string[] = []
  entity: string | undefined

  constructor(
    private readonly model: Model,
    private readonly table: TableSpec,
  ) {}

  typeOf(attribute: string): 'S' | 'N' | 'B' | undefined {
    return this.table.attributeDefinitions.find((a) => a.attributeName === attribute)?.attributeType
  }

  /** Adds a parameter; one of the same name and value is shared, a clash gets a numbered name. */
  private param(p: LiftedParam): string {
    const same = this.params.find((x) => x.name === p.name)
    if (same && same.value === p.value && same.type === p.type) return same.name
    let name = p.name
    for (let n = 2; this.params.some((x) => x.name === name); n++) name = `${p.name}_${n}`
    this.params.push({ ...p, name })
    return name
  }

  /** A placeholder for `value`, unique among the pattern's values. */
  placeholder(base: string, value: string | number | boolean): string {
    let ph = `:${base.replace(/[^A-Za-z0-9_]/g, '_')}`
    for (let n = 2; ph in this.values; n++) ph = `:${base.replace(/[^A-Za-z0-9_]/g, '_')}_${n}`
    this.values[ph] = value
    return ph
  }

  /**
   * The template a key literal is read through. `role` names a second value of the same attribute (BETWEEN's
   * bounds), so the two do not share one parameter.
   */
  liftKey(
    attribute: string,
    raw: unknown,
    field: string,
    role?: 'from' | 'to',
    prefix = false,
  ): string | number {
    const type = this.typeOf(attribute)
    const suffix = role ? `_${role}` : prefix ? '_prefix' : ''
    if (type === 'N' || typeof raw === 'number' || isLosslessNumber(raw)) {
      const text = isLosslessNumber(raw) ? raw.value : String(raw)
      if (!/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text.trim()))
        throw new LiftError(`${attribute} is a number key; "${text}" is not a number`, field)
      const exact = Number(text)
      const value = String(exact) === text.trim() ? exact : text.trim()
      const name = this.param({
        name: paramName(attribute + suffix),
        type: 'number',
        value,
        attribute,
        template: `{${attribute}}`,
      })
      return `{${name}}`
    }
    if (typeof raw !== 'string') throw new LiftError(`${attribute}: a key value is text or a number`, field)
    if (raw === '') throw new LiftError(`${attribute}: the key value is empty`, field)
    // The table's entity templates for this attribute; the pattern's own entity first, then the most specific.
    const candidates = this.model.entities
      .filter((e) => e.table === this.table.name && e.keys[attribute] !== undefined)
      .map((e) => ({ entity: e.name, template: parseKeyTemplate(e.keys[attribute]!) }))
      .sort(
        (a, b) =>
          Number(b.entity === this.entity) - Number(a.entity === this.entity) ||
          literalChars(b.template) - literalChars(a.template),
      )
    // A begins_with on exactly an entity's literal prefix (`ORDER#`) selects that entity: it stays a constant.
    if (prefix) {
      const selector = candidates.find((c) => c.template.params.length && templatePrefix(c.template) === raw)
      if (selector) {
        this.entity ??= selector.entity
        this.notes.push(`${attribute}: "${raw}" is ${selector.entity}'s key prefix; kept as a constant`)
        return raw
      }
    }
    for (const c of candidates) {
      // A template that is only `{param}` fits any value: it is reused only for the entity the pattern reads.
      const bare = literalChars(c.template) === 0
      if (bare && c.entity !== this.entity) continue
      const found = matchKeyTemplate(c.template, raw)
      if (!found) continue
      if (!bare) this.entity ??= c.entity
      const renamed = new Map<string, string>()
      for (const name of c.template.params)
        renamed.set(
          name,
          this.param({
            name: name + suffix,
            type: 'string',
            value: found[name]!,
            attribute,
            template: c.template.source,
            entity: c.entity,
          }),
        )
      return c.template.segments
        .map((s) => (s.kind === 'literal' ? s.text : `{${renamed.get(s.name)}}`))
        .join('')
    }
    const name = this.param({
      name: paramName(attribute + suffix),
      type: 'string',
      value: raw,
      attribute,
      template: `{${attribute}}`,
    })
    return `{${name}}`
  }

  filter(rows: readonly LiftFilterRow[]): string | undefined {
    const parts = rows.map((row, i) => {
      const field = `filters[${i}]`
      const a = exprName(row.attribute, field)
      if (row.operator === 'attribute_exists' || row.operator === 'attribute_not_exists')
        return `${row.operator}(${a})`
      if (row.type === 'NULL')
        throw new LiftError(
          `filter row ${i + 1} compares ${row.attribute} with NULL, which a pattern's values cannot hold`,
          field,
        )
      const literal = (text: string | undefined, role: string): string => {
        if (text === undefined) throw new LiftError(`filter row ${i + 1} has no value`, field)
        if (row.type === 'BOOL') {
          if (text !== 'true' && text !== 'false')
            throw new LiftError(`filter row ${i + 1}: a boolean is true or false`, field)
          return this.placeholder(`${row.attribute}${role}`, text === 'true')
        }
        const number = row.type === 'N'
        if (number && !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text.trim()))
          throw new LiftError(`filter row ${i + 1}: "${text}" is not a number`, field)
        const name = this.param({
          name: paramName(`${row.attribute}${role}`),
          type: number ? 'number' : 'string',
          value: number && String(Number(text)) === text.trim() ? Number(text) : text,
          attribute: row.attribute,
          template: `{${row.attribute}}`,
        })
        return this.placeholder(`${row.attribute}${role}`, `{${name}}`)
      }
      switch (row.operator) {
        case 'BETWEEN':
          return `${a} BETWEEN ${literal(row.value, '_from')} AND ${literal(row.value2, '_to')}`
        case 'begins_with':
        case 'contains':
          return `${row.operator}(${a}, ${literal(row.value, '')})`
        case '=':
        case '<>':
        case '<':
        case '<=':
        case '>':
        case '>=':
          return `${a} ${row.operator} ${literal(row.value, '')}`
        default:
          throw new LiftError(`filter row ${i + 1}: unknown operator ${row.operator}`, field)
      }
    })
    return parts.length ? parts.join(' AND ') : undefined
  }
}

/**
 * The access pattern for an operation. Throws LiftError (naming the field) for what a pattern cannot express;
 * the pattern it returns has passed the model schema's AccessPattern check.
 */
export function liftOperation(
  model: Model,
  op: LiftableOperation,
  meta: { name: string; description?: string | undefined; id?: string | undefined },
): LiftResult {
  if (op.operation !== 'Query' && op.operation !== 'Scan' && op.operation !== 'GetItem')
    throw new LiftError(
      `only a Query, Scan or GetItem can be saved as an access pattern (this is ${op.operation})`,
      'operation',
    )
  if (!op.table) throw new LiftError('pick a table first', 'table')
  const table = model.tables.find((t) => t.name === op.table)
  if (!table)
    throw new LiftError(
      `the open model has no table "${op.table}" (its tables: ${model.tables.map((t) => t.name).join(', ')})`,
      'table',
    )
  if (!meta.name.trim()) throw new LiftError('the pattern needs a name', 'name')
  const keys = keysOf(table, op.operation === 'GetItem' ? undefined : op.index)
  const l = new Lifter(model, table)
  const pattern: Record<string, unknown> = {
    id:
      meta.id ??
      patternIdFrom(
        meta.name,
        model.accessPatterns.map((p) => p.id),
      ),
    name: meta.name.trim(),
    ...(meta.description?.trim() ? { description: meta.description.trim() } : {}),
    operation: op.operation,
    table: table.name,
    ...(op.index && op.operation !== 'GetItem' ? { index: op.index } : {}),
  }

  if (op.operation === 'Query') {
    if (op.partitionValue === undefined || op.partitionValue === '')
      throw new LiftError('a Query needs a partition key value', 'partitionValue')
    const pk = l.liftKey(keys.hash, op.partitionValue, 'partitionValue')
    const conditions = [`${exprName(keys.hash, 'partitionValue')} = ${l.placeholder(keys.hash, pk)}`]
    if (op.sortOperator && op.sortValue !== undefined && op.sortValue !== '') {
      if (!keys.range) throw new LiftError(`${op.index ?? table.name} has no sort key`, 'sortOperator')
      const sk = exprName(keys.range, 'sortValue')
      if (op.sortOperator === 'BETWEEN') {
        if (op.sortValue2 === undefined || op.sortValue2 === '')
          throw new LiftError('BETWEEN needs an upper value', 'sortValue2')
        const from = l.placeholder(
          `${keys.range}_from`,
          l.liftKey(keys.range, op.sortValue, 'sortValue', 'from'),
        )
        const to = l.placeholder(`${keys.range}_to`, l.liftKey(keys.range, op.sortValue2, 'sortValue2', 'to'))
        conditions.push(`${sk} BETWEEN ${from} AND ${to}`)
      } else if (op.sortOperator === 'begins_with') {
        const v = l.placeholder(keys.range, l.liftKey(keys.range, op.sortValue, 'sortValue', undefined, true))
        conditions.push(`begins_with(${sk}, ${v})`)
      } else {
        conditions.push(
          `${sk} ${op.sortOperator} ${l.placeholder(keys.range, l.liftKey(keys.range, op.sortValue, 'sortValue'))}`,
        )
      }
    }
    pattern.keyCondition = conditions.join(' AND ')
    if (op.direction === 'desc') pattern.direction = 'desc'
  }

  if (op.operation === 'GetItem') {
    if (!op.key) throw new LiftError('a GetItem needs its key', 'key')
    const key: Record<string, string | number> = {}
    for (const attr of [keys.hash, ...(keys.range ? [keys.range] : [])]) {
      if (op.key[attr] === undefined) throw new LiftError(`the key has no ${attr}`, 'key')
      key[attr] = l.liftKey(attr, op.key[attr], 'key')
    }
    const extra = Object.keys(op.key).filter((k) => k !== keys.hash && k !== keys.range)
    if (extra.length)
      throw new LiftError(`the key has attributes that are not keys: ${extra.join(', ')}`, 'key')
    pattern.key = key
  }

  if (op.operation !== 'GetItem') {
    const filter = l.filter(op.filters ?? [])
    if (filter) pattern.filter = filter
    if (op.limit !== undefined) pattern.limit = op.limit
  }
  if (op.projection?.length) pattern.projection = op.projection
  if (op.consistentRead) l.notes.push('consistent read is not part of an access pattern: not kept')
  if (op.totalSegments && op.totalSegments > 1)
    l.notes.push('parallel scan segments are not part of an access pattern: not kept')
  if (l.entity) pattern.entity = l.entity
  if (Object.keys(l.values).length) pattern.values = l.values
  pattern.params = l.params.map((p) => ({
    name: p.name,
    type: p.type,
    default: p.value,
    description: `${p.attribute}${p.template !== `{${p.attribute}}` ? ` through ${p.template}` : ''}`,
  }))
  pattern.expectations = {
    servedBy: op.operation,
    index: op.operation === 'GetItem' ? null : (op.index ?? null),
  }
  const checked = AccessPattern.safeParse(pattern)
  if (!checked.success) {
    const issue = checked.error.issues[0]!
    throw new LiftError(
      `the pattern is not valid: ${issue.path.join('.')}: ${issue.message}`,
      issue.path.join('.'),
    )
  }
  return { pattern, params: l.params, notes: l.notes }
}

/** The model JSON with the pattern appended to its access patterns (the object is not changed). */
export function addPatternToModelJson(
  json: Record<string, unknown>,
  pattern: Record<string, unknown>,
): Record<string, unknown> {
  const current = Array.isArray(json.accessPatterns) ? (json.accessPatterns as unknown[]) : []
  return { ...json, accessPatterns: [...current, pattern] }
}
