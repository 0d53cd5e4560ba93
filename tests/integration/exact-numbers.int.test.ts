import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb'
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { ItemJson, ItemsPage } from '../../shared/contract/channels/workbench'
import { dispatch } from '../../shared/contract/dispatch'
import { normalizeNumber, parseExactJson } from '../../shared/domain/attribute-json'
import { parseModel } from '../../shared/domain/model'
import { fromRow, itemToJson } from '../../electron/services/item-json'
import { importModelText } from '../../electron/services/model-import'
import { parseDataFile } from '../../electron/services/formats/data-files'
import { runPattern } from '../../electron/services/pattern.service'
import { scanTable } from '../../electron/services/scan.service'
import { dropTable } from '../../electron/services/schema.service'
import { seedItems } from '../../electron/services/seed.service'
import { getStreamArn, StreamReader } from '../../electron/services/stream.service'
import { Workbench } from '../../electron/services/workbench'
import { localClientConfig, TARGETS } from '../support/targets'
import { assertBuilt, cli } from './cli-helpers'

/**
 * Issue 14 item 1: numbers beyond JS precision through every path, on DynamoDB Local and on our engine.
 * The three are DynamoDB's extremes: 38 significant digits, the smallest and the largest magnitude
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.Number).
 */
const BIG = '12345678901234567890.123456789012345678'
const TINY = '1E-130'
const HUGE = '9.9999999999999999999999999999999999999E+125'

/** Endpoints may spell a number differently (1E-130, 1e-130); the decimal must be the same. */
const same = (n: unknown) => normalizeNumber(String(n))
const numbersOf = (item: ItemJson) => ({
  big: same((item.big as { N: string }).N),
  tiny: same((item.tiny as { N: string }).N),
  huge: same((item.huge as { N: string }).N),
  nested: same((item.m as { M: { l: { L: { N: string }[] } } }).M.l.L[0]!.N),
  set: (item.ns as { NS: string[] }).NS.map(same).sort(),
})
const expected = {
  big: same(BIG),
  tiny: same(TINY),
  huge: same(HUGE),
  nested: same(HUGE),
  set: [same(BIG), same(TINY)].sort(),
}

describe.each(TARGETS)('exact numbers on $name', ({ name, start }) => {
  let endpoint: string
  let stop: () => Promise<void> = async () => {}
  const table = `exact-numbers-${process.pid}`
  let client: DynamoDBClient
  let wb: Workbench
  const accessKeyId = 'exactnumbers'
  const config = () => ({
    ...localClientConfig(endpoint),
    credentials: { accessKeyId, secretAccessKey: 'x' },
  })

  beforeAll(async () => {
    ;({ endpoint, stop } = await start())
    client = new DynamoDBClient(config())
    await client.send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    )
    await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: table })
    await client.send(
      new PutItemCommand({
        TableName: table,
        Item: {
          pk: { S: 'n#1' },
          note: { S: 'before' },
          big: { N: BIG },
          tiny: { N: TINY },
          huge: { N: HUGE },
          ns: { NS: [BIG, TINY] },
          m: { M: { l: { L: [{ N: HUGE }] } } },
        },
      }),
    )
    wb = new Workbench({
      version: 'test',
      host: 'browser',
      profiles: [{ id: 'target', name, kind: 'dynamodb-local', endpoint, region: 'us-east-1', accessKeyId }],
    })
  })
  afterAll(async () => {
    await dropTable(client, table)
    await wb.dispose()
    client.destroy()
    await stop()
  })

  const page = async () => {
    const r = await dispatch(wb.handlers, 'items:page', {
      connectionId: 'target',
      tableName: table,
      limit: 10,
    })
    if (!r.ok) throw new Error(`${r.code}: ${r.message}`)
    return (r.value as ItemsPage).items
  }

  test('the visualizer page and a save of another attribute keep every number', async () => {
    const [loaded] = await page()
    expect(numbersOf(loaded!)).toEqual(expected)
    const saved = await dispatch(wb.handlers, 'items:put', {
      connectionId: 'target',
      tableName: table,
      item: { ...loaded!, note: { S: 'after' } },
      expected: loaded!,
    })
    expect(saved).toMatchObject({ ok: true })
    const [after] = await page()
    expect(after!.note).toEqual({ S: 'after' })
    expect(numbersOf(after!)).toEqual(expected)
  })

  test('Export JSON and CSV write every number digit for digit', async () => {
    const json = await dispatch(wb.handlers, 'data:export', {
      connectionId: 'target',
      tableName: table,
      format: 'json',
    })
    if (!json.ok) throw new Error(`${json.code}: ${json.message}`)
    // Read back as the app's import reads it (sets are written tagged, numbers as exact literals): the same numbers.
    const read = parseDataFile((json.value as { content: string }).content, 'json')
    expect(read.errors).toEqual([])
    expect(numbersOf(read.items[0]!.item)).toEqual(expected)
    const csv = await dispatch(wb.handlers, 'data:export', {
      connectionId: 'target',
      tableName: table,
      format: 'csv',
    })
    if (!csv.ok) throw new Error(`${csv.code}: ${csv.message}`)
    const [, line] = (csv.value as { content: string }).content.trim().split('\n')
    // Number cells are never quoted: each is one whole comma-separated field.
    const cells = line!.split(',').map((c) => (/^[-+.\dE]+$/i.test(c) ? same(c) : c))
    for (const n of [BIG, TINY, HUGE]) expect(cells).toContain(same(n))
  })

  test('a pattern filters on a 38-digit parameter exactly and returns the numbers exactly', async () => {
    const parsed = parseModel({
      name: 'exact',
      tables: [
        {
          name: table,
          attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
          keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
        },
      ],
      accessPatterns: [
        {
          id: 'byBig',
          name: 'the item whose big is exactly the parameter',
          operation: 'Query',
          table,
          keyCondition: 'pk = :pk',
          filter: 'big = :big',
          values: { ':pk': 'n#1', ':big': '{big}' },
          params: [{ name: 'big', type: 'number' }],
        },
      ],
    })
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
    const hit = await runPattern(client, parsed.model, 'byBig', { big: BIG })
    expect(hit.items).toHaveLength(1)
    expect(numbersOf(fromRow(hit.items[0]!) as ItemJson)).toEqual(expected)
    // One unit less in the last of 38 digits is another number: a float would have matched both.
    const miss = await runPattern(client, parsed.model, 'byBig', { big: BIG.replace(/8$/, '7') })
    expect(miss.items).toHaveLength(0)
  })

  test('a scan and the stream record carry the exact numbers to a handler', async () => {
    const scanned = await scanTable(client, table)
    expect(numbersOf(fromRow(scanned.items[0]!) as ItemJson)).toEqual(expected)
    const streams = new DynamoDBStreamsClient(config())
    try {
      const reader = await new StreamReader(streams, await getStreamArn(client, streams, table)).open()
      const records = await reader.poll()
      const insert = records.find((r) => r.eventName === 'INSERT')
      expect(insert?.newImage).toBeDefined()
      expect(numbersOf(fromRow(insert!.newImage!) as ItemJson)).toEqual(expected)
    } finally {
      streams.destroy()
    }
  })

  test('sample items imported from a NoSQL Workbench file are seeded exactly', async () => {
    const file = {
      ModelName: 'exact',
      DataModel: [
        {
          TableName: table,
          KeyAttributes: { PartitionKey: { AttributeName: 'pk', AttributeType: 'S' } },
          TableData: [
            {
              pk: { S: 'n#2' },
              big: { N: BIG },
              tiny: { N: TINY },
              huge: { N: HUGE },
              ns: { NS: [BIG, TINY] },
              m: { M: { l: { L: [{ N: HUGE }] } } },
            },
          ],
        },
      ],
    }
    const { model } = importModelText(`\uFEFF${JSON.stringify(file)}`, 'exact.json')
    await seedItems(client, table, ['pk'], model.sampleData!.items![table]!)
    const got = await client.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: 'n#2' } }, ConsistentRead: true }),
    )
    expect(numbersOf(itemToJson(got.Item!))).toEqual(expected)
  })

  test('tablewright scan prints the numbers exactly, as JSON and as a table', async () => {
    assertBuilt()
    const args = ['scan', table, '--endpoint', endpoint, '--access-key-id', accessKeyId]
    const json = await cli([...args, '--json'])
    expect(json.stderr).not.toMatch(/internal/)
    expect(json.code).toBe(0)
    expect(json.stdout).toContain(`"big": ${BIG}`)
    const [row] = (parseExactJson(json.stdout) as { items: Record<string, unknown>[] }).items
    expect(numbersOf(fromRow({ ...row, ns: new Set(row!.ns as unknown[]) }) as ItemJson)).toEqual(expected)
    const text = await cli(args)
    expect(text.code).toBe(0)
    expect(text.stdout).toContain(BIG)
  })
})
