import { useAppStore } from '../store/store'

/** The progress of running operations (schema load, seed), from the host's progress events. */
export function OperationProgressList() {
  const progress = useAppStore((s) => s.progress)
  const ops = Object.entries(progress).filter(([, p]) => !p.finished)
  if (ops.length === 0) return null
  return (
    <div className="progress-list">
      {ops.map(([id, p]) => (
        <ProgressBar key={id} label={p.label} done={p.done} total={p.total} />
      ))}
    </div>
  )
}

export function ProgressBar({ label, done, total }: { label: string; done: number; total?: number }) {
  return (
    <div className="progress-row">
      <span className="small muted">
        {label} — {done.toLocaleString()}
        {total ? ` of ${total.toLocaleString()}` : ''}
      </span>
      <progress
        aria-label={label}
        value={total ? Math.min(done, total) : undefined}
        max={total || undefined}
      />
    </div>
  )
}
