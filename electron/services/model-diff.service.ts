import {
  CreateTableCommand,
  UpdateTableCommand,
  type AttributeDefinition,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type TableDescription,
  type UpdateTableCommandInput,
} from '@aws-sdk/client-dynamodb'
import type { Model, TableSpec } from '../../shared/domain/model'
import { toWorkbenchError, WorkbenchError } from './errors'
import {
  buildCreateTable,
  describeTable,
  diffTable,
  waitForActive,
  type TableDifference,
} from './schema.service'

/*
 * What schema-load would create or change on a connection, as steps that can be shown, confirmed and applied.
 * UpdateTable changes one thing per call: create one GSI, delete one GSI, change the stream, or change billing and
 * throughput (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html), and each must
 * finish (table and indexes ACTIVE) before the next. A stream's view type cannot change while it is enabled, so a
 * different view type is a disable then an enable. Key schemas, LSIs and a GSI's keys or projection cannot be
 * changed in place: a GSI is deleted and created again; the others need a new table and are reported, not applied.
 */

export type DiffStep =
  | { kind: 'createTable'; table: string; summary: string; request: CreateTableCommandInput }
  | {
      kind: 'createIndex' | 'deleteIndex' | 'updateStream' | 'updateBilling'
      table: string
      summary: string
      request: UpdateTableCommandInput
    }

export interface ModelDiffTable {
  table: string
  status: 'missing' | 'same' | 'differs'
  differences: TableDifference[]
  /** Differences no UpdateTable can make (key schema, LSIs, attribute types of existing keys). */
  unsupported: { field: string; reason: string }[]
}

export interface ModelDiffPlan {
  tables: ModelDiffTable[]
  steps: DiffStep[]
}

type Index = NonNullable<TableDescription['GlobalSecondaryIndexes']>[number]

const keyText = (ks?: { AttributeName?: string | undefined; KeyType?: string | undefined }[]) =>
  (ks ?? []).map((k) => `${k.AttributeName} ${k.KeyType}`).join(', ')
const projectionText = (p?: {
  ProjectionType?: string | undefined
  NonKeyAttributes?: string[] | undefined
}) =>
  `${p?.ProjectionType ?? 'ALL'}${p?.NonKeyAttributes ? ` (${[...p.NonKeyAttributes].sort().join(', ')})` : ''}`

/** The steps that bring one live table to its model spec (pure: from the spec and the DescribeTable answer). */
export function planTableChanges(
  spec: TableSpec,
  live: TableDescription,
): { steps: DiffStep[]; unsupported: ModelDiffTable['unsupported'] } {
  const want = buildCreateTable(spec)
  const steps: DiffStep[] = []
  const unsupported: ModelDiffTable['unsupported'] = []
  const table = spec.name
  if (keyText(want.KeySchema) !== keyText(live.KeySchema))
    unsupported.push({
      field: 'keySchema',
      reason: `the key schema cannot change (${keyText(live.KeySchema)} → ${keyText(want.KeySchema)}): it needs a new table`,
    })
  const lsi = (l?: Index[]) =>
    (l ?? [])
      .map((x) => `${x.IndexName}: ${keyText(x.KeySchema)} / ${projectionText(x.Projection)}`)
      .sort()
      .join('; ')
  if (lsi(want.LocalSecondaryIndexes) !== lsi(live.LocalSecondaryIndexes))
    unsupported.push({
      field: 'localSecondaryIndexes',
      reason: 'local secondary indexes are fixed when a table is created: it needs a new table',
    })
  const liveTypes = new Map((live.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType]))
  const defsFor = (names: string[]): AttributeDefinition[] =>
    (want.AttributeDefinitions ?? []).filter((a) => names.includes(a.AttributeName!))
  const provisioned = want.BillingMode === 'PROVISIONED'
  const wantGsis = new Map((want.GlobalSecondaryIndexes ?? []).map((g) => [g.IndexName!, g]))
  const liveGsis = new Map((live.GlobalSecondaryIndexes ?? []).map((g) => [g.IndexName!, g]))
  const deletes: string[] = []
  const creates: string[] = []
  for (const [name, l] of liveGsis) {
    const w = wantGsis.get(name)
    if (!w) deletes.push(name)
    else if (
      keyText(w.KeySchema) !== keyText(l.KeySchema) ||
      projectionText(w.Projection) !== projectionText(l.Projection)
    ) {
      // A GSI's keys and projection are fixed: delete it, then create it again (its items are backfilled).
      deletes.push(name)
      creates.push(name)
    }
  }
  for (const name of wantGsis.keys()) if (!liveGsis.has(name)) creates.push(name)
  for (const name of deletes)
    steps.push({
      kind: 'deleteIndex',
      table,
      summary: `delete GSI ${name}${creates.includes(name) ? ' (to create it again with new keys or projection)' : ''}`,
      request: { TableName: table, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: name } }] },
    })
  const liveBilling = live.BillingModeSummary?.BillingMode ?? 'PROVISIONED'
  const liveTp = live.ProvisionedThroughput
  const wantTp = want.ProvisionedThroughput
  const throughputDiffers =
    provisioned &&
    wantTp &&
    (wantTp.ReadCapacityUnits !== liveTp?.ReadCapacityUnits ||
      wantTp.WriteCapacityUnits !== liveTp?.WriteCapacityUnits)
  if (liveBilling !== want.BillingMode || throughputDiffers) {
    const request: UpdateTableCommandInput = { TableName: table, BillingMode: want.BillingMode }
    if (provisioned) {
      request.ProvisionedThroughput = wantTp
      // Switching to PROVISIONED needs throughput for every index that stays.
      const kept = [...liveGsis.keys()].filter((n) => wantGsis.has(n) && !deletes.includes(n))
      if (liveBilling !== 'PROVISIONED' && kept.length)
        request.GlobalSecondaryIndexUpdates = kept.map((n) => ({
          Update: { IndexName: n, ProvisionedThroughput: wantGsis.get(n)!.ProvisionedThroughput },
        }))
    }
    steps.push({
      kind: 'updateBilling',
      table,
      summary:
        liveBilling !== want.BillingMode
          ? `billing ${liveBilling} → ${want.BillingMode}`
          : `throughput ${liveTp?.ReadCapacityUnits}/${liveTp?.WriteCapacityUnits} → ${wantTp!.ReadCapacityUnits}/${wantTp!.WriteCapacityUnits} (read/write units)`,
      request,
    })
  }
  const liveStream = live.StreamSpecification?.StreamEnabled
    ? live.StreamSpecification.StreamViewType
    : undefined
  const wantStream = want.StreamSpecification?.StreamViewType
  if (liveStream !== wantStream) {
    if (liveStream)
      steps.push({
        kind: 'updateStream',
        table,
        summary: `disable the stream (${liveStream})`,
        request: { TableName: table, StreamSpecification: { StreamEnabled: false } },
      })
    if (wantStream)
      steps.push({
        kind: 'updateStream',
        table,
        summary: `enable the stream (${wantStream})`,
        request: {
          TableName: table,
          StreamSpecification: { StreamEnabled: true, StreamViewType: wantStream },
        },
      })
  }
  for (const name of creates) {
    const g = wantGsis.get(name)!
    const keyNames = (g.KeySchema ?? []).map((k) => k.AttributeName!)
    for (const a of defsFor(keyNames))
      if (liveTypes.has(a.AttributeName) && liveTypes.get(a.AttributeName) !== a.AttributeType)
        unsupported.push({
          field: `attributeDefinitions[${a.AttributeName}]`,
          reason: `attribute ${a.AttributeName} is ${liveTypes.get(a.AttributeName)} on the table and ${a.AttributeType} in the model`,
        })
    steps.push({
      kind: 'createIndex',
      table,
      summary: `create GSI ${name} (${keyText(g.KeySchema)}, ${projectionText(g.Projection)})`,
      request: {
        TableName: table,
        AttributeDefinitions: defsFor(keyNames),
        GlobalSecondaryIndexUpdates: [{ Create: g }],
      },
    })
  }
  return { steps, unsupported }
}

/** Compares the model's tables with the connection's: the plan, nothing is changed. Reads only. */
export async function planModelDiff(
  client: DynamoDBClient,
  model: Model,
  tables?: string[],
): Promise<ModelDiffPlan> {
  const specs = tables ? model.tables.filter((t) => tables.includes(t.name)) : model.tables
  for (const name of tables ?? [])
    if (!specs.some((s) => s.name === name))
      throw new WorkbenchError('table.notFound', `the model has no table "${name}"`, { table: name })
  const plan: ModelDiffPlan = { tables: [], steps: [] }
  for (const spec of specs) {
    const live = await describeTable(client, spec.name)
    if (!live) {
      plan.tables.push({ table: spec.name, status: 'missing', differences: [], unsupported: [] })
      plan.steps.push({
        kind: 'createTable',
        table: spec.name,
        summary: `create table ${spec.name}`,
        request: buildCreateTable(spec),
      })
      continue
    }
    const differences = diffTable(spec, live)
    const { steps, unsupported } = planTableChanges(spec, live)
    plan.tables.push({
      table: spec.name,
      status: differences.length || steps.length ? 'differs' : 'same',
      differences,
      unsupported,
    })
    plan.steps.push(...steps)
  }
  return plan
}

export interface ApplyOptions {
  /** The user saw the plan and agreed; without it nothing is sent (confirm.required, the plan in its details). */
  confirmed: boolean
  /** False on a read-only connection: refused before any request. */
  writable: boolean
  onProgress?: (p: {
    step: DiffStep
    index: number
    total: number
    phase: 'sending' | 'waiting' | 'done'
  }) => void
  timeoutMs?: number
}

/**
 * Applies a plan's steps in order, each waited for until the table and its indexes are ACTIVE. Unsupported
 * differences are not touched (they are in the plan for the user to see). Stops at the first failure, saying
 * which steps were applied.
 */
export async function applyModelDiff(
  client: DynamoDBClient,
  plan: ModelDiffPlan,
  options: ApplyOptions,
): Promise<{ applied: DiffStep[] }> {
  if (!options.writable)
    throw new WorkbenchError(
      'connection.readOnly',
      'this connection is read-only: the diff can be shown but not applied',
      {
        steps: plan.steps.length,
      },
    )
  if (!plan.steps.length) return { applied: [] }
  if (!options.confirmed)
    throw new WorkbenchError(
      'confirm.required',
      `applying the diff sends ${plan.steps.length} request(s): ${plan.steps.map((s) => `${s.table}: ${s.summary}`).join('; ')}`,
      { steps: plan.steps.map((s) => ({ kind: s.kind, table: s.table, summary: s.summary })) },
    )
  const applied: DiffStep[] = []
  for (const [index, step] of plan.steps.entries()) {
    const progress = (phase: 'sending' | 'waiting' | 'done') =>
      options.onProgress?.({ step, index, total: plan.steps.length, phase })
    progress('sending')
    try {
      if (step.kind === 'createTable') await client.send(new CreateTableCommand(step.request))
      else await client.send(new UpdateTableCommand(step.request))
    } catch (err) {
      const e = toWorkbenchError(err, { table: step.table })
      throw new WorkbenchError(
        e.code,
        `${step.table}: ${step.summary} failed after ${applied.length} of ${plan.steps.length} step(s) were applied: ${e.message}`,
        { ...e.details, applied: applied.map((s) => s.summary), failed: step.summary },
      )
    }
    progress('waiting')
    await waitForActive(client, step.table, options.timeoutMs)
    applied.push(step)
    progress('done')
  }
  return { applied }
}

/** How a step is named to the user, and what they confirm: `table: summary`. */
export const stepLabel = (s: Pick<DiffStep, 'table' | 'summary'>): string => `${s.table}: ${s.summary}`

/**
 * True when the user confirmed exactly this plan's steps, in order. A plan recomputed at apply time that differs
 * from what was shown (someone changed the table meanwhile) is not covered by that confirmation.
 */
export function confirmsPlan(plan: ModelDiffPlan, confirmed: readonly string[]): boolean {
  return plan.steps.length === confirmed.length && plan.steps.every((s, i) => stepLabel(s) === confirmed[i])
}
