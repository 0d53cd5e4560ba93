/*
 * What DynamoDB's CreateTable refuses, checked before a request is sent and worded for the form field at fault.
 * Sources (AWS API reference, CreateTable and its shapes):
 * - table and index names: 3–255 characters of [a-zA-Z0-9_.-]
 *   https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
 *   https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_LocalSecondaryIndex.html
 * - key attribute names: 1–255 bytes; key types S, N or B
 *   https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_KeySchemaElement.html
 * - 20 GSIs (the default quota) and 5 LSIs per table; an LSI shares the table's partition key and needs the table
 *   to have a sort key ("Table KeySchema does not have a range key, which is required when specifying a
 *   LocalSecondaryIndex"); at most 100 projected non-key attributes over all indexes
 *   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
 * - INCLUDE projections list their non-key attributes; ALL and KEYS_ONLY list none
 *   https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Projection.html
 * - one type per attribute name (AttributeDefinitions holds each name once)
 * - provisioned capacity at least 1 read and 1 write unit, for the table and each GSI
 *   https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ProvisionedThroughput.html
 */

import {
  attributeNameProblem,
  keyTypeProblem,
  MAX_GSI as MAX_GSIS,
  MAX_LSI as MAX_LSIS,
  MAX_PROJECTED_NON_KEY as MAX_PROJECTED_ATTRIBUTES,
  nameProblem,
} from './model-rules'

export type KeyType = 'S' | 'N' | 'B'
export type ProjectionType = 'ALL' | 'KEYS_ONLY' | 'INCLUDE'
export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES'

export interface KeySpec {
  name: string
  type: KeyType
}

export interface ProjectionSpec {
  type: ProjectionType
  nonKeyAttributes?: string[]
}

export interface CapacitySpec {
  read: number
  write: number
}

export interface GsiSpec {
  name: string
  partitionKey: KeySpec
  sortKey?: KeySpec
  projection: ProjectionSpec
  /** Only with provisioned billing. */
  capacity?: CapacitySpec
}

export interface LsiSpec {
  name: string
  /** The table's partition key is the LSI's too; only its sort key is its own. */
  sortKey: KeySpec
  projection: ProjectionSpec
}

export interface TableSpec {
  name: string
  partitionKey: KeySpec
  sortKey?: KeySpec
  gsis: GsiSpec[]
  lsis: LsiSpec[]
  billing: { mode: 'PAY_PER_REQUEST' } | ({ mode: 'PROVISIONED' } & CapacitySpec)
  stream: { enabled: false } | { enabled: true; viewType: StreamViewType }
}

/** One refusal: the form field it belongs to (`name`, `gsis.0.projection`, …) and what to do, in plain words. */
export interface TableIssue {
  field: string
  message: string
}

/** The same limits and name rules as a model's tables (model-rules), so the dialog and the model forms agree. */
export {
  MAX_GSI as MAX_GSIS,
  MAX_LSI as MAX_LSIS,
  MAX_PROJECTED_NON_KEY as MAX_PROJECTED_ATTRIBUTES,
  nameProblem,
} from './model-rules'

function keyProblem(key: KeySpec, role: string): string | undefined {
  if (!key.name) return `Name the ${role} attribute.`
  return attributeNameProblem(key.name) ?? keyTypeProblem(key.type)
}

function capacityProblem(c: CapacitySpec | undefined, what: string): string | undefined {
  if (!c) return `Give ${what} its read and write capacity.`
  for (const [label, v] of [
    ['read', c.read],
    ['write', c.write],
  ] as const)
    if (!Number.isInteger(v) || v < 1) return `${what}: ${label} capacity is a whole number of at least 1.`
  return undefined
}

function projectionProblem(p: ProjectionSpec): string | undefined {
  const attrs = p.nonKeyAttributes ?? []
  if (p.type === 'INCLUDE' && attrs.filter((a) => a.trim()).length === 0)
    return 'An INCLUDE projection lists the attributes it copies: name at least one.'
  if (p.type !== 'INCLUDE' && attrs.length > 0)
    return `Only an INCLUDE projection lists attributes; ${p.type} takes none.`
  if (new Set(attrs).size !== attrs.length) return 'An attribute is listed twice in the projection.'
  return undefined
}

/** Every refusal DynamoDB would give this spec, by field; empty when CreateTable should accept it. */
export function checkTableSpec(spec: TableSpec): TableIssue[] {
  const issues: TableIssue[] = []
  const add = (field: string, message: string | undefined) => {
    if (message) issues.push({ field, message })
  }
  add('name', nameProblem(spec.name, 'table'))
  add('partitionKey', keyProblem(spec.partitionKey, 'partition key'))
  if (spec.sortKey) {
    add('sortKey', keyProblem(spec.sortKey, 'sort key'))
    if (spec.sortKey.name && spec.sortKey.name === spec.partitionKey.name)
      add('sortKey', 'The sort key must be a different attribute from the partition key.')
  }

  // Every key attribute has one type wherever it is used.
  const types = new Map<string, { type: KeyType; where: string }>()
  const typeCheck = (key: KeySpec | undefined, field: string, where: string) => {
    if (!key?.name) return
    const seen = types.get(key.name)
    if (!seen) types.set(key.name, { type: key.type, where })
    else if (seen.type !== key.type)
      add(
        field,
        `${key.name} is ${key.type} here but ${seen.type} in ${seen.where}; an attribute has one type.`,
      )
  }
  typeCheck(spec.partitionKey, 'partitionKey', 'the table key')
  typeCheck(spec.sortKey, 'sortKey', 'the table key')

  if (spec.gsis.length > MAX_GSIS)
    add(
      'gsis',
      `A table can have at most ${MAX_GSIS} global secondary indexes; remove ${spec.gsis.length - MAX_GSIS}.`,
    )
  if (spec.lsis.length > MAX_LSIS)
    add(
      'lsis',
      `A table can have at most ${MAX_LSIS} local secondary indexes; remove ${spec.lsis.length - MAX_LSIS}.`,
    )
  if (spec.lsis.length > 0 && !spec.sortKey)
    add('lsis', 'A local secondary index needs a table with a sort key: add one, or use a global index.')

  const indexNames = new Map<string, string>()
  const nameCheck = (name: string, field: string) => {
    add(field, nameProblem(name, 'index'))
    const other = indexNames.get(name)
    if (name && other) add(field, `Another index (${other}) is already named ${name}.`)
    else indexNames.set(name, field)
  }
  let projected = 0
  spec.gsis.forEach((g, i) => {
    const at = `gsis.${i}`
    nameCheck(g.name, `${at}.name`)
    add(`${at}.partitionKey`, keyProblem(g.partitionKey, 'partition key'))
    typeCheck(g.partitionKey, `${at}.partitionKey`, `index ${g.name || i + 1}`)
    if (g.sortKey) {
      add(`${at}.sortKey`, keyProblem(g.sortKey, 'sort key'))
      if (g.sortKey.name && g.sortKey.name === g.partitionKey.name)
        add(`${at}.sortKey`, 'The sort key must be a different attribute from the partition key.')
      typeCheck(g.sortKey, `${at}.sortKey`, `index ${g.name || i + 1}`)
    }
    add(`${at}.projection`, projectionProblem(g.projection))
    projected += g.projection.type === 'INCLUDE' ? (g.projection.nonKeyAttributes?.length ?? 0) : 0
    if (spec.billing.mode === 'PROVISIONED')
      add(`${at}.capacity`, capacityProblem(g.capacity, `Index ${g.name || i + 1}`))
  })
  spec.lsis.forEach((l, i) => {
    const at = `lsis.${i}`
    nameCheck(l.name, `${at}.name`)
    add(`${at}.sortKey`, keyProblem(l.sortKey, 'sort key'))
    if (l.sortKey.name && l.sortKey.name === spec.partitionKey.name)
      add(`${at}.sortKey`, 'The sort key must be a different attribute from the partition key.')
    typeCheck(l.sortKey, `${at}.sortKey`, `index ${l.name || i + 1}`)
    add(`${at}.projection`, projectionProblem(l.projection))
    projected += l.projection.type === 'INCLUDE' ? (l.projection.nonKeyAttributes?.length ?? 0) : 0
  })
  if (projected > MAX_PROJECTED_ATTRIBUTES)
    add(
      'indexes',
      `The indexes project ${projected} non-key attributes in all; DynamoDB allows ${MAX_PROJECTED_ATTRIBUTES}.`,
    )
  if (spec.billing.mode === 'PROVISIONED') add('billing', capacityProblem(spec.billing, 'The table'))
  return issues
}

/** The attribute definitions CreateTable needs: every key attribute of the table and its indexes, once. */
export function attributeDefinitions(spec: TableSpec): KeySpec[] {
  const out = new Map<string, KeySpec>()
  const put = (k: KeySpec | undefined) => {
    if (k?.name && !out.has(k.name)) out.set(k.name, { name: k.name, type: k.type })
  }
  put(spec.partitionKey)
  put(spec.sortKey)
  for (const g of spec.gsis) {
    put(g.partitionKey)
    put(g.sortKey)
  }
  for (const l of spec.lsis) put(l.sortKey)
  return [...out.values()]
}
