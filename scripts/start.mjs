// `npm start`: build if needed, then open the desktop app. Electron fetches its binary on first run; where that
// cannot work (offline, no display) say why in one line and start the browser host instead.
// `npm run web` (or `npm start -- --web`) goes straight to the browser host.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureBuild } from './ensure-build.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const webOnly = args.includes('--web')
// npm runs scripts from the package folder; a relative `--model FILE` means relative to where the user typed it.
const userCwd = process.env.INIT_CWD ?? process.cwd()
const passThrough = args
  .filter((a) => a !== '--web')
  .map((a, i, all) =>
    all[i - 1] === '--model' && existsSync(path.resolve(userCwd, a)) ? path.resolve(userCwd, a) : a,
  )

ensureBuild({ quiet: true })

function startWeb(reason) {
  if (reason) console.log(`tablewright: ${reason} — starting the browser host instead.`)
  const child = spawn(process.execPath, [path.join(root, 'bin', 'tablewright.js'), 'web', ...passThrough], {
    cwd: root,
    stdio: 'inherit',
  })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code) => process.exit(code ?? 0))
}

function electronBinary() {
  const require = createRequire(import.meta.url)
  // Quietly: the electron package prints its own download attempt and stack trace when offline.
  const probe = spawnSync(process.execPath, ['-e', 'process.stdout.write(require("electron"))'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  })
  if (probe.status === 0 && probe.stdout) return { path: probe.stdout }
  try {
    require.resolve('electron')
  } catch {
    return { reason: 'the electron package is not installed' }
  }
  const why = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|getaddrinfo/.test(probe.stderr ?? '')
    ? 'Electron could not download its binary (no network access to its release host)'
    : 'Electron could not download or find its binary'
  return { reason: why }
}

if (webOnly) {
  startWeb()
} else if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  startWeb('no display (DISPLAY is not set), so the desktop window cannot open')
} else {
  const electron = electronBinary()
  if (!electron.path) {
    startWeb(electron.reason)
  } else {
    const child = spawn(electron.path, [root, ...passThrough], { cwd: root, stdio: 'inherit' })
    child.on('error', (err) => startWeb(`Electron failed to start (${err.message})`))
    child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
  }
}
