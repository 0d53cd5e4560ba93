/** What a view was last asked with: the view's own inputs, the load's progress, and when. */
export interface Asked {
  view: readonly unknown[]
  loaded: number
  done: boolean
  at: number
}

/**
 * How long to wait before asking for a view again (0: at once), or undefined when nothing changed. Another view
 * (index, filter, highlights, a new load) is asked at once, and so is the end of a load; progress of the same load
 * asks again at most once every `every` ms, so a long load still shows its items coming in without a view of the
 * whole snapshot built on every page. Pure, so it is tested without React.
 */
export function reaskDelay(
  prev: Asked | undefined,
  next: Omit<Asked, 'at'>,
  now: number,
  every: number,
): number | undefined {
  const sameView =
    prev !== undefined &&
    prev.view.length === next.view.length &&
    prev.view.every((v, i) => v === next.view[i])
  if (sameView && prev.loaded === next.loaded && prev.done === next.done) return undefined
  if (!sameView || next.done) return 0
  return Math.max(0, prev.at + every - now)
}
