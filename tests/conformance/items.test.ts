/**
 * Single-item and batch writes/reads, ours vs DynamoDB Local 3.3.1: conditions, every ReturnValues, consumed
 * capacity (TOTAL and INDEXES), number precision, empty strings, the 400 KB item limit and batch validation.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { inject } from 'vitest'
import { B, Harness, N, S, errorName, keyTable, singleTable, type Json } from './harness'

let h: Harness
let table: string
let hashOnly: string

beforeAll(async () => {
  h = await Harness.start(inject('ddbLocalEndpoint'), 'itm')
  table = h.name('single')
  hashOnly = h.name('hash')
  await h.same('CreateTable', singleTable(table))
  await h.same('CreateTable', keyTable(hashOnly, 'S'))
})

afterAll(async () => {
  await h?.close()
})

const key = (pk: string, sk: string) => ({ pk: S(pk), sk: S(sk) })

describe('PutItem / GetItem / DeleteItem', () => {
  test('ReturnValues NONE and ALL_OLD, on new and existing items, with capacity TOTAL and INDEXES', async () => {
    const item = {
      ...key('p1', 's1'),
      gpk: S('g'),
      gsk: S('x'),
      lsk: N(1),
      text: S('hello'),
      list: { L: [N(1), S('a')] },
    }
    for (const ReturnConsumedCapacity of ['NONE', 'TOTAL', 'INDEXES']) {
      await h.same(
        'PutItem',
        { TableName: table, Item: item, ReturnValues: 'ALL_OLD', ReturnConsumedCapacity },
        `PutItem ALL_OLD ${ReturnConsumedCapacity}`,
      )
    }
    await h.same('PutItem', {
      TableName: table,
      Item: { ...key('p1', 's2'), v: N(1) },
      ReturnValues: 'NONE',
      ReturnConsumedCapacity: 'INDEXES',
    })
    // Moving an item out of both indexes (the GSI and LSI keys disappear).
    await h.same(
      'PutItem',
      { TableName: table, Item: key('p1', 's1'), ReturnValues: 'ALL_OLD', ReturnConsumedCapacity: 'INDEXES' },
      'PutItem leaving the indexes',
    )
    for (const ReturnConsumedCapacity of ['TOTAL', 'INDEXES']) {
      await h.same(
        'GetItem',
        { TableName: table, Key: key('p1', 's2'), ReturnConsumedCapacity },
        `GetItem ${ReturnConsumedCapacity}`,
      )
      await h.same(
        'GetItem',
        { TableName: table, Key: key('p1', 's2'), ConsistentRead: true, ReturnConsumedCapacity },
        `GetItem consistent ${ReturnConsumedCapacity}`,
      )
    }
    await h.same(
      'GetItem',
      { TableName: table, Key: key('p1', 'none'), ReturnConsumedCapacity: 'TOTAL' },
      'GetItem of a missing item',
    )
    await h.same('DeleteItem', {
      TableName: table,
      Key: key('p1', 's2'),
      ReturnValues: 'ALL_OLD',
      ReturnConsumedCapacity: 'INDEXES',
    })
    await h.same(
      'DeleteItem',
      { TableName: table, Key: key('p1', 's2'), ReturnValues: 'ALL_OLD', ReturnConsumedCapacity: 'TOTAL' },
      'DeleteItem of a missing item',
    )
  })

  test('capacity grows with item size (1 KB write units, 4 KB read units)', async () => {
    for (const size of [900, 1100, 3000, 4200, 9000]) {
      const k = key('cap', `s${size}`)
      await h.same(
        'PutItem',
        { TableName: table, Item: { ...k, blob: S('x'.repeat(size)) }, ReturnConsumedCapacity: 'TOTAL' },
        `PutItem ${size} B`,
      )
      await h.same(
        'GetItem',
        { TableName: table, Key: k, ReturnConsumedCapacity: 'TOTAL' },
        `GetItem ${size} B eventually consistent`,
      )
      await h.same(
        'GetItem',
        { TableName: table, Key: k, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' },
        `GetItem ${size} B consistent`,
      )
      await h.same(
        'DeleteItem',
        { TableName: table, Key: k, ReturnConsumedCapacity: 'TOTAL' },
        `DeleteItem ${size} B`,
      )
    }
  })

  test('conditional put and delete: success, ConditionalCheckFailedException, ReturnValuesOnConditionCheckFailure', async () => {
    const k = key('cond', '1')
    await h.same(
      'PutItem',
      { TableName: table, Item: { ...k, v: N(1) }, ConditionExpression: 'attribute_not_exists(pk)' },
      'put if absent',
    )
    await h.same(
      'PutItem',
      { TableName: table, Item: { ...k, v: N(2) }, ConditionExpression: 'attribute_not_exists(pk)' },
      'put if absent, present',
    )
    await h.same(
      'PutItem',
      {
        TableName: table,
        Item: { ...k, v: N(2) },
        ConditionExpression: 'v = :one',
        ExpressionAttributeValues: { ':one': N(5) },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
      'put failing with ALL_OLD on failure',
    )
    await h.same(
      'DeleteItem',
      {
        TableName: table,
        Key: k,
        ConditionExpression: '#v > :x',
        ExpressionAttributeNames: { '#v': 'v' },
        ExpressionAttributeValues: { ':x': N(3) },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
      'delete failing',
    )
    await h.same(
      'DeleteItem',
      {
        TableName: table,
        Key: k,
        ConditionExpression: 'v = :one',
        ExpressionAttributeValues: { ':one': N(1) },
        ReturnValues: 'ALL_OLD',
      },
      'delete passing',
    )
    await h.same(
      'DeleteItem',
      { TableName: table, Key: k, ConditionExpression: 'attribute_exists(pk)' },
      'delete missing with a condition',
    )
  })

  test('UpdateItem with every ReturnValues', async () => {
    const k = key('upd', '1')
    for (const ReturnValues of ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW']) {
      await h.same('PutItem', { TableName: table, Item: { ...k, a: N(1), b: S('x'), c: { M: { d: N(1) } } } })
      await h.same(
        'UpdateItem',
        {
          TableName: table,
          Key: k,
          UpdateExpression: 'SET a = a + :one, c.d = :v, e = :v REMOVE b',
          ExpressionAttributeValues: { ':one': N(1), ':v': S('new') },
          ReturnValues,
          ReturnConsumedCapacity: 'INDEXES',
        },
        `UpdateItem ${ReturnValues}`,
      )
    }
    // UpdateItem creating an item, entering the GSI and LSI.
    await h.same(
      'UpdateItem',
      {
        TableName: table,
        Key: key('upd', '2'),
        UpdateExpression: 'SET gpk = :g, gsk = :g, lsk = :n',
        ExpressionAttributeValues: { ':g': S('g'), ':n': N(3) },
        ReturnValues: 'ALL_NEW',
        ReturnConsumedCapacity: 'INDEXES',
      },
      'UpdateItem upsert into indexes',
    )
    await h.same(
      'UpdateItem',
      {
        TableName: table,
        Key: key('upd', '3'),
        ConditionExpression: 'attribute_exists(pk)',
        UpdateExpression: 'SET a = :n',
        ExpressionAttributeValues: { ':n': N(1) },
      },
      'UpdateItem condition on a missing item',
    )
    await h.same(
      'UpdateItem',
      {
        TableName: table,
        Key: key('upd', '2'),
        UpdateExpression: 'SET pk = :p',
        ExpressionAttributeValues: { ':p': S('x') },
      },
      'UpdateItem on a key attribute',
    )
    await h.same(
      'UpdateItem',
      {
        TableName: table,
        Key: key('upd', '2'),
        UpdateExpression: 'SET gpk = :n',
        ExpressionAttributeValues: { ':n': N(1) },
      },
      'UpdateItem giving a GSI key the wrong type',
    )
    await h.same(
      'UpdateItem',
      { TableName: table, Key: key('upd', '4') },
      'UpdateItem without an expression creates the item',
    )
    await h.same(
      'GetItem',
      { TableName: table, Key: key('upd', '4') },
      'GetItem of the item UpdateItem created',
    )
  })

  test('key validation: missing key, wrong key type, extra key attribute, index key of the wrong type', async () => {
    await h.same('GetItem', { TableName: table, Key: { pk: S('x') } }, 'GetItem without the range key')
    await h.same('GetItem', { TableName: table, Key: { pk: N(1), sk: S('x') } }, 'GetItem with an N hash key')
    await h.same(
      'GetItem',
      { TableName: table, Key: { ...key('x', 'y'), other: S('z') } },
      'GetItem with an extra key attribute',
    )
    await h.same('PutItem', { TableName: table, Item: { pk: S('x') } }, 'PutItem without the range key')
    await h.same(
      'PutItem',
      { TableName: table, Item: { ...key('x', 'y'), gpk: N(1) } },
      'PutItem with a GSI key of the wrong type',
    )
    await h.same(
      'PutItem',
      { TableName: table, Item: { ...key('x', 'y'), lsk: S('1') } },
      'PutItem with an LSI key of the wrong type',
    )
    await h.same('DeleteItem', { TableName: table, Key: { pk: S('x') } }, 'DeleteItem without the range key')
    await h.same(
      'PutItem',
      { TableName: table, Item: { ...key('x', 'y'), bad: { SS: [] } } },
      'PutItem with an empty set',
    )
    await h.same(
      'PutItem',
      { TableName: table, Item: { ...key('x', 'y'), bad: { SS: ['a', 'a'] } } },
      'PutItem with a duplicate in a set',
    )
    await h.same(
      'PutItem',
      { TableName: table, Item: { ...key('x', 'y'), bad: { N: 'abc' } } },
      'PutItem with a bad number',
    )
  })
})

describe('values', () => {
  test('38-digit numbers, exponents and normalisation round-trip', async () => {
    const numbers = [
      '12345678901234567890123456789012345678',
      '-0.00000000000000000000000000000000000001',
      '9.9999999999999999999999999999999999999E+125',
      '1E-130',
      '001.500',
      '-0',
      '1e2',
      '0.1000',
    ]
    for (const [i, n] of numbers.entries()) {
      await h.same(
        'PutItem',
        { TableName: table, Item: { ...key('num', String(i)), n: N(n) } },
        `PutItem N ${n}`,
      )
      await h.same('GetItem', { TableName: table, Key: key('num', String(i)) }, `GetItem N ${n}`)
    }
    for (const bad of [
      '123456789012345678901234567890123456789',
      '1E+126',
      '1E-131',
      '1.2.3',
      'Infinity',
      '',
    ]) {
      await h.same(
        'PutItem',
        { TableName: table, Item: { ...key('num', 'bad'), n: N(bad) } },
        `PutItem bad N ${bad}`,
      )
    }
    await h.same(
      'UpdateItem',
      {
        TableName: table,
        Key: key('num', '0'),
        UpdateExpression: 'SET n = n + :d',
        ExpressionAttributeValues: { ':d': N('0.00000000000000000000000000000000000001') },
        ReturnValues: 'UPDATED_NEW',
      },
      'adding past 38 digits',
    )
  })

  test('empty strings and binaries: allowed in non-key attributes, rejected in keys (table and index)', async () => {
    await h.same(
      'PutItem',
      {
        TableName: table,
        Item: { ...key('empty', '1'), s: S(''), b: { B: '' }, l: { L: [S('')] }, m: { M: { x: S('') } } },
      },
      'PutItem with empty non-key values',
    )
    await h.same('GetItem', { TableName: table, Key: key('empty', '1') })
    await h.same('PutItem', { TableName: table, Item: key('', '1') }, 'PutItem with an empty hash key')
    await h.same('PutItem', { TableName: table, Item: key('empty', '') }, 'PutItem with an empty range key')
    await h.same(
      'PutItem',
      { TableName: table, Item: { ...key('empty', '2'), gpk: S('') } },
      'PutItem with an empty GSI key',
    )
    await h.same('GetItem', { TableName: table, Key: key('', 'x') }, 'GetItem with an empty hash key')
  })

  test('binary, sets, maps and lists round-trip', async () => {
    const item = {
      ...key('types', '1'),
      b: B([0, 1, 2, 255]),
      bs: { BS: [B([1]).B, B([0]).B] },
      ss: { SS: ['b', 'a'] },
      ns: { NS: ['2', '1.0', '-3'] },
      bool: { BOOL: false },
      nul: { NULL: true },
      m: { M: { nested: { L: [{ M: { deep: N('7') } }] } } },
    }
    await h.same('PutItem', { TableName: table, Item: item, ReturnConsumedCapacity: 'TOTAL' })
    await h.same('GetItem', { TableName: table, Key: key('types', '1'), ReturnConsumedCapacity: 'TOTAL' })
  })

  test('the 400 KB item size limit', async () => {
    // 400 KB counts attribute names and values in UTF-8. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
    const k = key('big', '1')
    const overhead = 'pk'.length + 3 + 'sk'.length + 1 + 'v'.length
    const fits = 400 * 1024 - overhead
    await h.same(
      'PutItem',
      { TableName: table, Item: { ...k, v: S('a'.repeat(fits)) }, ReturnConsumedCapacity: 'TOTAL' },
      'PutItem at exactly 400 KB',
    )
    await h.same(
      'PutItem',
      { TableName: table, Item: { ...k, v: S('a'.repeat(fits + 1)) } },
      'PutItem one byte over 400 KB',
    )
    await h.same(
      'UpdateItem',
      {
        TableName: table,
        Key: k,
        UpdateExpression: 'SET w = :w',
        ExpressionAttributeValues: { ':w': S('x') },
      },
      'UpdateItem growing past 400 KB',
    )
    await h.same('DeleteItem', { TableName: table, Key: k })
  })
})

describe('BatchGetItem / BatchWriteItem', () => {
  test('writes and reads across two tables, with capacity, projection and missing keys', async () => {
    const puts = Array.from({ length: 6 }, (_, i) => ({
      PutRequest: { Item: { ...key('batch', `s${i}`), v: N(i), gpk: S('bg'), gsk: S(`x${i}`) } },
    }))
    await h.same('BatchWriteItem', {
      RequestItems: { [table]: puts, [hashOnly]: [{ PutRequest: { Item: { h: S('one'), v: N(1) } } }] },
      ReturnConsumedCapacity: 'INDEXES',
    })
    const keys = [key('batch', 's1'), key('batch', 's4'), key('batch', 'missing')]
    // Batch reads come back in no particular order: compare as sets (sorted by the harness's caller).
    const got = await h.send('BatchGetItem', {
      RequestItems: {
        [table]: { Keys: keys, ProjectionExpression: 'sk, v' },
        [hashOnly]: { Keys: [{ h: S('one') }], ConsistentRead: true },
      },
      ReturnConsumedCapacity: 'TOTAL',
    })
    const sorted = (w: Json) => {
      const responses = (w.Responses ?? {}) as Record<string, Json[]>
      return {
        ...w,
        Responses: Object.fromEntries(
          Object.entries(responses).map(([t, items]) => [
            t,
            [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
          ]),
        ),
        ConsumedCapacity: [...((w.ConsumedCapacity ?? []) as Json[])].sort((a, b) =>
          String(a.TableName).localeCompare(String(b.TableName)),
        ),
      }
    }
    expect(got.ours.status).toBe(got.local.status)
    expect(sorted(got.ours.body)).toEqual(sorted(got.local.body))
    await h.same(
      'BatchWriteItem',
      {
        RequestItems: {
          [table]: [
            { DeleteRequest: { Key: key('batch', 's0') } },
            { DeleteRequest: { Key: key('batch', 'nope') } },
          ],
        },
        ReturnConsumedCapacity: 'TOTAL',
      },
      'BatchWriteItem deletes',
    )
    await h.same(
      'Query',
      {
        TableName: table,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': S('batch') },
      },
      'Query after batch writes',
    )
  })

  const invalid: [string, string, () => Json][] = [
    [
      'duplicate keys in one BatchWriteItem',
      'BatchWriteItem',
      () => ({
        RequestItems: {
          [table]: [{ PutRequest: { Item: key('d', '1') } }, { DeleteRequest: { Key: key('d', '1') } }],
        },
      }),
    ],
    [
      '26 writes',
      'BatchWriteItem',
      () => ({
        RequestItems: {
          [table]: Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: key('d', `${i}`) } })),
        },
      }),
    ],
    ['no requests', 'BatchWriteItem', () => ({ RequestItems: {} })],
    [
      'a write with both Put and Delete',
      'BatchWriteItem',
      () => ({
        RequestItems: {
          [table]: [{ PutRequest: { Item: key('d', '1') }, DeleteRequest: { Key: key('d', '1') } }],
        },
      }),
    ],
    [
      'a missing table',
      'BatchWriteItem',
      () => ({ RequestItems: { [h.name('absent')]: [{ PutRequest: { Item: { h: S('x') } } }] } }),
    ],
    [
      'a bad key',
      'BatchWriteItem',
      () => ({ RequestItems: { [table]: [{ DeleteRequest: { Key: { pk: S('x') } } }] } }),
    ],
    [
      'duplicate keys in one BatchGetItem',
      'BatchGetItem',
      () => ({ RequestItems: { [table]: { Keys: [key('d', '1'), key('d', '1')] } } }),
    ],
    [
      '101 keys',
      'BatchGetItem',
      () => ({
        RequestItems: { [table]: { Keys: Array.from({ length: 101 }, (_, i) => key('d', `${i}`)) } },
      }),
    ],
    [
      'a missing table',
      'BatchGetItem',
      () => ({ RequestItems: { [h.name('absent')]: { Keys: [{ h: S('x') }] } } }),
    ],
  ]
  test.each(invalid)('invalid batch: %s (%s)', async (what, op, req) => {
    const pair = await h.same(op, req(), `${op} with ${what}`)
    expect(pair.ours.status).toBe(400)
    expect(errorName(pair.ours)).toBeDefined()
  })
})
