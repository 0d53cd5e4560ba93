import { lazy, Suspense, useEffect, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { hostKind, subscribe } from '../bridge/bridge'
import { ConnectionsPanel } from '../features/connections/ConnectionsPanel'
import { WritesBanner } from '../features/connections/write-access'
import { Inspector } from '../features/inspector/Inspector'
import { ModelPanel } from '../features/models/ModelPanel'
import { HelpPopover } from '../features/shell/HelpPopover'
import { TablesNav } from '../features/shell/TablesNav'
import { TablesOverview } from '../features/tables/TablesOverview'
import { useAppStore } from '../store/store'
import { TABS, type Tab } from '../store/workbench.slice'
import { Splitter } from '../components/Splitter'
import { PANEL_LIMITS } from '../store/layout.slice'
import { ErrorBoundary } from './ErrorBoundary'

// The tabs a first screen does not show load on demand, keeping first paint small (the overview is the first tab).
const Visualizer = lazy(() =>
  import('../features/visualizer/Visualizer').then((m) => ({ default: m.Visualizer })),
)
const SchemaData = lazy(() =>
  import('../features/schema/SchemaData').then((m) => ({ default: m.SchemaData })),
)
const Patterns = lazy(() => import('../features/patterns/Patterns').then((m) => ({ default: m.Patterns })))
const Recipes = lazy(() => import('../features/recipes/Recipes').then((m) => ({ default: m.Recipes })))
const CheckView = lazy(() => import('../features/check/CheckView').then((m) => ({ default: m.CheckView })))
const OperationBuilder = lazy(() =>
  import('../features/operations/OperationBuilder').then((m) => ({ default: m.OperationBuilder })),
)
const ModelView = lazy(() => import('../features/modeller/ModelView').then((m) => ({ default: m.ModelView })))

const isTyping = (t: EventTarget | null) =>
  t instanceof HTMLElement &&
  (t.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName) ||
    Boolean(t.closest('.monaco-editor')))

export function App() {
  const { theme, tab, writesOn, inspecting, ...layout } = useAppStore(
    useShallow((s) => {
      const active = s.connections.find((c) => c.id === s.activeConnectionId)
      return {
        theme: s.theme,
        tab: s.tab,
        writesOn: active?.kind === 'aws' && !active.readOnly,
        inspecting: s.selectedItem !== undefined || s.inspected !== undefined || s.creatingItem,
        sidebarWidth: s.sidebarWidth,
        inspectorWidth: s.inspectorWidth,
        sidebarCollapsed: s.sidebarCollapsed,
        inspectorCollapsed: s.inspectorCollapsed,
      }
    }),
  )
  const { setPanelWidth, setPanelCollapsed } = useAppStore.getState()
  // The inspector takes room only while it has something to show; hidden panels stay mounted, so a draft in the
  // inspector survives hiding it.
  const showSidebar = !layout.sidebarCollapsed
  const showInspector = inspecting && !layout.inspectorCollapsed
  const columns = [
    showSidebar ? `${layout.sidebarWidth}px 5px` : '',
    'minmax(0, 1fr)',
    showInspector ? `5px ${layout.inspectorWidth}px` : '',
  ]
    .filter(Boolean)
    .join(' ')
  const [help, setHelp] = useState(false)
  useEffect(() => {
    document.documentElement.dataset.theme = theme
  }, [theme])

  useEffect(() => {
    const st = useAppStore.getState()
    // Listing tables waits for the active connection to finish starting; its status event may have fired before
    // the event stream was open, so the list is read again once the tables are in.
    void st
      .loadConnections()
      .then(st.loadTables)
      .then(() => useAppStore.getState().loadConnections())
    void st.loadCurrentModel()
    void st.loadRecentModels()
    const offTables = subscribe('tables:changed', ({ connectionId }) => {
      if (connectionId === useAppStore.getState().activeConnectionId) void useAppStore.getState().loadTables()
    })
    // Another window opening a model leaves this one on its own; a save of the model shown here reloads it.
    const offModel = subscribe('model:changed', (view) => {
      if (view.modelId === useAppStore.getState().modelId) void useAppStore.getState().modelChanged(view)
    })
    const offConnections = subscribe(
      'connections:changed',
      () => void useAppStore.getState().loadConnections(),
    )
    const offProgress = subscribe('progress', (p) =>
      useAppStore
        .getState()
        .trackProgress(p.operationId, { label: p.label, done: p.done, total: p.total, finished: p.finished }),
    )
    return () => {
      offTables()
      offModel()
      offConnections()
      offProgress()
    }
  }, [])

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const st = useAppStore.getState()
      if (e.altKey && /^[1-9]$/.test(e.key) && Number(e.key) <= TABS.length) {
        e.preventDefault()
        st.setTab(TABS[Number(e.key) - 1]!.id)
        return
      }
      // Ctrl+Enter on the patterns tab runs the selected pattern (inside its form, the form handles it).
      if (
        (e.ctrlKey || e.metaKey) &&
        e.key === 'Enter' &&
        st.tab === 'patterns' &&
        !(e.target instanceof HTMLElement && e.target.closest('form'))
      ) {
        const id = st.selectedPatternId ?? st.model?.accessPatterns[0]?.id
        if (id) {
          e.preventDefault()
          void st.runPattern(id)
        }
        return
      }
      if (isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey) return
      if (e.key === '?') {
        e.preventDefault()
        setHelp(true)
      } else if (e.key === 'r' || e.key === 'R') {
        e.preventDefault()
        if (st.selectedTable && st.tab !== 'overview') void st.loadItems()
        else void st.loadTables()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  const setTab = (t: Tab) => useAppStore.getState().setTab(t)
  return (
    <div className={writesOn ? 'app has-banner' : 'app'} style={{ gridTemplateColumns: columns }}>
      <header className="topbar">
        <button
          type="button"
          className="subtle"
          aria-controls="sidebar"
          aria-expanded={showSidebar}
          title={showSidebar ? 'Hide the sidebar' : 'Show the sidebar'}
          onClick={() => setPanelCollapsed('sidebar', showSidebar)}
        >
          Sidebar
        </button>
        <span className="brand">Tablewright</span>
        <span className="muted small">{hostKind === 'browser' ? 'browser host' : 'desktop'}</span>
        <span className="grow" />
        <button
          type="button"
          className="subtle"
          aria-controls="inspector"
          aria-expanded={showInspector}
          disabled={!inspecting}
          title={
            inspecting
              ? showInspector
                ? 'Hide the inspector'
                : 'Show the inspector'
              : 'The inspector opens when you select an item'
          }
          onClick={() => setPanelCollapsed('inspector', showInspector)}
        >
          Inspector
        </button>
        <button
          type="button"
          aria-label="Keyboard shortcuts"
          title="Keyboard shortcuts (?)"
          onClick={() => setHelp(true)}
        >
          ?
        </button>
        <button
          type="button"
          aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
          onClick={() => useAppStore.getState().setTheme(theme === 'dark' ? 'light' : 'dark')}
        >
          {theme === 'dark' ? 'Light' : 'Dark'} theme
        </button>
      </header>
      <WritesBanner />
      <aside id="sidebar" aria-label="Sidebar" className="sidebar" hidden={!showSidebar}>
        <ModelPanel />
        <ConnectionsPanel />
        <TablesNav />
      </aside>
      {showSidebar ? (
        <Splitter
          label="Resize the sidebar"
          side="left"
          controls="sidebar"
          width={layout.sidebarWidth}
          min={PANEL_LIMITS.sidebar.min}
          max={PANEL_LIMITS.sidebar.max}
          onResize={(px) => setPanelWidth('sidebar', px)}
          onCollapse={() => setPanelCollapsed('sidebar', true)}
        />
      ) : null}
      <main className="main">
        <div
          role="tablist"
          aria-label="Views"
          className="tabs"
          onKeyDown={(e) => {
            // The ARIA tabs pattern: arrows (and Home/End) move between tabs and open the one reached.
            const i = TABS.findIndex((t) => t.id === tab)
            const to =
              e.key === 'ArrowRight'
                ? (i + 1) % TABS.length
                : e.key === 'ArrowLeft'
                  ? (i - 1 + TABS.length) % TABS.length
                  : e.key === 'Home'
                    ? 0
                    : e.key === 'End'
                      ? TABS.length - 1
                      : -1
            if (to < 0) return
            e.preventDefault()
            setTab(TABS[to]!.id)
            document.getElementById(`tab-${TABS[to]!.id}`)?.focus()
          }}
        >
          {TABS.map((t, i) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              id={`tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls={`panel-${t.id}`}
              title={`Alt+${i + 1}`}
              onClick={() => setTab(t.id)}
            >
              {t.label}
            </button>
          ))}
        </div>
        <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tabpanel">
          <ErrorBoundary>
            <Suspense fallback={<p className="muted">Loading…</p>}>
              {tab === 'overview' ? <TablesOverview /> : null}
              {tab === 'visualizer' ? <Visualizer /> : null}
              {tab === 'schema' ? <SchemaData /> : null}
              {tab === 'patterns' ? <Patterns /> : null}
              {tab === 'writes' ? <Recipes /> : null}
              {tab === 'query' ? <OperationBuilder /> : null}
              {tab === 'model' ? <ModelView /> : null}
              {tab === 'check' ? <CheckView /> : null}
            </Suspense>
          </ErrorBoundary>
        </div>
      </main>
      {showInspector ? (
        <Splitter
          label="Resize the inspector"
          side="right"
          controls="inspector"
          width={layout.inspectorWidth}
          min={PANEL_LIMITS.inspector.min}
          max={PANEL_LIMITS.inspector.max}
          onResize={(px) => setPanelWidth('inspector', px)}
          onCollapse={() => setPanelCollapsed('inspector', true)}
        />
      ) : null}
      <div id="inspector" className="inspector-column" hidden={!showInspector}>
        <ErrorBoundary>
          <Inspector />
        </ErrorBoundary>
      </div>
      {help ? <HelpPopover onClose={() => setHelp(false)} /> : null}
    </div>
  )
}
