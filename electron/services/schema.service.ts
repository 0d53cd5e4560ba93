import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb'
import type { Model, TableSpec } from '../../shared/domain/model'
import { toWorkbenchError, WorkbenchError } from './errors'
import { projectionRequest } from './formats/common'

/** The exact CreateTable request for a model table (pure; reused for "show me the request" and codegen). */
export function buildCreateTable(spec: TableSpec): CreateTableCommandInput {
  const throughput = (t?: { readCapacityUnits: number; writeCapacityUnits: number }) =>
    t ? { ReadCapacityUnits: t.readCapacityUnits, WriteCapacityUnits: t.writeCapacityUnits } : undefined
  const keys = (ks: TableSpec['keySchema']) =>
    ks.map((k) => ({ AttributeName: k.attributeName, KeyType: k.keyType }))
  const provisioned = spec.billingMode === 'PROVISIONED'
  const input: CreateTableCommandInput = {
    TableName: spec.name,
    AttributeDefinitions: spec.attributeDefinitions.map((a) => ({
      AttributeName: a.attributeName,
      AttributeType: a.attributeType,
    })),
    KeySchema: keys(spec.keySchema),
    BillingMode: spec.billingMode,
  }
  if (provisioned) input.ProvisionedThroughput = throughput(spec.provisionedThroughput)
  if (spec.globalSecondaryIndexes?.length)
    input.GlobalSecondaryIndexes = spec.globalSecondaryIndexes.map((g) => ({
      IndexName: g.indexName,
      KeySchema: keys(g.keySchema),
      Projection: projectionRequest(g.projection),
      ...(provisioned ? { ProvisionedThroughput: throughput(g.provisionedThroughput) } : {}),
    }))
  if (spec.localSecondaryIndexes?.length)
    input.LocalSecondaryIndexes = spec.localSecondaryIndexes.map((l) => ({
      IndexName: l.indexName,
      KeySchema: keys(l.keySchema),
      Projection: projectionRequest(l.projection),
    }))
  if (spec.stream) input.StreamSpecification = { StreamEnabled: true, StreamViewType: spec.stream.viewType }
  return input
}

export interface TableDifference {
  /** Which part differs: keySchema, attributeDefinitions, globalSecondaryIndexes[name], stream, billingMode... */
  field: string
  expected: unknown
  actual: unknown
}

/** Compares a live table with its model spec; an empty list means they agree on keys, indexes and stream. */
export function diffTable(spec: TableSpec, actual: TableDescription): TableDifference[] {
  const want = buildCreateTable(spec)
  const out: TableDifference[] = []
  const keyText = (ks?: { AttributeName?: string | undefined; KeyType?: string | undefined }[]) =>
    (ks ?? []).map((k) => `${k.AttributeName} ${k.KeyType}`).join(', ')
  const cmp = (field: string, expected: unknown, got: unknown) => {
    if (JSON.stringify(expected) !== JSON.stringify(got)) out.push({ field, expected, actual: got })
  }
  cmp('keySchema', keyText(want.KeySchema), keyText(actual.KeySchema))
  const attrText = (a?: { AttributeName?: string | undefined; AttributeType?: string | undefined }[]) =>
    (a ?? []).map((x) => `${x.AttributeName}:${x.AttributeType}`).sort()
  cmp('attributeDefinitions', attrText(want.AttributeDefinitions), attrText(actual.AttributeDefinitions))
  const indexes = (
    list:
      | {
          IndexName?: string | undefined
          KeySchema?: { AttributeName?: string | undefined; KeyType?: string | undefined }[] | undefined
          Projection?:
            { ProjectionType?: string | undefined; NonKeyAttributes?: string[] | undefined } | undefined
        }[]
      | undefined,
  ) =>
    new Map(
      (list ?? []).map((i) => [
        i.IndexName ?? '',
        `${keyText(i.KeySchema)} / ${i.Projection?.ProjectionType ?? ''}${i.Projection?.NonKeyAttributes ? ` (${[...i.Projection.NonKeyAttributes].sort().join(', ')})` : ''}`,
      ]),
    )
  for (const [kind, w, a] of [
    ['globalSecondaryIndexes', indexes(want.GlobalSecondaryIndexes), indexes(actual.GlobalSecondaryIndexes)],
    ['localSecondaryIndexes', indexes(want.LocalSecondaryIndexes), indexes(actual.LocalSecondaryIndexes)],
  ] as const) {
    for (const name of new Set([...w.keys(), ...a.keys()]))
      cmp(`${kind}[${name}]`, w.get(name) ?? null, a.get(name) ?? null)
  }
  const stream = (s?: { StreamEnabled?: boolean | undefined; StreamViewType?: string | undefined }) =>
    s?.StreamEnabled ? (s.StreamViewType ?? 'enabled') : null
  cmp('stream', stream(want.StreamSpecification), stream(actual.StreamSpecification))
  // DescribeTable omits BillingModeSummary for tables created PROVISIONED on some endpoints, so absent means PROVISIONED.
  cmp('billingMode', want.BillingMode, actual.BillingModeSummary?.BillingMode ?? 'PROVISIONED')
  return out
}

export async function describeTable(
  client: DynamoDBClient,
  name: string,
): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table
  } catch (err) {
    const e = toWorkbenchError(err, { table: name })
    if (e.code === 'table.notFound') return undefined
    throw e
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true })
  })

const isActive = (t: TableDescription) =>
  t.TableStatus === 'ACTIVE' && (t.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === 'ACTIVE')

/** Polls DescribeTable until the table and all its GSIs are ACTIVE (creation is asynchronous on AWS). */
export async function waitForActive(
  client: DynamoDBClient,
  name: string,
  timeoutMs = 300_000,
): Promise<TableDescription> {
  const deadline = Date.now() + timeoutMs
  for (let delay = 100; ; delay = Math.min(delay * 2, 5000)) {
    const t = await describeTable(client, name)
    if (t && isActive(t)) return t
    if (Date.now() > deadline)
      throw new WorkbenchError('dynamodb.error', `table ${name} is not ACTIVE after ${timeoutMs} ms`, {
        table: name,
        status: t?.TableStatus,
      })
    await sleep(delay)
  }
}

export type SchemaProgress = {
  table: string
  phase: 'creating' | 'waiting' | 'created' | 'exists'
  differences?: TableDifference[]
}

export interface SchemaLoadTableResult {
  table: string
  status: 'created' | 'exists'
  /** For an existing table: how it differs from the model (empty = matches). */
  differences: TableDifference[]
  request: CreateTableCommandInput
}

/**
 * Creates the model's tables (or the named subset) and waits until they are ACTIVE. Idempotent: a table that
 * already exists is reported as `exists` with its differences from the model, and left untouched.
 */
export async function schemaLoad(
  client: DynamoDBClient,
  model: Model,
  options: { onProgress?: (p: SchemaProgress) => void; tables?: string[]; timeoutMs?: number } = {},
): Promise<{ tables: SchemaLoadTableResult[] }> {
  const specs = options.tables ? model.tables.filter((t) => options.tables!.includes(t.name)) : model.tables
  for (const name of options.tables ?? [])
    if (!specs.some((s) => s.name === name))
      throw new WorkbenchError('table.notFound', `the model has no table "${name}"`, { table: name })
  const results: SchemaLoadTableResult[] = []
  for (const spec of specs) {
    const request = buildCreateTable(spec)
    const existing = await describeTable(client, spec.name)
    if (existing) {
      const differences = diffTable(spec, existing)
      options.onProgress?.({ table: spec.name, phase: 'exists', differences })
      results.push({ table: spec.name, status: 'exists', differences, request })
      continue
    }
    options.onProgress?.({ table: spec.name, phase: 'creating' })
    try {
      await client.send(new CreateTableCommand(request))
    } catch (err) {
      const e = toWorkbenchError(err, { table: spec.name })
      // Someone else created it between our DescribeTable and CreateTable: report it like any existing table.
      if (e.code !== 'table.exists') throw e
      const now = await waitForActive(client, spec.name, options.timeoutMs)
      const differences = diffTable(spec, now)
      options.onProgress?.({ table: spec.name, phase: 'exists', differences })
      results.push({ table: spec.name, status: 'exists', differences, request })
      continue
    }
    options.onProgress?.({ table: spec.name, phase: 'waiting' })
    await waitForActive(client, spec.name, options.timeoutMs)
    options.onProgress?.({ table: spec.name, phase: 'created' })
    results.push({ table: spec.name, status: 'created', differences: [], request })
  }
  return { tables: results }
}

/** Deletes a table and waits until it is gone. Returns false when there was no such table. */
export async function dropTable(client: DynamoDBClient, name: string, timeoutMs = 300_000): Promise<boolean> {
  try {
    await client.send(new DeleteTableCommand({ TableName: name }))
  } catch (err) {
    const e = toWorkbenchError(err, { table: name })
    if (e.code === 'table.notFound') return false
    throw e
  }
  const deadline = Date.now() + timeoutMs
  for (let delay = 100; ; delay = Math.min(delay * 2, 5000)) {
    if (!(await describeTable(client, name))) return true
    if (Date.now() > deadline)
      throw new WorkbenchError('dynamodb.error', `table ${name} still exists after ${timeoutMs} ms`, {
        table: name,
      })
    await sleep(delay)
  }
}
