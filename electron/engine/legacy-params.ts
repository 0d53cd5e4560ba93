/**
 * The pre-expression ("legacy") request parameters, translated into the expression parameters the engine speaks:
 * KeyConditions, QueryFilter, ScanFilter, Expected, AttributeUpdates and ConditionalOperator. AttributesToGet is
 * left in place (data-plane.ts reads it as a projection); only its mixing with expressions is checked here.
 *
 * Validation happens before translation and words its errors as DynamoDB Local 3.3.1 does, so no error can name
 * a generated placeholder. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.html
 */
import { type EngineState, requireIndex, requireTable } from './engine-state'
import { UPDATE_MESSAGES } from './expressions'
import { asObject, optArray, optBool, optEnum, optInt, optObject, optString, type Req } from './request-shape'
import { checkItemKeys, checkKeyAttributes, type KeySchema } from './table'
import type { AttributeValue } from './types'
import { DynamoError, validation } from './types'
import { compareAttributeValues, typeOf, validateAttributeValue, validateItem } from './values'

type Operation = 'Query' | 'Scan' | 'PutItem' | 'DeleteItem' | 'UpdateItem'

/** Per operation, in the order DynamoDB lists them in its "Can not use both" message. */
const NON_EXPRESSION: Record<Operation, readonly string[]> = {
  Query: ['AttributesToGet', 'QueryFilter', 'ConditionalOperator', 'KeyConditions'],
  Scan: ['AttributesToGet', 'ScanFilter', 'ConditionalOperator'],
  PutItem: ['Expected', 'ConditionalOperator'],
  DeleteItem: ['Expected', 'ConditionalOperator'],
  UpdateItem: ['AttributeUpdates', 'Expected', 'ConditionalOperator'],
}
const EXPRESSION: Record<Operation, readonly string[]> = {
  Query: ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'],
  Scan: ['ProjectionExpression', 'FilterExpression'],
  PutItem: ['ConditionExpression'],
  DeleteItem: ['ConditionExpression'],
  UpdateItem: ['UpdateExpression', 'ConditionExpression'],
}
/** The expressions that take values (named in "ExpressionAttributeValues can only be specified"). */
const VALUE_EXPRESSION: Record<Operation, readonly string[]> = {
  Query: ['FilterExpression', 'KeyConditionExpression'],
  Scan: ['FilterExpression'],
  PutItem: ['ConditionExpression'],
  DeleteItem: ['ConditionExpression'],
  UpdateItem: ['UpdateExpression', 'ConditionExpression'],
}

export const COMPARISON_OPERATORS = [
  'EQ',
  'NE',
  'LE',
  'LT',
  'GE',
  'GT',
  'NOT_NULL',
  'NULL',
  'CONTAINS',
  'NOT_CONTAINS',
  'BEGINS_WITH',
  'IN',
  'BETWEEN',
] as const
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number]

const SCALARS = ['S', 'N', 'B']
const NOT_COLLECTIONS = ['S', 'N', 'B', 'BOOL', 'NULL']

/**
 * AttributeValueList arity and the value types each operator takes.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Condition.html
 * EQ and NE take any type; CONTAINS takes BOOL and NULL too (DynamoDB Local 3.3.1), never a set, list or map.
 */
const OPERATOR_RULES: Record<
  ComparisonOperator,
  { arity: (n: number) => boolean; types?: readonly string[] }
> = {
  EQ: { arity: (n) => n === 1 },
  NE: { arity: (n) => n === 1 },
  LE: { arity: (n) => n === 1, types: SCALARS },
  LT: { arity: (n) => n === 1, types: SCALARS },
  GE: { arity: (n) => n === 1, types: SCALARS },
  GT: { arity: (n) => n === 1, types: SCALARS },
  NOT_NULL: { arity: (n) => n === 0 },
  NULL: { arity: (n) => n === 0 },
  CONTAINS: { arity: (n) => n === 1, types: NOT_COLLECTIONS },
  NOT_CONTAINS: { arity: (n) => n === 1, types: NOT_COLLECTIONS },
  BEGINS_WITH: { arity: (n) => n === 1, types: ['S', 'B'] },
  IN: { arity: (n) => n >= 1, types: SCALARS },
  BETWEEN: { arity: (n) => n === 2, types: SCALARS },
}

/** The expression language takes at most 100 IN operands; a longer legacy IN list is split into ORed INs. */
const IN_CHUNK = 100

/** One parsed legacy condition on a top-level attribute. */
export interface LegacyCondition {
  attribute: string
  op: ComparisonOperator
  values: AttributeValue[]
}

const present = (req: Req, name: string) => req[name] !== undefined && req[name] !== null

const invalid = (message: string) => validation(`One or more parameter values were invalid: ${message}`)

function isOperation(operation: string): operation is Operation {
  return Object.hasOwn(NON_EXPRESSION, operation)
}

/**
 * Runs one operation, translating its legacy parameters first. UpdateItem's AttributeUpdates report a type clash
 * with the stored value as "Type mismatch for attribute to update" (DynamoDB Local 3.3.1), not as the update
 * expression's operand error.
 */
export function withLegacyParameters<T>(
  operation: string,
  request: Req,
  state: EngineState,
  run: (req: Req) => T,
): T {
  const req = withoutForeignMembers(operation, request)
  if (!isOperation(operation) || !NON_EXPRESSION[operation].some((n) => present(req, n))) return run(req)
  const translated = translateLegacy(operation, req, state)
  if (!present(req, 'AttributeUpdates')) return run(translated)
  try {
    return run(translated)
  } catch (err) {
    if (err instanceof DynamoError && err.message === UPDATE_MESSAGES.wrongType) {
      throw validation('Type mismatch for attribute to update')
    }
    throw err
  }
}

/** Every legacy member the engine translates (AttributesToGet is read by data-plane.ts where it belongs). */
const LEGACY_MEMBERS = [
  'KeyConditions',
  'QueryFilter',
  'ScanFilter',
  'Expected',
  'AttributeUpdates',
  'ConditionalOperator',
]

function omit(req: Req, names: readonly string[]): Req {
  if (!names.some((n) => n in req)) return req
  const out = { ...req }
  for (const n of names) delete out[n]
  return out
}

/**
 * DynamoDB ignores members an operation does not have, legacy ones included (a Scan's KeyConditions, a GetItem's
 * Expected, a BatchGetItem entry's Expected: DynamoDB Local 3.3.1), so they are dropped before the operation runs.
 */
function withoutForeignMembers(operation: string, req: Req): Req {
  if (operation === 'BatchGetItem') {
    const items = req.RequestItems
    if (!items || typeof items !== 'object' || Array.isArray(items)) return req
    let changed = false
    const stripped: Req = {}
    for (const [name, entry] of Object.entries(items as Req)) {
      const next =
        entry && typeof entry === 'object' && !Array.isArray(entry)
          ? omit(entry as Req, LEGACY_MEMBERS)
          : entry
      changed ||= next !== entry
      stripped[name] = next
    }
    return changed ? { ...req, RequestItems: stripped } : req
  }
  if (operation !== 'GetItem' && !isOperation(operation)) return req
  const own = operation === 'GetItem' ? [] : NON_EXPRESSION[operation]
  return omit(
    req,
    LEGACY_MEMBERS.filter((n) => !own.includes(n)),
  )
}

/** Requests whose expressions were all generated here: DynamoDB's expression size limit does not apply to them. */
const generated = new WeakSet<Req>()

export function translatedFromLegacy(req: Req): boolean {
  return generated.has(req)
}

/** Placeholders for the generated expressions, chosen so they cannot clash with the caller's own. */
class Placeholders {
  readonly names: Record<string, string> = {}
  readonly values: Record<string, AttributeValue> = {}
  private readonly byName = new Map<string, string>()
  private readonly prefix: string
  private count = 0

  constructor(req: Req) {
    const taken = [
      ...Object.keys(optObject(req, 'ExpressionAttributeNames') ?? {}),
      ...Object.keys(optObject(req, 'ExpressionAttributeValues') ?? {}),
    ].map((k) => k.slice(1))
    let prefix = 'legacy'
    while (taken.some((k) => k.startsWith(prefix))) prefix += '_'
    this.prefix = prefix
  }

  name(attribute: string): string {
    let p = this.byName.get(attribute)
    if (p === undefined) {
      p = `#${this.prefix}${this.byName.size}`
      this.byName.set(attribute, p)
      this.names[p] = attribute
    }
    return p
  }

  value(v: AttributeValue): string {
    const p = `:${this.prefix}${this.count++}`
    this.values[p] = v
    return p
  }
}

/**
 * Checks the legacy members of a request and returns a copy speaking expressions instead (AttributesToGet kept).
 * Throws DynamoDB's ValidationException for anything DynamoDB refuses.
 */
export function translateLegacy(operation: Operation, req: Req, state: EngineState): Req {
  // The order of the checks is DynamoDB Local 3.3.1's, as far as requests with two faults show it: the table and
  // index first, then the mix of parameters, then (Put/Update) return values and the key, then the conditions.
  const table = requireTable(state, optString(req, 'TableName'))
  const indexName = operation === 'Query' ? optString(req, 'IndexName') : undefined
  const keySchema: KeySchema = indexName === undefined ? table.schema : requireIndex(table, indexName).schema
  if (operation === 'Query') checkLimit(req)
  checkMixing(operation, req)
  if (operation === 'PutItem' || operation === 'UpdateItem') checkReturnValues(operation, req)
  if (operation === 'PutItem' && present(req, 'Item'))
    checkItemKeys(table, validateItem(req.Item, { field: 'item' }))
  if (operation === 'UpdateItem' && present(req, 'Key')) {
    checkKeyAttributes(table, validateItem(req.Key, { field: 'key' }), true)
  }
  const out: Req = { ...req }
  for (const n of NON_EXPRESSION[operation]) if (n !== 'AttributesToGet') delete out[n]
  const ph = new Placeholders(req)

  if (operation === 'Query') {
    const keyConditions = optObject(req, 'KeyConditions')
    if (keyConditions) {
      const keys = readKeyConditionMap(keyConditions)
      out.KeyConditionExpression = keyConditionExpression(keys, keySchema, table.attributeTypes, ph)
    }
    const filter = readConditionMap(req, 'QueryFilter')
    checkConditionalOperator(req, filter)
    if (filter) {
      for (const c of filter) {
        if (c.attribute === keySchema.hash || c.attribute === keySchema.range) {
          throw validation(
            `QueryFilter can only contain non-primary key attributes: Primary key attribute: ${c.attribute}`,
          )
        }
      }
      if (filter.length > 0) out.FilterExpression = conditionExpression(filter, req, ph)
    }
  } else if (operation === 'Scan') {
    const filter = readConditionMap(req, 'ScanFilter')
    checkConditionalOperator(req, filter)
    if (filter && filter.length > 0) out.FilterExpression = conditionExpression(filter, req, ph)
  } else {
    const expected = readExpected(req)
    checkConditionalOperator(req, expected)
    if (operation === 'UpdateItem') {
      const update = readAttributeUpdates(req, table.schema, ph)
      if (update) out.UpdateExpression = update
    }
    if (expected && expected.length > 0) out.ConditionExpression = conditionExpression(expected, req, ph)
  }
  if (operation === 'Query' || operation === 'Scan') checkSelect(req)

  if (Object.keys(ph.names).length > 0) {
    out.ExpressionAttributeNames = { ...(optObject(req, 'ExpressionAttributeNames') ?? {}), ...ph.names }
  }
  if (Object.keys(ph.values).length > 0) {
    out.ExpressionAttributeValues = { ...(optObject(req, 'ExpressionAttributeValues') ?? {}), ...ph.values }
  }
  // A Query's own FilterExpression/ProjectionExpression beside KeyConditions keep the limit.
  if (!EXPRESSION[operation].some((n) => present(req, n))) generated.add(out)
  return out
}

function checkLimit(req: Req): void {
  const limit = optInt(req, 'Limit')
  if (limit !== undefined && limit < 1) {
    throw validation(
      `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`,
    )
  }
}

const RETURN_VALUES = ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'] as const

/** As data-plane.ts words them: PutItem takes NONE and ALL_OLD only. */
function checkReturnValues(operation: 'PutItem' | 'UpdateItem', req: Req): void {
  const value = optEnum(req, 'ReturnValues', RETURN_VALUES)
  if (operation === 'PutItem' && value !== undefined && value !== 'NONE' && value !== 'ALL_OLD') {
    throw validation('Return values set to invalid value')
  }
}

/** AttributesToGet is a projection: Select may only be SPECIFIC_ATTRIBUTES beside it (worded for AttributesToGet). */
function checkSelect(req: Req): void {
  const select = optString(req, 'Select')
  if (!present(req, 'AttributesToGet') || select === undefined || select === 'SPECIFIC_ATTRIBUTES') return
  if (['COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'].includes(select)) {
    throw validation(
      `Cannot specify the AttributesToGet when choosing to get ${select === 'COUNT' ? 'only the Count' : select}`,
    )
  }
}

/**
 * Legacy and expression members may not meet in one request, except that a Query's KeyConditions combine with
 * FilterExpression and ProjectionExpression (DynamoDB Local 3.3.1; dynalite records the same of DynamoDB).
 */
function checkMixing(operation: Operation, req: Req): void {
  const expressions = EXPRESSION[operation].filter((n) => present(req, n))
  const legacy = NON_EXPRESSION[operation].filter(
    (n) => present(req, n) && (n !== 'KeyConditions' || present(req, 'KeyConditionExpression')),
  )
  if (expressions.length > 0 && legacy.length > 0) {
    throw validation(
      `Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${legacy.join(', ')}} Expression parameters: {${expressions.join(', ')}}`,
    )
  }
  if (expressions.length === 0 && present(req, 'ExpressionAttributeNames')) {
    throw validation('ExpressionAttributeNames can only be specified when using expressions')
  }
  const valueExpressions = VALUE_EXPRESSION[operation]
  if (present(req, 'ExpressionAttributeValues') && !valueExpressions.some((n) => present(req, n))) {
    throw validation(
      `ExpressionAttributeValues can only be specified when using expressions: ${valueExpressions.join(' and ')} ${valueExpressions.length > 1 ? 'are' : 'is'} null`,
    )
  }
}

function checkAttributeName(name: string): void {
  if (name === '') throw validation('Empty attribute name')
}

function readOperator(raw: unknown): ComparisonOperator {
  if (typeof raw !== 'string' || !(COMPARISON_OPERATORS as readonly string[]).includes(raw)) {
    throw validation('Comparison type does not exist in DynamoDB')
  }
  return raw as ComparisonOperator
}

function readValueList(entry: Req): AttributeValue[] {
  return (optArray(entry, 'AttributeValueList') ?? []).map((v, i) => validateAttributeValue(v, i))
}

/** Arity, one type throughout, the operator's types, and BETWEEN's order, in DynamoDB Local's order. */
export function checkOperands(op: ComparisonOperator, values: AttributeValue[]): void {
  const rule = OPERATOR_RULES[op]
  if (!rule.arity(values.length)) {
    throw invalid(`Invalid number of argument(s) for the ${op} ComparisonOperator`)
  }
  const first = values[0]
  if (first === undefined) return
  const type = typeOf(first)
  if (values.some((v) => typeOf(v) !== type)) {
    throw invalid('AttributeValues inside AttributeValueList must be of same type')
  }
  if (rule.types && !rule.types.includes(type)) {
    throw invalid(`ComparisonOperator ${op} is not valid for ${type} AttributeValue type`)
  }
  if (op === 'BETWEEN' && compareAttributeValues(first, values[1] as AttributeValue) > 0) {
    throw validation(
      'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound',
    )
  }
}

/** A Condition map (QueryFilter, ScanFilter, KeyConditions). */
function readConditions(map: Req): LegacyCondition[] {
  const out: LegacyCondition[] = []
  for (const [attribute, raw] of Object.entries(map)) {
    checkAttributeName(attribute)
    const entry = asObject(raw, 'Condition')
    const op = readOperator(entry.ComparisonOperator)
    const values = readValueList(entry)
    checkOperands(op, values)
    out.push({ attribute, op, values })
  }
  return out
}

function readConditionMap(req: Req, member: string): LegacyCondition[] | undefined {
  const map = optObject(req, member)
  return map ? readConditions(map) : undefined
}

function readKeyConditionMap(map: Req): LegacyCondition[] {
  const size = Object.keys(map).length
  if (size === 0) throw validation('Conditions must be at least length 1')
  if (size > 2) throw validation('Conditions can be of length 1 or 2 only')
  return readConditions(map)
}

/** https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.ConditionalOperator.html */
function checkConditionalOperator(req: Req, conditions: LegacyCondition[] | undefined): void {
  const op = optString(req, 'ConditionalOperator')
  if (op === undefined) return
  if (!conditions || conditions.length === 0) {
    throw validation('ConditionalOperator cannot be used without Filter or Expected')
  }
  if (conditions.length < 2) {
    throw validation('ConditionalOperator can only be used when Filter or Expected has two or more elements')
  }
  // DynamoDB Local 3.3.1 fails here with a 500; the enum order is dynalite's record of DynamoDB (validations/scan.js).
  if (op !== 'AND' && op !== 'OR') {
    throw validation(
      `1 validation error detected: Value '${op}' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]`,
    )
  }
}

/**
 * Expected: either the Value/Exists form or the ComparisonOperator form, never both.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExpectedAttributeValue.html
 */
function readExpected(req: Req): LegacyCondition[] | undefined {
  const map = optObject(req, 'Expected')
  if (!map) return undefined
  const out: LegacyCondition[] = []
  for (const [attribute, raw] of Object.entries(map)) {
    checkAttributeName(attribute)
    const entry = asObject(raw, 'ExpectedAttributeValue')
    const exists = optBool(entry, 'Exists')
    const value = present(entry, 'Value') ? validateAttributeValue(entry.Value, 'Value') : undefined
    const hasList = present(entry, 'AttributeValueList')
    if (present(entry, 'ComparisonOperator')) {
      if (exists !== undefined) {
        throw invalid(`Exists and ComparisonOperator cannot be used together for Attribute: ${attribute}`)
      }
      if (value && hasList) {
        throw invalid(`Value and AttributeValueList cannot be used together for Attribute: ${attribute}`)
      }
      const op = readOperator(entry.ComparisonOperator)
      if (op !== 'NULL' && op !== 'NOT_NULL' && !value && !hasList) {
        throw invalid(
          `Value or AttributeValueList must be used with ComparisonOperator: ${op} for Attribute: ${attribute}`,
        )
      }
      const values = value ? [value] : readValueList(entry)
      checkOperands(op, values)
      out.push({ attribute, op, values })
      continue
    }
    if (value && hasList) {
      throw invalid(`Value and AttributeValueList cannot be used together for Attribute: ${attribute}`)
    }
    if (hasList) {
      throw invalid(
        `AttributeValueList can only be used with a ComparisonOperator for Attribute: ${attribute}`,
      )
    }
    if (exists === false) {
      if (value) throw invalid(`Value cannot be used when Exists is false for Attribute: ${attribute}`)
      out.push({ attribute, op: 'NULL', values: [] })
    } else {
      if (!value) {
        throw invalid(
          `Value must be provided when Exists is ${exists === undefined ? 'null' : 'true'} for Attribute: ${attribute}`,
        )
      }
      out.push({ attribute, op: 'EQ', values: [value] })
    }
  }
  return out
}

/** One legacy condition as an expression over placeholders. */
export function conditionText(c: LegacyCondition, ph: Placeholders): string {
  const a = ph.name(c.attribute)
  const v = (i: number) => ph.value(c.values[i] as AttributeValue)
  switch (c.op) {
    case 'EQ':
      return `${a} = ${v(0)}`
    case 'NE':
      return `${a} <> ${v(0)}`
    case 'LE':
      return `${a} <= ${v(0)}`
    case 'LT':
      return `${a} < ${v(0)}`
    case 'GE':
      return `${a} >= ${v(0)}`
    case 'GT':
      return `${a} > ${v(0)}`
    case 'NOT_NULL':
      return `attribute_exists(${a})`
    case 'NULL':
      return `attribute_not_exists(${a})`
    case 'CONTAINS':
      return `contains(${a}, ${v(0)})`
    case 'NOT_CONTAINS':
      // A missing attribute does not pass NOT_CONTAINS (DynamoDB Local 3.3.1), unlike NOT contains(...).
      return `(attribute_exists(${a}) AND NOT contains(${a}, ${v(0)}))`
    case 'BEGINS_WITH':
      return `begins_with(${a}, ${v(0)})`
    case 'BETWEEN':
      return `${a} BETWEEN ${v(0)} AND ${v(1)}`
    case 'IN': {
      const chunks: string[] = []
      for (let i = 0; i < c.values.length; i += IN_CHUNK) {
        const list = c.values.slice(i, i + IN_CHUNK).map((x) => ph.value(x))
        chunks.push(`${a} IN (${list.join(', ')})`)
      }
      return chunks.length === 1 ? (chunks[0] as string) : `(${chunks.join(' OR ')})`
    }
  }
}

function conditionExpression(conditions: LegacyCondition[], req: Req, ph: Placeholders): string {
  const joiner = optString(req, 'ConditionalOperator') === 'OR' ? ' OR ' : ' AND '
  const parts = conditions.map((c) => conditionText(c, ph))
  return parts.length === 1 ? (parts[0] as string) : parts.map((p) => `(${p})`).join(joiner)
}

const SORT_KEY_OPERATORS: readonly ComparisonOperator[] = [
  'EQ',
  'LE',
  'LT',
  'GE',
  'GT',
  'BEGINS_WITH',
  'BETWEEN',
]

/**
 * KeyConditions: EQ on the partition key, optionally one indexable condition on the sort key. Checked in the
 * order DynamoDB Local 3.3.1 reports them (types against the schema are checked later by the Query itself).
 */
function keyConditionExpression(
  conditions: LegacyCondition[],
  schema: KeySchema,
  types: ReadonlyMap<string, string>,
  ph: Placeholders,
): string {
  const hash = conditions.find((c) => c.attribute === schema.hash)
  if (hash) {
    if (hash.op === 'NULL' || hash.op === 'NOT_NULL') {
      throw validation('Only scalar types can be used as Hash Key values')
    }
    if (hash.op !== 'EQ') throw validation('Query key condition not supported')
  }
  // Real DynamoDB names the missing element; DynamoDB Local omits it (KNOWN-DIFFERENCES.md, msg-missed-key).
  if (!hash) throw validation(`Query condition missed key schema element: ${schema.hash}`)
  if (conditions.some((c) => c.attribute !== schema.hash && c.attribute !== schema.range)) {
    if (schema.range === undefined) throw validation('Query key condition not supported')
    throw validation(`Query condition missed key schema element: ${schema.range}`)
  }
  const range = conditions.find((c) => c.attribute === schema.range)
  if (range) {
    if (range.op === 'NULL' || range.op === 'NOT_NULL') {
      throw validation('Only scalar types can be used as Range Key values')
    }
    // NE included: DynamoDB Local 3.3.1 fails on it with a 500, dynalite records this message (actions/query.js).
    if (!SORT_KEY_OPERATORS.includes(range.op)) {
      throw validation('Attempted conditional constraint is not an indexable operation')
    }
  }
  const terms = [hash, range].filter((c): c is LegacyCondition => c !== undefined)
  // Checked here rather than by the Query, because DynamoDB Local reports it before any QueryFilter fault.
  for (const c of terms) {
    const type = types.get(c.attribute)
    if (type !== undefined && c.values.some((v) => !(type in v))) {
      throw invalid('Condition parameter type does not match schema type')
    }
  }
  return terms.map((c) => conditionText(c, ph)).join(' AND ')
}

const ACTIONS = ['ADD', 'DELETE', 'PUT']
/** The type names DynamoDB Local's AttributeUpdates messages use. */
const TYPE_NAMES: Record<string, string> = {
  S: 'STRING',
  N: 'NUMBER',
  B: 'BINARY',
  BOOL: 'BOOLEAN',
  NULL: 'NULL',
  M: 'MAP',
  L: 'LIST',
  SS: 'STRING_SET',
  NS: 'NUMBER_SET',
  BS: 'BINARY_SET',
}

/**
 * AttributeUpdates as an UpdateExpression. PUT is SET; DELETE without a value is REMOVE and with a set is DELETE;
 * ADD of a number or set is ADD, and ADD of a list appends (creating the list if missing).
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValueUpdate.html
 */
function readAttributeUpdates(req: Req, schema: KeySchema, ph: Placeholders): string | undefined {
  const map = optObject(req, 'AttributeUpdates')
  if (!map) return undefined
  const set: string[] = []
  const remove: string[] = []
  const add: string[] = []
  const del: string[] = []
  for (const [attribute, raw] of Object.entries(map)) {
    checkAttributeName(attribute)
    const entry = asObject(raw, 'AttributeValueUpdate')
    // Key attributes cannot be updated: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html
    if (attribute === schema.hash || attribute === schema.range) {
      throw invalid(`Cannot update attribute ${attribute}. This attribute is part of the key`)
    }
    const action = optString(entry, 'Action') ?? 'PUT'
    if (!ACTIONS.includes(action)) throw validation('Member must satisfy enum value set: [ADD, DELETE, PUT]')
    const value = present(entry, 'Value') ? validateAttributeValue(entry.Value, 'Value') : undefined
    const a = ph.name(attribute)
    if (!value) {
      if (action !== 'DELETE') {
        throw invalid('Only DELETE action is allowed when no attribute value is specified')
      }
      remove.push(a)
      continue
    }
    const type = typeOf(value)
    if (action === 'PUT') {
      set.push(`${a} = ${ph.value(value)}`)
    } else if (action === 'ADD') {
      if (type === 'L') {
        set.push(`${a} = list_append(if_not_exists(${a}, ${ph.value({ L: [] })}), ${ph.value(value)})`)
      } else if (type === 'N' || type === 'SS' || type === 'NS' || type === 'BS') {
        add.push(`${a} ${ph.value(value)}`)
      } else {
        throw invalid(`ADD action is not supported for the type ${TYPE_NAMES[type] ?? type}`)
      }
    } else {
      if (type !== 'SS' && type !== 'NS' && type !== 'BS') {
        throw invalid(`DELETE action with value is not supported for the type ${TYPE_NAMES[type] ?? type}`)
      }
      del.push(`${a} ${ph.value(value)}`)
    }
  }
  const clauses: string[] = []
  if (set.length > 0) clauses.push(`SET ${set.join(', ')}`)
  if (remove.length > 0) clauses.push(`REMOVE ${remove.join(', ')}`)
  if (add.length > 0) clauses.push(`ADD ${add.join(', ')}`)
  if (del.length > 0) clauses.push(`DELETE ${del.join(', ')}`)
  return clauses.length > 0 ? clauses.join(' ') : undefined
}

export { Placeholders }
