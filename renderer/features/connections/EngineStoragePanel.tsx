import { useEffect, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { useAppStore } from '../../store/store'

const formatBytes = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`

/** Where the active embedded engine keeps its tables: the data folder and its size, reset, or an in-memory session. */
export function EngineStoragePanel() {
  const { storage, error, connections, activeConnectionId, load, setStorage } = useAppStore(
    useShallow((s) => ({
      storage: s.engineStorage,
      error: s.engineStorageError,
      connections: s.connections,
      activeConnectionId: s.activeConnectionId,
      load: s.loadEngineStorage,
      setStorage: s.setEngineStorage,
    })),
  )
  const [confirming, setConfirming] = useState(false)
  const active = connections.find((c) => c.id === activeConnectionId)
  const status = active?.status
  useEffect(() => {
    void load()
  }, [load, activeConnectionId, status])
  if (active?.kind !== 'embedded' || !storage) return null
  return (
    <section aria-label="Engine data" className="engine-storage small">
      {storage.mode === 'disk' ? (
        <>
          <p>
            Data folder:{' '}
            <code className="ellipsis block" title={storage.dataDir}>
              {storage.dataDir}
            </code>
            <span aria-label="data size">{formatBytes(storage.bytes ?? 0)}</span>
          </p>
          <div className="row-actions">
            <button type="button" onClick={() => setConfirming(true)}>
              Reset data…
            </button>
            <button type="button" onClick={() => void setStorage('memory')}>
              Start in-memory session
            </button>
          </div>
        </>
      ) : (
        <>
          <p>In-memory session: nothing is kept when the engine stops.</p>
          <button type="button" onClick={() => void setStorage('disk')}>
            Back to the data folder
          </button>
        </>
      )}
      {storage.warnings.map((w) => (
        <p key={w} role="status" className="muted">
          {w}
        </p>
      ))}
      {error ? <p role="alert">{error.message}</p> : null}
      {confirming ? (
        <ConfirmDialog
          title="Reset the engine's data?"
          body={`This deletes every table, item and stream record kept in ${storage.dataDir ?? 'the data folder'}. It cannot be undone.`}
          expected="reset"
          actionLabel="Reset data"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false)
            void setStorage('reset', true)
          }}
        />
      ) : null}
    </section>
  )
}
