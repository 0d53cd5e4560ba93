import { useEffect, useRef, type RefObject } from 'react'

/** Focuses `el` if it can still take the focus; says whether it did. */
function tryFocus(el: Element | null | undefined): boolean {
  if (!(el instanceof HTMLElement) || !el.isConnected) return false
  // No scroll jump: the element was in view when it opened the dialog, or it is a fallback the caller chose.
  el.focus({ preventScroll: true })
  return document.activeElement === el
}

/**
 * The ref for a `<dialog>` that shows as a modal (focus trapped, Escape fires its `cancel` event) while `open`.
 * Its owner closes it by no longer rendering it: the `onCancel`/`onClose` handlers clear the owner's state, and the
 * element leaves the DOM, so nothing here calls close(). Pass `open` when the dialog renders only on a condition.
 *
 * An unmounted dialog drops the focus to `<body>`, so the element that had the focus when the dialog opened gets
 * it back (the WAI-ARIA dialog pattern: https://www.w3.org/WAI/ARIA/apg/patterns/dialog-modal/), or the element
 * that now carries its id. When neither can take the focus (a button that the dialog's action removed or disabled),
 * `fallback` names where the focus goes instead. Nothing is moved when the focus already sits somewhere else on purpose.
 */
export function useModalDialog(
  open = true,
  fallback?: () => Element | null | undefined,
): RefObject<HTMLDialogElement | null> {
  const ref = useRef<HTMLDialogElement>(null)
  // The latest fallback, read when the dialog closes, without reopening the dialog when the caller's closure changes.
  const fallbackRef = useRef(fallback)
  useEffect(() => {
    fallbackRef.current = fallback
  })
  // Kept in a ref: StrictMode rehearses an unmount and a remount of a dialog that stays open, and the second run
  // must not take the focus inside the dialog for the opener.
  const opener = useRef<{ el: Element | null; id: string }>({ el: null, id: '' })
  useEffect(() => {
    const el = ref.current
    if (!open || !el) return
    if (!el.open) {
      // Read before showModal() moves the focus into the dialog. A virtualized row re-renders as a new element
      // with the same id; the id finds its successor.
      const active = document.activeElement
      opener.current = active && !el.contains(active) ? { el: active, id: active.id } : { el: null, id: '' }
      el.showModal()
    }
    return () => {
      if (el.isConnected && el.open) return
      // Passive cleanup runs after the commit that removed the dialog, so the focus is on <body> if it was lost;
      // anywhere else, something put it there on purpose.
      const now = document.activeElement
      if (now && now !== document.body && !el.contains(now)) return
      const { el: back, id } = opener.current
      if (tryFocus(back)) return
      if (id && tryFocus(document.getElementById(id))) return
      tryFocus(fallbackRef.current?.())
    }
  }, [open])
  return ref
}
