import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { lock } from 'proper-lockfile'
import { profileIdFor, ProfilesStore, userDataDir } from './profiles.store'
import { WorkbenchError } from './errors'
import { EventBus } from './event-bus'
import { ConnectionManager } from './connections.service'

const dirs: string[] = []
const tempFile = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-profiles-'))
  dirs.push(dir)
  return path.join(dir, 'sub', 'connections.json')
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('userDataDir', () => {
  test('TABLEWRIGHT_USER_DATA wins', () => {
    expect(userDataDir({ TABLEWRIGHT_USER_DATA: '/x/y' }, 'linux', '/home/u')).toBe('/x/y')
  })
  test('platform folders', () => {
    expect(userDataDir({}, 'linux', '/home/u')).toBe('/home/u/.config/tablewright')
    expect(userDataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/u')).toBe('/cfg/tablewright')
    expect(userDataDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/Tablewright')
    expect(userDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u')).toContain(
      'Tablewright',
    )
  })
})

describe('ProfilesStore', () => {
  test('a missing file is no profiles and no error', () => {
    expect(new ProfilesStore(tempFile()).load()).toEqual({ profiles: [] })
  })

  test('saves and loads back', () => {
    const store = new ProfilesStore(tempFile())
    const p = {
      id: 'prod',
      name: 'Prod',
      kind: 'aws' as const,
      region: 'eu-west-1',
      profile: 'prod-admin',
      color: '#ff0000',
    }
    store.save([p])
    expect(new ProfilesStore(store.file).load()).toEqual({ profiles: [p] })
  })

  test('a corrupt file is reported with the code and file, and saving refuses to overwrite it', () => {
    const store = new ProfilesStore(tempFile())
    store.save([])
    writeFileSync(store.file, '{"version":1,"profiles":[{"id":"x"')
    const loaded = store.load()
    expect(loaded.profiles).toEqual([])
    expect(loaded.error).toBeInstanceOf(WorkbenchError)
    expect(loaded.error?.code).toBe('profiles.invalid')
    expect(loaded.error?.message).toContain(store.file)
    expect(() => store.save([])).toThrow(/invalid/)
    expect(readFileSync(store.file, 'utf8')).toBe('{"version":1,"profiles":[{"id":"x"')
  })

  test('a stored secret key makes the file invalid (never loaded)', () => {
    const store = new ProfilesStore(tempFile())
    store.save([])
    writeFileSync(
      store.file,
      JSON.stringify({
        version: 1,
        profiles: [{ id: 'l', name: 'L', kind: 'dynamodb-local', region: 'us-east-1', secretAccessKey: 'x' }],
      }),
    )
    const loaded = store.load()
    expect(loaded.error?.code).toBe('profiles.invalid')
    expect(loaded.error?.message).toMatch(/secretAccessKey/)
  })

  test('duplicate ids are invalid', () => {
    const store = new ProfilesStore(tempFile())
    const p = {
      id: 'a',
      name: 'A',
      kind: 'dynamodb-local' as const,
      region: 'us-east-1',
      endpoint: 'http://localhost:8000',
    }
    store.save([])
    writeFileSync(store.file, JSON.stringify({ version: 1, profiles: [p, p] }))
    expect(store.load().error?.message).toMatch(/twice/)
  })
})

describe('read-modify-write under a lock', () => {
  const a = {
    id: 'a',
    name: 'A',
    kind: 'dynamodb-local' as const,
    region: 'us-east-1',
    endpoint: 'http://localhost:8000',
  }
  const b = { ...a, id: 'b', name: 'B' }

  test('update starts from the file as it is now, not from an earlier load', async () => {
    const mine = new ProfilesStore(tempFile())
    mine.load()
    new ProfilesStore(mine.file).save([a]) // someone else saves after I loaded
    await mine.update((saved) => ({ profiles: [...saved, b], result: undefined }))
    expect(mine.load().profiles.map((p) => p.id)).toEqual(['a', 'b'])
  })

  test('concurrent updates in one process all land', async () => {
    const file = tempFile()
    const stores = Array.from({ length: 8 }, () => new ProfilesStore(file))
    await Promise.all(
      stores.map((s, i) =>
        s.update((saved) => ({ profiles: [...saved, { ...a, id: `p${i}`, name: `P${i}` }], result: i })),
      ),
    )
    expect(
      new ProfilesStore(file)
        .load()
        .profiles.map((p) => p.id)
        .sort(),
    ).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'])
  })

  test('a held lock makes the writer wait, then answer profiles.locked; nothing is written', async () => {
    const store = new ProfilesStore(tempFile(), { retries: 2 })
    store.save([a])
    const release = await lock(store.file, { realpath: false })
    try {
      await expect(store.update(() => ({ profiles: [b], result: undefined }))).rejects.toMatchObject({
        code: 'profiles.locked',
      })
      expect(store.load().profiles).toEqual([a])
    } finally {
      await release()
    }
    await store.update(() => ({ profiles: [b], result: undefined }))
    expect(store.load().profiles).toEqual([b])
  })

  test('a stale lock left by a crashed process is taken over', async () => {
    const store = new ProfilesStore(tempFile(), { retries: 2, staleMs: 2000 })
    store.save([a])
    const lockDir = `${store.file}.lock`
    mkdirSync(lockDir)
    const old = new Date(Date.now() - 60_000)
    utimesSync(lockDir, old, old)
    await store.update((saved) => ({ profiles: [...saved, b], result: undefined }))
    expect(store.load().profiles.map((p) => p.id)).toEqual(['a', 'b'])
  })

  test('a corrupt file is not overwritten by update', async () => {
    const store = new ProfilesStore(tempFile())
    store.save([])
    writeFileSync(store.file, '{"version":1,')
    await expect(store.update(() => ({ profiles: [a], result: undefined }))).rejects.toMatchObject({
      code: 'profiles.invalid',
    })
    expect(readFileSync(store.file, 'utf8')).toBe('{"version":1,')
  })
})

describe('the app follows the file', () => {
  test('a profile written by someone else shows up, with connections:changed; removing it disconnects it from the list', async () => {
    const file = tempFile()
    mkdirSync(path.dirname(file), { recursive: true })
    const bus = new EventBus()
    const events: string[] = []
    bus.subscribe((name) => events.push(name))
    const app = new ConnectionManager(bus, undefined, { store: new ProfilesStore(file), watch: true })
    try {
      const cli = new ConnectionManager(new EventBus(), undefined, { store: new ProfilesStore(file) })
      await cli.save({
        name: 'From CLI',
        kind: 'dynamodb-local',
        endpoint: 'http://localhost:8000',
        region: 'us-east-1',
      })
      await vi.waitFor(() => expect(app.list().map((c) => c.id)).toContain('from-cli'), { timeout: 10_000 })
      expect(events).toContain('connections:changed')
      // The app saves after the CLI did: the CLI's profile stays.
      await app.save({ name: 'From app', kind: 'aws', region: 'eu-west-1' })
      expect(new ProfilesStore(file).load().profiles.map((p) => p.id)).toEqual(['from-cli', 'from-app'])
      await cli.remove('from-cli')
      await vi.waitFor(() => expect(app.list().map((c) => c.id)).not.toContain('from-cli'), {
        timeout: 10_000,
      })
    } finally {
      await app.dispose()
    }
  })
})

test('profileIdFor slugs and de-duplicates', () => {
  expect(profileIdFor('My Prod (EU)', new Set())).toBe('my-prod-eu')
  expect(profileIdFor('local', new Set(['local', 'local-2']))).toBe('local-3')
  expect(profileIdFor('!!!', new Set())).toBe('connection')
})
