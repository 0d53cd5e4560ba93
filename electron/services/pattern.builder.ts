import type {
  DeleteItemCommandInput,
  GetItemCommandInput,
  PutItemCommandInput,
  QueryCommandInput,
  ScanCommandInput,
} from '@aws-sdk/client-dynamodb'
import {
  isLosslessNumber,
  numberToPlain,
  stringifyExactJson,
  type LosslessNumber,
} from '../../shared/domain/attribute-json'
import { formatKeyTemplate, parseKeyTemplate } from '../../shared/domain/key-template'
import { findPattern, type AccessPattern, type Model, type PatternParam } from '../../shared/domain/model'
import { didYouMean } from '../../shared/domain/suggest'
import { formatTimestampAs, matchesTimestamp } from '../../shared/domain/timestamp'
import { WorkbenchError } from './errors'
import { fromRow } from './item-json'

export type ParamValue = string | number | LosslessNumber
export type ParamValues = Record<string, ParamValue | undefined>

export type PatternRequest =
  | { operation: 'Query'; input: QueryCommandInput }
  | { operation: 'GetItem'; input: GetItemCommandInput }
  | { operation: 'PutItem'; input: PutItemCommandInput }
  | { operation: 'DeleteItem'; input: DeleteItemCommandInput }
  | { operation: 'Scan'; input: ScanCommandInput }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const HANDLE = /^[A-Za-z0-9_.]{1,64}$/

export function getPattern(model: Model, id: string): AccessPattern {
  const p = findPattern(model, id)
  if (!p) {
    const valid = model.accessPatterns.map((x) => x.id)
    throw new WorkbenchError(
      'pattern.notFound',
      `the model ${model.name} has no access pattern "${id}" (valid: ${valid.join(', ') || 'none'}).${didYouMean(id, valid)}`,
      { pattern: id, valid },
    )
  }
  return p
}

/** One line per parameter for help and errors: `group (uuid, required)`, `year (string, default "2026")`. */
export function describeParam(p: PatternParam): string {
  const type = p.type === 'timestamp' && p.format ? `timestamp ${p.format}` : p.type
  const need =
    p.default !== undefined ? `default ${JSON.stringify(p.default)}` : p.required ? 'required' : 'optional'
  return `${p.name} (${type}, ${need})`
}

export interface ParamGenerators {
  uuid: () => string
  /** The current time in a parameter's declared format (RFC 3339 when it declares none). */
  now: (format?: string) => string
}

/** Anything with named, typed parameters: an access pattern or a write recipe. */
export interface ParamsSpec {
  id: string
  params: readonly PatternParam[]
}

/**
 * Fills the parameters of a pattern or a recipe: given value, else the declared default, else a generated one
 * for uuid and timestamp parameters (a new row needs a fresh id and time), and checks each against its type.
 * A name that is not a parameter is refused with the valid names.
 */
export function resolveParams(
  spec: ParamsSpec,
  given: ParamValues,
  gen?: ParamGenerators,
  kind: 'pattern' | 'recipe' = 'pattern',
): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {}
  const problems: string[] = []
  const valid = spec.params.map((p) => p.name)
  let unknown = false
  for (const name of Object.keys(given))
    if (given[name] !== undefined && !valid.includes(name)) {
      unknown = true
      const near = didYouMean(name, valid)
      problems.push(`${name}: not a parameter of ${kind} ${spec.id}${near ? `.${near}` : ''}`)
    }
  for (const p of spec.params) {
    let v = given[p.name] ?? p.default
    if (v === undefined && gen)
      v = p.type === 'uuid' ? gen.uuid() : p.type === 'timestamp' ? gen.now(p.format) : undefined
    if (v === undefined) {
      if (p.required) problems.push(`${p.name}: required`)
      continue
    }
    switch (p.type) {
      case 'number': {
        if (typeof v === 'number' || isLosslessNumber(v)) break
        // Exact: a number JS cannot hold (38 digits, 1E-130) stays a LosslessNumber and is sent digit for digit.
        const text = v.trim()
        if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text))
          problems.push(`${p.name}: not a number: ${v}`)
        else v = numberToPlain(text)
        break
      }
      case 'uuid':
        if (!UUID.test(String(v))) problems.push(`${p.name}: not a uuid: ${v}`)
        break
      case 'handle':
        if (!HANDLE.test(String(v).replace(/^@/, ''))) problems.push(`${p.name}: not a handle: ${v}`)
        else v = String(v).replace(/^@/, '')
        break
      case 'timestamp':
        if (!matchesTimestamp(v, p.format)) {
          const like = formatTimestampAs(new Date(Date.UTC(2026, 0, 1)), p.format)
          problems.push(
            `${p.name}: not a timestamp${p.format ? ` in the format ${p.format}` : ' (RFC 3339)'} like ${like}: ${v}`,
          )
        }
        break
      case 'string':
        v = String(v)
    }
    out[p.name] = v
  }
  if (problems.length) {
    // Naming a parameter wrongly or leaving one out is answered with the list of what the pattern or recipe takes.
    const text = problems.join('; ')
    const list =
      unknown || problems.some((p) => p.endsWith(': required'))
        ? `${text.endsWith('?') ? ' ' : '. '}Parameters of ${spec.id}: ${spec.params.map(describeParam).join(', ') || 'none'}.`
        : ''
    throw new WorkbenchError(`${kind}.invalidParams`, `${kind} ${spec.id}: ${text}${list}`, {
      [kind]: spec.id,
      problems,
      valid,
    })
  }
  return out
}

function fill(
  rec: Record<string, string | number | boolean>,
  params: Record<string, ParamValue>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(rec))
    out[k] = typeof v === 'string' ? formatKeyTemplate(parseKeyTemplate(v), params) : v
  return out
}

/** `#name` placeholders written in the model's expressions stand for the attribute of the same name. */
export function namesIn(...expressions: (string | undefined)[]): Record<string, string> | undefined {
  const names: Record<string, string> = {}
  for (const e of expressions) for (const m of (e ?? '').matchAll(/#([A-Za-z0-9_]+)/g)) names[m[0]] = m[1]!
  return Object.keys(names).length ? names : undefined
}

function projectionOf(attrs: string[] | undefined, names: Record<string, string> | undefined) {
  if (!attrs?.length) return { names }
  const all = { ...names }
  // Aliased, since any attribute name may be a reserved word: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ReservedWords.html
  const expr = attrs.map((a, i) => {
    all[`#p${i}`] = a
    return `#p${i}`
  })
  return { names: all, expression: expr.join(', ') }
}

export interface BuildOptions {
  /** Plain-JSON key from a previous page's lastEvaluatedKey. */
  exclusiveStartKey?: Record<string, unknown>
  limit?: number
  /** INDEXES splits the consumed capacity by table and index (cost measurement); TOTAL otherwise. */
  returnConsumedCapacity?: 'TOTAL' | 'INDEXES'
}

/**
 * The exact SDK request a pattern sends, for resolved parameters (see resolveParams). Pure: the same call
 * backs "show me the request", code generation and the runner. A `stream` pattern builds its read step
 * (the index Query its handler runs).
 */
export function buildPatternRequest(
  model: Model,
  patternOrId: AccessPattern | string,
  params: Record<string, ParamValue>,
  options: BuildOptions = {},
): PatternRequest {
  const p = typeof patternOrId === 'string' ? getPattern(model, patternOrId) : patternOrId
  const values = p.values ? fromRow(fill(p.values, params)) : undefined
  const limit = options.limit ?? p.limit
  const startKey = options.exclusiveStartKey ? fromRow(options.exclusiveStartKey, true) : undefined
  switch (p.operation) {
    case 'Query':
    case 'stream': {
      if (!p.keyCondition)
        throw new WorkbenchError('model.invalid', `pattern ${p.id} has no keyCondition`, { pattern: p.id })
      const proj = projectionOf(p.projection, namesIn(p.keyCondition, p.filter))
      const input: QueryCommandInput = { TableName: p.table }
      if (p.index) input.IndexName = p.index
      input.KeyConditionExpression = p.keyCondition
      if (p.filter) input.FilterExpression = p.filter
      if (proj.expression) input.ProjectionExpression = proj.expression
      if (proj.names) input.ExpressionAttributeNames = proj.names
      if (values) input.ExpressionAttributeValues = values
      if (p.direction) input.ScanIndexForward = p.direction !== 'desc'
      if (limit) input.Limit = limit
      if (startKey) input.ExclusiveStartKey = startKey
      input.ReturnConsumedCapacity = options.returnConsumedCapacity ?? 'TOTAL'
      return { operation: 'Query', input }
    }
    case 'Scan': {
      const proj = projectionOf(p.projection, namesIn(p.filter))
      const input: ScanCommandInput = { TableName: p.table }
      if (p.index) input.IndexName = p.index
      if (p.filter) input.FilterExpression = p.filter
      if (proj.expression) input.ProjectionExpression = proj.expression
      if (proj.names) input.ExpressionAttributeNames = proj.names
      if (values) input.ExpressionAttributeValues = values
      if (limit) input.Limit = limit
      if (startKey) input.ExclusiveStartKey = startKey
      input.ReturnConsumedCapacity = options.returnConsumedCapacity ?? 'TOTAL'
      return { operation: 'Scan', input }
    }
    case 'GetItem': {
      const proj = projectionOf(p.projection, undefined)
      const input: GetItemCommandInput = { TableName: p.table, Key: fromRow(fill(p.key ?? {}, params), true) }
      if (proj.expression) {
        input.ProjectionExpression = proj.expression
        input.ExpressionAttributeNames = proj.names
      }
      input.ReturnConsumedCapacity = options.returnConsumedCapacity ?? 'TOTAL'
      return { operation: 'GetItem', input }
    }
    case 'DeleteItem':
      return {
        operation: 'DeleteItem',
        input: {
          TableName: p.table,
          Key: fromRow(fill(p.key ?? {}, params), true),
          ReturnValues: 'ALL_OLD',
          ReturnConsumedCapacity: options.returnConsumedCapacity ?? 'TOTAL',
        },
      }
    case 'PutItem':
      return {
        operation: 'PutItem',
        input: {
          TableName: p.table,
          Item: fromRow(fill(p.item ?? {}, params)),
          ReturnConsumedCapacity: options.returnConsumedCapacity ?? 'TOTAL',
        },
      }
  }
}

export interface ExpectationResult {
  name: string
  held: boolean
  detail: string
}

/** Checks a run against the pattern's stated expectations (served by, order, item count). */
export function evaluateExpectations(
  pattern: AccessPattern,
  run: {
    operation: PatternRequest['operation']
    items: Record<string, unknown>[]
    /** The index the request named (undefined: the table). */
    index?: string
    /** Capacity units the call consumed, when the connection reported them. */
    capacityUnits?: number
  },
): ExpectationResult[] {
  const e = pattern.expectations
  if (!e) return []
  const out: ExpectationResult[] = []
  if (e.servedBy)
    out.push({
      name: `served by ${e.servedBy}`,
      held: run.operation === e.servedBy,
      detail:
        run.operation === e.servedBy
          ? `sent a ${run.operation}`
          : `sent a ${run.operation}, not a ${e.servedBy}`,
    })
  if (e.orderBy) {
    const { attribute, direction } = e.orderBy
    let bad = -1
    for (let i = 1; i < run.items.length && bad < 0; i++) {
      const a = run.items[i - 1]![attribute] as string | number | undefined
      const b = run.items[i]![attribute] as string | number | undefined
      if (a === undefined || b === undefined) bad = i
      else if (direction === 'asc' ? a > b : a < b) bad = i
    }
    out.push({
      name: `ordered by ${attribute} ${direction}`,
      held: bad < 0,
      detail:
        bad < 0
          ? `${run.items.length} items in order`
          : `item ${bad} is out of order (or lacks ${attribute})`,
    })
  }
  if (e.maxItems !== undefined)
    out.push({
      name: `at most ${e.maxItems} items`,
      held: run.items.length <= e.maxItems,
      detail: `${run.items.length} items`,
    })
  if (e.index !== undefined) {
    const want = e.index ?? 'the table'
    const got = run.index ?? 'the table'
    out.push({ name: `uses ${want}`, held: want === got, detail: `sent to ${got}` })
  }
  if (e.count !== undefined)
    out.push({
      name: `exactly ${e.count} items`,
      held: run.items.length === e.count,
      detail: `${run.items.length} items`,
    })
  if (e.items) {
    const want = e.items
    const bad = want.findIndex((w, i) => {
      const got = run.items[i]
      return !got || Object.entries(w).some(([k, v]) => stringifyExactJson(got[k]) !== stringifyExactJson(v))
    })
    const held = bad < 0 && run.items.length === want.length
    out.push({
      name: `exactly the ${want.length} listed items, in order`,
      held,
      detail: held
        ? `${want.length} items as listed`
        : bad >= 0
          ? `item ${bad} is ${run.items[bad] ? stringifyExactJson(run.items[bad]) : 'missing'}, not ${stringifyExactJson(want[bad])}`
          : `${run.items.length} items, not ${want.length}`,
    })
  }
  if (e.maxCapacityUnits !== undefined)
    out.push({
      name: `at most ${e.maxCapacityUnits} capacity units`,
      held: run.capacityUnits !== undefined && run.capacityUnits <= e.maxCapacityUnits,
      detail:
        run.capacityUnits === undefined
          ? 'the connection reported no consumed capacity'
          : `consumed ${run.capacityUnits}`,
    })
  return out
}
