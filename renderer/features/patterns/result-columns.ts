import type { ItemJson } from '../../../shared/contract/channels/workbench'
import type { AccessPattern, Model } from '../../../shared/domain/model'

/** How many attribute columns the pattern's item table shows; the inspector has the whole item. */
export const MAX_RESULT_COLUMNS = 8

/**
 * The key attributes of what the pattern read: the queried index's keys first (they are what the key condition
 * matched), then the table's primary key, which identifies each item. An LSI shares the table's partition key, so
 * names are listed once. Unknown tables or indexes give no keys rather than guessed names.
 */
export function patternKeyNames(
  model: Pick<Model, 'tables'>,
  pattern: Pick<AccessPattern, 'table' | 'index'>,
): string[] {
  const table = model.tables.find((t) => t.name === pattern.table)
  if (!table) return []
  const index = pattern.index
    ? [...(table.globalSecondaryIndexes ?? []), ...(table.localSecondaryIndexes ?? [])].find(
        (i) => i.indexName === pattern.index,
      )
    : undefined
  const names = [...(index?.keySchema ?? []), ...table.keySchema].map((k) => k.attributeName)
  return [...new Set(names)]
}

/** Column order for result items: the key attributes present in any item, in key order, then the rest by name. */
export function resultColumns(
  items: readonly ItemJson[],
  keyNames: readonly string[],
  max = MAX_RESULT_COLUMNS,
): string[] {
  const keys = keyNames.filter((k) => items.some((it) => k in it))
  const isKey = new Set(keyNames)
  const rest = new Set<string>()
  for (const it of items) for (const k of Object.keys(it)) if (!isKey.has(k)) rest.add(k)
  return [...keys, ...[...rest].sort()].slice(0, max)
}
