import { useEffect, useId, useState } from 'react'
import type { ImportReport } from '../../../shared/contract/channels/data'
import { call } from '../../bridge/bridge'
import { ErrorNote } from '../../components/ErrorNote'
import { ProgressBar } from '../../components/ProgressBar'
import { useModalDialog } from '../../components/useModalDialog'
import { toUiError, type UiError } from '../../store/connections.slice'
import { useAppStore } from '../../store/store'
import { newOperationId } from '../../store/workbench.slice'

const FORMAT_LABEL = { jsonl: 'DynamoDB JSON lines', json: 'JSON', csv: 'CSV' } as const

/**
 * Import a data file into a table: the host reads the whole file first and reports it (format, item count, every
 * bad row by line); a file with a bad row imports nothing. Writing into a table that already holds items needs its
 * name typed back. The import runs with progress.
 */
export function ImportDialog(props: {
  connectionId: string
  tableName: string
  file: { name: string; text: string }
  onClose(result?: { written: number }): void
}) {
  const dialog = useModalDialog()
  const confirmId = useId()
  const [report, setReport] = useState<ImportReport | undefined>()
  const [error, setError] = useState<UiError | undefined>()
  const [typed, setTyped] = useState('')
  const [running, setRunning] = useState<string | undefined>()
  const progress = useAppStore((s) => (running ? s.progress[running] : undefined))
  useEffect(() => {
    let live = true
    call('data:importCheck', {
      connectionId: props.connectionId,
      tableName: props.tableName,
      fileName: props.file.name,
      text: props.file.text,
    }).then(
      (r) => live && setReport(r),
      (err: unknown) => live && setError(toUiError(err)),
    )
    return () => {
      live = false
    }
  }, [props.connectionId, props.tableName, props.file])

  const needsConfirm = report?.tableHasItems ?? false
  const canImport =
    report !== undefined &&
    report.errors.length === 0 &&
    report.items > 0 &&
    (!needsConfirm || typed === props.tableName) &&
    !running

  const start = async () => {
    if (!report) return
    const operationId = newOperationId('import')
    setRunning(operationId)
    setError(undefined)
    try {
      const r = await call('data:import', {
        connectionId: props.connectionId,
        tableName: props.tableName,
        fileName: props.file.name,
        text: props.file.text,
        format: report.format,
        confirm: needsConfirm ? typed : undefined,
        operationId,
      })
      props.onClose({ written: r.written })
    } catch (err) {
      setError(toUiError(err))
      setRunning(undefined)
    }
  }

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-label={`Import into ${props.tableName}`}
      onCancel={(e) => {
        e.preventDefault()
        if (!running) props.onClose()
      }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (canImport) void start()
        }}
      >
        <h2>Import into {props.tableName}</h2>
        {!report && !error ? (
          <p role="status" className="muted">
            Checking {props.file.name}…
          </p>
        ) : null}
        {report ? (
          <div aria-label="Validation report" role="region">
            <p>
              <strong>{props.file.name}</strong>: {FORMAT_LABEL[report.format]},{' '}
              {report.items.toLocaleString()} valid item{report.items === 1 ? '' : 's'}
              {report.errors.length ? `, ${report.errors.length} bad row(s)` : ''}.
            </p>
            {report.errors.length ? (
              <>
                <p role="alert" className="warn">
                  Nothing will be imported: fix these rows and pick the file again.
                </p>
                <ul className="key-list" aria-label="Bad rows">
                  {report.errors.map((e) => (
                    <li key={`${e.line}:${e.message}`}>
                      Line {e.line}: {e.message.replace(/^line \d+: /, '')}
                    </li>
                  ))}
                </ul>
              </>
            ) : report.items === 0 ? (
              <p className="muted">The file holds no items.</p>
            ) : needsConfirm ? (
              <>
                <p>
                  {props.tableName} already holds items: the import overwrites any item with the same key.
                </p>
                <label htmlFor={confirmId}>
                  Type <strong>{props.tableName}</strong> to confirm
                </label>
                <input id={confirmId} value={typed} onChange={(e) => setTyped(e.target.value)} />
              </>
            ) : (
              <p>{props.tableName} is empty.</p>
            )}
          </div>
        ) : null}
        {progress ? (
          <ProgressBar label="Importing items" done={progress.done} total={progress.total} />
        ) : null}
        {error ? <ErrorNote error={error} /> : null}
        <div className="dialog-actions">
          <button type="button" disabled={Boolean(running)} onClick={() => props.onClose()}>
            {report?.errors.length ? 'Close' : 'Cancel'}
          </button>
          <button type="submit" className="primary" disabled={!canImport}>
            {running ? 'Importing…' : `Import ${report?.items.toLocaleString() ?? ''} items`}
          </button>
        </div>
      </form>
    </dialog>
  )
}
