import { useId, useState, type ReactNode } from 'react'
import { useModalDialog } from './useModalDialog'

/** A destructive action: the user types the target's name back before the button unlocks. */
export function ConfirmDialog(props: {
  title: string
  body: ReactNode
  expected: string
  actionLabel: string
  onConfirm(typed: string): void
  onCancel(): void
}) {
  const [typed, setTyped] = useState('')
  const inputId = useId()
  const dialog = useModalDialog()
  return (
    <dialog ref={dialog} className="dialog" aria-label={props.title} onCancel={props.onCancel}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault()
          if (typed === props.expected) props.onConfirm(typed)
        }}
      >
        <h2>{props.title}</h2>
        {typeof props.body === 'string' ? <p>{props.body}</p> : props.body}
        <label htmlFor={inputId}>
          Type <strong>{props.expected}</strong> to confirm
        </label>
        <input id={inputId} value={typed} autoFocus onChange={(e) => setTyped(e.target.value)} />
        <div className="dialog-actions">
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
          <button type="submit" className="danger" disabled={typed !== props.expected}>
            {props.actionLabel}
          </button>
        </div>
      </form>
    </dialog>
  )
}
