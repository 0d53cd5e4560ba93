/**
 * Key conditions: equality on the partition key, and at most one of = < <= > >= BETWEEN begins_with on the sort key.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html#DDB-Query-request-KeyConditionExpression
 */
import type { AttributeValue, ScalarAttributeType } from '../types'
import { validation } from '../types'
import { compareAttributeValues, decodeBinary } from '../values'
import type { Condition, KeyConditionAst, Operand } from './ast'

export interface KeySchemaNames {
  hash: string
  range?: string
  /** Attribute types from AttributeDefinitions; when given, values of another type are rejected. */
  hashType?: ScalarAttributeType
  rangeType?: ScalarAttributeType
}

export type SortKeyOp = '=' | '<' | '<=' | '>' | '>=' | 'BETWEEN' | 'BEGINS_WITH'

export interface KeyCondition {
  partition: { attribute: string; value: AttributeValue }
  sort?: { attribute: string; op: SortKeyOp; values: AttributeValue[] }
}

interface KeyTerm {
  attribute: string
  op: SortKeyOp
  values: AttributeValue[]
}

const FLIPPED: Record<string, SortKeyOp> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' }

/** The single key attribute a term names; operands that are values are collected in order. */
function termOf(op: string, operands: Operand[], flipWhenValueFirst: boolean): KeyTerm {
  let attribute: string | undefined
  let attrIndex = 0
  const values: AttributeValue[] = []
  for (const [i, o] of operands.entries()) {
    if (o.kind === 'size') throw validation('KeyConditionExpressions cannot contain nested operations')
    if (o.kind === 'path') {
      if (attribute !== undefined) {
        throw validation(
          'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition',
        )
      }
      if (o.path.length > 1) {
        throw validation(
          `Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: ${String(o.path[0])}`,
        )
      }
      attribute = o.path[0] as string
      attrIndex = i
    } else {
      values.push(o.value)
    }
  }
  if (attribute === undefined)
    throw validation('Invalid condition in KeyConditionExpression: No key attribute specified')
  const finalOp = flipWhenValueFirst && attrIndex !== 0 ? FLIPPED[op]! : (op as SortKeyOp)
  return { attribute, op: finalOp, values }
}

function collect(c: Condition, terms: KeyTerm[]): void {
  switch (c.kind) {
    case 'and':
      collect(c.left, terms)
      collect(c.right, terms)
      return
    case 'or':
    case 'not':
    case 'in':
      throw validation(`Invalid operator used in KeyConditionExpression: ${c.kind.toUpperCase()}`)
    case 'attribute_exists':
    case 'attribute_not_exists':
    case 'attribute_type':
    case 'contains':
      throw validation(`Invalid operator used in KeyConditionExpression: ${c.kind}`)
    case 'compare':
      if (c.op === '<>') throw validation('Invalid operator used in KeyConditionExpression: <>')
      terms.push(termOf(c.op, [c.left, c.right], true))
      return
    case 'between':
      if (c.operand.kind !== 'path') {
        throw validation(
          'Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand',
        )
      }
      terms.push(termOf('BETWEEN', [c.operand, c.low, c.high], false))
      return
    case 'begins_with':
      if (c.left.kind !== 'path') {
        throw validation(
          'Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand',
        )
      }
      terms.push(termOf('BEGINS_WITH', [c.left, c.right], false))
      return
  }
}

/**
 * The terms of a key condition, one attribute each, unchecked against a key schema: a GSI with a multi-attribute
 * key checks them against its own rules (data-plane.ts).
 */
export function keyConditionTerms(
  ast: KeyConditionAst,
): { attribute: string; op: SortKeyOp; values: AttributeValue[] }[] {
  const terms: KeyTerm[] = []
  collect(ast, terms)
  return terms
}

const TYPE_MISMATCH =
  'One or more parameter values were invalid: Condition parameter type does not match schema type'

export function toKeyCondition(ast: KeyConditionAst, schema: KeySchemaNames): KeyCondition {
  const terms: KeyTerm[] = []
  collect(ast, terms)
  const byName = new Map<string, KeyTerm>()
  for (const t of terms) {
    if (byName.has(t.attribute))
      throw validation('KeyConditionExpressions must only contain one condition per key')
    byName.set(t.attribute, t)
  }
  const hash = byName.get(schema.hash)
  // Real DynamoDB names the missing element; DynamoDB Local omits it (see KNOWN-DIFFERENCES.md).
  if (!schema.range && terms.length > 1) throw validation('Query key condition not supported')
  if (!hash) throw validation(`Query condition missed key schema element: ${schema.hash}`)
  const range = schema.range ? byName.get(schema.range) : undefined
  if (terms.length > 1 && !range)
    throw validation(`Query condition missed key schema element: ${schema.range}`)
  const checkType = (t: KeyTerm, type: ScalarAttributeType | undefined) => {
    if (type && t.values.some((v) => !(type in v))) throw validation(TYPE_MISMATCH)
  }
  checkType(hash, schema.hashType)
  if (hash.op !== '=') throw validation('Query key condition not supported')
  const out: KeyCondition = { partition: { attribute: hash.attribute, value: hash.values[0]! } }
  if (range) {
    checkType(range, schema.rangeType)
    if (range.op === 'BEGINS_WITH' && range.values.some((v) => !('S' in v) && !('B' in v))) {
      throw validation(TYPE_MISMATCH)
    }
    out.sort = { attribute: range.attribute, op: range.op, values: range.values }
  }
  return out
}

function startsWith(v: AttributeValue, prefix: AttributeValue): boolean {
  if ('S' in v && 'S' in prefix) return v.S.startsWith(prefix.S)
  if ('B' in v && 'B' in prefix) {
    const a = decodeBinary(v.B)
    const b = decodeBinary(prefix.B)
    return b.length <= a.length && a.subarray(0, b.length).equals(b)
  }
  return false
}

export function sortKeyMatches(kc: KeyCondition, sortValue: AttributeValue | undefined): boolean {
  const sort = kc.sort
  if (!sort) return true
  if (sortValue === undefined) return false
  const [a, b] = sort.values as [AttributeValue, AttributeValue]
  if (Object.keys(a)[0] !== Object.keys(sortValue)[0]) return false
  switch (sort.op) {
    case '=':
      return compareAttributeValues(sortValue, a) === 0
    case '<':
      return compareAttributeValues(sortValue, a) < 0
    case '<=':
      return compareAttributeValues(sortValue, a) <= 0
    case '>':
      return compareAttributeValues(sortValue, a) > 0
    case '>=':
      return compareAttributeValues(sortValue, a) >= 0
    case 'BETWEEN':
      return compareAttributeValues(sortValue, a) >= 0 && compareAttributeValues(sortValue, b) <= 0
    case 'BEGINS_WITH':
      return startsWith(sortValue, a)
  }
}

/** Top-level attribute names a condition reads. */
export function conditionAttributeNames(c: Condition, out = new Set<string>()): Set<string> {
  const operand = (o: Operand) => {
    if (o.kind === 'path') out.add(o.path[0] as string)
    else if (o.kind === 'size') operand(o.arg)
  }
  switch (c.kind) {
    case 'and':
    case 'or':
      conditionAttributeNames(c.left, out)
      conditionAttributeNames(c.right, out)
      break
    case 'not':
      conditionAttributeNames(c.condition, out)
      break
    case 'attribute_exists':
    case 'attribute_not_exists':
      if (c.path.length) out.add(c.path[0] as string)
      break
    case 'attribute_type':
      operand(c.operand)
      operand(c.type)
      break
    case 'compare':
    case 'begins_with':
    case 'contains':
      operand(c.left)
      operand(c.right)
      break
    case 'between':
      operand(c.operand)
      operand(c.low)
      operand(c.high)
      break
    case 'in':
      operand(c.operand)
      c.list.forEach(operand)
      break
  }
  return out
}

/**
 * A Query filter may not name the table's (or index's) key attributes.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.FilterExpression.html
 */
export function checkFilterAvoidsKeys(filter: Condition, schema: KeySchemaNames): void {
  const names = conditionAttributeNames(filter)
  for (const key of [schema.hash, schema.range]) {
    if (key !== undefined && names.has(key)) {
      throw validation(
        `Filter Expression can only contain non-primary key attributes: Primary key attribute: ${key}`,
      )
    }
  }
}
