import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { parseDocument } from 'yaml'
import { z } from 'zod'
import {
  AttributeJsonError,
  MAX_NESTING,
  nestedTooDeep,
  parseItemJson,
} from '../../shared/domain/attribute-json'
import { parseKeyTemplate } from '../../shared/domain/key-template'
import { formatIssuePath, type Model, type TableSpec } from '../../shared/domain/model'
import { importCloudFormation, isCloudFormation, CFN_YAML_TAGS } from './formats/cloudformation'
import {
  checkShape,
  fail,
  isObject,
  nonEmpty,
  projectionRequest,
  ProjectionTypeShape,
  ThroughputShape,
} from './formats/common'
import { importCreateTableJson } from './formats/create-table'
import { importDescribeTable, isDescribeTable } from './formats/describe-table'
import { importOneTable, isOneTable } from './formats/onetable'
import {
  patternsFromWorkbench,
  patternsToWorkbench,
  type WbAccessPattern,
} from './formats/workbench-patterns'
import { fromRow, parseRowsText, toRow } from './item-json'
import { validateModel } from './model.service'

export { exportCloudFormation, exportCloudFormationYaml } from './formats/cloudformation'
export { exportCreateTableJson, importCreateTableJson } from './formats/create-table'
export { exportDescribeTable, importDescribeTable, tableSpecFromDescription } from './formats/describe-table'
export { importOneTable } from './formats/onetable'

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
  AccessPatterns?: WbAccessPattern[]
}

/*
 * The shapes the importers read, checked before anything is converted, so a missing or wrong-typed field is a
 * model.invalid naming its path (it used to be "Cannot read properties of undefined"). Unknown fields are
 * ignored: both formats carry more than a model needs (DataAccess, Tags, SSESpecification, …).
 * NoSQL Workbench: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/workbench.Modeler.ImportExisting.html
 * CreateTable: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
 */
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
  AccessPatterns: z.unknown().optional(),
})

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

const SCALAR = new Set(['S', 'N', 'B'])
// The attribute types an entity can declare (shared/domain/model.ts EntitySpec).
const ENTITY_TYPES = new Set(['S', 'N', 'B', 'BOOL', 'M', 'L', 'SS', 'NS'])

/** Converts a NoSQL Workbench model to a Tablewright model (tables, indexes, billing, sample data, facets as entities). */
export function importNoSqlWorkbench(
  input: unknown,
  source = 'NoSQL Workbench model',
  warnings: string[] = [],
): Model {
  if (!isObject(input) || !Array.isArray(input.DataModel))
    throw fail(`${source}: DataModel: expected an array of tables`)
  checkShape(WbModelShape, input, source)
  const wb = input as unknown as NoSqlWorkbenchModel
  const tables: unknown[] = []
  const entities: unknown[] = []
  const patterns: Record<string, unknown>[] = []
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
      // A facet names what the key attributes mean for one kind of item; keep it as an entity. An alias that is a
      // key template (`ORDER#{order_id}`, as Tablewright exports them) is kept as it is; a plain alias becomes a
      // single-parameter template named by it.
      const template = (alias: string | undefined, fallback: string) => {
        if (alias?.includes('{'))
          try {
            parseKeyTemplate(alias)
            return alias
          } catch {
            // not a template: a name like any other
          }
        return `{${(alias ?? fallback).replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1')}}`
      }
      const attributes = (f.NonKeyAttributes ?? [])
        .filter((n) => ENTITY_TYPES.has(nonKeyType.get(n) ?? ''))
        .map((name) => ({ name, type: nonKeyType.get(name) }))
      entities.push({
        name: f.FacetName ?? `facet${fi}`,
        table: t.TableName,
        keys: {
          [pkName]: template(f.KeyAttributeAlias?.PartitionKeyAlias, pkName),
          ...(skName ? { [skName]: template(f.KeyAttributeAlias?.SortKeyAlias, skName) } : {}),
        },
        ...(attributes.length ? { attributes } : {}),
      })
      for (const [di, row] of (f.TableData ?? []).entries())
        rows.push(sampleRow(row, `${at}.TableFacets[${fi}].TableData[${di}]`, source))
    }
    patterns.push(
      ...patternsFromWorkbench(
        (t as unknown as Record<string, unknown>).AccessPatterns,
        `${at}.AccessPatterns`,
        t.TableName,
        source,
        warnings,
      ),
    )
    if (rows.length) items[t.TableName] = rows
  })
  const model = {
    name: typeof wb.ModelName === 'string' && wb.ModelName ? wb.ModelName : 'imported',
    ...(isObject(wb.ModelMetadata) && typeof wb.ModelMetadata.Description === 'string'
      ? { description: wb.ModelMetadata.Description }
      : {}),
    tables,
    entities,
    accessPatterns: [
      ...patterns,
      ...patternsFromWorkbench(
        wb.AccessPatterns,
        'AccessPatterns',
        wb.DataModel[0]?.TableName,
        source,
        warnings,
      ),
    ],
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
          Projection: projectionRequest(g.projection),
        }))
      if (t.localSecondaryIndexes?.length)
        out.LocalSecondaryIndexes = t.localSecondaryIndexes.map((l) => ({
          IndexName: l.indexName,
          KeyAttributes: keyAttrs(l.keySchema),
          Projection: projectionRequest(l.projection),
        }))
      if (t.billingMode === 'PROVISIONED' && t.provisionedThroughput)
        out.ProvisionedCapacitySettings = {
          ProvisionedThroughput: {
            ReadCapacityUnits: t.provisionedThroughput.readCapacityUnits,
            WriteCapacityUnits: t.provisionedThroughput.writeCapacityUnits,
          },
        }
      if (t.stream) out.StreamSpecification = { StreamEnabled: true, StreamViewType: t.stream.viewType }
      // Entities as facets: the aliases carry the key templates, which the workbench shows as labels.
      const [pk, sk] = t.keySchema
      const facets = model.entities
        .filter((e) => e.table === t.name)
        .map((e) => ({
          FacetName: e.name,
          KeyAttributeAlias: {
            PartitionKeyAlias: e.keys[pk!.attributeName] ?? pk!.attributeName,
            ...(sk ? { SortKeyAlias: e.keys[sk.attributeName] ?? sk.attributeName } : {}),
          },
          TableData: [],
          NonKeyAttributes: (e.attributes ?? []).map((a) => a.name).filter((n) => !keyNames.has(n)),
        }))
      if (facets.length) out.TableFacets = facets
      return out
    }),
    ...(model.accessPatterns.some((p) => p.operation !== 'stream')
      ? { AccessPatterns: patternsToWorkbench(model) }
      : {}),
  }
}

export type ModelFileFormat =
  | 'tablewright'
  | 'nosql-workbench'
  | 'create-table'
  | 'cloudformation'
  | 'cloudformation-yaml'
  | 'describe-table'
  | 'onetable'

/** Recognises a model file's format from its shape. */
export function detectModelFormat(json: unknown): Exclude<ModelFileFormat, 'cloudformation-yaml'> {
  // By the fields each format must have, so a malformed file is checked as what it tries to be.
  if (!isObject(json) || 'tables' in json) return 'tablewright'
  if ('DataModel' in json) return 'nosql-workbench'
  if (isCloudFormation(json)) return 'cloudformation'
  if (isDescribeTable(json)) return 'describe-table'
  if (isOneTable(json)) return 'onetable'
  if ('TableName' in json || 'KeySchema' in json) return 'create-table'
  return 'tablewright'
}

export interface ImportedModel {
  format: ModelFileFormat
  model: Model
  /** What the file holds that the model cannot (an UpdateItem pattern, a GlobalTable's replicas, …). */
  warnings: string[]
}

/** JSON text starts with `{` or `[`; anything else is read as YAML (CloudFormation templates mostly are). */
function parseModelDocument(text: string, source: string): { json: unknown; yaml: boolean } {
  const body = text.replace(/^\uFEFF/, '')
  if (/^\s*[{[]/.test(body) || body.trim() === '') {
    try {
      return { json: parseRowsText(body), yaml: false }
    } catch (err) {
      throw fail(`${source}: not valid JSON: ${(err as Error).message}`, { source })
    }
  }
  // Anything the YAML reader throws (an alias bomb, nesting deep enough to exhaust the stack) is the file's fault.
  const unreadable = (err: unknown) =>
    fail(`${source}: not valid YAML or JSON: ${(err as Error).message}`, { source })
  let doc: ReturnType<typeof parseDocument>
  try {
    doc = parseDocument(body, { customTags: CFN_YAML_TAGS, prettyErrors: true, uniqueKeys: true })
  } catch (err) {
    throw unreadable(err)
  }
  const error = doc.errors[0]
  if (error) {
    const line = error.linePos?.[0]
    throw fail(
      `${source}${line ? `:${line.line}:${line.col}` : ''}: not valid YAML or JSON: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
      {
        source,
        ...(line ? { line: line.line, column: line.col } : {}),
      },
    )
  }
  try {
    return { json: doc.toJS({ maxAliasCount: 100 }) as unknown, yaml: true }
  } catch (err) {
    throw unreadable(err)
  }
}

/**
 * Imports any supported model text as a Tablewright model: Tablewright JSON, NoSQL Workbench, CloudFormation
 * (JSON or YAML), create-table --cli-input-json, DescribeTable output or a OneTable schema. The format is detected
 * from the document's shape.
 */
export function importModel(
  text: string,
  source = 'model',
  options: { tableName?: string | undefined } = {},
): ImportedModel {
  const { json, yaml } = parseModelDocument(text, source)
  const format = detectModelFormat(json)
  const warnings: string[] = []
  const tableModel = (table: TableSpec) => validateModel({ name: table.name, tables: [table] }, source)
  switch (format) {
    case 'nosql-workbench':
      return { format, model: importNoSqlWorkbench(json, source, warnings), warnings }
    case 'cloudformation':
      return {
        format: yaml ? 'cloudformation-yaml' : 'cloudformation',
        model: importCloudFormation(json, source, warnings),
        warnings,
      }
    case 'describe-table':
      return { format, model: tableModel(importDescribeTable(json, source)), warnings }
    case 'onetable':
      return { format, model: importOneTable(json, source, warnings, options.tableName), warnings }
    case 'create-table':
      return { format, model: tableModel(importCreateTableJson(json, source)), warnings }
    default:
      return { format, model: validateModel(json, source), warnings }
  }
}

/** importModel without the warnings (what loading a model file for use needs). */
export function importModelText(text: string, source = 'model'): { format: ModelFileFormat; model: Model } {
  const { format, model } = importModel(text, source)
  return { format, model }
}
