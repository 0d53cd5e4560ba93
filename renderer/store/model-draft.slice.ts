import type { StateCreator } from 'zustand'
import type { AppState } from './store'

/**
 * The open model's draft: one text that the JSON editor and the forms both edit, with one undo history, so
 * switching views never loses an edit and Undo takes back the last change whichever view made it.
 */
export interface DraftHistory {
  text: string
  past: string[]
  future: string[]
  /** Who made the last edit (`json`, or a form field's path) and when: a burst of typing is one undo step. */
  lastOrigin?: string
  lastAt: number
}

const HISTORY_LIMIT = 200
/** Edits from the same origin closer together than this are one undo step. */
export const COALESCE_MS = 800

export const emptyDraft = (text = ''): DraftHistory => ({ text, past: [], future: [], lastAt: 0 })

/** The history after an edit; an unchanged text is no edit. */
export function editDraft(h: DraftHistory, text: string, origin: string, now: number): DraftHistory {
  if (text === h.text) return h
  const coalesce = origin === h.lastOrigin && now - h.lastAt < COALESCE_MS && h.past.length > 0
  return {
    text,
    past: coalesce ? h.past : [...h.past, h.text].slice(-HISTORY_LIMIT),
    future: [],
    lastOrigin: origin,
    lastAt: now,
  }
}

export function undoDraft(h: DraftHistory): DraftHistory {
  const prev = h.past.at(-1)
  if (prev === undefined) return h
  return { text: prev, past: h.past.slice(0, -1), future: [h.text, ...h.future], lastAt: 0 }
}

export function redoDraft(h: DraftHistory): DraftHistory {
  const next = h.future[0]
  if (next === undefined) return h
  return { text: next, past: [...h.past, h.text], future: h.future.slice(1), lastAt: 0 }
}

export interface ModelDraftSlice {
  modelDraft: DraftHistory
  /** A freshly loaded text: no history. */
  resetModelDraft(text: string): void
  editModelDraft(text: string, origin: string): void
  undoModelDraft(): void
  redoModelDraft(): void
}

export const createModelDraftSlice: StateCreator<AppState, [], [], ModelDraftSlice> = (set) => ({
  modelDraft: emptyDraft(),
  resetModelDraft: (text) => set({ modelDraft: emptyDraft(text) }),
  editModelDraft: (text, origin) =>
    set((st) => ({ modelDraft: editDraft(st.modelDraft, text, origin, Date.now()) })),
  undoModelDraft: () => set((st) => ({ modelDraft: undoDraft(st.modelDraft) })),
  redoModelDraft: () => set((st) => ({ modelDraft: redoDraft(st.modelDraft) })),
})
