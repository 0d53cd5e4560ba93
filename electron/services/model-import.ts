import type { AttributeValue, CreateTableCommandInput } from '@aws-sdk/client-dynamodb'
import { z } from 'zod'
import {
  AttributeJsonError,
  MAX_NESTING,
  nestedTooDeep,
  parseItemJson,
} from '../../shared/domain/attribute-json'
import { formatIssuePath, type Model, type TableSpec } from '../../shared/domain/model'
import { WorkbenchError } from './errors'
import { fromRow, parseRowsText, toRow } from './item-json'
import { validateModel } from './model.service'
import { buildCreateTable } from './schema.service'

/**
 * NoSQL Workbench's data model file (as exported by its data modeler, format version 3.0).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/workbench.Modeler.ImportExisting.html
 */
export interface NoSqlWorkbenchAttribute {
  AttributeName: string
  AttributeType: string
}
export interface NoSqlWorkbenchKeyAttributes {
  PartitionKey: NoSqlWorkbenchAttribute
  SortKey?: NoSqlWorkbenchAttribute
}
export interface NoSqlWorkbenchIndex {
  IndexName: string
  KeyAttributes: NoSqlWorkbenchKeyAttributes
  Projection: { ProjectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; NonKeyAttributes?: string[] }
}
export interface NoSqlWorkbenchFacet {
  FacetName: string
  KeyAttributeAlias?: { PartitionKeyAlias?: string; SortKeyAlias?: string }
  TableData?: Record<string, AttributeValue>[]
  NonKeyAttributes?: string[]
  DataAccess?: unknown
}
export interface NoSqlWorkbenchTable {
  TableName: string
  KeyAttributes: NoSqlWorkbenchKeyAttributes
  NonKeyAttributes?: NoSqlWorkbenchAttribute[]
  GlobalSecondaryIndexes?: NoSqlWorkbenchIndex[]
  LocalSecondaryIndexes?: NoSqlWorkbenchIndex[]
  TableFacets?: NoSqlWorkbenchFacet[]
  TableData?: Record<string, AttributeValue>[]
  DataAccess?: unknown
  BillingMode?: 'PROVISIONED' | 'PAY_PER_REQUEST'
  ProvisionedCapacitySettings?: {
    ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number }
  }
  StreamSpecification?: { StreamEnabled?: boolean; StreamViewType?: string }
}
export interface NoSqlWorkbenchModel {
  ModelName: string
  ModelMetadata?: Record<string, unknown>
  DataModel: NoSqlWorkbenchTable[]
}

const fail = (message: string, details?: Record<string, unknown>) =>
  new WorkbenchError('model.invalid', message, details)

/*
 * The shapes the importers read, checked before anything is converted, so a missing or wrong-typed field is a
 * model.invalid naming its path (it used to be "Cannot read properties of undefined"). Unknown fields are
 * ignored: both formats carry more than a model needs (DataAccess, Tags, SSESpecification, …).
 * NoSQL Workbench: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/workbench.Modeler.ImportExisting.html
 * CreateTable: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
 */
const nonEmpty = z.string().min(1)
const ProjectionTypeShape = z.enum(['ALL', 'KEYS_ONLY', 'INCLUDE'])
const ThroughputShape = z.object({ ReadCapacityUnits: z.number(), WriteCapacityUnits: z.number() })
const DynamoItemShape = z.record(z.string(), z.unknown())

const WbKeyAttributeShape = z.object({ AttributeName: nonEmpty, AttributeType: z.string().optional() })
const WbKeysShape = z.object({ PartitionKey: WbKeyAttributeShape, SortKey: WbKeyAttributeShape.optional() })
const WbIndexShape = z.object({
  IndexName: z.string(),
  KeyAttributes: WbKeysShape,
  Projection: z
    .object({ ProjectionType: ProjectionTypeShape, NonKeyAttributes: z.array(z.string()).optional() })
    .optional(),
})
const WbFacetShape = z.object({
  FacetName: z.string().optional(),
  KeyAttributeAlias: z
    .object({ PartitionKeyAlias: z.string().optional(), SortKeyAlias: z.string().optional() })
    .optional(),
  TableData: z.array(DynamoItemShape).optional(),
  NonKeyAttributes: z.array(z.string()).optional(),
})
const WbTableShape = z.object({
  TableName: z.string(),
  KeyAttributes: WbKeysShape,
  NonKeyAttributes: z.array(z.object({ AttributeName: nonEmpty, AttributeType: z.string() })).optional(),
  GlobalSecondaryIndexes: z.array(WbIndexShape).optional(),
  LocalSecondaryIndexes: z.array(WbIndexShape).optional(),
  TableFacets: z.array(WbFacetShape).optional(),
  TableData: z.array(DynamoItemShape).optional(),
  BillingMode: z.enum(['PROVISIONED', 'PAY_PER_REQUEST']).optional(),
  ProvisionedCapacitySettings: z.object({ ProvisionedThroughput: ThroughputShape.optional() }).optional(),
  StreamSpecification: z
    .object({ StreamEnabled: z.boolean().optional(), StreamViewType: z.string().optional() })
    .optional(),
})
const WbModelShape = z.object({
  ModelName: z.unknown().optional(),
  ModelMetadata: z.unknown().optional(),
  DataModel: z.array(WbTableShape),
})

const CtKeySchemaShape = z.array(z.object({ AttributeName: nonEmpty, KeyType: z.enum(['HASH', 'RANGE']) }))
const CtProjectionShape = z.object({
  ProjectionType: ProjectionTypeShape.optional(),
  NonKeyAttributes: z.array(z.string()).optional(),
})
const CreateTableShape = z.object({
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
      StreamViewType: z.enum(['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY']).optional(),
    })
    .optional(),
})

/** Checks a file's shape; the error names each field at fault, as validateModel does. */
function checkShape<T>(schema: z.ZodType<T>, input: unknown, source: string): T {
  const r = schema.safeParse(input)
  if (r.success) return r.data
  const issues = r.error.issues.map((i) => ({ path: formatIssuePath(i.path), message: i.message }))
  const shown = issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`)
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''
  throw fail(`${source}: ${shown.join('; ')}${more}`, { source, issues })
}

/** A NoSQL Workbench TableData row (DynamoDB JSON) as a plain row, or model.invalid naming the attribute. */
function sampleRow(row: Record<string, unknown>, path: string, source: string): Record<string, unknown> {
  let plain: Record<string, unknown>
  try {
    plain = toRow(parseItemJson(row, path) as Record<string, AttributeValue>)
  } catch (err) {
    if (err instanceof AttributeJsonError) throw fail(`${source}: ${err.message}`, { source, path: err.path })
    throw fail(`${source}: ${path}: ${(err as Error).message}`, { source, path })
  }
  const deep = nestedTooDeep(plain)
  if (deep) {
    const at = `${path}.${formatIssuePath(deep)}`
    throw fail(`${source}: ${at}: nested more than ${MAX_NESTING} levels deep, which DynamoDB refuses`, {
      source,
      path: at,
    })
  }
  return plain
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
}

const SCALAR = new Set(['S', 'N', 'B'])

/** Converts a NoSQL Workbench model to a Tablewright model (tables, indexes, billing, sample data, facets as entities). */
export function importNoSqlWorkbench(input: unknown, source = 'NoSQL Workbench model'): Model {
  if (!isObject(input) || !Array.isArray(input.DataModel))
    throw fail(`${source}: DataModel: expected an array of tables`)
  checkShape(WbModelShape, input, source)
  const wb = input as unknown as NoSqlWorkbenchModel
  const tables: unknown[] = []
  const entities: unknown[] = []
  const items: Record<string, Record<string, unknown>[]> = {}
  wb.DataModel.forEach((t, ti) => {
    const at = `DataModel[${ti}]`
    if (!isObject(t) || typeof t.TableName !== 'string')
      throw fail(`${source}: ${at}.TableName: expected a string`)
    if (!isObject(t.KeyAttributes) || !isObject(t.KeyAttributes.PartitionKey))
      throw fail(`${source}: ${at}.KeyAttributes.PartitionKey: missing`)
    const defs = new Map<string, string>()
    const addDef = (a: NoSqlWorkbenchAttribute | undefined, path: string) => {
      if (!a) return
      if (!SCALAR.has(a.AttributeType))
        throw fail(`${source}: ${path}.AttributeType: a key attribute is S, N or B, not ${a.AttributeType}`)
      defs.set(a.AttributeName, a.AttributeType)
    }
    const keySchema = (k: NoSqlWorkbenchKeyAttributes, path: string) => {
      addDef(k.PartitionKey, `${path}.PartitionKey`)
      addDef(k.SortKey, `${path}.SortKey`)
      return [
        { attributeName: k.PartitionKey.AttributeName, keyType: 'HASH' },
        ...(k.SortKey ? [{ attributeName: k.SortKey.AttributeName, keyType: 'RANGE' }] : []),
      ]
    }
    const projection = (p: NoSqlWorkbenchIndex['Projection'] | undefined) =>
      p?.ProjectionType === 'INCLUDE'
        ? { projectionType: 'INCLUDE', nonKeyAttributes: p.NonKeyAttributes ?? [] }
        : { projectionType: p?.ProjectionType ?? 'ALL' }
    const billingMode = t.BillingMode ?? 'PAY_PER_REQUEST'
    const tp = t.ProvisionedCapacitySettings?.ProvisionedThroughput
    const throughput = tp
      ? { readCapacityUnits: tp.ReadCapacityUnits, writeCapacityUnits: tp.WriteCapacityUnits }
      : { readCapacityUnits: 5, writeCapacityUnits: 5 }
    const table: Record<string, unknown> = {
      name: t.TableName,
      keySchema: keySchema(t.KeyAttributes, `${at}.KeyAttributes`),
      billingMode,
    }
    // The workbench keeps non-key attribute types for GSI keys only in NonKeyAttributes: pick them up there.
    const nonKeyType = new Map((t.NonKeyAttributes ?? []).map((a) => [a.AttributeName, a.AttributeType]))
    const indexKeys = (k: NoSqlWorkbenchKeyAttributes) => ({
      PartitionKey: {
        ...k.PartitionKey,
        AttributeType: k.PartitionKey.AttributeType ?? nonKeyType.get(k.PartitionKey.AttributeName),
      },
      ...(k.SortKey
        ? {
            SortKey: {
              ...k.SortKey,
              AttributeType: k.SortKey.AttributeType ?? nonKeyType.get(k.SortKey.AttributeName),
            },
          }
        : {}),
    })
    if (t.GlobalSecondaryIndexes?.length)
      table.globalSecondaryIndexes = t.GlobalSecondaryIndexes.map((g, gi) => ({
        indexName: g.IndexName,
        keySchema: keySchema(
          indexKeys(g.KeyAttributes) as NoSqlWorkbenchKeyAttributes,
          `${at}.GlobalSecondaryIndexes[${gi}].KeyAttributes`,
        ),
        projection: projection(g.Projection),
        ...(billingMode === 'PROVISIONED' ? { provisionedThroughput: throughput } : {}),
      }))
    if (t.LocalSecondaryIndexes?.length)
      table.localSecondaryIndexes = t.LocalSecondaryIndexes.map((l, li) => ({
        indexName: l.IndexName,
        keySchema: keySchema(
          indexKeys(l.KeyAttributes) as NoSqlWorkbenchKeyAttributes,
          `${at}.LocalSecondaryIndexes[${li}].KeyAttributes`,
        ),
        projection: projection(l.Projection),
      }))
    if (billingMode === 'PROVISIONED') table.provisionedThroughput = throughput
    if (t.StreamSpecification?.StreamEnabled)
      table.stream = { viewType: t.StreamSpecification.StreamViewType ?? 'NEW_AND_OLD_IMAGES' }
    table.attributeDefinitions = [...defs].map(([attributeName, attributeType]) => ({
      attributeName,
      attributeType,
    }))
    tables.push(table)

    const pkName = t.KeyAttributes.PartitionKey.AttributeName
    const skName = t.KeyAttributes.SortKey?.AttributeName
    const rows: Record<string, unknown>[] = []
    for (const [di, row] of (t.TableData ?? []).entries())
      rows.push(sampleRow(row, `${at}.TableData[${di}]`, source))
    for (const [fi, f] of (t.TableFacets ?? []).entries()) {
      // A facet names what the key attributes mean for one kind of item; keep it as an entity whose keys are
      // single-parameter templates named by the aliases.
      const param = (alias: string | undefined, fallback: string) =>
        `{${(alias ?? fallback).replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1')}}`
      entities.push({
        name: f.FacetName ?? `facet${fi}`,
        table: t.TableName,
        keys: {
          [pkName]: param(f.KeyAttributeAlias?.PartitionKeyAlias, pkName),
          ...(skName ? { [skName]: param(f.KeyAttributeAlias?.SortKeyAlias, skName) } : {}),
        },
      })
      for (const [di, row] of (f.TableData ?? []).entries())
        rows.push(sampleRow(row, `${at}.TableFacets[${fi}].TableData[${di}]`, source))
    }
    if (rows.length) items[t.TableName] = rows
  })
  const model = {
    name: typeof wb.ModelName === 'string' && wb.ModelName ? wb.ModelName : 'imported',
    ...(isObject(wb.ModelMetadata) && typeof wb.ModelMetadata.Description === 'string'
      ? { description: wb.ModelMetadata.Description }
      : {}),
    tables,
    entities,
    ...(Object.keys(items).length ? { sampleData: { items } } : {}),
  }
  return validateModel(model, source)
}

/** A Tablewright model as a NoSQL Workbench data model (tables, indexes, billing and sample items). */
export function exportNoSqlWorkbench(
  model: Model,
  items: Record<string, Record<string, unknown>[]> = model.sampleData?.items ?? {},
): NoSqlWorkbenchModel {
  return {
    ModelName: model.name,
    ModelMetadata: {
      Author: 'Tablewright',
      Description: model.description ?? '',
      AWSService: 'Amazon DynamoDB',
      Version: '3.0',
    },
    DataModel: model.tables.map((t) => {
      const type = (name: string) =>
        t.attributeDefinitions.find((a) => a.attributeName === name)?.attributeType ?? 'S'
      const keyAttrs = (ks: TableSpec['keySchema']): NoSqlWorkbenchKeyAttributes => {
        const [h, r] = ks
        return {
          PartitionKey: { AttributeName: h!.attributeName, AttributeType: type(h!.attributeName) },
          ...(r ? { SortKey: { AttributeName: r.attributeName, AttributeType: type(r.attributeName) } } : {}),
        }
      }
      const keyNames = new Set(t.keySchema.map((k) => k.attributeName))
      const nonKey = new Map<string, string>()
      for (const d of t.attributeDefinitions)
        if (!keyNames.has(d.attributeName)) nonKey.set(d.attributeName, d.attributeType)
      for (const e of model.entities.filter((x) => x.table === t.name))
        for (const a of e.attributes ?? [])
          if (!keyNames.has(a.name) && !nonKey.has(a.name)) nonKey.set(a.name, a.type)
      const projection = (p: {
        projectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'
        nonKeyAttributes?: string[] | undefined
      }) =>
        p.nonKeyAttributes
          ? { ProjectionType: p.projectionType, NonKeyAttributes: p.nonKeyAttributes }
          : { ProjectionType: p.projectionType }
      const out: NoSqlWorkbenchTable = {
        TableName: t.name,
        KeyAttributes: keyAttrs(t.keySchema),
        NonKeyAttributes: [...nonKey].map(([AttributeName, AttributeType]) => ({
          AttributeName,
          AttributeType,
        })),
        TableData: (items[t.name] ?? []).map((i) => fromRow(i)),
        DataAccess: { MySql: {} },
        BillingMode: t.billingMode,
      }
      if (t.globalSecondaryIndexes?.length)
        out.GlobalSecondaryIndexes = t.globalSecondaryIndexes.map((g) => ({
          IndexName: g.indexName,
          KeyAttributes: keyAttrs(g.keySchema),
          Projection: projection(g.projection),
        }))
      if (t.localSecondaryIndexes?.length)
        out.LocalSecondaryIndexes = t.localSecondaryIndexes.map((l) => ({
          IndexName: l.indexName,
          KeyAttributes: keyAttrs(l.keySchema),
          Projection: projection(l.projection),
        }))
      if (t.billingMode === 'PROVISIONED' && t.provisionedThroughput)
        out.ProvisionedCapacitySettings = {
          ProvisionedThroughput: {
            ReadCapacityUnits: t.provisionedThroughput.readCapacityUnits,
            WriteCapacityUnits: t.provisionedThroughput.writeCapacityUnits,
          },
        }
      if (t.stream) out.StreamSpecification = { StreamEnabled: true, StreamViewType: t.stream.viewType }
      return out
    }),
  }
}

/** Reads an AWS CLI `create-table --cli-input-json` file (the CreateTable request) as a model table. */
export function importCreateTableJson(input: unknown, source = 'create-table input'): TableSpec {
  if (!isObject(input) || typeof input.TableName !== 'string')
    throw fail(`${source}: TableName: expected a string`)
  checkShape(CreateTableShape, input, source)
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

export type ModelFileFormat = 'tablewright' | 'nosql-workbench' | 'create-table'

/** Recognises a model file's format from its shape. */
export function detectModelFormat(json: unknown): ModelFileFormat {
  // By the fields each format must have, so a malformed file is checked as what it tries to be.
  if (isObject(json) && 'DataModel' in json) return 'nosql-workbench'
  if (isObject(json) && !('tables' in json) && ('TableName' in json || 'KeySchema' in json))
    return 'create-table'
  return 'tablewright'
}

/** Imports any supported model text (Tablewright, NoSQL Workbench, create-table JSON) as a Tablewright model. */
export function importModelText(text: string, source = 'model'): { format: ModelFileFormat; model: Model } {
  let json: unknown
  try {
    json = parseRowsText(text)
  } catch (err) {
    throw fail(`${source}: not valid JSON: ${(err as Error).message}`, { source })
  }
  const format = detectModelFormat(json)
  if (format === 'nosql-workbench') return { format, model: importNoSqlWorkbench(json, source) }
  if (format === 'create-table') {
    const table = importCreateTableJson(json, source)
    return { format, model: validateModel({ name: table.name, tables: [table] }, source) }
  }
  return { format, model: validateModel(json, source) }
}
