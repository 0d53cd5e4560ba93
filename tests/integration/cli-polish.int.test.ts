import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { assertBuilt, cli, renamedCruddurModel, spawnEngine, type SpawnedEngine } from './cli-helpers'

// The CLI's answers to typing mistakes (issue 15): names that are nearly right, parameters a pattern does not take,
// an endpoint without its scheme, a profile that is not there; and stream-process's one-line summary. All against a
// `tablewright engine` of this test's own.

let engine: SpawnedEngine
let model: { dir: string; file: string }
const table = `cli-polish-${process.pid}`
const conn = () => ['--endpoint', engine.endpoint, '--model', model.file]

beforeAll(async () => {
  assertBuilt()
  engine = await spawnEngine()
  model = await renamedCruddurModel(table)
  const loaded = await cli(['schema-load', ...conn(), '--json'])
  expect(loaded.code).toBe(0)
  const seeded = await cli(['seed', ...conn(), '--json'])
  expect(seeded.code).toBe(0)
})
afterAll(async () => {
  expect(await engine.stop()).toBe(0)
  rmSync(model.dir, { recursive: true, force: true })
})

describe('not-found errors name what is missing and suggest the nearest names', () => {
  test('a misspelt table: named, with the table that is there', async () => {
    const typo = table.replace('polish', 'polsh')
    for (const command of [
      ['describe', typo],
      ['scan', typo],
      ['drop', typo, '--yes'],
    ]) {
      const r = await cli([...command, ...conn(), '--json'])
      expect(r.code).toBe(1)
      expect(r.json()).toEqual({
        ok: false,
        code: 'table.notFound',
        message: `no table "${typo}" at ${engine.endpoint}. Did you mean "${table}"?`,
      })
      expect(r.stderr).toContain(`error: table.notFound: no table "${typo}"`)
    }
  })

  test('a table nothing is near: the tables at the connection are listed', async () => {
    const r = await cli(['describe', 'zzzzzzzz', ...conn(), '--json'])
    expect(r.code).toBe(1)
    expect(r.json().message).toMatch(new RegExp(`^no table "zzzzzzzz" at .*\\. Tables here: .*${table}`))
  })

  test('a pattern id in the wrong case', async () => {
    const r = await cli(['pattern', 'a2', ...conn(), '--json'])
    expect(r.code).toBe(1)
    expect(r.json()).toMatchObject({ ok: false, code: 'pattern.notFound' })
    expect(r.json().message).toContain('(valid: A, A2, B, C, D). Did you mean "A2"?')
  })
})

describe('--param', () => {
  test('a misspelt parameter is suggested, and every parameter of the pattern is listed', async () => {
    const r = await cli(['pattern', 'A', '--param', 'mesage_group_uuid=x', ...conn(), '--json'])
    expect(r.code).toBe(2)
    expect(r.json()).toMatchObject({ ok: false, code: 'pattern.invalidParams' })
    const message = String(r.json().message)
    expect(message).toContain(
      'mesage_group_uuid: not a parameter of pattern A. Did you mean "message_group_uuid"?',
    )
    expect(message).toMatch(
      /Parameters of A: message_group_uuid \(uuid, default "[0-9a-f-]{36}"\), year \(string/,
    )
  })

  test('a parameter far from every name still gets the list', async () => {
    const r = await cli(['pattern', 'B', '--param', 'colour=red', ...conn(), '--json'])
    expect(r.code).toBe(2)
    expect(r.json().message).toMatch(
      /colour: not a parameter of pattern B\. Parameters of B: user_uuid \(uuid/,
    )
  })

  test('pattern --help lists each pattern with its parameters; pattern A --help only A, with descriptions', async () => {
    const all = await cli(['pattern', '--help', '--model', model.file])
    expect(all.code).toBe(0)
    expect(all.stdout).toContain('Patterns of model cruddur')
    for (const id of ['A', 'A2', 'B', 'C', 'D']) expect(all.stdout).toMatch(new RegExp(`^  ${id} +\\S`, 'm'))
    expect(all.stdout).toMatch(/--param user_uuid=… +\(uuid, default/)
    expect(all.stdout).toMatch(/--param message=… +\(string, required\)/)

    const one = await cli(['pattern', 'A', '--help', '--model', model.file])
    expect(one.stdout).toMatch(/--param year=… +\(string, default "2026"\): \S/)
    expect(one.stdout).not.toMatch(/^ {2}B /m)
  })
})

describe('--endpoint without a scheme is refused with an example', () => {
  test.each([
    [['scan', table, '--endpoint', 'localhost:8000', '--json'], 'http://localhost:8000'],
    [['list-tables', '--endpoint', '127.0.0.1:8000', '--json'], 'http://127.0.0.1:8000'],
    [['engine-clock', '--endpoint', 'localhost', '--json'], 'http://localhost'],
  ])('%j', async (args, example) => {
    const r = await cli(args)
    expect(r.code).toBe(2)
    expect(r.json()).toEqual({
      ok: false,
      code: 'input.invalid',
      message: `--endpoint needs a URL starting with http:// or https://, e.g. --endpoint ${example} (got "${args[args.indexOf('--endpoint') + 1]}")`,
    })
  })

  test('ping too (exit 2, no JSON form)', async () => {
    const r = await cli(['ping', '--endpoint', 'localhost:8000'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('e.g. --endpoint http://localhost:8000')
  })
})

test('--limit states its range without a 16-digit bound', async () => {
  const r = await cli(['pattern', 'A', '--limit', '0', ...conn()])
  expect(r.code).toBe(2)
  expect(r.stderr).toContain('error: input.invalid: --limit must be a whole number, 1 or more, got "0"')
})

describe('stream-process', () => {
  test('ends with one summary line; --verbose prints each record and step', async () => {
    const r = await cli(['stream-process', '--from', 'trim_horizon', ...conn()])
    expect(r.code).toBe(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(1)
    const m = new RegExp(
      `^${table}: (\\d+) records in (\\d+) batch(?:es)?, 0 retries, 0 errors; handler: (\\d+) writes?, (\\d+) records? skipped \\(--verbose shows each record and step\\)$`,
    ).exec(lines[0]!)
    expect(m, lines[0]).not.toBeNull()

    const json = await cli(['stream-process', '--from', 'trim_horizon', ...conn(), '--json'])
    const summary = json.json().summary as { records: number; batches: number }
    expect(Number(m![1])).toBe(summary.records)
    expect(Number(m![2])).toBe(summary.batches)
    expect(summary.records).toBeGreaterThan(100)

    const verbose = await cli(['stream-process', '--from', 'trim_horizon', '--verbose', ...conn()])
    expect(verbose.code).toBe(0)
    const detail = verbose.stdout.trimEnd().split('\n')
    // A line per batch, one per record and at least one per step, then the same summary without the hint.
    expect(detail.length).toBeGreaterThan(summary.records * 2)
    expect(detail.at(-1)).toBe(lines[0]!.replace(' (--verbose shows each record and step)', ''))
  })
})

describe('a saved or given AWS profile that does not exist is warned about', () => {
  let awsDir: string
  let env: NodeJS.ProcessEnv
  beforeAll(() => {
    awsDir = mkdtempSync(path.join(os.tmpdir(), 'tw-cli-aws-'))
    writeFileSync(path.join(awsDir, 'config'), '[profile dev]\nregion = us-east-1\n')
    writeFileSync(
      path.join(awsDir, 'credentials'),
      '[dev]\naws_access_key_id = local\naws_secret_access_key = local\n',
    )
    env = {
      AWS_CONFIG_FILE: path.join(awsDir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(awsDir, 'credentials'),
    }
  })
  afterAll(() => rmSync(awsDir, { recursive: true, force: true }))

  test('--profile with a near name: warned, naming the files and the nearest profile', async () => {
    const r = await cli(['list-tables', '--profile', 'dve', '--endpoint', engine.endpoint, '--json'], env)
    expect(r.stderr).toContain(
      `warning: AWS profile "dve" is not in ${env.AWS_CONFIG_FILE} or ${env.AWS_SHARED_CREDENTIALS_FILE} (profiles there: dev). Did you mean "dev"?`,
    )
  })

  test('a saved connection whose profile is gone: warned when saved and when used', async () => {
    const saved = await cli(
      ['connections', 'save', '--name', 'gone', '--kind', 'aws', '--profile', 'retired', '--json'],
      env,
    )
    expect(saved.code).toBe(0)
    expect(saved.stderr).toContain('warning: AWS profile "retired" is not in')
    const used = await cli(
      ['list-tables', '--connection', 'gone', '--endpoint', engine.endpoint, '--json'],
      env,
    )
    expect(used.stderr).toContain('warning: AWS profile "retired" is not in')
  })

  test('a profile that exists: no warning, and the command runs', async () => {
    const r = await cli(['list-tables', '--profile', 'dev', '--endpoint', engine.endpoint, '--json'], env)
    expect(r.stderr).not.toContain('warning')
    expect(r.code).toBe(0)
    expect(r.json()).toMatchObject({ ok: true })
  })
})

describe('the start-up fast paths answer as the full CLI does', () => {
  test('--version and -v print package.json version', async () => {
    const { version } = JSON.parse(readFileSync(path.join(process.cwd(), 'package.json'), 'utf8')) as {
      version: string
    }
    for (const flag of ['--version', '-v']) {
      const r = await cli([flag])
      expect(r.code).toBe(0)
      expect(r.stdout).toBe(`${version}\n`)
    }
  })

  test('engine --help and a mistyped engine option go through commander, with every option listed', async () => {
    const help = await cli(['engine', '--help'])
    expect(help.code).toBe(0)
    for (const flag of [
      '--port',
      '--host',
      '--region',
      '--clock-start',
      '--clock-frozen',
      '--ttl-sweep',
      '--data-dir',
    ])
      expect(help.stdout).toContain(flag)
    const typo = await cli(['engine', '--prot', '0'])
    expect(typo.code).toBe(2)
    expect(typo.stderr).toContain("error: unknown option '--prot'\n(Did you mean --port?)")
  })
})
