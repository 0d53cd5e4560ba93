import type { ItemJson } from '../../../shared/contract/channels/workbench'
import {
  buildView,
  filterItems,
  itemId,
  type EntityMatcher,
  type IndexSpec,
  type KeySchemaView,
  summarizeGroup,
  toViewItemRow,
  type View,
} from '../../../shared/domain/grouping'
import type { ViewSource } from './view-source'

/**
 * The UI benchmark's peer only (localStorage `tablewright.itemsLoad` = `legacy`): views of items loaded into the page,
 * grouped here with buildView, as the visualizer did before the host held them. Answers as the host would.
 */
export function localSource(
  items: readonly ItemJson[],
  context: { table: KeySchemaView; indexes: readonly IndexSpec[]; entities: EntityMatcher[]; done: boolean },
): ViewSource {
  const views = new Map<string, View>()
  let next = 0
  const slice = (view: View, from: number, count: number) =>
    view.rows
      .slice(from, from + count)
      .flatMap((r, i) => (r.kind === 'item' ? [toViewItemRow(r.item, from + i, r.position)] : []))
  return {
    async view({ options, from, count, locate }) {
      const { table, indexes, entities } = context
      const index = indexes.find((i) => i.name === options.indexName)
      const keyNames = [table.partitionKey, table.sortKey, index?.partitionKey, index?.sortKey].flatMap(
        (k) => (k ? [k.name] : []),
      )
      const present = new Set(items.map((it) => itemId(it, table)))
      const ghosts = filterItems(options.ghosts, options.filter, keyNames).filter(
        (g) => !present.has(itemId(g, table)),
      )
      const shown = filterItems(items, options.filter, keyNames)
      const view = buildView(shown, {
        table,
        index,
        entities,
        showExcluded: options.showExcluded,
        ghosts,
      })
      const viewKey = `local:${++next}`
      views.clear()
      views.set(viewKey, view)
      const wanted = new Set(locate)
      const located: Record<string, number> = {}
      view.rows.forEach((r, row) => {
        if (r.kind === 'item' && !r.item.ghost && wanted.has(r.item.id)) located[r.item.id] = row
      })
      return {
        viewKey,
        loaded: items.length,
        done: context.done,
        itemCount: view.itemCount,
        excludedCount: view.excludedCount,
        unfilteredCount: items.length,
        rowCount: view.rows.length,
        groups: view.groups.map(summarizeGroup),
        rows: slice(view, from, count),
        located,
      }
    },
    async rows(viewKey, from, count) {
      const view = views.get(viewKey)
      return view ? slice(view, from, count) : []
    },
  }
}
