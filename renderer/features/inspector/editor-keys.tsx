import type { editor } from 'monaco-editor'
import { TabFocus } from 'monaco-editor/editor/browser/config/tabFocus'
import { useId, useSyncExternalStore } from 'react'
import { tabbable } from 'tabbable'
import { monaco } from './monaco-setup'

/** Monaco's own binding for editor.action.toggleTabFocusMode (Ctrl+Shift+M on macOS, where Cmd+M minimizes). */
const TOGGLE_KEYS = /Mac|iPhone|iPad/.test(navigator.platform) ? 'Ctrl+Shift+M' : 'Ctrl+M'

/**
 * Escape leaves the editor only when nothing inside it is using Escape: these are the context keys of Monaco's own
 * Escape bindings (suggest, find, hints, rename, snippets, extra cursors, selection, peek, markers, hovers, code
 * actions). An editor's own binding overrides Monaco's defaults, so without this guard Escape could no longer
 * close the suggest list.
 */
const ESCAPE_LEAVES = [
  'editorTextFocus',
  '!suggestWidgetVisible',
  '!findWidgetVisible',
  '!parameterHintsVisible',
  '!renameInputVisible',
  '!inSnippetMode',
  '!editorHasMultipleSelections',
  '!editorHasSelection',
  '!referenceSearchVisible',
  '!markersNavigationVisible',
  '!editorHoverVisible',
  '!codeActionMenuVisible',
  '!inlineSuggestionVisible',
  '!messageVisible',
].join(' && ')

/** The next control after the editor in the Tab order, as Tab would reach it if Monaco did not keep it. */
function focusNextAfter(container: HTMLElement) {
  const outside = tabbable(container.ownerDocument.body).filter((el) => !container.contains(el))
  const next =
    outside.find((el) => container.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) ??
    outside[0]
  next?.focus()
}

/**
 * Keys for one editor only. Monaco's addCommand registers a page-wide keybinding (and never removes it), so with
 * two editors mounted (the Model tab's and the inspector's) the last one's handler ran for Ctrl+S in either; an
 * action's keybinding holds only while its own editor has the focus, and goes with the editor.
 */
export function bindKeys(
  ed: editor.IStandaloneCodeEditor,
  bindings: { id: string; label: string; keys: number[]; when?: string; run(): void }[],
) {
  for (const b of bindings) {
    const action = ed.addAction({
      id: `tablewright.${b.id}`,
      label: b.label,
      keybindings: b.keys,
      keybindingContext: b.when,
      run: () => b.run(),
    })
    ed.onDidDispose(() => action.dispose())
  }
}

function subscribe(notify: () => void) {
  const listener = TabFocus.onDidChangeTabFocus(notify)
  return () => listener.dispose()
}

/**
 * What VS Code does about Monaco's Tab trap, visibly: a hint under the editor naming the keys (and the current Tab
 * mode, which is one switch for every editor), tied to the editor with aria-describedby, and Escape to leave the
 * editor for the next control.
 */
export function useEditorKeys() {
  const hintId = useId()
  const tabMovesFocus = useSyncExternalStore(subscribe, () => TabFocus.getTabFocusMode())
  const onMount = (ed: editor.IStandaloneCodeEditor) => {
    const root = ed.getDomNode()
    if (!root) return
    bindKeys(ed, [
      {
        id: 'leaveEditor',
        label: 'Leave the editor (focus the next control)',
        keys: [monaco.KeyCode.Escape],
        when: ESCAPE_LEAVES,
        run: () => focusNextAfter(root),
      },
    ])
    // The element that takes the focus: a textarea, or the EditContext div where the browser supports it.
    root.querySelector('[role="textbox"], textarea')?.setAttribute('aria-describedby', hintId)
  }
  const hint = (
    <p id={hintId} className="editor-keys muted small">
      {tabMovesFocus
        ? `Tab moves focus (${TOGGLE_KEYS} to type tabs) · Esc: leave the editor`
        : `Tab inserts spaces · ${TOGGLE_KEYS}: Tab moves focus · Esc: leave the editor`}
    </p>
  )
  return { onMount, hint }
}
