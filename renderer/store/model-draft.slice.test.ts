import { describe, expect, test } from 'vitest'
import { COALESCE_MS, editDraft, emptyDraft, redoDraft, undoDraft } from './model-draft.slice'

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
