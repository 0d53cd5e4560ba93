import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { CRUDDUR_MODEL_FILE } from '../../seeds/cruddur'
import { assertBuilt, cli, renamedCruddurModel, spawnEngine, type SpawnedEngine } from './cli-helpers'

/**
 * Issue 10 §3, §4 and §6 through the CLI: model import/export in every format, reverse-engineering a live table,
 * the model/live diff and data import/export, against our engine (and DynamoDB Local for from-table).
 */

let dir: string
let engine: SpawnedEngine
let conn: string[]
beforeAll(async () => {
  assertBuilt()
  dir = mkdtempSync(path.join(os.tmpdir(), 'tw-formats-'))
  engine = await spawnEngine()
  conn = ['--endpoint', engine.endpoint]
  expect((await cli(['schema-load', ...conn])).code).toBe(0)
  expect((await cli(['seed', ...conn])).code).toBe(0)
})
afterAll(async () => {
  await engine?.stop()
  rmSync(dir, { recursive: true, force: true })
})

const fixture = (name: string) => path.resolve(__dirname, '../../electron/services/formats/fixtures', name)
const file = (name: string) => path.join(dir, name)

describe('tablewright model import / export', () => {
  test.each([
    ['nosql-workbench', 'wb.json'],
    ['cloudformation', 'stack.json'],
    ['cloudformation-yaml', 'stack.yaml'],
    ['create-table', 'ct.json'],
    ['describe-table', 'dt.json'],
  ])('export --format %s, then import detects it and gives back the same table', async (format, name) => {
    const out = await cli(['model', 'export', CRUDDUR_MODEL_FILE, '--format', format, '--out', file(name)])
    expect(out.code, out.stderr).toBe(0)
    const imported = await cli(['model', 'import', file(name), '--out', file(`${name}.model.json`), '--json'])
    expect(imported.code, imported.stderr).toBe(0)
    expect(imported.json()).toMatchObject({ ok: true, format, tables: ['cruddur-messages'] })
    const model = JSON.parse(readFileSync(file(`${name}.model.json`), 'utf8')) as { tables: unknown[] }
    const original = JSON.parse(readFileSync(CRUDDUR_MODEL_FILE, 'utf8')) as { tables: unknown[] }
    expect(model.tables).toEqual(original.tables)
    expect((await cli(['model', 'validate', file(`${name}.model.json`)])).code).toBe(0)
  })

  test('imports real-world-shaped files of the other formats, printing warnings for what a model cannot hold', async () => {
    const yaml = await cli(['model', 'import', fixture('orders-stack.yaml'), '--out', file('orders.json')])
    expect(yaml.code, yaml.stderr).toBe(0)
    expect(yaml.stderr).toContain(
      'warning: Resources.OrdersTable.Properties.TableName is computed at deploy time',
    )
    const onetable = await cli([
      'model',
      'import',
      fixture('crm-onetable.json'),
      '--table-name',
      'crm',
      '--json',
    ])
    expect(onetable.json()).toMatchObject({
      format: 'onetable',
      tables: ['crm'],
      entities: ['Account', 'User', 'Invoice'],
    })
  })

  test('a malformed file names the field (exit 1, model.invalid); an unknown format is a usage error', async () => {
    writeFileSync(
      file('bad-wb.json'),
      JSON.stringify({ ModelName: 'x', DataModel: [{ TableName: 'abc', KeyAttributes: {} }] }),
    )
    const bad = await cli(['model', 'import', file('bad-wb.json'), '--json'])
    expect(bad.code).toBe(1)
    expect(bad.json()).toMatchObject({ ok: false, code: 'model.invalid' })
    expect(bad.json().message).toContain('DataModel[0].KeyAttributes.PartitionKey')
    expect((await cli(['model', 'export', '--format', 'xml'])).code).toBe(2)
  })
})

describe('tablewright model from-table and model diff', () => {
  test('from-table finds the MSG# and GRP# entities and which of them the sparse GSI holds', async () => {
    const r = await cli([
      'model',
      'from-table',
      'cruddur-messages',
      ...conn,
      '--out',
      file('rev.json'),
      '--json',
    ])
    expect(r.code, r.stderr).toBe(0)
    const doc = r.json() as { sampled: number; entities: { name: string; keys: object; indexes: object }[] }
    expect(doc.entities.map((e) => [e.name, e.keys])).toEqual([
      ['MSG', { pk: 'MSG#{msg_id}', sk: '{sk}' }],
      ['GRP', { pk: 'GRP#{grp_id}', sk: '{sk}' }],
    ])
    expect(doc.entities[0]!.indexes).toEqual({ 'message-group-sk-index': 0 })
    const validated = await cli(['model', 'validate', file('rev.json'), '--json'])
    expect(validated.json()).toMatchObject({ ok: true, tables: ['cruddur-messages'] })
    // The reverse-engineered model matches the table it came from.
    const diff = await cli(['model', 'diff', ...conn, '--model', file('rev.json'), '--json'])
    expect(diff.json()).toMatchObject({ steps: [], tables: [{ status: 'same' }] })
  })

  test('diff shows the steps, refuses to apply without --yes, applies them with it, then there is nothing left', async () => {
    const model = JSON.parse(readFileSync(CRUDDUR_MODEL_FILE, 'utf8')) as {
      tables: { attributeDefinitions: object[]; globalSecondaryIndexes: object[]; stream?: object }[]
      streamHandlers?: unknown[]
      commands?: unknown[]
      accessPatterns: { operation: string }[]
      sampleData?: unknown
    }
    const t = model.tables[0]!
    t.attributeDefinitions.push({ attributeName: 'user_uuid', attributeType: 'S' })
    t.globalSecondaryIndexes.push({
      indexName: 'by-user',
      keySchema: [{ attributeName: 'user_uuid', keyType: 'HASH' }],
      projection: { projectionType: 'KEYS_ONLY' },
      provisionedThroughput: { readCapacityUnits: 1, writeCapacityUnits: 1 },
    })
    t.stream = { viewType: 'NEW_AND_OLD_IMAGES' }
    // Written to a folder of its own: without the sample's handler and command modules beside it.
    model.streamHandlers = []
    model.commands = []
    model.accessPatterns = model.accessPatterns.filter((p) => p.operation !== 'stream')
    delete model.sampleData
    writeFileSync(file('changed.json'), JSON.stringify(model))
    const args = ['model', 'diff', ...conn, '--model', file('changed.json'), '--json']
    const plan = await cli(args)
    expect((plan.json() as { steps: { kind: string }[] }).steps.map((s) => s.kind)).toEqual([
      'updateStream',
      'updateStream',
      'createIndex',
    ])
    const refused = await cli([...args, '--apply'])
    expect(refused.code).toBe(1)
    expect(refused.json()).toMatchObject({ ok: false, code: 'confirm.required' })
    expect((await cli(args)).json()).toMatchObject({ steps: [{ kind: 'updateStream' }, {}, {}] })
    const applied = await cli([...args, '--apply', '--yes'])
    expect(applied.code, applied.stderr).toBe(0)
    expect((applied.json() as { applied: unknown[] }).applied).toHaveLength(3)
    expect((await cli(args)).json()).toMatchObject({ steps: [], tables: [{ status: 'same' }] })
  })
})

describe('tablewright data export / import', () => {
  const BIG = '12345678901234567890123456789012345678'
  const lines = [
    {
      pk: { S: 'MSG#big' },
      sk: { S: '1' },
      n: { N: BIG },
      b: { B: 'AAECAwQ=' },
      ss: { SS: ['x', 'y'] },
      ns: { NS: ['1', BIG] },
      bs: { BS: ['AQ=='] },
      e: { S: '' },
      l: { L: [{ NULL: true }, { BOOL: true }] },
      m: { M: { SS: { N: '-1.5' } } },
    },
    { pk: { S: 'MSG#big' }, sk: { S: '2' }, n: { S: 'text this time' } },
  ]

  test('every format carries 38-digit numbers, binary and sets from one table to another', async () => {
    writeFileSync(file('in.jsonl'), lines.map((Item) => JSON.stringify({ Item })).join('\n') + '\n')
    const imported = await cli(['data', 'import', 'cruddur-messages', file('in.jsonl'), ...conn, '--json'])
    expect(imported.code, imported.stderr).toBe(0)
    expect(imported.json()).toMatchObject({ written: 2 })
    const exportOf = async (table: string, format: string) => {
      const out = file(`${table}.${format}`)
      const r = await cli(['data', 'export', table, '--format', format, '--out', out, ...conn])
      expect(r.code, r.stderr).toBe(0)
      return readFileSync(out, 'utf8')
    }
    // Items compared as values: attribute order and set order are not part of an item.
    const canon = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(canon)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .sort(([a], [b]) => (a < b ? -1 : 1))
                .map(([k, x]) => [
                  k,
                  ['SS', 'NS', 'BS'].includes(k) && Array.isArray(x) ? [...(x as string[])].sort() : canon(x),
                ]),
            )
          : v
    const sorted = (text: string) =>
      text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.stringify(canon(JSON.parse(l))))
        .sort()
    const reference = sorted(await exportOf('cruddur-messages', 'jsonl'))
    expect(reference.find((l) => l.includes('"MSG#big"') && l.includes('"1"'))).toContain(`{"N":"${BIG}"}`)
    for (const format of ['jsonl', 'json', 'csv']) {
      const text = await exportOf('cruddur-messages', format)
      const copy = await renamedCruddurModel(`copy-${format}`)
      try {
        expect((await cli(['schema-load', ...conn, '--model', copy.file])).code).toBe(0)
        writeFileSync(file(`src.${format}`), text)
        const r = await cli(['data', 'import', `copy-${format}`, file(`src.${format}`), ...conn])
        expect(r.code, r.stderr).toBe(0)
        expect(sorted(await exportOf(`copy-${format}`, 'jsonl'))).toEqual(reference)
      } finally {
        rmSync(copy.dir, { recursive: true, force: true })
      }
    }
  })

  test('a bad row is reported by its line and nothing of the file is written', async () => {
    const count = async () =>
      ((await cli(['scan', 'cruddur-messages', ...conn, '--json'])).json() as { count: number }).count
    const before = await count()
    writeFileSync(
      file('bad.jsonl'),
      [
        JSON.stringify({ Item: { pk: { S: 'NEW#1' }, sk: { S: '1' } } }),
        JSON.stringify({ Item: { pk: { S: 'NEW#2' }, sk: { S: '1' }, n: { N: 'twelve' } } }),
        JSON.stringify({ Item: { pk: { S: 'NEW#3' } } }),
      ].join('\n'),
    )
    const r = await cli(['data', 'import', 'cruddur-messages', file('bad.jsonl'), ...conn, '--json'])
    expect(r.code).toBe(1)
    expect(r.json()).toMatchObject({ ok: false, code: 'input.invalid' })
    expect(r.json().message).toMatch(/line 2: .*N holds a number.*line 3: no key attribute sk/)
    expect(await count()).toBe(before)
  })
})

describe('tablewright model from-table on DynamoDB Local', () => {
  test('the same entities from the reference engine', async () => {
    const table = `formats-rev-${process.pid}`
    const renamed = await renamedCruddurModel(table)
    const local = ['--endpoint', inject('ddbLocalEndpoint'), '--model', renamed.file]
    try {
      expect((await cli(['schema-load', ...local])).code).toBe(0)
      expect((await cli(['seed', ...local])).code).toBe(0)
      const r = await cli(['model', 'from-table', table, ...local, '--sample', '50', '--json'])
      expect(r.code, r.stderr).toBe(0)
      const doc = r.json() as { sampled: number; truncated: boolean; entities: { name: string }[] }
      expect(doc.sampled).toBe(50)
      expect(doc.truncated).toBe(true)
      expect(doc.entities.map((e) => e.name)).toContain('MSG')
    } finally {
      await cli(['drop', table, '--yes', ...local])
      rmSync(renamed.dir, { recursive: true, force: true })
    }
  })
})
