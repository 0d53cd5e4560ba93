// Builds with electron-vite when out/ is missing or older than the sources, so `npm start` and the E2E specs
// always run the code in the tree.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const outputs = [
  'out/main/index.js',
  'out/main/cli.js',
  'out/main/cli-engine.js',
  'out/preload/index.cjs',
  'out/renderer/index.html',
].map((p) => path.join(root, p))

function newest(dir) {
  let latest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue
    const full = path.join(dir, entry.name)
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs)
  }
  return latest
}

export function needsBuild() {
  if (!outputs.every((p) => existsSync(p))) return true
  const built = Math.min(...outputs.map((p) => statSync(p).mtimeMs))
  const sources = Math.max(
    ...['electron', 'renderer', 'shared', 'seeds'].map((d) => newest(path.join(root, d))),
    statSync(path.join(root, 'electron.vite.config.ts')).mtimeMs,
    statSync(path.join(root, 'scripts', 'monaco-json-only.ts')).mtimeMs, // a build plugin the config imports
    statSync(path.join(root, 'package.json')).mtimeMs,
  )
  return sources > built
}

export function ensureBuild() {
  if (!needsBuild()) return
  console.log('tablewright: building (electron-vite build)…')
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  )
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) ensureBuild()
