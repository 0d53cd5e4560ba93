import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, resolve } from 'node:path'
import type { Plugin } from 'vite'

const VIRTUAL = '\0monaco-json-only'
/** Language services the inspector never uses: each pulls a worker (TypeScript's alone is 11 MB) into the build. */
const UNUSED_FEATURES = /languages\/features\/(css|html|typescript)\/register\.js'|monaco-lsp-client/

/**
 * Resolves the bare `monaco-editor` import to the package's own entry minus what the inspector never loads: the
 * ~80 Monarch language definitions, the CSS/HTML/TypeScript language services (and so their workers) and the LSP
 * client. The editor and its contributions stay exactly as the package lists them, read from its entry at build
 * time, so an upgrade brings its new contributions along without a hand-kept list. JSON is the only language.
 */
export function monacoJsonOnly(): Plugin {
  const require = createRequire(import.meta.url)
  return {
    name: 'tablewright:monaco-json-only',
    enforce: 'pre',
    resolveId(id) {
      return id === 'monaco-editor' ? VIRTUAL : undefined
    },
    load(id) {
      if (id !== VIRTUAL) return undefined
      const entry = require.resolve('monaco-editor/index.js') // the package's exports map this to esm/vs/index.js
      const dir = dirname(entry)
      const kept: string[] = []
      const dropped = new Set<string>()
      for (const line of readFileSync(entry, 'utf8').split('\n')) {
        if (/^import '\.\/languages\/definitions\//.test(line)) continue
        const named = /^import \* as (\w+) from '([^']+)';$/.exec(line)
        if (named && UNUSED_FEATURES.test(`${named[2]}'`)) {
          dropped.add(named[1]!)
          continue
        }
        const reexport = /^export \{ (\w+) as \w+ \};$/.exec(line)
        if (reexport && dropped.has(reexport[1]!)) continue
        kept.push(line.replace(/'(\.{1,2}\/[^']+)'/, (_, rel: string) => JSON.stringify(resolve(dir, rel))))
      }
      if (!kept.some((l) => l.includes('languages/features/json/register.js')))
        this.error('monaco-editor no longer lists the JSON language service where Tablewright expects it')
      return kept.join('\n')
    },
  }
}
