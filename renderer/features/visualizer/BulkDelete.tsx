import { useEffect, useState } from 'react'
import type { DeletePlanView } from '../../../shared/contract/channels/data'
import type { ItemJson } from '../../../shared/contract/channels/workbench'
import { call } from '../../bridge/bridge'
import { ErrorNote } from '../../components/ErrorNote'
import { ProgressBar } from '../../components/ProgressBar'
import { useModalDialog } from '../../components/useModalDialog'
import { toUiError, type UiError } from '../../store/connections.slice'
import { useAppStore } from '../../store/store'
import { newOperationId } from '../../store/workbench.slice'
import { cellText } from './cell-text'

/** A key as people read it: `pk = USER#1 · sk = PROFILE`. */
export const keyLabel = (key: ItemJson, names: readonly string[]) =>
  names.map((n) => `${n} = ${cellText(key, n)}`).join(' · ')

/**
 * Bulk delete, dry run first: the host resolves the picked rows (index rows included) to their table keys and says
 * exactly which keys would go and which are already gone; only Confirm sends the deletes (BatchWriteItem, 25 a
 * call), with progress.
 */
export function BulkDeleteDialog(props: {
  connectionId: string
  tableName: string
  items: ItemJson[]
  onClose(result?: { deleted: number }): void
}) {
  // A delete clears the selection, and with it the Delete selected… button that opened this: the grid the rows
  // were picked in takes the focus instead.
  const dialog = useModalDialog(true, () => document.querySelector('[role="grid"]'))
  const [plan, setPlan] = useState<DeletePlanView | undefined>()
  const [error, setError] = useState<UiError | undefined>()
  const [running, setRunning] = useState<string | undefined>()
  const progress = useAppStore((s) => (running ? s.progress[running] : undefined))
  useEffect(() => {
    let live = true
    call('items:deleteMany', {
      connectionId: props.connectionId,
      tableName: props.tableName,
      items: props.items,
      dryRun: true,
    }).then(
      (r) => live && setPlan(r.plan),
      (err: unknown) => live && setError(toUiError(err)),
    )
    return () => {
      live = false
    }
  }, [props.connectionId, props.tableName, props.items])

  const confirm = async () => {
    const operationId = newOperationId('delete')
    setRunning(operationId)
    setError(undefined)
    try {
      const r = await call('items:deleteMany', {
        connectionId: props.connectionId,
        tableName: props.tableName,
        items: props.items,
        dryRun: false,
        operationId,
      })
      props.onClose({ deleted: r.deleted })
    } catch (err) {
      setError(toUiError(err))
      setRunning(undefined)
    }
  }

  const missing = new Set(plan?.missing.map((k) => JSON.stringify(k)))
  const present = plan ? plan.keys.length - plan.missing.length : 0
  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-label="Delete selected items"
      onCancel={(e) => {
        e.preventDefault()
        if (!running) props.onClose()
      }}
    >
      <h2>Delete selected items</h2>
      {!plan && !error ? (
        <p role="status" className="muted">
          Dry run: resolving the selection to table keys…
        </p>
      ) : null}
      {plan ? (
        <>
          <p role="status" aria-label="Dry run">
            Dry run: {present.toLocaleString()} item{present === 1 ? '' : 's'} would be deleted from{' '}
            <strong>{plan.tableName}</strong>
            {plan.missing.length ? ` (${plan.missing.length} selected key(s) hold no item any more)` : ''}.
          </p>
          <ol className="key-list" aria-label="Keys to delete">
            {plan.keys.map((k) => {
              const gone = missing.has(JSON.stringify(k))
              return (
                <li key={JSON.stringify(k)}>
                  {keyLabel(k, plan.keyAttributes)}
                  {gone ? <span className="muted"> (already gone)</span> : null}
                </li>
              )
            })}
          </ol>
        </>
      ) : null}
      {progress ? <ProgressBar label="Deleting items" done={progress.done} total={progress.total} /> : null}
      {error ? <ErrorNote error={error} /> : null}
      <div className="dialog-actions">
        <button type="button" disabled={Boolean(running)} onClick={() => props.onClose()}>
          Cancel
        </button>
        <button
          type="button"
          className="danger"
          disabled={!plan || present === 0 || Boolean(running)}
          onClick={() => void confirm()}
        >
          {running ? 'Deleting…' : `Delete ${present.toLocaleString()} item${present === 1 ? '' : 's'}`}
        </button>
      </div>
    </dialog>
  )
}
