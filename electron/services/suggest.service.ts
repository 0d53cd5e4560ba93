import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { ItemJson } from '../../shared/contract/channels/workbench'
import { isLosslessNumber } from '../../shared/domain/attribute-json'
import { classifyEntity, entitiesForTable } from '../../shared/domain/grouping'
import { formatKeyTemplate, parseKeyTemplate } from '../../shared/domain/key-template'
import { findRecipe, type Model, type PatternParam } from '../../shared/domain/model'
import { toWorkbenchError, WorkbenchError } from './errors'
import { itemToJson, toRow } from './item-json'
import { getPattern } from './pattern.builder'

export type SuggestedValue = string | number

export interface ParamSuggestion {
  value: SuggestedValue
  label?: string
  /** Other parameters filled from the same item (the binding's `companions`). */
  companions?: Record<string, SuggestedValue>
}

export interface ParamSuggestions {
  param: string
  attribute: string
  table: string
  suggestions: ParamSuggestion[]
  /** Items read to find them. */
  scanned: number
  /** The scan stopped at its cap before the end of the table: rarer values may be missing. */
  truncated: boolean
}

/** Whose parameter: an access pattern's or a write recipe's. */
export type ParamOwner = { patternId: string } | { recipeId: string }

export interface SuggestOptions {
  /** Keep values whose text or label contains this (case-insensitive). */
  query?: string
  /** At most this many suggestions (default 50). */
  limit?: number
  /** Stop reading after this many items (default 5,000): suggestions must stay cheap on a large AWS table. */
  maxScanned?: number
}

function ownerParams(
  model: Model,
  owner: ParamOwner,
): { params: PatternParam[]; table?: string; what: string } {
  if ('patternId' in owner) {
    const p = getPattern(model, owner.patternId)
    return { params: p.params, table: p.table, what: `pattern ${p.id}` }
  }
  const r = findRecipe(model, owner.recipeId)
  if (!r) {
    const valid = model.recipes.map((x) => x.id)
    throw new WorkbenchError(
      'pattern.notFound',
      `the model ${model.name} has no recipe "${owner.recipeId}" (valid: ${valid.join(', ') || 'none'})`,
      { recipe: owner.recipeId, valid },
    )
  }
  return { params: r.params, table: r.steps[0]?.table, what: `recipe ${r.id}` }
}

/** A value a parameter can take from an item: text, or a number (an exact one as its digits). */
export function scalar(v: unknown): SuggestedValue | undefined {
  if (typeof v === 'string' || typeof v === 'number') return v
  // An exact number beyond JS precision (LosslessNumber) suggests its digits.
  if (isLosslessNumber(v)) return v.value
  return undefined
}

function labelOf(row: Record<string, unknown>, label: string | undefined): string | undefined {
  if (!label) return undefined
  if (!label.includes('{')) {
    const v = scalar(row[label])
    return v === undefined ? undefined : String(v)
  }
  const values: Record<string, string> = {}
  for (const name of parseKeyTemplate(label).params) {
    const v = scalar(row[name])
    values[name] = v === undefined ? '' : String(v)
  }
  return String(formatKeyTemplate(label, values))
}

/**
 * Values for a parameter bound to an attribute (`bind`), drawn from the items of the table: each distinct value
 * once, with its label and companion parameters from the first item that has it. A Scan with a projection and a
 * cap, since any attribute may be bound, not only a key.
 */
export async function suggestParamValues(
  client: DynamoDBClient,
  model: Model,
  owner: ParamOwner,
  paramName: string,
  options: SuggestOptions = {},
): Promise<ParamSuggestions> {
  const { params, table: ownerTable, what } = ownerParams(model, owner)
  const param = params.find((p) => p.name === paramName)
  if (!param)
    throw new WorkbenchError(
      'pattern.invalidParams',
      `${what} has no parameter "${paramName}" (parameters: ${params.map((p) => p.name).join(', ') || 'none'})`,
      { param: paramName, valid: params.map((p) => p.name) },
    )
  const bind = param.bind
  if (!bind) {
    const bound = params.filter((p) => p.bind).map((p) => p.name)
    throw new WorkbenchError(
      'input.invalid',
      `${what}: parameter "${paramName}" is not bound to an attribute, so there is nothing to suggest (bound: ${bound.join(', ') || 'none'})`,
      { param: paramName, bound },
    )
  }
  const table = bind.table ?? ownerTable
  if (!table) throw new WorkbenchError('model.invalid', `${what} names no table`)
  const entities = bind.entity ? entitiesForTable(model.entities, table) : []
  const wanted = [
    bind.attribute,
    ...(bind.label ? (bind.label.includes('{') ? parseKeyTemplate(bind.label).params : [bind.label]) : []),
    ...Object.values(bind.companions ?? {}),
    // Recognising an entity needs its key attributes.
    ...(bind.entity ? entities.flatMap((e) => Object.keys(e.keys)) : []),
  ]
  const names = [...new Set(wanted)]
  const ExpressionAttributeNames = Object.fromEntries(names.map((n, i) => [`#a${i}`, n]))
  const limit = options.limit ?? 50
  const maxScanned = options.maxScanned ?? 5000
  const query = options.query?.trim().toLowerCase()
  const seen = new Map<string, ParamSuggestion>()
  let scanned = 0
  let start: Record<string, AttributeValue> | undefined
  do {
    let page
    try {
      page = await client.send(
        new ScanCommand({
          TableName: table,
          ProjectionExpression: names.map((_, i) => `#a${i}`).join(', '),
          FilterExpression: 'attribute_exists(#a0)',
          ExpressionAttributeNames,
          ExclusiveStartKey: start,
          Limit: Math.min(1000, maxScanned - scanned),
        }),
      )
    } catch (err) {
      throw toWorkbenchError(err, { table })
    }
    scanned += page.ScannedCount ?? 0
    start = page.LastEvaluatedKey
    for (const raw of page.Items ?? []) {
      if (bind.entity) {
        const json: ItemJson = itemToJson(raw)
        if (classifyEntity(json, entities)?.name !== bind.entity) continue
      }
      const row = toRow(raw)
      const value = scalar(row[bind.attribute])
      if (value === undefined) continue
      const id = `${typeof value}:${value}`
      if (seen.has(id)) continue
      const s: ParamSuggestion = { value }
      const label = labelOf(row, bind.label)
      if (label !== undefined) s.label = label
      if (bind.companions) {
        const companions: Record<string, SuggestedValue> = {}
        for (const [p, attr] of Object.entries(bind.companions)) {
          const v = scalar(row[attr])
          if (v !== undefined) companions[p] = v
        }
        s.companions = companions
      }
      seen.set(id, s)
    }
  } while (start && scanned < maxScanned)
  let suggestions = [...seen.values()]
  if (query)
    suggestions = suggestions.filter(
      (s) => String(s.value).toLowerCase().includes(query) || s.label?.toLowerCase().includes(query),
    )
  // By label (then value), so a list of uuids reads as a list of names.
  suggestions.sort((a, b) =>
    (a.label ?? String(a.value)).localeCompare(b.label ?? String(b.value), 'en', { numeric: true }),
  )
  return {
    param: paramName,
    attribute: bind.attribute,
    table,
    suggestions: suggestions.slice(0, limit),
    scanned,
    truncated: start !== undefined,
  }
}
