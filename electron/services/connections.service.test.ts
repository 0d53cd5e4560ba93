import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { dispatch } from '../../shared/contract/dispatch'
import { failingProcessConfig } from '../../tests/support/aws-fixtures'
import { Workbench } from './workbench'

const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-conn-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('a failing credential_process: neither the connect answer nor the connection list carries its command line or stderr', async () => {
  const { config, secret, script } = failingProcessConfig(dir)
  const saved = { c: process.env.AWS_CONFIG_FILE, s: process.env.AWS_SHARED_CREDENTIALS_FILE }
  process.env.AWS_CONFIG_FILE = config
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'none')
  // Port 9 on loopback: the credentials fail before anything is sent, and nothing could leave the machine anyway.
  const wb = new Workbench({
    version: 'test',
    host: 'browser',
    profiles: [
      {
        id: 'prod',
        name: 'Prod',
        kind: 'aws',
        profile: 'broken',
        region: 'eu-west-1',
        endpoint: 'http://127.0.0.1:9',
      },
    ],
  })
  try {
    const answer = await dispatch(wb.handlers, 'connections:connect', { connectionId: 'prod' })
    expect(answer).toMatchObject({ ok: false, code: 'connection.credentials' })
    const list = await dispatch(wb.handlers, 'connections:list', {})
    expect(list).toMatchObject({ ok: true, value: [{ id: 'prod', status: 'error' }] })
    for (const crossing of [JSON.stringify(answer), JSON.stringify(list)]) {
      expect(crossing).toContain('profile \\"broken\\"')
      expect(crossing).not.toContain(secret)
      expect(crossing).not.toContain(script)
    }
  } finally {
    await wb.dispose()
    process.env.AWS_CONFIG_FILE = saved.c
    process.env.AWS_SHARED_CREDENTIALS_FILE = saved.s
  }
})
