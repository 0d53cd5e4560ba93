import { useState } from 'react'

/** A read-only block of JSON or code with a copy button. */
export function CodeBlock({ code, label }: { code: string; label: string }) {
  const [copied, setCopied] = useState(false)
  return (
    <div className="code-block">
      <button
        type="button"
        className="copy subtle"
        aria-label={`Copy ${label}`}
        onClick={() => {
          void navigator.clipboard?.writeText(code).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }}
      >
        {copied ? 'Copied' : 'Copy'}
      </button>
      <pre aria-label={label}>
        <code>{code}</code>
      </pre>
    </div>
  )
}

export const pretty = (v: unknown) => JSON.stringify(v, null, 2)
