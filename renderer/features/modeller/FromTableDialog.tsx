import { useId, useState, type FormEvent } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { FromTableResult } from '../../../shared/contract/channels/model-live'
import { call } from '../../bridge/bridge'
import { ErrorNote } from '../../components/ErrorNote'
import { toUiError, type UiError } from '../../store/connections.slice'
import { useAppStore } from '../../store/store'
import './model-live.css'

/** Which entities keep to an index: all of their sampled items, some (a sparse index), or none. */
function membership(indexes: Record<string, number>, count: number): string {
  const parts = Object.entries(indexes).map(([index, n]) =>
    n === count ? `in ${index}` : n === 0 ? `not in ${index}` : `${n} of ${count} in ${index} (sparse)`,
  )
  return parts.join('; ') || '—'
}

/**
 * New model from a live table: pick a table of the active connection and a sample size; the model inferred from
 * DescribeTable and the sample (the same services function as `tablewright model from-table`) opens as an unsaved
 * draft in the editor, and this panel keeps the summary: entities with their key prefixes and counts, attribute
 * types, and which index each entity's items are in. It only reads, so a read-only AWS connection works too.
 */
export function FromTableDialog(props: { onClose(): void }) {
  const { connectionId, tables, connection, progress } = useAppStore(
    useShallow((st) => ({
      connectionId: st.activeConnectionId,
      tables: st.tables,
      connection: st.connections.find((c) => c.id === st.activeConnectionId),
      progress: st.progress,
    })),
  )
  const [table, setTable] = useState('')
  const [sample, setSample] = useState(500)
  const [busy, setBusy] = useState<string>()
  const [result, setResult] = useState<FromTableResult>()
  const [error, setError] = useState<UiError>()
  const tableId = useId()
  const sampleId = useId()
  const running = busy ? progress[busy] : undefined

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!connectionId || !table) return
    const operationId = `from-table-${Date.now()}`
    setBusy(operationId)
    setError(undefined)
    setResult(undefined)
    try {
      const r = await call('models:fromTable', {
        connectionId,
        tableName: table,
        sampleSize: sample,
        operationId,
      })
      setResult(r)
      useAppStore.getState().openDraft(r.text, {
        newModel: true,
        origin: 'from-table',
        notice: `New model from table ${r.table} (${r.sampled} item(s) sampled${r.truncated ? ', the table holds more' : ''}): an unsaved draft until Save As.`,
      })
    } catch (err) {
      setError(toUiError(err))
    } finally {
      setBusy(undefined)
    }
  }

  return (
    <section aria-label="New model from a live table" className="model-live-panel">
      <form className="toolbar" onSubmit={(e) => void submit(e)} aria-label="Reverse-engineer">
        <h3 className="grow">New model from a live table{connection ? ` of ${connection.name}` : ''}</h3>
        <label htmlFor={tableId}>Table</label>
        <select id={tableId} value={table} onChange={(e) => setTable(e.target.value)}>
          <option value="">choose…</option>
          {tables.map((t) => (
            <option key={t.name} value={t.name}>
              {t.name}
            </option>
          ))}
        </select>
        <label htmlFor={sampleId}>Sample size</label>
        <input
          id={sampleId}
          type="number"
          min={1}
          max={100000}
          className="narrow"
          value={sample}
          onChange={(e) => setSample(Math.max(1, Math.min(100_000, Number(e.target.value) || 1)))}
        />
        <button type="submit" disabled={!table || !connectionId || Boolean(busy)}>
          Reverse-engineer
        </button>
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </form>
      {!tables.length ? <p className="muted small">This connection has no tables yet.</p> : null}
      {busy ? (
        <p role="status" className="muted small">
          {running
            ? `${running.label}: ${running.done}${running.total ? ` of ${running.total}` : ''}`
            : 'Reading the table…'}
        </p>
      ) : null}
      {error ? <ErrorNote error={error} /> : null}
      {result ? (
        <div aria-label="Inferred model summary">
          <p className="muted small">
            {result.table}: {result.sampled} item(s) sampled
            {result.truncated ? ' (the table holds more)' : ''}; {result.entities.length} entit
            {result.entities.length === 1 ? 'y' : 'ies'} found. The model is open in the editor below as an
            unsaved draft.
          </p>
          <table className="grid" aria-label="Inferred entities">
            <thead>
              <tr>
                <th scope="col">Entity</th>
                <th scope="col">Items</th>
                <th scope="col">Key templates</th>
                <th scope="col">Attributes</th>
                <th scope="col">Indexes</th>
              </tr>
            </thead>
            <tbody>
              {result.entities.map((e) => (
                <tr key={e.name}>
                  <td>{e.name}</td>
                  <td>{e.count}</td>
                  <td>
                    {Object.entries(e.keys).map(([k, v]) => (
                      <code key={k} className="block">
                        {k} = {v}
                      </code>
                    ))}
                  </td>
                  <td className="small">
                    {e.attributes
                      .map(
                        (a) =>
                          `${a.name}: ${a.type}${a.present < e.count ? ` (${a.present}/${e.count})` : ''}`,
                      )
                      .join(', ') || '—'}
                  </td>
                  <td className="small">{membership(e.indexes, e.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  )
}
