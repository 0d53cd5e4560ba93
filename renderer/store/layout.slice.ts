import type { StateCreator } from 'zustand'
import type { AppState } from './store'

export type Panel = 'sidebar' | 'inspector'
/** How the Model tab edits the model: the same draft, as forms or as JSON text. */
export type ModelEditor = 'forms' | 'json'

/** Limits of the side panels (px); the main column keeps the rest. */
export const PANEL_LIMITS: Record<Panel, { min: number; max: number; initial: number }> = {
  sidebar: { min: 160, max: 480, initial: 240 },
  inspector: { min: 280, max: 900, initial: 420 },
}

interface StoredLayout {
  sidebarWidth: number
  inspectorWidth: number
  sidebarCollapsed: boolean
  inspectorCollapsed: boolean
  modelEditor: ModelEditor
}

const STORAGE_KEY = 'tablewright.layout'

export interface LayoutSlice extends StoredLayout {
  setPanelWidth(panel: Panel, px: number): void
  setPanelCollapsed(panel: Panel, collapsed: boolean): void
  setModelEditor(editor: ModelEditor): void
}

export const clampWidth = (panel: Panel, px: number) =>
  Math.round(Math.min(PANEL_LIMITS[panel].max, Math.max(PANEL_LIMITS[panel].min, px)))

/** Sizes and choices come back from localStorage on the next start; anything unreadable falls back to the defaults. */
function readStored(): StoredLayout {
  const fallback: StoredLayout = {
    sidebarWidth: PANEL_LIMITS.sidebar.initial,
    inspectorWidth: PANEL_LIMITS.inspector.initial,
    sidebarCollapsed: false,
    inspectorCollapsed: false,
    modelEditor: 'json',
  }
  try {
    const raw = JSON.parse(globalThis.localStorage?.getItem(STORAGE_KEY) ?? 'null') as Partial<StoredLayout>
    if (!raw || typeof raw !== 'object') return fallback
    return {
      sidebarWidth:
        typeof raw.sidebarWidth === 'number'
          ? clampWidth('sidebar', raw.sidebarWidth)
          : fallback.sidebarWidth,
      inspectorWidth:
        typeof raw.inspectorWidth === 'number'
          ? clampWidth('inspector', raw.inspectorWidth)
          : fallback.inspectorWidth,
      sidebarCollapsed: raw.sidebarCollapsed === true,
      inspectorCollapsed: raw.inspectorCollapsed === true,
      modelEditor: raw.modelEditor === 'forms' ? 'forms' : 'json',
    }
  } catch {
    return fallback
  }
}

export const createLayoutSlice: StateCreator<AppState, [], [], LayoutSlice> = (set, get) => {
  const persist = () => {
    const { sidebarWidth, inspectorWidth, sidebarCollapsed, inspectorCollapsed, modelEditor } = get()
    const stored: StoredLayout = {
      sidebarWidth,
      inspectorWidth,
      sidebarCollapsed,
      inspectorCollapsed,
      modelEditor,
    }
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(stored))
    } catch {
      // Storage full or blocked: the layout still works, it is just not remembered.
    }
  }
  return {
    ...readStored(),
    setPanelWidth(panel, px) {
      set(
        panel === 'sidebar'
          ? { sidebarWidth: clampWidth(panel, px) }
          : { inspectorWidth: clampWidth(panel, px) },
      )
      persist()
    },
    setPanelCollapsed(panel, collapsed) {
      set(panel === 'sidebar' ? { sidebarCollapsed: collapsed } : { inspectorCollapsed: collapsed })
      persist()
    },
    setModelEditor(modelEditor) {
      set({ modelEditor })
      persist()
    },
  }
}
