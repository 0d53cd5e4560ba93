import { useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { ConnectionView } from '../../../shared/contract/channels/connections'
import { useAppStore } from '../../store/store'
import { ConnectionForm } from './ConnectionForm'
import { EngineStoragePanel } from './EngineStoragePanel'
import { KIND_LABEL } from './kinds'

export function ConnectionsPanel() {
  const { connections, activeConnectionId, connect } = useAppStore(
    useShallow((s) => ({
      connections: s.connections,
      activeConnectionId: s.activeConnectionId,
      connect: s.connect,
    })),
  )
  // 'new' for the add form, a connection for the edit form.
  const [form, setForm] = useState<'new' | ConnectionView>()
  return (
    <nav aria-label="Connections" className="panel">
      <h2 className="panel-title">Connections</h2>
      <ul className="list">
        {connections.map((c) => (
          <li key={c.id} className="connection-row">
            <button
              type="button"
              className={c.id === activeConnectionId ? 'list-item active' : 'list-item'}
              aria-current={c.id === activeConnectionId ? 'true' : undefined}
              title={c.statusMessage ?? c.endpoint ?? c.region}
              onClick={() => void connect(c.id)}
            >
              <span className="swatch" style={{ background: c.color ?? '#64748b' }} aria-hidden />
              <span className="grow">
                {c.name}
                <span className="muted small"> {KIND_LABEL[c.kind]}</span>
                {c.endpoint ? (
                  <span className="muted small block ellipsis">{c.endpoint.replace(/^https?:\/\//, '')}</span>
                ) : null}
              </span>
              {c.readOnly ? <span className="badge">read-only</span> : null}
              {c.kind === 'aws' && !c.readOnly ? <span className="badge bad">writes on</span> : null}
              {c.warning ? (
                <span className="badge bad" title={c.warning}>
                  exposed
                </span>
              ) : null}
              <span className={`status status-${c.status}`} aria-label={`status ${c.status}`} />
            </button>
            {c.builtIn ? null : (
              <button
                type="button"
                className="subtle small"
                aria-label={`Edit connection ${c.name}`}
                onClick={() => setForm(c)}
              >
                Edit
              </button>
            )}
          </li>
        ))}
      </ul>
      <button type="button" className="subtle" onClick={() => setForm('new')}>
        Add connection…
      </button>
      {form ? (
        <ConnectionForm
          {...(form === 'new' ? {} : { editing: form })}
          key={form === 'new' ? 'new' : form.id}
          onClose={() => setForm(undefined)}
        />
      ) : null}
      <EngineStoragePanel />
    </nav>
  )
}
