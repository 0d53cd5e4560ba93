import { useEffect } from 'react'
import { create } from 'zustand'

/**
 * A model text handed to the Model tab's editor by another view: a model reverse-engineered from a live table (a
 * new, unsaved model) or the open model with an access pattern added from the Query tab. The editor takes it as
 * its draft, so it shows the unsaved mark and is saved through the same conflict-aware models:save.
 */
export interface PendingDraft {
  text: string
  /** A new model with no file yet (Save As); otherwise an edit of the open model `modelId`. */
  newModel: boolean
  modelId?: string
  status: string
}

interface HandoffState {
  pending?: PendingDraft
  offer(p: PendingDraft): void
  clear(): void
}

export const useDraftHandoff = create<HandoffState>((set) => ({
  offer: (pending) => set({ pending }),
  clear: () => set({ pending: undefined }),
}))

/** The editor's side: applies a pending draft once its own source has loaded (now, or when the tab opens). */
export function useTakeDraft(
  source: { modelId: string } | undefined,
  apply: (p: PendingDraft) => void,
): void {
  const pending = useDraftHandoff((s) => s.pending)
  const modelId = source?.modelId
  useEffect(() => {
    if (!pending || !modelId) return
    if (!pending.newModel && pending.modelId !== modelId) return
    useDraftHandoff.getState().clear()
    apply(pending)
    // eslint-disable-next-line react-hooks/exhaustive-deps -- apply is a fresh closure each render; the draft is what matters
  }, [pending, modelId])
}
