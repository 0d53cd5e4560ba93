import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type {
  ItemJson,
  ItemsSnapshot,
  ItemsViewSummary,
  ViewItemRow,
} from '../../shared/contract/channels/workbench'
import { buildView, itemId } from '../../shared/domain/grouping'
import { Workbench } from '../../electron/services/workbench'
import { dispatchCalls } from '../support/dispatch-calls'
import { TARGETS, type Target } from '../support/targets'

/**
 * The host-held view the visualizer shows (items:load, items:view, items:viewRows), through the handlers the app
 * calls: on DynamoDB Local and our engine over HTTP (Scan pages through the SDK), and on the app's embedded
 * connection (read in-process). Every answer is checked against buildView over the table's own Scan.
 */
const EMBEDDED: Target = {
  name: 'the embedded connection (in-process)',
  start: async () => ({ endpoint: '', stop: async () => {} }),
}

describe.each([...TARGETS, EMBEDDED])('the item view on $name', (target) => {
  const inProcess = target === EMBEDDED
  const connectionId = inProcess ? 'embedded' : 'target'
  const table = `iv-${process.pid}-${Date.now().toString(36)}`
  const userData = mkdtempSync(path.join(os.tmpdir(), 'tw-items-view-'))
  let stop: () => Promise<void> = async () => {}
  let wb: Workbench
  let saved: string | undefined
  let stored: ItemJson[] = []

  const { call, ok } = dispatchCalls(() => wb.handlers)
  const load = async (): Promise<ItemsSnapshot> => {
    let s = await ok<ItemsSnapshot>('items:load', { connectionId, tableName: table })
    while (!s.done)
      s = await ok<ItemsSnapshot>('items:load', { connectionId, tableName: table, snapshotId: s.snapshotId })
    return s
  }
  const keys = {
    partitionKey: { name: 'pk', type: 'S' as const },
    sortKey: { name: 'sk', type: 'N' as const },
  }
  const gsi = {
    name: 'by-owner',
    kind: 'GSI' as const,
    partitionKey: { name: 'owner', type: 'S' as const },
    sortKey: { name: 'sk', type: 'N' as const },
    projection: { type: 'ALL' as const },
  }
  const rowsOfView = (items: ItemJson[], options: Parameters<typeof buildView>[1]) =>
    buildView(items, options).rows.flatMap((r, row) =>
      r.kind === 'item' ? [{ row, id: r.id, itemId: r.item.id, item: r.item.item, ghost: r.item.ghost }] : [],
    )
  const pick = (rows: ViewItemRow[]) =>
    rows.map((r) => ({ row: r.row, id: r.id, itemId: r.itemId, item: r.item, ghost: r.ghost }))

  beforeAll(async () => {
    saved = process.env.TABLEWRIGHT_USER_DATA
    process.env.TABLEWRIGHT_USER_DATA = userData
    if (inProcess) wb = new Workbench({ version: 'test', host: 'browser' })
    else {
      const started = await target.start()
      stop = started.stop
      wb = new Workbench({
        version: 'test',
        host: 'browser',
        profiles: [
          {
            id: 'target',
            name: target.name,
            kind: 'dynamodb-local',
            endpoint: started.endpoint,
            region: 'us-east-1',
            accessKeyId: 'itemsview',
          },
        ],
      })
    }
    await ok('tables:create', {
      connectionId,
      spec: {
        name: table,
        partitionKey: keys.partitionKey,
        sortKey: keys.sortKey,
        gsis: [
          {
            name: gsi.name,
            partitionKey: gsi.partitionKey,
            sortKey: gsi.sortKey,
            projection: { type: 'ALL' },
          },
        ],
        lsis: [],
        billing: { mode: 'PAY_PER_REQUEST' },
        stream: { enabled: false },
      },
    })
    // 5 partitions of 8 items; a third of them without `owner`, so the index is sparse.
    const items: ItemJson[] = []
    for (let i = 0; i < 40; i++)
      items.push({
        pk: { S: `P#${i % 5}` },
        sk: { N: String(i) },
        note: { S: `note ${i}` },
        ...(i % 3 ? { owner: { S: `u${i % 4}` } } : {}),
      })
    for (const item of items) await ok('items:put', { connectionId, tableName: table, item, create: true })
    stored = []
    let key: ItemJson | undefined
    do {
      const page = await ok<{ items: ItemJson[]; lastEvaluatedKey?: ItemJson }>('items:page', {
        connectionId,
        tableName: table,
        limit: 1000,
        exclusiveStartKey: key,
      })
      stored.push(...page.items)
      key = page.lastEvaluatedKey
    } while (key)
  })
  afterAll(async () => {
    await call('tables:drop', { connectionId, tableName: table, confirm: table })
    await wb.dispose()
    await stop()
    if (saved === undefined) delete process.env.TABLEWRIGHT_USER_DATA
    else process.env.TABLEWRIGHT_USER_DATA = saved
    rmSync(userData, { recursive: true, force: true })
  })

  test('loads in steps, and the view of the first step grows into the view of the whole table', async () => {
    const first = await ok<ItemsSnapshot>('items:load', { connectionId, tableName: table, maxItems: 7 })
    expect(first).toMatchObject({ loaded: 7, done: false })
    const early = await ok<ItemsViewSummary>('items:view', { snapshotId: first.snapshotId, count: 100 })
    expect(early.itemCount).toBe(7)
    const rest = await ok<ItemsSnapshot>('items:load', {
      connectionId,
      tableName: table,
      snapshotId: first.snapshotId,
    })
    expect(rest).toMatchObject({ snapshotId: first.snapshotId, loaded: 40, done: true })
    const full = await ok<ItemsViewSummary>('items:view', { snapshotId: first.snapshotId, count: 1000 })
    const expected = buildView(stored, { table: keys })
    expect(full).toMatchObject({
      itemCount: 40,
      excludedCount: 0,
      unfilteredCount: 40,
      rowCount: 45,
      done: true,
    })
    expect(full.groups.map((g) => [g.pk, g.count, g.columns, g.sizeBytes])).toEqual(
      expected.groups.map((g) => [g.pk, g.items.length, g.columns, g.sizeBytes]),
    )
    expect(pick(full.rows)).toEqual(rowsOfView(stored, { table: keys }))
    expect(full.viewKey).not.toBe(early.viewKey)
  })

  test('a window of rows, by row number, and located ids', async () => {
    const { snapshotId } = await load()
    const wanted = [itemId(stored[11]!, keys), itemId(stored[30]!, keys), 'nothing']
    const view = await ok<ItemsViewSummary>('items:view', { snapshotId, from: 0, count: 3, locate: wanted })
    expect(view.rows.map((r) => r.row)).toEqual([1, 2]) // row 0 is the first partition's header
    const all = rowsOfView(stored, { table: keys })
    for (const id of wanted.slice(0, 2)) expect(all.find((r) => r.row === view.located[id])?.itemId).toBe(id)
    expect(view.located).not.toHaveProperty('nothing')
    const window = await ok<{ rows: ViewItemRow[] }>('items:viewRows', {
      snapshotId,
      viewKey: view.viewKey,
      from: 20,
      count: 15,
    })
    expect(pick(window.rows)).toEqual(all.filter((r) => r.row >= 20 && r.row < 35))
  })

  test('an index view, with the items it does not hold, a filter and removed items', async () => {
    const { snapshotId } = await load()
    const byIndex = await ok<ItemsViewSummary>('items:view', {
      snapshotId,
      options: { indexName: gsi.name, showExcluded: true },
      count: 1000,
    })
    const expected = buildView(stored, { table: keys, index: gsi, showExcluded: true })
    expect(byIndex.excludedCount).toBe(expected.excludedCount)
    expect(byIndex.excludedCount).toBeGreaterThan(0)
    expect(byIndex.groups.filter((g) => g.excluded).map((g) => g.reason)).toEqual([
      'no owner: not in by-owner',
    ])
    expect(pick(byIndex.rows)).toEqual(rowsOfView(stored, { table: keys, index: gsi, showExcluded: true }))

    const filtered = await ok<ItemsViewSummary>('items:view', { snapshotId, options: { filter: 'p#2' } })
    expect(filtered.groups.map((g) => g.pk)).toEqual(['P#2'])
    expect(filtered).toMatchObject({ itemCount: 8, unfilteredCount: 40 })

    const removed = { pk: { S: 'P#1' }, sk: { N: '1000' }, note: { S: 'gone' } }
    const stillStored = stored[0]!
    const withGhosts = await ok<ItemsViewSummary>('items:view', {
      snapshotId,
      options: { ghosts: [removed, stillStored] },
      count: 1000,
    })
    expect(withGhosts.itemCount).toBe(40)
    expect(withGhosts.rows.filter((r) => r.ghost).map((r) => r.item)).toEqual([removed])
    expect(withGhosts.groups.find((g) => g.pk === 'P#1')?.removedCount).toBe(1)
  })

  test('coded errors: an unknown index, and a snapshot no longer held', async () => {
    const { snapshotId } = await load()
    const badIndex = await call('items:view', { snapshotId, options: { indexName: 'nope' } })
    expect(badIndex).toMatchObject({ ok: false, code: 'input.invalid' })
    expect(badIndex.ok ? '' : badIndex.message).toContain('by-owner')
    expect(await call('items:view', { snapshotId: 'gone' })).toMatchObject({
      ok: false,
      code: 'view.expired',
    })
    expect(await call('items:viewRows', { snapshotId, viewKey: 'gone', from: 0, count: 1 })).toMatchObject({
      ok: false,
      code: 'view.expired',
    })
    expect(await call('items:load', { connectionId, tableName: 'no-such-table' })).toMatchObject({
      ok: false,
      code: 'table.notFound',
    })
  })
})
