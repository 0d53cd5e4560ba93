import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { WorkbenchError } from '../../services/errors'
import { ProfilesStore } from '../../services/profiles.store'
import { CliFailure, EXIT } from '../output'
import { DEFAULT_ENDPOINT, resolveProfile, toFailure } from './context'

const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-ctx-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const store = new ProfilesStore(path.join(dir, 'connections.json'))
store.save([
  { id: 'prod', name: 'Prod EU', kind: 'aws', region: 'eu-west-1', profile: 'prod' },
  {
    id: 'my-local',
    name: 'My Local',
    kind: 'dynamodb-local',
    region: 'us-east-1',
    endpoint: 'http://localhost:8001',
    accessKeyId: 'app',
  },
])
const fromStore = () => store

test('nothing given: the default endpoint, marked implicit', () => {
  expect(resolveProfile({})).toEqual({
    profile: {
      id: 'cli',
      name: DEFAULT_ENDPOINT,
      kind: 'dynamodb-local',
      endpoint: DEFAULT_ENDPOINT,
      region: 'us-east-1',
      accessKeyId: 'local',
    },
    implicit: true,
  })
})

test('--profile without --endpoint is AWS; with --endpoint it is AWS rules at that endpoint', () => {
  expect(resolveProfile({ profile: 'dev' }).profile).toMatchObject({
    kind: 'aws',
    profile: 'dev',
    endpoint: undefined,
  })
  expect(resolveProfile({ profile: 'dev', endpoint: 'http://x:1' }).profile).toMatchObject({
    kind: 'aws',
    endpoint: 'http://x:1',
  })
  expect(resolveProfile({ aws: true, region: 'ap-south-1' }).profile).toMatchObject({
    kind: 'aws',
    region: 'ap-south-1',
  })
})

test('--connection finds a saved profile by name (any case) or id, with overrides', () => {
  expect(resolveProfile({ connection: 'prod eu' }, fromStore).profile).toMatchObject({
    id: 'prod',
    kind: 'aws',
    region: 'eu-west-1',
  })
  expect(
    resolveProfile({ connection: 'prod', endpoint: 'http://127.0.0.1:9' }, fromStore).profile,
  ).toMatchObject({ kind: 'aws', endpoint: 'http://127.0.0.1:9' })
  expect(resolveProfile({ connection: 'my-local', region: 'eu-west-2' }, fromStore).profile).toMatchObject({
    accessKeyId: 'app',
    region: 'eu-west-2',
  })
})

test('--connection refuses unknown names and in-app-only connections', () => {
  expect(() => resolveProfile({ connection: 'nope' }, fromStore)).toThrow(/no saved connection "nope"/)
  expect(() => resolveProfile({ connection: 'embedded' }, fromStore)).toThrow(/tablewright engine/)
  expect(() => resolveProfile({ connection: 'local' }, fromStore)).toThrow(/--endpoint/)
  expect(() => resolveProfile({ connection: 'prod', profile: 'x' }, fromStore)).toThrow(CliFailure)
})

test('toFailure: coded errors keep their code; bad pattern parameters are usage errors', () => {
  const params = toFailure(new WorkbenchError('pattern.invalidParams', 'pattern A: x: not a uuid'), false)
  expect(params.exitCode).toBe(EXIT.usage)
  const readOnly = toFailure(new WorkbenchError('connection.readOnly', 'PutItem refused'), false)
  expect(readOnly.exitCode).toBe(EXIT.failed)
  expect(readOnly.message).toBe('connection.readOnly: PutItem refused (pass --allow-writes to allow them)')
  const sdk = toFailure(
    Object.assign(new Error('Requested resource not found'), {
      name: 'ResourceNotFoundException',
      $metadata: {},
    }),
    false,
  )
  expect(sdk.code).toBe('table.notFound')
  const f = toFailure(resolveError(), false)
  expect(f.code).toBe('connection.notFound')
  expect(f.message).toMatch(/^connection\.notFound: /)
})

function resolveError(): unknown {
  try {
    resolveProfile({ connection: 'nope' }, fromStore)
  } catch (e) {
    return e
  }
  throw new Error('expected a failure')
}
