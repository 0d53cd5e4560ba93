import { useEffect, useState } from 'react'
import { hostKind, subscribe } from '../bridge/bridge'
import { ConnectionsPanel } from '../features/connections/ConnectionsPanel'
import { TablesOverview } from '../features/tables/TablesOverview'
import { useAppStore } from '../store/store'
import { ErrorBoundary } from './ErrorBoundary'

type Theme = 'light' | 'dark'

export function App() {
  const [theme, setTheme] = useState<Theme>(() =>
    window.matchMedia?.('(prefers-color-scheme: light)').matches ? 'light' : 'dark',
  )
  useEffect(() => {
    document.documentElement.dataset.theme = theme
  }, [theme])

  useEffect(() => {
    const { loadConnections, loadTables } = useAppStore.getState()
    void loadConnections().then(loadTables)
    const offTables = subscribe('tables:changed', ({ connectionId }) => {
      if (connectionId === useAppStore.getState().activeConnectionId) void useAppStore.getState().loadTables()
    })
    const offConnections = subscribe('connections:changed', () => void useAppStore.getState().loadConnections())
    return () => {
      offTables()
      offConnections()
    }
  }, [])

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Tablewright</span>
        <span className="muted small">{hostKind === 'browser' ? 'browser host' : 'desktop'}</span>
        <span className="grow" />
        <button
          type="button"
          aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
          onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
        >
          {theme === 'dark' ? 'Light' : 'Dark'} theme
        </button>
      </header>
      <aside className="sidebar">
        <ConnectionsPanel />
      </aside>
      <main className="main">
        <ErrorBoundary>
          <TablesOverview />
        </ErrorBoundary>
      </main>
    </div>
  )
}
