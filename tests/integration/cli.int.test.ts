import { rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { assertBuilt, cli, renamedCruddurModel, spawnEngine, type SpawnedEngine } from './cli-helpers'

type Row = Record<string, unknown>

let engine: SpawnedEngine
beforeAll(async () => {
  assertBuilt()
  engine = await spawnEngine()
})
afterAll(async () => {
  // SIGTERM must stop the engine cleanly (exit 0).
  expect(await engine.stop()).toBe(0)
})

const targets = [
  { name: 'DynamoDB Local', endpoint: () => inject('ddbLocalEndpoint'), table: `cli-int-${process.pid}` },
  { name: 'tablewright engine', endpoint: () => engine.endpoint, table: `cli-int-engine-${process.pid}` },
]

describe.each(targets)('CLI against $name', ({ endpoint, table }) => {
  let model: { dir: string; file: string }
  const conn = () => ['--endpoint', endpoint(), '--model', model.file, '--json']

  beforeAll(async () => {
    model = await renamedCruddurModel(table)
  })
  afterAll(async () => {
    await cli(['drop', table, '--yes', ...conn()])
    rmSync(model.dir, { recursive: true, force: true })
  })

  const scanAll = async (): Promise<Row[]> => {
    const r = await cli(['scan', table, ...conn()])
    expect(r.code).toBe(0)
    return r.json().items as Row[]
  }

  test('schema-load creates the table, then reports it as existing with no differences', async () => {
    const first = await cli(['schema-load', ...conn()])
    expect(first.code).toBe(0)
    expect(first.json()).toMatchObject({ ok: true, tables: [{ table, status: 'created' }] })
    const second = await cli(['schema-load', ...conn()])
    expect(second.code).toBe(0)
    expect(second.json()).toMatchObject({ ok: true, tables: [{ table, status: 'exists', differences: [] }] })
  })

  test('seed writes the sample items; a second seed needs --yes and leaves the same items', async () => {
    const seeded = await cli(['seed', ...conn()])
    expect(seeded.code).toBe(0)
    const written = (seeded.json().tables as { written: number }[])[0]!.written
    expect(written).toBeGreaterThan(0)
    const before = await scanAll()
    expect(before).toHaveLength(written)

    const refused = await cli(['seed', ...conn()])
    expect(refused.code).toBe(1)
    expect(refused.json()).toMatchObject({ ok: false, code: 'confirm.required' })
    expect(refused.stderr).toContain('error: confirm.required:')
    expect(refused.json().message).toMatch(new RegExp(`${table} already holds \\d+ item`))

    const again = await cli(['seed', '--yes', ...conn()])
    expect(again.code).toBe(0)
    const after = await scanAll()
    const keys = (rows: Row[]) => rows.map((r) => `${String(r.pk)}|${String(r.sk)}`).sort()
    expect(keys(after)).toEqual(keys(before))
  })

  test('scan in parallel segments reads the same items, and --limit stops early', async () => {
    const all = await scanAll()
    const parallel = await cli(['scan', table, '--segments', '3', ...conn()])
    expect(parallel.code).toBe(0)
    expect(parallel.json().count).toBe(all.length)
    const limited = await cli(['scan', table, '--limit', '5', ...conn()])
    expect(limited.json()).toMatchObject({ count: 5, truncated: true })
  })

  test('pattern A is a Query fetched newest first and shown oldest → newest, with its expectations held', async () => {
    const r = await cli(['pattern', 'A', ...conn()])
    expect(r.code).toBe(0)
    const out = r.json()
    expect(out.operation).toBe('Query')
    expect(out.request).toMatchObject({ TableName: table, ScanIndexForward: false, Limit: 20 })
    const shown = (out.items as Row[]).map((i) => String(i.sk))
    const returned = (out.returnedOrder as Row[]).map((i) => String(i.sk))
    expect(shown).toHaveLength(20)
    expect(shown).toEqual([...shown].sort())
    expect(returned).toEqual([...shown].reverse())
    // The page is the newest 20 of the conversation.
    const all = (await scanAll())
      .filter((i) => i.pk === (out.items as Row[])[0]!.pk)
      .map((i) => String(i.sk))
      .sort()
    expect(shown).toEqual(all.slice(-20))
    expect((out.expectations as { held: boolean }[]).every((e) => e.held)).toBe(true)
    expect(out.consumedCapacity).toMatchObject({ TableName: table })
  })

  test('readable pattern output names the operation and prints the request', async () => {
    const r = await cli(['pattern', 'B', '--endpoint', endpoint(), '--model', model.file])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Served by: Query')
    expect(r.stdout).toContain('"KeyConditionExpression": "pk = :pk"')
    expect(r.stdout).toMatch(/Expectations:\n {2}✓ /)
  })

  test('send-message runs C then D through the stream: every conversation row equals its newest message', async () => {
    const existing = await cli([
      'send-message',
      '--from',
      '@andrewbrown',
      '--to',
      '@bayko',
      '--text',
      'via the CLI',
      ...conn(),
    ])
    expect(existing.code).toBe(0)
    const sent = existing.json()
    expect(sent).toMatchObject({ ok: true, mode: 'stream', startedConversation: false })
    expect((sent.steps as { kind: string }[]).map((s) => s.kind)).toEqual(['lookup', 'put', 'stream'])
    const started = await cli([
      'send-message',
      '--from',
      '@londo',
      '--to',
      '@bayko',
      '--text',
      'a new conversation',
      ...conn(),
    ])
    expect(started.code).toBe(0)
    expect(started.json()).toMatchObject({ startedConversation: true })

    const rows = await scanAll()
    const newest = new Map<string, Row>()
    for (const r of rows.filter((x) => String(x.pk).startsWith('MSG#'))) {
      const g = String(r.pk).slice(4)
      if (!newest.has(g) || String(newest.get(g)!.sk) < String(r.sk)) newest.set(g, r)
    }
    const conversations = rows.filter((x) => String(x.pk).startsWith('GRP#'))
    expect(conversations.length).toBeGreaterThanOrEqual(6)
    for (const c of conversations) {
      const m = newest.get(String(c.message_group_uuid))
      expect(m, `conversation ${String(c.message_group_uuid)}`).toBeDefined()
      expect({ sk: c.sk, message: c.message }).toEqual({ sk: m!.sk, message: m!.message })
    }
    expect(newest.get(String((sent.message as Row).pk).slice(4))!.message).toBe('via the CLI')
  })

  test('stream-process reads the stream and runs the handler (nothing left to move)', async () => {
    const r = await cli(['stream-process', ...conn()])
    expect(r.code).toBe(0)
    const out = r.json()
    expect(out).toMatchObject({ ok: true, mode: 'stream', table })
    expect(out.records).toBeGreaterThan(0)
    const moves = (out.reports as { steps: { kind: string }[] }[])
      .flatMap((x) => x.steps)
      .filter((s) => ['transact', 'put', 'delete'].includes(s.kind))
    expect(moves).toEqual([])
  })

  test('failures exit 1 with a coded JSON document', async () => {
    const missing = await cli(['describe', `${table}-nope`, ...conn()])
    expect(missing.code).toBe(1)
    expect(missing.json()).toEqual({ ok: false, code: 'table.notFound', message: expect.any(String) })
    const drop = await cli(['drop', table, ...conn()])
    expect(drop.code).toBe(1)
    expect(drop.json()).toMatchObject({ ok: false, code: 'confirm.required' })
    expect(drop.json().message).toMatch(/deletes its \d+ item/)
    const still = await cli(['describe', table, ...conn()])
    expect(still.code).toBe(0)
    expect(still.json()).toMatchObject({ ok: true, table: { TableName: table, TableStatus: 'ACTIVE' } })
  })
})

describe('CLI usage and setup errors', () => {
  test('unknown option, missing argument and bad --param exit 2', async () => {
    expect((await cli(['scan', '--bogus'])).code).toBe(2)
    expect((await cli(['describe'])).code).toBe(2)
    const badParam = await cli(['pattern', 'A', '--param', 'novalue', '--endpoint', engine.endpoint])
    expect(badParam.code).toBe(2)
    expect(badParam.stderr).toContain('error: input.invalid:')
    const badUuid = await cli([
      'pattern',
      'A',
      '--param',
      'message_group_uuid=nope',
      '--endpoint',
      engine.endpoint,
      '--json',
    ])
    expect(badUuid.code).toBe(2)
    expect(badUuid.json()).toMatchObject({ ok: false, code: 'pattern.invalidParams' })
  })

  test('a bad --model file is rejected with the field named', async () => {
    const file = path.join(await renamedCruddurModel('unused-table').then((m) => m.dir), 'bad.json')
    writeFileSync(
      file,
      JSON.stringify({
        name: 'bad',
        tables: [
          {
            name: 'bad-table',
            attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
            keySchema: [{ attributeName: 'pk', keyType: 'SIDEWAYS' }],
            billingMode: 'PAY_PER_REQUEST',
          },
        ],
      }),
    )
    const r = await cli(['schema-load', '--model', file, '--endpoint', engine.endpoint, '--json'])
    expect(r.code).toBe(1)
    expect(r.json()).toMatchObject({ ok: false, code: 'model.invalid' })
    expect(r.json().message).toContain('tables[0].keySchema[0].keyType')
    rmSync(path.dirname(file), { recursive: true, force: true })
  })

  test('nothing answering at the endpoint is a clear error suggesting `tablewright engine`', async () => {
    const stopped = await spawnEngine()
    const dead = stopped.endpoint
    expect(await stopped.stop()).toBe(0)
    const r = await cli(['list-tables', '--endpoint', dead])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/error: connection\.unavailable: nothing answers at .*tablewright engine/)
  })

  test('an empty endpoint says so and suggests matching the key id / region or -sharedDb', async () => {
    const fresh = await spawnEngine()
    try {
      const r = await cli([
        'list-tables',
        '--endpoint',
        fresh.endpoint,
        '--access-key-id',
        'someapp',
        '--json',
      ])
      expect(r.code).toBe(0)
      expect(r.json()).toMatchObject({ ok: true, tables: [] })
      expect(r.json().hint).toMatch(/"someapp".*-sharedDb/s)
    } finally {
      await fresh.stop()
    }
  })
})
