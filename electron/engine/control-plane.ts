import { randomUUID } from 'node:crypto'
import { type EngineState, requireTable, tableArn } from './engine-state'
import {
  asObject,
  checkTableName,
  optArray,
  optBool,
  optEnum,
  optInt,
  optNumber,
  optObject,
  optString,
  reqString,
  type Req,
} from './request-shape'
import { lowerBound } from './storage/ordered-store'
import { OrderedStore } from './storage/ordered-store'
import {
  backfillIndex,
  createIndexState,
  hashNames,
  type IndexState,
  keyNames,
  rangeNames,
  type KeySchema,
  type ProjectionType,
  type ProvisionedThroughput,
  type StreamViewType,
  type TableState,
  tableComparator,
} from './table'
import type { ScalarAttributeType } from './types'
import { DynamoError, validation } from './types'

/** https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html */
const MAX_GSIS = 20
const MAX_LSIS = 5
const MAX_PROJECTED_NON_KEY = 100
const STREAM_VIEW_TYPES = ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'] as const
const invalid = (detail: string) => validation(`One or more parameter values were invalid: ${detail}`)

const seconds = (ms: number) => ms / 1000

// ---------------------------------------------------------------------------------------------------------------
// Parsing of CreateTable / UpdateTable members

function parseAttributeDefinitions(raw: unknown[] | undefined): Map<string, ScalarAttributeType> {
  const types = new Map<string, ScalarAttributeType>()
  for (const entry of raw ?? []) {
    const def = asObject(entry, 'AttributeDefinition')
    const name = reqString(def, 'AttributeName')
    const type = optEnum(def, 'AttributeType', ['S', 'N', 'B'] as const)
    if (type === undefined) {
      throw validation(
        "1 validation error detected: Value null at 'attributeDefinitions.member.attributeType' failed to satisfy constraint: Member must not be null",
      )
    }
    if (name.length === 0 || name.length > 255) {
      throw validation(
        'One or more parameter values were invalid: An AttributeName must be between 1 and 255 characters',
      )
    }
    if (types.has(name)) throw invalid(`Duplicate AttributeName in AttributeDefinitions: ${name}`)
    types.set(name, type)
  }
  return types
}

const MAX_KEY_PARTS = 4

/**
 * A GSI key of several partition or sort key attributes (DynamoDB's multi-attribute keys, up to four of each, every
 * HASH before any RANGE). Worded as DynamoDB Local 3.3.1 words it.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.DesignPattern.MultiAttributeKeys.html
 */
function parseMultiAttributeKeySchema(raw: unknown[], member: string): KeySchema {
  if (raw.length > 2 * MAX_KEY_PARTS) {
    throw validation(
      `1 validation error detected: Value '${JSON.stringify(raw)}' at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${2 * MAX_KEY_PARTS}`,
    )
  }
  const elements = raw.map((e) => {
    const o = asObject(e, 'KeySchemaElement')
    const name = reqString(o, 'AttributeName')
    const type = optEnum(o, 'KeyType', ['HASH', 'RANGE'] as const)
    if (type === undefined) {
      throw validation(
        `1 validation error detected: Value null at '${member}.member.keyType' failed to satisfy constraint: Member must not be null`,
      )
    }
    if (name.length === 0 || name.length > 255) {
      throw validation(
        'One or more parameter values were invalid: An AttributeName must be between 1 and 255 characters',
      )
    }
    return { name, type }
  })
  if (elements[0]?.type !== 'HASH')
    throw validation('Invalid KeySchema: The first KeySchemaElement is not a HASH key type')
  const firstRange = elements.findIndex((e) => e.type === 'RANGE')
  if (firstRange >= 0 && elements.slice(firstRange).some((e) => e.type === 'HASH')) {
    throw validation(
      'Invalid key order. Hash Key must be specified first in key schema, Range Key must be specifed second',
    )
  }
  const hashParts = elements.filter((e) => e.type === 'HASH').map((e) => e.name)
  const rangeParts = elements.filter((e) => e.type === 'RANGE').map((e) => e.name)
  if (hashParts.length > MAX_KEY_PARTS)
    throw validation(`Too many partition keys. GSI can have at most ${MAX_KEY_PARTS} partition keys`)
  if (rangeParts.length > MAX_KEY_PARTS)
    throw validation(`Too many sort keys. GSI can have at most ${MAX_KEY_PARTS} sort keys`)
  if (new Set(elements.map((e) => e.name)).size !== elements.length)
    throw validation('Two keys can not have the same name')
  const schema: KeySchema = { hash: hashParts[0] as string, hashParts, rangeParts }
  if (rangeParts.length > 0) schema.range = rangeParts[0]
  return schema
}

/** A key schema of more than one partition key attribute or more than one sort key attribute. */
function isMultiAttributeRequest(raw: unknown[]): boolean {
  const types = raw.map((e) => (e !== null && typeof e === 'object' ? (e as Req).KeyType : undefined))
  return raw.length > 2 || (raw.length === 2 && types[0] === 'HASH' && types[1] === 'HASH')
}

function parseKeySchema(raw: unknown[] | undefined, member: string, multiAttribute = false): KeySchema {
  if (raw === undefined) {
    throw validation(
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    )
  }
  if (multiAttribute && isMultiAttributeRequest(raw)) return parseMultiAttributeKeySchema(raw, member)
  if (raw.length < 1 || raw.length > 2) {
    throw validation(
      `1 validation error detected: Value '${JSON.stringify(raw)}' at '${member}' failed to satisfy constraint: Member must have length ${raw.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 2'}`,
    )
  }
  const elements = raw.map((e) => {
    const o = asObject(e, 'KeySchemaElement')
    const name = reqString(o, 'AttributeName')
    const type = optEnum(o, 'KeyType', ['HASH', 'RANGE'] as const)
    if (type === undefined) {
      throw validation(
        `1 validation error detected: Value null at '${member}.member.keyType' failed to satisfy constraint: Member must not be null`,
      )
    }
    if (name.length === 0 || name.length > 255) {
      throw validation(
        'One or more parameter values were invalid: An AttributeName must be between 1 and 255 characters',
      )
    }
    return { name, type }
  })
  const [first, second] = elements
  if (first?.type !== 'HASH')
    throw validation('Invalid KeySchema: The first KeySchemaElement is not a HASH key type')
  if (second && second.type !== 'RANGE')
    throw validation('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type')
  if (second && second.name === first.name) {
    throw validation('Both the Hash Key and the Range Key element in the KeySchema have the same name')
  }
  return second ? { hash: first.name, range: second.name } : { hash: first.name }
}

function parseThroughput(raw: Req | undefined, member: string): ProvisionedThroughput | undefined {
  if (!raw) return undefined
  const r = optNumber(raw, 'ReadCapacityUnits')
  const w = optNumber(raw, 'WriteCapacityUnits')
  if (r === undefined || w === undefined) {
    throw validation(
      `1 validation error detected: Value null at '${member}.${r === undefined ? 'readCapacityUnits' : 'writeCapacityUnits'}' failed to satisfy constraint: Member must not be null`,
    )
  }
  if (r < 1 || w < 1) {
    throw validation(
      `1 validation error detected: Value '${r < 1 ? r : w}' at '${member}.${r < 1 ? 'readCapacityUnits' : 'writeCapacityUnits'}' failed to satisfy constraint: Member must have value greater than or equal to 1`,
    )
  }
  return { ReadCapacityUnits: r, WriteCapacityUnits: w }
}

interface IndexDef {
  name: string
  kind: 'GSI' | 'LSI'
  schema: KeySchema
  projectionType: ProjectionType
  nonKeyAttributes?: string[]
  provisioned?: ProvisionedThroughput
}

function parseIndex(raw: unknown, kind: 'GSI' | 'LSI', billing: 'PROVISIONED' | 'PAY_PER_REQUEST'): IndexDef {
  const o = asObject(raw, kind === 'GSI' ? 'GlobalSecondaryIndex' : 'LocalSecondaryIndex')
  const name = reqString(o, 'IndexName')
  checkTableName(name, 'indexName')
  const schema = parseKeySchema(optArray(o, 'KeySchema'), 'keySchema', kind === 'GSI')
  const projection = optObject(o, 'Projection')
  if (!projection) {
    throw validation(
      "1 validation error detected: Value null at 'projection' failed to satisfy constraint: Member must not be null",
    )
  }
  const projectionType = optEnum(projection, 'ProjectionType', ['ALL', 'KEYS_ONLY', 'INCLUDE'] as const)
  const nonKeyRaw = optArray(projection, 'NonKeyAttributes')
  const nonKeyAttributes = nonKeyRaw?.map((n) => {
    if (typeof n !== 'string')
      throw new DynamoError('SerializationException', 'NonKeyAttributes must be strings')
    return n
  })
  if (projectionType === undefined) {
    throw invalid('Unknown ProjectionType: null')
  }
  if (projectionType === 'INCLUDE' && (!nonKeyAttributes || nonKeyAttributes.length === 0)) {
    throw invalid('ProjectionType is INCLUDE, but NonKeyAttributes is not specified')
  }
  if (projectionType !== 'INCLUDE' && nonKeyAttributes !== undefined) {
    throw invalid(`ProjectionType is ${projectionType}, but NonKeyAttributes is specified`)
  }
  if (nonKeyAttributes && new Set(nonKeyAttributes).size !== nonKeyAttributes.length) {
    throw invalid(`Duplicate NonKeyAttributes in Projection for index: ${name}`)
  }
  const provisioned =
    kind === 'GSI'
      ? parseThroughput(optObject(o, 'ProvisionedThroughput'), 'provisionedThroughput')
      : undefined
  if (kind === 'GSI') {
    if (billing === 'PROVISIONED' && !provisioned) {
      throw invalid(`ProvisionedThroughput must be specified for index: ${name}`)
    }
    if (billing === 'PAY_PER_REQUEST' && provisioned) {
      throw invalid(
        `ProvisionedThroughput should not be specified for index: ${name} when BillingMode is PAY_PER_REQUEST`,
      )
    }
  }
  const def: IndexDef = { name, kind, schema, projectionType }
  if (nonKeyAttributes) def.nonKeyAttributes = nonKeyAttributes
  if (provisioned) def.provisioned = provisioned
  return def
}

function parseStreamSpec(raw: Req | undefined): { enabled: boolean; viewType?: StreamViewType } | undefined {
  if (!raw) return undefined
  const enabled = optBool(raw, 'StreamEnabled')
  if (enabled === undefined) {
    throw validation(
      "1 validation error detected: Value null at 'streamSpecification.streamEnabled' failed to satisfy constraint: Member must not be null",
    )
  }
  const viewType = optEnum(raw, 'StreamViewType', STREAM_VIEW_TYPES)
  if (enabled && viewType === undefined)
    throw invalid('You must specify a StreamViewType when enabling a stream')
  if (!enabled && viewType !== undefined)
    throw invalid('You cannot modify the StreamViewType when disabling a stream')
  return viewType === undefined ? { enabled } : { enabled, viewType }
}

function parseTags(raw: unknown[] | undefined): [string, string][] {
  return (raw ?? []).map((t) => {
    const o = asObject(t, 'Tag')
    const key = reqString(o, 'Key')
    const value = reqString(o, 'Value')
    if (key.length < 1 || key.length > 128) throw invalid('Tag key must be between 1 and 128 characters')
    if (value.length > 256) throw invalid('Tag value must be at most 256 characters')
    return [key, value]
  })
}

// ---------------------------------------------------------------------------------------------------------------
// Descriptions

function keySchemaWire(s: KeySchema) {
  return [
    ...hashNames(s).map((AttributeName) => ({ AttributeName, KeyType: 'HASH' })),
    ...rangeNames(s).map((AttributeName) => ({ AttributeName, KeyType: 'RANGE' })),
  ]
}

function throughputWire(p: ProvisionedThroughput | undefined) {
  return {
    NumberOfDecreasesToday: 0,
    ReadCapacityUnits: p?.ReadCapacityUnits ?? 0,
    WriteCapacityUnits: p?.WriteCapacityUnits ?? 0,
  }
}

function projectionWire(index: IndexState) {
  const p: Record<string, unknown> = { ProjectionType: index.projectionType }
  if (index.nonKeyAttributes) p.NonKeyAttributes = index.nonKeyAttributes
  return p
}

/** GSIs an UpdateTable is creating or deleting, described as the UpdateTable answer shows them. */
interface IndexChanges {
  creating?: ReadonlySet<string>
  deleting?: readonly IndexState[]
}

export function describeTable(
  table: TableState,
  status = 'ACTIVE',
  changes: IndexChanges = {},
): Record<string, unknown> {
  const d: Record<string, unknown> = {
    AttributeDefinitions: table.attributeDefinitions,
    TableName: table.name,
    KeySchema: keySchemaWire(table.schema),
    TableStatus: status,
    CreationDateTime: seconds(table.createdAt),
    ProvisionedThroughput: throughputWire(
      table.billingMode === 'PROVISIONED' ? table.provisioned : undefined,
    ),
    TableSizeBytes: table.sizeBytes,
    ItemCount: table.itemCount,
    TableArn: table.arn,
    TableId: table.tableId,
  }
  // A table that was ever on demand keeps its summary after a switch to PROVISIONED (DynamoDB Local and dynalite's
  // updateTable alike). https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BillingModeSummary.html
  if (table.lastPayPerRequestAt !== undefined) {
    d.BillingModeSummary = {
      BillingMode: table.billingMode,
      LastUpdateToPayPerRequestDateTime: seconds(table.lastPayPerRequestAt),
    }
  }
  if (table.lsis.size > 0) {
    d.LocalSecondaryIndexes = [...table.lsis.values()].map((i) => ({
      IndexName: i.name,
      KeySchema: keySchemaWire(i.schema),
      Projection: projectionWire(i),
      IndexSizeBytes: i.sizeBytes,
      ItemCount: i.itemCount,
      IndexArn: i.arn,
    }))
  }
  const gsis = [...table.gsis.values(), ...(changes.deleting ?? [])]
  if (gsis.length > 0) {
    d.GlobalSecondaryIndexes = gsis.map((i) => {
      // The UpdateTable answer shows a new index CREATING (not yet backfilled, so no size or count) and a dropped
      // one DELETING; the engine builds and drops indexes at once, so later descriptions say ACTIVE or nothing.
      // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GlobalSecondaryIndexDescription.html
      const state = changes.creating?.has(i.name)
        ? 'CREATING'
        : changes.deleting?.includes(i)
          ? 'DELETING'
          : 'ACTIVE'
      const g: Record<string, unknown> = {
        IndexName: i.name,
        KeySchema: keySchemaWire(i.schema),
        Projection: projectionWire(i),
        IndexStatus: state,
      }
      if (state === 'CREATING') g.Backfilling = false
      g.ProvisionedThroughput = throughputWire(
        table.billingMode === 'PROVISIONED' ? i.provisioned : undefined,
      )
      if (state === 'ACTIVE') {
        g.IndexSizeBytes = i.sizeBytes
        g.ItemCount = i.itemCount
      }
      g.IndexArn = i.arn
      if (i.onDemandThroughput && table.billingMode === 'PAY_PER_REQUEST')
        g.OnDemandThroughput = { MaxReadRequestUnits: -1, MaxWriteRequestUnits: -1 }
      return g
    })
  }
  if (table.streamArn !== undefined) {
    d.StreamSpecification = { StreamEnabled: true, StreamViewType: table.streamViewType }
  }
  if (table.latestStreamArn !== undefined) {
    d.LatestStreamLabel = table.latestStreamLabel
    d.LatestStreamArn = table.latestStreamArn
  }
  d.DeletionProtectionEnabled = table.deletionProtection
  if (table.restoreSummary) d.RestoreSummary = { ...table.restoreSummary, RestoreInProgress: false }
  return d
}

// ---------------------------------------------------------------------------------------------------------------
// Operations

export function createTable(state: EngineState, req: Req) {
  const name = reqString(req, 'TableName')
  checkTableName(name)
  const attributeTypes = parseAttributeDefinitions(optArray(req, 'AttributeDefinitions'))
  const schema = parseKeySchema(optArray(req, 'KeySchema'), 'keySchema')
  const billing = optEnum(req, 'BillingMode', ['PROVISIONED', 'PAY_PER_REQUEST'] as const) ?? 'PROVISIONED'
  const throughputRaw = optObject(req, 'ProvisionedThroughput')
  const provisioned = parseThroughput(throughputRaw, 'provisionedThroughput')
  if (billing === 'PROVISIONED' && !provisioned) {
    throw invalid(
      'ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
    )
  }
  if (billing === 'PAY_PER_REQUEST' && provisioned) {
    throw invalid(
      'Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
    )
  }
  const gsiRaw = optArray(req, 'GlobalSecondaryIndexes')
  const lsiRaw = optArray(req, 'LocalSecondaryIndexes')
  if (gsiRaw && gsiRaw.length === 0) throw invalid('List of GlobalSecondaryIndexes is empty')
  if (lsiRaw && lsiRaw.length === 0) throw invalid('List of LocalSecondaryIndexes is empty')
  if ((gsiRaw?.length ?? 0) > MAX_GSIS)
    throw invalid(`GlobalSecondaryIndex count exceeds the per-table limit of ${MAX_GSIS}`)
  if ((lsiRaw?.length ?? 0) > MAX_LSIS)
    throw invalid(`LocalSecondaryIndex count exceeds the per-table limit of ${MAX_LSIS}`)
  const gsiDefs = (gsiRaw ?? []).map((g) => parseIndex(g, 'GSI', billing))
  const lsiDefs = (lsiRaw ?? []).map((l) => parseIndex(l, 'LSI', billing))
  const stream = parseStreamSpec(optObject(req, 'StreamSpecification'))
  const tags = parseTags(optArray(req, 'Tags'))
  const deletionProtection = optBool(req, 'DeletionProtectionEnabled') ?? false

  // Every key attribute must be defined, and every definition must be used by some key.
  // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
  const used = new Set<string>()
  for (const s of [schema, ...gsiDefs.map((d) => d.schema), ...lsiDefs.map((d) => d.schema)]) {
    const missing = keyNames(s).filter((n) => !attributeTypes.has(n))
    if (missing.length > 0) {
      throw invalid(
        `Some index key attributes are not defined in AttributeDefinitions. Keys: [${missing.join(', ')}], AttributeDefinitions: [${[...attributeTypes.keys()].join(', ')}]`,
      )
    }
    for (const n of keyNames(s)) used.add(n)
  }
  if (used.size !== attributeTypes.size) {
    throw invalid(
      'Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
    )
  }
  const names = new Set<string>()
  for (const d of [...lsiDefs, ...gsiDefs]) {
    if (names.has(d.name)) throw invalid(`Duplicate index name: ${d.name}`)
    names.add(d.name)
  }
  if (lsiDefs.length > 0 && schema.range === undefined) {
    throw invalid(
      'Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex',
    )
  }
  for (const d of lsiDefs) {
    if (d.schema.range === undefined)
      throw invalid(`Index KeySchema does not have a range key for index: ${d.name}`)
    if (d.schema.hash !== schema.hash) {
      throw invalid(
        `Index KeySchema does not have the same leading hash key as table KeySchema for index: ${d.name}. index hash key: ${d.schema.hash}, table hash key: ${schema.hash}`,
      )
    }
  }
  const projectedCount = [...gsiDefs, ...lsiDefs].reduce((n, d) => n + (d.nonKeyAttributes?.length ?? 0), 0)
  if (projectedCount > MAX_PROJECTED_NON_KEY) {
    throw invalid(`The number of projected non-key attributes exceeds the limit of ${MAX_PROJECTED_NON_KEY}`)
  }
  if (state.tables.has(name)) throw new DynamoError('ResourceInUseException', `Table already exists: ${name}`)

  const now = state.now()
  const arn = tableArn(state, name)
  const base = { name, arn, schema, attributeTypes }
  const table: TableState = {
    name,
    arn,
    tableId: randomUUID(),
    createdAt: now,
    attributeDefinitions: [...attributeTypes].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType,
    })),
    attributeTypes,
    schema,
    store: new OrderedStore(tableComparator(schema)),
    itemCount: 0,
    sizeBytes: 0,
    billingMode: billing,
    billingModeChangedAt: now,
    lastPayPerRequestAt: billing === 'PAY_PER_REQUEST' ? now : undefined,
    provisioned: provisioned ?? { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
    gsis: new Map(gsiDefs.map((d) => [d.name, createIndexState(base, d)])),
    lsis: new Map(lsiDefs.map((d) => [d.name, createIndexState(base, d)])),
    streamArn: undefined,
    streamViewType: undefined,
    latestStreamArn: undefined,
    latestStreamLabel: undefined,
    deletionProtection,
    tags: new Map(tags),
  }
  if (stream?.enabled && stream.viewType) enableStream(state, table, stream.viewType)
  state.tables.set(name, table)
  const names2 = state.tableNames
  names2.splice(
    lowerBound(names2, (n) => n < name),
    0,
    name,
  )
  return { TableDescription: describeTable(table) }
}

function enableStream(state: EngineState, table: TableState, viewType: StreamViewType): void {
  const { arn, label } = state.hub.create(table.arn, table.name, viewType, table.schema)
  table.streamArn = arn
  table.streamViewType = viewType
  table.latestStreamArn = arn
  table.latestStreamLabel = label
}

export function describe(state: EngineState, req: Req) {
  const table = requireTable(state, reqString(req, 'TableName'), false)
  return { Table: describeTable(table) }
}

export function deleteTable(state: EngineState, req: Req) {
  const table = requireTable(state, reqString(req, 'TableName'), false)
  if (table.deletionProtection) {
    throw validation(
      `Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.`,
    )
  }
  state.hub.disable(table.streamArn)
  state.tables.delete(table.name)
  const i = state.tableNames.indexOf(table.name)
  if (i >= 0) state.tableNames.splice(i, 1)
  return { TableDescription: describeTable(table, 'DELETING') }
}

export function listTables(state: EngineState, req: Req) {
  const limit = optInt(req, 'Limit')
  const start = optString(req, 'ExclusiveStartTableName')
  if (limit !== undefined && (limit < 1 || limit > 100)) {
    throw validation(
      `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value ${limit < 1 ? 'greater than or equal to 1' : 'less than or equal to 100'}`,
    )
  }
  if (start !== undefined) checkTableName(start, 'exclusiveStartTableName')
  const names = state.tableNames
  const from = start === undefined ? 0 : lowerBound(names, (n) => n <= start)
  const max = limit ?? 100
  const page = names.slice(from, from + max)
  const out: Record<string, unknown> = { TableNames: page }
  if (from + max < names.length) {
    out.LastEvaluatedTableName = page[page.length - 1]
  }
  return out
}

export function updateTable(state: EngineState, req: Req) {
  const table = requireTable(state, reqString(req, 'TableName'), false)
  const billing = optEnum(req, 'BillingMode', ['PROVISIONED', 'PAY_PER_REQUEST'] as const)
  const provisioned = parseThroughput(optObject(req, 'ProvisionedThroughput'), 'provisionedThroughput')
  const stream = parseStreamSpec(optObject(req, 'StreamSpecification'))
  const updates = optArray(req, 'GlobalSecondaryIndexUpdates')
  const newTypes = parseAttributeDefinitions(optArray(req, 'AttributeDefinitions'))
  const deletionProtection = optBool(req, 'DeletionProtectionEnabled')
  const targetBilling = billing ?? table.billingMode
  if (
    billing === undefined &&
    provisioned === undefined &&
    stream === undefined &&
    updates === undefined &&
    deletionProtection === undefined
  ) {
    throw validation(
      'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required',
    )
  }
  if (targetBilling === 'PAY_PER_REQUEST' && provisioned) {
    throw invalid(
      'Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
    )
  }
  if (billing === 'PROVISIONED' && table.billingMode === 'PAY_PER_REQUEST' && !provisioned) {
    throw invalid('ProvisionedThroughput must be specified when BillingMode is PROVISIONED')
  }
  if (stream) {
    // Worded as DynamoDB Local 3.3.1 words them (dynalite does not implement stream updates).
    if (stream.enabled && table.streamArn !== undefined)
      throw validation('Table already has an enabled stream')
    if (!stream.enabled && table.streamArn === undefined) throw validation('Table has no stream to disable')
  }
  // Parse the index changes fully before applying any, so a rejected request changes nothing.
  const creates: IndexDef[] = []
  const deletes: string[] = []
  const throughputUpdates: [IndexState, ProvisionedThroughput][] = []
  for (const u of updates ?? []) {
    const o = asObject(u, 'GlobalSecondaryIndexUpdate')
    const create = optObject(o, 'Create')
    const del = optObject(o, 'Delete')
    const upd = optObject(o, 'Update')
    if ([create, del, upd].filter(Boolean).length !== 1) {
      throw invalid('One of GlobalSecondaryIndexUpdate.Create, Update, or Delete must be specified')
    }
    if (create) {
      const def = parseIndex(create, 'GSI', targetBilling)
      for (const n of keyNames(def.schema)) {
        if (n !== undefined && !newTypes.has(n) && !table.attributeTypes.has(n)) {
          throw invalid(
            `Some index key attributes are not defined in AttributeDefinitions. Keys: [${n}], AttributeDefinitions: [${[...newTypes.keys()].join(', ')}]`,
          )
        }
        const declared = newTypes.get(n ?? '')
        if (
          n !== undefined &&
          declared !== undefined &&
          table.attributeTypes.has(n) &&
          table.attributeTypes.get(n) !== declared
        ) {
          throw invalid(`Cannot change the type of attribute ${n}`)
        }
      }
      if (table.gsis.has(def.name) || table.lsis.has(def.name) || creates.some((c) => c.name === def.name)) {
        throw invalid(`Attempting to create an index which already exists: ${def.name}`)
      }
      creates.push(def)
    } else if (del) {
      const name = reqString(del, 'IndexName')
      if (!table.gsis.has(name))
        throw new DynamoError('ResourceNotFoundException', 'Requested resource not found')
      deletes.push(name)
    } else if (upd) {
      const name = reqString(upd, 'IndexName')
      const index = table.gsis.get(name)
      if (!index) throw new DynamoError('ResourceNotFoundException', 'Requested resource not found')
      const p = parseThroughput(optObject(upd, 'ProvisionedThroughput'), 'provisionedThroughput')
      if (!p)
        throw validation(
          "1 validation error detected: Value null at 'provisionedThroughput' failed to satisfy constraint: Member must not be null",
        )
      throughputUpdates.push([index, p])
    }
  }
  if (table.gsis.size - deletes.length + creates.length > MAX_GSIS) {
    throw invalid(`GlobalSecondaryIndex count exceeds the per-table limit of ${MAX_GSIS}`)
  }

  const now = state.now()
  if (billing !== undefined && billing !== table.billingMode) {
    table.billingMode = billing
    table.billingModeChangedAt = now
    if (billing === 'PAY_PER_REQUEST') table.lastPayPerRequestAt = now
  }
  if (provisioned) table.provisioned = provisioned
  for (const [index, p] of throughputUpdates) index.provisioned = p
  const deleting = deletes.map((name) => table.gsis.get(name) as IndexState)
  for (const name of deletes) table.gsis.delete(name)
  if (deletes.length > 0) {
    // An attribute definition lives only as long as a key schema uses it: dropping the last index keyed on an
    // attribute drops its definition too (as DynamoDB Local answers).
    const used = new Set<string>()
    for (const s of [
      table.schema,
      ...[...table.gsis.values(), ...table.lsis.values()].map((i) => i.schema),
    ]) {
      used.add(s.hash)
      if (s.range !== undefined) used.add(s.range)
    }
    for (let i = table.attributeDefinitions.length - 1; i >= 0; i--) {
      const name = table.attributeDefinitions[i]!.AttributeName
      if (!used.has(name)) {
        table.attributeDefinitions.splice(i, 1)
        table.attributeTypes.delete(name)
      }
    }
  }
  for (const def of creates) {
    for (const n of keyNames(def.schema)) {
      const t = n === undefined ? undefined : newTypes.get(n)
      if (n !== undefined && t !== undefined && !table.attributeTypes.has(n)) {
        table.attributeTypes.set(n, t)
        table.attributeDefinitions.push({ AttributeName: n, AttributeType: t })
      }
    }
    const index = createIndexState(table, def)
    if (table.billingMode === 'PAY_PER_REQUEST') index.onDemandThroughput = true
    backfillIndex(table, index)
    table.gsis.set(def.name, index)
  }
  if (stream) {
    if (stream.enabled && stream.viewType) enableStream(state, table, stream.viewType)
    else {
      state.hub.disable(table.streamArn)
      table.streamArn = undefined
      table.streamViewType = undefined
    }
  }
  if (deletionProtection !== undefined) table.deletionProtection = deletionProtection
  return {
    TableDescription: describeTable(table, 'ACTIVE', {
      creating: new Set(creates.map((c) => c.name)),
      deleting,
    }),
  }
}

export function describeLimits() {
  return {
    AccountMaxReadCapacityUnits: 80000,
    AccountMaxWriteCapacityUnits: 80000,
    TableMaxReadCapacityUnits: 40000,
    TableMaxWriteCapacityUnits: 40000,
  }
}

export function describeTimeToLive(state: EngineState, req: Req) {
  requireTable(state, reqString(req, 'TableName'), false)
  return { TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } }
}

export function describeEndpoints(state: EngineState) {
  return { Endpoints: [{ Address: `dynamodb.${state.region}.amazonaws.com`, CachePeriodInMinutes: 1440 }] }
}

function tableByArn(state: EngineState, arn: string): TableState {
  if (arn.length < 1 || arn.length > 1283) {
    throw validation(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`)
  }
  const prefix = `arn:aws:dynamodb:${state.region}:${state.accountId}:table/`
  const name = arn.startsWith(prefix) ? arn.slice(prefix.length) : undefined
  const table = name === undefined ? undefined : state.tables.get(name)
  if (!table)
    throw new DynamoError(
      'ResourceNotFoundException',
      `Requested resource not found: ResourcArn: ${arn} not found`,
    )
  return table
}

export function tagResource(state: EngineState, req: Req) {
  const table = tableByArn(state, reqString(req, 'ResourceArn'))
  const tags = parseTags(optArray(req, 'Tags') ?? [])
  if (tags.length === 0) throw invalid('Atleast one Tag needs to be provided as Input.')
  if (new Set([...table.tags.keys(), ...tags.map(([k]) => k)]).size > 50)
    throw new DynamoError('LimitExceededException', 'Too many tags')
  for (const [k, v] of tags) table.tags.set(k, v)
  return {}
}

export function untagResource(state: EngineState, req: Req) {
  const table = tableByArn(state, reqString(req, 'ResourceArn'))
  const keys = optArray(req, 'TagKeys')
  if (!keys || keys.length === 0) throw invalid('Atleast one Tag Key needs to be provided as Input.')
  for (const k of keys) {
    if (typeof k !== 'string') throw new DynamoError('SerializationException', 'TagKeys must be strings')
  }
  for (const k of keys as string[]) table.tags.delete(k)
  return {}
}

export function listTagsOfResource(state: EngineState, req: Req) {
  const table = tableByArn(state, reqString(req, 'ResourceArn'))
  optString(req, 'NextToken')
  return { Tags: [...table.tags].map(([Key, Value]) => ({ Key, Value })) }
}
