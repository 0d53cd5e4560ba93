import { useShallow } from 'zustand/react/shallow'
import { checkNotes } from '../../../shared/domain/check-report'
import { useAppStore } from '../../store/store'

type Row = NonNullable<ReturnType<typeof useAppStore.getState>['checkReport']>['rows'][number]

/** A recipe's named cases are rows `<recipe>:<case>`: its badge shows the first failing one, else the first. */
function rowFor(rows: readonly Row[], kind: 'pattern' | 'recipe', id: string): Row | undefined {
  const own = rows.filter(
    (r) => r.kind === kind && (r.id === id || (kind === 'recipe' && r.id.startsWith(`${id}:`))),
  )
  return own.find((r) => !r.passed) ?? own[0]
}

/** The last check's result for one pattern or recipe, for a row of the access-pattern matrix. */
export function CheckBadge({ kind, id }: { kind: 'pattern' | 'recipe'; id: string }) {
  const row = useAppStore(
    useShallow((s) =>
      s.checkModelId === s.modelId ? rowFor(s.checkReport?.rows ?? [], kind, id) : undefined,
    ),
  )
  if (!row) return null
  if (row.skipped)
    return (
      <span className="badge neutral" title={checkNotes(row)}>
        n/a
      </span>
    )
  if (row.passed) return <span className="badge good">pass</span>
  return (
    <button
      type="button"
      className="badge bad"
      title={row.reasons.join('; ')}
      aria-label={`Check failed for ${id}: show the run`}
      onClick={() =>
        useAppStore
          .getState()
          .inspect({ title: `Failed check of ${id}`, value: { reasons: row.reasons, run: row.run } })
      }
    >
      fail
    </button>
  )
}

/** Whether the matrix should show a check column: a check of the open model has run. */
export const useHasCheck = () => useAppStore((s) => !!s.checkReport && s.checkModelId === s.modelId)
