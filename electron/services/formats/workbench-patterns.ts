import { z } from 'zod'
import { parseKeyTemplate } from '../../../shared/domain/key-template'
import type { AccessPattern, Model } from '../../../shared/domain/model'
import { checkShape, identifier, isObject } from './common'

/*
 * Access patterns in a NoSQL Workbench data model. Workbench 3.20 (February 2026) added access patterns to its
 * data modeler: a name, description, type (Scan, Query, GetItem, PutItem, UpdateItem, DeleteItem) and the table or
 * GSI it runs against (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/workbench.Modeler.AccessPatterns.html,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkbenchDocumentHistory.html). Its file layout
 * for them is not published, so the field names below are the API's own request members (KeyConditionExpression,
 * ExpressionAttributeValues, ScanIndexForward, …) under a model-level `AccessPatterns` list; a per-table list is
 * read too. What only Tablewright knows (pattern id, entity, expectations, parameter types) travels in a
 * `Tablewright` member the workbench ignores. See KNOWN-DIFFERENCES.md.
 */

const TemplateValueShape = z.union([z.string(), z.number(), z.boolean(), z.record(z.string(), z.unknown())])
const ParameterShape = z.object({
  Name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a parameter name is letters, digits and "_"'),
  Type: z.enum(['string', 'number', 'uuid', 'handle', 'timestamp']).optional(),
  Format: z.string().optional(),
  Description: z.string().optional(),
  Default: z.union([z.string(), z.number()]).optional(),
  Required: z.boolean().optional(),
  /** Tablewright's binding of the parameter to an attribute (suggestions); checked when the model is validated. */
  Bind: z.record(z.string(), z.unknown()).optional(),
})
export const WbAccessPatternShape = z.object({
  Name: z.string().min(1),
  Description: z.string().optional(),
  Type: z.enum(['Query', 'Scan', 'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem']),
  TableName: z.string().optional(),
  IndexName: z.string().optional(),
  KeyConditionExpression: z.string().optional(),
  FilterExpression: z.string().optional(),
  ProjectionExpression: z.string().optional(),
  ExpressionAttributeValues: z.record(z.string(), TemplateValueShape).optional(),
  Key: z.record(z.string(), TemplateValueShape).optional(),
  Item: z.record(z.string(), TemplateValueShape).optional(),
  ScanIndexForward: z.boolean().optional(),
  Limit: z.number().int().min(1).optional(),
  Parameters: z.array(ParameterShape).optional(),
  Tablewright: z
    .object({
      Id: z.string().optional(),
      Entity: z.string().optional(),
      Present: z.enum(['asReturned', 'reverse']).optional(),
      Expectations: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
})
export type WbAccessPattern = z.infer<typeof WbAccessPatternShape>

/** A value as the workbench may write it (DynamoDB JSON `{ "S": "…" }`) or as a template. */
function plainValue(v: unknown): unknown {
  if (isObject(v)) {
    const [k, x] = Object.entries(v)[0] ?? []
    if (Object.keys(v).length === 1 && k === 'S' && typeof x === 'string') return x
    if (Object.keys(v).length === 1 && k === 'N' && typeof x === 'string' && Number.isFinite(Number(x)))
      return Number(x)
    if (Object.keys(v).length === 1 && k === 'BOOL' && typeof x === 'boolean') return x
  }
  return v
}

function templateParams(values: Record<string, unknown>[]): string[] {
  const names = new Set<string>()
  for (const rec of values)
    for (const v of Object.values(rec)) {
      if (typeof v !== 'string') continue
      try {
        for (const p of parseKeyTemplate(v).params) names.add(p)
      } catch {
        // reported by the model's own check, at its path
      }
    }
  return [...names]
}

/**
 * The access patterns of a workbench file as model patterns. A pattern the model cannot hold (UpdateItem) is left
 * out with a warning; a malformed one is model.invalid at its path.
 */
export function patternsFromWorkbench(
  raw: unknown,
  at: string,
  defaultTable: string | undefined,
  source: string,
  warnings: string[],
): Record<string, unknown>[] {
  if (raw === undefined) return []
  const list = checkShape(z.array(WbAccessPatternShape), raw, source, at)
  const ids = new Set<string>()
  const out: Record<string, unknown>[] = []
  list.forEach((p, i) => {
    if (p.Type === 'UpdateItem') {
      warnings.push(
        `${at}[${i}] "${p.Name}": UpdateItem patterns are not part of a Tablewright model yet; left out`,
      )
      return
    }
    let id =
      p.Tablewright?.Id ??
      identifier(p.Name, `P${i + 1}`)
        .replace(/_+/g, '_')
        .slice(0, 40)
    while (ids.has(id)) id = `${id}_${i + 1}`
    ids.add(id)
    const values = p.ExpressionAttributeValues
      ? Object.fromEntries(Object.entries(p.ExpressionAttributeValues).map(([k, v]) => [k, plainValue(v)]))
      : undefined
    const key = p.Key
      ? Object.fromEntries(Object.entries(p.Key).map(([k, v]) => [k, plainValue(v)]))
      : undefined
    const item = p.Item
      ? Object.fromEntries(Object.entries(p.Item).map(([k, v]) => [k, plainValue(v)]))
      : undefined
    const params = p.Parameters
      ? p.Parameters.map((x) => ({
          name: x.Name,
          type: x.Type ?? 'string',
          ...(x.Format !== undefined ? { format: x.Format } : {}),
          ...(x.Description !== undefined ? { description: x.Description } : {}),
          ...(x.Default !== undefined ? { default: x.Default } : {}),
          ...(x.Required !== undefined ? { required: x.Required } : {}),
          ...(x.Bind !== undefined ? { bind: x.Bind } : {}),
        }))
      : templateParams([values ?? {}, key ?? {}, item ?? {}]).map((name) => ({ name, type: 'string' }))
    out.push({
      id,
      name: p.Name,
      ...(p.Description !== undefined ? { description: p.Description } : {}),
      operation: p.Type,
      table: p.TableName ?? defaultTable,
      ...(p.IndexName !== undefined ? { index: p.IndexName } : {}),
      ...(p.Tablewright?.Entity !== undefined ? { entity: p.Tablewright.Entity } : {}),
      params,
      ...(p.KeyConditionExpression !== undefined ? { keyCondition: p.KeyConditionExpression } : {}),
      ...(p.FilterExpression !== undefined ? { filter: p.FilterExpression } : {}),
      ...(values ? { values } : {}),
      ...(key ? { key } : {}),
      ...(item ? { item } : {}),
      ...(p.ScanIndexForward !== undefined ? { direction: p.ScanIndexForward ? 'asc' : 'desc' } : {}),
      ...(p.Limit !== undefined ? { limit: p.Limit } : {}),
      ...(p.ProjectionExpression
        ? { projection: p.ProjectionExpression.split(',').map((s) => s.trim()) }
        : {}),
      ...(p.Tablewright?.Present !== undefined ? { present: p.Tablewright.Present } : {}),
      ...(p.Tablewright?.Expectations !== undefined ? { expectations: p.Tablewright.Expectations } : {}),
    })
  })
  return out
}

/** The model's patterns as workbench access patterns; stream patterns (a handler, not a request) have no place there. */
export function patternsToWorkbench(model: Model): WbAccessPattern[] {
  return model.accessPatterns
    .filter(
      (p): p is AccessPattern & { operation: Exclude<AccessPattern['operation'], 'stream'> } =>
        p.operation !== 'stream',
    )
    .map((p) => {
      const extra = {
        Id: p.id,
        ...(p.entity !== undefined ? { Entity: p.entity } : {}),
        ...(p.present !== undefined ? { Present: p.present } : {}),
        ...(p.expectations !== undefined ? { Expectations: p.expectations as Record<string, unknown> } : {}),
      }
      return {
        Name: p.name,
        ...(p.description !== undefined ? { Description: p.description } : {}),
        Type: p.operation,
        TableName: p.table,
        ...(p.index !== undefined ? { IndexName: p.index } : {}),
        ...(p.keyCondition !== undefined ? { KeyConditionExpression: p.keyCondition } : {}),
        ...(p.filter !== undefined ? { FilterExpression: p.filter } : {}),
        ...(p.projection ? { ProjectionExpression: p.projection.join(', ') } : {}),
        ...(p.values ? { ExpressionAttributeValues: p.values } : {}),
        ...(p.key ? { Key: p.key } : {}),
        ...(p.item ? { Item: p.item } : {}),
        ...(p.direction ? { ScanIndexForward: p.direction === 'asc' } : {}),
        ...(p.limit !== undefined ? { Limit: p.limit } : {}),
        Parameters: p.params.map((x) => ({
          Name: x.name,
          Type: x.type,
          ...(x.format !== undefined ? { Format: x.format } : {}),
          ...(x.description !== undefined ? { Description: x.description } : {}),
          ...(x.default !== undefined ? { Default: x.default } : {}),
          Required: x.required,
          ...(x.bind !== undefined ? { Bind: x.bind as Record<string, unknown> } : {}),
        })),
        Tablewright: extra,
      }
    })
}
