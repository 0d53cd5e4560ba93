import {
  test as base,
  expect,
  _electron,
  chromium,
  type Browser,
  type Page,
  type ElectronApplication,
} from '@playwright/test'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { CHROMIUM_ARGS, findChromium, findElectron } from './browsers'

const root = fileURLToPath(new URL('../../../', import.meta.url))

export interface RunningHost {
  kind: 'web' | 'electron'
  /** Browser host only: origin, token and the URL printed at start-up. */
  origin?: string
  token?: string
  url?: string
}

interface WorkerFixtures {
  host: RunningHost & { page?: Page; electronApp?: ElectronApplication; browser?: Browser }
}

/** Starts the real browser host (the built CLI) as a child process and waits for the URL it prints. */
async function startWebHost(userDataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'tablewright.js'), 'web', '--port', '0'], {
    cwd: root,
    env: { ...process.env, TABLEWRIGHT_USER_DATA: userDataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString()
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(output)
      if (match) resolve(match[1]!)
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    child.once('exit', (code) =>
      reject(new Error(`browser host exited (${code}) before printing its URL:\n${output}`)),
    )
  })
  return { child, url }
}

/**
 * One app per worker, with a temporary user-data dir. The same specs run on both hosts: `page` is a Chromium page
 * on the browser host, or the Electron window.
 */
export const test = base.extend<{ page: Page }, WorkerFixtures>({
  host: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires an object pattern here
    async ({}, use, workerInfo) => {
      const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'tablewright-e2e-'))
      if (workerInfo.project.name === 'electron') {
        const electron = findElectron(root)
        if (!electron.path) {
          console.log(`SKIPPED electron e2e: ${electron.reason}`)
          await use({ kind: 'electron' })
          rmSync(userDataDir, { recursive: true, force: true })
          return
        }
        const electronApp = await _electron.launch({
          executablePath: electron.path,
          args: [path.join(root, 'out', 'main', 'index.js'), `--user-data-dir=${userDataDir}`],
          env: { ...process.env, TABLEWRIGHT_USER_DATA: userDataDir },
        })
        const page = await electronApp.firstWindow()
        await use({ kind: 'electron', page, electronApp })
        await electronApp.close()
      } else {
        const { child, url } = await startWebHost(userDataDir)
        const parsed = new URL(url)
        const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS })
        await use({
          kind: 'web',
          url,
          origin: parsed.origin,
          token: parsed.searchParams.get('token') ?? '',
          browser,
        })
        await browser.close()
        child.kill('SIGTERM')
        await new Promise((r) => child.once('exit', r))
      }
      rmSync(userDataDir, { recursive: true, force: true })
    },
    { scope: 'worker', timeout: 90_000 },
  ],
  // Overrides Playwright's page without depending on it, so the electron project never launches a browser.
  page: async ({ host }, use) => {
    if (host.kind === 'electron') {
      test.skip(!host.page, 'no Electron binary on this machine (see the SKIPPED line above)')
      await use(host.page!)
      return
    }
    const context = await host.browser!.newContext({ viewport: { width: 1400, height: 900 } })
    const page = await context.newPage()
    await page.goto(host.url!)
    await use(page)
    await context.close()
  },
})

export { expect }
