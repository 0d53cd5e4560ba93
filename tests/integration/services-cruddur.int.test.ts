import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { TARGETS, localClientConfig } from '../support/targets'
import { renameModelTable, type Model } from '../../shared/domain/model'
import {
  CRUDDUR_MODEL_FILE,
  CRUDDUR_TABLE,
  GROUP_ANDREW_BAYKO,
  GROUP_ANDREW_LONDO,
  CRUDDUR_USERS,
} from '../../seeds/cruddur'
import { loadModelFile, loadSampleItems } from '../../electron/services/model.service'
import { dropTable, schemaLoad } from '../../electron/services/schema.service'
import { countItems, seedModel } from '../../electron/services/seed.service'
import { scanTable } from '../../electron/services/scan.service'
import { nextOlderPage, runPattern } from '../../electron/services/pattern.service'
import { describeDestructive } from '../../electron/services/write-guard'

type Row = Record<string, unknown>
const byKey = (r: Row) => `${String(r.pk)}|${String(r.sk)}`
const desc = (a: Row, b: Row) => (String(a.sk) < String(b.sk) ? 1 : String(a.sk) > String(b.sk) ? -1 : 0)

describe.each(TARGETS)('Cruddur on $name', ({ start }) => {
  let endpoint: string
  let stop: () => Promise<void> = async () => {}
  const table = `svc-cruddur-${process.pid}`
  let client: DynamoDBClient
  let model: Model
  let sample: Row[]

  beforeAll(async () => {
    ;({ endpoint, stop } = await start())
    client = new DynamoDBClient(localClientConfig(endpoint))
    model = renameModelTable(await loadModelFile(CRUDDUR_MODEL_FILE), CRUDDUR_TABLE, table)
    sample = (await loadSampleItems(await loadModelFile(CRUDDUR_MODEL_FILE), CRUDDUR_MODEL_FILE))[
      CRUDDUR_TABLE
    ]!
  })
  afterAll(async () => {
    await dropTable(client, table)
    client.destroy()
    await stop()
  })

  test('schema-load creates the table, and a second run reports it exists unchanged', async () => {
    const phases: string[] = []
    const first = await schemaLoad(client, model, { onProgress: (p) => phases.push(p.phase) })
    expect(first.tables).toEqual([expect.objectContaining({ table, status: 'created' })])
    expect(phases).toEqual(['creating', 'waiting', 'created'])
    const second = await schemaLoad(client, model)
    expect(second.tables[0]).toMatchObject({ table, status: 'exists', differences: [] })
  })

  test('schema-load reports differences between a live table and the model', async () => {
    const changed = structuredClone(model)
    changed.tables[0]!.stream = { viewType: 'NEW_AND_OLD_IMAGES' }
    changed.tables[0]!.globalSecondaryIndexes![0]!.projection = { projectionType: 'KEYS_ONLY' }
    const out = await schemaLoad(client, changed)
    expect(out.tables[0]!.status).toBe('exists')
    expect(out.tables[0]!.differences.map((d) => d.field).sort()).toEqual([
      'globalSecondaryIndexes[message-group-sk-index]',
      'stream',
    ])
  })

  test('seeding twice leaves the same items', async () => {
    const progress: number[] = []
    const [first] = await seedModel(client, model, {
      modelFile: CRUDDUR_MODEL_FILE,
      items: { [table]: sample },
      onProgress: (p) => progress.push(p.written),
    })
    expect(first).toMatchObject({
      written: sample.length,
      total: sample.length,
      batches: Math.ceil(sample.length / 25),
    })
    expect(progress[progress.length - 1]).toBe(sample.length)
    const afterOnce = (await scanTable(client, table)).items
    await seedModel(client, model, { items: { [table]: sample } })
    const afterTwice = (await scanTable(client, table)).items
    expect(afterTwice).toHaveLength(sample.length)
    expect(new Map(afterTwice.map((r) => [byKey(r), r]))).toEqual(
      new Map(afterOnce.map((r) => [byKey(r), r])),
    )
    expect(new Map(afterTwice.map((r) => [byKey(r), r]))).toEqual(new Map(sample.map((r) => [byKey(r), r])))
    expect(await countItems(client, table)).toBe(sample.length)
  })

  test('the GSI is sparse: it holds only the conversation rows', async () => {
    const conversations = sample.filter((r) => r.message_group_uuid !== undefined)
    expect(await countItems(client, table, { index: 'message-group-sk-index' })).toBe(conversations.length)
  })

  test('pattern A returns the newest 20 messages, shown oldest to newest, and pages to older ones', async () => {
    const all = sample
      .filter((r) => r.pk === `MSG#${GROUP_ANDREW_BAYKO}` && String(r.sk).startsWith('2026'))
      .sort(desc)
    const first = await runPattern(client, model, 'A')
    expect(first.operation).toBe('Query')
    expect(first.request).toMatchObject({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :year)',
      ScanIndexForward: false,
      Limit: 20,
    })
    expect(first.items.map(byKey)).toEqual(all.slice(0, 20).map(byKey))
    expect(first.presented.map(byKey)).toEqual(all.slice(0, 20).reverse().map(byKey))
    expect(first.expectations.every((e) => e.held)).toBe(true)
    expect(first.consumedCapacity?.CapacityUnits).toBeGreaterThan(0)
    expect(first.lastEvaluatedKey).toBeDefined()

    const seen = [...first.items]
    let page = first
    while (page.lastEvaluatedKey) {
      page = await nextOlderPage(client, model, 'A', {}, page.lastEvaluatedKey)
      seen.push(...page.items)
    }
    expect(seen.map(byKey)).toEqual(all.map(byKey))
  })

  test('pattern A2 returns the messages between two times, newest first', async () => {
    const from = '2026-11-20T14:30:00.000000+00:00'
    const to = '2026-11-20T14:45:00.000000+00:00'
    const expected = sample
      .filter((r) => r.pk === `MSG#${GROUP_ANDREW_BAYKO}` && String(r.sk) >= from && String(r.sk) <= to)
      .sort(desc)
    expect(expected.length).toBeGreaterThan(5)
    const out = await runPattern(client, model, 'A2', { from, to })
    expect(out.items.map(byKey)).toEqual(expected.slice(0, 20).map(byKey))
  })

  test("pattern B returns a user's conversations, most recent first, naming the other person", async () => {
    for (const user of CRUDDUR_USERS) {
      const expected = sample.filter((r) => r.pk === `GRP#${user.uuid}`).sort(desc)
      const out = await runPattern(client, model, 'B', { user_uuid: user.uuid })
      expect(out.items.map(byKey)).toEqual(expected.map(byKey))
      for (const row of out.items) expect(row.user_uuid).not.toBe(user.uuid)
      expect(out.expectations.filter((e) => !e.held)).toEqual([])
    }
    const andrew = await runPattern(client, model, 'B')
    expect(andrew.items.map((r) => r.message_group_uuid)).toEqual([GROUP_ANDREW_BAYKO, GROUP_ANDREW_LONDO])
  })

  test("pattern D's read step finds both rows of a conversation through the GSI", async () => {
    const out = await runPattern(client, model, 'D', { message_group_uuid: GROUP_ANDREW_LONDO })
    expect(out.request).toMatchObject({ IndexName: 'message-group-sk-index' })
    expect(out.items.map(byKey).sort()).toEqual(
      sample
        .filter((r) => r.message_group_uuid === GROUP_ANDREW_LONDO)
        .map(byKey)
        .sort(),
    )
  })

  test('an unknown parameter or a bad uuid is refused with a coded error', async () => {
    await expect(runPattern(client, model, 'B', { user_uuid: 'not-a-uuid' })).rejects.toMatchObject({
      code: 'pattern.invalidParams',
    })
    await expect(runPattern(client, model, 'Z')).rejects.toMatchObject({ code: 'pattern.notFound' })
  })

  test('a parallel scan reads every item once, and limit stops early', async () => {
    const pagesSeen: number[] = []
    const all = await scanTable(client, table, {
      totalSegments: 3,
      pageSize: 40,
      onProgress: (p) => pagesSeen.push(p.pages),
    })
    expect(all.items.map(byKey).sort()).toEqual(sample.map(byKey).sort())
    expect(all.pages).toBeGreaterThanOrEqual(3)
    expect(pagesSeen.length).toBeGreaterThan(0)
    const some = await scanTable(client, table, { limit: 30, pageSize: 25 })
    expect(some.items).toHaveLength(30)
    expect(some.truncated).toBe(true)
  })

  test('a destructive preview counts the items it would delete', async () => {
    const preview = await describeDestructive(client, table, 'truncate')
    expect(preview.itemCount).toBe(sample.length)
    expect(preview.indexes).toEqual(['message-group-sk-index'])
    expect(preview.estimatedWriteUnits).toBeGreaterThanOrEqual(sample.length * 2)
    expect((await describeDestructive(client, table, 'dropTable')).estimatedWriteUnits).toBe(0)
  })
})
