/**
 * Monaco's one switch for "Tab moves the focus", shared by every editor and flipped by its own Ctrl+M action
 * (editor.action.toggleTabFocusMode). monaco-editor 0.57 ships no types for this module; its package exports map
 * `monaco-editor/*` to `esm/vs/*.js`, so this is the same instance the bundled editor uses.
 */
declare module 'monaco-editor/editor/browser/config/tabFocus' {
  export const TabFocus: {
    getTabFocusMode(): boolean
    setTabFocusMode(on: boolean): void
    onDidChangeTabFocus(listener: (on: boolean) => void): { dispose(): void }
  }
}
