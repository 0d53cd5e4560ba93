/**
 * On-demand backups and the point-in-time recovery setting. A backup is a snapshot of a table's definition and
 * items at CreateBackup time; RestoreTableFromBackup builds a new table from it. The store is plain data on the
 * engine state (BackupStore), so a durability layer can persist it as it is.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Backup-and-Restore.html
 *
 * What a restore keeps follows the developer guide: items, key schema, GSIs and LSIs (or their overrides), billing
 * mode and provisioned throughput. Tags, streams, TTL, point-in-time recovery, auto scaling and deletion protection
 * are not restored. DynamoDB Local 3.3.1 implements none of these operations, so they are checked against the
 * documented behaviour (backups.test.ts).
 */
import { randomBytes } from 'node:crypto'
import { createTable, describeTable } from './control-plane'
import { type EngineState, tableArn } from './engine-state'
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
import {
  hashNames,
  itemIdentity,
  type KeySchema,
  keyOf,
  type ProjectionType,
  type ProvisionedThroughput,
  rangeNames,
  type TableState,
  writeItem,
} from './table'
import type { OperationGroup } from './operations'
import {
  foldBefore,
  historyOf,
  type ItemHistory,
  itemsAt,
  startHistory,
  stopHistory,
} from './storage/item-history'
import type { Item, ScalarAttributeType } from './types'
import { DynamoError, validation } from './types'

interface IndexSnapshot {
  IndexName: string
  KeySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[]
  Projection: { ProjectionType: ProjectionType; NonKeyAttributes?: string[] }
  ProvisionedThroughput?: ProvisionedThroughput
}

/** A table as a backup keeps it: its definition in DynamoDB's own wire shapes, and its items. */
export interface BackupRecord {
  arn: string
  name: string
  /** Epoch milliseconds. */
  createdAt: number
  sizeBytes: number
  source: {
    tableName: string
    tableArn: string
    tableId: string
    createdAt: number
    itemCount: number
    attributeDefinitions: { AttributeName: string; AttributeType: ScalarAttributeType }[]
    keySchema: KeySchema
    billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST'
    provisioned: ProvisionedThroughput
    globalSecondaryIndexes: IndexSnapshot[]
    localSecondaryIndexes: IndexSnapshot[]
  }
  /** The items at backup time. Stored items are never mutated (writes replace them), so they are shared, not copied. */
  items: Item[]
}

export interface PointInTimeRecovery {
  enabled: boolean
  /** When recovery was last enabled (epoch milliseconds). */
  since: number
  recoveryPeriodInDays: number
}

/** Everything backups keep, by backup ARN and by table id (a re-created table of the same name starts afresh). */
export interface BackupStore {
  readonly backups: Map<string, BackupRecord>
  readonly pointInTimeRecovery: Map<string, PointInTimeRecovery>
}

const storeOf = (state: EngineState): BackupStore => state.backups

const seconds = (ms: number) => ms / 1000

const tableNotFound = (name: string) => new DynamoError('TableNotFoundException', `Table not found: ${name}`)

/** TableName may also be the table's ARN (DescribeContinuousBackups, UpdateContinuousBackups, CreateBackup). */
function tableNamed(state: EngineState, nameOrArn: string): TableState {
  const prefix = tableArn(state, '')
  const name = nameOrArn.startsWith(prefix) ? nameOrArn.slice(prefix.length) : nameOrArn
  const table = state.tables.get(name)
  if (!table) throw tableNotFound(name)
  return table
}

function backupNamed(state: EngineState, arn: string): BackupRecord {
  const b = storeOf(state).backups.get(arn)
  if (!b) throw new DynamoError('BackupNotFoundException', `Backup not found: ${arn}`)
  return b
}

function indexSnapshot(table: TableState, kind: 'GSI' | 'LSI'): IndexSnapshot[] {
  return [...(kind === 'GSI' ? table.gsis : table.lsis).values()].map((i) => {
    const s: IndexSnapshot = {
      IndexName: i.name,
      KeySchema: [
        ...hashNames(i.schema).map((AttributeName) => ({ AttributeName, KeyType: 'HASH' as const })),
        ...rangeNames(i.schema).map((AttributeName) => ({ AttributeName, KeyType: 'RANGE' as const })),
      ],
      Projection: {
        ProjectionType: i.projectionType,
        ...(i.nonKeyAttributes ? { NonKeyAttributes: [...i.nonKeyAttributes] } : {}),
      },
    }
    if (kind === 'GSI' && i.provisioned) s.ProvisionedThroughput = { ...i.provisioned }
    return s
  })
}

function details(b: BackupRecord, status = 'AVAILABLE') {
  return {
    BackupArn: b.arn,
    BackupName: b.name,
    BackupSizeBytes: b.sizeBytes,
    BackupStatus: status,
    BackupType: 'USER',
    BackupCreationDateTime: seconds(b.createdAt),
  }
}

function keySchemaWire(s: KeySchema) {
  return [
    { AttributeName: s.hash, KeyType: 'HASH' },
    ...(s.range === undefined ? [] : [{ AttributeName: s.range, KeyType: 'RANGE' }]),
  ]
}

function description(b: BackupRecord, status = 'AVAILABLE') {
  const src = b.source
  const features: Record<string, unknown> = {}
  if (src.localSecondaryIndexes.length > 0) {
    features.LocalSecondaryIndexes = src.localSecondaryIndexes.map(
      ({ IndexName, KeySchema, Projection }) => ({ IndexName, KeySchema, Projection }),
    )
  }
  if (src.globalSecondaryIndexes.length > 0) {
    features.GlobalSecondaryIndexes = src.globalSecondaryIndexes.map((g) => ({
      ...g,
      ProvisionedThroughput: g.ProvisionedThroughput ?? { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
    }))
  }
  return {
    BackupDetails: details(b, status),
    SourceTableDetails: {
      TableName: src.tableName,
      TableId: src.tableId,
      TableArn: src.tableArn,
      TableSizeBytes: b.sizeBytes,
      KeySchema: keySchemaWire(src.keySchema),
      TableCreationDateTime: seconds(src.createdAt),
      ProvisionedThroughput: src.provisioned,
      ItemCount: src.itemCount,
      BillingMode: src.billingMode,
    },
    SourceTableFeatureDetails: features,
  }
}

function sourceOf(table: TableState): BackupRecord['source'] {
  return {
    tableName: table.name,
    tableArn: table.arn,
    tableId: table.tableId,
    createdAt: table.createdAt,
    itemCount: table.itemCount,
    attributeDefinitions: table.attributeDefinitions.map((d) => ({ ...d })),
    keySchema: { ...table.schema },
    billingMode: table.billingMode,
    provisioned:
      table.billingMode === 'PROVISIONED'
        ? { ...table.provisioned }
        : { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
    globalSecondaryIndexes: indexSnapshot(table, 'GSI'),
    localSecondaryIndexes: indexSnapshot(table, 'LSI'),
  }
}

/** https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateBackup.html */
export function createBackup(state: EngineState, req: Req) {
  const tableName = reqString(req, 'TableName')
  const name = reqString(req, 'BackupName')
  checkTableName(name, 'backupName')
  const table = tableNamed(state, tableName)
  const now = state.now()
  // The ARN form DynamoDB gives: the table's ARN, /backup/, 14 digits of epoch milliseconds and 8 hex digits.
  const arn = `${table.arn}/backup/${String(now).padStart(14, '0')}-${randomBytes(4).toString('hex')}`
  const record: BackupRecord = {
    arn,
    name,
    createdAt: now,
    sizeBytes: table.sizeBytes,
    source: sourceOf(table),
    items: [...table.store.all()],
  }
  storeOf(state).backups.set(arn, record)
  // The backup is complete when the call returns; DynamoDB may answer CREATING first.
  return { BackupDetails: details(record) }
}

export function describeBackup(state: EngineState, req: Req) {
  return { BackupDescription: description(backupNamed(state, reqString(req, 'BackupArn'))) }
}

export function deleteBackup(state: EngineState, req: Req) {
  const b = backupNamed(state, reqString(req, 'BackupArn'))
  storeOf(state).backups.delete(b.arn)
  return { BackupDescription: description(b, 'DELETED') }
}

const BACKUP_TYPES = ['USER', 'SYSTEM', 'AWS_BACKUP', 'ALL'] as const

/** https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListBackups.html */
export function listBackups(state: EngineState, req: Req) {
  const tableName = optString(req, 'TableName')
  const limit = optInt(req, 'Limit')
  if (limit !== undefined && (limit < 1 || limit > 100)) {
    throw validation(
      `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value ${limit < 1 ? 'greater than or equal to 1' : 'less than or equal to 100'}`,
    )
  }
  const lower = optNumber(req, 'TimeRangeLowerBound')
  const upper = optNumber(req, 'TimeRangeUpperBound')
  const type = optEnum(req, 'BackupType', BACKUP_TYPES) ?? 'USER'
  const start = optString(req, 'ExclusiveStartBackupArn')
  let list = [...storeOf(state).backups.values()]
    .filter((b) => tableName === undefined || b.source.tableName === tableName)
    .filter((b) => lower === undefined || seconds(b.createdAt) >= lower)
    .filter((b) => upper === undefined || seconds(b.createdAt) < upper)
    .filter(() => type === 'USER' || type === 'ALL')
    .sort((a, b) => a.createdAt - b.createdAt || (a.arn < b.arn ? -1 : 1))
  if (start !== undefined) {
    const i = list.findIndex((b) => b.arn === start)
    list = i < 0 ? [] : list.slice(i + 1)
  }
  const page = limit === undefined ? list : list.slice(0, limit)
  const out: Record<string, unknown> = {
    BackupSummaries: page.map((b) => ({
      TableName: b.source.tableName,
      TableId: b.source.tableId,
      TableArn: b.source.tableArn,
      ...details(b),
    })),
  }
  if (page.length < list.length) out.LastEvaluatedBackupArn = page[page.length - 1]?.arn
  return out
}

function indexOverride(raw: unknown[] | undefined): IndexSnapshot[] | undefined {
  return raw?.map((r) => asObject(r, 'IndexOverride') as unknown as IndexSnapshot)
}

/** https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_RestoreTableFromBackup.html */
export function restoreTableFromBackup(state: EngineState, req: Req) {
  const target = reqString(req, 'TargetTableName')
  checkTableName(target, 'targetTableName')
  const b = backupNamed(state, reqString(req, 'BackupArn'))
  if (state.tables.has(target))
    throw new DynamoError('TableAlreadyExistsException', `Table already exists: ${target}`)
  return restoreInto(state, req, target, b.source, b.items, {
    SourceBackupArn: b.arn,
    SourceTableArn: b.source.tableArn,
    RestoreDateTime: seconds(state.now()),
  })
}

/** A new table `target` from a source's definition (with the request's overrides) and items. */
function restoreInto(
  state: EngineState,
  req: Req,
  target: string,
  source: BackupRecord['source'],
  items: readonly Item[],
  summary: NonNullable<TableState['restoreSummary']>,
) {
  const billing =
    optEnum(req, 'BillingModeOverride', ['PROVISIONED', 'PAY_PER_REQUEST'] as const) ?? source.billingMode
  const throughput = optObject(req, 'ProvisionedThroughputOverride')
  const gsis = indexOverride(optArray(req, 'GlobalSecondaryIndexOverride')) ?? source.globalSecondaryIndexes
  const lsis = indexOverride(optArray(req, 'LocalSecondaryIndexOverride')) ?? source.localSecondaryIndexes
  // Only the attributes some key still uses are defined (an override may drop an index).
  const used = new Set([source.keySchema.hash, source.keySchema.range])
  for (const i of [...gsis, ...lsis])
    for (const k of (i.KeySchema as unknown[] | undefined) ?? [])
      used.add((k as { AttributeName?: string }).AttributeName)
  const create: Req = {
    TableName: target,
    AttributeDefinitions: source.attributeDefinitions.filter((d) => used.has(d.AttributeName)),
    KeySchema: keySchemaWire(source.keySchema),
    BillingMode: billing,
  }
  if (billing === 'PROVISIONED') {
    create.ProvisionedThroughput =
      throughput ??
      (source.billingMode === 'PROVISIONED'
        ? source.provisioned
        : { ReadCapacityUnits: 5, WriteCapacityUnits: 5 })
  }
  const withThroughput = (g: IndexSnapshot) =>
    billing === 'PROVISIONED'
      ? { ...g, ProvisionedThroughput: g.ProvisionedThroughput ?? create.ProvisionedThroughput }
      : { ...g, ProvisionedThroughput: undefined }
  if (gsis.length > 0) create.GlobalSecondaryIndexes = gsis.map(withThroughput)
  if (lsis.length > 0)
    create.LocalSecondaryIndexes = lsis.map(({ IndexName, KeySchema, Projection }) => ({
      IndexName,
      KeySchema,
      Projection,
    }))
  createTable(state, create)
  const table = state.tables.get(target) as TableState
  for (const item of items) writeItem(table, keyOf(item, table.schema), item)
  table.restoreSummary = summary
  // The answer shows the restore under way, as DynamoDB's does; the engine has finished it already, so the next
  // DescribeTable says ACTIVE with RestoreInProgress false.
  const d = describeTable(table, 'CREATING')
  d.RestoreSummary = { ...summary, RestoreInProgress: true }
  return { TableDescription: d }
}

// ---------------------------------------------------------------------------------------------------------------
// Point-in-time recovery

/** https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PointInTimeRecoveryDescription.html */
function continuousBackups(state: EngineState, table: TableState) {
  const pitr = storeOf(state).pointInTimeRecovery.get(table.tableId)
  const d: Record<string, unknown> = { PointInTimeRecoveryStatus: pitr?.enabled ? 'ENABLED' : 'DISABLED' }
  if (pitr?.enabled) {
    d.RecoveryPeriodInDays = pitr.recoveryPeriodInDays
    const window = restorableWindow(state, table, pitr)
    d.EarliestRestorableDateTime = seconds(window.earliest)
    d.LatestRestorableDateTime = seconds(window.latest)
  }
  // Continuous backups are ENABLED on every table from its creation (the API reference says so).
  return {
    ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: d },
  }
}

/** The history of a table with PITR on (begun now if missing: PITR enabled before the engine kept one). */
function historyFor(state: EngineState, table: TableState): ItemHistory {
  return historyOf(table) ?? startTableHistory(state, table)
}

export function startTableHistory(state: EngineState, table: TableState): ItemHistory {
  return startHistory(table, table.store.all(), (item) => itemIdentity(table, item), state.now)
}

/**
 * What can be restored: from when recovery was enabled, within the recovery period, and no earlier than the kept
 * history reaches (storage/item-history.ts bounds it), up to now.
 */
function restorableWindow(state: EngineState, table: TableState, pitr: PointInTimeRecovery) {
  const now = state.now()
  const history = historyFor(state, table)
  foldBefore(history, now - pitr.recoveryPeriodInDays * 86_400_000)
  return { earliest: Math.max(pitr.since, history.baseAt), latest: now, history }
}

/**
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_RestoreTableToPointInTime.html
 * The exception messages are the API model's descriptions of those errors (AWS SDK for Java,
 * AmazonDynamoDB.restoreTableToPointInTime); no capture of the live wording was found.
 */
export function restoreTableToPointInTime(state: EngineState, req: Req) {
  const target = reqString(req, 'TargetTableName')
  checkTableName(target, 'targetTableName')
  const sourceName = optString(req, 'SourceTableName')
  const sourceArn = optString(req, 'SourceTableArn')
  if (sourceName === undefined && sourceArn === undefined)
    throw validation('Either SourceTableName or SourceTableArn must be specified')
  const table = tableNamed(state, sourceName ?? (sourceArn as string))
  if (state.tables.has(target))
    throw new DynamoError('TableAlreadyExistsException', `Table already exists: ${target}`)
  const pitr = storeOf(state).pointInTimeRecovery.get(table.tableId)
  if (!pitr?.enabled) {
    throw new DynamoError(
      'PointInTimeRecoveryUnavailableException',
      'Point in time recovery has not yet been enabled for this source table.',
    )
  }
  const latest = optBool(req, 'UseLatestRestorableTime') ?? false
  const when = optNumber(req, 'RestoreDateTime')
  if (latest && when !== undefined)
    throw validation('Only one of RestoreDateTime or UseLatestRestorableTime can be specified')
  if (!latest && when === undefined)
    throw validation('Either RestoreDateTime or UseLatestRestorableTime must be specified')
  const window = restorableWindow(state, table, pitr)
  // The wire carries epoch seconds (fractions allowed).
  const at = latest ? window.latest : Math.round((when as number) * 1000)
  if (at < window.earliest || at > window.latest) {
    throw new DynamoError(
      'InvalidRestoreTimeException',
      'An invalid restore time was specified. RestoreDateTime must be between EarliestRestorableDateTime and LatestRestorableDateTime.',
    )
  }
  return restoreInto(state, req, target, sourceOf(table), itemsAt(window.history, at), {
    SourceTableArn: table.arn,
    RestoreDateTime: seconds(at),
  })
}

export function describeContinuousBackups(state: EngineState, req: Req) {
  return continuousBackups(state, tableNamed(state, reqString(req, 'TableName')))
}

export function updateContinuousBackups(state: EngineState, req: Req) {
  const table = tableNamed(state, reqString(req, 'TableName'))
  const spec = optObject(req, 'PointInTimeRecoverySpecification')
  if (!spec) {
    throw validation(
      "1 validation error detected: Value null at 'pointInTimeRecoverySpecification' failed to satisfy constraint: Member must not be null",
    )
  }
  const enabled = optBool(spec, 'PointInTimeRecoveryEnabled')
  if (enabled === undefined) {
    throw validation(
      "1 validation error detected: Value null at 'pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled' failed to satisfy constraint: Member must not be null",
    )
  }
  const days = optInt(spec, 'RecoveryPeriodInDays')
  if (days !== undefined && (days < 1 || days > 35)) {
    throw validation(
      `1 validation error detected: Value '${days}' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy constraint: Member must have value ${days < 1 ? 'greater than or equal to 1' : 'less than or equal to 35'}`,
    )
  }
  const store = storeOf(state).pointInTimeRecovery
  const before = store.get(table.tableId)
  // Turning recovery off drops the history; turning it on starts a new one from the table as it is now.
  if (!enabled) stopHistory(table)
  else if (!before?.enabled) startTableHistory(state, table)
  if (!enabled)
    store.set(table.tableId, {
      enabled: false,
      since: before?.since ?? state.now(),
      recoveryPeriodInDays: 35,
    })
  else {
    // Re-enabling resets the earliest restorable time; enabling again while enabled keeps it.
    // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/pointintimerecovery_restores.html
    const since = before?.enabled ? before.since : state.now()
    store.set(table.tableId, {
      enabled: true,
      since,
      recoveryPeriodInDays: days ?? before?.recoveryPeriodInDays ?? 35,
    })
  }
  return continuousBackups(state, table)
}

export const BACKUP_OPERATIONS: OperationGroup = {
  handlers: {
    CreateBackup: createBackup,
    DescribeBackup: describeBackup,
    ListBackups: listBackups,
    DeleteBackup: deleteBackup,
    RestoreTableFromBackup: restoreTableFromBackup,
    RestoreTableToPointInTime: restoreTableToPointInTime,
    DescribeContinuousBackups: describeContinuousBackups,
    UpdateContinuousBackups: updateContinuousBackups,
  },
}
