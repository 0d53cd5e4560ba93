// Runs the Playwright specs for one host ("web" or "electron") after making sure the build is current.
// Where no Chromium exists the web specs cannot run: say so plainly, and fail under CI=true.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureBuild } from './ensure-build.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const project = process.argv[2] ?? 'web'
const extra = process.argv.slice(3)

if (project === 'web') {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
  ]
  const found = candidates.some((c) => c && existsSync(c))
  if (!found && !existsSync(path.join(process.env.HOME ?? '', '.cache', 'ms-playwright'))) {
    console.log('SKIPPED e2e: no Chromium (install: apt-get install -y chromium, or set CHROMIUM_PATH)')
    process.exit(process.env.CI === 'true' ? 1 : 0)
  }
}

ensureBuild()
const cli = path.join(root, 'node_modules', '@playwright', 'test', 'cli.js')
const result = spawnSync(process.execPath, [cli, 'test', ...extra, '--project', project], {
  cwd: root,
  stdio: 'inherit',
})
process.exit(result.status ?? 1)
