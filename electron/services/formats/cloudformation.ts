import { stringify, type Tags } from 'yaml'
import { z } from 'zod'
import type { Model, TableSpec } from '../../../shared/domain/model'
import { validateModel } from '../model.service'
import { buildCreateTable } from '../schema.service'
import { checkShape, fail, isObject, StreamViewTypeShape } from './common'
import { importCreateTableJson } from './create-table'

/*
 * CloudFormation templates holding AWS::DynamoDB::Table or AWS::DynamoDB::GlobalTable resources, JSON or YAML.
 * Table: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-table.html
 * GlobalTable: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-globaltable.html
 * The Table resource's properties are CreateTable's members, except that StreamSpecification has only
 * StreamViewType (its presence enables the stream) and BillingMode defaults to PROVISIONED as in CreateTable.
 * A GlobalTable sets write capacity through WriteProvisionedThroughputSettings (auto scaling, whose MinCapacity we
 * read as the table's write units) and read capacity per replica (ReadProvisionedThroughputSettings).
 */

const TABLE = 'AWS::DynamoDB::Table'
const GLOBAL_TABLE = 'AWS::DynamoDB::GlobalTable'

/** CloudFormation's YAML short forms (`!Ref X`, `!GetAtt T.Arn`, `!Sub "…"`) read as their JSON long forms. */
const INTRINSICS = [
  'Base64',
  'Cidr',
  'Condition',
  'Equals',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'If',
  'ImportValue',
  'Join',
  'Not',
  'And',
  'Or',
  'Ref',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'ToJsonString',
  'Length',
]
export const CFN_YAML_TAGS: Tags = INTRINSICS.flatMap((name) => {
  const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`
  return [
    {
      tag: `!${name}`,
      resolve: (value: string) => ({ [key]: name === 'GetAtt' ? value.split('.') : value }),
    },
    {
      tag: `!${name}`,
      collection: 'seq' as const,
      resolve: (seq: { toJSON(): unknown }) => ({ [key]: seq.toJSON() }),
    },
    {
      tag: `!${name}`,
      collection: 'map' as const,
      resolve: (map: { toJSON(): unknown }) => ({ [key]: map.toJSON() }),
    },
  ]
})

export function isCloudFormation(json: Record<string, unknown>): boolean {
  return 'Resources' in json || 'AWSTemplateFormatVersion' in json
}

const ResourcesShape = z.record(
  z.string(),
  z.object({ Type: z.string(), Properties: z.record(z.string(), z.unknown()).optional() }),
)
const GlobalShape = z.object({
  Replicas: z
    .array(
      z.object({
        Region: z.unknown(),
        ReadProvisionedThroughputSettings: z.object({ ReadCapacityUnits: z.number().optional() }).optional(),
      }),
    )
    .min(1),
  WriteProvisionedThroughputSettings: z
    .object({
      WriteCapacityAutoScalingSettings: z.object({ MinCapacity: z.number(), MaxCapacity: z.number() }),
    })
    .optional(),
  GlobalSecondaryIndexes: z
    .array(
      z.object({
        WriteProvisionedThroughputSettings: z
          .object({ WriteCapacityAutoScalingSettings: z.object({ MinCapacity: z.number() }) })
          .optional(),
      }),
    )
    .optional(),
})
const StreamShape = z.object({ StreamViewType: StreamViewTypeShape }).optional()

/** A template's DynamoDB tables as a model; other resources are ignored. */
export function importCloudFormation(input: unknown, source: string, warnings: string[] = []): Model {
  if (!isObject(input) || !isObject(input.Resources))
    throw fail(`${source}: Resources: expected the template's resources (an object)`, { source })
  const resources = checkShape(ResourcesShape, input.Resources, source, 'Resources')
  const tables: TableSpec[] = []
  for (const [logicalId, r] of Object.entries(resources)) {
    if (r.Type !== TABLE && r.Type !== GLOBAL_TABLE) continue
    const at = `Resources.${logicalId}.Properties`
    const props = r.Properties ?? {}
    checkShape(StreamShape, props.StreamSpecification, source, `${at}.StreamSpecification`)
    // A name given by a parameter or !Sub is only known at deploy time; the logical id stands in for it.
    let name = props.TableName
    if (name !== undefined && typeof name !== 'string') {
      warnings.push(
        `${at}.TableName is computed at deploy time (${JSON.stringify(name)}); named "${logicalId}" here`,
      )
      name = undefined
    }
    const stream = props.StreamSpecification as { StreamViewType: string } | undefined
    const request: Record<string, unknown> = {
      ...props,
      TableName: name ?? logicalId,
      StreamSpecification: stream
        ? { StreamEnabled: true, StreamViewType: stream.StreamViewType }
        : undefined,
    }
    if (r.Type === GLOBAL_TABLE) {
      const g = checkShape(GlobalShape, props, source, at)
      const write = g.WriteProvisionedThroughputSettings?.WriteCapacityAutoScalingSettings.MinCapacity
      const read = g.Replicas[0]?.ReadProvisionedThroughputSettings?.ReadCapacityUnits
      if (request.BillingMode === undefined) request.BillingMode = 'PROVISIONED'
      if (request.BillingMode === 'PROVISIONED' && write !== undefined)
        request.ProvisionedThroughput = { ReadCapacityUnits: read ?? write, WriteCapacityUnits: write }
      if (Array.isArray(props.GlobalSecondaryIndexes))
        request.GlobalSecondaryIndexes = (props.GlobalSecondaryIndexes as Record<string, unknown>[]).map(
          (x, i) => {
            const w = g.GlobalSecondaryIndexes?.[i]?.WriteProvisionedThroughputSettings
            const { WriteProvisionedThroughputSettings: _w, ...rest } = x
            return request.BillingMode === 'PROVISIONED' && w
              ? {
                  ...rest,
                  ProvisionedThroughput: {
                    ReadCapacityUnits: read ?? w.WriteCapacityAutoScalingSettings.MinCapacity,
                    WriteCapacityUnits: w.WriteCapacityAutoScalingSettings.MinCapacity,
                  },
                }
              : rest
          },
        )
      if (g.Replicas.length > 1)
        warnings.push(
          `${at}.Replicas: ${g.Replicas.length} replicas; a model describes one table, so only its definition is kept`,
        )
    }
    tables.push(importCreateTableJson(request, source, at))
  }
  if (!tables.length)
    throw fail(`${source}: Resources: no ${TABLE} or ${GLOBAL_TABLE} resource in the template`, { source })
  const description = typeof input.Description === 'string' ? input.Description : undefined
  return validateModel({ name: tables[0]!.name, ...(description ? { description } : {}), tables }, source)
}

/** `users-table` → `UsersTable`: a logical id is alphanumeric. */
function logicalId(name: string, taken: Set<string>): string {
  const base =
    name
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join('') || 'Table'
  let id = /^[A-Za-z]/.test(base) ? base : `T${base}`
  for (let n = 2; taken.has(id); n++) id = `${base}${n}`
  taken.add(id)
  return id
}

export type CloudFormationResourceType = 'Table' | 'GlobalTable'

/** The model's tables as a CloudFormation template (AWS::DynamoDB::Table by default). */
export function exportCloudFormation(
  model: Model,
  options: { resourceType?: CloudFormationResourceType; region?: string } = {},
): Record<string, unknown> {
  const taken = new Set<string>()
  const resources: Record<string, unknown> = {}
  for (const spec of model.tables) {
    const ct = buildCreateTable(spec)
    const props: Record<string, unknown> = {
      TableName: ct.TableName,
      AttributeDefinitions: ct.AttributeDefinitions,
      KeySchema: ct.KeySchema,
      BillingMode: ct.BillingMode,
    }
    const provisioned = spec.billingMode === 'PROVISIONED'
    if (options.resourceType === 'GlobalTable') {
      const tp = spec.provisionedThroughput
      const autoScaling = (units: number) => ({
        WriteCapacityAutoScalingSettings: {
          MinCapacity: units,
          MaxCapacity: units,
          TargetTrackingScalingPolicyConfiguration: { TargetValue: 70 },
        },
      })
      if (provisioned && tp) props.WriteProvisionedThroughputSettings = autoScaling(tp.writeCapacityUnits)
      if (ct.GlobalSecondaryIndexes)
        props.GlobalSecondaryIndexes = ct.GlobalSecondaryIndexes.map(({ ProvisionedThroughput, ...g }) =>
          provisioned && ProvisionedThroughput?.WriteCapacityUnits
            ? {
                ...g,
                WriteProvisionedThroughputSettings: autoScaling(ProvisionedThroughput.WriteCapacityUnits),
              }
            : g,
        )
      if (ct.LocalSecondaryIndexes) props.LocalSecondaryIndexes = ct.LocalSecondaryIndexes
      if (spec.stream) props.StreamSpecification = { StreamViewType: spec.stream.viewType }
      props.Replicas = [
        {
          Region: options.region ?? { Ref: 'AWS::Region' },
          ...(provisioned && tp
            ? { ReadProvisionedThroughputSettings: { ReadCapacityUnits: tp.readCapacityUnits } }
            : {}),
        },
      ]
    } else {
      if (ct.ProvisionedThroughput) props.ProvisionedThroughput = ct.ProvisionedThroughput
      if (ct.GlobalSecondaryIndexes) props.GlobalSecondaryIndexes = ct.GlobalSecondaryIndexes
      if (ct.LocalSecondaryIndexes) props.LocalSecondaryIndexes = ct.LocalSecondaryIndexes
      if (spec.stream) props.StreamSpecification = { StreamViewType: spec.stream.viewType }
    }
    resources[logicalId(spec.name, taken)] = {
      Type: options.resourceType === 'GlobalTable' ? GLOBAL_TABLE : TABLE,
      Properties: props,
    }
  }
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: model.description ?? `DynamoDB tables of the ${model.name} model (Tablewright)`,
    Resources: resources,
  }
}

/** The same template as YAML (plain long-form values, so any YAML reader takes it). */
export function exportCloudFormationYaml(
  model: Model,
  options: { resourceType?: CloudFormationResourceType; region?: string } = {},
): string {
  // Quoted as AWS's own examples write it: a YAML 1.1 reader takes a bare 2010-09-09 for a date.
  return stringify(exportCloudFormation(model, options), { lineWidth: 0 }).replace(
    /^AWSTemplateFormatVersion: 2010-09-09$/m,
    "AWSTemplateFormatVersion: '2010-09-09'",
  )
}
