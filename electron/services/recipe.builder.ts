import type { TransactWriteItem } from '@aws-sdk/client-dynamodb'
import { KeyTemplateError, formatKeyTemplate, parseKeyTemplate } from '../../shared/domain/key-template'
import { findRecipe, type Model, type RecipeStep, type WriteRecipe } from '../../shared/domain/model'
import { WorkbenchError } from './errors'
import { fromRow, type Row } from './item-json'
import {
  namesIn,
  resolveParams,
  type ParamGenerators,
  type ParamValue,
  type ParamValues,
} from './pattern.builder'

export function getRecipe(model: Model, id: string): WriteRecipe {
  const r = findRecipe(model, id)
  if (!r) {
    const valid = model.recipes.map((x) => x.id)
    throw new WorkbenchError(
      'recipe.notFound',
      `the model ${model.name} has no write recipe "${id}" (valid: ${valid.join(', ') || 'none'})`,
      { recipe: id, valid },
    )
  }
  return r
}

/** One write of a plan: the step with its key and item filled in, and the TransactWriteItems action it becomes. */
export interface PlannedWrite {
  index: number
  op: RecipeStep['op']
  table: string
  entity?: string | undefined
  description?: string | undefined
  /** The item's key (plain JSON). */
  key: Row
  /** Put only: the whole item. */
  item?: Row | undefined
  /** The action as TransactWriteItems takes it (DynamoDB JSON); the steps mode sends its fields on their own. */
  action: TransactWriteItem
}

/**
 * A recipe with its parameters applied: what it will write, before anything is sent. It can be shown, turned
 * into one TransactWriteItems, or sent step by step (ElectroDB's `params` before `go`).
 */
export interface WritePlan {
  recipe: WriteRecipe
  params: Record<string, ParamValue>
  writes: PlannedWrite[]
}

/**
 * An item's attributes from templates. An attribute whose template names an optional parameter that was not
 * given is left out (the item simply lacks it); a key attribute cannot be left out.
 */
function fillItem(
  rec: Record<string, string | number | boolean>,
  params: Record<string, ParamValue>,
  keyNames: readonly string[],
  where: string,
): Row {
  const out: Row = {}
  for (const [k, v] of Object.entries(rec)) {
    if (typeof v !== 'string') {
      out[k] = v
      continue
    }
    try {
      out[k] = formatKeyTemplate(parseKeyTemplate(v), params)
    } catch (err) {
      if (!(err instanceof KeyTemplateError)) throw err
      if (keyNames.includes(k))
        throw new WorkbenchError('recipe.invalidParams', `${where}: key attribute ${k}: ${err.message}`, {
          problems: [err.message],
        })
    }
  }
  return out
}

function expressionFields(step: RecipeStep, params: Record<string, ParamValue>, where: string) {
  const names = namesIn(step.update, step.condition)
  const values = step.values
    ? fromRow(fillItem(step.values, params, Object.keys(step.values), where))
    : undefined
  return {
    ...(step.condition ? { ConditionExpression: step.condition } : {}),
    ...(names ? { ExpressionAttributeNames: names } : {}),
    ...(values && Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
  }
}

/** The plan for resolved parameters (see resolveParams). Pure: no request is sent. */
export function buildRecipePlan(
  model: Model,
  recipeOrId: WriteRecipe | string,
  params: Record<string, ParamValue>,
): WritePlan {
  const recipe = typeof recipeOrId === 'string' ? getRecipe(model, recipeOrId) : recipeOrId
  const writes = recipe.steps.map((step, index): PlannedWrite => {
    const keyNames =
      model.tables.find((t) => t.name === step.table)?.keySchema.map((k) => k.attributeName) ?? []
    const where = `recipe ${recipe.id} step ${index + 1}`
    const base = { index, op: step.op, table: step.table, entity: step.entity, description: step.description }
    const expr = expressionFields(step, params, where)
    if (step.op === 'Put') {
      const item = fillItem(step.item ?? {}, params, keyNames, where)
      const key = Object.fromEntries(keyNames.map((k) => [k, item[k]]))
      return { ...base, key, item, action: { Put: { TableName: step.table, Item: fromRow(item), ...expr } } }
    }
    const key = fillItem(step.key ?? {}, params, keyNames, where)
    const Key = fromRow(key, true)
    const action: TransactWriteItem =
      step.op === 'Update'
        ? { Update: { TableName: step.table, Key, UpdateExpression: step.update!, ...expr } }
        : step.op === 'Delete'
          ? { Delete: { TableName: step.table, Key, ...expr } }
          : { ConditionCheck: { TableName: step.table, Key, ConditionExpression: step.condition!, ...expr } }
    return { ...base, key, action }
  })
  return { recipe, params, writes }
}

/** Resolves the parameters (defaults, generated uuids and times, type checks) and builds the plan. */
export function planRecipe(
  model: Model,
  recipeId: string,
  given: ParamValues,
  gen?: ParamGenerators,
): WritePlan {
  const recipe = getRecipe(model, recipeId)
  return buildRecipePlan(model, recipe, resolveParams(recipe, given, gen, 'recipe'))
}
