import { useEffect, useRef, type RefObject } from 'react'

/**
 * The ref for a `<dialog>` that shows as a modal (focus trapped, Escape fires its `cancel` event) while `open`.
 * Its owner closes it by no longer rendering it: the `onCancel`/`onClose` handlers clear the owner's state, and the
 * element leaves the DOM, so nothing here calls close(). Pass `open` when the dialog renders only on a condition.
 */
export function useModalDialog(open = true): RefObject<HTMLDialogElement | null> {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const el = ref.current
    if (open && el && !el.open) el.showModal()
  }, [open])
  return ref
}
