// Builds with electron-vite when out/ is missing or older than the sources, so `npm start` and the E2E specs
// always run the code in the tree.
import { execFileSync, spawnSync } from 'node:child_process'
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

/**
 * `quiet`: one line instead of the bundler's listing of every output file (`npm start` should end with the URL, not
 * a screenful of chunk sizes); the listing is printed only when the build fails, so nothing is lost.
 */
export function ensureBuild({ quiet = false } = {}) {
  if (!needsBuild()) return
  const command = [path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']
  if (!quiet) {
    console.log('tablewright: building (electron-vite build)…')
    execFileSync(process.execPath, command, { cwd: root, stdio: 'inherit' })
    return
  }
  process.stdout.write('tablewright: building the app (first start, or the sources changed)… ')
  const started = Date.now()
  const out = spawnSync(process.execPath, command, {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  if (out.status !== 0) {
    process.stdout.write('failed:\n')
    process.stderr.write(`${out.stdout ?? ''}${out.stderr ?? ''}${out.error ? `${out.error.message}\n` : ''}`)
    process.exit(out.status ?? 1)
  }
  process.stdout.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) ensureBuild()
