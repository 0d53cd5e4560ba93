import type { StateCreator } from 'zustand'
import type { ModelSourceView } from '../../shared/contract/channels/models'
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

/** The saved text a draft edits (compared for the unsaved mark, saved over), and the model revision it was read at. */
export interface DraftSource extends ModelSourceView {
  revision?: number
}

export interface DraftState {
  modelDraft: DraftHistory
  draftSource?: DraftSource
}

/**
 * The draft when another view hands the editor a model text: one undoable edit over the draft of the same source,
 * else a fresh history from `base`. A new model keeps the model id but has no file and an empty saved text, so it
 * stays unsaved until Save As.
 */
export function openedDraft(
  current: DraftState,
  text: string,
  base: DraftSource,
  opts: { newModel?: boolean; origin: string },
  now: number,
): Required<DraftState> {
  const sameSource = current.draftSource?.modelId === base.modelId && current.draftSource.sha === base.sha
  const history = sameSource ? current.modelDraft : emptyDraft(base.text)
  return {
    modelDraft: editDraft(history, text, opts.origin, now),
    draftSource: opts.newModel ? { ...base, file: undefined, text: '', saveInPlace: false } : base,
  }
}

/**
 * What the Model tab does with the draft in the store when it shows the open model (on mount, and when the file is
 * reloaded): keep a draft of this model at this revision, edited or not, so leaving the tab loses nothing; read the
 * source for another model, or for a newer revision when there is nothing unsaved to lose; otherwise keep the edits
 * and say the file changed on disk.
 */
export function draftOnShow(
  st: DraftState,
  open: { modelId: string; revision: number },
): 'keep' | 'load' | 'changed-on-disk' {
  const src = st.draftSource
  if (!src || src.modelId !== open.modelId) return 'load'
  if (src.revision === open.revision) return 'keep'
  return st.modelDraft.text !== src.text ? 'changed-on-disk' : 'load'
}

export interface ModelDraftSlice extends DraftState {
  /** How the draft came to be or what became of it (a model from a table, a pattern added, a save), shown above it. */
  draftNotice: string
  /** A freshly read source: the draft is its text, with no history. */
  loadModelSource(source: DraftSource): void
  /**
   * Another view's model text (a model reverse-engineered from a table, a template, the open model with a pattern
   * added in the Query tab) becomes the draft, over `source` (by default the draft's own), with `notice` shown.
   */
  openDraft(
    text: string,
    opts: { source?: DraftSource; newModel?: boolean; notice: string; origin: string },
  ): void
  setDraftNotice(notice: string): void
  editModelDraft(text: string, origin: string): void
  undoModelDraft(): void
  redoModelDraft(): void
}

export const createModelDraftSlice: StateCreator<AppState, [], [], ModelDraftSlice> = (set, get) => ({
  modelDraft: emptyDraft(),
  draftNotice: '',
  // The notice stays: a save reads the saved file (perhaps a new model id, after Save As) and still says "Saved".
  loadModelSource: (source) => set({ modelDraft: emptyDraft(source.text), draftSource: source }),
  openDraft: (text, opts) => {
    const st = get()
    // Before the editor has read anything, a new model still belongs to the open model (for Save As).
    const base = opts.source ??
      st.draftSource ?? {
        modelId: st.modelId,
        text: '',
        sha: '',
        saveInPlace: false,
        revision: st.openModel?.revision,
      }
    set({ ...openedDraft(st, text, base, opts, Date.now()), draftNotice: opts.notice })
  },
  // Typing clears the notice on every keystroke: an unchanged notice is no update.
  setDraftNotice: (draftNotice) => set((st) => (st.draftNotice === draftNotice ? st : { draftNotice })),
  editModelDraft: (text, origin) =>
    set((st) => ({ modelDraft: editDraft(st.modelDraft, text, origin, Date.now()) })),
  undoModelDraft: () => set((st) => ({ modelDraft: undoDraft(st.modelDraft) })),
  redoModelDraft: () => set((st) => ({ modelDraft: redoDraft(st.modelDraft) })),
})
