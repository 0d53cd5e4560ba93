import { describe, expect, test } from 'vitest'
import type { Engine } from './engine'
import { engineWithTable, errorOf, n, s } from './test-support'

// Answers are walked loosely here; each expectation checks the shape it reads.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Out = Record<string, any>

async function seedOrders(engine: Engine, count: number, pk = 'USER#1') {
  for (let i = 0; i < count; i++) {
    await engine.call('PutItem', {
      TableName: 'app',
      Item: {
        pk: s(pk),
        sk: s(`ORDER#${String(i).padStart(4, '0')}`),
        lsk: n(count - i),
        gsi1pk: s(i % 2 === 0 ? 'EVEN' : 'ODD'),
        gsi1sk: s(`T#${String(i).padStart(4, '0')}`),
        n: n(i),
      },
    })
  }
}

describe('PutItem / GetItem / DeleteItem', () => {
  test('stores, reads back with numbers normalized, and deletes', async () => {
    const engine = await engineWithTable()
    await engine.call('PutItem', {
      TableName: 'app',
      Item: { pk: s('a'), sk: s('1'), v: n('01.50'), e: s('') },
    })
    const got = (await engine.call('GetItem', { TableName: 'app', Key: { pk: s('a'), sk: s('1') } })) as Out
    expect(got.Item).toEqual({ pk: s('a'), sk: s('1'), v: n('1.5'), e: s('') })
    const del = (await engine.call('DeleteItem', {
      TableName: 'app',
      Key: { pk: s('a'), sk: s('1') },
      ReturnValues: 'ALL_OLD',
    })) as Out
    expect(del.Attributes?.v).toEqual(n('1.5'))
    expect(await engine.call('GetItem', { TableName: 'app', Key: { pk: s('a'), sk: s('1') } })).toEqual({})
  })

  test('the legacy AttributesToGet projects top-level attributes; other legacy members are translated', async () => {
    const engine = await engineWithTable()
    await engine.call('PutItem', { TableName: 'app', Item: { pk: s('a'), sk: s('1'), x: n(1), y: n(2) } })
    const got = (await engine.call('GetItem', {
      TableName: 'app',
      Key: { pk: s('a'), sk: s('1') },
      AttributesToGet: ['y', 'nope'],
    })) as Out
    expect(got.Item).toEqual({ y: n(2) })
    const both = await errorOf(
      engine.call('GetItem', {
        TableName: 'app',
        Key: { pk: s('a'), sk: s('1') },
        AttributesToGet: ['y'],
        ProjectionExpression: 'x',
      }),
    )
    expect(both.message).toContain('Can not use both expression and non-expression parameters')
    // Expected and the rest are covered in legacy-params.test.ts; this only checks that they reach the operation.
    await engine.call('PutItem', {
      TableName: 'app',
      Item: { pk: s('a'), sk: s('2') },
      Expected: { pk: { Exists: false } },
    })
    const expected = await errorOf(
      engine.call('PutItem', {
        TableName: 'app',
        Item: { pk: s('a'), sk: s('2') },
        Expected: { pk: { Exists: false } },
      }),
    )
    expect(expected.type).toBe('ConditionalCheckFailedException')
  })

  test('rejects key type mismatches, missing keys, empty key strings and oversize items', async () => {
    const engine = await engineWithTable()
    const mismatch = await errorOf(
      engine.call('PutItem', { TableName: 'app', Item: { pk: n(1), sk: s('x') } }),
    )
    expect(mismatch.message).toBe(
      'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N',
    )
    const missing = await errorOf(engine.call('PutItem', { TableName: 'app', Item: { pk: s('a') } }))
    expect(missing.message).toBe('One or more parameter values were invalid: Missing the key sk in the item')
    const empty = await errorOf(engine.call('PutItem', { TableName: 'app', Item: { pk: s(''), sk: s('x') } }))
    expect(empty.message).toContain('cannot contain an empty string value. Key: pk')
    const emptyIndexKey = await errorOf(
      engine.call('PutItem', { TableName: 'app', Item: { pk: s('a'), sk: s('x'), gsi1pk: s('') } }),
    )
    expect(emptyIndexKey.message).toContain('IndexName: gsi1, IndexKey: gsi1pk')
    const big = await errorOf(
      engine.call('PutItem', {
        TableName: 'app',
        Item: { pk: s('a'), sk: s('x'), blob: s('x'.repeat(400 * 1024)) },
      }),
    )
    expect(big.message).toBe('Item size has exceeded the maximum allowed size')
    const badKey = await errorOf(engine.call('GetItem', { TableName: 'app', Key: { pk: s('a') } }))
    expect(badKey.message).toBe('The provided key element does not match the schema')
    const noTable = await errorOf(
      engine.call('GetItem', { TableName: 'nope', Key: { pk: s('a'), sk: s('b') } }),
    )
    expect(noTable.type).toBe('ResourceNotFoundException')
    const described = (await engine.call('DescribeTable', { TableName: 'app' })) as Out
    expect(described.Table.ItemCount).toBe(0)
  })

  test('a failed condition answers ConditionalCheckFailedException with the old item on request', async () => {
    const engine = await engineWithTable()
    await engine.call('PutItem', { TableName: 'app', Item: { pk: s('a'), sk: s('1'), v: n(1) } })
    const err = await errorOf(
      engine.call('PutItem', {
        TableName: 'app',
        Item: { pk: s('a'), sk: s('1'), v: n(2) },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    )
    expect(err.type).toBe('ConditionalCheckFailedException')
    expect(err.extra.Item).toEqual({ pk: s('a'), sk: s('1'), v: n(1) })
  })

  test('UpdateItem creates, returns values as asked and refuses to change key attributes', async () => {
    const engine = await engineWithTable()
    const created = (await engine.call('UpdateItem', {
      TableName: 'app',
      Key: { pk: s('a'), sk: s('1') },
      UpdateExpression: 'SET v = :v',
      ExpressionAttributeValues: { ':v': n(5) },
      ReturnValues: 'ALL_NEW',
    })) as Out
    expect(created.Attributes).toEqual({ pk: s('a'), sk: s('1'), v: n(5) })
    const updated = (await engine.call('UpdateItem', {
      TableName: 'app',
      Key: { pk: s('a'), sk: s('1') },
      UpdateExpression: 'SET v = :v',
      ExpressionAttributeValues: { ':v': n(6) },
      ReturnValues: 'UPDATED_OLD',
    })) as Out
    expect(updated.Attributes).toEqual({ v: n(5) })
    await engine.call('UpdateItem', {
      TableName: 'app',
      Key: { pk: s('a'), sk: s('1') },
      UpdateExpression: 'SET m = :m',
      ExpressionAttributeValues: { ':m': { M: { x: n(1), y: n(2) } } },
    })
    const nested = (await engine.call('UpdateItem', {
      TableName: 'app',
      Key: { pk: s('a'), sk: s('1') },
      UpdateExpression: 'SET m.x = :v',
      ExpressionAttributeValues: { ':v': n(3) },
      ReturnValues: 'UPDATED_NEW',
    })) as Out
    expect(nested.Attributes).toEqual({ m: { M: { x: n(3) } } })
    const keyChange = await errorOf(
      engine.call('UpdateItem', {
        TableName: 'app',
        Key: { pk: s('a'), sk: s('1') },
        UpdateExpression: 'SET pk = :v',
        ExpressionAttributeValues: { ':v': s('b') },
      }),
    )
    expect(keyChange.message).toContain('Cannot update attribute pk. This attribute is part of the key')
  })

  test('consumed capacity: writes per 1 KB plus each touched index, reads per 4 KB halved when eventually consistent', async () => {
    const engine = await engineWithTable()
    const put = (await engine.call('PutItem', {
      TableName: 'app',
      Item: { pk: s('a'), sk: s('1'), gsi1pk: s('g'), gsi1sk: s('1'), lsk: n(1), pad: s('x'.repeat(1500)) },
      ReturnConsumedCapacity: 'INDEXES',
    })) as Out
    expect(put.ConsumedCapacity.Table).toEqual({ CapacityUnits: 2 })
    expect(put.ConsumedCapacity.GlobalSecondaryIndexes).toEqual({ gsi1: { CapacityUnits: 2 } })
    expect(put.ConsumedCapacity.LocalSecondaryIndexes).toEqual({ lsi1: { CapacityUnits: 1 } })
    expect(put.ConsumedCapacity.CapacityUnits).toBe(5)
    // Moving the item to another GSI key costs a delete plus a put there.
    const moved = (await engine.call('PutItem', {
      TableName: 'app',
      Item: { pk: s('a'), sk: s('1'), gsi1pk: s('h'), gsi1sk: s('1'), lsk: n(1), pad: s('x'.repeat(1500)) },
      ReturnConsumedCapacity: 'INDEXES',
    })) as Out
    expect(moved.ConsumedCapacity.GlobalSecondaryIndexes).toEqual({ gsi1: { CapacityUnits: 4 } })
    expect(moved.ConsumedCapacity.LocalSecondaryIndexes).toBeUndefined()
    const get = (await engine.call('GetItem', {
      TableName: 'app',
      Key: { pk: s('a'), sk: s('1') },
      ReturnConsumedCapacity: 'TOTAL',
    })) as Out
    expect(get.ConsumedCapacity).toEqual({ TableName: 'app', CapacityUnits: 0.5 })
    const strong = (await engine.call('GetItem', {
      TableName: 'app',
      Key: { pk: s('a'), sk: s('1') },
      ConsistentRead: true,
      ReturnConsumedCapacity: 'TOTAL',
    })) as Out
    expect(strong.ConsumedCapacity.CapacityUnits).toBe(1)
  })
})

describe('Query and Scan', () => {
  test('reads one partition in either direction, pages with Limit and resumes from LastEvaluatedKey', async () => {
    const engine = await engineWithTable()
    await seedOrders(engine, 12)
    await seedOrders(engine, 3, 'USER#2')
    const seen: string[] = []
    let start: Out | undefined
    let pages = 0
    do {
      const page = (await engine.call('Query', {
        TableName: 'app',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': s('USER#1') },
        ScanIndexForward: false,
        Limit: 5,
        ExclusiveStartKey: start,
      })) as Out
      seen.push(...page.Items.map((i: Out) => i.sk.S))
      start = page.LastEvaluatedKey
      pages++
    } while (start)
    expect(seen).toHaveLength(12)
    expect(seen[0]).toBe('ORDER#0011')
    expect([...seen].sort().reverse()).toEqual(seen)
    expect(pages).toBe(3)
  })

  test('sort key conditions select the right slice', async () => {
    const engine = await engineWithTable()
    await seedOrders(engine, 20)
    const q = async (cond: string, values: Out) =>
      (
        (await engine.call('Query', {
          TableName: 'app',
          KeyConditionExpression: `pk = :p AND ${cond}`,
          ExpressionAttributeValues: { ':p': s('USER#1'), ...values },
        })) as Out
      ).Items.map((i: Out) => i.sk.S)
    expect(await q('sk BETWEEN :a AND :b', { ':a': s('ORDER#0003'), ':b': s('ORDER#0005') })).toEqual([
      'ORDER#0003',
      'ORDER#0004',
      'ORDER#0005',
    ])
    expect(await q('begins_with(sk, :a)', { ':a': s('ORDER#001') })).toHaveLength(10)
    expect(await q('sk < :a', { ':a': s('ORDER#0002') })).toEqual(['ORDER#0000', 'ORDER#0001'])
    expect(await q('sk >= :a', { ':a': s('ORDER#0018') })).toEqual(['ORDER#0018', 'ORDER#0019'])
    expect(await q('sk = :a', { ':a': s('ORDER#0007') })).toEqual(['ORDER#0007'])
  })

  test('GSI and LSI queries: sparse, projected, keys of both in LastEvaluatedKey, no consistent reads on a GSI', async () => {
    const engine = await engineWithTable()
    await seedOrders(engine, 6)
    await engine.call('PutItem', { TableName: 'app', Item: { pk: s('USER#1'), sk: s('PROFILE') } })
    const gsi = (await engine.call('Query', {
      TableName: 'app',
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :g',
      ExpressionAttributeValues: { ':g': s('EVEN') },
      Limit: 2,
    })) as Out
    expect(gsi.Items.map((i: Out) => i.n.N)).toEqual(['0', '2'])
    expect(Object.keys(gsi.LastEvaluatedKey).sort()).toEqual(['gsi1pk', 'gsi1sk', 'pk', 'sk'])
    const lsi = (await engine.call('Query', {
      TableName: 'app',
      IndexName: 'lsi1',
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': s('USER#1') },
    })) as Out
    // The profile item has no lsk, so it is not in the LSI; KEYS_ONLY keeps just the keys.
    expect(lsi.Count).toBe(6)
    expect(lsi.Items[0]).toEqual({ pk: s('USER#1'), sk: s('ORDER#0005'), lsk: n(1) })
    const err = await errorOf(
      engine.call('Query', {
        TableName: 'app',
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :g',
        ExpressionAttributeValues: { ':g': s('EVEN') },
        ConsistentRead: true,
      }),
    )
    expect(err.message).toBe('Consistent reads are not supported on global secondary indexes')
    const described = (await engine.call('DescribeTable', { TableName: 'app' })) as Out
    expect(described.Table.ItemCount).toBe(7)
    expect(described.Table.GlobalSecondaryIndexes[0].ItemCount).toBe(6)
    expect(described.Table.LocalSecondaryIndexes[0].ItemCount).toBe(6)
  })

  test('pages through a GSI in both directions from LastEvaluatedKey, ties on the index key in one order both ways', async () => {
    const engine = await engineWithTable()
    await seedOrders(engine, 10)
    // Same GSI key as ORDER#0000 on two other table keys: all three come back, each exactly once, on any page size.
    for (const [pk, sk, v] of [
      ['USER#0', 'X', '-1'],
      ['USER#2', 'A', '-2'],
    ] as const) {
      await engine.call('PutItem', {
        TableName: 'app',
        Item: { pk: s(pk), sk: s(sk), gsi1pk: s('EVEN'), gsi1sk: s('T#0000'), n: n(v) },
      })
    }
    const read = async (forward: boolean, limit: number) => {
      const seen: string[] = []
      let start: Out | undefined
      do {
        const page = (await engine.call('Query', {
          TableName: 'app',
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :g',
          ExpressionAttributeValues: { ':g': s('EVEN') },
          ScanIndexForward: forward,
          Limit: limit,
          ExclusiveStartKey: start,
        })) as Out
        seen.push(...page.Items.map((i: Out) => i.n.N))
        start = page.LastEvaluatedKey
      } while (start)
      return seen
    }
    const forward = await read(true, 100)
    expect(forward.slice(3)).toEqual(['2', '4', '6', '8'])
    expect([...forward.slice(0, 3)].sort()).toEqual(['-1', '-2', '0'])
    // Backwards is the same order reversed (ties included, as DynamoDB Local), and paging never splits it.
    expect(await read(false, 100)).toEqual([...forward].reverse())
    for (const limit of [1, 2]) {
      expect(await read(true, limit)).toEqual(forward)
      expect(await read(false, limit)).toEqual([...forward].reverse())
    }
  })

  test('Limit counts items before the filter; Select COUNT answers counts only', async () => {
    const engine = await engineWithTable()
    await seedOrders(engine, 10)
    const filtered = (await engine.call('Query', {
      TableName: 'app',
      KeyConditionExpression: 'pk = :p',
      FilterExpression: 'gsi1pk = :g',
      ExpressionAttributeValues: { ':p': s('USER#1'), ':g': s('ODD') },
      Limit: 4,
    })) as Out
    expect(filtered.ScannedCount).toBe(4)
    expect(filtered.Count).toBe(2)
    expect(filtered.LastEvaluatedKey).toEqual({ pk: s('USER#1'), sk: s('ORDER#0003') })
    const counted = (await engine.call('Query', {
      TableName: 'app',
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': s('USER#1') },
      Select: 'COUNT',
    })) as Out
    expect(counted.Items).toBeUndefined()
    expect(counted.Count).toBe(10)
  })

  test('Scan pages through everything once; parallel segments partition the table', async () => {
    const engine = await engineWithTable()
    for (let u = 0; u < 8; u++) await seedOrders(engine, 3, `USER#${u}`)
    const all: string[] = []
    let start: Out | undefined
    do {
      const page = (await engine.call('Scan', {
        TableName: 'app',
        Limit: 5,
        ExclusiveStartKey: start,
      })) as Out
      all.push(...page.Items.map((i: Out) => `${i.pk.S}/${i.sk.S}`))
      start = page.LastEvaluatedKey
    } while (start)
    expect(new Set(all).size).toBe(24)
    expect(all).toHaveLength(24)
    let total = 0
    for (let seg = 0; seg < 3; seg++) {
      const page = (await engine.call('Scan', { TableName: 'app', Segment: seg, TotalSegments: 3 })) as Out
      total += page.Count
    }
    expect(total).toBe(24)
  })

  test('a page stops near 1 MB with a LastEvaluatedKey', async () => {
    const engine = await engineWithTable()
    const pad = 'x'.repeat(100 * 1024)
    for (let i = 0; i < 15; i++) {
      await engine.call('PutItem', {
        TableName: 'app',
        Item: { pk: s('big'), sk: s(String(i).padStart(2, '0')), pad: s(pad) },
      })
    }
    const page = (await engine.call('Query', {
      TableName: 'app',
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': s('big') },
      ReturnConsumedCapacity: 'TOTAL',
    })) as Out
    // Items of 102,412 bytes: the 11th crosses 1 MB and ends the page (DynamoDB Local 3.3.1 answers the same),
    // and the page costs ceil(11 * 102,412 / 4 KB) / 2 read units.
    expect(page.Count).toBe(11)
    expect(page.LastEvaluatedKey).toEqual({ pk: s('big'), sk: s('10') })
    expect(page.ConsumedCapacity.CapacityUnits).toBe(138)
    const rest = (await engine.call('Query', {
      TableName: 'app',
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': s('big') },
      ExclusiveStartKey: page.LastEvaluatedKey,
      Select: 'COUNT',
    })) as Out
    expect(rest).toEqual({ Count: 4, ScannedCount: 4 })
  })
})

describe('batches', () => {
  test('BatchGetItem answers at most about 16 MB and returns the rest as UnprocessedKeys', async () => {
    const engine = await engineWithTable()
    const pad = s('x'.repeat(390 * 1024))
    const keys = Array.from({ length: 50 }, (_, i) => ({ pk: s('big'), sk: s(String(i).padStart(2, '0')) }))
    for (let i = 0; i < keys.length; i += 25) {
      await engine.call('BatchWriteItem', {
        RequestItems: { app: keys.slice(i, i + 25).map((k) => ({ PutRequest: { Item: { ...k, pad } } })) },
      })
    }
    const first = (await engine.call('BatchGetItem', {
      RequestItems: { app: { Keys: keys, ConsistentRead: true } },
    })) as Out
    const got = first.Responses.app.length
    expect(got).toBeGreaterThan(30)
    expect(got).toBeLessThan(50)
    expect(first.UnprocessedKeys.app.ConsistentRead).toBe(true)
    const rest = (await engine.call('BatchGetItem', { RequestItems: first.UnprocessedKeys })) as Out
    expect(got + rest.Responses.app.length).toBe(50)
    expect(rest.UnprocessedKeys).toEqual({})
  })

  test('BatchWriteItem applies puts and deletes; duplicates and oversize batches change nothing', async () => {
    const engine = await engineWithTable()
    await engine.call('BatchWriteItem', {
      RequestItems: {
        app: [
          { PutRequest: { Item: { pk: s('a'), sk: s('1') } } },
          { PutRequest: { Item: { pk: s('a'), sk: s('2') } } },
        ],
      },
    })
    const dup = await errorOf(
      engine.call('BatchWriteItem', {
        RequestItems: {
          app: [
            { PutRequest: { Item: { pk: s('b'), sk: s('1') } } },
            { DeleteRequest: { Key: { pk: s('b'), sk: s('1') } } },
          ],
        },
      }),
    )
    expect(dup.message).toBe('Provided list of item keys contains duplicates')
    const tooMany = await errorOf(
      engine.call('BatchWriteItem', {
        RequestItems: {
          app: Array.from({ length: 26 }, (_, i) => ({
            PutRequest: { Item: { pk: s('c'), sk: s(String(i)) } },
          })),
        },
      }),
    )
    expect(tooMany.type).toBe('ValidationException')
    const got = (await engine.call('BatchGetItem', {
      RequestItems: {
        app: {
          Keys: [
            { pk: s('a'), sk: s('1') },
            { pk: s('a'), sk: s('2') },
            { pk: s('b'), sk: s('1') },
          ],
        },
      },
    })) as Out
    expect(got.Responses.app).toHaveLength(2)
    expect(got.UnprocessedKeys).toEqual({})
    const described = (await engine.call('DescribeTable', { TableName: 'app' })) as Out
    expect(described.Table.ItemCount).toBe(2)
  })
})

describe('behaviours matched to DynamoDB Local 3.3.1', () => {
  test('Limit reached on the inclusive end of a table key condition gives no LastEvaluatedKey; elsewhere it does', async () => {
    const engine = await engineWithTable()
    await seedOrders(engine, 6)
    const query = (cond: string, values: Out, extra: Out = {}) =>
      engine.call('Query', {
        TableName: 'app',
        KeyConditionExpression: cond,
        ExpressionAttributeValues: { ':p': s('USER#1'), ...values },
        Limit: 3,
        ...extra,
      }) as Promise<Out>
    const atMost = await query('pk = :p AND sk <= :s', { ':s': s('ORDER#0002') })
    expect(atMost.Count).toBe(3)
    expect(atMost.LastEvaluatedKey).toBeUndefined()
    expect(
      (await query('pk = :p AND sk <= :s', { ':s': s('ORDER#0002') }, { ScanIndexForward: false }))
        .LastEvaluatedKey,
    ).toBeDefined()
    expect(
      (await query('pk = :p AND sk >= :s', { ':s': s('ORDER#0003') }, { ScanIndexForward: false }))
        .LastEvaluatedKey,
    ).toBeUndefined()
    expect(
      (await query('pk = :p AND sk BETWEEN :a AND :b', { ':a': s('ORDER#0001'), ':b': s('ORDER#0003') }))
        .LastEvaluatedKey,
    ).toBeUndefined()
    expect((await query('pk = :p AND sk < :s', { ':s': s('ORDER#0003') })).LastEvaluatedKey).toBeDefined()
    // On an index the key is always given when Limit is reached.
    const lsi = await query('pk = :p AND lsk <= :l', { ':l': n(3) }, { IndexName: 'lsi1' })
    expect(lsi.LastEvaluatedKey).toBeDefined()
  })

  test('a Query on an index refuses a filter on attributes it does not project; a Scan of it filters the whole item', async () => {
    const engine = await engineWithTable()
    await seedOrders(engine, 2)
    const err = await errorOf(
      engine.call('Query', {
        TableName: 'app',
        IndexName: 'lsi1',
        KeyConditionExpression: 'pk = :p',
        FilterExpression: 'n >= :z',
        ExpressionAttributeValues: { ':p': s('USER#1'), ':z': n(1) },
      }),
    )
    expect(err.message).toBe(
      'One or more parameter values were invalid: Secondary index lsi1 does not project one or more filter attributes: [n]',
    )
    const scanned = (await engine.call('Scan', {
      TableName: 'app',
      IndexName: 'lsi1',
      FilterExpression: 'n >= :z',
      ExpressionAttributeValues: { ':z': n(1) },
    })) as Out
    expect(scanned.Count).toBe(1)
    expect(Object.keys(scanned.Items[0]).sort()).toEqual(['lsk', 'pk', 'sk'])
  })

  test('wire reading: Boolean strings, fractional integers, unknown value members, JSON token names', async () => {
    const engine = await engineWithTable()
    await engine.call('PutItem', {
      TableName: 'app',
      Item: { pk: s('w'), sk: s('1'), b: { BOOL: 'TRUE' }, c: { BOOL: 'no' } },
    })
    const got = (await engine.call('GetItem', {
      TableName: 'app',
      Key: { pk: s('w'), sk: s('1') },
      ConsistentRead: 'true',
    })) as Out
    expect(got.Item).toMatchObject({ b: { BOOL: true }, c: { BOOL: false } })
    expect(((await engine.call('Scan', { TableName: 'app', Limit: 1.9 })) as Out).Count).toBe(1)
    const unknown = await errorOf(
      engine.call('PutItem', { TableName: 'app', Item: { pk: s('w'), sk: s('2'), v: { X: 'a' } } }),
    )
    expect([unknown.type, unknown.message]).toEqual([
      'ValidationException',
      'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
    ])
    const number = await errorOf(
      engine.call('PutItem', { TableName: 'app', Item: { pk: { S: 1 }, sk: s('2') } }),
    )
    expect([number.type, number.message]).toEqual([
      'SerializationException',
      'NUMBER_VALUE cannot be converted to String',
    ])
    const word = await errorOf(
      engine.call('PutItem', { TableName: 'app', Item: { pk: s('w'), sk: s('3'), b: { BOOL: 'maybe' } } }),
    )
    expect(word.type).toBe('SerializationException')
  })

  test('batch capacity: BatchGetItem charges found items only, BatchWriteItem charges 2 units to delete a missing item', async () => {
    const engine = await engineWithTable()
    await seedOrders(engine, 1)
    const got = (await engine.call('BatchGetItem', {
      RequestItems: {
        app: {
          Keys: [
            { pk: s('USER#1'), sk: s('ORDER#0000') },
            { pk: s('USER#1'), sk: s('nope') },
          ],
        },
      },
      ReturnConsumedCapacity: 'TOTAL',
    })) as Out
    expect(got.ConsumedCapacity).toEqual([{ TableName: 'app', CapacityUnits: 0.5 }])
    const wrote = (await engine.call('BatchWriteItem', {
      RequestItems: { app: [{ DeleteRequest: { Key: { pk: s('USER#1'), sk: s('nope') } } }] },
      ReturnConsumedCapacity: 'TOTAL',
    })) as Out
    expect(wrote.ConsumedCapacity).toEqual([{ TableName: 'app', CapacityUnits: 2 }])
  })
})

describe('an attribute named __proto__ (a valid DynamoDB name)', () => {
  test('is stored, updated, projected and tested as an attribute, never as the prototype', async () => {
    const engine = await engineWithTable()
    // A non-canonical number makes the engine copy the item, the path that once assigned (and lost) __proto__.
    const put = JSON.parse(
      '{"TableName":"app","Item":{"pk":{"S":"a"},"sk":{"S":"1"},"n":{"N":"1.0"},"__proto__":{"M":{"__proto__":{"S":"inner"}}}}}',
    )
    await engine.call('PutItem', put)
    const key = { pk: s('a'), sk: s('1') }
    const got = (await engine.call('GetItem', { TableName: 'app', Key: key })) as Out
    expect(JSON.stringify(got.Item)).toBe(
      '{"pk":{"S":"a"},"sk":{"S":"1"},"n":{"N":"1"},"__proto__":{"M":{"__proto__":{"S":"inner"}}}}',
    )

    await engine.call('UpdateItem', {
      TableName: 'app',
      Key: key,
      UpdateExpression: 'SET #p.#q = :v, #r = :v',
      ExpressionAttributeNames: { '#p': '__proto__', '#q': '__proto__', '#r': 'other' },
      ExpressionAttributeValues: { ':v': s('changed') },
    })
    const projected = (await engine.call('GetItem', {
      TableName: 'app',
      Key: key,
      ProjectionExpression: '#p.#q',
      ExpressionAttributeNames: { '#p': '__proto__', '#q': '__proto__' },
    })) as Out
    expect(JSON.stringify(projected.Item)).toBe('{"__proto__":{"M":{"__proto__":{"S":"changed"}}}}')

    // On an item without it, __proto__ does not exist (a plain lookup would find Object.prototype).
    await engine.call('PutItem', { TableName: 'app', Item: { pk: s('a'), sk: s('2') } })
    const exists = (cond: string, sk: string) =>
      engine.call('Query', {
        TableName: 'app',
        KeyConditionExpression: 'pk = :a AND sk = :sk',
        FilterExpression: cond,
        ExpressionAttributeNames: { '#p': '__proto__' },
        ExpressionAttributeValues: { ':a': s('a'), ':sk': s(sk) },
      }) as Promise<Out>
    expect((await exists('attribute_exists(#p)', '2')).Count).toBe(0)
    expect((await exists('attribute_not_exists(#p)', '2')).Count).toBe(1)
    expect((await exists('attribute_exists(#p)', '1')).Count).toBe(1)
  })
})
