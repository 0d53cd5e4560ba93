import type { UiError } from '../store/connections.slice'

/** An error as the user sees it: its code and message, and what to do next when we know. */
export function ErrorNote({ error, hint }: { error: UiError; hint?: string }) {
  return (
    <div role="alert" className="error-note">
      <code className="error-code">{error.code}</code> {error.message}
      {hint ? <div className="hint">{hint}</div> : null}
    </div>
  )
}
