import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { ItemJson } from '../../shared/contract/channels/workbench'
import { Workbench } from '../../electron/services/workbench'
import { dispatchCalls } from '../support/dispatch-calls'
import { TARGETS } from '../support/targets'

/**
 * Issue 10 §6 through the same handlers the app calls: the create-table dialog's spec (refused before sending,
 * or created with its indexes, billing and stream), bulk delete with a dry run, and data import/export of a file's
 * text — on DynamoDB Local and on our engine.
 */
describe.each(TARGETS)('tables and data on $name', ({ name, start }) => {
  let stop: () => Promise<void> = async () => {}
  let wb: Workbench
  const suffix = `${process.pid}-${Date.now().toString(36)}`
  const table = `td-${suffix}`
  const created: string[] = []

  const { call, ok } = dispatchCalls(() => wb.handlers)
  const spec = (tableName: string, extra: Record<string, unknown> = {}) => ({
    name: tableName,
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    gsis: [],
    lsis: [],
    billing: { mode: 'PAY_PER_REQUEST' },
    stream: { enabled: false },
    ...extra,
  })
  const scan = async (tableName: string): Promise<ItemJson[]> => {
    const r = await ok<{ items: ItemJson[] }>('items:page', {
      connectionId: 'target',
      tableName,
      limit: 1000,
    })
    return r.items
  }

  beforeAll(async () => {
    const started = await start()
    stop = started.stop
    wb = new Workbench({
      version: 'test',
      host: 'browser',
      profiles: [
        {
          id: 'target',
          name,
          kind: 'dynamodb-local',
          endpoint: started.endpoint,
          region: 'us-east-1',
          accessKeyId: 'tablesdata',
        },
      ],
    })
    await ok('tables:create', {
      connectionId: 'target',
      spec: spec(table, {
        gsis: [
          {
            name: 'by-type',
            partitionKey: { name: 'type', type: 'S' },
            sortKey: { name: 'sk', type: 'S' },
            projection: { type: 'INCLUDE', nonKeyAttributes: ['title'] },
            capacity: { read: 2, write: 3 },
          },
        ],
        lsis: [{ name: 'by-rank', sortKey: { name: 'rank', type: 'N' }, projection: { type: 'KEYS_ONLY' } }],
        billing: { mode: 'PROVISIONED', read: 5, write: 5 },
        stream: { enabled: true, viewType: 'NEW_IMAGE' },
      }),
    })
    created.push(table)
  })
  afterAll(async () => {
    for (const t of created) await call('tables:drop', { connectionId: 'target', tableName: t, confirm: t })
    await wb.dispose()
    await stop()
  })

  test('the dialog’s spec creates the table with its GSI, LSI, billing and stream', async () => {
    const detail = await ok<{
      billingMode: string
      provisioned?: { read: number; write: number }
      stream: { enabled: boolean; viewType?: string }
      indexes: {
        name: string
        kind: string
        projection: { type: string; nonKeyAttributes?: string[] }
        provisioned?: { read: number; write: number }
      }[]
    }>('tables:describe', { connectionId: 'target', tableName: table })
    expect(detail.billingMode).toBe('PROVISIONED')
    expect(detail.provisioned).toEqual({ read: 5, write: 5 })
    expect(detail.stream).toMatchObject({ enabled: true, viewType: 'NEW_IMAGE' })
    const gsi = detail.indexes.find((i) => i.name === 'by-type')
    expect(gsi).toMatchObject({ kind: 'GSI', projection: { type: 'INCLUDE', nonKeyAttributes: ['title'] } })
    expect(gsi?.provisioned).toEqual({ read: 2, write: 3 })
    expect(detail.indexes.find((i) => i.name === 'by-rank')).toMatchObject({
      kind: 'LSI',
      projection: { type: 'KEYS_ONLY' },
    })
  })

  test('a spec DynamoDB would refuse is refused by field before any request; a taken name is table.exists', async () => {
    const bad = await call('tables:create', {
      connectionId: 'target',
      spec: spec('no', {
        sortKey: undefined,
        lsis: [{ name: 'l1', sortKey: { name: 'x', type: 'S' }, projection: { type: 'INCLUDE' } }],
      }),
    })
    expect(bad).toMatchObject({ ok: false, code: 'input.invalid' })
    const fields = (bad as { details?: { issues: { field: string }[] } }).details?.issues.map((i) => i.field)
    expect(fields).toEqual(['name', 'lsis', 'lsis.0.name', 'lsis.0.projection'])
    const names = (await ok<{ name: string }[]>('tables:list', { connectionId: 'target' })).map((t) => t.name)
    expect(names).not.toContain('no')
    const taken = await call('tables:create', { connectionId: 'target', spec: spec(table) })
    expect(taken).toMatchObject({ ok: false, code: 'table.exists' })
  })

  test('bulk delete: the dry run lists the base keys (an index row resolves to its item), deletes nothing; then 25 a batch', async () => {
    const t = `bulk-${suffix}`
    await ok('tables:create', {
      connectionId: 'target',
      spec: spec(t, {
        gsis: [
          { name: 'by-type', partitionKey: { name: 'type', type: 'S' }, projection: { type: 'KEYS_ONLY' } },
        ],
      }),
    })
    created.push(t)
    const lines = Array.from({ length: 60 }, (_, i) =>
      JSON.stringify({
        Item: { pk: { S: 'P' }, sk: { S: `I#${String(i).padStart(2, '0')}` }, type: { S: 'x' } },
      }),
    )
    await ok('data:import', {
      connectionId: 'target',
      tableName: t,
      fileName: 'bulk.jsonl',
      text: lines.join('\n'),
    })
    // An index row as the visualizer holds it (index key + table key), the same item again, and a key with no item.
    const indexRow = { type: { S: 'x' }, pk: { S: 'P' }, sk: { S: 'I#00' } }
    const picked = [
      indexRow,
      { pk: { S: 'P' }, sk: { S: 'I#00' }, extra: { N: '1' } },
      { pk: { S: 'P' }, sk: { S: 'I#01' } },
      { pk: { S: 'P' }, sk: { S: 'NONE' } },
    ]
    const dry = await ok<{
      dryRun: boolean
      deleted: number
      plan: { keys: ItemJson[]; missing: ItemJson[]; tableName: string }
    }>('items:deleteMany', { connectionId: 'target', tableName: t, items: picked })
    expect(dry.dryRun).toBe(true)
    expect(dry.plan.tableName).toBe(t)
    expect(dry.plan.keys).toEqual([
      { pk: { S: 'P' }, sk: { S: 'I#00' } },
      { pk: { S: 'P' }, sk: { S: 'I#01' } },
      { pk: { S: 'P' }, sk: { S: 'NONE' } },
    ])
    expect(dry.plan.missing).toEqual([{ pk: { S: 'P' }, sk: { S: 'NONE' } }])
    expect(await scan(t)).toHaveLength(60)

    const all = (await scan(t)).slice(0, 55)
    const done = await ok<{ deleted: number }>('items:deleteMany', {
      connectionId: 'target',
      tableName: t,
      items: all,
      dryRun: false,
    })
    expect(done.deleted).toBe(55)
    expect(await scan(t)).toHaveLength(5)

    // A key with no item is planned as missing and not counted as deleted.
    const withGone = await ok<{ deleted: number; plan: { missing: ItemJson[] } }>('items:deleteMany', {
      connectionId: 'target',
      tableName: t,
      items: [...(await scan(t)).slice(0, 2), { pk: { S: 'P' }, sk: { S: 'NONE' } }],
      dryRun: false,
    })
    expect(withGone.deleted).toBe(2)
    expect(withGone.plan.missing).toHaveLength(1)
    expect(await scan(t)).toHaveLength(3)

    const noKey = await call('items:deleteMany', {
      connectionId: 'target',
      tableName: t,
      items: [{ type: { S: 'x' } }],
    })
    expect(noKey).toMatchObject({ ok: false, code: 'input.invalid' })
  })

  test('import checks the whole file (bad line named, nothing written), confirms a non-empty table, and export gives the same items back', async () => {
    const t = `io-${suffix}`
    await ok('tables:create', { connectionId: 'target', spec: spec(t) })
    created.push(t)
    const big = '12345678901234567890.123456789012345678'
    const good = [
      JSON.stringify({
        Item: { pk: { S: 'A' }, sk: { S: '1' }, n: { N: big }, tags: { SS: ['x', 'y'] }, b: { B: 'AAEC' } },
      }),
      JSON.stringify({ Item: { pk: { S: 'A' }, sk: { S: '2' }, ns: { NS: ['1', big] } } }),
    ]
    const badText = [...good, '{"Item": {"pk": {"S": "A"}}}', 'not json'].join('\n')
    const check = await ok<{
      format: string
      items: number
      errors: { line: number }[]
      tableHasItems: boolean
    }>('data:importCheck', { connectionId: 'target', tableName: t, fileName: 'bad.jsonl', text: badText })
    expect(check).toMatchObject({ format: 'jsonl', items: 3, tableHasItems: false })
    expect(check.errors.map((e) => e.line)).toEqual([3, 4])
    const refused = await call('data:import', {
      connectionId: 'target',
      tableName: t,
      fileName: 'bad.jsonl',
      text: badText,
    })
    expect(refused).toMatchObject({ ok: false, code: 'input.invalid' })
    expect(await scan(t)).toHaveLength(0)

    const text = good.join('\n') + '\n'
    // No extension: the format is read from the first characters.
    const r = await ok<{ written: number }>('data:import', {
      connectionId: 'target',
      tableName: t,
      fileName: 'items',
      text,
    })
    expect(r.written).toBe(2)
    const again = await call('data:import', {
      connectionId: 'target',
      tableName: t,
      fileName: 'items.jsonl',
      text,
    })
    expect(again).toMatchObject({ ok: false, code: 'confirm.required' })
    await ok('data:import', {
      connectionId: 'target',
      tableName: t,
      fileName: 'items.jsonl',
      text,
      confirm: t,
    })

    const exported = await ok<{ content: string; itemCount: number; fileName: string }>('data:export', {
      connectionId: 'target',
      tableName: t,
      format: 'jsonl',
    })
    expect(exported.fileName).toBe(`${t}.jsonl`)
    expect(exported.itemCount).toBe(2)
    const norm = (line: string) => {
      const item = (JSON.parse(line) as { Item: Record<string, Record<string, unknown>> }).Item
      for (const v of Object.values(item))
        for (const k of ['SS', 'NS', 'BS']) if (Array.isArray(v[k])) (v[k] as string[]).sort()
      return JSON.stringify(Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b))))
    }
    expect(exported.content.trim().split('\n').map(norm).sort()).toEqual(good.map(norm).sort())
  })
})
