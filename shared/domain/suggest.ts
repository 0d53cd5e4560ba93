/** A prefix match ranks after every near spelling, and all prefix matches rank alike. */
const PREFIX = Number.MAX_SAFE_INTEGER

/**
 * "Did you mean" for names a person typed: tables, patterns, parameters, profiles. The nearest candidates by edit
 * distance (optimal string alignment: insert, delete, substitute, or swap two neighbours, each 1), compared without
 * case, plus any candidate the input is a prefix of. A candidate counts as near when at most a third of the longer
 * name has to change (one edit for names of 3 or more), so "mesages" finds "messages" while "a" does not find "B";
 * of those, only the nearest are named.
 */
export function nearestNames(input: string, candidates: readonly string[], limit = 3): string[] {
  const want = input.toLowerCase()
  const scored: { name: string; score: number }[] = []
  for (const name of new Set(candidates)) {
    const have = name.toLowerCase()
    if (have === want) {
      scored.push({ name, score: 0 })
      continue
    }
    // The distance cannot be smaller than the difference in length: skip the table for far-off names.
    const longer = Math.max(want.length, have.length)
    const allowed = Math.max(longer >= 3 ? 1 : 0, Math.floor(longer / 3))
    const distance = Math.abs(want.length - have.length) > allowed ? Infinity : editDistance(want, have)
    if (distance <= allowed) scored.push({ name, score: distance })
    else if (have.startsWith(want)) scored.push({ name, score: PREFIX })
  }
  // Only the nearest: with "messages" one edit away, "users" four edits away is noise.
  const best = Math.min(...scored.map((s) => s.score))
  return scored
    .filter((s) => s.score === best)
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((s) => s.name)
}

/** ` Did you mean "a" or "b"?`, or '' when nothing is near. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const near = nearestNames(input, candidates)
  if (near.length === 0) return ''
  const quoted = near.map((n) => `"${n}"`)
  const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`
  return ` Did you mean ${list}?`
}

/** Optimal string alignment distance, two rows of the table at a time. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0
  let before = new Array<number>(b.length + 1).fill(0)
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  let cur = new Array<number>(b.length + 1).fill(0)
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, before[j - 2]! + 1)
      cur[j] = d
    }
    ;[before, prev, cur] = [prev, cur, before]
  }
  return prev[b.length]!
}
