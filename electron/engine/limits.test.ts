import { describe, expect, test } from 'vitest'
import { createEngine, type Engine } from '.'
import { LIMIT_MESSAGES } from './limits'
import { engineWithTable, errorOf, n, s } from './test-support'

// Answers are walked loosely here; each expectation checks the shape it reads.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Out = Record<string, any>

const key = { pk: s('a'), sk: s('1') }

async function scanAll(engine: Engine, req: Out = {}): Promise<Out[]> {
  const items: Out[] = []
  let start: Out | undefined
  do {
    const page = (await engine.call('Scan', {
      TableName: 'app',
      ...req,
      ...(start ? { ExclusiveStartKey: start } : {}),
    })) as Out
    items.push(...(page.Items as Out[]))
    start = page.LastEvaluatedKey
  } while (start)
  return items
}

describe('limits on every write path', () => {
  test('UpdateItem cannot build an item nested deeper than 32 levels; the stored item and its stream stay readable', async () => {
    const engine = await engineWithTable()
    await engine.call('PutItem', { TableName: 'app', Item: { ...key, x: { M: { a: s('leaf') } } } })
    let refused = 0
    for (let i = 0; i < 40; i++) {
      try {
        await engine.call('UpdateItem', { TableName: 'app', Key: key, UpdateExpression: 'SET x.a = x' })
      } catch (err) {
        expect((err as Error).message).toBe(LIMIT_MESSAGES.nesting)
        refused++
      }
    }
    // x starts 2 levels deep and gains one level per update: 30 updates reach 32, the other 10 are refused.
    expect(refused).toBe(10)
    let depth = 0
    let v: Out | undefined = ((await engine.call('GetItem', { TableName: 'app', Key: key })) as Out).Item.x
    while (v) {
      depth++
      v = v.M?.a
    }
    expect(depth).toBe(32)
    const arn = ((await engine.call('DescribeTable', { TableName: 'app' })) as Out).Table.LatestStreamArn
    const shard = ((await engine.call('DescribeStream', { StreamArn: arn })) as Out).StreamDescription
      .Shards[0].ShardId
    const it = (await engine.call('GetShardIterator', {
      StreamArn: arn,
      ShardId: shard,
      ShardIteratorType: 'TRIM_HORIZON',
    })) as Out
    expect(
      ((await engine.call('GetRecords', { ShardIterator: it.ShardIterator })) as Out).Records,
    ).toHaveLength(31)
    expect(await scanAll(engine)).toHaveLength(1)
  })

  test('a BatchWriteItem put and a PutItem are held to the same nesting, name and key limits', async () => {
    const engine = await engineWithTable()
    let deep: Out = s('leaf')
    for (let i = 0; i < 32; i++) deep = { L: [deep] }
    const cases: [Out, string][] = [
      [{ ...key, deep }, LIMIT_MESSAGES.nesting],
      [{ ...key, '': s('x') }, LIMIT_MESSAGES.emptyName],
      [{ ...key, m: { M: { '': s('x') } } }, LIMIT_MESSAGES.emptyName],
      [{ ...key, ['n'.repeat(65536)]: s('x') }, LIMIT_MESSAGES.longName],
      [{ pk: s('p'.repeat(2049)), sk: s('1') }, LIMIT_MESSAGES.partitionKey],
      [{ pk: s('a'), sk: s('é'.repeat(513)) }, LIMIT_MESSAGES.sortKey],
      [{ ...key, gsi1pk: s('g'.repeat(2049)) }, LIMIT_MESSAGES.partitionKey],
    ]
    for (const [Item, message] of cases) {
      expect((await errorOf(engine.call('PutItem', { TableName: 'app', Item }))).message).toBe(message)
      expect(
        (await errorOf(engine.call('BatchWriteItem', { RequestItems: { app: [{ PutRequest: { Item } }] } })))
          .message,
      ).toBe(message)
    }
    // At the limits exactly, everything is stored.
    await engine.call('PutItem', {
      TableName: 'app',
      Item: { pk: s('p'.repeat(2048)), sk: s('é'.repeat(512)), ['n'.repeat(65535)]: s('x') },
    })
    expect(await scanAll(engine)).toHaveLength(1)
    // Reads refuse an oversized key as DynamoDB does, rather than looking it up.
    const get = await errorOf(
      engine.call('GetItem', { TableName: 'app', Key: { pk: s('p'.repeat(2049)), sk: s('1') } }),
    )
    expect(get.message).toBe(LIMIT_MESSAGES.partitionKey)
  })

  test('numbers outside the range are refused whatever their exponent, never stored as Infinity, NaN or 0', async () => {
    const engine = createEngine()
    await engine.call('CreateTable', {
      TableName: 'kvs',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    })
    await engine.call('PutItem', { TableName: 'kvs', Item: { id: n(0), v: s('zero') } })
    const refused: [string, string][] = [
      [
        '1e99999999999999999999',
        'The parameter cannot be converted to a numeric value: 1e99999999999999999999',
      ],
      [
        '1e-9999999999999999999',
        'The parameter cannot be converted to a numeric value: 1e-9999999999999999999',
      ],
      ['1e126', 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
      [
        '0.00001e-126',
        'Number underflow. Attempting to store a number with magnitude smaller than supported range',
      ],
      [
        '1e-131',
        'Number underflow. Attempting to store a number with magnitude smaller than supported range',
      ],
      [
        '1.00000000000000000000000000000000000001',
        'Attempting to store more than 38 significant digits in a Number',
      ],
    ]
    for (const [N, message] of refused) {
      expect((await errorOf(engine.call('PutItem', { TableName: 'kvs', Item: { id: { N } } }))).message).toBe(
        message,
      )
    }
    for (const N of [
      '9.9999999999999999999999999999999999999E+125',
      '1E-130',
      '-1E-130',
      '123456789012345678901234567890.12345678',
    ]) {
      await engine.call('PutItem', { TableName: 'kvs', Item: { id: { N } } })
    }
    expect(((await engine.call('GetItem', { TableName: 'kvs', Key: { id: n(0) } })) as Out).Item.v).toEqual(
      s('zero'),
    )
    // Arithmetic past the range is a ValidationException with DynamoDB's overflow text, and stores nothing.
    const max = '9.9999999999999999999999999999999999999E+125'
    await engine.call('PutItem', { TableName: 'kvs', Item: { id: n(1), v: { N: max } } })
    for (const UpdateExpression of ['SET v = v + v', 'ADD v :m', 'SET v = :m - v']) {
      const err = await errorOf(
        engine.call('UpdateItem', {
          TableName: 'kvs',
          Key: { id: n(1) },
          UpdateExpression,
          ...(UpdateExpression.includes(':m')
            ? {
                ExpressionAttributeValues: {
                  ':m': { N: UpdateExpression.startsWith('ADD') ? max : `-${max}` },
                },
              }
            : {}),
        }),
      )
      expect(err.type).toBe('ValidationException')
      expect(err.message).toBe(
        'Number overflow. Attempting to store a number with magnitude larger than supported range',
      )
    }
    expect(((await engine.call('GetItem', { TableName: 'kvs', Key: { id: n(1) } })) as Out).Item.v).toEqual({
      N: '99999999999999999999999999999999999999' + '0'.repeat(88),
    })
  })
})

describe('expression limits', () => {
  const filter = (FilterExpression: string, values = true) => ({
    TableName: 'app',
    FilterExpression,
    ...(values ? { ExpressionAttributeValues: { ':v': s('x') } } : {}),
  })

  test('300 operators pass, the 301st is refused with its count; functions and parentheses are not counted', async () => {
    const engine = await engineWithTable()
    const ops = (count: number) =>
      Array.from({ length: (count + 1) / 2 }, (_, i) => `a${i % 9} = :v`).join(' OR ')
    await engine.call('Scan', filter(ops(299)))
    expect((await errorOf(engine.call('Scan', filter(ops(301))))).message).toBe(
      'Invalid FilterExpression: The expression contains too many operators; operator count: 301',
    )
    const nots = `${'NOT '.repeat(301)}a = :v`
    expect((await errorOf(engine.call('Scan', filter(nots)))).message).toBe(
      'Invalid FilterExpression: The expression contains too many operators; operator count: 301',
    )
    const fns = Array.from({ length: 150 }, (_, i) => `attribute_exists(a${i})`).join(' AND ')
    await engine.call('Scan', filter(fns, false))
  })

  test('document paths nest 32 levels in every expression', async () => {
    const engine = await engineWithTable()
    const path = (depth: number) => Array.from({ length: depth }, () => 'a').join('.')
    await engine.call('GetItem', { TableName: 'app', Key: key, ProjectionExpression: path(32) })
    expect(
      (await errorOf(engine.call('GetItem', { TableName: 'app', Key: key, ProjectionExpression: path(33) })))
        .message,
    ).toBe('Invalid ProjectionExpression: The document path has too many nesting levels; nesting levels: 33')
    const update = await errorOf(
      engine.call('UpdateItem', {
        TableName: 'app',
        Key: key,
        UpdateExpression: `SET ${path(40)} = :v`,
        ExpressionAttributeValues: { ':v': s('x') },
      }),
    )
    expect(update.message).toBe(
      'Invalid UpdateExpression: The document path has too many nesting levels; nesting levels: 33',
    )
    const condition = await errorOf(
      engine.call('DeleteItem', {
        TableName: 'app',
        Key: key,
        ConditionExpression: `attribute_exists(${path(33)})`,
      }),
    )
    expect(condition.message).toBe(
      'Invalid ConditionExpression: The document path has too many nesting levels; nesting levels: 33',
    )
  })

  test('parentheses nested as deep as 4 KB allows are client errors, as DynamoDB answers them', async () => {
    const engine = await engineWithTable()
    const open = await errorOf(engine.call('Scan', filter('('.repeat(4096), false)))
    expect(open.message).toBe('Invalid FilterExpression: Syntax error; token: "<EOF>", near: "("')
    const redundant = await errorOf(
      engine.call('Scan', filter(`${'('.repeat(2045)}a = :v${')'.repeat(2045)}`)),
    )
    expect(redundant.message).toBe('Invalid FilterExpression: The expression has redundant parentheses;')
  })

  test('filters on key attributes of a Query are refused, as DynamoDB does', async () => {
    const engine = await engineWithTable()
    const err = await errorOf(
      engine.call('Query', {
        TableName: 'app',
        KeyConditionExpression: 'pk = :p',
        FilterExpression: 'sk = :p',
        ExpressionAttributeValues: { ':p': s('a') },
      }),
    )
    expect(err.message).toBe(
      'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk',
    )
  })
})

describe('cost grows with the request, not its square', () => {
  test('legacy Expected and ScanFilter of 20,000 entries are evaluated, not a stack overflow', async () => {
    const engine = await engineWithTable()
    const expected: Out = {}
    const scanFilter: Out = {}
    for (let i = 0; i < 20_000; i++) {
      expected[`a${i}`] = { Exists: false }
      scanFilter[`a${i}`] = { ComparisonOperator: 'NULL' }
    }
    await engine.call('PutItem', { TableName: 'app', Item: key, Expected: expected })
    expect(((await engine.call('Scan', { TableName: 'app', ScanFilter: scanFilter })) as Out).Count).toBe(1)
    const failing = { ...expected, a19999: { Value: s('x') } }
    expect(
      (await errorOf(engine.call('PutItem', { TableName: 'app', Item: key, Expected: failing }))).type,
    ).toBe('ConditionalCheckFailedException')
    const anyOf = await engine.call('Scan', {
      TableName: 'app',
      ScanFilter: { ...scanFilter, pk: { ComparisonOperator: 'EQ', AttributeValueList: [s('a')] } },
      ConditionalOperator: 'OR',
    })
    expect((anyOf as Out).Count).toBe(1)
  }, 120_000)

  test('AttributesToGet of 100k names and AttributeUpdates of 100k entries complete with the right answer', async () => {
    const engine = await engineWithTable()
    const names = Array.from({ length: 100_000 }, (_, i) => `a${i}`)
    await engine.call('PutItem', { TableName: 'app', Item: { ...key, a7: n(7), a99999: n(9) } })
    const got = (await engine.call('GetItem', { TableName: 'app', Key: key, AttributesToGet: names })) as Out
    expect(got.Item).toEqual({ a7: n(7), a99999: n(9) })
    const dup = await errorOf(
      engine.call('GetItem', { TableName: 'app', Key: key, AttributesToGet: [...names, 'a5'] }),
    )
    expect(dup.message).toBe(
      'One or more parameter values were invalid: Duplicate value in attribute name: a5',
    )
    const updates: Out = {}
    for (let i = 0; i < 20_000; i++) updates[`u${i}`] = { Action: 'PUT', Value: n(i) }
    const out = (await engine.call('UpdateItem', {
      TableName: 'app',
      Key: key,
      AttributeUpdates: updates,
      ReturnValues: 'UPDATED_NEW',
    })) as Out
    expect(Object.keys(out.Attributes)).toHaveLength(20_000)
    expect(out.Attributes.u19999).toEqual(n(19999))
    for (let i = 20_000; i < 100_000; i++) updates[`u${i}`] = { Action: 'PUT', Value: n(i) }
    // 100k attributes exceed 400 KB: refused by size, after being evaluated.
    const big = await errorOf(
      engine.call('UpdateItem', { TableName: 'app', Key: key, AttributeUpdates: updates }),
    )
    expect(big.message).toBe(LIMIT_MESSAGES.itemSizeUpdate)
  }, 120_000)
})

describe('memory follows what is stored', () => {
  test('emptied partitions are dropped from the table and its indexes, and a Scan resumes past a dropped one', async () => {
    const engine = await engineWithTable()
    for (let i = 0; i < 300; i++) {
      await engine.call('PutItem', {
        TableName: 'app',
        Item: { pk: s(`p${i}`), sk: s('1'), gsi1pk: s(`g${i}`), gsi1sk: s('x') },
      })
    }
    const first = (await engine.call('Scan', { TableName: 'app', Limit: 100 })) as Out
    const seen = new Set((first.Items as Out[]).map((i) => i.pk.S as string))
    // Delete the partition the page stopped in, and others on both sides of it.
    const stop = first.LastEvaluatedKey.pk.S as string
    await engine.call('DeleteItem', { TableName: 'app', Key: { pk: s(stop), sk: s('1') } })
    for (let i = 0; i < 300; i += 3)
      await engine.call('DeleteItem', { TableName: 'app', Key: { pk: s(`p${i}`), sk: s('1') } })
    const rest = await scanAll(engine, { ExclusiveStartKey: first.LastEvaluatedKey })
    const all = (await scanAll(engine)).map((i) => i.pk.S as string)
    // The resumed scan returns exactly the remaining items not already seen.
    expect(rest.map((i) => i.pk.S as string).sort()).toEqual(all.filter((p) => !seen.has(p)).sort())
    for (let i = 0; i < 300; i++)
      await engine.call('DeleteItem', { TableName: 'app', Key: { pk: s(`p${i}`), sk: s('1') } })
    const state = (engine as unknown as { state: { tables: Map<string, Out> } }).state.tables.get(
      'app',
    ) as Out
    expect(state.store.partitionCount).toBe(0)
    expect(state.gsis.get('gsi1').store.partitionCount).toBe(0)
    expect(state.lsis.get('lsi1').store.partitionCount).toBe(0)
    expect(await scanAll(engine, { ExclusiveStartKey: first.LastEvaluatedKey })).toEqual([])
  })
})

describe('streams', () => {
  async function stream(engine: Engine) {
    const arn = ((await engine.call('DescribeTable', { TableName: 'app' })) as Out).Table
      .LatestStreamArn as string
    const d = ((await engine.call('DescribeStream', { StreamArn: arn })) as Out).StreamDescription
    return { arn, shard: d.Shards[0] as Out }
  }

  test('DescribeStream pages with ExclusiveStartShardId and Limit, and filters CHILD_SHARDS', async () => {
    const engine = await engineWithTable()
    const { arn, shard } = await stream(engine)
    const after = (await engine.call('DescribeStream', {
      StreamArn: arn,
      ExclusiveStartShardId: shard.ShardId,
      Limit: 1,
    })) as Out
    expect(after.StreamDescription.Shards).toEqual([])
    expect(after.StreamDescription.LastEvaluatedShardId).toBeUndefined()
    const one = (await engine.call('DescribeStream', { StreamArn: arn, Limit: 1 })) as Out
    expect(one.StreamDescription.Shards).toEqual([shard])
    const children = (await engine.call('DescribeStream', {
      StreamArn: arn,
      ShardFilter: { Type: 'CHILD_SHARDS', ShardId: shard.ShardId },
    })) as Out
    expect(children.StreamDescription.Shards).toEqual([])
    const bad: [Out, string][] = [
      [
        { Limit: 0 },
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
      ],
      [
        { Limit: 101 },
        "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100",
      ],
      [
        { ExclusiveStartShardId: 'short' },
        "1 validation error detected: Value 'short' at 'exclusiveStartShardId' failed to satisfy constraint: Member must have length greater than or equal to 28",
      ],
      [
        { ShardFilter: { Type: 'PARENT_SHARDS', ShardId: shard.ShardId } },
        "1 validation error detected: Value 'PARENT_SHARDS' at 'shardFilter.type' failed to satisfy constraint: Member must satisfy enum value set: [CHILD_SHARDS]",
      ],
      [
        { ShardFilter: { Type: 'CHILD_SHARDS' } },
        "1 validation error detected: Value null at 'shardFilter.shardId' failed to satisfy constraint: Member must not be null",
      ],
    ]
    for (const [extra, message] of bad) {
      expect((await errorOf(engine.call('DescribeStream', { StreamArn: arn, ...extra }))).message).toBe(
        message,
      )
    }
    expect((await errorOf(engine.call('DescribeStream', { StreamArn: 'arn:x' }))).message).toBe(
      "1 validation error detected: Value 'arn:x' at 'streamArn' failed to satisfy constraint: Member must have length greater than or equal to 37",
    )
    expect(
      (
        await errorOf(
          engine.call('GetShardIterator', {
            StreamArn: 'arn:x',
            ShardId: shard.ShardId,
            ShardIteratorType: 'LATEST',
          }),
        )
      ).type,
    ).toBe('ValidationException')
  })

  test("AT_SEQUENCE_NUMBER at an empty shard's starting number reads from the first record written", async () => {
    const engine = await engineWithTable()
    const { arn, shard } = await stream(engine)
    const it = (await engine.call('GetShardIterator', {
      StreamArn: arn,
      ShardId: shard.ShardId,
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      SequenceNumber: shard.SequenceNumberRange.StartingSequenceNumber,
    })) as Out
    await engine.call('PutItem', { TableName: 'app', Item: key })
    const out = (await engine.call('GetRecords', { ShardIterator: it.ShardIterator })) as Out
    expect(out.Records.map((r: Out) => r.eventName)).toEqual(['INSERT'])
  })

  test('GetRecords stops a page at 1 MB of records, so large images never make an answer too big to send', async () => {
    const engine = await engineWithTable()
    const blob = 'x'.repeat(300 * 1024)
    for (let i = 0; i < 8; i++)
      await engine.call('PutItem', {
        TableName: 'app',
        Item: { pk: s('a'), sk: s(String(i)), blob: s(blob) },
      })
    const { arn, shard } = await stream(engine)
    let it = (
      (await engine.call('GetShardIterator', {
        StreamArn: arn,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      })) as Out
    ).ShardIterator
    const sizes: number[] = []
    for (let read = 0; read < 8;) {
      const page = (await engine.call('GetRecords', { ShardIterator: it })) as Out
      expect(page.Records.length).toBeGreaterThan(0)
      sizes.push(page.Records.length)
      read += page.Records.length
      it = page.NextShardIterator
    }
    expect(sizes).toEqual([3, 3, 2])
  })
})
