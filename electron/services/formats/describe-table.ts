import type { TableDescription } from '@aws-sdk/client-dynamodb'
import { z } from 'zod'
import type { TableSpec } from '../../../shared/domain/model'
import { buildCreateTable } from '../schema.service'
import { checkShape, fail, isObject, nonEmpty, StreamViewTypeShape } from './common'
import { importCreateTableJson } from './create-table'

/*
 * `aws dynamodb describe-table` output: `{ "Table": TableDescription }` (or the TableDescription alone).
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeTable.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TableDescription.html
 * Billing is BillingModeSummary.BillingMode; a table that never had one set is PROVISIONED (the summary is absent
 * then, https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BillingModeSummary.html). An on-demand
 * table still reports ProvisionedThroughput with zero units, which is not a setting.
 */

export function isDescribeTable(json: Record<string, unknown>): boolean {
  if (isObject(json.Table) && ('TableName' in json.Table || 'KeySchema' in json.Table)) return true
  return 'TableName' in json && ('TableStatus' in json || 'TableArn' in json || 'CreationDateTime' in json)
}

const KeySchemaShape = z.array(z.object({ AttributeName: nonEmpty, KeyType: z.enum(['HASH', 'RANGE']) }))
const ThroughputShape = z
  .object({ ReadCapacityUnits: z.number().optional(), WriteCapacityUnits: z.number().optional() })
  .optional()
const IndexShape = z.object({
  IndexName: z.string(),
  KeySchema: KeySchemaShape,
  Projection: z
    .object({
      ProjectionType: z.enum(['ALL', 'KEYS_ONLY', 'INCLUDE']).optional(),
      NonKeyAttributes: z.array(z.string()).optional(),
    })
    .optional(),
  ProvisionedThroughput: ThroughputShape,
})
const DescriptionShape = z.object({
  TableName: z.string(),
  AttributeDefinitions: z.array(
    z.object({ AttributeName: nonEmpty, AttributeType: z.enum(['S', 'N', 'B']) }),
  ),
  KeySchema: KeySchemaShape,
  BillingModeSummary: z
    .object({ BillingMode: z.enum(['PROVISIONED', 'PAY_PER_REQUEST']).optional() })
    .optional(),
  ProvisionedThroughput: ThroughputShape,
  GlobalSecondaryIndexes: z.array(IndexShape).optional(),
  LocalSecondaryIndexes: z.array(IndexShape).optional(),
  StreamSpecification: z
    .object({ StreamEnabled: z.boolean(), StreamViewType: StreamViewTypeShape.optional() })
    .optional(),
})

const units = (
  t: { ReadCapacityUnits?: number | undefined; WriteCapacityUnits?: number | undefined } | undefined,
) =>
  t && (t.ReadCapacityUnits ?? 0) > 0 && (t.WriteCapacityUnits ?? 0) > 0
    ? { ReadCapacityUnits: t.ReadCapacityUnits!, WriteCapacityUnits: t.WriteCapacityUnits! }
    : undefined

/** A table description (what DescribeTable answers) as a model table. */
export function tableSpecFromDescription(input: unknown, source: string, prefix = ''): TableSpec {
  const d = checkShape(DescriptionShape, input, source, prefix)
  const billingMode = d.BillingModeSummary?.BillingMode ?? 'PROVISIONED'
  const provisioned = billingMode === 'PROVISIONED'
  const index = (i: z.infer<typeof IndexShape>, withThroughput: boolean) => ({
    IndexName: i.IndexName,
    KeySchema: i.KeySchema,
    ...(i.Projection ? { Projection: i.Projection } : {}),
    ...(withThroughput && provisioned && units(i.ProvisionedThroughput)
      ? { ProvisionedThroughput: units(i.ProvisionedThroughput) }
      : {}),
  })
  return importCreateTableJson(
    {
      TableName: d.TableName,
      AttributeDefinitions: d.AttributeDefinitions,
      KeySchema: d.KeySchema,
      BillingMode: billingMode,
      ...(provisioned && units(d.ProvisionedThroughput)
        ? { ProvisionedThroughput: units(d.ProvisionedThroughput) }
        : {}),
      ...(d.GlobalSecondaryIndexes?.length
        ? { GlobalSecondaryIndexes: d.GlobalSecondaryIndexes.map((g) => index(g, true)) }
        : {}),
      ...(d.LocalSecondaryIndexes?.length
        ? { LocalSecondaryIndexes: d.LocalSecondaryIndexes.map((l) => index(l, false)) }
        : {}),
      ...(d.StreamSpecification?.StreamEnabled ? { StreamSpecification: d.StreamSpecification } : {}),
    },
    source,
    prefix,
  )
}

/** Reads `aws dynamodb describe-table` output as a model table. */
export function importDescribeTable(input: unknown, source = 'describe-table output'): TableSpec {
  if (!isObject(input)) throw fail(`${source}: expected an object with Table`, { source })
  return isObject(input.Table)
    ? tableSpecFromDescription(input.Table, source, 'Table')
    : tableSpecFromDescription(input, source)
}

/**
 * A model table as `describe-table` output for a new, empty, ACTIVE table: what DescribeTable would answer right
 * after schema-load (no ARN, creation time or stream ARN, which only a real table has).
 */
export function exportDescribeTable(spec: TableSpec): { Table: TableDescription } {
  const ct = buildCreateTable(spec)
  const onDemand = spec.billingMode === 'PAY_PER_REQUEST'
  const throughput = (t?: {
    ReadCapacityUnits?: number | undefined
    WriteCapacityUnits?: number | undefined
  }) => ({
    NumberOfDecreasesToday: 0,
    ReadCapacityUnits: onDemand ? 0 : (t?.ReadCapacityUnits ?? 0),
    WriteCapacityUnits: onDemand ? 0 : (t?.WriteCapacityUnits ?? 0),
  })
  const table: TableDescription = {
    TableName: ct.TableName,
    AttributeDefinitions: ct.AttributeDefinitions,
    KeySchema: ct.KeySchema,
    TableStatus: 'ACTIVE',
    ProvisionedThroughput: throughput(ct.ProvisionedThroughput),
    BillingModeSummary: { BillingMode: spec.billingMode },
    TableSizeBytes: 0,
    ItemCount: 0,
  }
  if (ct.GlobalSecondaryIndexes)
    table.GlobalSecondaryIndexes = ct.GlobalSecondaryIndexes.map((g) => ({
      IndexName: g.IndexName,
      KeySchema: g.KeySchema,
      Projection: g.Projection,
      IndexStatus: 'ACTIVE',
      ProvisionedThroughput: throughput(g.ProvisionedThroughput),
      IndexSizeBytes: 0,
      ItemCount: 0,
    }))
  if (ct.LocalSecondaryIndexes)
    table.LocalSecondaryIndexes = ct.LocalSecondaryIndexes.map((l) => ({
      IndexName: l.IndexName,
      KeySchema: l.KeySchema,
      Projection: l.Projection,
      IndexSizeBytes: 0,
      ItemCount: 0,
    }))
  if (ct.StreamSpecification) table.StreamSpecification = ct.StreamSpecification
  return { Table: table }
}
