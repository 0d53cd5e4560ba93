// `npm run screenshots`: pictures of the current app for the README. Starts the built browser host on loopback with
// a throwaway user-data folder, loads the first sample model's data through the app, opens the main views in
// Chromium at 1280×800 in the dark theme and writes one PNG per view to docs/screenshots/.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from '@playwright/test'
import { ensureBuild } from './ensure-build.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const outDir = path.join(root, 'docs', 'screenshots')
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run']
const LIMIT = 256 * 1024

function findChromium() {
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) =>
    existsSync(p),
  )
}

/** The built browser host, as `npm run web` starts it; resolves with the URL it prints. */
function startHost(userData) {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'tablewright.js'), 'web', '--port', '0'], {
    cwd: root,
    env: { ...process.env, TABLEWRIGHT_USER_DATA: userData },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const url = new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      output += d
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(output)
      if (m) resolve(m[1])
    })
    child.stderr.on('data', (d) => (output += d))
    child.once('exit', (code) =>
      reject(new Error(`the host exited (${code}) before printing its URL:\n${output}`)),
    )
  })
  return { child, url }
}

async function main() {
  ensureBuild({ quiet: true })
  const executablePath = findChromium()
  if (!executablePath)
    throw new Error('no Chromium found: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH')
  mkdirSync(outDir, { recursive: true })
  const userData = mkdtempSync(path.join(os.tmpdir(), 'tablewright-shots-'))
  const host = startHost(userData)
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
  const written = []
  try {
    const url = await host.url
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' })
    await page.goto(url)
    const overview = page.getByRole('region', { name: 'Connection overview' })
    await overview
      .getByLabel('connection status')
      .filter({ hasText: 'connected' })
      .waitFor({ timeout: 60_000 })
    const theme = page.getByRole('button', { name: 'Switch to light theme' })
    if (!(await theme.isVisible())) await page.getByRole('button', { name: 'Switch to dark theme' }).click()
    await theme.waitFor()

    // The sample's tables and items, loaded the way a new user does it.
    const tableButton = page
      .getByRole('navigation', { name: 'Tables of this connection' })
      .getByRole('button')
      .first()
    const load = overview.getByRole('button', { name: /^Load the .* sample$/ })
    if (await load.isVisible()) await load.click()
    await tableButton.waitFor({ timeout: 120_000 })
    const shot = async (name) => {
      // Nothing mid-animation: the caret and smooth scrolls would make every run's PNGs differ.
      await page.mouse.move(0, 0)
      const file = path.join(outDir, `${name}.png`)
      await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' })
      written.push(file)
    }
    const tab = (name) => page.getByRole('tab', { name }).click()

    await shot('overview')

    await tableButton.click()
    await tab('Visualizer')
    const grid = page.getByRole('grid', { name: 'Items' })
    // A message (Cruddur is the sample loaded), open in the inspector.
    const itemRow = grid.getByRole('row', { name: /^Message/ }).nth(2)
    await itemRow.waitFor({ timeout: 60_000 })
    await itemRow.click()
    await page
      .getByRole('complementary', { name: 'Inspector' })
      .getByRole('textbox', { name: 'Item JSON' })
      .waitFor({ state: 'attached', timeout: 30_000 })
    await shot('visualizer')
    // The other views get the whole width (and stay small without the editor's text).
    await page.getByRole('button', { name: 'Inspector', expanded: true }).click()

    await tab('Access patterns')
    await page
      .getByRole('button', { name: /^Run pattern / })
      .first()
      .click()
    await page
      .getByRole('region', { name: /^Result of pattern / })
      .getByRole('table', { name: /^Pattern .* items$/ })
      .waitFor({ timeout: 30_000 })
    await shot('patterns')

    await tab('Writes & stream')
    const form = page.getByRole('form', { name: /^Recipe .* parameters$/ })
    // Cruddur's first recipe sends a message: give it one (other samples' recipes have their defaults).
    await form.getByRole('button', { name: /^Run / }).waitFor()
    const message = form.getByRole('textbox', { name: /^message \(/ })
    if (await message.count())
      await message.fill('Shipping it: the stream handler moves both conversation rows.')
    await form.getByRole('button', { name: /^Run / }).click()
    const timeline = page.getByRole('region', { name: 'Timeline' })
    await timeline.getByLabel('Run summary').waitFor({ timeout: 60_000 })
    // Step on to the first moved row (the handler's delete + put shown as one change), which Next scrolls to.
    const moved = timeline.getByRole('heading', { name: /^Moved / }).first()
    const next = timeline.getByRole('button', { name: 'Next step' })
    for (let i = 0; i < 12 && !(await moved.isVisible()) && (await next.isEnabled()); i++) await next.click()
    await moved.scrollIntoViewIfNeeded().catch(() => {})
    await shot('writes-and-stream')

    await tab('Schema & data')
    await page.getByRole('tabpanel').getByRole('heading').first().waitFor()
    await shot('schema-and-data')
  } finally {
    await browser.close()
    host.child.kill('SIGTERM')
    rmSync(userData, { recursive: true, force: true })
  }
  for (const file of written) {
    const size = statSync(file).size
    console.log(`${path.relative(root, file)}  ${Math.round(size / 1024)} KB`)
    if (size > LIMIT) throw new Error(`${path.relative(root, file)} is over 256 KB: keep the README light`)
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
