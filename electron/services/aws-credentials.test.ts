import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { awsCredentials, credentialsError, listAwsProfiles, parseIni } from './aws-credentials'
import { WorkbenchError } from './errors'
import { failingProcessConfig } from '../../tests/support/aws-fixtures'

const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-aws-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('parseIni reads sections and keys, skipping comments and nested lines', () => {
  const ini = parseIni(
    '# c\n[default]\nregion = us-east-1\n; c\n[profile a]\ns3 =\n  max_concurrent_requests = 2\nregion=eu-west-1\n',
  )
  expect(ini.get('default')).toEqual({ region: 'us-east-1' })
  expect(ini.get('profile a')).toEqual({ s3: '', region: 'eu-west-1' })
})

test('listAwsProfiles: names and regions from both files, never keys, honouring the env vars', async () => {
  const config = path.join(dir, 'config')
  const credentials = path.join(dir, 'credentials')
  writeFileSync(
    config,
    '[default]\nregion = us-east-2\n[profile dev]\nregion = eu-west-1\nsso_session = s\n[sso-session s]\nsso_region = us-east-1\n',
  )
  writeFileSync(
    credentials,
    '[dev]\naws_access_key_id = AKIA\naws_secret_access_key = SECRET\n[ci]\naws_access_key_id = AKIB\n',
  )
  const profiles = await listAwsProfiles({
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: credentials,
  })
  expect(profiles).toEqual([
    { name: 'ci' },
    { name: 'default', region: 'us-east-2' },
    { name: 'dev', region: 'eu-west-1', sso: true },
  ])
  expect(JSON.stringify(profiles)).not.toMatch(/AKIA|SECRET/)
})

test('listAwsProfiles with no files is empty', async () => {
  expect(
    await listAwsProfiles({
      AWS_CONFIG_FILE: path.join(dir, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none2'),
    }),
  ).toEqual([])
})

test('an expired SSO session names the fix', () => {
  const e = credentialsError(
    new Error('The SSO session associated with this profile has expired or is otherwise invalid.'),
    'dev',
    () => {},
  )
  expect(e.code).toBe('connection.credentials')
  expect(e.message).toContain('aws sso login --profile dev')
})

test('a missing SSO token through fromIni is a coded error naming aws sso login, not a hang', async () => {
  const config = path.join(dir, 'config-sso')
  writeFileSync(
    config,
    '[profile sso]\nsso_session = s\nsso_account_id = 111111111111\nsso_role_name = r\nregion = eu-west-1\n[sso-session s]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n',
  )
  const saved = { c: process.env.AWS_CONFIG_FILE, h: process.env.HOME }
  process.env.AWS_CONFIG_FILE = config
  // The SSO token cache lives under ~/.aws/sso/cache: point HOME at an empty folder so there is none.
  process.env.HOME = dir
  try {
    await expect(awsCredentials('sso', undefined, () => {})()).rejects.toMatchObject({
      code: 'connection.credentials',
      message: expect.stringContaining('aws sso login --profile sso'),
    })
  } finally {
    process.env.AWS_CONFIG_FILE = saved.c
    process.env.HOME = saved.h
  }
})

test('a failing credential_process: the message names the profile and the fix, the command line and stderr stay in the log', async () => {
  const { config, secret } = failingProcessConfig(dir)
  const saved = { c: process.env.AWS_CONFIG_FILE, s: process.env.AWS_SHARED_CREDENTIALS_FILE }
  process.env.AWS_CONFIG_FILE = config
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'none')
  const logged: string[] = []
  try {
    const err = (await awsCredentials('broken', undefined, (l) => logged.push(l))().catch(
      (e: unknown) => e,
    )) as WorkbenchError
    expect(err).toBeInstanceOf(WorkbenchError)
    expect(err.code).toBe('connection.credentials')
    expect(err.message).toContain('profile "broken"')
    expect(err.message).toContain('credential_process')
    expect(err.details).toEqual({ profile: 'broken', reason: 'process' })
    const crossing = JSON.stringify(err.toResult())
    expect(crossing).not.toContain(secret)
    expect(crossing).not.toContain('fail-creds.sh')
    // The raw text (which does hold the secret) is kept for main's log.
    expect(logged.join('\n')).toContain(secret)
  } finally {
    process.env.AWS_CONFIG_FILE = saved.c
    process.env.AWS_SHARED_CREDENTIALS_FILE = saved.s
  }
})

test('no provider text reaches the message for an unrecognised failure either', () => {
  const e = credentialsError(new Error('upstream said: password=hunter2'), 'dev', () => {})
  expect(e.message).not.toContain('hunter2')
  expect(e.message).toContain('profile "dev"')
  expect(JSON.stringify(e.details)).not.toContain('hunter2')
})
