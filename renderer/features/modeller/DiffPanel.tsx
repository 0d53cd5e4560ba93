import { useId, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { ModelDiffView } from '../../../shared/contract/channels/model-live'
import { call } from '../../bridge/bridge'
import { ErrorNote } from '../../components/ErrorNote'
import { useModalDialog } from '../../components/useModalDialog'
import { toUiError, type UiError } from '../../store/connections.slice'
import { useAppStore } from '../../store/store'
import './model-live.css'

const stepLabel = (s: { table: string; summary: string }) => `${s.table}: ${s.summary}`

const STATUS_TEXT = {
  missing: 'not on this connection: it would be created',
  same: 'matches the model',
  differs: 'differs from the model',
} as const

/**
 * Compare with connection: what schema-load would create or change on the active connection for the model in the
 * editor (its draft, saved or not), through the same services function as `tablewright model diff`. Apply sends
 * the steps after a confirmation that names each one, with progress while tables and GSIs become ACTIVE; it is
 * refused on a read-only connection (here, and by the service).
 */
export function DiffPanel(props: { text: string; valid: boolean }) {
  const { connectionId, connection, progress } = useAppStore(
    useShallow((st) => ({
      connectionId: st.activeConnectionId,
      connection: st.connections.find((c) => c.id === st.activeConnectionId),
      progress: st.progress,
    })),
  )
  const [plan, setPlan] = useState<ModelDiffView>()
  const [comparedText, setComparedText] = useState<string>()
  const [error, setError] = useState<UiError>()
  const [busy, setBusy] = useState(false)
  const [applying, setApplying] = useState<string>()
  const [applied, setApplied] = useState<string[]>()
  const [confirming, setConfirming] = useState(false)
  const dialog = useModalDialog(confirming && plan !== undefined)
  const blockedId = useId()

  const compare = async () => {
    if (!connectionId) return
    setBusy(true)
    setError(undefined)
    try {
      setPlan(await call('models:diff', { connectionId, text: props.text }))
      setComparedText(props.text)
    } catch (err) {
      setPlan(undefined)
      setError(toUiError(err))
    } finally {
      setBusy(false)
    }
  }

  const apply = async () => {
    if (!connectionId || !plan || comparedText === undefined) return
    setConfirming(false)
    const operationId = `apply-diff-${Date.now()}`
    setApplying(operationId)
    setApplied(undefined)
    setError(undefined)
    try {
      const r = await call('models:applyDiff', {
        connectionId,
        text: comparedText,
        confirmSteps: plan.steps.map(stepLabel),
        operationId,
      })
      setApplied(r.applied.map(stepLabel))
    } catch (err) {
      setError(toUiError(err))
    } finally {
      setApplying(undefined)
    }
    await compare()
  }

  const stale = plan !== undefined && comparedText !== props.text
  const readOnlyReason =
    plan?.readOnly || connection?.readOnly
      ? `${connection?.name ?? 'This connection'} is read-only: the diff can be shown but not applied. Allow writes on the connection first.`
      : undefined
  const applyBlocked =
    readOnlyReason ??
    (stale
      ? 'The model changed since this comparison: compare again.'
      : !plan?.steps.length
        ? 'Nothing to apply.'
        : undefined)
  const running = applying ? progress[applying] : undefined

  return (
    <section aria-label="Compare with connection" className="model-live-panel">
      <div className="toolbar">
        <h3 className="grow">Compare with connection{connection ? ` ${connection.name}` : ''}</h3>
        <button
          type="button"
          disabled={!connectionId || busy || Boolean(applying) || !props.valid}
          title={props.valid ? undefined : 'Fix the model problems first'}
          onClick={() => void compare()}
        >
          Compare
        </button>
        {plan ? (
          <>
            <button
              type="button"
              disabled={Boolean(applyBlocked) || Boolean(applying)}
              aria-describedby={applyBlocked ? blockedId : undefined}
              onClick={() => setConfirming(true)}
            >
              Apply…
            </button>
            {applyBlocked && (plan.steps.length || readOnlyReason) ? (
              <span id={blockedId} className="muted small" aria-label="Apply unavailable">
                {applyBlocked}
              </span>
            ) : null}
          </>
        ) : null}
      </div>
      {error ? <ErrorNote error={error} /> : null}
      {applying ? (
        <p role="status" className="muted small" aria-label="Apply progress">
          {running
            ? `${running.label} — step ${Math.min(running.done + 1, running.total ?? 1)} of ${running.total ?? '?'}`
            : 'Applying…'}
        </p>
      ) : null}
      {applied ? (
        <p role="status" className="muted small" aria-label="Applied steps">
          Applied {applied.length} step(s){applied.length ? `: ${applied.join('; ')}` : ''}.
        </p>
      ) : null}
      {plan ? (
        <div aria-label="Diff result">
          <ul className="list">
            {plan.tables.map((t) => (
              <li key={t.table}>
                <strong>{t.table}</strong>: {STATUS_TEXT[t.status]}
                {t.unsupported.length ? (
                  <ul aria-label={`Cannot change on ${t.table}`}>
                    {t.unsupported.map((u) => (
                      <li key={u.field}>
                        cannot change <code>{u.field}</code>: {u.reason}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ul>
          {plan.steps.length ? (
            <ol aria-label="Diff steps">
              {plan.steps.map((s, i) => (
                <li key={i}>
                  <span className={`badge ${s.kind === 'deleteIndex' ? 'bad' : 'neutral'}`}>{s.kind}</span>{' '}
                  {stepLabel(s)}
                </li>
              ))}
            </ol>
          ) : (
            <p className="muted small" aria-label="Diff empty">
              Nothing to change: the connection matches the model.
            </p>
          )}
        </div>
      ) : null}
      {confirming && plan ? (
        <dialog
          ref={dialog}
          className="dialog"
          aria-label="Apply the diff"
          onCancel={() => setConfirming(false)}
          onClose={() => setConfirming(false)}
        >
          <form
            method="dialog"
            onSubmit={(e) => {
              e.preventDefault()
              void apply()
            }}
          >
            <h2>
              Apply {plan.steps.length} step(s) to {connection?.name ?? 'this connection'}?
            </h2>
            <p>Each step is sent in this order and waited for until the table and its indexes are ACTIVE:</p>
            <ol aria-label="Steps to apply">
              {plan.steps.map((s, i) => (
                <li key={i}>
                  {stepLabel(s)}
                  {s.kind === 'deleteIndex' ? <strong> (the index and its items are deleted)</strong> : null}
                </li>
              ))}
            </ol>
            <div className="dialog-actions">
              <button type="button" onClick={() => setConfirming(false)}>
                Cancel
              </button>
              <button type="submit" className="danger">
                Apply {plan.steps.length} step(s)
              </button>
            </div>
          </form>
        </dialog>
      ) : null}
    </section>
  )
}
