import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  PutItemCommand,
  ResourceNotFoundException,
  paginateScan,
} from '@aws-sdk/client-dynamodb'
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  BatchWriteCommand,
} from '@aws-sdk/lib-dynamodb'
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
} from '@aws-sdk/client-dynamodb-streams'
import { createEngine, startEngineServer, type Engine, type EngineServer } from '../../electron/engine'
import { SINGLE_TABLE } from '../../electron/engine/test-support'

let engine: Engine
let server: EngineServer
let client: DynamoDBClient
let doc: DynamoDBDocumentClient

const credentials = { accessKeyId: 'anything', secretAccessKey: 'anything' }

beforeAll(async () => {
  engine = createEngine()
  server = await startEngineServer(engine, { port: 0 })
  client = new DynamoDBClient({ endpoint: server.endpoint, region: 'eu-central-1', credentials })
  doc = DynamoDBDocumentClient.from(client)
  await client.send(new CreateTableCommand(SINGLE_TABLE as never))
})

afterAll(async () => {
  client?.destroy()
  await server?.close()
})

async function raw(target: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(server.endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': target, ...headers },
    body,
  })
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> }
}

describe('the HTTP door with the AWS SDK v3', () => {
  test('binds loopback on a free port and answers ListTables', async () => {
    expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.port).toBeGreaterThan(0)
    const out = await client.send(new ListTablesCommand({}))
    expect(out.TableNames).toEqual(['app'])
  })

  test('DocumentClient put / get / update / query newest-first with paging', async () => {
    for (let i = 0; i < 7; i++) {
      await doc.send(
        new PutCommand({
          TableName: 'app',
          Item: { pk: 'USER#1', sk: `ORDER#${i}`, total: i * 10, tags: new Set(['a', 'b']) },
        }),
      )
    }
    const got = await doc.send(new GetCommand({ TableName: 'app', Key: { pk: 'USER#1', sk: 'ORDER#3' } }))
    expect(got.Item).toEqual({ pk: 'USER#1', sk: 'ORDER#3', total: 30, tags: new Set(['a', 'b']) })
    const updated = await doc.send(
      new UpdateCommand({
        TableName: 'app',
        Key: { pk: 'USER#1', sk: 'ORDER#3' },
        UpdateExpression: 'SET #t = :t',
        ExpressionAttributeNames: { '#t': 'total' },
        ExpressionAttributeValues: { ':t': 31 },
        ReturnValues: 'ALL_NEW',
      }),
    )
    expect(updated.Attributes?.total).toBe(31)
    const seen: string[] = []
    let start: Record<string, unknown> | undefined
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: 'app',
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': 'USER#1' },
          ScanIndexForward: false,
          Limit: 3,
          ExclusiveStartKey: start,
        }),
      )
      seen.push(...(page.Items ?? []).map((i) => i.sk as string))
      start = page.LastEvaluatedKey
    } while (start)
    expect(seen).toEqual(['ORDER#6', 'ORDER#5', 'ORDER#4', 'ORDER#3', 'ORDER#2', 'ORDER#1', 'ORDER#0'])
  })

  test('GSI and LSI queries and a paginated scan', async () => {
    await doc.send(
      new BatchWriteCommand({
        RequestItems: {
          app: [1, 2, 3].map((i) => ({
            PutRequest: {
              Item: { pk: `TEAM#${i}`, sk: 'META', gsi1pk: 'TEAMS', gsi1sk: `NAME#${4 - i}`, lsk: i },
            },
          })),
        },
      }),
    )
    const gsi = await doc.send(
      new QueryCommand({
        TableName: 'app',
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :g',
        ExpressionAttributeValues: { ':g': 'TEAMS' },
      }),
    )
    expect(gsi.Items?.map((i) => i.pk)).toEqual(['TEAM#3', 'TEAM#2', 'TEAM#1'])
    const lsi = await doc.send(
      new QueryCommand({
        TableName: 'app',
        IndexName: 'lsi1',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': 'TEAM#2' },
      }),
    )
    expect(lsi.Items).toEqual([{ pk: 'TEAM#2', sk: 'META', lsk: 2 }])
    let scanned = 0
    let pages = 0
    for await (const page of paginateScan({ client, pageSize: 4 }, { TableName: 'app' })) {
      scanned += page.Count ?? 0
      pages++
    }
    const described = await client.send(new DescribeTableCommand({ TableName: 'app' }))
    expect(scanned).toBe(described.Table?.ItemCount)
    expect(pages).toBeGreaterThan(1)
  })

  test('stream records through the DynamoDB Streams client', async () => {
    const streams = new DynamoDBStreamsClient({
      endpoint: server.endpoint,
      region: 'eu-central-1',
      credentials,
    })
    const list = await streams.send(new ListStreamsCommand({ TableName: 'app' }))
    const arn = list.Streams?.[0]?.StreamArn as string
    const described = await streams.send(new DescribeStreamCommand({ StreamArn: arn }))
    expect(described.StreamDescription?.StreamStatus).toBe('ENABLED')
    expect(described.StreamDescription?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ])
    const shardId = described.StreamDescription?.Shards?.[0]?.ShardId as string
    const it = await streams.send(
      new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'LATEST' }),
    )
    await doc.send(new PutCommand({ TableName: 'app', Item: { pk: 'STREAM', sk: '1', v: 'x' } }))
    const records = await streams.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator, Limit: 10 }))
    expect(records.Records).toHaveLength(1)
    const r = records.Records?.[0]
    expect(r?.eventName).toBe('INSERT')
    expect(r?.dynamodb?.NewImage).toEqual({ pk: { S: 'STREAM' }, sk: { S: '1' }, v: { S: 'x' } })
    expect(r?.dynamodb?.ApproximateCreationDateTime).toBeInstanceOf(Date)
    expect(records.NextShardIterator).toBeTruthy()
    streams.destroy()
  })

  test('writes over HTTP reach in-process subscribers without polling', async () => {
    const changes = engine.changes('app')
    await doc.send(new PutCommand({ TableName: 'app', Item: { pk: 'WATCH', sk: '1', v: 1 } }))
    const first = await changes.next()
    await changes.return?.()
    expect(first.value?.record.eventName).toBe('INSERT')
    expect(first.value?.record.dynamodb.Keys).toEqual({ pk: { S: 'WATCH' }, sk: { S: '1' } })
    expect(first.value?.streamArn).toMatch(/\/stream\//)
  })

  test('DynamoDB errors arrive as the SDK exception classes', async () => {
    await expect(
      doc.send(
        new PutCommand({
          TableName: 'app',
          Item: { pk: 'STREAM', sk: '1' },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    ).rejects.toBeInstanceOf(ConditionalCheckFailedException)
    await expect(client.send(new DescribeTableCommand({ TableName: 'missing' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    )
    const err = await client
      .send(new PutItemCommand({ TableName: 'app', Item: { pk: { N: '1' }, sk: { S: 'x' } } }))
      .catch((e: unknown) => e as Error)
    expect(err).toMatchObject({
      name: 'ValidationException',
      message: 'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N',
    })
    expect((err as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(400)
  })
})

describe('the HTTP door on the wire', () => {
  test('malformed JSON, unknown operations and wrong member types', async () => {
    const bad = await raw('DynamoDB_20120810.ListTables', '{"Limit": ')
    expect(bad.status).toBe(400)
    expect(bad.json.__type).toBe('com.amazon.coral.service#SerializationException')
    const unknown = await raw('DynamoDB_20120810.NoSuchOperation', '{}')
    expect(unknown.json.__type).toBe('com.amazonaws.dynamodb.v20120810#UnknownOperationException')
    const noTarget = await raw('Nope.ListTables', '{}')
    expect(noTarget.json.__type).toBe('com.amazonaws.dynamodb.v20120810#UnknownOperationException')
    const wrongType = await raw('DynamoDB_20120810.ListTables', '{"Limit":"x"}')
    expect(wrongType.json.__type).toBe('com.amazon.coral.service#SerializationException')
    const streamsNotFound = await raw(
      'DynamoDBStreams_20120810.DescribeStream',
      JSON.stringify({ StreamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/nope/stream/2020' }),
    )
    expect(streamsNotFound.json.__type).toBe('com.amazonaws.dynamodb.v20120810#ResourceNotFoundException')
    // An ARN shorter than any stream ARN fails the API's length constraint first.
    const streamsShortArn = await raw('DynamoDBStreams_20120810.DescribeStream', '{"StreamArn":"arn:nope"}')
    expect(streamsShortArn.json.__type).toBe('com.amazon.coral.validate#ValidationException')
    expect(bad.headers.get('access-control-allow-origin')).toBeNull()
  })

  test('GET / answers the health text real DynamoDB answers', async () => {
    const res = await fetch(server.endpoint)
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('healthy: dynamodb.us-east-1.amazonaws.com ')
  })

  test('invalid UTF-8 is refused, so two different byte strings never become one key', async () => {
    const body = (bytes: number[]) =>
      Buffer.concat([
        Buffer.from('{"TableName":"app","Item":{"pk":{"S":"utf'),
        Buffer.from(bytes),
        Buffer.from('"},"sk":{"S":"1"}}}'),
      ])
    for (const bytes of [[0xff], [0xfe], [0xc3, 0x28], [0xed, 0xa0, 0x80]]) {
      const res = await fetch(server.endpoint, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-amz-json-1.0',
          'X-Amz-Target': 'DynamoDB_20120810.PutItem',
        },
        body: body(bytes),
      })
      expect(res.status).toBe(400)
      expect(((await res.json()) as Record<string, unknown>).__type).toBe(
        'com.amazon.coral.service#SerializationException',
      )
    }
    const scan = await raw(
      'DynamoDB_20120810.Scan',
      JSON.stringify({
        TableName: 'app',
        FilterExpression: 'begins_with(pk, :p)',
        ExpressionAttributeValues: { ':p': { S: 'utf' } },
      }),
    )
    expect(scan.json.Count).toBe(0)
  })

  test('an unexpected failure answers 500 and the server keeps serving', async () => {
    const original = engine.handle.bind(engine)
    engine.handle = (operation, request, service) => {
      if (operation === 'DescribeLimits') throw new TypeError('simulated engine bug')
      return original(operation, request, service)
    }
    try {
      const res = await raw('DynamoDB_20120810.DescribeLimits', '{}')
      expect(res.status).toBe(500)
      expect(res.json.__type).toBe('com.amazonaws.dynamodb.v20120810#InternalServerError')
      expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual(['app'])
    } finally {
      engine.handle = original
    }
  })

  test('a required access key id, and CORS only when asked', async () => {
    const guarded = await startEngineServer(engine, { port: 0, requireAccessKeyId: 'workbench', cors: true })
    try {
      const wrong = new DynamoDBClient({ endpoint: guarded.endpoint, region: 'us-east-1', credentials })
      await expect(wrong.send(new ListTablesCommand({}))).rejects.toMatchObject({
        name: 'UnrecognizedClientException',
      })
      wrong.destroy()
      const right = new DynamoDBClient({
        endpoint: guarded.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'workbench', secretAccessKey: 'x' },
      })
      expect((await right.send(new ListTablesCommand({}))).TableNames).toEqual(['app'])
      right.destroy()
      const anonymous = await fetch(guarded.endpoint, {
        method: 'POST',
        headers: { 'X-Amz-Target': 'DynamoDB_20120810.ListTables', Origin: 'http://localhost:5173' },
        body: '{}',
      })
      expect(anonymous.status).toBe(400)
      expect(anonymous.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
      expect(((await anonymous.json()) as { __type: string }).__type).toMatch(/MissingAuthenticationToken/)
    } finally {
      await guarded.close()
    }
  })
})
