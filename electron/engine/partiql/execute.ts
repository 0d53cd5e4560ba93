/**
 * ExecuteStatement, BatchExecuteStatement and ExecuteTransaction: each statement is parsed (parser.ts), its values
 * bound, and then planned onto the engine's own operations: a SELECT whose WHERE fixes the partition key (equality,
 * IN, or an OR of equalities) runs as one Query per key value, any other as a Scan; INSERT is a PutItem that must
 * not find the item, UPDATE an UpdateItem that must find it, DELETE a DeleteItem. Conditions and updates are built
 * as the expression layer's own trees, so evaluation is shared with the expression API.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.html
 *
 * Messages are DynamoDB Local 3.3.1's where no real-DynamoDB capture was found (tests/conformance/KNOWN-DIFFERENCES.md).
 */
import type { CapacityMode, Consumed } from '../capacity'
import {
  deleteItem,
  getItemOp,
  putItem,
  query,
  scan,
  updateItem,
  withCompiledExpressions,
} from '../data-plane'
import type { EngineState } from '../engine-state'
import type { OperationGroup } from '../operations'
import { requireIndex } from '../engine-state'
import type { Condition, DocPath, Operand, UpdateProgram, UpdateValue } from '../expressions'
import { asObject, optArray, optBool, optEnum, optInt, optString, type Req } from '../request-shape'
import type { TableState } from '../table'
import type { AttributeValue, Item } from '../types'
import { DynamoError, validation } from '../types'
import {
  compareAttributeValues,
  getAttr,
  keyString,
  normalizeNumber,
  setAttr,
  typeOf,
  validateAttributeValue,
} from '../values'
import {
  type Expr,
  parseStatement,
  positionOf,
  type Returning,
  type SelectStatement,
  type Statement,
} from './parser'
import { atomically } from '../storage/journal'
import { clientRequestToken, earlierUse, rememberToken, replay, resetTransactions } from '../transactions'
import { applyTransactGets, applyTransactWrites, type TransactWriteAction } from './transact'

/** https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExecuteStatement.html */
const MAX_STATEMENT = 8192
const MAX_BATCH = 25
const MAX_TRANSACTION = 100
const CAPACITY_MODES = ['INDEXES', 'TOTAL', 'NONE'] as const
const ON_FAILURE = ['ALL_OLD', 'NONE'] as const

const missingTable = () =>
  new DynamoError('ResourceNotFoundException', 'Cannot do operations on a non-existent table')
const keyTypeMismatch = (name: string) =>
  validation(`Key attribute's data type should match its data type in table's schema: Key ${name}`)
const keyEqualityMissing = () =>
  validation('Where clause does not contain a mandatory equality on all key attributes')

interface Bound {
  text: string
  statement: Statement
  params: AttributeValue[]
}

/** Parses the statement and checks its parameters, which are bound in the order their `?` appear. */
function bind(text: string, rawParams: unknown[] | undefined): Bound {
  if (text.length > MAX_STATEMENT) {
    throw validation(
      `1 validation error detected: Value at 'statement' failed to satisfy constraint: Member must have length less than or equal to ${MAX_STATEMENT}`,
    )
  }
  const { statement, params } = parseStatement(text)
  const given = (rawParams ?? []).map((p, i) => validateAttributeValue(p, `parameters.${i + 1}`))
  if (given.length < params) throw validation("Number of parameters in request and statement don't match.")
  return { text, statement, params: given }
}

function tableFor(state: EngineState, name: string): TableState {
  if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(name)) {
    throw validation(
      "Table name should be within the length [3, 255] and only contain 'a-z', 'A-Z', '0-9', '-', '_', '.'.",
    )
  }
  const table = state.tables.get(name)
  if (!table) throw missingTable()
  return table
}

// ---------------------------------------------------------------------------------------------------------------
// Values, paths and conditions

function docPath(e: Expr): DocPath | undefined {
  if (e.k !== 'path') return undefined
  return [e.root, ...e.steps.map((s) => ('name' in s ? s.name : s.index))]
}

function isValueExpr(e: Expr): boolean {
  return ['string', 'number', 'bool', 'null', 'param', 'list', 'tuple', 'bag', 'neg'].includes(e.k)
}

/** A literal, parameter or constructor as an attribute value. */
function valueOf(b: Bound, e: Expr, under = 'root'): AttributeValue {
  switch (e.k) {
    case 'string':
      return { S: e.v }
    case 'number':
      return { N: normalizeNumber(e.v) }
    case 'bool':
      return { BOOL: e.v }
    case 'null':
      return { NULL: true }
    case 'param':
      return b.params[e.i] as AttributeValue
    case 'neg': {
      const v = valueOf(b, e.e, under)
      if (!('N' in v)) throw notValue(b, e)
      return { N: normalizeNumber(v.N.startsWith('-') ? v.N.slice(1) : `-${v.N}`) }
    }
    case 'list':
      return { L: e.items.map((x) => valueOf(b, x, under)) }
    case 'tuple': {
      const m: Record<string, AttributeValue> = {}
      for (const { key, value } of e.entries) {
        const k = key.k === 'param' ? valueOf(b, key) : key.k === 'string' ? { S: key.v } : undefined
        if (!k || !('S' in k)) {
          const actual =
            key.k === 'number'
              ? key.v.includes('.')
                ? 'DECIMAL'
                : 'INT'
              : key.k === 'path'
                ? 'VariableReference'
                : key.k.toUpperCase()
          throw validation(
            `Tuple keys must be of type String. Actual type: ${actual} under ${under} at ${positionOf(b.text, key.tok)}`,
          )
        }
        if (Object.hasOwn(m, k.S))
          throw validation(
            `Duplicate keys in tuple. Key: ${k.S} under ${under} at ${positionOf(b.text, key.tok)}`,
          )
        if (value.k === 'missing') {
          throw validation(
            `Unsupported data type: MISSING under key ${under} at ${positionOf(b.text, value.tok)}`,
          )
        }
        setAttr(m, k.S, valueOf(b, value, k.S))
      }
      return { M: m }
    }
    case 'bag': {
      if (e.items.length === 0)
        throw validation(`Empty bags are not supported at ${positionOf(b.text, e.tok)}`)
      const values = e.items.map((x) => valueOf(b, x, under))
      const type = typeOf(values[0] as AttributeValue)
      if (!values.every((v) => typeOf(v) === type) || (type !== 'S' && type !== 'N' && type !== 'B')) {
        throw validation(
          'Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags',
        )
      }
      const set =
        type === 'S'
          ? { SS: values.map((v) => (v as { S: string }).S) }
          : type === 'N'
            ? { NS: values.map((v) => (v as { N: string }).N) }
            : { BS: values.map((v) => (v as { B: string }).B) }
      // Duplicates and empty members are refused as in any set value.
      return validateAttributeValue(set)
    }
    default:
      throw notValue(b, e)
  }
}

const notValue = (b: Bound, e: Expr) =>
  validation(`Unsupported data type: ${e.k.toUpperCase()} at ${positionOf(b.text, e.tok)}`)

function operand(b: Bound, e: Expr): Operand {
  const path = docPath(e)
  if (path) return { kind: 'path', path }
  if (e.k === 'call' && e.name.toLowerCase() === 'size') {
    if (e.args.length !== 1) throw wrongArgs(e.name)
    return { kind: 'size', arg: operand(b, e.args[0] as Expr) }
  }
  if (e.k === 'call') throw unknownFunction(e.name)
  // ql-operators.html lists + and -, but a WHERE becomes a condition expression, which has no arithmetic: DynamoDB
  // refuses it in these words (DynamoDB Local 3.3.1 runs the same translation; tests/conformance/partiql.test.ts).
  if (e.k === 'arith') throw validation(`Unsupported operator in Condition Expression. Operator: ${e.op}`)
  return { kind: 'value', value: valueOf(b, e) }
}

const unknownFunction = (name: string) => validation(`Unrecognized function: ${name}`)
const wrongArgs = (name: string) => validation(`Incorrect number of arguments for function: ${name}`)

/** A WHERE clause as the expression layer's condition tree. */
function condition(b: Bound, e: Expr): Condition {
  switch (e.k) {
    case 'and':
    case 'or':
      return { kind: e.k, left: condition(b, e.l), right: condition(b, e.r) }
    case 'not':
      return { kind: 'not', condition: condition(b, e.e) }
    case 'cmp':
      return { kind: 'compare', op: e.op, left: operand(b, e.l), right: operand(b, e.r) }
    case 'between':
      return { kind: 'between', operand: operand(b, e.e), low: operand(b, e.lo), high: operand(b, e.hi) }
    case 'in': {
      if (e.list.k !== 'list') throw notWellFormedIn(b)
      return { kind: 'in', operand: operand(b, e.e), list: e.list.items.map((x) => operand(b, x)) }
    }
    case 'is': {
      const path = docPath(e.e)
      if (!path) throw notWellFormedIn(b)
      const c: Condition =
        e.what === 'MISSING'
          ? { kind: 'attribute_not_exists', path }
          : {
              kind: 'attribute_type',
              operand: { kind: 'path', path },
              type: { kind: 'value', value: { S: 'NULL' } },
            }
      return e.not ? { kind: 'not', condition: c } : c
    }
    case 'call': {
      const name = e.name.toLowerCase()
      if (name === 'begins_with' || name === 'contains' || name === 'attribute_type') {
        if (e.args.length !== 2) throw wrongArgs(e.name)
        const [l, r] = e.args.map((x) => operand(b, x)) as [Operand, Operand]
        return name === 'attribute_type'
          ? { kind: 'attribute_type', operand: l, type: r }
          : { kind: name, left: l, right: r }
      }
      throw unknownFunction(e.name)
    }
    default:
      throw notWellFormedIn(b)
  }
}

const notWellFormedIn = (b: Bound) =>
  validation(`Statement wasn't well formed, can't be processed: ${b.text}`)

function conjuncts(e: Expr | undefined): Expr[] {
  if (!e) return []
  return e.k === 'and' ? [...conjuncts(e.l), ...conjuncts(e.r)] : [e]
}

function disjuncts(e: Expr): Expr[] {
  return e.k === 'or' ? [...disjuncts(e.l), ...disjuncts(e.r)] : [e]
}

const isAttr = (e: Expr, name: string) => e.k === 'path' && e.root === name && e.steps.length === 0

/** `name = value` (either way round): the value, else undefined. */
function equalityOn(b: Bound, e: Expr, name: string): AttributeValue | undefined {
  if (e.k !== 'cmp' || e.op !== '=') return undefined
  if (isAttr(e.l, name) && isValueExpr(e.r)) return valueOf(b, e.r)
  if (isAttr(e.r, name) && isValueExpr(e.l)) return valueOf(b, e.l)
  return undefined
}

const and = (conds: Condition[]): Condition | undefined =>
  conds.reduce<Condition | undefined>((acc, c) => (acc ? { kind: 'and', left: acc, right: c } : c), undefined)

/** The primary key a write's WHERE fixes by equalities, and the rest of the clause as a condition. */
function keyFromWhere(
  b: Bound,
  table: TableState,
  where: Expr | undefined,
): { key: Item; rest: Condition[]; extra: number } {
  const names =
    table.schema.range === undefined ? [table.schema.hash] : [table.schema.hash, table.schema.range]
  const key: Item = {}
  const rest: Condition[] = []
  let extra = 0
  for (const c of conjuncts(where)) {
    const name = names.find((n) => key[n] === undefined && equalityOn(b, c, n) !== undefined)
    if (name !== undefined) setAttr(key, name, equalityOn(b, c, name) as AttributeValue)
    else {
      rest.push(condition(b, c))
      extra++
    }
  }
  if (names.some((n) => key[n] === undefined)) throw keyEqualityMissing()
  return { key, rest, extra }
}

/** A DELETE's other conditions apply to an item that exists; deleting a missing item succeeds (DynamoDB Local 3.3.1). */
function deleteCondition(table: TableState, rest: Condition[]): Condition | undefined {
  const c = and(rest)
  return c && { kind: 'or', left: absent(table), right: c }
}

const exists = (table: TableState): Condition => ({ kind: 'attribute_exists', path: [table.schema.hash] })
const absent = (table: TableState): Condition => ({ kind: 'attribute_not_exists', path: [table.schema.hash] })

// ---------------------------------------------------------------------------------------------------------------
// Capacity

function mergeCapacity(
  into: Record<string, unknown> | undefined,
  add: unknown,
): Record<string, unknown> | undefined {
  if (!add || typeof add !== 'object') return into
  const a = add as Record<string, unknown>
  if (!into) return structuredClone(a)
  into.CapacityUnits = (into.CapacityUnits as number) + (a.CapacityUnits as number)
  for (const k of ['Table']) {
    const x = a[k] as { CapacityUnits: number } | undefined
    if (x)
      into[k] = {
        CapacityUnits:
          ((into[k] as { CapacityUnits: number } | undefined)?.CapacityUnits ?? 0) + x.CapacityUnits,
      }
  }
  for (const k of ['GlobalSecondaryIndexes', 'LocalSecondaryIndexes']) {
    const x = a[k] as Record<string, { CapacityUnits: number }> | undefined
    if (!x) continue
    const target = (into[k] as Record<string, { CapacityUnits: number }> | undefined) ?? {}
    for (const [name, v] of Object.entries(x))
      target[name] = { CapacityUnits: (target[name]?.CapacityUnits ?? 0) + v.CapacityUnits }
    into[k] = target
  }
  return into
}

// ---------------------------------------------------------------------------------------------------------------
// SELECT

/** Output names as DynamoDB names projected paths: the last attribute name with the list indexes after it. */
function projectItem(paths: DocPath[] | undefined, item: Item): Item {
  if (!paths) return item
  const out: Item = {}
  for (const path of paths) {
    let cur: AttributeValue | undefined = getAttr(item, path[0] as string)
    for (let i = 1; i < path.length && cur; i++) {
      const p = path[i] as string | number
      cur =
        typeof p === 'number'
          ? 'L' in cur
            ? cur.L[p]
            : undefined
          : 'M' in cur
            ? getAttr(cur.M, p)
            : undefined
    }
    if (cur === undefined) continue
    let last = path.length - 1
    while (typeof path[last] === 'number') last--
    const name = `${path[last] as string}${path
      .slice(last + 1)
      .map((i) => `[${String(i)}]`)
      .join('')}`
    setAttr(out, name, cur)
  }
  return out
}

interface SelectPlan {
  table: TableState
  indexName: string | undefined
  /** Partition key values to Query, in order; undefined for a Scan. */
  partitions: AttributeValue[] | undefined
  keyCondition: (partition: AttributeValue) => Condition
  filter: Condition | undefined
  forward: boolean
  paths: DocPath[] | undefined
}

const SORT_OPS = new Set(['=', '<', '<=', '>', '>='])
const FLIP: Record<string, '=' | '<' | '<=' | '>' | '>='> = {
  '=': '=',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
}

function planSelect(state: EngineState, b: Bound, s: SelectStatement): SelectPlan {
  const table = tableFor(state, s.from.table)
  const index = s.from.index === undefined ? undefined : requireIndex(table, s.from.index)
  const schema = index ? index.schema : table.schema
  const types = table.attributeTypes
  const parts = conjuncts(s.where)
  let partitions: AttributeValue[] | undefined
  let sort: Condition | undefined
  for (const c of parts) {
    if (partitions) break
    const eq = equalityOn(b, c, schema.hash)
    if (eq) partitions = [eq]
    else if (
      c.k === 'in' &&
      isAttr(c.e, schema.hash) &&
      c.list.k === 'list' &&
      c.list.items.every(isValueExpr)
    ) {
      partitions = c.list.items.map((x) => valueOf(b, x))
    } else if (c.k === 'or') {
      const values = disjuncts(c).map((d) => equalityOn(b, d, schema.hash))
      if (values.every((v) => v !== undefined)) partitions = values as AttributeValue[]
    }
  }
  if (partitions) {
    // A value of another type than the key matches nothing; each partition is read once, in key order (as
    // DynamoDB Local 3.3.1 answers `pk IN ['p2', 'p1']`: p1's items first).
    const hashType = types.get(schema.hash) as string
    const seen = new Set<string>()
    partitions = partitions
      .filter((v) => {
        if (typeOf(v) !== hashType) throw keyTypeMismatch(schema.hash)
        const k = keyString(v)
        if (seen.has(k)) return false
        seen.add(k)
        return true
      })
      .sort(compareAttributeValues)
    const range = schema.range
    const rangeType = range === undefined ? undefined : types.get(range)
    for (const c of range === undefined ? [] : parts) {
      const r = range as string
      const fits = (v: AttributeValue) => {
        if (typeOf(v) !== rangeType) throw keyTypeMismatch(r)
        return true
      }
      if (c.k === 'cmp' && SORT_OPS.has(c.op)) {
        const left = isAttr(c.l, r) && isValueExpr(c.r)
        const right = isAttr(c.r, r) && isValueExpr(c.l)
        if (!left && !right) continue
        const v = valueOf(b, left ? c.r : c.l)
        if (!fits(v)) continue
        sort = {
          kind: 'compare',
          op: left ? (c.op as '=') : (FLIP[c.op] as '='),
          left: { kind: 'path', path: [r] },
          right: { kind: 'value', value: v },
        }
        break
      }
      if (c.k === 'between' && isAttr(c.e, r) && isValueExpr(c.lo) && isValueExpr(c.hi)) {
        const lo = valueOf(b, c.lo)
        const hi = valueOf(b, c.hi)
        if (!fits(lo) || !fits(hi)) continue
        sort = {
          kind: 'between',
          operand: { kind: 'path', path: [r] },
          low: { kind: 'value', value: lo },
          high: { kind: 'value', value: hi },
        }
        break
      }
      if (
        c.k === 'call' &&
        c.name.toLowerCase() === 'begins_with' &&
        c.args.length === 2 &&
        isAttr(c.args[0] as Expr, r) &&
        isValueExpr(c.args[1] as Expr)
      ) {
        const v = valueOf(b, c.args[1] as Expr)
        if (!fits(v) || rangeType === 'N') continue
        sort = { kind: 'begins_with', left: { kind: 'path', path: [r] }, right: { kind: 'value', value: v } }
        break
      }
    }
  }
  let forward = true
  if (s.orderBy.length > 0) {
    if (!s.where) throw validation('Must have WHERE clause in the statement when using ORDER BY clause.')
    for (const o of s.orderBy) {
      const name = docPath(o.path)
      if (!name || name.length !== 1 || (name[0] !== schema.hash && name[0] !== schema.range)) {
        throw validation(
          `Variable reference ${name ? name.join('.') : ''} in ORDER BY clause must be part of the primary key`,
        )
      }
      if (name[0] === schema.range) forward = !o.desc
    }
    if (!partitions) {
      throw validation(
        'Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.',
      )
    }
  }
  const filter = s.where ? condition(b, s.where) : undefined
  if (schema.hashParts) {
    // A multi-attribute partition key is fixed only by equality on every one of its attributes; the rest of the
    // WHERE filters the partition.
    const equalities = schema.hashParts.map((name) => {
      for (const c of parts) {
        const v = equalityOn(b, c, name)
        if (v) return { name, v }
      }
      return undefined
    })
    const fixed = equalities.every((e) => e !== undefined)
    const keyCondition = and(
      equalities.flatMap((e) =>
        e
          ? [
              {
                kind: 'compare',
                op: '=',
                left: { kind: 'path', path: [e.name] },
                right: { kind: 'value', value: e.v },
              } as Condition,
            ]
          : [],
      ),
    ) as Condition
    if (s.orderBy.length > 0 && !fixed) {
      throw validation(
        'Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.',
      )
    }
    const filter = s.where ? condition(b, s.where) : undefined
    const paths = s.projection?.map((p) => docPath(p) as DocPath)
    return {
      table,
      indexName: index?.name,
      partitions: fixed ? [(equalities[0] as { v: AttributeValue }).v] : undefined,
      keyCondition: () => keyCondition,
      filter,
      forward,
      paths,
    }
  }
  const keyCondition = (p: AttributeValue): Condition => {
    const eq: Condition = {
      kind: 'compare',
      op: '=',
      left: { kind: 'path', path: [schema.hash] },
      right: { kind: 'value', value: p },
    }
    return sort ? { kind: 'and', left: eq, right: sort } : eq
  }
  const paths = s.projection?.map((p) => docPath(p) as DocPath)
  return { table, indexName: index?.name, partitions, keyCondition, filter, forward, paths }
}

interface PageToken {
  /** The statement the token belongs to. */
  s: string
  /** Which partition value (IN list) the next page starts in. */
  p: number
  k: Item | undefined
}

function readToken(raw: string | undefined, text: string): PageToken | undefined {
  if (raw === undefined) return undefined
  const invalid = () => validation('Invalid NextToken')
  let t: unknown
  try {
    t = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'))
  } catch {
    throw invalid()
  }
  const o = t as Partial<PageToken> | null
  if (
    !o ||
    typeof o !== 'object' ||
    o.s !== text ||
    typeof o.p !== 'number' ||
    (o.k !== undefined && (typeof o.k !== 'object' || o.k === null))
  ) {
    throw invalid()
  }
  return o as PageToken
}

const writeToken = (t: PageToken) => Buffer.from(JSON.stringify(t)).toString('base64')

function runSelect(state: EngineState, b: Bound, s: SelectStatement, req: Req, mode: CapacityMode) {
  const plan = planSelect(state, b, s)
  const limit = optInt(req, 'Limit')
  if (limit !== undefined && limit < 1) {
    throw validation(
      `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`,
    )
  }
  const consistent = optBool(req, 'ConsistentRead') ?? false
  const token = readToken(optString(req, 'NextToken'), b.text)
  const base = (): Req => {
    const r: Req = { TableName: plan.table.name, ConsistentRead: consistent, ReturnConsumedCapacity: mode }
    if (plan.indexName !== undefined) r.IndexName = plan.indexName
    return r
  }
  const items: Item[] = []
  let capacity: Record<string, unknown> | undefined
  let next: PageToken | undefined
  if (!plan.partitions) {
    const r = base()
    if (limit !== undefined) r.Limit = limit
    if (token?.k) r.ExclusiveStartKey = token.k
    const page = scan(state, withCompiledExpressions(r, { filter: plan.filter })) as Record<string, unknown>
    items.push(...(page.Items as Item[]))
    capacity = mergeCapacity(capacity, page.ConsumedCapacity)
    if (page.LastEvaluatedKey) next = { s: b.text, p: 0, k: page.LastEvaluatedKey as Item }
  } else {
    let remaining = limit
    let start = token?.k
    for (let i = token?.p ?? 0; i < plan.partitions.length; i++, start = undefined) {
      if (remaining !== undefined && remaining <= 0) {
        next = { s: b.text, p: i, k: undefined }
        break
      }
      const r = base()
      r.ScanIndexForward = plan.forward
      if (remaining !== undefined) r.Limit = remaining
      if (start) r.ExclusiveStartKey = start
      const keyCondition = plan.keyCondition(plan.partitions[i] as AttributeValue)
      const page = query(state, withCompiledExpressions(r, { keyCondition, filter: plan.filter })) as Record<
        string,
        unknown
      >
      items.push(...(page.Items as Item[]))
      capacity = mergeCapacity(capacity, page.ConsumedCapacity)
      if (remaining !== undefined) remaining -= page.ScannedCount as number
      if (page.LastEvaluatedKey) {
        next = { s: b.text, p: i, k: page.LastEvaluatedKey as Item }
        break
      }
    }
  }
  const out: Record<string, unknown> = { Items: items.map((item) => projectItem(plan.paths, item)) }
  if (next) out.NextToken = writeToken(next)
  if (mode !== 'NONE' && capacity) out.ConsumedCapacity = capacity
  return out
}

// ---------------------------------------------------------------------------------------------------------------
// INSERT, UPDATE, DELETE

function insertItem(b: Bound, table: TableState, value: Expr): Item {
  if (value.k !== 'tuple' && value.k !== 'param') throw notWellFormedIn(b)
  const v = valueOf(b, value)
  if (!('M' in v)) throw notWellFormedIn(b)
  const item = v.M
  for (const name of table.schema.range === undefined
    ? [table.schema.hash]
    : [table.schema.hash, table.schema.range]) {
    const k = getAttr(item, name)
    if (k === undefined) throw validation(`Key attribute should be present in the item: Key ${name}`)
    if (typeOf(k) !== table.attributeTypes.get(name)) {
      throw validation(`Key attribute's data type should match its data type in table's schema: Key ${name}`)
    }
  }
  return item
}

function updateProgram(b: Bound, s: Extract<Statement, { kind: 'update' }>): UpdateProgram {
  const u: UpdateProgram = { set: [], remove: [], add: [], delete: [], order: [] }
  for (const a of s.actions) {
    const path = docPath(a.path) as DocPath
    if (a.k === 'remove') {
      u.order.push({ clause: 'remove', index: u.remove.length })
      u.remove.push(path)
      continue
    }
    const v = a.value
    const fn = v.k === 'call' ? v.name.toLowerCase() : undefined
    if (v.k === 'call' && (fn === 'set_add' || fn === 'set_delete')) {
      // set_add/set_delete are the ADD and DELETE actions on a set.
      // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-functions.html
      if (v.args.length !== 2) throw wrongArgs(v.name)
      const value = valueOf(b, v.args[1] as Expr)
      const clause = fn === 'set_add' ? 'add' : 'delete'
      u.order.push({ clause, index: u[clause].length })
      u[clause].push({ path, value })
      continue
    }
    u.order.push({ clause: 'set', index: u.set.length })
    u.set.push({ path, value: updateValue(b, v) })
  }
  return u
}

function updateValue(b: Bound, e: Expr): UpdateValue {
  const path = docPath(e)
  if (path) return { kind: 'path', path }
  if (e.k === 'arith') return { kind: e.op, left: updateValue(b, e.l), right: updateValue(b, e.r) }
  if (e.k === 'call') {
    const name = e.name.toLowerCase()
    if (name === 'list_append') {
      if (e.args.length !== 2) throw wrongArgs(e.name)
      return {
        kind: 'list_append',
        left: updateValue(b, e.args[0] as Expr),
        right: updateValue(b, e.args[1] as Expr),
      }
    }
    if (name === 'if_not_exists') {
      const p = e.args.length === 2 ? docPath(e.args[0] as Expr) : undefined
      if (!p) throw wrongArgs(e.name)
      return { kind: 'if_not_exists', path: p, fallback: updateValue(b, e.args[1] as Expr) }
    }
    throw unknownFunction(e.name)
  }
  return { kind: 'value', value: valueOf(b, e) }
}

const RETURN_VALUES: Record<Returning, string> = {
  ALL_OLD: 'ALL_OLD',
  UPDATED_OLD: 'UPDATED_OLD',
  ALL_NEW: 'ALL_NEW',
  UPDATED_NEW: 'UPDATED_NEW',
}

interface WriteResult {
  table: TableState
  attributes: Item | undefined
  capacity: unknown
}

/** One write statement on its own (ExecuteStatement, or a statement of a batch). */
function runWrite(
  state: EngineState,
  b: Bound,
  mode: CapacityMode,
  onFailure: string | undefined,
): WriteResult {
  const s = b.statement
  const extras = (r: Req): Req => {
    r.ReturnConsumedCapacity = mode
    if (onFailure !== undefined) r.ReturnValuesOnConditionCheckFailure = onFailure
    return r
  }
  if (s.kind === 'insert') {
    const table = tableFor(state, s.from.table)
    const item = insertItem(b, table, s.value)
    try {
      const out = putItem(
        state,
        withCompiledExpressions(extras({ TableName: table.name, Item: item }), { condition: absent(table) }),
      ) as Req
      return { table, attributes: undefined, capacity: out.ConsumedCapacity }
    } catch (err) {
      if (err instanceof DynamoError && err.type === 'ConditionalCheckFailedException') {
        // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.insert.html
        throw new DynamoError('DuplicateItemException', 'Duplicate primary key exists in table')
      }
      throw err
    }
  }
  if (s.kind === 'update') {
    const table = tableFor(state, s.from.table)
    const update = updateProgram(b, s)
    const { key, rest } = keyFromWhere(b, table, s.where)
    const r = extras({ TableName: table.name, Key: key })
    if (s.returning) r.ReturnValues = RETURN_VALUES[s.returning]
    // UPDATE changes an existing item only: a missing one fails its condition.
    const out = updateItem(
      state,
      withCompiledExpressions(r, { update, condition: and([exists(table), ...rest]) }),
    ) as Req
    return { table, attributes: out.Attributes as Item | undefined, capacity: out.ConsumedCapacity }
  }
  if (s.kind === 'delete') {
    const table = tableFor(state, s.from.table)
    if (s.returning !== undefined && s.returning !== 'ALL_OLD') throw notWellFormedIn(b)
    const { key, rest } = keyFromWhere(b, table, s.where)
    const r = extras({ TableName: table.name, Key: key })
    if (s.returning) r.ReturnValues = 'ALL_OLD'
    const out = deleteItem(
      state,
      withCompiledExpressions(r, { condition: deleteCondition(table, rest) }),
    ) as Req
    return { table, attributes: out.Attributes as Item | undefined, capacity: out.ConsumedCapacity }
  }
  throw notWellFormedIn(b)
}

function capacityMode(req: Req): CapacityMode {
  return optEnum(req, 'ReturnConsumedCapacity', CAPACITY_MODES) ?? 'NONE'
}

function statementText(req: Req, member = 'Statement', path = 'statement'): string {
  const text = optString(req, member)
  if (text === undefined) {
    throw validation(
      `1 validation error detected: Value null at '${path}' failed to satisfy constraint: Member must not be null`,
    )
  }
  return text
}

export function executeStatement(state: EngineState, req: Req) {
  const text = statementText(req)
  const b = bind(text, optArray(req, 'Parameters'))
  const mode = capacityMode(req)
  const onFailure = optEnum(req, 'ReturnValuesOnConditionCheckFailure', ON_FAILURE)
  if (b.statement.kind === 'select') return runSelect(state, b, b.statement, req, mode)
  if (b.statement.kind === 'exists')
    throw validation('EXISTS can only be used in ExecuteTransaction write requests.')
  const w = runWrite(state, b, mode, onFailure)
  const out: Record<string, unknown> = { Items: w.attributes ? [w.attributes] : [] }
  if (mode !== 'NONE' && w.capacity) out.ConsumedCapacity = w.capacity
  return out
}

// ---------------------------------------------------------------------------------------------------------------
// BatchExecuteStatement

/** A SELECT of one item by its full primary key and nothing else, as batches and transactions require. */
function singleItemKey(
  state: EngineState,
  b: Bound,
  s: SelectStatement,
  message: string,
): { table: TableState; key: Item } {
  const table = tableFor(state, s.from.table)
  if (s.from.index !== undefined) throw validation(message)
  let k: { key: Item; extra: number }
  try {
    k = keyFromWhere(b, table, s.where)
  } catch (err) {
    if (err instanceof DynamoError && err.message === keyEqualityMissing().message) throw validation(message)
    throw err
  }
  if (k.extra > 0) throw validation(message)
  return { table, key: k.key }
}

const BATCH_CODES: Partial<Record<string, string>> = {
  ConditionalCheckFailedException: 'ConditionalCheckFailed',
  DuplicateItemException: 'DuplicateItem',
  ResourceNotFoundException: 'ResourceNotFound',
  ValidationException: 'ValidationError',
  ItemCollectionSizeLimitExceededException: 'ItemCollectionSizeLimitExceeded',
}

const isRead = (s: Statement) => s.kind === 'select'

export function batchExecuteStatement(state: EngineState, req: Req) {
  const raw = optArray(req, 'Statements')
  if (raw === undefined) {
    throw validation(
      "1 validation error detected: Value null at 'statements' failed to satisfy constraint: Member must not be null",
    )
  }
  if (raw.length === 0) throw validation('The statement was empty.')
  if (raw.length > MAX_BATCH) {
    throw validation(
      `1 validation error detected: Value at 'statements' failed to satisfy constraint: Member must have length less than or equal to ${MAX_BATCH}`,
    )
  }
  const mode = capacityMode(req)
  const entries = raw.map((r, i) => {
    const o = asObject(r, 'BatchStatementRequest')
    const text = statementText(o, 'Statement', `statements.${i + 1}.member.statement`)
    const consistent = optBool(o, 'ConsistentRead') ?? false
    const onFailure = optEnum(o, 'ReturnValuesOnConditionCheckFailure', ON_FAILURE)
    try {
      return { bound: bind(text, optArray(o, 'Parameters')), consistent, onFailure }
    } catch (err) {
      if (!(err instanceof DynamoError) || err.type !== 'ValidationException') throw err
      return { error: err, consistent, onFailure }
    }
  })
  const kinds = new Set(entries.flatMap((e) => (e.bound ? [isRead(e.bound.statement)] : [])))
  if (kinds.size > 1) throw validation('Read and write requests together in the same batch is not supported.')
  const reads = kinds.has(true)
  const responses: Record<string, unknown>[] = []
  const capacities = new Map<string, Record<string, unknown> | undefined>()
  const errorEntry = (err: DynamoError, table?: TableState): Record<string, unknown> => {
    const error: Record<string, unknown> = {
      Code: BATCH_CODES[err.type] ?? 'ValidationError',
      Message: err.message,
    }
    if (err.extra.Item) error.Item = err.extra.Item
    const entry: Record<string, unknown> = { Error: error }
    if (table && err.type !== 'ValidationException') entry.TableName = table.name
    return entry
  }
  // A statement that does not parse is reported in its place (DynamoDB Local 3.3.1 words it so).
  const unparsed = () => ({
    Error: {
      Code: 'ValidationError',
      Message: 'Invalid operation. Only select, insert, update and delete operations are valid',
    },
  })
  if (reads) {
    for (const e of entries) {
      if (!e.bound) {
        responses.push(unparsed())
        continue
      }
      try {
        const s = e.bound.statement as SelectStatement
        const { table, key } = singleItemKey(state, e.bound, s, 'Only single item select is supported')
        const out = getItemOp(
          state,
          withCompiledExpressions(
            { TableName: table.name, Key: key, ConsistentRead: e.consistent, ReturnConsumedCapacity: mode },
            {},
          ),
        ) as Req
        const entry: Record<string, unknown> = { TableName: table.name }
        if (out.Item)
          entry.Item = projectItem(
            s.projection?.map((p) => docPath(p) as DocPath),
            out.Item as Item,
          )
        responses.push(entry)
        capacities.set(table.name, mergeCapacity(capacities.get(table.name), out.ConsumedCapacity))
      } catch (err) {
        if (!(err instanceof DynamoError) || err.type === 'InternalServerError') throw err
        responses.push(errorEntry(err))
      }
    }
  } else {
    // Keys are resolved first: two statements on one item refuse the whole batch, as BatchWriteItem does.
    const seen = new Set<string>()
    for (const e of entries) {
      if (!e.bound) continue
      const s = e.bound.statement
      const table = 'from' in s ? state.tables.get(s.from.table) : undefined
      if (!table) continue
      let key: Item | undefined
      try {
        key =
          s.kind === 'insert'
            ? keyOfItem(table, insertItem(e.bound, table, s.value))
            : keyFromWhere(e.bound, table, (s as { where?: Expr }).where).key
      } catch {
        continue
      }
      const id = `${table.name}\u0000${keyString(key[table.schema.hash] as AttributeValue)}\u0000${table.schema.range === undefined ? '' : keyString(key[table.schema.range] as AttributeValue)}`
      if (seen.has(id)) throw validation('Provided list of item keys contains duplicates')
      seen.add(id)
    }
    for (const e of entries) {
      if (!e.bound) {
        responses.push(unparsed())
        continue
      }
      const s = e.bound.statement
      const table = 'from' in s ? state.tables.get(s.from.table) : undefined
      try {
        const w = runWrite(state, e.bound, mode, e.onFailure)
        responses.push({ TableName: w.table.name })
        capacities.set(w.table.name, mergeCapacity(capacities.get(w.table.name), w.capacity))
      } catch (err) {
        if (!(err instanceof DynamoError) || err.type === 'InternalServerError') throw err
        responses.push(errorEntry(err, table))
      }
    }
  }
  const out: Record<string, unknown> = { Responses: responses }
  if (mode !== 'NONE') out.ConsumedCapacity = [...capacities.values()].filter((c) => c !== undefined)
  return out
}

function keyOfItem(table: TableState, item: Item): Item {
  const key: Item = {}
  for (const n of table.schema.range === undefined
    ? [table.schema.hash]
    : [table.schema.hash, table.schema.range]) {
    setAttr(key, n, getAttr(item, n) as AttributeValue)
  }
  return key
}

// ---------------------------------------------------------------------------------------------------------------
// ExecuteTransaction

function transactionStatements(req: Req): { bound: Bound; i: number }[] {
  const raw = optArray(req, 'TransactStatements')
  if (raw === undefined) {
    throw validation(
      "1 validation error detected: Value null at 'transactStatements' failed to satisfy constraint: Member must not be null",
    )
  }
  if (raw.length === 0) throw validation('ExecutePartiQLTransaction can not have empty statement.')
  if (raw.length > MAX_TRANSACTION) {
    throw validation(
      `1 validation error detected: Value at 'transactStatements' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TRANSACTION}`,
    )
  }
  return raw.map((r, i) => {
    const o = asObject(r, 'ParameterizedStatement')
    return {
      bound: bind(
        statementText(o, 'Statement', `transactStatements.${i + 1}.member.statement`),
        optArray(o, 'Parameters'),
      ),
      i,
    }
  })
}

export function executeTransaction(state: EngineState, req: Req) {
  // The API model marks ClientRequestToken an idempotency token (the SDKs fill one in for each call; the API
  // reference's text for it is copied from NextToken), so it works as TransactWriteItems' does: 1-36 characters,
  // a repeat within 10 minutes changes nothing, other parameters are IdempotentParameterMismatchException.
  // https://docs.aws.amazon.com/sdk-for-ruby/v3/api/Aws/DynamoDB/Types/ExecuteTransactionInput.html
  const token = clientRequestToken(req)
  const mode = capacityMode(req)
  const statements = transactionStatements(req)
  const reads = new Set(statements.map((s) => isRead(s.bound.statement)))
  if (reads.size > 1)
    throw validation(
      'ExecuteTransaction API does not support both read and write operations in the same request.',
    )
  const failed = (i: number, message: string) =>
    validation(`Validation failed in TransactStatements[${i}]: ${message}`)
  const seen = new Set<string>()
  const claim = (table: TableState, key: Item) => {
    const id = `${table.name}\u0000${keyString(key[table.schema.hash] as AttributeValue)}\u0000${table.schema.range === undefined ? '' : keyString(key[table.schema.range] as AttributeValue)}`
    if (seen.has(id)) throw validation('Transaction request cannot include multiple operations on one item')
    seen.add(id)
  }
  const tableOf = (name: string) => {
    const t = state.tables.get(name)
    // Worded as TransactWriteItems words a missing table (DynamoDB Local 3.3.1 alike).
    if (!t) throw new DynamoError('ResourceNotFoundException', 'Requested resource not found')
    return t
  }
  let consumed: Map<TableState, Consumed>
  const out: Record<string, unknown> = {}
  if (reads.has(true)) {
    const gets = statements.map(({ bound, i }) => {
      const s = bound.statement as SelectStatement
      tableOf(s.from.table)
      const { table, key } = singleItemKey(
        state,
        bound,
        s,
        `Validation failed in TransactStatements[${i}]: Select statements within ExecuteTransaction must specify the primary key in the where clause.`,
      )
      return { table, key, paths: s.projection?.map((p) => docPath(p) as DocPath) }
    })
    for (const g of gets) claim(g.table, g.key)
    const result = applyTransactGets(gets)
    consumed = result.consumed
    out.Responses = result.items.map((item, i) => (item ? { Item: projectItem(gets[i]?.paths, item) } : {}))
  } else {
    const actions: TransactWriteAction[] = statements.map(({ bound, i }) => {
      const s = bound.statement
      const conditionFailed = { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }
      if (s.kind === 'exists') {
        const table = tableOf(s.select.from.table)
        const { key, rest } = keyFromWhere(bound, table, s.select.where)
        if (rest.length === 0 || s.select.from.index !== undefined) {
          throw failed(i, 'EXISTS() must contain a single item read with additional condition')
        }
        return {
          kind: 'ConditionCheck',
          table,
          key,
          condition: and([exists(table), ...rest]),
          // DynamoDB Local 3.3.1 ends this one message with a period.
          onConditionFailed: { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed.' },
        }
      }
      if (s.kind === 'insert') {
        const table = tableOf(s.from.table)
        const item = validateItemValues(insertItem(bound, table, s.value))
        return {
          kind: 'Put',
          table,
          key: keyOfItem(table, item),
          item,
          condition: absent(table),
          onConditionFailed: { Code: 'ValidationError', Message: 'Duplicate primary key exists in table' },
        }
      }
      if (s.kind === 'update') {
        const table = tableOf(s.from.table)
        const update = updateProgram(bound, s)
        const { key, rest } = keyFromWhere(bound, table, s.where)
        for (const name of [table.schema.hash, table.schema.range]) {
          if (
            name !== undefined &&
            [
              ...update.set.map((x) => x.path),
              ...update.remove,
              ...update.add.map((x) => x.path),
              ...update.delete.map((x) => x.path),
            ].some((p) => p[0] === name)
          ) {
            throw validation(
              `One or more parameter values were invalid: Cannot update attribute ${name}. This attribute is part of the key`,
            )
          }
        }
        return {
          kind: 'Update',
          table,
          key,
          update,
          condition: and([exists(table), ...rest]),
          onConditionFailed: conditionFailed,
        }
      }
      if (s.kind === 'delete') {
        const table = tableOf(s.from.table)
        const { key, rest } = keyFromWhere(bound, table, s.where)
        return {
          kind: 'Delete',
          table,
          key,
          condition: deleteCondition(table, rest),
          onConditionFailed: conditionFailed,
        }
      }
      throw failed(
        i,
        'Select statements within ExecuteTransaction must specify the primary key in the where clause.',
      )
    })
    for (const a of actions) claim(a.table, a.key)
    const { print, seen: earlier } = earlierUse(state, token, req)
    if (earlier) return { ...replay(state, earlier, mode), Responses: [] }
    // The token's use is logged with the writes: after a crash, both are there or neither.
    consumed = atomically(state, () => {
      const c = applyTransactWrites(state, actions)
      rememberToken(state, token, print, actions)
      return c
    })
    out.Responses = []
  }
  if (mode !== 'NONE') out.ConsumedCapacity = [...consumed.values()].map((c) => c.wire(mode))
  return out
}

/** An INSERT's item checked as PutItem checks one (depth, numbers, empty sets). */
function validateItemValues(item: Item): Item {
  const out: Item = {}
  for (const [name, v] of Object.entries(item)) setAttr(out, name, validateAttributeValue(v, name))
  return out
}

export const PARTIQL_OPERATIONS: OperationGroup = {
  handlers: {
    ExecuteStatement: executeStatement,
    BatchExecuteStatement: batchExecuteStatement,
    ExecuteTransaction: executeTransaction,
  },
  // ExecuteTransaction's client request tokens are the transactions module's.
  reset: resetTransactions,
}
