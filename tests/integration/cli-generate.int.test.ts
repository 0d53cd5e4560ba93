import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { assertBuilt, cli, renamedCruddurModel, spawnEngine, type SpawnedEngine } from './cli-helpers'

type Row = Record<string, unknown>

/**
 * The model's generator (data in the model file, run by the generic engine) and parameter suggestions, through
 * the CLI on our engine, with the Cruddur model copied to a temp folder outside the repo.
 */
describe('seed --generate and suggest on the tablewright engine', () => {
  let engine: SpawnedEngine
  let model: { dir: string; file: string }
  const table = `cli-gen-${process.pid}`
  const conn = () => ['--endpoint', engine.endpoint, '--model', model.file, '--json']

  beforeAll(async () => {
    assertBuilt()
    engine = await spawnEngine()
    model = await renamedCruddurModel(table)
    expect((await cli(['schema-load', ...conn()])).code).toBe(0)
  })
  afterAll(async () => {
    await cli(['drop', table, '--yes', ...conn()])
    rmSync(model.dir, { recursive: true, force: true })
    expect(await engine.stop()).toBe(0)
  })

  const scanAll = async (): Promise<Row[]> => {
    const r = await cli(['scan', table, ...conn()])
    expect(r.code).toBe(0)
    return r.json().items as Row[]
  }

  test('the built-in samples are found in the seeds folder', async () => {
    const r = await cli(['models', '--json'])
    expect(r.code).toBe(0)
    expect(JSON.stringify(r.json())).toContain('"cruddur"')
  })

  test('generates K messages and two conversation rows per active conversation; the same again for the seed', async () => {
    const first = await cli(['seed', '--generate', 'users=5,conversations=4,messages=40,seed=3', ...conn()])
    expect(first.code).toBe(0)
    const doc = first.json() as { generator: unknown; tables: { table: string; written: number }[] }
    expect(doc.generator).toEqual({ seed: 3, counts: { users: 5, conversations: 4, messages: 40 } })
    const items = await scanAll()
    expect(doc.tables).toEqual([expect.objectContaining({ table, written: items.length })])
    const messages = items.filter((i) => String(i.pk).startsWith('MSG#'))
    expect(messages).toHaveLength(40)
    const groups = new Set(messages.map((m) => String(m.pk).slice(4)))
    expect(groups.size).toBeGreaterThan(0)
    expect(groups.size).toBeLessThanOrEqual(4)
    expect(items).toHaveLength(40 + 2 * groups.size)
    for (const g of groups) {
      const own = messages.filter((m) => m.pk === `MSG#${g}`).map((m) => String(m.sk))
      const newest = own.sort()[own.length - 1]
      const rows = items.filter((i) => i.message_group_uuid === g)
      expect(rows).toHaveLength(2)
      for (const r of rows) expect(r.sk).toBe(newest)
    }

    // A table that holds items needs --yes; with it the same seed writes the very same items.
    const again = await cli(['seed', '--generate', 'users=5,conversations=4,messages=40,seed=3', ...conn()])
    expect(again.code).toBe(1)
    expect(again.json()).toMatchObject({ ok: false, code: 'confirm.required' })
    const yes = await cli([
      'seed',
      '--generate',
      'users=5,conversations=4,messages=40,seed=3',
      '--yes',
      ...conn(),
    ])
    expect(yes.code).toBe(0)
    const key = (i: Row) => `${String(i.pk)}|${String(i.sk)}`
    expect((await scanAll()).map(key).sort()).toEqual(items.map(key).sort())
  })

  test('counts the generator cannot meet, or that name nothing, are usage errors naming the count', async () => {
    const pairs = await cli(['seed', '--generate', 'users=3,conversations=4', ...conn()])
    expect(pairs.code).toBe(2)
    expect(pairs.json()).toMatchObject({ ok: false, code: 'input.invalid' })
    expect(String(pairs.json().message)).toMatch(/counts\.conversations: only 3 /)
    const unknown = await cli(['seed', '--generate', 'colours=3', ...conn()])
    expect(unknown.code).toBe(2)
    expect(String(unknown.json().message)).toContain('known: users, conversations, messages, seed')
  })

  test('suggest lists the distinct values of a bound parameter, labelled, with the parameters they fill', async () => {
    // Its own data (generating is idempotent for a seed), so the test does not lean on the one above.
    const seeded = await cli([
      'seed',
      '--generate',
      'users=6,conversations=5,messages=60,seed=9',
      '--yes',
      ...conn(),
    ])
    expect(seeded.code).toBe(0)
    const items = await scanAll()
    const groupUuids = new Set(items.filter((i) => i.message_group_uuid).map((i) => i.message_group_uuid))
    const groups = await cli(['suggest', '--pattern', 'A', '--param', 'message_group_uuid', ...conn()])
    expect(groups.code).toBe(0)
    const g = groups.json() as { suggestions: { value: string; label: string }[]; table: string }
    expect(g.table).toBe(table)
    expect(new Set(g.suggestions.map((s) => s.value))).toEqual(groupUuids)
    for (const s of g.suggestions) expect(s.label).toMatch(/^@\w+: /)

    const users = await cli(['suggest', '--recipe', 'send-message', '--param', 'user_uuid', ...conn()])
    expect(users.code).toBe(0)
    const u = users.json() as {
      suggestions: { value: string; label: string; companions: Record<string, string> }[]
    }
    const senders = new Map(items.filter((i) => i.user_uuid).map((i) => [i.user_uuid, i.user_handle]))
    expect(u.suggestions).toHaveLength(senders.size)
    for (const s of u.suggestions) {
      expect(s.companions.user_handle).toBe(senders.get(s.value))
      expect(s.label).toBe(`@${s.companions.user_handle} (${s.companions.user_display_name})`)
    }

    // Readable output: one line per value, with what it fills.
    const text = await cli([
      'suggest',
      '--pattern',
      'B',
      '--param',
      'user_uuid',
      '--query',
      'a',
      ...conn().slice(0, -1),
    ])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/VALUE\s+LABEL\s+FILLS/)

    const unbound = await cli(['suggest', '--pattern', 'A', '--param', 'year', ...conn()])
    expect(unbound.code).toBe(1)
    expect(unbound.json()).toMatchObject({ ok: false, code: 'input.invalid' })
    const missing = await cli(['suggest', '--pattern', 'A', '--param', 'nope', ...conn()])
    expect(missing.code).toBe(2)
    expect(String(missing.json().message)).toContain('parameters: message_group_uuid, year')
  })
})
