import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { profileIdFor, ProfilesStore, userDataDir } from './profiles.store'
import { WorkbenchError } from './errors'

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
    expect(userDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u')).toContain('Tablewright')
  })
})

describe('ProfilesStore', () => {
  test('a missing file is no profiles and no error', () => {
    expect(new ProfilesStore(tempFile()).load()).toEqual({ profiles: [] })
  })

  test('saves and loads back', () => {
    const store = new ProfilesStore(tempFile())
    const p = { id: 'prod', name: 'Prod', kind: 'aws' as const, region: 'eu-west-1', profile: 'prod-admin', color: '#ff0000' }
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
      JSON.stringify({ version: 1, profiles: [{ id: 'l', name: 'L', kind: 'dynamodb-local', region: 'us-east-1', secretAccessKey: 'x' }] }),
    )
    const loaded = store.load()
    expect(loaded.error?.code).toBe('profiles.invalid')
    expect(loaded.error?.message).toMatch(/secretAccessKey/)
  })

  test('duplicate ids are invalid', () => {
    const store = new ProfilesStore(tempFile())
    const p = { id: 'a', name: 'A', kind: 'dynamodb-local' as const, region: 'us-east-1', endpoint: 'http://localhost:8000' }
    store.save([])
    writeFileSync(store.file, JSON.stringify({ version: 1, profiles: [p, p] }))
    expect(store.load().error?.message).toMatch(/twice/)
  })
})

test('profileIdFor slugs and de-duplicates', () => {
  expect(profileIdFor('My Prod (EU)', new Set())).toBe('my-prod-eu')
  expect(profileIdFor('local', new Set(['local', 'local-2']))).toBe('local-3')
  expect(profileIdFor('!!!', new Set())).toBe('connection')
})
