import { existsSync, readdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** Debian's chromium first, then a browser Playwright installed itself (if someone ran `playwright install`). */
export function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (existsSync(candidate)) return candidate
  }
  const cache = process.env.PLAYWRIGHT_BROWSERS_PATH ?? path.join(os.homedir(), '.cache', 'ms-playwright')
  if (existsSync(cache)) {
    for (const dir of readdirSync(cache)
      .filter((d) => d.startsWith('chromium'))
      .sort()
      .reverse()) {
      for (const sub of ['chrome-linux/chrome', 'chrome-linux64/chrome']) {
        const bin = path.join(cache, dir, sub)
        if (existsSync(bin)) return bin
      }
    }
  }
  return undefined
}

/** The Electron binary, if one exists: ELECTRON_OVERRIDE_DIST_PATH, or one the electron package downloaded. */
export function findElectron(root: string): { path?: string; reason?: string } {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  const name =
    process.platform === 'win32'
      ? 'electron.exe'
      : process.platform === 'darwin'
        ? 'Electron.app/Contents/MacOS/Electron'
        : 'electron'
  if (override) {
    const bin = path.join(override, name)
    return existsSync(bin)
      ? { path: bin }
      : { reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${bin} does not exist` }
  }
  const bin = path.join(root, 'node_modules', 'electron', 'dist', name)
  if (existsSync(bin)) return { path: bin }
  return {
    reason:
      'no Electron binary: the electron package downloads it on first run, which needs github.com (unreachable here); set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron to run these specs',
  }
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
]
