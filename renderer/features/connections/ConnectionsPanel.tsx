import { useShallow } from 'zustand/react/shallow'
import { useAppStore } from '../../store/store'
import { EngineStoragePanel } from './EngineStoragePanel'

const KIND_LABEL = { embedded: 'Embedded', 'dynamodb-local': 'DynamoDB Local', aws: 'AWS' } as const

export function ConnectionsPanel() {
  const { connections, activeConnectionId, connect } = useAppStore(
    useShallow((s) => ({
      connections: s.connections,
      activeConnectionId: s.activeConnectionId,
      connect: s.connect,
    })),
  )
  return (
    <nav aria-label="Connections" className="panel">
      <h2 className="panel-title">Connections</h2>
      <ul className="list">
        {connections.map((c) => (
          <li key={c.id}>
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
          </li>
        ))}
      </ul>
      <EngineStoragePanel />
    </nav>
  )
}
