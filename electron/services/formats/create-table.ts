import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb'
import { z } from 'zod'
import type { TableSpec } from '../../../shared/domain/model'
import { validateModel } from '../model.service'
import { buildCreateTable } from '../schema.service'
import {
  checkShape,
  fail,
  isObject,
  nonEmpty,
  ProjectionTypeShape,
  StreamViewTypeShape,
  ThroughputShape,
} from './common'

/*
 * `aws dynamodb create-table --cli-input-json` files: the CreateTable request itself.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
 */
export const CtKeySchemaShape = z.array(
  z.object({ AttributeName: nonEmpty, KeyType: z.enum(['HASH', 'RANGE']) }),
)
const CtProjectionShape = z.object({
  ProjectionType: ProjectionTypeShape.optional(),
  NonKeyAttributes: z.array(z.string()).optional(),
})
export const CreateTableShape = z.object({
  TableName: z.string(),
  AttributeDefinitions: z.array(
    z.object({ AttributeName: nonEmpty, AttributeType: z.enum(['S', 'N', 'B']) }),
  ),
  KeySchema: CtKeySchemaShape,
  BillingMode: z.enum(['PROVISIONED', 'PAY_PER_REQUEST']).optional(),
  ProvisionedThroughput: ThroughputShape.optional(),
  GlobalSecondaryIndexes: z
    .array(
      z.object({
        IndexName: z.string(),
        KeySchema: CtKeySchemaShape,
        Projection: CtProjectionShape.optional(),
        ProvisionedThroughput: ThroughputShape.optional(),
      }),
    )
    .optional(),
  LocalSecondaryIndexes: z
    .array(
      z.object({
        IndexName: z.string(),
        KeySchema: CtKeySchemaShape,
        Projection: CtProjectionShape.optional(),
      }),
    )
    .optional(),
  StreamSpecification: z
    .object({
      StreamEnabled: z.boolean(),
      StreamViewType: StreamViewTypeShape.optional(),
    })
    .optional(),
})

/** Reads an AWS CLI `create-table --cli-input-json` file (the CreateTable request) as a model table. */
export function importCreateTableJson(input: unknown, source = 'create-table input', prefix = ''): TableSpec {
  if (!isObject(input) || typeof input.TableName !== 'string')
    throw fail(`${source}: ${prefix ? `${prefix}.` : ''}TableName: expected a string`)
  checkShape(CreateTableShape, input, source, prefix)
  const c = input as unknown as CreateTableCommandInput
  const keys = (ks: CreateTableCommandInput['KeySchema']) =>
    (ks ?? []).map((k) => ({ attributeName: k.AttributeName, keyType: k.KeyType }))
  const tp = (p?: { ReadCapacityUnits?: number | undefined; WriteCapacityUnits?: number | undefined }) =>
    p ? { readCapacityUnits: p.ReadCapacityUnits, writeCapacityUnits: p.WriteCapacityUnits } : undefined
  const proj = (p?: { ProjectionType?: string | undefined; NonKeyAttributes?: string[] | undefined }) => ({
    projectionType: p?.ProjectionType ?? 'ALL',
    ...(p?.NonKeyAttributes ? { nonKeyAttributes: p.NonKeyAttributes } : {}),
  })
  // CreateTable without BillingMode means PROVISIONED: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html#DDB-CreateTable-request-BillingMode
  const billingMode = c.BillingMode ?? 'PROVISIONED'
  const table = {
    name: c.TableName,
    attributeDefinitions: (c.AttributeDefinitions ?? []).map((a) => ({
      attributeName: a.AttributeName,
      attributeType: a.AttributeType,
    })),
    keySchema: keys(c.KeySchema),
    billingMode,
    ...(c.ProvisionedThroughput ? { provisionedThroughput: tp(c.ProvisionedThroughput) } : {}),
    ...(c.GlobalSecondaryIndexes?.length
      ? {
          globalSecondaryIndexes: c.GlobalSecondaryIndexes.map((g) => ({
            indexName: g.IndexName,
            keySchema: keys(g.KeySchema),
            projection: proj(g.Projection),
            ...(g.ProvisionedThroughput ? { provisionedThroughput: tp(g.ProvisionedThroughput) } : {}),
          })),
        }
      : {}),
    ...(c.LocalSecondaryIndexes?.length
      ? {
          localSecondaryIndexes: c.LocalSecondaryIndexes.map((l) => ({
            indexName: l.IndexName,
            keySchema: keys(l.KeySchema),
            projection: proj(l.Projection),
          })),
        }
      : {}),
    ...(c.StreamSpecification?.StreamEnabled
      ? { stream: { viewType: c.StreamSpecification.StreamViewType ?? 'NEW_AND_OLD_IMAGES' } }
      : {}),
  }
  const model = validateModel({ name: c.TableName, tables: [table] }, source)
  return model.tables[0]!
}

/** A model table as `aws dynamodb create-table --cli-input-json` input: the exact CreateTable request. */
export function exportCreateTableJson(spec: TableSpec): CreateTableCommandInput {
  return buildCreateTable(spec)
}
