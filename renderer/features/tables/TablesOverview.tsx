import { useId, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { ErrorNote } from '../../components/ErrorNote'
import { useAppStore } from '../../store/store'
import { ReadOnlyReason } from '../connections/write-access'
import { SampleButton } from '../shell/EmptyStates'
import { CreateTableDialog } from './CreateTableDialog'
import { useDropTable } from './useDropTable'

const KIND_LABEL = {
  embedded: 'Embedded engine',
  'dynamodb-local': 'DynamoDB Local',
  aws: 'AWS',
  custom: 'Custom endpoint',
} as const

export function TablesOverview() {
  const s = useAppStore(
    useShallow((st) => ({
      connection: st.connections.find((c) => c.id === st.activeConnectionId),
      connectionsError: st.connectionsError,
      tables: st.tables,
      model: st.model,
      tablesState: st.tablesState,
      tablesError: st.tablesError,
      busy: st.busy,
      actionError: st.actionError,
      loadTables: st.loadTables,
    })),
  )
  const { requestDrop, dropDialog } = useDropTable()
  const readOnly = s.connection?.readOnly ?? false
  const reasonId = useId()
  const [creating, setCreating] = useState(false)

  return (
    <section aria-label="Connection overview" className="overview">
      <header className="overview-header">
        <div>
          <h1>{s.connection?.name ?? 'No connection'}</h1>
          {s.connection ? (
            <dl className="facts">
              <dt>Kind</dt>
              <dd>{KIND_LABEL[s.connection.kind]}</dd>
              <dt>Endpoint</dt>
              <dd>
                <code aria-label="endpoint">{s.connection.endpoint ?? '—'}</code>
              </dd>
              <dt>Status</dt>
              <dd aria-label="connection status">{s.connection.status}</dd>
            </dl>
          ) : null}
          {s.connection?.warning ? (
            <p role="alert" aria-label="Connection warning" className="connection-warning small">
              {s.connection.warning}
            </p>
          ) : null}
        </div>
        <div className="actions">
          <button type="button" onClick={() => void s.loadTables()} disabled={s.tablesState === 'loading'}>
            Refresh
          </button>
          <button
            type="button"
            className="primary"
            onClick={() => setCreating(true)}
            disabled={Boolean(s.busy) || s.tablesState !== 'ready' || readOnly}
            aria-describedby={readOnly ? reasonId : undefined}
          >
            Create table…
          </button>
        </div>
      </header>
      <ReadOnlyReason id={reasonId} what="creating and dropping tables" />

      {s.connectionsError && s.connectionsError !== s.tablesError ? (
        <ErrorNote error={s.connectionsError} />
      ) : null}
      {s.actionError ? <ErrorNote error={s.actionError} /> : null}
      {s.busy ? (
        <p role="status" className="muted">
          {s.busy}
        </p>
      ) : null}

      {s.tablesState === 'loading' && s.tables.length === 0 ? (
        <p role="status" className="muted">
          Connecting to {s.connection?.name ?? 'the connection'} and loading its tables… (starting DynamoDB
          Local can take a few seconds)
        </p>
      ) : null}
      {s.tablesState === 'error' && s.tablesError ? (
        <ErrorNote
          error={s.tablesError}
          hint={
            s.tablesError.code === 'connection.unavailable'
              ? 'Check that the endpoint is running (DynamoDB Local needs Java 17+), then press Refresh.'
              : undefined
          }
        />
      ) : null}
      {s.tablesState === 'ready' && s.tables.length === 0 ? (
        <div className="empty">
          <p>No tables yet — load the model's sample (its schema and sample items), or create a table.</p>
          <SampleButton />
        </div>
      ) : null}
      {s.tablesState === 'ready' &&
      s.tables.length > 0 &&
      s.model?.tables.some((m) => !s.tables.some((t) => t.name === m.name)) ? (
        <div className="empty">
          <p>The {s.model?.name} sample is not on this connection yet.</p>
          <SampleButton />
        </div>
      ) : null}
      {s.tables.length > 0 ? (
        <table className="grid" aria-label="Tables">
          <thead>
            <tr>
              <th scope="col">Table</th>
              <th scope="col">Keys</th>
              <th scope="col">Items</th>
              <th scope="col">Indexes</th>
              <th scope="col">Stream</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {s.tables.map((t) => (
              <tr key={t.name}>
                <th scope="row">{t.name}</th>
                <td>
                  {t.partitionKey ? `${t.partitionKey.name} (${t.partitionKey.type})` : ''}
                  {t.sortKey ? ` / ${t.sortKey.name} (${t.sortKey.type})` : ''}
                </td>
                <td className="num">{t.itemCount.toLocaleString()}</td>
                <td className="num">{t.indexCount}</td>
                <td>{t.streamEnabled ? 'on' : 'off'}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    aria-label={`Open ${t.name}`}
                    onClick={() => {
                      useAppStore.getState().setTab('visualizer')
                      void useAppStore.getState().selectTable(t.name)
                    }}
                  >
                    Open
                  </button>
                  <button
                    type="button"
                    className="danger subtle"
                    aria-label={`Drop ${t.name}`}
                    disabled={readOnly}
                    aria-describedby={readOnly ? reasonId : undefined}
                    onClick={() => requestDrop({ name: t.name, items: t.itemCount })}
                  >
                    Drop
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      {dropDialog}
      {creating ? <CreateTableDialog onClose={() => setCreating(false)} /> : null}
    </section>
  )
}
