import {
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  type BatchWriteItemCommandInput,
  type BatchWriteItemCommandOutput,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { TARGETS, localClientConfig } from '../support/targets'
import { parseModel, type Model } from '../../shared/domain/model'
import { dropTable, schemaLoad } from '../../electron/services/schema.service'
import { countItems, seedModel } from '../../electron/services/seed.service'
import { scanTable } from '../../electron/services/scan.service'

/**
 * Fault injection on a real client: the first `throttles` BatchWriteItem calls fail as throttled without being
 * sent, and the next `partials` calls send only half their requests and hand the other half back as
 * UnprocessedItems, as DynamoDB does under load. The writes that do go out reach the real endpoint.
 */
function injectBatchFaults(client: DynamoDBClient, faults: { throttles: number; partials: number }) {
  const seen = { throttled: 0, partial: 0 }
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'BatchWriteItemCommand') return next(args)
      if (seen.throttled < faults.throttles) {
        seen.throttled++
        throw new ProvisionedThroughputExceededException({ message: 'injected throttle', $metadata: {} })
      }
      if (seen.partial >= faults.partials) return next(args)
      seen.partial++
      const input = args.input as BatchWriteItemCommandInput
      const kept: Record<string, WriteRequest[]> = {}
      const withheld: Record<string, WriteRequest[]> = {}
      for (const [table, requests] of Object.entries(input.RequestItems ?? {})) {
        const half = Math.ceil(requests.length / 2)
        kept[table] = requests.slice(0, half)
        if (requests.length > half) withheld[table] = requests.slice(half)
      }
      const out = await next({ ...args, input: { ...input, RequestItems: kept } })
      const output = out.output as BatchWriteItemCommandOutput
      return { ...out, output: { ...output, UnprocessedItems: { ...output.UnprocessedItems, ...withheld } } }
    },
    { step: 'initialize', name: 'injectBatchFaults' },
  )
  return seen
}

describe.each(TARGETS)('seeding on $name', ({ start }) => {
  let endpoint: string
  let stop: () => Promise<void> = async () => {}
  const table = `svc-seed-${process.pid}`
  let client: DynamoDBClient
  let model: Model
  const items = Array.from({ length: 60 }, (_, i) => ({
    pk: `P#${i % 6}`,
    sk: `S#${String(i).padStart(3, '0')}`,
    n: i,
    tags: ['a', `t${i % 3}`],
  }))

  beforeAll(async () => {
    ;({ endpoint, stop } = await start())
    client = new DynamoDBClient(localClientConfig(endpoint))
    const parsed = parseModel({
      name: 'seed-test',
      tables: [
        {
          name: table,
          attributeDefinitions: [
            { attributeName: 'pk', attributeType: 'S' },
            { attributeName: 'sk', attributeType: 'S' },
          ],
          keySchema: [
            { attributeName: 'pk', keyType: 'HASH' },
            { attributeName: 'sk', keyType: 'RANGE' },
          ],
        },
      ],
      sampleData: { items: { [table]: items } },
    })
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
    model = parsed.model
    await schemaLoad(client, model)
  })
  afterAll(async () => {
    await dropTable(client, table)
    client.destroy()
    await stop()
  })

  test('throttled calls and UnprocessedItems are retried until every item is written', async () => {
    const faulty = new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    })
    const seen = injectBatchFaults(faulty, { throttles: 2, partials: 3 })
    const progress: number[] = []
    const [result] = await seedModel(faulty, model, {
      onProgress: (p) => progress.push(p.written),
      delay: async () => {},
    })
    expect(seen).toEqual({ throttled: 2, partial: 3 })
    expect(result).toMatchObject({ written: 60, total: 60, batches: 3 })
    expect(result!.retries).toBe(5)
    expect(progress).toEqual([...progress].sort((a, b) => a - b))
    expect(progress[progress.length - 1]).toBe(60)
    const stored = (await scanTable(client, table)).items
    expect(stored.map((r) => `${String(r.pk)}|${String(r.sk)}`).sort()).toEqual(
      items.map((r) => `${r.pk}|${r.sk}`).sort(),
    )
    faulty.destroy()
  })

  test('a seed that keeps being throttled gives up with dynamodb.throttled', async () => {
    const faulty = new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    })
    injectBatchFaults(faulty, { throttles: 100, partials: 0 })
    await expect(seedModel(faulty, model, { maxAttempts: 4, delay: async () => {} })).rejects.toMatchObject({
      code: 'dynamodb.throttled',
    })
    faulty.destroy()
  })

  test('running the seed again leaves the same items', async () => {
    await seedModel(client, model)
    await seedModel(client, model)
    expect(await countItems(client, table)).toBe(60)
    const stored = (await scanTable(client, table, { totalSegments: 2 })).items
    const byKey = new Map(stored.map((r) => [`${String(r.pk)}|${String(r.sk)}`, r]))
    for (const item of items) expect(byKey.get(`${item.pk}|${item.sk}`)).toEqual(item)
  })
})
