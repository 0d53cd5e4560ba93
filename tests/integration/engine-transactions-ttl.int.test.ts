/**
 * Transactions and TTL through the real doors: the engine's HTTP server with the AWS SDK (concurrent transactions
 * against single writes, checking that no partial transaction is ever visible), and `tablewright engine` with its
 * clock read and advanced by `tablewright engine-clock`, expiring an item whose REMOVE record the SDK's streams
 * client reads.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  UpdateItemCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb'
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams'
import { createEngine, startEngineServer, type Engine, type EngineServer } from '../../electron/engine'
import type { ChangeEvent } from '../../electron/engine'
import { supportsTransactions } from '../../electron/services/capabilities'
import { assertBuilt, cli, spawnEngine, type SpawnedEngine } from './cli-helpers'

const credentials = { accessKeyId: 'anything', secretAccessKey: 'anything' }
const ACCOUNTS = 8
const START_BALANCE = 100

describe('transactions over HTTP, concurrent with single writes', () => {
  let engine: Engine
  let server: EngineServer
  let client: DynamoDBClient

  beforeAll(async () => {
    engine = createEngine()
    server = await startEngineServer(engine, { port: 0 })
    client = new DynamoDBClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    })
    await client.send(
      new CreateTableCommand({
        TableName: 'accounts',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    )
    for (let i = 0; i < ACCOUNTS; i++)
      await client.send(
        new PutItemCommand({
          TableName: 'accounts',
          Item: { id: { S: `a${i}` }, balance: { N: String(START_BALANCE) } },
        }),
      )
  })

  afterAll(async () => {
    client?.destroy()
    await server?.close()
  })

  test('money moves between accounts all-or-nothing: every read of all accounts sums to the same total', async () => {
    const events: ChangeEvent[] = []
    engine.subscribe((e) => events.push(e))
    const ids = Array.from({ length: ACCOUNTS }, (_, i) => `a${i}`)
    // A fixed pseudo-random sequence, so a failure can be replayed.
    let seed = 7
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n)
    const transfers: Promise<'done' | 'cancelled'>[] = []
    const reads: Promise<number>[] = []
    const singles: Promise<unknown>[] = []
    for (let round = 0; round < 150; round++) {
      const from = ids[next(ACCOUNTS)] as string
      let to = ids[next(ACCOUNTS)] as string
      if (to === from) to = ids[(ids.indexOf(from) + 1) % ACCOUNTS] as string
      const amount = 1 + next(60)
      transfers.push(
        client
          .send(
            new TransactWriteItemsCommand({
              TransactItems: [
                {
                  Update: {
                    TableName: 'accounts',
                    Key: { id: { S: from } },
                    UpdateExpression: 'SET balance = balance - :a',
                    ConditionExpression: 'balance >= :a',
                    ExpressionAttributeValues: { ':a': { N: String(amount) } },
                  },
                },
                {
                  Update: {
                    TableName: 'accounts',
                    Key: { id: { S: to } },
                    UpdateExpression: 'SET balance = balance + :a',
                    ExpressionAttributeValues: { ':a': { N: String(amount) } },
                  },
                },
              ],
            }),
          )
          .then(
            () => 'done' as const,
            (err: unknown) => {
              if (err instanceof TransactionCanceledException) return 'cancelled' as const
              throw err
            },
          ),
      )
      // Single writes to the same items, touching another attribute: they must neither be lost nor lose a transfer.
      singles.push(
        client.send(
          new UpdateItemCommand({
            TableName: 'accounts',
            Key: { id: { S: ids[next(ACCOUNTS)] as string } },
            UpdateExpression: 'ADD touched :one',
            ExpressionAttributeValues: { ':one': { N: '1' } },
          }),
        ),
      )
      reads.push(
        client
          .send(
            new TransactGetItemsCommand({
              TransactItems: ids.map((id) => ({ Get: { TableName: 'accounts', Key: { id: { S: id } } } })),
            }),
          )
          .then((out) => (out.Responses ?? []).reduce((sum, r) => sum + Number(r.Item?.balance?.N), 0)),
      )
    }
    const outcomes = await Promise.all(transfers)
    await Promise.all(singles)
    const sums = await Promise.all(reads)
    expect(new Set(sums)).toEqual(new Set([ACCOUNTS * START_BALANCE]))
    const done = outcomes.filter((o) => o === 'done').length
    expect(done).toBeGreaterThan(0)
    const scan = await client.send(new ScanCommand({ TableName: 'accounts', ConsistentRead: true }))
    const items = scan.Items ?? []
    expect(items.reduce((sum, i) => sum + Number(i.balance?.N), 0)).toBe(ACCOUNTS * START_BALANCE)
    expect(items.every((i) => Number(i.balance?.N) >= 0)).toBe(true)
    expect(items.reduce((sum, i) => sum + Number(i.touched?.N ?? 0), 0)).toBe(150)
    // Each transfer that went through wrote exactly its two items; a cancelled one wrote nothing.
    const balance = (item: Record<string, unknown> | undefined) => JSON.stringify(item?.balance)
    const balanceChanges = events.filter(
      (e) => balance(e.record.dynamodb.OldImage) !== balance(e.record.dynamodb.NewImage),
    )
    expect(balanceChanges.length).toBe(2 * done)
  })

  test('the workbench probes the capability per connection: the engine and DynamoDB Local have transactions', async () => {
    expect(await supportsTransactions(client)).toBe(true)
    const local = new DynamoDBClient({
      endpoint: inject('ddbLocalEndpoint'),
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    })
    try {
      expect(await supportsTransactions(local)).toBe(true)
    } finally {
      local.destroy()
    }
  })

  test('a cancelled transaction over the SDK carries its reasons in request order', async () => {
    const err = await client
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'accounts', Item: { id: { S: 'new' } } } },
            {
              ConditionCheck: {
                TableName: 'accounts',
                Key: { id: { S: 'a0' } },
                ConditionExpression: 'balance > :huge',
                ExpressionAttributeValues: { ':huge': { N: '1000000' } },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
          ],
        }),
      )
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TransactionCanceledException)
    const reasons = (err as TransactionCanceledException).CancellationReasons ?? []
    expect(reasons.map((r) => r.Code)).toEqual(['None', 'ConditionalCheckFailed'])
    expect(reasons[1]?.Item?.id).toEqual({ S: 'a0' })
    expect(
      (await client.send(new GetItemCommand({ TableName: 'accounts', Key: { id: { S: 'new' } } }))).Item,
    ).toBeUndefined()
  })
})

describe('`tablewright engine` with a controllable clock', () => {
  let spawned: SpawnedEngine
  let client: DynamoDBClient
  let streams: DynamoDBStreamsClient

  beforeAll(async () => {
    assertBuilt()
    spawned = await spawnEngine([
      '--clock-start',
      '2030-01-01T00:00:00Z',
      '--clock-frozen',
      '--ttl-sweep',
      '0',
    ])
    client = new DynamoDBClient({ endpoint: spawned.endpoint, region: 'us-east-1', credentials })
    streams = new DynamoDBStreamsClient({ endpoint: spawned.endpoint, region: 'us-east-1', credentials })
  })

  afterAll(async () => {
    client?.destroy()
    streams?.destroy()
    await spawned?.stop()
  })

  test('engine-clock reads and advances the clock; TTL expires the item and the stream says who deleted it', async () => {
    const start = Date.parse('2030-01-01T00:00:00Z') / 1000
    const created = await client.send(
      new CreateTableCommand({
        TableName: 'sessions',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'OLD_IMAGE' },
      }),
    )
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: 'sessions',
        TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' },
      }),
    )
    await client.send(
      new PutItemCommand({
        TableName: 'sessions',
        Item: { id: { S: 'short' }, expires: { N: String(start + 30 * 60) } },
      }),
    )
    await client.send(
      new PutItemCommand({
        TableName: 'sessions',
        Item: { id: { S: 'long' }, expires: { N: String(start + 5 * 3600) } },
      }),
    )

    const read = await cli(['engine-clock', 'get', '--endpoint', spawned.endpoint, '--json'])
    expect(read.code).toBe(0)
    expect(read.json()).toMatchObject({ ok: true, iso: '2030-01-01T00:00:00.000Z', frozen: true })

    const advanced = await cli(['engine-clock', 'advance', '1h', '--endpoint', spawned.endpoint, '--json'])
    expect(advanced.code).toBe(0)
    expect(advanced.json()).toMatchObject({
      ok: true,
      iso: '2030-01-01T01:00:00.000Z',
      advancedMs: 3_600_000,
      expired: 1,
    })
    expect(
      (await client.send(new GetItemCommand({ TableName: 'sessions', Key: { id: { S: 'short' } } }))).Item,
    ).toBeUndefined()
    expect(
      (await client.send(new GetItemCommand({ TableName: 'sessions', Key: { id: { S: 'long' } } }))).Item,
    ).toBeDefined()

    const arn = created.TableDescription?.LatestStreamArn as string
    const shard = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription
      ?.Shards?.[0]?.ShardId
    const it = await streams.send(
      new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }),
    )
    const records =
      (await streams.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }))).Records ?? []
    const removes = records.filter((r) => r.eventName === 'REMOVE')
    expect(removes).toHaveLength(1)
    expect(removes[0]?.userIdentity).toEqual({ PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' })
    expect(removes[0]?.dynamodb?.OldImage?.id).toEqual({ S: 'short' })
    // Stream times follow the engine clock, not the wall clock.
    expect(removes[0]?.dynamodb?.ApproximateCreationDateTime?.toISOString()).toBe('2030-01-01T01:00:00.000Z')
  })

  test('engine-clock refuses a bad duration and an endpoint without a clock', async () => {
    const before = (await cli(['engine-clock', '--endpoint', spawned.endpoint, '--json'])).json().iso
    const bad = await cli(['engine-clock', 'advance', 'soon', '--endpoint', spawned.endpoint, '--json'])
    expect(bad.code).not.toBe(0)
    expect(bad.json()).toMatchObject({ ok: false, code: 'input.invalid' })
    // A browser page cannot move the clock.
    const fromPage = await fetch(`${spawned.endpoint}/tablewright/clock`, {
      method: 'POST',
      headers: { Origin: 'http://evil.example', 'Content-Type': 'text/plain' },
      body: '{"advance":"1d"}',
    })
    expect(fromPage.status).toBe(403)
    expect((await cli(['engine-clock', '--endpoint', spawned.endpoint, '--json'])).json().iso).toBe(before)
    const nothing = await cli(['engine-clock', '--endpoint', 'http://127.0.0.1:9', '--json'])
    expect(nothing.json()).toMatchObject({ ok: false, code: 'engine.unavailable' })
  })
})
