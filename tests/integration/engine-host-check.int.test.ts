import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { Workbench } from '../../electron/services/workbench'
import { assertBuilt, BIN } from './cli-helpers'

/** ListTables at an endpoint with the Host header given, as a browser under DNS rebinding would send it. */
function listTables(endpoint: string, host: string) {
  const url = new URL(endpoint)
  return new Promise<{ status: number; type?: string }>((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: Number(url.port),
        path: '/',
        method: 'POST',
        headers: {
          host,
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
        },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { __type?: string }
          resolve({ status: res.statusCode ?? 0, type: body.__type })
        })
      },
    )
    req.on('error', reject)
    req.end('{}')
  })
}

/** `tablewright engine` with extra arguments; resolves with its endpoint once printed, and a stop function. */
function engineCommand(args: string[]): Promise<{ endpoint: string; stop(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'engine', '--port', '0', '--json', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    const exited = new Promise<void>((r) => child.once('exit', () => r()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.once('exit', (code) => reject(new Error(`engine exited early (${code}): ${err}`)))
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      try {
        const { endpoint } = JSON.parse(out) as { endpoint: string }
        resolve({
          endpoint,
          stop: () => {
            child.kill('SIGTERM')
            return exited
          },
        })
      } catch {
        // not the whole document yet
      }
    })
  })
}

const evil = (endpoint: string) => `rebound.example:${new URL(endpoint).port}`
const own = (endpoint: string) => new URL(endpoint).host

describe('DNS rebinding on the engine endpoint', () => {
  beforeAll(() => assertBuilt())

  test('`tablewright engine` without --host answers loopback names only', async () => {
    const engine = await engineCommand([])
    try {
      expect(await listTables(engine.endpoint, evil(engine.endpoint))).toEqual({
        status: 403,
        type: 'com.amazonaws.dynamodb.v20120810#AccessDeniedException',
      })
      expect((await listTables(engine.endpoint, own(engine.endpoint))).status).toBe(200)
      expect((await listTables(engine.endpoint, `localhost:${new URL(engine.endpoint).port}`)).status).toBe(
        200,
      )
    } finally {
      await engine.stop()
    }
  })

  test('`tablewright engine --host` leaves the names to the user', async () => {
    const engine = await engineCommand(['--host', '127.0.0.1'])
    try {
      expect((await listTables(engine.endpoint, evil(engine.endpoint))).status).toBe(200)
    } finally {
      await engine.stop()
    }
  })

  describe("the app's embedded connection", () => {
    const userData = mkdtempSync(path.join(os.tmpdir(), 'tw-host-check-'))
    let saved: string | undefined
    let workbench: Workbench
    beforeAll(() => {
      saved = process.env.TABLEWRIGHT_USER_DATA
      process.env.TABLEWRIGHT_USER_DATA = userData
      workbench = new Workbench({ version: 'test', host: 'browser' })
    })
    afterAll(async () => {
      await workbench.dispose()
      if (saved === undefined) delete process.env.TABLEWRIGHT_USER_DATA
      else process.env.TABLEWRIGHT_USER_DATA = saved
      rmSync(userData, { recursive: true, force: true })
    })

    test('refuses a rebinding Host on its loopback endpoint, while the workbench itself keeps working', async () => {
      const view = await workbench.connections.connect('embedded')
      const endpoint = view.endpoint!
      expect(new URL(endpoint).hostname).toBe('127.0.0.1')
      expect((await listTables(endpoint, evil(endpoint))).status).toBe(403)
      expect((await listTables(endpoint, own(endpoint))).status).toBe(200)
      const tables = await workbench.handlers['tables:list']({ connectionId: 'embedded' })
      expect(Array.isArray(tables)).toBe(true)
    })
  })
})
