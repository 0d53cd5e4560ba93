import { Consumed, type CapacityMode, readUnitsFor, writeUnitsFor } from './capacity'
import { type EngineState, requireIndex, requireTable } from './engine-state'
import {
  applyProjection,
  applyUpdate,
  checkFilterAvoidsKeys,
  compileExpressions,
  conditionAttributeNames,
  keyConditionTerms,
  evaluateCondition,
  projectionTopLevelNames,
  sortKeyMatches,
  toKeyCondition,
  updatedAttributeNames,
  type Condition,
  type ExpressionOperation,
  type ExpressionRequest,
  type Projection,
} from './expressions'
import {
  asObject,
  optArray,
  optBool,
  optEnum,
  optInt,
  optObject,
  optString,
  optStringList,
  optStringMap,
  reqString,
  type Req,
} from './request-shape'
import { translatedFromLegacy, withLegacyParameters } from './legacy-params'
import { checkKeySize, checkWritableItem } from './limits'
import type { OperationGroup } from './operations'
import { lowerBound, type Partition } from './storage/ordered-store'
import {
  checkItemKeys,
  checkKeyAttributes,
  getItem,
  indexComparator,
  type IndexState,
  isMultiAttribute,
  keyNames,
  keyOf,
  partitionKeyOf,
  projectForIndex,
  sizeOf,
  tableComparator,
  type TableState,
  writeItem,
} from './table'
import type { AttributeValue, Item } from './types'
import { DynamoError, validation } from './types'
import { compareAttributeValues, itemsEqual, keyString, validateItem } from './values'

export type Compiled = ReturnType<typeof compileExpressions>

/** https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html */
const PAGE_BYTES = 1024 * 1024
const MAX_BATCH_GET = 100
const MAX_BATCH_GET_RESPONSE = 16 * 1024 * 1024
const MAX_BATCH_WRITE = 25

const CAPACITY_MODES = ['INDEXES', 'TOTAL', 'NONE'] as const
const METRICS_MODES = ['SIZE', 'NONE'] as const
const ON_FAILURE = ['ALL_OLD', 'NONE'] as const
const RETURN_VALUES = ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'] as const

function expressionInput(req: Req, names: readonly string[]) {
  const input: Record<string, unknown> = {}
  for (const n of names) if (req[n] !== undefined && req[n] !== null) input[n] = req[n]
  for (const n of ['ExpressionAttributeNames', 'ExpressionAttributeValues']) {
    if (req[n] !== undefined && req[n] !== null) input[n] = req[n]
  }
  return input
}

/**
 * Expressions a request brings already compiled, from another front end over these operations (PartiQL builds
 * its condition, update and key trees itself): compile() hands them back instead of reading expression members.
 */
const precompiled = new WeakMap<Req, Compiled>()

export function withCompiledExpressions(req: Req, compiled: Compiled): Req {
  precompiled.set(req, compiled)
  return req
}

export function compile(req: Req, names: readonly string[], operation: ExpressionOperation): Compiled {
  const pre = precompiled.get(req)
  if (pre) return pre
  for (const n of names) optString(req, n)
  optStringMap(req, 'ExpressionAttributeNames')
  optObject(req, 'ExpressionAttributeValues')
  const compiled = compileExpressions({
    ...expressionInput(req, names),
    operation,
    unlimitedSize: translatedFromLegacy(req),
  } as ExpressionRequest)
  const attributesToGet = names.includes('ProjectionExpression')
    ? optStringList(req, 'AttributesToGet')
    : undefined
  if (attributesToGet === undefined) return compiled
  // The legacy AttributesToGet is a projection of top-level attributes.
  // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.AttributesToGet.html
  if (compiled.projection) {
    throw validation(
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}',
    )
  }
  if (attributesToGet.length === 0) {
    throw validation(
      "1 validation error detected: Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have length greater than or equal to 1",
    )
  }
  const seen = new Set<string>()
  const duplicate = attributesToGet.find((n) => seen.size === seen.add(n).size)
  if (duplicate !== undefined)
    throw validation(
      `One or more parameter values were invalid: Duplicate value in attribute name: ${duplicate}`,
    )
  return { ...compiled, projection: { paths: attributesToGet.map((n) => [n]) } }
}

export function capacityMode(req: Req): CapacityMode {
  return optEnum(req, 'ReturnConsumedCapacity', CAPACITY_MODES) ?? 'NONE'
}

/** The limits every stored item must meet (limits.ts); UpdateItem words the size error apart (dynalite actions/updateItem.js). */
export function checkItemLimits(table: TableState, item: Item, update = false): void {
  checkWritableItem(table, item, { update, size: sizeOf(item) })
}

export function readKey(table: TableState, raw: unknown, member = 'key'): Item {
  if (raw === undefined || raw === null) {
    throw validation(
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    )
  }
  const key = validateItem(raw, { field: member })
  checkKeyAttributes(table, key, true)
  checkKeySize(key, table.schema)
  return key
}

function conditionFailed(old: Item | undefined, onFailure: string | undefined): DynamoError {
  const extra: Record<string, unknown> = {}
  if (onFailure === 'ALL_OLD' && old) extra.Item = old
  return new DynamoError('ConditionalCheckFailedException', 'The conditional request failed', extra)
}

function itemCollectionMetrics(table: TableState, key: Item, req: Req): Record<string, unknown> | undefined {
  if (optEnum(req, 'ReturnItemCollectionMetrics', METRICS_MODES) !== 'SIZE' || table.lsis.size === 0)
    return undefined
  return { ItemCollectionKey: { [table.schema.hash]: key[table.schema.hash] }, SizeEstimateRangeGB: [0, 1] }
}

/**
 * Applies one write and tells the stream. A write that leaves the item as it was changes nothing and writes no
 * stream record, though it still costs its write units.
 */
function commit(
  state: EngineState,
  table: TableState,
  key: Item,
  old: Item | undefined,
  next: Item | undefined,
  consumed: Consumed,
): void {
  const bytes = Math.max(old ? sizeOf(old) : 0, next ? sizeOf(next) : 0)
  consumed.table += writeUnitsFor(bytes)
  if (old === undefined && next === undefined) return
  if (old !== undefined && next !== undefined && itemsEqual(old, next)) return
  const outcome = writeItem(table, key, next)
  consumed.addIndexes(outcome.indexUnits)
  state.hub.record(table.name, table.streamArn, table.schema, old, next)
}

// ---------------------------------------------------------------------------------------------------------------
// Single-item operations

export function putItem(state: EngineState, req: Req) {
  const table = requireTable(state, reqString(req, 'TableName'))
  const raw = req.Item
  if (raw === undefined || raw === null) {
    throw validation(
      "1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null",
    )
  }
  const item = validateItem(raw, { field: 'item' })
  const returnValues = optEnum(req, 'ReturnValues', RETURN_VALUES) ?? 'NONE'
  if (returnValues !== 'NONE' && returnValues !== 'ALL_OLD')
    throw validation('Return values set to invalid value')
  const mode = capacityMode(req)
  const onFailure = optEnum(req, 'ReturnValuesOnConditionCheckFailure', ON_FAILURE)
  const compiled = compile(req, ['ConditionExpression'], 'PutItem')
  checkItemKeys(table, item)
  checkItemLimits(table, item)
  const key = keyOf(item, table.schema)
  const old = getItem(table, key)
  if (compiled.condition && !evaluateCondition(compiled.condition, old)) throw conditionFailed(old, onFailure)
  const consumed = new Consumed(table)
  commit(state, table, key, old, item, consumed)
  return writeAnswer(table, key, req, returnValues === 'ALL_OLD' ? old : undefined, mode, consumed)
}

/** The answer of a PutItem or DeleteItem: old attributes if asked for, capacity, item collection metrics. */
function writeAnswer(
  table: Parameters<typeof itemCollectionMetrics>[0],
  key: Parameters<typeof itemCollectionMetrics>[1],
  req: Req,
  attributes: Item | undefined,
  mode: ReturnType<typeof capacityMode>,
  consumed: Consumed,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (attributes) out.Attributes = attributes
  if (mode !== 'NONE') out.ConsumedCapacity = consumed.wire(mode)
  const metrics = itemCollectionMetrics(table, key, req)
  if (metrics) out.ItemCollectionMetrics = metrics
  return out
}

export function getItemOp(state: EngineState, req: Req) {
  const table = requireTable(state, reqString(req, 'TableName'))
  const key = readKey(table, req.Key)
  const consistent = optBool(req, 'ConsistentRead') ?? false
  const mode = capacityMode(req)
  const compiled = compile(req, ['ProjectionExpression'], 'GetItem')
  const item = getItem(table, key)
  const out: Record<string, unknown> = {}
  if (item) out.Item = compiled.projection ? applyProjection(compiled.projection, item) : item
  if (mode !== 'NONE') {
    const consumed = new Consumed(table)
    consumed.table = readUnitsFor(item ? sizeOf(item) : 0, consistent, true)
    out.ConsumedCapacity = consumed.wire(mode)
  }
  return out
}

export function deleteItem(state: EngineState, req: Req) {
  const table = requireTable(state, reqString(req, 'TableName'))
  const key = readKey(table, req.Key)
  const returnValues = optEnum(req, 'ReturnValues', RETURN_VALUES) ?? 'NONE'
  if (returnValues !== 'NONE' && returnValues !== 'ALL_OLD')
    throw validation('Return values set to invalid value')
  const mode = capacityMode(req)
  const onFailure = optEnum(req, 'ReturnValuesOnConditionCheckFailure', ON_FAILURE)
  const compiled = compile(req, ['ConditionExpression'], 'DeleteItem')
  const old = getItem(table, key)
  if (compiled.condition && !evaluateCondition(compiled.condition, old)) throw conditionFailed(old, onFailure)
  const consumed = new Consumed(table)
  commit(state, table, key, old, undefined, consumed)
  return writeAnswer(table, key, req, returnValues === 'ALL_OLD' ? old : undefined, mode, consumed)
}

export function updateItem(state: EngineState, req: Req) {
  const table = requireTable(state, reqString(req, 'TableName'))
  const key = readKey(table, req.Key)
  const returnValues = optEnum(req, 'ReturnValues', RETURN_VALUES) ?? 'NONE'
  const mode = capacityMode(req)
  const onFailure = optEnum(req, 'ReturnValuesOnConditionCheckFailure', ON_FAILURE)
  const compiled = compile(req, ['UpdateExpression', 'ConditionExpression'], 'UpdateItem')
  const updated = compiled.update ? updatedAttributeNames(compiled.update) : []
  // Key attributes cannot be changed in place (that would be a delete plus a put).
  // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html
  for (const name of [table.schema.hash, table.schema.range]) {
    if (name !== undefined && updated.includes(name)) {
      throw validation(
        `One or more parameter values were invalid: Cannot update attribute ${name}. This attribute is part of the key`,
      )
    }
  }
  const old = getItem(table, key)
  if (compiled.condition && !evaluateCondition(compiled.condition, old)) throw conditionFailed(old, onFailure)
  const base = old ?? key
  const next = compiled.update ? applyUpdate(compiled.update, base) : base
  checkItemKeys(table, next)
  checkItemLimits(table, next, true)
  const consumed = new Consumed(table)
  commit(state, table, key, old, next, consumed)
  const out: Record<string, unknown> = {}
  // UPDATED_* return just the updated paths (a nested SET returns the nested value, not the whole map).
  const u = compiled.update
  const updatedPaths: Projection | undefined = u && {
    paths: [
      ...u.set.map((a) => a.path),
      ...u.remove,
      ...u.add.map((a) => a.path),
      ...u.delete.map((a) => a.path),
    ],
  }
  const pick = (item: Item | undefined) => {
    if (!item || !updatedPaths) return undefined
    const o = applyProjection(updatedPaths, item)
    return Object.keys(o).length > 0 ? o : undefined
  }
  let attributes: Item | undefined
  if (returnValues === 'ALL_OLD') attributes = old
  else if (returnValues === 'ALL_NEW') attributes = next
  else if (returnValues === 'UPDATED_OLD') attributes = pick(old)
  else if (returnValues === 'UPDATED_NEW') attributes = pick(next)
  if (attributes) out.Attributes = attributes
  if (mode !== 'NONE') out.ConsumedCapacity = consumed.wire(mode)
  const metrics = itemCollectionMetrics(table, key, req)
  if (metrics) out.ItemCollectionMetrics = metrics
  return out
}

// ---------------------------------------------------------------------------------------------------------------
// Query and Scan

const SELECTS = ['ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES', 'SPECIFIC_ATTRIBUTES', 'COUNT'] as const
type Select = (typeof SELECTS)[number]

interface ReadPlan {
  table: TableState
  index: IndexState | undefined
  select: Select
  compiled: Compiled
  consistent: boolean
  limit: number | undefined
  mode: CapacityMode
  /** Whether an LSI read returns the table's full item (DynamoDB fetches non-projected attributes from the table). */
  fetchFromTable: boolean
}

function readPlan(
  state: EngineState,
  req: Req,
  expressionNames: readonly string[],
  operation: 'Query' | 'Scan',
): ReadPlan {
  const table = requireTable(state, reqString(req, 'TableName'))
  const indexName = optString(req, 'IndexName')
  const index = indexName === undefined ? undefined : requireIndex(table, indexName)
  const limit = optInt(req, 'Limit')
  if (limit !== undefined && limit < 1) {
    throw validation(
      `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`,
    )
  }
  const consistent = optBool(req, 'ConsistentRead') ?? false
  if (consistent && index?.kind === 'GSI')
    throw validation('Consistent reads are not supported on global secondary indexes')
  const mode = capacityMode(req)
  const compiled = compile(req, expressionNames, operation)
  let select = optEnum(req, 'Select', SELECTS)
  if (select === undefined)
    select = compiled.projection
      ? 'SPECIFIC_ATTRIBUTES'
      : index
        ? 'ALL_PROJECTED_ATTRIBUTES'
        : 'ALL_ATTRIBUTES'
  if (select === 'SPECIFIC_ATTRIBUTES' && !compiled.projection) {
    throw validation(
      'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES',
    )
  }
  if (select !== 'SPECIFIC_ATTRIBUTES' && compiled.projection) {
    throw validation(
      `Cannot specify the ProjectionExpression when choosing to get ${select === 'COUNT' ? 'only the Count' : select}`,
    )
  }
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && !index) {
    throw validation('ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName')
  }
  if (select === 'ALL_ATTRIBUTES' && index?.kind === 'GSI' && index.projectionType !== 'ALL') {
    throw validation(
      `One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index ${index.name} because its projection type is not ALL`,
    )
  }
  // An ALL projection holds every attribute already; any other projection fetches (and is charged for) the table
  // item, even when the requested attributes happen to be projected (as DynamoDB Local does).
  const fetchFromTable =
    index?.kind === 'LSI' &&
    index.projectionType !== 'ALL' &&
    (select === 'ALL_ATTRIBUTES' || select === 'SPECIFIC_ATTRIBUTES')
  return { table, index, select, compiled, consistent, limit, mode, fetchFromTable }
}

/** Validates ExclusiveStartKey: the table's key, plus the index key when reading an index. */
function readStartKey(plan: ReadPlan, raw: unknown): Item | undefined {
  if (raw === undefined || raw === null) return undefined
  const esk = validateItem(raw, { field: 'exclusiveStartKey' })
  const { table, index } = plan
  const names = new Set([...keyNames(table.schema), ...(index ? keyNames(index.schema) : [])])
  // DynamoDB Local 3.3.1 gives a multi-attribute key's bad start key no detail.
  const invalid = () =>
    validation(
      index && isMultiAttribute(index.schema)
        ? 'The provided starting key is invalid'
        : 'The provided starting key is invalid: The provided key element does not match the schema',
    )
  if (Object.keys(esk).length !== names.size) throw invalid()
  for (const n of names) {
    const v = esk[n]
    const type = table.attributeTypes.get(n)
    if (v === undefined || type === undefined || !(type in v)) throw invalid()
  }
  checkKeyAttributes(table, keyOf(esk, table.schema), true)
  return esk
}

interface PageState {
  items: Item[]
  count: number
  scanned: number
  bytes: number
  /** Bytes of the index entries read (what the index's read units count). */
  indexBytes: number
  /** Consistent read units of the table items an LSI read fetched, each item rounded up to 4 KB on its own. */
  fetchUnits: number
  lastEvaluated: Item | undefined
}

function emptyPage(): PageState {
  return { items: [], count: 0, scanned: 0, bytes: 0, indexBytes: 0, fetchUnits: 0, lastEvaluated: undefined }
}

function lastKeyOf(plan: ReadPlan, item: Item): Item {
  const key = keyOf(item, plan.table.schema)
  if (plan.index) for (const n of keyNames(plan.index.schema)) key[n] = item[n] as AttributeValue
  return key
}

/**
 * Evaluates one stored item for a page: counts it against Limit and the 1 MB page size before the filter (as
 * DynamoDB does), then filters and projects. Returns false when the page is full.
 */
function visit(plan: ReadPlan, page: PageState, stored: Item): boolean {
  const source = plan.index && !plan.fetchFromTable ? projectForIndex(stored, plan.index) : stored
  page.scanned++
  const size = sizeOf(source)
  page.bytes += size
  if (plan.fetchFromTable && plan.index) {
    // An LSI read that wants attributes beyond the projection reads the index entry, then fetches the whole item
    // from the table: the index is charged for its entry and the table for each item fetched, per 4 KB
    // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LSI.html#LSI.ThroughputConsiderations).
    page.indexBytes += sizeOf(projectForIndex(stored, plan.index))
    page.fetchUnits += Math.ceil(size / 4096)
  } else page.indexBytes += size
  const { filter, projection } = plan.compiled
  // The filter sees the whole item: a Query refuses filters on attributes its index does not project, and a Scan
  // of an index filters on the table's item.
  if (!filter || evaluateCondition(filter, stored)) {
    page.count++
    if (plan.select !== 'COUNT') page.items.push(projection ? applyProjection(projection, source) : source)
  }
  if ((plan.limit !== undefined && page.scanned >= plan.limit) || page.bytes >= PAGE_BYTES) {
    page.lastEvaluated = lastKeyOf(plan, stored)
    return false
  }
  return true
}

/**
 * @param endsAtBound the page stopped on the item equal to the key condition's inclusive end (a Query on a table
 * reading `<=`/BETWEEN forwards or `>=`/BETWEEN backwards): DynamoDB Local then knows nothing can follow, and
 * gives no LastEvaluatedKey even when Limit was reached there.
 */
function finishRead(
  plan: ReadPlan,
  page: PageState,
  ranOut: boolean,
  endsAtBound = false,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (plan.select !== 'COUNT') out.Items = page.items
  out.Count = page.count
  out.ScannedCount = page.scanned
  // Limit reached on the last item still yields a LastEvaluatedKey (DynamoDB cannot tell there is no more); a
  // page cut by size only when items remain.
  const limitHit = plan.limit !== undefined && page.scanned >= plan.limit
  if (page.lastEvaluated && ((limitHit && !endsAtBound) || !ranOut)) out.LastEvaluatedKey = page.lastEvaluated
  if (plan.mode !== 'NONE') {
    const consumed = new Consumed(plan.table)
    if (plan.index) {
      consumed.addIndex(plan.index.name, readUnitsFor(page.indexBytes, plan.consistent, false))
      if (plan.fetchFromTable) consumed.table = plan.consistent ? page.fetchUnits : page.fetchUnits / 2
    } else consumed.table = readUnitsFor(page.bytes, plan.consistent, false)
    out.ConsumedCapacity = consumed.wire(plan.mode)
  }
  return out
}

function storeOf(plan: ReadPlan) {
  return plan.index ? plan.index.store : plan.table.store
}

function sortAttribute(plan: ReadPlan): string | undefined {
  return plan.index ? plan.index.schema.range : plan.table.schema.range
}

export function query(state: EngineState, req: Req) {
  const plan = readPlan(
    state,
    req,
    ['KeyConditionExpression', 'FilterExpression', 'ProjectionExpression'],
    'Query',
  )
  if (!plan.compiled.keyCondition) {
    throw validation(
      'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.',
    )
  }
  if (plan.index && isMultiAttribute(plan.index.schema)) return queryMultiAttribute(plan, req)
  const keySchema = plan.index ? plan.index.schema : plan.table.schema
  const kc = toKeyCondition(plan.compiled.keyCondition, keySchema)
  // A filter may not name the key being queried: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.FilterExpression.html
  // PartiQL (precompiled) may repeat key terms in its filter: its WHERE is one condition, split for the Query.
  if (plan.compiled.filter && !precompiled.has(req)) checkFilterAvoidsKeys(plan.compiled.filter, keySchema)
  checkIndexProjects(plan, 'Query')
  const forward = optBool(req, 'ScanIndexForward') ?? true
  const esk = readStartKey(plan, req.ExclusiveStartKey)
  const hashType = plan.table.attributeTypes.get(keySchema.hash)
  if (hashType === undefined || !(hashType in kc.partition.value)) {
    throw validation(
      'One or more parameter values were invalid: Condition parameter type does not match schema type',
    )
  }
  const sortName = sortAttribute(plan)
  if (kc.sort) {
    const sortType = sortName === undefined ? undefined : plan.table.attributeTypes.get(sortName)
    for (const v of kc.sort.values as AttributeValue[]) {
      if (sortType === undefined || !(sortType in v)) {
        throw validation(
          'One or more parameter values were invalid: Condition parameter type does not match schema type',
        )
      }
    }
  }
  checkKeySize({ [keySchema.hash]: kc.partition.value }, keySchema)
  if (keySchema.range !== undefined) {
    for (const v of kc.sort?.values ?? [])
      checkKeySize({ [keySchema.range]: v as AttributeValue }, { hash: '', range: keySchema.range })
  }
  if (esk) {
    const eskHash = esk[keySchema.hash]
    if (!eskHash || keyString(eskHash) !== keyString(kc.partition.value)) {
      throw validation('The provided starting key is outside query boundaries based on provided conditions')
    }
  }

  const page = emptyPage()
  const partition = storeOf(plan).partition(keyString(kc.partition.value))
  const items = partition?.items ?? []
  let lo = 0
  let hi = items.length
  if (kc.sort && sortName !== undefined) {
    const s = kc.sort
    const [a, b] = s.values as AttributeValue[]
    const cmp = (e: Item, v: AttributeValue) => compareAttributeValues(e[sortName] as AttributeValue, v)
    const below = (v: AttributeValue) => lowerBound(items, (e) => cmp(e, v) < 0)
    const atMost = (v: AttributeValue) => lowerBound(items, (e) => cmp(e, v) <= 0)
    switch (s.op) {
      case '=':
        lo = below(a as AttributeValue)
        hi = atMost(a as AttributeValue)
        break
      case '<':
        hi = below(a as AttributeValue)
        break
      case '<=':
        hi = atMost(a as AttributeValue)
        break
      case '>':
        lo = atMost(a as AttributeValue)
        break
      case '>=':
        lo = below(a as AttributeValue)
        break
      case 'BETWEEN':
        lo = below(a as AttributeValue)
        hi =
          compareAttributeValues(a as AttributeValue, b as AttributeValue) > 0
            ? lo
            : atMost(b as AttributeValue)
        break
      case 'BEGINS_WITH':
        lo = below(a as AttributeValue)
        // Values starting with the prefix follow it contiguously in sort order.
        hi = lowerBound(
          items,
          (e) => cmp(e, a as AttributeValue) < 0 || sortKeyMatches(kc, e[sortName] as AttributeValue),
        )
        break
    }
  }
  if (esk && partition) {
    const order = positionComparator(plan)
    if (forward)
      lo = Math.max(
        lo,
        lowerBound(items, (e) => order(e, esk) <= 0),
      )
    else
      hi = Math.min(
        hi,
        lowerBound(items, (e) => order(e, esk) < 0),
      )
  }
  let ranOut = true
  let last: Item | undefined
  if (forward) {
    for (let i = lo; i < hi; i++) {
      if (!visit(plan, page, items[i] as Item)) {
        ranOut = i + 1 >= hi
        last = items[i]
        break
      }
    }
  } else {
    for (let i = hi - 1; i >= lo; i--) {
      if (!visit(plan, page, items[i] as Item)) {
        ranOut = i - 1 < lo
        last = items[i]
        break
      }
    }
  }
  // Only on the table itself: on an index DynamoDB Local always answers a LastEvaluatedKey when Limit is reached.
  let endsAtBound = false
  if (last && ranOut && !plan.index && kc.sort && sortName !== undefined) {
    const [a, b] = kc.sort.values as AttributeValue[]
    const op = kc.sort.op
    const bound = forward
      ? op === '<='
        ? a
        : op === 'BETWEEN'
          ? b
          : undefined
      : op === '>=' || op === 'BETWEEN'
        ? a
        : undefined
    endsAtBound = bound !== undefined && compareAttributeValues(last[sortName] as AttributeValue, bound) === 0
  }
  return finishRead(plan, page, ranOut, endsAtBound)
}

/**
 * A Query on a GSI with a multi-attribute key: equality on every partition key attribute, then conditions on a
 * left prefix of the sort key attributes, equality on all but the last. The partition's entries are kept in sort
 * key order, so the matching ones are one contiguous run. Worded as DynamoDB Local 3.3.1 words it.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.DesignPattern.MultiAttributeKeys.html
 */
function queryMultiAttribute(plan: ReadPlan, req: Req) {
  const index = plan.index as IndexState
  const schema = index.schema
  const hashParts = schema.hashParts ?? [schema.hash]
  const rangeParts = schema.rangeParts ?? []
  const terms = keyConditionTerms(plan.compiled.keyCondition as Condition)
  const byName = new Map<string, (typeof terms)[number]>()
  for (const t of terms) {
    if (byName.has(t.attribute))
      throw validation('KeyConditionExpressions must only contain one condition per key')
    byName.set(t.attribute, t)
  }
  if (terms.some((t) => !hashParts.includes(t.attribute) && !rangeParts.includes(t.attribute))) {
    throw validation('Query condition missed key schema element')
  }
  const noEquality = hashParts.filter((n) => byName.get(n)?.op !== '=')
  if (noEquality.length > 0) {
    throw validation(
      `HASH key attributes ${noEquality.join(', ')} must have equality conditions specified in the query`,
    )
  }
  let last = -1
  rangeParts.forEach((n, i) => {
    if (byName.has(n)) last = i
  })
  const gaps = rangeParts.slice(0, Math.max(last, 0)).filter((n) => byName.get(n)?.op !== '=')
  if (gaps.length > 0) {
    throw validation(
      `RANGE key attributes ${gaps.join(', ')} must have equality conditions specified in the query because a condition is present on key attribute ${rangeParts[last] as string}`,
    )
  }
  for (const t of terms) {
    const type = plan.table.attributeTypes.get(t.attribute) as string
    if (t.values.some((v) => !(type in v)) || (t.op === 'BEGINS_WITH' && type === 'N')) {
      throw validation(
        'One or more parameter values were invalid: Condition parameter type does not match schema type',
      )
    }
  }
  checkIndexProjects(plan, 'Query')
  const forward = optBool(req, 'ScanIndexForward') ?? true
  const esk = readStartKey(plan, req.ExclusiveStartKey)
  const probe: Item = {}
  for (const n of hashParts) probe[n] = (byName.get(n) as (typeof terms)[number]).values[0] as AttributeValue
  const items = index.store.partition(partitionKeyOf(schema, probe))?.items ?? []
  const conditioned = rangeParts.slice(0, last + 1)
  const matches = (e: Item) =>
    conditioned.every((n) => {
      const t = byName.get(n) as (typeof terms)[number]
      return sortKeyMatches(
        { partition: { attribute: schema.hash, value: probe[schema.hash] as AttributeValue }, sort: t },
        e[n],
      )
    })
  const order = positionComparator(plan)
  // Entries before the run fail on some conditioned attribute with a value below it; binary search for the run's
  // start would need per-operator bounds, so the run is found by a scan of the partition (linear in its size).
  const page = emptyPage()
  let ranOut = true
  const n = items.length
  for (let k = 0; k < n; k++) {
    const e = items[forward ? k : n - 1 - k] as Item
    if (esk && (forward ? order(e, esk) <= 0 : order(e, esk) >= 0)) continue
    if (!matches(e)) continue
    if (!visit(plan, page, e)) {
      ranOut = !items.slice(forward ? k + 1 : 0, forward ? n : n - 1 - k).some(matches)
      break
    }
  }
  return finishRead(plan, page, ranOut)
}

/**
 * A Query on an index may filter only on attributes the index projects, and a GSI can return only those
 * (an LSI fetches the others from the table). Worded as DynamoDB Local 3.3.1 words it.
 */
function checkIndexProjects(plan: ReadPlan, operation: 'Query' | 'Scan'): void {
  const index = plan.index
  if (!index?.projected) return
  const projected = index.projected
  // A Scan of an index filters the whole item instead (DynamoDB Local 3.3.1).
  if (operation === 'Query' && plan.compiled.filter) {
    const missing = [...conditionAttributeNames(plan.compiled.filter)].filter((n) => !projected.has(n))
    if (missing.length > 0) {
      throw validation(
        `One or more parameter values were invalid: Secondary index ${index.name} does not project one or more filter attributes: [${missing.join(', ')}]`,
      )
    }
  }
  if (index.kind === 'GSI' && plan.compiled.projection) {
    const missing = projectionTopLevelNames(plan.compiled.projection).filter((n) => !projected.has(n))
    if (missing.length > 0)
      throw validation(
        `One or more parameter values were invalid: Global secondary index ${index.name} does not project [${missing.join(', ')}]`,
      )
  }
}

/** The order items are kept in within a partition of the store being read (see table.ts comparators). */
function positionComparator(plan: ReadPlan): (a: Item, b: Item) => number {
  return plan.index
    ? indexComparator(plan.index.schema, plan.table.schema)
    : tableComparator(plan.table.schema)
}

/** FNV-1a: a stable hash of the partition key string that assigns partitions to parallel-scan segments. */
function segmentOf(key: string, totalSegments: number): number {
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0) % totalSegments
}

export function scan(state: EngineState, req: Req) {
  const plan = readPlan(state, req, ['FilterExpression', 'ProjectionExpression'], 'Scan')
  const segment = optInt(req, 'Segment')
  const totalSegments = optInt(req, 'TotalSegments')
  // Real DynamoDB's wording, as dynalite records it (validations/scan.js); DynamoDB Local says "If segment is
  // specified, total segment must also be specified" and "If total segments is specified, a particular segment must
  // also be specified for this request".
  if (segment !== undefined && totalSegments === undefined) {
    throw validation(
      'The TotalSegments parameter is required but was not present in the request when Segment parameter is present',
    )
  }
  if (totalSegments !== undefined && segment === undefined) {
    throw validation(
      'The Segment parameter is required but was not present in the request when parameter TotalSegments is present',
    )
  }
  if (totalSegments !== undefined && (totalSegments < 1 || totalSegments > 1_000_000)) {
    throw validation(
      `1 validation error detected: Value '${totalSegments}' at 'totalSegments' failed to satisfy constraint: Member must have value ${totalSegments < 1 ? 'greater than or equal to 1' : 'less than or equal to 1000000'}`,
    )
  }
  if (segment !== undefined && totalSegments !== undefined && (segment < 0 || segment >= totalSegments)) {
    throw validation(
      `The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${segment} is not less than TotalSegments: ${totalSegments}`,
    )
  }
  checkIndexProjects(plan, 'Scan')
  const esk = readStartKey(plan, req.ExclusiveStartKey)
  const store = storeOf(plan)
  const hashName = plan.index ? plan.index.schema.hash : plan.table.schema.hash
  // DynamoDB Local splits a GSI's parallel scan by the table's partition key, not the index's: segments are
  // then decided per item rather than per index partition.
  const byItem = plan.index?.kind === 'GSI' && segment !== undefined && totalSegments !== undefined
  const tableHash = plan.table.schema.hash
  const itemInSegment = (item: Item) =>
    segmentOf(keyString(item[tableHash] as AttributeValue), totalSegments as number) === segment
  let partition: Partition | undefined = store.first()
  let start = 0
  if (esk) {
    const pk = plan.index
      ? partitionKeyOf(plan.index.schema, esk)
      : keyString(esk[hashName] as AttributeValue)
    partition = store.partition(pk)
    const resumeInside = partition !== undefined
    // A partition emptied (and dropped) since the page was read resumes at the next one in Scan order.
    partition ??= store.partitionAfter(pk)
    const segmentKey = byItem ? keyString(esk[tableHash] as AttributeValue) : pk
    if (
      segment !== undefined &&
      totalSegments !== undefined &&
      segmentOf(segmentKey, totalSegments) !== segment
    ) {
      throw validation(
        'The provided Exclusive start key does not map to the provided Segment and TotalSegments values.',
      )
    }
    if (resumeInside && partition) {
      const order = positionComparator(plan)
      start = lowerBound(partition.items, (e) => order(e, esk) <= 0)
    }
  }
  const page = emptyPage()
  let ranOut = true
  outer: for (; partition; partition = partition.next, start = 0) {
    if (
      !byItem &&
      segment !== undefined &&
      totalSegments !== undefined &&
      segmentOf(partition.key, totalSegments) !== segment
    )
      continue
    const items = partition.items
    for (let i = start; i < items.length; i++) {
      if (byItem && !itemInSegment(items[i] as Item)) continue
      if (!visit(plan, page, items[i] as Item)) {
        ranOut = byItem
          ? !hasMoreItems(partition, i + 1, itemInSegment)
          : i + 1 >= items.length && !hasMore(partition.next, segment, totalSegments)
        break outer
      }
    }
  }
  return finishRead(plan, page, ranOut)
}

function hasMoreItems(from: Partition | undefined, start: number, accept: (item: Item) => boolean): boolean {
  for (let p = from; p; p = p.next, start = 0) {
    for (let i = start; i < p.items.length; i++) if (accept(p.items[i] as Item)) return true
  }
  return false
}

function hasMore(
  p: Partition | undefined,
  segment: number | undefined,
  totalSegments: number | undefined,
): boolean {
  for (; p; p = p.next) {
    if (p.items.length === 0) continue
    if (segment === undefined || totalSegments === undefined || segmentOf(p.key, totalSegments) === segment)
      return true
  }
  return false
}

// ---------------------------------------------------------------------------------------------------------------
// Batches

function requestItems(req: Req): Req {
  const ri = optObject(req, 'RequestItems')
  if (!ri) {
    throw validation(
      "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null",
    )
  }
  if (Object.keys(ri).length === 0) {
    throw validation(
      "1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
    )
  }
  return ri
}

export function batchGetItem(state: EngineState, req: Req) {
  const ri = requestItems(req)
  const mode = capacityMode(req)
  const plans: { table: TableState; keys: Item[]; compiled: Compiled; consistent: boolean; entry: Req }[] = []
  let total = 0
  for (const [name, rawEntry] of Object.entries(ri)) {
    const entry = asObject(rawEntry, 'KeysAndAttributes')
    const rawKeys = optArray(entry, 'Keys')
    if (!rawKeys || rawKeys.length === 0) {
      throw validation(
        `1 validation error detected: Value null at 'requestItems.${name}.member.keys' failed to satisfy constraint: Member must not be null`,
      )
    }
    total += rawKeys.length
    if (total > MAX_BATCH_GET) {
      throw validation(`Too many items requested for the BatchGetItem call`)
    }
    const table = requireTable(state, name)
    const keys = rawKeys.map((k) => readKey(table, k))
    const seen = new Set<string>()
    for (const k of keys) {
      const id = keyIdentity(table, k)
      if (seen.has(id)) throw validation('Provided list of item keys contains duplicates')
      seen.add(id)
    }
    const consistent = optBool(entry, 'ConsistentRead') ?? false
    plans.push({
      table,
      keys,
      compiled: compile(entry, ['ProjectionExpression'], 'GetItem'),
      consistent,
      entry,
    })
  }
  const responses: Record<string, Item[]> = {}
  const unprocessed: Record<string, unknown> = {}
  const capacities: Record<string, unknown>[] = []
  // A response stops growing at 16 MB; the keys not read come back as UnprocessedKeys.
  // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
  let responseBytes = 0
  for (const p of plans) {
    const found: Item[] = []
    let units = 0
    let i = 0
    for (; i < p.keys.length && responseBytes <= MAX_BATCH_GET_RESPONSE; i++) {
      const item = getItem(p.table, p.keys[i] as Item)
      // A key with no item costs nothing in a batch (DynamoDB Local 3.3.1), unlike a GetItem of a missing item.
      if (!item) continue
      units += readUnitsFor(sizeOf(item), p.consistent, true)
      const returned = p.compiled.projection ? applyProjection(p.compiled.projection, item) : item
      responseBytes += sizeOf(returned)
      found.push(returned)
    }
    if (i < p.keys.length) unprocessed[p.table.name] = { ...p.entry, Keys: p.keys.slice(i) }
    responses[p.table.name] = found
    const consumed = new Consumed(p.table)
    consumed.table = units
    capacities.push(consumed.wire(mode))
  }
  const out: Record<string, unknown> = { Responses: responses, UnprocessedKeys: unprocessed }
  if (mode !== 'NONE') out.ConsumedCapacity = capacities
  return out
}

export function keyIdentity(table: TableState, key: Item): string {
  const h = keyString(key[table.schema.hash] as AttributeValue)
  return table.schema.range === undefined
    ? h
    : `${h}\u0000${keyString(key[table.schema.range] as AttributeValue)}`
}

export function batchWriteItem(state: EngineState, req: Req) {
  const ri = requestItems(req)
  const mode = capacityMode(req)
  optEnum(req, 'ReturnItemCollectionMetrics', METRICS_MODES)
  let total = 0
  for (const v of Object.values(ri)) total += Array.isArray(v) ? v.length : 0
  if (total > MAX_BATCH_WRITE) {
    throw validation(
      "1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]",
    )
  }
  // Validate every request before applying any, so a rejected batch changes nothing.
  const writes: { table: TableState; key: Item; item: Item | undefined }[] = []
  for (const [name, rawList] of Object.entries(ri)) {
    if (!Array.isArray(rawList))
      throw new DynamoError(
        'SerializationException',
        `Unexpected value type in payload: requestItems.${name}`,
      )
    if (rawList.length === 0) {
      throw validation(
        "1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]",
      )
    }
    const table = requireTable(state, name)
    const seen = new Set<string>()
    for (const raw of rawList) {
      const w = asObject(raw, 'WriteRequest')
      const put = optObject(w, 'PutRequest')
      const del = optObject(w, 'DeleteRequest')
      if ((put ? 1 : 0) + (del ? 1 : 0) !== 1) {
        throw validation(
          'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
        )
      }
      let key: Item
      let item: Item | undefined
      if (put) {
        if (put.Item === undefined || put.Item === null) {
          throw validation(
            "1 validation error detected: Value null at 'requestItems.member.putRequest.item' failed to satisfy constraint: Member must not be null",
          )
        }
        item = validateItem(put.Item, { field: 'item' })
        checkItemKeys(table, item)
        checkItemLimits(table, item)
        key = keyOf(item, table.schema)
      } else {
        key = readKey(table, (del as Req).Key)
      }
      const id = keyIdentity(table, key)
      if (seen.has(id)) throw validation('Provided list of item keys contains duplicates')
      seen.add(id)
      writes.push({ table, key, item })
    }
  }
  const consumedByTable = new Map<TableState, Consumed>()
  for (const w of writes) {
    let consumed = consumedByTable.get(w.table)
    if (!consumed) consumedByTable.set(w.table, (consumed = new Consumed(w.table)))
    const old = getItem(w.table, w.key)
    // DynamoDB Local 3.3.1 charges a batch delete of a missing item 2 write units (a DeleteItem of one costs 1).
    if (!old && !w.item) consumed.table += 1
    commit(state, w.table, w.key, old, w.item, consumed)
  }
  const out: Record<string, unknown> = { UnprocessedItems: {} }
  if (mode !== 'NONE') out.ConsumedCapacity = [...consumedByTable.values()].map((c) => c.wire(mode))
  return out
}

const legacyAware =
  (operation: string, run: (state: EngineState, req: Req) => unknown) => (state: EngineState, req: Req) =>
    withLegacyParameters(operation, req, state, (translated) => run(state, translated))

/** The item operations (engine.ts loads them on first use); legacy parameters are translated before each runs. */
export const ITEM_OPERATIONS: OperationGroup = {
  handlers: {
    PutItem: legacyAware('PutItem', putItem),
    GetItem: legacyAware('GetItem', getItemOp),
    UpdateItem: legacyAware('UpdateItem', updateItem),
    DeleteItem: legacyAware('DeleteItem', deleteItem),
    Query: legacyAware('Query', query),
    Scan: legacyAware('Scan', scan),
    BatchGetItem: legacyAware('BatchGetItem', batchGetItem),
    BatchWriteItem: legacyAware('BatchWriteItem', batchWriteItem),
  },
}
