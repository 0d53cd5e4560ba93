import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { CRUDDUR_MODEL_FILE } from '../../seeds/cruddur'
import { checkPrefix } from '../../electron/services/check.service'
import { listTableNames } from '../../electron/services/tables.service'
import { localClientConfig, TARGETS } from '../support/targets'
import { assertBuilt, cli } from './cli-helpers'

interface Row {
  id: string
  kind: string
  passed: boolean
  reasons: string[]
  consumedCapacity?: number
  note?: string
}
interface CheckDoc {
  ok: boolean
  code?: string
  prefix?: string
  rows: Row[]
  removedLeftovers: string[]
}

const seedDir = path.dirname(CRUDDUR_MODEL_FILE)
const STORE_MODEL_FILE = path.resolve(import.meta.dirname, '../../seeds/store/model.json')
const STORE_ROWS = [
  'get-customer',
  'customer-by-username',
  'customer-orders',
  'customer-orders-by-date',
  'order-with-lines',
  'products-in-category',
  'get-product',
  'open-orders',
  'place-order',
  'place-order:out-of-stock',
  'ship-order',
  'ship-order:already-shipped',
  'customer-totals',
]

/** A copy of the store model broken in three rows: a read, a recipe case and the stream pattern. */
function brokenStore(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-check-broken-store-'))
  for (const f of ['items.json', 'handler.mjs'])
    copyFileSync(path.join(path.dirname(STORE_MODEL_FILE), f), path.join(dir, f))
  const model = JSON.parse(readFileSync(STORE_MODEL_FILE, 'utf8')) as {
    $schema?: string
    accessPatterns: { id: string; expectations?: Record<string, unknown> }[]
    recipes: { id: string; expectations?: { case?: string; outcome?: string }[] }[]
  }
  delete model.$schema
  const p = (id: string) => model.accessPatterns.find((x) => x.id === id)!
  // customer-orders: expects an index the query does not use.
  p('customer-orders').expectations = { ...p('customer-orders').expectations, index: 'GSI1' }
  // The stream pattern: a count the handler's customer row cannot have.
  p('customer-totals').expectations = { ...p('customer-totals').expectations, count: 2 }
  // An out-of-stock order declared as succeeding: the transaction is cancelled.
  const place = model.recipes.find((r) => r.id === 'place-order')!
  place.expectations!.find((c) => c.case === 'out-of-stock')!.outcome = 'succeeds'
  const file = path.join(dir, 'model.json')
  writeFileSync(file, JSON.stringify(model))
  return file
}

/** A copy of the Cruddur model with three patterns broken three ways; C and D are left as they are. */
function brokenCruddur(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-check-broken-'))
  for (const f of ['items.json', 'handler.mjs', 'send-message.mjs'])
    copyFileSync(path.join(seedDir, f), path.join(dir, f))
  const model = JSON.parse(readFileSync(CRUDDUR_MODEL_FILE, 'utf8')) as {
    $schema?: string
    accessPatterns: {
      id: string
      values?: Record<string, unknown>
      expectations?: Record<string, unknown>
    }[]
    recipes?: { id: string; expectations?: { after?: { first?: Record<string, unknown> }[] } }[]
  }
  delete model.$schema
  const p = (id: string) => model.accessPatterns.find((x) => x.id === id)!
  // A: the order it expects is the opposite of the one the query asks for.
  p('A').expectations = { ...p('A').expectations, orderBy: { attribute: 'sk', direction: 'asc' } }
  // A2: a number for a string key: DynamoDB refuses the request.
  p('A2').values = { ...p('A2').values, ':pk': 5 }
  // B: an exact count the sample data does not have.
  p('B').expectations = { ...p('B').expectations, count: 99 }
  // send-message: a postcondition the handler does not make true (the inbox row carries the text, not 'nope').
  const send = model.recipes!.find((r) => r.id === 'send-message')!
  send.expectations!.after![1]!.first = { message: 'nope' }
  const file = path.join(dir, 'model.json')
  writeFileSync(file, JSON.stringify(model))
  return file
}

beforeAll(() => assertBuilt())

test('check on a throwaway engine (no connection given): every Cruddur row passes, exit 0', async () => {
  const r = await cli(['check', '--json'])
  expect(r.code, r.stderr).toBe(0)
  const doc = r.json() as unknown as CheckDoc
  expect(doc.ok).toBe(true)
  expect(doc.prefix).toBeUndefined()
  expect(doc.rows.map((x) => [x.id, x.passed])).toEqual([
    ['A', true],
    ['A2', true],
    ['B', true],
    ['C', true],
    ['send-message', true],
    ['D', true],
  ])
  // Pattern rows report what the call consumed; a recipe row is judged by its outcome and postconditions.
  expect(
    doc.rows
      .filter((x) => x.kind === 'pattern')
      .every((x) => typeof x.consumedCapacity === 'number' && x.consumedCapacity > 0),
  ).toBe(true)
  expect(doc.rows.find((x) => x.id === 'send-message')).toMatchObject({ kind: 'recipe', reasons: [] })
  // D is the stream handler's pattern: it is read after the recipe whose handler moved the conversation rows.
  expect(doc.rows.find((x) => x.id === 'D')!.note).toBe(
    'after recipe send-message (ran earlier in this check); handler cruddur-update-conversations applied to its writes',
  )
})

test('a pattern on an index its table lacks is a failing row naming the field; the rest is checked', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-check-noindex-'))
  for (const f of ['items.json', 'handler.mjs', 'send-message.mjs'])
    copyFileSync(path.join(seedDir, f), path.join(dir, f))
  const model = JSON.parse(readFileSync(CRUDDUR_MODEL_FILE, 'utf8')) as {
    accessPatterns: { id: string; index?: string }[]
  }
  model.accessPatterns.find((p) => p.id === 'B')!.index = 'nope'
  const file = path.join(dir, 'model.json')
  writeFileSync(file, JSON.stringify(model))
  const r = await cli(['check', '--model', file, '--json'])
  expect(r.code, r.stderr).toBe(1)
  const doc = r.json() as unknown as CheckDoc
  expect(doc.rows.map((x) => [x.id, x.passed])).toEqual([
    ['B', false],
    ['A', true],
    ['A2', true],
    ['C', true],
    ['send-message', true],
    ['D', true],
  ])
  expect(doc.rows[0]!.reasons).toEqual([
    'model.invalid: accessPatterns[2].index: table "cruddur-messages" has no index "nope"',
  ])
})

describe.each(TARGETS)('tablewright check on $name', (target) => {
  let endpoint: string
  let stop: () => Promise<void>
  let client: DynamoDBClient

  beforeAll(async () => {
    ;({ endpoint, stop } = await target.start())
    client = new DynamoDBClient(localClientConfig(endpoint))
  })
  afterAll(async () => {
    client?.destroy()
    await stop?.()
  })

  test('the Cruddur sample passes under a prefix of its own, which is gone afterwards', async () => {
    const r = await cli(['check', '--endpoint', endpoint, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const doc = r.json() as unknown as CheckDoc
    expect(doc.rows.filter((x) => !x.passed)).toEqual([])
    expect(doc.rows.map((x) => x.id)).toEqual(['A', 'A2', 'B', 'C', 'send-message', 'D'])
    expect(doc.prefix).toMatch(/^twcheck-\d{8}T\d{6}Z-[a-z0-9]+-$/)
    expect((await listTableNames(client)).filter((t) => t.startsWith(doc.prefix!))).toEqual([])
  })

  test('a broken copy fails on exactly the broken rows, exit 1, with JUnit XML', async () => {
    const junit = path.join(mkdtempSync(path.join(os.tmpdir(), 'tw-junit-')), 'check.xml')
    const r = await cli([
      'check',
      '--endpoint',
      endpoint,
      '--model',
      brokenCruddur(),
      '--junit',
      junit,
      '--json',
    ])
    expect(r.code, r.stderr).toBe(1)
    const doc = r.json() as unknown as CheckDoc
    expect(doc.ok).toBe(false)
    expect(doc.code).toBe('check.failed')
    expect(doc.rows.filter((x) => !x.passed).map((x) => x.id)).toEqual(['A', 'A2', 'B', 'send-message'])
    const reason = (id: string) => doc.rows.find((x) => x.id === id)!.reasons.join(' ')
    expect(reason('A')).toMatch(/ordered by sk asc/)
    expect(reason('A2')).toMatch(/^dynamodb\.validation/)
    expect(reason('B')).toMatch(/exactly 99 items/)
    expect(reason('send-message')).toBe(
      'after: pattern B first item message: message = "Checked by tablewright check", expected "nope"',
    )
    const xml = readFileSync(junit, 'utf8')
    expect(xml).toMatch(/<testsuite name="tablewright check cruddur" tests="6" failures="4"/)
    expect(xml.match(/<failure /g)).toHaveLength(4)
    expect(xml).toMatch(/<testcase classname="cruddur.pattern" name="C: [^"]*">\s*<system-out>/)
    expect((await listTableNames(client)).filter((t) => t.startsWith(doc.prefix!))).toEqual([])
  })

  test('the store sample passes every row, its cancelled cases included, and leaves nothing behind', async () => {
    const r = await cli(['check', '--endpoint', endpoint, '--model', 'store', '--json'])
    expect(r.code, r.stderr).toBe(0)
    const doc = r.json() as unknown as CheckDoc
    expect(doc.rows.filter((x) => !x.passed)).toEqual([])
    expect(doc.rows.map((x) => x.id)).toEqual(STORE_ROWS)
    expect(doc.rows.filter((x) => x.kind === 'recipe').map((x) => x.id)).toEqual([
      'place-order',
      'place-order:out-of-stock',
      'ship-order',
      'ship-order:already-shipped',
    ])
    expect(doc.rows.at(-1)!.note).toBe(
      'after recipe place-order (ran earlier in this check); handler store-customer-totals applied to its writes',
    )
    expect((await listTableNames(client)).filter((t) => t.startsWith(doc.prefix!))).toEqual([])
  })

  test('a broken store copy fails on exactly its broken rows, exit 1, with JUnit XML', async () => {
    const junit = path.join(mkdtempSync(path.join(os.tmpdir(), 'tw-junit-')), 'store.xml')
    const r = await cli([
      'check',
      '--endpoint',
      endpoint,
      '--model',
      brokenStore(),
      '--junit',
      junit,
      '--json',
    ])
    expect(r.code, r.stderr).toBe(1)
    const doc = r.json() as unknown as CheckDoc
    expect(doc.rows.filter((x) => !x.passed).map((x) => x.id)).toEqual([
      'customer-orders',
      'place-order:out-of-stock',
      'customer-totals',
    ])
    const reason = (id: string) => doc.rows.find((x) => x.id === id)!.reasons.join(' ')
    expect(reason('customer-orders')).toBe('uses GSI1: sent to the table')
    expect(reason('place-order:out-of-stock')).toMatch(/^outcome succeeds: cancelled: /)
    expect(reason('customer-totals')).toBe('exactly 2 items: 1 items')
    const xml = readFileSync(junit, 'utf8')
    expect(xml).toMatch(/<testsuite name="tablewright check store" tests="13" failures="3"/)
    expect(xml.match(/<failure /g)).toHaveLength(3)
    expect(xml).toMatch(
      /<testcase classname="store.recipe" name="place-order:out-of-stock: [^"]*">\s*<failure /,
    )
    expect((await listTableNames(client)).filter((t) => t.startsWith(doc.prefix!))).toEqual([])
  })

  test("an interrupted check's tables are removed by the next run", async () => {
    const stale = `${checkPrefix(new Date(Date.now() - 60 * 60_000), 'dead')}cruddur-messages`
    await client.send(
      new CreateTableCommand({
        TableName: stale,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    )
    const r = await cli(['check', '--endpoint', endpoint, '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect((r.json() as unknown as CheckDoc).removedLeftovers).toEqual([stale])
    expect(await listTableNames(client)).not.toContain(stale)
  })
})

describe('tablewright cost', () => {
  test("prices the measured capacity at the given rates: A's 1 RCU × 100/s is $32.85 on-demand", async () => {
    const r = await cli([
      'cost',
      '--rate',
      'A=100',
      '--rate',
      'C=10',
      '--rate',
      'start-conversation=1',
      '--json',
    ])
    expect(r.code, r.stderr).toBe(0)
    const doc = r.json() as {
      patterns: {
        patternId: string
        readUnitsPerCall: number
        writeUnitsPerCall: number
        gsiWriteUnitsPerCall: number
        onDemand: number
      }[]
      targets: { index?: string }[]
      storage: { kind: string; items: number }[]
    }
    const a = doc.patterns.find((p) => p.patternId === 'A')!
    // A 20-message page of about 8 KB: two 4 KB read units, halved (eventually consistent).
    expect(a.readUnitsPerCall).toBe(1)
    expect(a.onDemand).toBe(32.85)
    const c = doc.patterns.find((p) => p.patternId === 'C')!
    expect(c.writeUnitsPerCall).toBe(1)
    expect(doc.storage.find((s) => s.kind === 'table')!.items).toBeGreaterThan(0)
    // A recipe of three puts in one transaction: each doubled; the two conversation rows are in the GSI too.
    const start = doc.patterns.find((p) => p.patternId === 'start-conversation')!
    expect(start).toMatchObject({ writeUnitsPerCall: 10, gsiWriteUnitsPerCall: 4 })
  })

  test('--traffic FILE: rates, utilisation and table volumes; --rate wins; a malformed file is refused', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-traffic-'))
    const file = path.join(dir, 'traffic.json')
    writeFileSync(
      file,
      JSON.stringify({
        rates: { A: 5, B: { rate: 20, hotKeyShare: 1 } },
        utilisation: 0.5,
        tables: { 'cruddur-messages': { items: 1_000_000 } },
      }),
    )
    const r = await cli(['cost', '--traffic', file, '--rate', 'A=100', '--json'])
    expect(r.code, r.stderr).toBe(0)
    const doc = r.json() as {
      utilisation: number
      patterns: { patternId: string; rate: number; hotKeyShare: number }[]
      storage: { kind: string; items: number }[]
    }
    expect(doc.utilisation).toBe(0.5)
    expect(doc.patterns.find((p) => p.patternId === 'A')!.rate).toBe(100)
    expect(doc.patterns.find((p) => p.patternId === 'B')).toMatchObject({ rate: 20, hotKeyShare: 1 })
    expect(doc.storage.find((s) => s.kind === 'table')!.items).toBe(1_000_000)

    writeFileSync(file, JSON.stringify({ rates: { A: -1 } }))
    const bad = await cli(['cost', '--traffic', file, '--json'])
    expect(bad.code).toBe(1)
    expect(bad.json()).toMatchObject({ ok: false, code: 'traffic.invalid' })
    expect(String(bad.json().message)).toMatch(/rates\.A/)
  })

  test('traffic for a pattern the model lacks is refused with the valid names', async () => {
    const r = await cli(['cost', '--rate', 'Z=1', '--json'])
    expect(r.code).toBe(1)
    expect(r.json()).toMatchObject({ ok: false, code: 'traffic.invalid' })
    expect(String(r.json().message)).toMatch(/valid: A, A2, B, C, D/)
  })
})
