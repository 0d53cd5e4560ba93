import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { assertBuilt, BIN, cli, spawnEngine, type SpawnedEngine } from './cli-helpers'

// A model of the user's own, written in a temp folder outside the repo: nothing in the app knows its names.
const TABLE = `shop-${process.pid}`
function shopModel(extra: { pattern?: Record<string, unknown> } = {}) {
  return {
    name: 'shop',
    tables: [
      {
        name: TABLE,
        attributeDefinitions: [
          { attributeName: 'PK', attributeType: 'S' },
          { attributeName: 'SK', attributeType: 'S' },
        ],
        keySchema: [
          { attributeName: 'PK', keyType: 'HASH' },
          { attributeName: 'SK', keyType: 'RANGE' },
        ],
      },
    ],
    entities: [{ name: 'Order', table: TABLE, keys: { PK: 'CUST#{customer}', SK: 'ORDER#{order}' } }],
    sampleData: { itemsFile: 'items.json' },
    accessPatterns: [
      {
        id: 'orders-of-customer',
        name: 'Orders of a customer',
        operation: 'Query',
        table: TABLE,
        entity: 'Order',
        params: [{ name: 'customer', type: 'string' }],
        keyCondition: 'PK = :pk AND begins_with(SK, :prefix)',
        values: { ':pk': 'CUST#{customer}', ':prefix': 'ORDER#' },
        ...extra.pattern,
      },
    ],
  }
}

let dir: string
let file: string
let engine: SpawnedEngine
let conn: string[]

beforeAll(async () => {
  assertBuilt()
  dir = mkdtempSync(path.join(os.tmpdir(), 'tw-open-model-int-'))
  file = path.join(dir, 'shop.json')
  writeFileSync(file, JSON.stringify(shopModel()))
  writeFileSync(
    path.join(dir, 'items.json'),
    JSON.stringify({
      [TABLE]: [
        { PK: 'CUST#ann', SK: 'ORDER#2', total: 30 },
        { PK: 'CUST#ann', SK: 'ORDER#1', total: 10 },
        { PK: 'CUST#ann', SK: 'PROFILE', name: 'Ann' },
        { PK: 'CUST#bob', SK: 'ORDER#1', total: 99 },
      ],
    }),
  )
  engine = await spawnEngine()
  conn = ['--endpoint', engine.endpoint]
})
afterAll(async () => {
  await engine?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('any model through the CLI', () => {
  test('`tablewright models` lists the built-in samples, and --model NAME opens one', async () => {
    const listed = await cli(['models', '--json'])
    expect(listed.code).toBe(0)
    const doc = listed.json() as { ok: boolean; models: { id: string; source: string; tables: string[] }[] }
    expect(doc.ok).toBe(true)
    expect(doc.models.find((m) => m.id === 'cruddur')).toMatchObject({
      source: 'builtin',
      tables: ['cruddur-messages'],
    })
    expect(doc.models.every((m) => m.source === 'builtin')).toBe(true)

    const byName = await cli(['model', 'validate', '--model', 'cruddur', '--json'])
    expect(byName.code).toBe(0)
    expect(byName.json()).toMatchObject({ ok: true, name: 'cruddur' })

    const unknown = await cli(['model', 'validate', '--model', 'no-such-sample', '--json'])
    expect(unknown.code).toBe(1)
    expect(unknown.json()).toMatchObject({ ok: false, code: 'model.notFound' })
    expect(String(unknown.json().message)).toContain('built-in samples: cruddur')
  })

  test('schema-load, seed and a pattern run on a model file from a temp folder', async () => {
    const loaded = await cli(['schema-load', '--model', file, ...conn, '--json'])
    expect(loaded.code).toBe(0)
    expect(loaded.json()).toMatchObject({ tables: [{ table: TABLE, status: 'created' }] })

    const seeded = await cli(['seed', '--model', file, ...conn, '--json'])
    expect(seeded.code).toBe(0)

    const ran = await cli([
      'pattern',
      'orders-of-customer',
      '--model',
      file,
      '--param',
      'customer=ann',
      ...conn,
      '--json',
    ])
    expect(ran.code).toBe(0)
    const result = ran.json() as { servedBy: string; items: { SK: string; total: number }[] }
    expect(result.servedBy).toBe('Query')
    expect(result.items.map((i) => [i.SK, i.total])).toEqual([
      ['ORDER#1', 10],
      ['ORDER#2', 30],
    ])
  })

  test('an unknown pattern lists the model’s pattern ids', async () => {
    const r = await cli(['pattern', 'A', '--model', file, ...conn, '--json'])
    expect(r.code).not.toBe(0)
    expect(r.json()).toMatchObject({ ok: false, code: 'pattern.notFound' })
    expect(String(r.json().message)).toContain('valid: orders-of-customer')
  })

  test('a model naming an unknown entity or an undefined parameter is refused at load, naming the file and field', async () => {
    const badEntity = path.join(dir, 'bad-entity.json')
    writeFileSync(badEntity, JSON.stringify(shopModel({ pattern: { entity: 'Invoice' } })))
    const r1 = await cli(['schema-load', '--model', badEntity, ...conn, '--json'])
    expect(r1.code).toBe(1)
    expect(r1.json()).toMatchObject({ ok: false, code: 'model.invalid' })
    expect(String(r1.json().message)).toContain(`${badEntity}: accessPatterns[0].entity: no entity "Invoice"`)

    const badParam = path.join(dir, 'bad-param.json')
    writeFileSync(
      badParam,
      JSON.stringify(shopModel({ pattern: { values: { ':pk': 'CUST#{who}', ':prefix': 'ORDER#' } } })),
    )
    const r2 = await cli(['pattern', 'orders-of-customer', '--model', badParam, ...conn])
    expect(r2.code).toBe(1)
    expect(r2.stderr).toContain('model.invalid')
    expect(r2.stderr).toContain(
      `${badParam}: accessPatterns[0].values.:pk: {who} is not a declared parameter`,
    )
  })

  test('`tablewright web --model FILE` starts on that model; a bad file stops the start with the field at fault', async () => {
    const badEntity = path.join(dir, 'bad-entity-web.json')
    writeFileSync(badEntity, JSON.stringify(shopModel({ pattern: { entity: 'Invoice' } })))
    const refused = await cli(['web', '--port', '0', '--model', badEntity])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('model.invalid')
    expect(refused.stderr).toContain('accessPatterns[0].entity')
    expect(refused.stdout).not.toContain('http://')

    const userData = mkdtempSync(path.join(os.tmpdir(), 'tw-web-model-'))
    const child = spawn(process.execPath, [BIN, 'web', '--port', '0', '--model', file], {
      env: { ...process.env, TABLEWRIGHT_USER_DATA: userData },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    try {
      const url = await new Promise<URL>((resolve, reject) => {
        let out = ''
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString()
          const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(out)
          if (m) resolve(new URL(m[1]!))
        })
        child.once('exit', (code) => reject(new Error(`web exited (${code}): ${out}`)))
      })
      const res = await fetch(`${url.origin}/api/models:current`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-tablewright-token': url.searchParams.get('token')!,
        },
        body: '{}',
      })
      const body = (await res.json()) as {
        ok: boolean
        value: { name: string; source: string; file: string }
      }
      expect(body).toMatchObject({ ok: true, value: { name: 'shop', source: 'file', file } })
    } finally {
      child.kill('SIGTERM')
      rmSync(userData, { recursive: true, force: true })
    }
  })
})
