import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { dispatch } from '../../shared/contract/dispatch'
import { createEngine, startEngineServer, type EngineServer } from '../../electron/engine'
import { Workbench } from '../../electron/services/workbench'
import { assertBuilt, cli, renamedCruddurModel } from './cli-helpers'

const userData = mkdtempSync(path.join(os.tmpdir(), 'tw-userdata-'))
const awsDir = mkdtempSync(path.join(os.tmpdir(), 'tw-aws-'))
const profilesFile = path.join(userData, 'connections.json')
const env = {
  TABLEWRIGHT_USER_DATA: userData,
  AWS_CONFIG_FILE: path.join(awsDir, 'config'),
  AWS_SHARED_CREDENTIALS_FILE: path.join(awsDir, 'credentials'),
}
const saved: Record<string, string | undefined> = {}
const workbenches: Workbench[] = []
const workbench = () => {
  const wb = new Workbench({ version: 'test', host: 'browser' })
  workbenches.push(wb)
  return wb
}
let engineServer: EngineServer

beforeAll(async () => {
  assertBuilt()
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k]
    process.env[k] = v
  }
  writeFileSync(
    env.AWS_CONFIG_FILE,
    '[profile twint]\nregion = us-east-1\n[profile sso-dev]\nsso_session = s\nregion = eu-west-1\n[sso-session s]\nsso_region = us-east-1\n',
  )
  writeFileSync(
    env.AWS_SHARED_CREDENTIALS_FILE,
    '[twint]\naws_access_key_id = twint\naws_secret_access_key = twint-secret\n',
  )
  engineServer = await startEngineServer(createEngine(), { port: 0, host: '127.0.0.1' })
})
afterAll(async () => {
  for (const wb of workbenches) await wb.dispose()
  await engineServer.close()
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
  rmSync(userData, { recursive: true, force: true })
  rmSync(awsDir, { recursive: true, force: true })
})

describe('saved connection profiles', () => {
  test('a saved profile is written to the user data folder and loaded by the next workbench', async () => {
    const wb = workbench()
    expect(wb.connections.list().map((c) => c.id)).toEqual(['embedded', 'local'])
    const r = await dispatch(wb.handlers, 'connections:save', {
      name: 'Local int',
      kind: 'dynamodb-local',
      endpoint: inject('ddbLocalEndpoint'),
      region: 'us-east-1',
      accessKeyId: 'profilesint',
      color: '#123456',
    })
    expect(r).toMatchObject({
      ok: true,
      value: { id: 'local-int', name: 'Local int', status: 'idle', readOnly: false },
    })
    const file = JSON.parse(readFileSync(profilesFile, 'utf8')) as { profiles: Record<string, unknown>[] }
    expect(file.profiles).toEqual([
      {
        id: 'local-int',
        name: 'Local int',
        kind: 'dynamodb-local',
        endpoint: inject('ddbLocalEndpoint'),
        region: 'us-east-1',
        accessKeyId: 'profilesint',
        color: '#123456',
      },
    ])

    const next = workbench()
    expect(next.connections.list().map((c) => c.id)).toEqual(['embedded', 'local', 'local-int'])
    const connected = await dispatch(next.handlers, 'connections:connect', { connectionId: 'local-int' })
    expect(connected).toMatchObject({ ok: true, value: { status: 'connected', active: true } })
  })

  test('secrets are refused at the boundary', async () => {
    const r = await dispatch(workbench().handlers, 'connections:save', {
      name: 'Leaky',
      kind: 'aws',
      region: 'us-east-1',
      secretAccessKey: 'nope',
    })
    expect(r).toMatchObject({ ok: false, code: 'input.invalid' })
    expect(readFileSync(profilesFile, 'utf8')).not.toContain('nope')
  })

  test('a Local endpoint with no tables says so on connect', async () => {
    const wb = workbench()
    const saved = await dispatch(wb.handlers, 'connections:save', {
      name: 'Empty engine',
      kind: 'dynamodb-local',
      endpoint: engineServer.endpoint,
      accessKeyId: 'myapp',
    })
    expect(saved.ok).toBe(true)
    const r = await dispatch(wb.handlers, 'connections:connect', { connectionId: 'empty-engine' })
    expect(r).toMatchObject({ ok: true, value: { status: 'connected' } })
    const message = (r as { value: { statusMessage?: string } }).value.statusMessage
    expect(message).toMatch(/No tables .*"myapp".*-sharedDb/s)
    expect((await dispatch(wb.handlers, 'connections:remove', { connectionId: 'empty-engine' })).ok).toBe(
      true,
    )
  })

  test('AWS named profiles: names, regions and SSO from the shared files, no keys', async () => {
    const r = await dispatch(workbench().handlers, 'connections:awsProfiles', {})
    expect(r).toEqual({
      ok: true,
      value: [
        // sso-dev signs in through an sso-session: the app shows it as SSO, with the `aws sso login` hint.
        { name: 'sso-dev', region: 'eu-west-1', sso: true },
        { name: 'twint', region: 'us-east-1' },
      ],
    })
  })

  test('the CLI uses a saved profile by name', async () => {
    const r = await cli(['list-tables', '--connection', 'Local int', '--json'], env)
    expect(r.code).toBe(0)
    expect(r.json()).toMatchObject({ ok: true, endpoint: inject('ddbLocalEndpoint') })
    const unknown = await cli(['list-tables', '--connection', 'nope', '--json'], env)
    expect(unknown.code).toBe(1)
    expect(unknown.json()).toMatchObject({ ok: false, code: 'connection.notFound' })
  })

  describe('an AWS-kind profile (named profile, endpoint override to DynamoDB Local) is read-only without --allow-writes', () => {
    const table = `profiles-aws-${process.pid}`
    let model: { dir: string; file: string }
    const run = (args: string[]) =>
      cli([...args, '--connection', 'Fake AWS', '--model', model.file, '--json'], env)

    beforeAll(async () => {
      model = await renamedCruddurModel(table)
      const r = await dispatch(workbench().handlers, 'connections:save', {
        name: 'Fake AWS',
        kind: 'aws',
        profile: 'twint',
        endpoint: inject('ddbLocalEndpoint'),
      })
      expect(r).toMatchObject({ ok: true, value: { kind: 'aws', readOnly: true } })
    })
    afterAll(async () => {
      await run(['drop', table, '--yes', '--allow-writes'])
      rmSync(model.dir, { recursive: true, force: true })
    })

    test('reads work, writes are refused by the guard, --allow-writes lets them through', async () => {
      const list = await run(['list-tables'])
      expect(list.code).toBe(0)

      const refused = await run(['schema-load'])
      expect(refused.code).toBe(1)
      expect(refused.json()).toMatchObject({ ok: false, code: 'connection.readOnly' })
      expect(refused.json().message).toMatch(/CreateTable refused.*--allow-writes/)
      expect(refused.stderr).toContain('error: connection.readOnly:')

      expect((await run(['schema-load', '--allow-writes'])).json()).toMatchObject({
        ok: true,
        tables: [{ table, status: 'created' }],
      })
      const seedRefused = await run(['seed'])
      expect(seedRefused.json()).toMatchObject({ ok: false, code: 'connection.readOnly' })
      const scan = await run(['scan', table])
      expect(scan.json()).toMatchObject({ ok: true, count: 0 })

      const dropRefused = await run(['drop', table, '--yes'])
      expect(dropRefused.json()).toMatchObject({ ok: false, code: 'connection.readOnly' })
      expect((await run(['describe', table])).json()).toMatchObject({ ok: true, table: { TableName: table } })
    })
  })

  test('profiles can be removed; built-in ones cannot', async () => {
    const wb = workbench()
    expect(await dispatch(wb.handlers, 'connections:remove', { connectionId: 'local-int' })).toEqual({
      ok: true,
      value: { removed: true },
    })
    expect(await dispatch(wb.handlers, 'connections:remove', { connectionId: 'embedded' })).toMatchObject({
      ok: false,
      code: 'input.invalid',
    })
    expect(
      workbench()
        .connections.list()
        .map((c) => c.id),
    ).not.toContain('local-int')
  })

  test('the CLI saves, lists and removes profiles in the same file', async () => {
    const saved = await cli(
      [
        'connections',
        'save',
        '--name',
        'From CLI',
        '--kind',
        'aws',
        '--profile',
        'twint',
        '--region',
        'eu-west-1',
        '--json',
      ],
      env,
    )
    expect(saved.code).toBe(0)
    expect(saved.json()).toMatchObject({
      ok: true,
      connection: { id: 'from-cli', kind: 'aws', region: 'eu-west-1', readOnly: true },
    })
    expect(
      workbench()
        .connections.list()
        .find((c) => c.id === 'from-cli'),
    ).toMatchObject({ profile: 'twint' })
    const bad = await cli(
      ['connections', 'save', '--name', 'Bad', '--kind', 'aws', '--region', 'nowhere'],
      env,
    )
    expect(bad.code).toBe(2)
    const listed = await cli(['connections', 'list', '--json'], env)
    expect((listed.json().connections as { id: string }[]).map((c) => c.id)).toContain('from-cli')
    expect((await cli(['connections', 'remove', 'from-cli', '--json'], env)).json()).toEqual({
      ok: true,
      removed: true,
    })
    expect(
      workbench()
        .connections.list()
        .map((c) => c.id),
    ).not.toContain('from-cli')
  })

  test('a corrupt profiles file is reported, not overwritten, and the CLI names it', async () => {
    const corrupt = '{"version":1,"profiles":[{"id":"half"'
    writeFileSync(profilesFile, corrupt)
    const wb = workbench()
    expect(wb.connections.profilesError?.code).toBe('profiles.invalid')
    expect(wb.connections.list().map((c) => c.id)).toEqual(['embedded', 'local'])
    const r = await dispatch(wb.handlers, 'connections:save', {
      name: 'Another',
      kind: 'dynamodb-local',
      endpoint: 'http://localhost:8000',
    })
    expect(r).toMatchObject({ ok: false, code: 'profiles.invalid' })
    expect(readFileSync(profilesFile, 'utf8')).toBe(corrupt)

    const c = await cli(['list-tables', '--connection', 'anything', '--json'], env)
    expect(c.code).toBe(1)
    expect(c.json()).toMatchObject({ ok: false, code: 'profiles.invalid' })
    expect(c.json().message).toContain(profilesFile)
  })
})
