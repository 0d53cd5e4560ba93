import type {
  ItemsViewOptions,
  ItemsViewSummary,
  ViewItemRow,
} from '../../../shared/contract/channels/workbench'
import { call } from '../../bridge/bridge'
import { viewAnswered } from '../../store/workbench.slice'

/** Where a view and its rows come from: the host (items:view, items:viewRows), or the page for the bench's peer. */
export interface ViewSource {
  view(input: {
    options: ItemsViewOptions
    from: number
    count: number
    locate: string[]
  }): Promise<ItemsViewSummary>
  rows(viewKey: string, from: number, count: number): Promise<ViewItemRow[]>
}

/** The views of a snapshot the host holds. */
export function hostSource(snapshotId: string): ViewSource {
  return {
    // A load waits for its first page's view before it reads on (workbench.slice's loadItems).
    view: (input) => call('items:view', { snapshotId, ...input }).finally(() => viewAnswered(snapshotId)),
    rows: async (viewKey, from, count) =>
      (await call('items:viewRows', { snapshotId, viewKey, from, count })).rows,
  }
}
