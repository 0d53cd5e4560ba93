import { describe, expect, test } from 'vitest'
import { create } from 'zustand'
import {
  COALESCE_MS,
  createModelDraftSlice,
  draftOnShow,
  editDraft,
  emptyDraft,
  openedDraft,
  redoDraft,
  undoDraft,
  type DraftSource,
} from './model-draft.slice'
import type { AppState } from './store'

describe('the model draft history', () => {
  test('a burst of typing from one origin is one step; another origin is its own step', () => {
    let h = emptyDraft('a')
    h = editDraft(h, 'ab', 'json', 1000)
    h = editDraft(h, 'abc', 'json', 1000 + COALESCE_MS - 1)
    h = editDraft(h, 'abcd', 'form:tables[0].name', 1000 + COALESCE_MS)
    expect(h.past).toEqual(['a', 'abc'])
    h = undoDraft(h)
    expect(h.text).toBe('abc')
    h = undoDraft(h)
    expect(h.text).toBe('a')
    expect(undoDraft(h)).toBe(h)
    h = redoDraft(redoDraft(h))
    expect(h.text).toBe('abcd')
    expect(redoDraft(h)).toBe(h)
  })
  test('a pause starts a new step; an edit clears redo; no change is no step', () => {
    let h = editDraft(emptyDraft('a'), 'ab', 'json', 0)
    h = editDraft(h, 'abc', 'json', COALESCE_MS + 1)
    expect(h.past).toEqual(['a', 'ab'])
    h = undoDraft(h)
    h = editDraft(h, 'abX', 'json', 10_000)
    expect(h.future).toEqual([])
    expect(editDraft(h, 'abX', 'form', 20_000)).toBe(h)
  })
  test('after an undo, typing again does not merge into the undone step', () => {
    let h = editDraft(emptyDraft('a'), 'ab', 'json', 0)
    h = undoDraft(h)
    h = editDraft(h, 'ac', 'json', 1)
    expect(h.past).toEqual(['a'])
    expect(undoDraft(h).text).toBe('a')
  })
})

const SHA_A = 'a'.repeat(64)
const SHA_B = 'b'.repeat(64)
const saved = (text: string, over: Partial<DraftSource> = {}): DraftSource => ({
  modelId: 'file:/m.json',
  file: '/m.json',
  text,
  sha: SHA_A,
  saveInPlace: true,
  revision: 1,
  ...over,
})

describe('a model text handed to the editor', () => {
  test('over the draft of the same source it is one more undoable edit, keeping the edits before it', () => {
    let h = editDraft(emptyDraft('{}'), '{"a":1}', 'json', 0)
    const next = openedDraft(
      { modelDraft: h, draftSource: saved('{}') },
      '{"a":1,"p":2}',
      saved('{}'),
      { origin: 'save-as-pattern' },
      5000,
    )
    expect(next.modelDraft.text).toBe('{"a":1,"p":2}')
    expect(next.modelDraft.past).toEqual(['{}', '{"a":1}'])
    expect(next.draftSource).toEqual(saved('{}'))
    h = undoDraft(next.modelDraft)
    expect(h.text).toBe('{"a":1}')
  })
  test('over another model, or another version of the file, it starts a fresh history from that saved text', () => {
    const old = {
      modelDraft: editDraft(emptyDraft('old'), 'old edited', 'json', 0),
      draftSource: saved('old'),
    }
    const other = openedDraft(old, 'B+p', saved('B', { modelId: 'builtin:b' }), { origin: 'o' }, 1)
    expect(other.modelDraft.past).toEqual(['B'])
    const newer = openedDraft(old, 'A2+p', saved('A2', { sha: SHA_B, revision: 2 }), { origin: 'o' }, 1)
    expect(newer.modelDraft.past).toEqual(['A2'])
    expect(newer.draftSource.revision).toBe(2)
    // Nothing in the store yet: the same.
    expect(
      openedDraft({ modelDraft: emptyDraft() }, 'x', saved('s'), { origin: 'o' }, 1).modelDraft.past,
    ).toEqual(['s'])
  })
  test('a new model keeps the model id but has no file and an empty saved text, so it is unsaved until Save As', () => {
    const next = openedDraft(
      { modelDraft: emptyDraft('{}'), draftSource: saved('{}') },
      '{"name":"t"}',
      saved('{}'),
      { newModel: true, origin: 'from-table' },
      1,
    )
    expect(next.draftSource).toEqual({ ...saved(''), file: undefined, saveInPlace: false })
    expect(next.modelDraft.text).toBe('{"name":"t"}')
    // Undo goes back to the model that was open (still unsaved against the new model's empty text).
    expect(undoDraft(next.modelDraft).text).toBe('{}')
  })
})

describe('what the Model tab does with the draft in the store when it shows', () => {
  const open = { modelId: 'file:/m.json', revision: 1 }
  test('keeps a draft of the open model at its revision, edited or not', () => {
    expect(draftOnShow({ modelDraft: emptyDraft('A'), draftSource: saved('A') }, open)).toBe('keep')
    expect(draftOnShow({ modelDraft: emptyDraft('A edited'), draftSource: saved('A') }, open)).toBe('keep')
  })
  test('reads the source when there is none, or it is of another model, edits or not', () => {
    expect(draftOnShow({ modelDraft: emptyDraft() }, open)).toBe('load')
    const other = saved('B', { modelId: 'builtin:b' })
    expect(draftOnShow({ modelDraft: emptyDraft('B edited'), draftSource: other }, open)).toBe('load')
  })
  test('a newer revision of the file is read when nothing is unsaved; unsaved edits stay and the change is said', () => {
    const newer = { ...open, revision: 2 }
    expect(draftOnShow({ modelDraft: emptyDraft('A'), draftSource: saved('A') }, newer)).toBe('load')
    expect(draftOnShow({ modelDraft: emptyDraft('A edited'), draftSource: saved('A') }, newer)).toBe(
      'changed-on-disk',
    )
  })
})

describe('the slice', () => {
  const store = () =>
    create<AppState>()(
      (...a) =>
        ({
          modelId: 'file:/m.json',
          openModel: { modelId: 'file:/m.json', name: 'm', source: 'file', revision: 3 },
          ...createModelDraftSlice(...a),
        }) as AppState,
    )
  test('openDraft before the editor has read anything makes a new model of the open model, with its notice', () => {
    const s = store()
    s.getState().openDraft('{"name":"t"}', { newModel: true, origin: 'from-table', notice: 'From table t' })
    const st = s.getState()
    expect(st.draftSource).toEqual({
      modelId: 'file:/m.json',
      file: undefined,
      text: '',
      sha: '',
      saveInPlace: false,
      revision: 3,
    })
    expect(st.modelDraft.text).toBe('{"name":"t"}')
    expect(st.draftNotice).toBe('From table t')
    // The Model tab, shown now, keeps it.
    expect(draftOnShow(st, { modelId: 'file:/m.json', revision: 3 })).toBe('keep')
  })
  test('loading a source replaces the draft and its history but keeps the notice (a save says "Saved")', () => {
    const s = store()
    s.getState().openDraft('x', { source: saved('A'), origin: 'o', notice: 'Added pattern p' })
    expect(s.getState().modelDraft.past).toEqual(['A'])
    s.getState().setDraftNotice('Saved /m.json')
    s.getState().loadModelSource(saved('x', { sha: SHA_B, revision: 4 }))
    const st = s.getState()
    expect(st.modelDraft).toEqual(emptyDraft('x'))
    expect(st.draftSource?.revision).toBe(4)
    expect(st.draftNotice).toBe('Saved /m.json')
  })
  test('an unchanged notice is no update', () => {
    const s = store()
    s.getState().setDraftNotice('n')
    const before = s.getState()
    s.getState().setDraftNotice('n')
    expect(s.getState()).toBe(before)
  })
})
