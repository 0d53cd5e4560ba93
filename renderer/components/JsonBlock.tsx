import hljs from 'highlight.js/lib/core'
import bash from 'highlight.js/lib/languages/bash'
import json from 'highlight.js/lib/languages/json'
import python from 'highlight.js/lib/languages/python'
import typescript from 'highlight.js/lib/languages/typescript'
import { useMemo, useState } from 'react'

// Only the languages Tablewright shows: requests and records (JSON) and the generated code.
hljs.registerLanguage('json', json)
hljs.registerLanguage('typescript', typescript)
hljs.registerLanguage('python', python)
hljs.registerLanguage('bash', bash)

export type CodeLanguage = 'json' | 'typescript' | 'python' | 'bash'

/**
 * A read-only block of JSON or code with a copy button. The button sits in the block's header, so it never covers
 * the first line; with a language the code is highlighted (highlight.js escapes the text it wraps in spans).
 */
export function CodeBlock({
  code,
  label,
  language,
}: {
  code: string
  label: string
  language?: CodeLanguage
}) {
  const [copied, setCopied] = useState(false)
  const html = useMemo(
    () => (language ? hljs.highlight(code, { language, ignoreIllegals: true }).value : undefined),
    [code, language],
  )
  return (
    <div className="code-block">
      <div className="code-head">
        <span className="muted small">{label}</span>
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
      </div>
      <pre aria-label={label} tabIndex={0}>
        {html !== undefined ? (
          <code className="hljs" dangerouslySetInnerHTML={{ __html: html }} />
        ) : (
          <code>{code}</code>
        )}
      </pre>
    </div>
  )
}

export const pretty = (v: unknown) => JSON.stringify(v, null, 2)
