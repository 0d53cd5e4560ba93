import { useShallow } from 'zustand/react/shallow'
import { useAppStore } from '../../store/store'

/** The active connection's tables with their item counts; picking one opens it in the visualizer. */
export function TablesNav() {
  const s = useAppStore(
    useShallow((st) => ({
      tables: st.tables,
      selected: st.selectedTable,
      state: st.tablesState,
      selectTable: st.selectTable,
      setTab: st.setTab,
      tab: st.tab,
      error: st.tablesError,
    })),
  )
  return (
    <nav aria-label="Tables of this connection" className="panel">
      <h2 className="panel-title">Tables</h2>
      {s.state === 'loading' && s.tables.length === 0 ? (
        <p role="status" className="muted small pad">
          Loading tables…
        </p>
      ) : null}
      {s.state === 'error' ? (
        <p role="status" className="bad small pad">
          Could not list tables{s.error ? ` (${s.error.code})` : ''}.
        </p>
      ) : null}
      {s.state === 'ready' && s.tables.length === 0 ? (
        <p className="muted small pad">No tables yet.</p>
      ) : null}
      <ul className="list">
        {s.tables.map((t) => (
          <li key={t.name}>
            <button
              type="button"
              className={t.name === s.selected ? 'list-item active' : 'list-item'}
              aria-current={t.name === s.selected ? 'true' : undefined}
              onClick={() => {
                if (s.tab === 'overview') s.setTab('visualizer')
                void s.selectTable(t.name)
              }}
            >
              <span className="grow ellipsis">{t.name}</span>
              <span className="muted small num" aria-label={`${t.itemCount} items`}>
                {t.itemCount.toLocaleString()}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  )
}
