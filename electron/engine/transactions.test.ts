import { describe, expect, test } from 'vitest'
import type { ChangeEvent } from './streams'
import { engineWithTable, errorOf, n, s } from './test-support'
import { IDEMPOTENCY_WINDOW_MS } from './transactions'

// Answers are walked loosely here; each expectation checks the shape it reads.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Out = Record<string, any>

const key = (pk: string, sk = '1') => ({ pk: s(pk), sk: s(sk) })
const put = (pk: string, extra: Out = {}, more: Out = {}) => ({
  Put: { TableName: 'app', Item: { ...key(pk), ...extra }, ...more },
})

describe('TransactWriteItems', () => {
  test('Put, Update, Delete and ConditionCheck apply together, each writing its stream record', async () => {
    const engine = await engineWithTable()
    await engine.call('PutItem', { TableName: 'app', Item: { ...key('upd'), v: n(1) } })
    await engine.call('PutItem', { TableName: 'app', Item: { ...key('del') } })
    await engine.call('PutItem', { TableName: 'app', Item: { ...key('chk'), ok: { BOOL: true } } })
    const events: ChangeEvent[] = []
    engine.subscribe((e) => events.push(e))
    const out = (await engine.call('TransactWriteItems', {
      TransactItems: [
        put('new', { v: n(7) }),
        {
          Update: {
            TableName: 'app',
            Key: key('upd'),
            UpdateExpression: 'SET v = v + :one',
            ExpressionAttributeValues: { ':one': n(1) },
          },
        },
        { Delete: { TableName: 'app', Key: key('del') } },
        {
          ConditionCheck: {
            TableName: 'app',
            Key: key('chk'),
            ConditionExpression: 'ok = :t',
            ExpressionAttributeValues: { ':t': { BOOL: true } },
          },
        },
      ],
      ReturnConsumedCapacity: 'TOTAL',
    })) as Out
    expect(((await engine.call('GetItem', { TableName: 'app', Key: key('new') })) as Out).Item.v).toEqual(
      n(7),
    )
    expect(((await engine.call('GetItem', { TableName: 'app', Key: key('upd') })) as Out).Item.v).toEqual(
      n(2),
    )
    expect(
      ((await engine.call('GetItem', { TableName: 'app', Key: key('del') })) as Out).Item,
    ).toBeUndefined()
    expect(events.map((e) => e.record.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE'])
    // Two units per written item (three writes) and two for the condition check's read.
    expect(out.ConsumedCapacity).toEqual([{ TableName: 'app', CapacityUnits: 8 }])
  })

  test('a failed condition cancels everything; reasons come in request order with None and the old item', async () => {
    const engine = await engineWithTable()
    await engine.call('PutItem', { TableName: 'app', Item: { ...key('x'), v: n(1) } })
    const events: ChangeEvent[] = []
    engine.subscribe((e) => events.push(e))
    const err = await errorOf(
      engine.call('TransactWriteItems', {
        TransactItems: [
          put('a'),
          {
            Update: {
              TableName: 'app',
              Key: key('x'),
              UpdateExpression: 'SET v = :two',
              ConditionExpression: 'v = :two',
              ExpressionAttributeValues: { ':two': n(2) },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          {
            Delete: {
              TableName: 'app',
              Key: key('missing'),
              ConditionExpression: 'attribute_exists(pk)',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
        ],
      }),
    )
    expect(err.type).toBe('TransactionCanceledException')
    expect(err.message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, ConditionalCheckFailed]',
    )
    expect(err.extra.CancellationReasons).toEqual([
      { Code: 'None' },
      {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed.',
        Item: { ...key('x'), v: n(1) },
      },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed.' },
    ])
    expect(((await engine.call('GetItem', { TableName: 'app', Key: key('a') })) as Out).Item).toBeUndefined()
    expect(events).toEqual([])
  })

  test('an error only the stored item reveals is a ValidationError reason, and nothing is written', async () => {
    const engine = await engineWithTable()
    const err = await errorOf(
      engine.call('TransactWriteItems', {
        TransactItems: [
          put('a'),
          {
            Update: {
              TableName: 'app',
              Key: key('b'),
              UpdateExpression: 'SET v = v + :one',
              ExpressionAttributeValues: { ':one': n(1) },
            },
          },
        ],
      }),
    )
    expect(err.type).toBe('TransactionCanceledException')
    expect(err.extra.CancellationReasons).toEqual([
      { Code: 'None' },
      {
        Code: 'ValidationError',
        Message: 'The provided expression refers to an attribute that does not exist in the item',
      },
    ])
    expect(((await engine.call('Scan', { TableName: 'app' })) as Out).Count).toBe(0)
  })

  test('request validation: empty, over 100 actions, two actions on one item, one kind per action, missing table', async () => {
    const engine = await engineWithTable()
    expect((await errorOf(engine.call('TransactWriteItems', {}))).message).toBe(
      "1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null",
    )
    expect((await errorOf(engine.call('TransactWriteItems', { TransactItems: [] }))).message).toContain(
      "Value '[]' at 'transactItems'",
    )
    const many = Array.from({ length: 101 }, (_, i) => put(`p${i}`))
    expect((await errorOf(engine.call('TransactWriteItems', { TransactItems: many }))).message).toBe(
      'Member must have length less than or equal to 100',
    )
    expect((await engine.call('TransactWriteItems', { TransactItems: many.slice(0, 100) })) as Out).toEqual(
      {},
    )
    expect(
      (
        await errorOf(
          engine.call('TransactWriteItems', {
            TransactItems: [put('z'), { Delete: { TableName: 'app', Key: key('z') } }],
          }),
        )
      ).message,
    ).toBe('Transaction request cannot include multiple operations on one item')
    expect(
      (
        await errorOf(
          engine.call('TransactWriteItems', {
            TransactItems: [{ ...put('y'), Delete: { TableName: 'app', Key: key('y') } }],
          }),
        )
      ).message,
    ).toBe('TransactItems can only contain one of Check, Put, Update or Delete')
    const missing = await errorOf(
      engine.call('TransactWriteItems', { TransactItems: [{ Put: { TableName: 'nope', Item: key('a') } }] }),
    )
    expect([missing.type, missing.message]).toEqual([
      'ResourceNotFoundException',
      'Requested resource not found',
    ])
    expect(
      (
        await errorOf(
          engine.call('TransactWriteItems', {
            TransactItems: [{ ConditionCheck: { TableName: 'app', Key: key('a') } }],
          }),
        )
      ).message,
    ).toBe(
      "1 validation error detected: Value null at 'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null",
    )
  })

  test('4 MB: the items of one transaction may not add up to more', async () => {
    const engine = await engineWithTable()
    const big = 'x'.repeat(390_000)
    const items = Array.from({ length: 11 }, (_, i) => put(`big${i}`, { b: s(big) }))
    const err = await errorOf(engine.call('TransactWriteItems', { TransactItems: items }))
    expect(err.message).toBe('Transaction item size has exceeded the 4 MB limit')
    expect(((await engine.call('Scan', { TableName: 'app', Select: 'COUNT' })) as Out).Count).toBe(0)
    expect(await engine.call('TransactWriteItems', { TransactItems: items.slice(0, 10) })).toEqual({})
  })

  test('ClientRequestToken: a repeat changes nothing, other parameters are a mismatch, the window is 10 minutes', async () => {
    let now = Date.UTC(2026, 0, 1)
    const engine = await engineWithTable({ now: () => now })
    const request = {
      TransactItems: [
        {
          Update: {
            TableName: 'app',
            Key: key('c'),
            UpdateExpression: 'ADD v :one',
            ExpressionAttributeValues: { ':one': n(1) },
          },
        },
      ],
      ClientRequestToken: 'tok-1',
    }
    const count = async () =>
      ((await engine.call('GetItem', { TableName: 'app', Key: key('c') })) as Out).Item.v.N
    await engine.call('TransactWriteItems', request)
    const again = (await engine.call('TransactWriteItems', {
      ...request,
      ReturnConsumedCapacity: 'TOTAL',
    })) as Out
    expect(await count()).toBe('1')
    // A repeat reports reading the item (a transactional read: 2 units), not writing it.
    expect(again.ConsumedCapacity).toEqual([{ TableName: 'app', CapacityUnits: 2 }])
    const mismatch = await errorOf(
      engine.call('TransactWriteItems', { ...request, TransactItems: [put('other')] }),
    )
    expect(mismatch.type).toBe('IdempotentParameterMismatchException')
    now += IDEMPOTENCY_WINDOW_MS - 1
    await engine.call('TransactWriteItems', request)
    expect(await count()).toBe('1')
    now += 2
    await engine.call('TransactWriteItems', request)
    expect(await count()).toBe('2')
    // A cancelled transaction does not use up its token.
    const failing = {
      TransactItems: [put('f', {}, { ConditionExpression: 'attribute_exists(pk)' })],
      ClientRequestToken: 'tok-2',
    }
    expect((await errorOf(engine.call('TransactWriteItems', failing))).type).toBe(
      'TransactionCanceledException',
    )
    await engine.call('TransactWriteItems', { TransactItems: [put('f')], ClientRequestToken: 'tok-2' })
    expect(((await engine.call('GetItem', { TableName: 'app', Key: key('f') })) as Out).Item).toEqual(
      key('f'),
    )
    expect(
      (await errorOf(engine.call('TransactWriteItems', { ...request, ClientRequestToken: 'x'.repeat(37) })))
        .message,
    ).toContain('Member must have length less than or equal to 36')
  })

  test('capacity INDEXES doubles index writes too; item collection metrics for a table with an LSI', async () => {
    const engine = await engineWithTable()
    const out = (await engine.call('TransactWriteItems', {
      TransactItems: [put('g', { gsi1pk: s('G'), gsi1sk: s('1'), lsk: n(1) })],
      ReturnConsumedCapacity: 'INDEXES',
      ReturnItemCollectionMetrics: 'SIZE',
    })) as Out
    // The table has an LSI, so the item collection the write touched is reported.
    expect(out.ItemCollectionMetrics).toEqual({
      app: [{ ItemCollectionKey: { pk: s('g') }, SizeEstimateRangeGB: [0, 1] }],
    })
    expect(out.ConsumedCapacity).toEqual([
      {
        TableName: 'app',
        CapacityUnits: 6,
        Table: { CapacityUnits: 2 },
        GlobalSecondaryIndexes: { gsi1: { CapacityUnits: 2 } },
        LocalSecondaryIndexes: { lsi1: { CapacityUnits: 2 } },
      },
    ])
  })
})

describe('TransactGetItems', () => {
  test('reads every item in request order, {} for a missing one, with projections and doubled read units', async () => {
    const engine = await engineWithTable()
    await engine.call('PutItem', { TableName: 'app', Item: { ...key('a'), v: n(1), w: s('x') } })
    const out = (await engine.call('TransactGetItems', {
      TransactItems: [
        {
          Get: {
            TableName: 'app',
            Key: key('a'),
            ProjectionExpression: '#v',
            ExpressionAttributeNames: { '#v': 'v' },
          },
        },
        { Get: { TableName: 'app', Key: key('none') } },
        { Get: { TableName: 'app', Key: key('a', '2') } },
      ],
      ReturnConsumedCapacity: 'TOTAL',
    })) as Out
    expect(out.Responses).toEqual([{ Item: { v: n(1) } }, {}, {}])
    expect(out.ConsumedCapacity).toEqual([{ TableName: 'app', CapacityUnits: 6 }])
  })

  test('validation: a member without Get, duplicates, a key that does not match', async () => {
    const engine = await engineWithTable()
    expect((await errorOf(engine.call('TransactGetItems', { TransactItems: [{}] }))).message).toBe(
      "1 validation error detected: Value null at 'transactItems.1.member.get' failed to satisfy constraint: Member must not be null",
    )
    const get = { Get: { TableName: 'app', Key: key('a') } }
    expect((await errorOf(engine.call('TransactGetItems', { TransactItems: [get, get] }))).message).toBe(
      'Transaction request cannot include multiple operations on one item',
    )
    expect(
      (
        await errorOf(
          engine.call('TransactGetItems', {
            TransactItems: [{ Get: { TableName: 'app', Key: { pk: s('a') } } }],
          }),
        )
      ).message,
    ).toBe('The provided key element does not match the schema')
  })
})

describe('4 MB answers', () => {
  test('TransactGetItems and a reading ExecuteTransaction refuse items adding up to more than 4 MB; up to it they answer', async () => {
    const engine = await engineWithTable()
    const big = s('x'.repeat(390_000))
    for (let i = 0; i < 11; i++)
      await engine.call('PutItem', { TableName: 'app', Item: { ...key(`b${i}`), b: big } })
    const gets = (count: number) => ({
      TransactItems: Array.from({ length: count }, (_, i) => ({
        Get: { TableName: 'app', Key: key(`b${i}`) },
      })),
    })
    const reads = (count: number) => ({
      TransactStatements: Array.from({ length: count }, (_, i) => ({
        Statement: `SELECT * FROM "app" WHERE pk = 'b${i}' AND sk = '1'`,
      })),
    })
    expect(((await engine.call('TransactGetItems', gets(10))) as Out).Responses).toHaveLength(10)
    expect(((await engine.call('ExecuteTransaction', reads(10))) as Out).Responses).toHaveLength(10)
    // pk (2 + 2), sk (2 + 1) and b (1 + 390,000) bytes: 390,008 each, b10 one more.
    const tooBig = 'Payload in response is too large.4290089'
    for (const err of [
      await errorOf(engine.call('TransactGetItems', gets(11))),
      await errorOf(engine.call('ExecuteTransaction', reads(11))),
    ]) {
      expect(err.type).toBe('ValidationException')
      expect(err.message).toBe(tooBig)
    }
  })
})

describe('malformed transactions', () => {
  test('2,000 generated malformed requests: each answers a DynamoDB client error, none an internal one', async () => {
    const engine = await engineWithTable()
    let seed = 42
    // A fixed LCG (its high bits: the low ones repeat quickly), so a failure can be replayed.
    const rnd = (n: number) => (
      (seed = (seed * 1103515245 + 12345) % 2 ** 31),
      Math.floor((seed / 2 ** 31) * n)
    )
    const junk = (): unknown =>
      [
        null,
        1,
        'x',
        true,
        [],
        {},
        [1],
        { S: 1 },
        { N: 'abc' },
        { S: 'a', N: '1' },
        { L: 'x' },
        key('j'),
        { pk: s('') },
      ][rnd(13)]
    const action = (get: boolean): unknown => {
      const kind = get
        ? (['Get', 'Get', 'Get', 'Put'][rnd(4)] as string)
        : (['Put', 'Update', 'Delete', 'ConditionCheck', 'Get', 'Nope'][rnd(rnd(4) === 0 ? 6 : 4)] as string)
      const rare = (v: unknown) => (rnd(15) === 0 ? junk() : v)
      const body: Out = { TableName: rare(rnd(20) === 0 ? 'missing-table' : 'app') }
      const target = `i${rnd(40)}`
      if (kind === 'Put') body.Item = rare({ ...key(target), v: n(rnd(9)) })
      else body.Key = rare(key(target))
      const expressions: unknown[] = []
      if (kind === 'Update')
        expressions.push(
          (body.UpdateExpression = rare(
            ['SET v = v + :v', 'REMOVE pk', 'ADD v :v', 'SET w = :v', 'SET'][rnd(5)],
          )),
        )
      if (kind === 'ConditionCheck' || rnd(2) === 0)
        expressions.push(
          (body.ConditionExpression = rare(
            ['attribute_exists(pk)', 'attribute_not_exists(pk)', 'v > :v', 'bad (', '#x = :v'][rnd(5)],
          )),
        )
      const text = expressions.filter((e) => typeof e === 'string').join(' ')
      if (text.includes(':v'))
        body.ExpressionAttributeValues = rare({ ':v': [n(1), s('a'), { BOOL: true }][rnd(3)] })
      if (text.includes('#x')) body.ExpressionAttributeNames = rare({ '#x': 'v' })
      if (rnd(3) === 0) body.ReturnValuesOnConditionCheckFailure = rare(['ALL_OLD', 'NONE'][rnd(2)])
      return rnd(30) === 0 ? junk() : { [kind]: body }
    }
    const internal: unknown[] = []
    const outcomes = new Map<string, number>()
    const count = (k: string) => outcomes.set(k, (outcomes.get(k) ?? 0) + 1)
    for (let i = 0; i < 2000; i++) {
      const op = rnd(4) === 0 ? 'TransactGetItems' : 'TransactWriteItems'
      const items =
        rnd(20) === 0 ? junk() : Array.from({ length: 1 + rnd(3) }, () => action(op === 'TransactGetItems'))
      const request: Out = { TransactItems: items }
      if (rnd(4) === 0) request.ClientRequestToken = rnd(2) ? `t${rnd(20)}` : junk()
      if (rnd(4) === 0) request.ReturnConsumedCapacity = ['TOTAL', 'INDEXES', 'X', 7][rnd(4)]
      try {
        await engine.call(op, request)
        count('ok')
      } catch (err) {
        const e = err as { type?: string; statusCode?: number }
        count(String(e.type))
        if (e.type === 'InternalServerError' || e.statusCode !== 400) internal.push({ request, err })
      }
    }
    expect(internal).toEqual([])
    // The generator reaches past validation: some transactions pass, some are cancelled.
    expect(outcomes.get('ok')).toBeGreaterThan(0)
    expect(outcomes.get('TransactionCanceledException')).toBeGreaterThan(0)
  })
})
