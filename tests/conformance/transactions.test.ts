/**
 * Transactions and Time to Live, ours vs DynamoDB Local 3.3.1: TransactWriteItems (Put, Update, Delete,
 * ConditionCheck), TransactGetItems, cancellation reasons, capacity, validation, ClientRequestToken; and
 * UpdateTimeToLive / DescribeTimeToLive. Where Local differs from real DynamoDB the test says so (KNOWN-DIFFERENCES.md).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { inject } from 'vitest'
import { Harness, N, S, errorMessage, errorName, keyTable, singleTable, type Json } from './harness'
import { TTL_TRANSITION_MS } from '../../electron/engine/ttl'

let h: Harness
let table: string
let plain: string

beforeAll(async () => {
  h = await Harness.start(inject('ddbLocalEndpoint'), 'txn')
  table = h.name('single')
  plain = h.name('plain')
  await h.same('CreateTable', singleTable(table))
  await h.same('CreateTable', keyTable(plain, 'S'))
})

afterAll(async () => {
  await h?.close()
})

const key = (pk: string, sk = '1') => ({ pk: S(pk), sk: S(sk) })
const put = (pk: string, extra: Json = {}, more: Json = {}) => ({
  Put: { TableName: table, Item: { ...key(pk), ...extra }, ...more },
})

describe('TransactWriteItems', () => {
  test('puts, deletes and condition checks, with capacity NONE, TOTAL and INDEXES', async () => {
    await h.same('PutItem', { TableName: table, Item: { ...key('del'), v: N(1) } })
    await h.same('PutItem', {
      TableName: table,
      Item: { ...key('chk'), ok: { BOOL: true }, blob: S('x'.repeat(5000)) },
    })
    const check = {
      ConditionCheck: {
        TableName: table,
        Key: key('chk'),
        ConditionExpression: 'ok = :t',
        ExpressionAttributeValues: { ':t': { BOOL: true } },
      },
    }
    for (const ReturnConsumedCapacity of ['NONE', 'TOTAL', 'INDEXES']) {
      await h.same(
        'TransactWriteItems',
        {
          TransactItems: [
            put(`new-${ReturnConsumedCapacity}`, {
              gpk: S('g'),
              gsk: S('x'),
              lsk: N(1),
              blob: S('x'.repeat(1500)),
            }),
            put(`plain-${ReturnConsumedCapacity}`),
          ],
          ReturnConsumedCapacity,
        },
        `TransactWriteItems ${ReturnConsumedCapacity}`,
      )
      await h.same(
        'TransactWriteItems',
        { TransactItems: [check], ReturnConsumedCapacity },
        `a ConditionCheck alone, ${ReturnConsumedCapacity}`,
      )
      await h.same(
        'TransactWriteItems',
        {
          TransactItems: [
            {
              Update: {
                TableName: table,
                Key: key('chk'),
                UpdateExpression: 'SET n = :n',
                ExpressionAttributeValues: { ':n': S(ReturnConsumedCapacity) },
              },
            },
          ],
          ReturnConsumedCapacity,
        },
        `an Update alone, ${ReturnConsumedCapacity}`,
      )
    }
    // Mixed with puts, Local charges nothing for a ConditionCheck or an Update; real DynamoDB charges every action
    // (txn-mixed-capacity in KNOWN-DIFFERENCES.md).
    await h.same('PutItem', { TableName: table, Item: key('chk-small') })
    const smallCheck = {
      ConditionCheck: {
        TableName: table,
        Key: key('chk-small'),
        ConditionExpression: 'attribute_exists(pk)',
      },
    }
    const mixed = await h.send('TransactWriteItems', {
      TransactItems: [put('mixed'), smallCheck],
      ReturnConsumedCapacity: 'TOTAL',
    })
    expect((mixed.local.body.ConsumedCapacity as Json[])[0]!.CapacityUnits).toBe(2)
    expect((mixed.ours.body.ConsumedCapacity as Json[])[0]!.CapacityUnits).toBe(2 + 2)
    await h.same(
      'TransactWriteItems',
      {
        TransactItems: [
          { Delete: { TableName: table, Key: key('del') } },
          { Put: { TableName: plain, Item: { h: S('x') } } },
        ],
        ReturnConsumedCapacity: 'TOTAL',
      },
      'two tables',
    )
    await h.same('GetItem', { TableName: table, Key: key('del') }, 'the deleted item is gone')
    await h.same('GetItem', { TableName: table, Key: key('new-TOTAL') }, 'the put item is there')
  })

  test('an update applies with the others', async () => {
    await h.same('PutItem', { TableName: table, Item: { ...key('upd'), v: N(1) } })
    await h.same('TransactWriteItems', {
      TransactItems: [
        {
          Update: {
            TableName: table,
            Key: key('upd'),
            UpdateExpression: 'SET v = v + :one, w = :s',
            ExpressionAttributeValues: { ':one': N(1), ':s': S('x') },
          },
        },
        put('upd-2'),
      ],
    })
    await h.same('GetItem', { TableName: table, Key: key('upd') }, 'the updated item')
  })

  test('cancellation reasons in request order, None for passing actions, ALL_OLD items', async () => {
    await h.same('PutItem', { TableName: table, Item: { ...key('c1'), v: N(1) } })
    await h.same(
      'TransactWriteItems',
      {
        TransactItems: [
          put('c-new'),
          {
            Update: {
              TableName: table,
              Key: key('c1'),
              UpdateExpression: 'SET v = :two',
              ConditionExpression: 'v = :two',
              ExpressionAttributeValues: { ':two': N(2) },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          {
            ConditionCheck: {
              TableName: table,
              Key: key('c-missing'),
              ConditionExpression: 'attribute_exists(pk)',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          { Delete: { TableName: table, Key: key('c1', '2'), ConditionExpression: 'attribute_exists(pk)' } },
        ],
      },
      'three failing conditions',
    )
    await h.same(
      'GetItem',
      { TableName: table, Key: key('c-new') },
      'nothing of a cancelled transaction is written',
    )
    await h.same(
      'GetItem',
      { TableName: table, Key: key('c1') },
      'the item a cancelled update names is unchanged',
    )
  })

  test('validation: null, empty and over-long lists, one action per item, one kind per action, missing table and members', async () => {
    await h.same('TransactWriteItems', {}, 'no TransactItems')
    await h.same('TransactWriteItems', { TransactItems: [] }, 'empty TransactItems')
    await h.same(
      'TransactWriteItems',
      { TransactItems: Array.from({ length: 101 }, (_, i) => put(`m${i}`)) },
      '101 actions',
    )
    await h.same(
      'TransactWriteItems',
      { TransactItems: [put('d'), { Delete: { TableName: table, Key: key('d') } }] },
      'two actions on one item',
    )
    await h.same(
      'TransactWriteItems',
      { TransactItems: [{ ...put('e'), Delete: { TableName: table, Key: key('e') } }] },
      'two kinds in one action',
    )
    await h.same('TransactWriteItems', { TransactItems: [{}] }, 'an action of no kind')
    await h.same(
      'TransactWriteItems',
      { TransactItems: [{ Put: { TableName: h.name('nope'), Item: key('a') } }] },
      'a missing table',
    )
    await h.same(
      'TransactWriteItems',
      { TransactItems: [{ ConditionCheck: { TableName: table, Key: key('a') } }] },
      'a ConditionCheck without its expression',
    )
    await h.same(
      'TransactWriteItems',
      { TransactItems: [{ Put: { TableName: table, Item: { pk: S('a') } } }] },
      'a Put without the sort key',
    )
    // Local answers key mismatches in transactions in four ways (txn-key-mismatch); ours as a single DeleteItem.
    const mismatch = await h.send('TransactWriteItems', {
      TransactItems: [{ Delete: { TableName: table, Key: { pk: S('a') } } }],
    })
    expect(errorMessage(mismatch.local)).toBe('The number of conditions on the keys is invalid')
    expect([errorName(mismatch.ours), errorMessage(mismatch.ours)]).toEqual([
      'ValidationException',
      'The provided key element does not match the schema',
    ])
    await h.same(
      'TransactWriteItems',
      { TransactItems: [{ Update: { TableName: table, Key: key('a'), UpdateExpression: 'SET v = :x' } }] },
      'an undefined placeholder',
    )
    // Local ignores an unknown ReturnConsumedCapacity here (txn-capacity-enum).
    const badEnum = await h.send('TransactWriteItems', {
      TransactItems: [put('f')],
      ReturnConsumedCapacity: 'SOME',
    })
    expect(badEnum.local.status).toBe(200)
    expect(errorMessage(badEnum.ours)).toBe(
      "1 validation error detected: Value 'SOME' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]",
    )
    await h.same(
      'TransactWriteItems',
      { TransactItems: [put('f')], ClientRequestToken: 'x'.repeat(37) },
      'a 37-character token',
    )
  })

  test('4 MB: the items of one transaction may not add up to more', async () => {
    const big = S('x'.repeat(390_000))
    await h.same(
      'TransactWriteItems',
      { TransactItems: Array.from({ length: 11 }, (_, i) => put(`big${i}`, { b: big })) },
      'eleven 390 KB puts',
    )
  })

  test('an error only the stored item reveals: a ValidationError cancellation reason (real DynamoDB), not a ValidationException (Local)', async () => {
    const pair = await h.send('TransactWriteItems', {
      TransactItems: [
        put('r-new'),
        {
          Update: {
            TableName: table,
            Key: key('r-missing'),
            UpdateExpression: 'SET v = v + :one',
            ExpressionAttributeValues: { ':one': N(1) },
          },
        },
      ],
    })
    const message = 'The provided expression refers to an attribute that does not exist in the item'
    expect([errorName(pair.local), errorMessage(pair.local)]).toEqual(['ValidationException', message])
    expect(errorName(pair.ours)).toBe('TransactionCanceledException')
    expect(pair.ours.body.CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'ValidationError', Message: message },
    ])
    expect(errorMessage(pair.ours)).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError]',
    )
  })

  test('an Update without UpdateExpression: required by the API reference (Local accepts it)', async () => {
    const pair = await h.send('TransactWriteItems', {
      TransactItems: [{ Update: { TableName: table, Key: key('no-expr') } }],
    })
    expect(pair.local.status).toBe(200)
    expect(errorMessage(pair.ours)).toBe(
      "1 validation error detected: Value null at 'transactItems.1.member.update.updateExpression' failed to satisfy constraint: Member must not be null",
    )
  })

  test('ClientRequestToken: a repeat changes nothing and reports read units; other parameters are a mismatch', async () => {
    const token = `tok-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
    const request = {
      TransactItems: [
        {
          Update: {
            TableName: table,
            Key: key('idem'),
            UpdateExpression: 'ADD v :one',
            ExpressionAttributeValues: { ':one': N(1) },
          },
        },
      ],
      ClientRequestToken: token,
    }
    await h.same(
      'TransactWriteItems',
      { ...request, ReturnConsumedCapacity: 'TOTAL' },
      'first use of a token',
    )
    await h.same(
      'TransactWriteItems',
      { ...request, ReturnConsumedCapacity: 'TOTAL' },
      'the same request again',
    )
    await h.same('TransactWriteItems', request, 'again without capacity')
    await h.same('GetItem', { TableName: table, Key: key('idem') }, 'applied once')
    const mismatch = await h.send('TransactWriteItems', { ...request, TransactItems: [put('idem-other')] })
    // DynamoDB Local answers an empty message; ours says what went wrong.
    expect([errorName(mismatch.ours), errorName(mismatch.local)]).toEqual([
      'IdempotentParameterMismatchException',
      'IdempotentParameterMismatchException',
    ])
    expect(errorMessage(mismatch.ours)).toBe(
      'Specified idempotent token was used with different request parameters within the idempotency window',
    )
    const failing = {
      TransactItems: [put('idem-f', {}, { ConditionExpression: 'attribute_exists(pk)' })],
      ClientRequestToken: `${token}-f`,
    }
    await h.same('TransactWriteItems', failing, 'a cancelled transaction with a token')
    await h.same(
      'TransactWriteItems',
      { ...failing, TransactItems: [put('idem-f')] },
      'its token is not used up',
    )
  })
})

describe('TransactGetItems', () => {
  test('items in request order, {} for a missing one, projections, capacity', async () => {
    await h.same('PutItem', { TableName: table, Item: { ...key('g1'), v: N(1), w: S('x'.repeat(5000)) } })
    for (const ReturnConsumedCapacity of ['NONE', 'TOTAL', 'INDEXES']) {
      await h.same(
        'TransactGetItems',
        {
          TransactItems: [
            {
              Get: {
                TableName: table,
                Key: key('g1'),
                ProjectionExpression: '#v, pk',
                ExpressionAttributeNames: { '#v': 'v' },
              },
            },
            { Get: { TableName: table, Key: key('g-missing') } },
            { Get: { TableName: table, Key: key('g1', '2') } },
            { Get: { TableName: plain, Key: { h: S('x') } } },
          ],
          ReturnConsumedCapacity,
        },
        `TransactGetItems ${ReturnConsumedCapacity}`,
      )
    }
  })

  test('4 MB: items that add up to more refuse the read', async () => {
    const big = S('x'.repeat(390_000))
    for (let i = 0; i < 11; i++)
      await h.same('PutItem', { TableName: table, Item: { ...key(`gbig${i}`), b: big } })
    await h.same(
      'TransactGetItems',
      {
        TransactItems: Array.from({ length: 10 }, (_, i) => ({
          Get: { TableName: table, Key: key(`gbig${i}`) },
        })),
      },
      'ten 390 KB items (3.9 MB)',
    )
    const over = await h.send('TransactGetItems', {
      TransactItems: Array.from({ length: 11 }, (_, i) => ({
        Get: { TableName: table, Key: key(`gbig${i}`) },
      })),
    })
    // Both refuse it with Local's words; the size they print differs by 4 bytes an item (Local's own count).
    for (const side of [over.ours, over.local]) {
      expect(side.status).toBe(400)
      expect(errorName(side)).toBe('ValidationException')
      expect(errorMessage(side)).toMatch(/^Payload in response is too large\.\d+$/)
    }
  })

  test('validation', async () => {
    await h.same('TransactGetItems', {}, 'no TransactItems')
    await h.same('TransactGetItems', { TransactItems: [] }, 'empty TransactItems')
    await h.same(
      'TransactGetItems',
      {
        TransactItems: Array.from({ length: 101 }, (_, i) => ({
          Get: { TableName: table, Key: key(`m${i}`) },
        })),
      },
      '101 gets',
    )
    const get = { Get: { TableName: table, Key: key('a') } }
    await h.same('TransactGetItems', { TransactItems: [get, get] }, 'the same item twice')
    await h.same(
      'TransactGetItems',
      { TransactItems: [{ Get: { TableName: h.name('nope'), Key: key('a') } }] },
      'a missing table',
    )
  })
})

describe('Time to Live', () => {
  test('UpdateTimeToLive and DescribeTimeToLive', async () => {
    const name = h.name('ttl')
    await h.same('CreateTable', keyTable(name, 'S'))
    const spec = (Enabled: boolean, AttributeName = 'exp') => ({
      TableName: name,
      TimeToLiveSpecification: { Enabled, AttributeName },
    })
    await h.same('UpdateTimeToLive', spec(false), 'disable while disabled')
    await h.same('UpdateTimeToLive', spec(true), 'enable')
    // Real DynamoDB reports ENABLING while the change is processed (API_TimeToLiveDescription); Local says ENABLED.
    const enabling = await h.send('DescribeTimeToLive', { TableName: name })
    expect(enabling.local.body).toMatchObject({ TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED' } })
    expect(enabling.ours.body).toEqual({
      TimeToLiveDescription: { TimeToLiveStatus: 'ENABLING', AttributeName: 'exp' },
    })
    h.engine.advanceClock(TTL_TRANSITION_MS)
    await h.same('DescribeTimeToLive', { TableName: name }, 'describe enabled')
    await h.same('UpdateTimeToLive', spec(true), 'enable again')
    await h.same('UpdateTimeToLive', spec(true, 'other'), 'enable on another attribute')
    await h.same('UpdateTimeToLive', spec(false, 'other'), 'disable naming another attribute')
    // Real DynamoDB takes an hour to process a change and refuses another meanwhile; Local does not.
    const soon = await h.send('UpdateTimeToLive', spec(false))
    expect(soon.local.status).toBe(200)
    expect(errorMessage(soon.ours)).toBe(
      'Time to live has been modified multiple times within a fixed interval',
    )
    // Local back in step with ours (enabled), then ours an hour on.
    expect(
      (await h.post('local', 'DynamoDB_20120810.UpdateTimeToLive', JSON.stringify(spec(true)))).status,
    ).toBe(200)
    h.engine.advanceClock(60 * 60 * 1000)
    await h.same('UpdateTimeToLive', spec(false), 'disable an hour later')
    h.engine.advanceClock(TTL_TRANSITION_MS)
    await h.same('DescribeTimeToLive', { TableName: name }, 'describe disabled')
  })

  test('UpdateTimeToLive validation', async () => {
    const name = h.name('ttlv')
    await h.same('CreateTable', keyTable(name, 'S'))
    await h.same('UpdateTimeToLive', { TableName: name }, 'no specification')
    await h.same(
      'UpdateTimeToLive',
      { TableName: name, TimeToLiveSpecification: { Enabled: true } },
      'no attribute name',
    )
    await h.same(
      'UpdateTimeToLive',
      { TableName: name, TimeToLiveSpecification: { Enabled: true, AttributeName: '' } },
      'an empty attribute name',
    )
    await h.same(
      'UpdateTimeToLive',
      { TableName: h.name('nope'), TimeToLiveSpecification: { Enabled: true, AttributeName: 'x' } },
      'a missing table',
    )
    await h.same(
      'UpdateTimeToLive',
      { TimeToLiveSpecification: { Enabled: true, AttributeName: 'x' } },
      'no table name',
    )
  })
})
