import { classifyEntity, entitiesForTable } from '../../shared/domain/grouping'
import type { AccessPattern, Model, PatternParam } from '../../shared/domain/model'
import { rowToJson, type Row } from './item-json'
import type { SampleItems } from './model.service'
import { scalar } from './suggest.service'

/**
 * `check --generator`: what changes when the loaded data is generated rather than the model's sample items.
 *
 * A model's parameter defaults and its expectations' values were written against the sample items: a bound
 * parameter's default names one of them, `count` and `items` describe them exactly, and a recipe case is a
 * scenario on them (an id it expects to be free or taken, stock it expects to run out). None of that holds on
 * generated data, so: bound parameters take their values from the generated items instead, exact-data
 * expectations are reported as not applicable rather than failed, and recipe cases are not run. What the check
 * still checks is the access path: which operation and index serve each pattern, ordering, page sizes and
 * capacity budgets, on data of realistic size.
 */

/** Why rows and expectations are not checked on generated data (shown beside them and in the summary). */
export const GENERATED_DATA_NOTE = 'not applicable with generated data'

/** A pattern's expectations that describe the sample items exactly, as the report names them. */
export function sampleOnlyExpectations(pattern: AccessPattern): string[] {
  const e = pattern.expectations
  return [
    ...(e?.count !== undefined ? [`exactly ${e.count} items`] : []),
    ...(e?.items ? [`exactly the ${e.items.length} listed items, in order`] : []),
  ]
}

/** The model with the exact-data expectations (`count`, `items`) left out of every pattern. */
export function withoutSampleOnlyExpectations(model: Model): Model {
  return {
    ...model,
    accessPatterns: model.accessPatterns.map((p) => {
      if (!p.expectations || (p.expectations.count === undefined && !p.expectations.items)) return p
      // eslint-disable-next-line @typescript-eslint/no-unused-vars -- left out on purpose
      const { count, items, ...rest } = p.expectations
      return { ...p, expectations: rest }
    }),
  }
}

/**
 * Values from the loaded items for the bound parameters in `names` (with their companions): the parameters of
 * one pattern or recipe that read the same table come from one item when one has all their attributes, so that
 * together they name one thing (a conversation and one of its participants, say); otherwise each from the first
 * item that has its attribute. A parameter no item can fill is left out, so it keeps the model's value.
 */
export function valuesFromData(
  model: Model,
  items: SampleItems,
  params: readonly PatternParam[],
  names: ReadonlySet<string>,
  ownerTable: string | undefined,
): Record<string, string | number> {
  const out: Record<string, string | number> = {}
  const byTable = new Map<string, PatternParam[]>()
  for (const p of params) {
    const table = p.bind?.table ?? ownerTable
    if (!p.bind || !names.has(p.name) || !table) continue
    byTable.set(table, [...(byTable.get(table) ?? []), p])
  }
  for (const [table, group] of byTable) {
    const rows = items[table] ?? []
    const entities = entitiesForTable(model.entities, table)
    const entityOf = new Map<Row, string | undefined>()
    const fits = (row: Row, p: PatternParam) => {
      const b = p.bind!
      if (scalar(row[b.attribute]) === undefined) return false
      if (!b.entity) return true
      if (!entityOf.has(row)) entityOf.set(row, classifyEntity(rowToJson(row), entities)?.name)
      return entityOf.get(row) === b.entity
    }
    const take = (row: Row, p: PatternParam) => {
      out[p.name] = scalar(row[p.bind!.attribute])!
      for (const [companion, attribute] of Object.entries(p.bind!.companions ?? {})) {
        const v = scalar(row[attribute])
        if (v !== undefined) out[companion] = v
      }
    }
    const together = rows.find((row) => group.every((p) => fits(row, p)))
    for (const p of group) {
      const row = together ?? rows.find((r) => fits(r, p))
      if (row) take(row, p)
    }
  }
  return out
}

/** A pattern's bound parameters whose value the model gives (expectation params or default): sample ids. */
export function modelValuedBoundParams(pattern: AccessPattern): Set<string> {
  const given = pattern.expectations?.params ?? {}
  return new Set(
    pattern.params
      .filter((p) => p.bind && (given[p.name] !== undefined || p.default !== undefined))
      .map((p) => p.name),
  )
}
