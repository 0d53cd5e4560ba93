import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from '@playwright/test'
import { ensureCruddur } from './api'
import type { RunningHost } from './fixtures'
import { expectConnected } from './ui'

const root = fileURLToPath(new URL('../../../', import.meta.url))

/**
 * A second browser host with its own user-data dir and extra environment, for specs that need a host set up
 * differently from the shared one (for example dummy AWS credentials so an "aws" connection can point at the
 * embedded engine's loopback endpoint, which never leaves the machine).
 */
export async function startExtraHost(
  env: Record<string, string>,
  /** A user-data dir the caller owns (kept on stop, so a later host can reopen it); a temporary one by default. */
  ownUserDataDir?: string,
): Promise<RunningHost & { stop(): Promise<void> }> {
  const userDataDir = ownUserDataDir ?? mkdtempSync(path.join(os.tmpdir(), 'tablewright-e2e-extra-'))
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(root, 'bin', 'tablewright.js'), 'web', '--port', '0'],
    {
      cwd: root,
      env: { ...process.env, ...env, TABLEWRIGHT_USER_DATA: userDataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString()
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(output)
      if (match) resolve(match[1]!)
    })
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()))
    child.once('exit', (code) =>
      reject(new Error(`browser host exited (${code}) before printing its URL:\n${output}`)),
    )
  })
  const parsed = new URL(url)
  return {
    kind: 'web',
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    async stop() {
      child.kill('SIGTERM')
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r))
      if (ownUserDataDir === undefined) rmSync(userDataDir, { recursive: true, force: true })
    },
  }
}

/** Dummy keys and no shared AWS files: an "aws" connection signs with these and never reads the user's own. */
export const DUMMY_AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'e2eDummyKey',
  AWS_SECRET_ACCESS_KEY: 'e2eDummySecret',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/nonexistent/tablewright-e2e-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/tablewright-e2e-credentials',
}

/**
 * A second host for "aws" connections without an AWS account, with a page open on it: once its embedded engine
 * answers, the Cruddur sample is loaded there, and `endpoint` is that engine's loopback URL, for an aws
 * connection's endpoint override (nothing leaves the machine). `stop` closes the page's context and the host.
 */
export async function startLoopbackHost(
  host: { browser?: Browser },
  env: Record<string, string> = DUMMY_AWS_ENV,
): Promise<{
  extra: RunningHost
  context: BrowserContext
  page: Page
  endpoint: string
  stop(): Promise<void>
}> {
  const extra = await startExtraHost(env)
  const context = await host.browser!.newContext({ viewport: { width: 1400, height: 900 } })
  const stop = async () => {
    await context.close()
    await extra.stop()
  }
  try {
    const page = await context.newPage()
    await page.goto(extra.url!)
    await expectConnected(page)
    const overview = page.getByRole('region', { name: 'Connection overview' })
    const endpoint = (await overview.getByLabel('endpoint').textContent())!.trim()
    await ensureCruddur(context.request, extra)
    return { extra, context, page, endpoint, stop }
  } catch (err) {
    await stop()
    throw err
  }
}
