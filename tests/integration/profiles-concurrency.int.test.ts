import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { dispatch } from '../../shared/contract/dispatch'
import { Workbench } from '../../electron/services/workbench'
import { assertBuilt, BIN } from './cli-helpers'

const userData = mkdtempSync(path.join(os.tmpdir(), 'tw-userdata-conc-'))
const profilesFile = path.join(userData, 'connections.json')
let saved: string | undefined

beforeAll(() => {
  assertBuilt()
  saved = process.env.TABLEWRIGHT_USER_DATA
  process.env.TABLEWRIGHT_USER_DATA = userData
})
afterAll(() => {
  if (saved === undefined) delete process.env.TABLEWRIGHT_USER_DATA
  else process.env.TABLEWRIGHT_USER_DATA = saved
  rmSync(userData, { recursive: true, force: true })
})

/** One process that runs `tablewright connections save` for each name in turn; resolves with its exit codes. */
function cliWriter(prefix: string, count: number): Promise<number[]> {
  const script = Array.from(
    { length: count },
    (_, i) =>
      `"${process.execPath}" "${BIN}" connections save --name "${prefix} ${i}" --kind dynamodb-local --endpoint http://localhost:8000 --json >/dev/null; echo $?`,
  ).join('\n')
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', script], {
      env: { ...process.env, TABLEWRIGHT_USER_DATA: userData },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.on('error', reject)
    child.on('close', () => resolve(out.trim().split('\n').map(Number)))
  })
}

test('two CLI processes and the app save at the same time: every profile lands, and the app shows the CLI ones', async () => {
  const app = new Workbench({ version: 'test', host: 'browser' })
  try {
    const changed: unknown[] = []
    app.bus.subscribe((name) => {
      if (name === 'connections:changed') changed.push(name)
    })
    const perWriter = 6
    const writers = [cliWriter('Alpha', perWriter), cliWriter('Beta', perWriter)]
    const appSaves: unknown[] = []
    const cliSaved = () => {
      try {
        return (
          JSON.parse(readFileSync(profilesFile, 'utf8')) as { profiles: { id: string }[] }
        ).profiles.filter((p) => !p.id.startsWith('app-')).length
      } catch {
        return 0
      }
    }
    // Each app save waits for one more CLI save first, so the app always writes after the CLI changed the file.
    for (let i = 0; i < perWriter; i++) {
      await vi.waitFor(() => expect(cliSaved()).toBeGreaterThan(i), { timeout: 60_000, interval: 20 })
      appSaves.push(
        await dispatch(app.handlers, 'connections:save', {
          name: `App ${i}`,
          kind: 'aws',
          region: 'eu-west-1',
        }),
      )
    }
    const codes = (await Promise.all(writers)).flat()
    expect(codes).toEqual(Array(perWriter * 2).fill(0))
    for (const r of appSaves) expect(r).toMatchObject({ ok: true })

    const expected = ['alpha', 'beta', 'app']
      .flatMap((p) => Array.from({ length: perWriter }, (_, i) => `${p}-${i}`))
      .sort()
    const file = JSON.parse(readFileSync(profilesFile, 'utf8')) as { profiles: { id: string }[] }
    expect(file.profiles.map((p) => p.id).sort()).toEqual(expected)
    // The app took in what the CLI wrote through its watch on the file, and told the renderer.
    await vi.waitFor(
      () =>
        expect(
          app.connections
            .list()
            .filter((c) => !['embedded', 'local'].includes(c.id))
            .map((c) => c.id)
            .sort(),
        ).toEqual(expected),
      { timeout: 15_000 },
    )
    expect(changed.length).toBeGreaterThan(0)
  } finally {
    await app.dispose()
  }
})
