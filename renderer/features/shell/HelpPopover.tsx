import { useModalDialog } from '../../components/useModalDialog'

export const SHORTCUTS: { keys: string; action: string }[] = [
  {
    keys: 'Alt+1 … Alt+8',
    action:
      'Switch tab (Overview, Visualizer, Schema & data, Access patterns, Writes & stream, Query, Model, Check & cost)',
  },
  { keys: 'R', action: 'Refresh: reload the items (or the tables on Overview)' },
  { keys: 'Ctrl+Enter', action: 'Run the selected access pattern / write recipe' },
  { keys: 'Ctrl+S', action: 'Save the item in the inspector' },
  {
    keys: '↑ ↓ Home End PgUp PgDn',
    action: 'Visualizer: move through the items; Enter opens the item in the inspector',
  },
  {
    keys: 'Space, Shift+Space',
    action: 'Visualizer: select the item for Delete selected… (Shift: every item from the last one selected)',
  },
  { keys: 'Escape', action: 'Close a dialog or this help' },
  { keys: 'Escape (in a JSON editor)', action: 'Leave the editor for the next control' },
  { keys: 'Ctrl+M (in a JSON editor)', action: 'Switch Tab between typing spaces and moving the focus' },
  { keys: '?', action: 'Show this help' },
]

export function HelpPopover({ onClose }: { onClose(): void }) {
  const ref = useModalDialog()
  return (
    <dialog ref={ref} className="dialog" aria-label="Keyboard shortcuts" onCancel={onClose} onClose={onClose}>
      <h2>Keyboard shortcuts</h2>
      <table className="grid">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <th scope="row">
                <kbd>{s.keys}</kbd>
              </th>
              <td>{s.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="dialog-actions">
        <button type="button" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
    </dialog>
  )
}
