import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { RunningHost } from './fixtures'

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
