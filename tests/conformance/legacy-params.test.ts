/**
 * The legacy (pre-expression) parameters, ours vs DynamoDB Local 3.3.1: KeyConditions, QueryFilter, ScanFilter,
 * Expected, AttributeUpdates, ConditionalOperator and AttributesToGet, every ComparisonOperator, and the
 * validation errors (mixing with expressions, AttributeValueList arity and types, ConditionalOperator misuse).
 * Items, order, counts, errors and consumed capacity are compared on a table with a sort key, a GSI and an LSI.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { inject } from 'vitest'
import { B, Harness, N, S, keyTable, singleTable, type Json } from './harness'

let h: Harness
let table: string

type Value = Json
const cond = (op: string, ...values: Value[]): Json => ({
  ComparisonOperator: op,
  AttributeValueList: values,
})
const pkA = { pk: cond('EQ', S('A')) }

beforeAll(async () => {
  h = await Harness.start(inject('ddbLocalEndpoint'), 'lg')
  table = h.name('legacy')
  await h.same('CreateTable', singleTable(table))
  const items: Json[] = [
    {
      pk: S('A'),
      sk: S('a1'),
      n: N(5),
      s: S('hello'),
      ss: { SS: ['x', 'y'] },
      l: { L: [S('x'), N(1)] },
      gpk: S('G'),
      gsk: S('1'),
      lsk: N(3),
    },
    {
      pk: S('A'),
      sk: S('a2'),
      n: N(7),
      s: S('world'),
      ns: { NS: ['1', '2'] },
      b: B([1, 2, 3]),
      gpk: S('G'),
      gsk: S('2'),
    },
    {
      pk: S('A'),
      sk: S('a3'),
      n: S('7'),
      s: S('help'),
      m: { M: { k: S('v') } },
      t: { BOOL: true },
      lsk: N(1),
    },
    { pk: S('A'), sk: S('b1'), n: N(-2), nul: { NULL: true }, gpk: S('H'), gsk: S('1') },
    { pk: S('B'), sk: S('a1'), n: N(5), s: S('hello') },
  ]
  await h.same(
    'BatchWriteItem',
    { RequestItems: { [table]: items.map((Item) => ({ PutRequest: { Item } })) } },
    'seed',
  )
})

afterAll(async () => {
  await h?.close()
})

const query = (extra: Json): Json => ({ TableName: table, ReturnConsumedCapacity: 'INDEXES', ...extra })
const scan = (extra: Json): Json => ({ TableName: table, ReturnConsumedCapacity: 'TOTAL', ...extra })

describe('Query', () => {
  const cases: [string, Json][] = [
    ['hash only', { KeyConditions: pkA }],
    ['hash only, backwards, Limit', { KeyConditions: pkA, ScanIndexForward: false, Limit: 2 }],
    ['sort EQ', { KeyConditions: { ...pkA, sk: cond('EQ', S('a2')) } }],
    ['sort LE', { KeyConditions: { ...pkA, sk: cond('LE', S('a2')) } }],
    ['sort LT', { KeyConditions: { ...pkA, sk: cond('LT', S('a2')) } }],
    ['sort GE', { KeyConditions: { sk: cond('GE', S('a2')), ...pkA } }],
    ['sort GT', { KeyConditions: { ...pkA, sk: cond('GT', S('a2')) } }],
    ['sort BEGINS_WITH', { KeyConditions: { ...pkA, sk: cond('BEGINS_WITH', S('a')) } }],
    ['sort BETWEEN', { KeyConditions: { ...pkA, sk: cond('BETWEEN', S('a2'), S('b1')) } }],
    ['GSI', { IndexName: 'gsi', KeyConditions: { gpk: cond('EQ', S('G')), gsk: cond('GT', S('1')) } }],
    [
      'LSI',
      {
        IndexName: 'lsi',
        KeyConditions: { ...pkA, lsk: cond('LT', N(5)) },
        Select: 'ALL_PROJECTED_ATTRIBUTES',
      },
    ],
    [
      'QueryFilter on GSI (table key allowed)',
      {
        IndexName: 'gsi',
        KeyConditions: { gpk: cond('EQ', S('G')) },
        QueryFilter: { sk: cond('EQ', S('a1')) },
      },
    ],
    ['AttributesToGet', { KeyConditions: pkA, AttributesToGet: ['n', 'sk', 'missing'] }],
    [
      'AttributesToGet + Select',
      { KeyConditions: pkA, AttributesToGet: ['s'], Select: 'SPECIFIC_ATTRIBUTES' },
    ],
    [
      'Select COUNT with QueryFilter',
      { KeyConditions: pkA, QueryFilter: { n: cond('GT', N(0)) }, Select: 'COUNT' },
    ],
    [
      'KeyConditions with FilterExpression',
      {
        KeyConditions: pkA,
        FilterExpression: '#n > :v',
        ExpressionAttributeNames: { '#n': 'n' },
        ExpressionAttributeValues: { ':v': N(6) },
      },
    ],
    [
      'KeyConditions with ProjectionExpression',
      { KeyConditions: pkA, ProjectionExpression: 's, #l', ExpressionAttributeNames: { '#l': 'l' } },
    ],
    [
      'KeyConditions with placeholder-like user names',
      {
        KeyConditions: pkA,
        FilterExpression: '#legacy0 > :legacy0',
        ExpressionAttributeNames: { '#legacy0': 'n' },
        ExpressionAttributeValues: { ':legacy0': N(0) },
      },
    ],
    [
      'two filters (AND by default)',
      { KeyConditions: pkA, QueryFilter: { n: cond('GT', N(0)), s: cond('BEGINS_WITH', S('hel')) } },
    ],
    [
      'two filters OR',
      {
        KeyConditions: pkA,
        QueryFilter: { n: cond('LT', N(0)), s: cond('EQ', S('world')) },
        ConditionalOperator: 'OR',
      },
    ],
    [
      'two filters AND',
      {
        KeyConditions: pkA,
        QueryFilter: { n: cond('GE', N(5)), s: cond('CONTAINS', S('o')) },
        ConditionalOperator: 'AND',
      },
    ],
    ['empty QueryFilter', { KeyConditions: pkA, QueryFilter: {} }],
    [
      'Limit counts filtered-out items',
      { KeyConditions: pkA, QueryFilter: { n: cond('EQ', N(7)) }, Limit: 1 },
    ],
  ]
  test.each(cases)('%s', async (what, extra) => {
    await h.same('Query', query(extra), `Query ${what}`)
  })

  const errors: [string, Json][] = [
    [
      'KeyConditions + KeyConditionExpression',
      { KeyConditions: pkA, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('A') } },
    ],
    [
      'everything mixed',
      {
        KeyConditions: pkA,
        AttributesToGet: ['n'],
        QueryFilter: { n: cond('GT', N(1)) },
        ConditionalOperator: 'OR',
        FilterExpression: 'n > :a',
        ProjectionExpression: 'n',
        KeyConditionExpression: 'pk = :a',
        ExpressionAttributeValues: { ':a': S('A') },
      },
    ],
    [
      'QueryFilter + FilterExpression',
      {
        KeyConditions: pkA,
        QueryFilter: { n: cond('GT', N(1)) },
        FilterExpression: 'n > :a',
        ExpressionAttributeValues: { ':a': N(1) },
      },
    ],
    [
      'AttributesToGet + FilterExpression',
      {
        KeyConditions: pkA,
        AttributesToGet: ['n'],
        FilterExpression: 'n > :a',
        ExpressionAttributeValues: { ':a': N(1) },
      },
    ],
    [
      'AttributesToGet + ProjectionExpression',
      { KeyConditions: pkA, AttributesToGet: ['n'], ProjectionExpression: 'n' },
    ],
    [
      'ExpressionAttributeNames without expressions',
      { KeyConditions: pkA, ExpressionAttributeNames: { '#a': 'n' } },
    ],
    [
      'ExpressionAttributeValues without expressions',
      { KeyConditions: pkA, ExpressionAttributeValues: { ':a': N(1) } },
    ],
    ['ConditionalOperator without QueryFilter', { KeyConditions: pkA, ConditionalOperator: 'AND' }],
    [
      'ConditionalOperator with one filter',
      { KeyConditions: pkA, QueryFilter: { n: cond('GT', N(1)) }, ConditionalOperator: 'OR' },
    ],
    ['hash NE', { KeyConditions: { pk: cond('NE', S('A')) } }],
    ['hash BEGINS_WITH', { KeyConditions: { pk: cond('BEGINS_WITH', S('A')) } }],
    ['hash NULL', { KeyConditions: { pk: cond('NULL') } }],
    ['sort NOT_NULL', { KeyConditions: { ...pkA, sk: cond('NOT_NULL') } }],
    ['sort IN', { KeyConditions: { ...pkA, sk: cond('IN', S('a1')) } }],
    ['sort CONTAINS', { KeyConditions: { ...pkA, sk: cond('CONTAINS', S('a')) } }],
    ['sort NOT_CONTAINS', { KeyConditions: { ...pkA, sk: cond('NOT_CONTAINS', S('a')) } }],
    ['sort BETWEEN reversed', { KeyConditions: { ...pkA, sk: cond('BETWEEN', S('b'), S('a')) } }],
    ['sort type mismatch', { KeyConditions: { ...pkA, sk: cond('EQ', N(1)) } }],
    ['hash type mismatch', { KeyConditions: { pk: cond('EQ', { SS: ['A'] }) } }],
    ['hash EQ with two values', { KeyConditions: { pk: cond('EQ', S('A'), S('B')) } }],
    ['three key conditions', { KeyConditions: { ...pkA, sk: cond('EQ', S('a1')), n: cond('EQ', N(1)) } }],
    ['no key conditions', { KeyConditions: {} }],
    ['sort key only', { KeyConditions: { sk: cond('EQ', S('a1')) } }],
    ['non-key condition', { KeyConditions: { ...pkA, n: cond('EQ', N(1)) } }],
    ['table key on a GSI', { IndexName: 'gsi', KeyConditions: pkA }],
    ['QueryFilter on the sort key', { KeyConditions: pkA, QueryFilter: { sk: cond('GT', S('a')) } }],
    [
      'QueryFilter on the GSI key',
      {
        IndexName: 'gsi',
        KeyConditions: { gpk: cond('EQ', S('G')) },
        QueryFilter: { gsk: cond('EQ', S('1')) },
      },
    ],
    ['unknown ComparisonOperator', { KeyConditions: pkA, QueryFilter: { n: cond('FOO', N(1)) } }],
    [
      'missing ComparisonOperator',
      { KeyConditions: pkA, QueryFilter: { n: { AttributeValueList: [N(1)] } } },
    ],
    ['empty attribute name', { KeyConditions: pkA, QueryFilter: { '': cond('EQ', N(1)) } }],
    ['bad number in a condition', { KeyConditions: pkA, QueryFilter: { n: cond('EQ', { N: 'x' }) } }],
    ['NULL false in a condition', { KeyConditions: pkA, QueryFilter: { n: cond('EQ', { NULL: false }) } }],
    ['no key condition at all', { QueryFilter: { n: cond('EQ', N(1)) } }],
    [
      'sort NE (Local: 500, see key-conditions-sort-ne)',
      { KeyConditions: { ...pkA, sk: cond('NE', S('a1')) } },
    ],
    [
      'ConditionalOperator XOR (Local: 500, see conditional-operator-enum)',
      {
        KeyConditions: pkA,
        QueryFilter: { n: cond('GT', N(1)), s: cond('NOT_NULL') },
        ConditionalOperator: 'XOR',
      },
    ],
    ['ConditionalOperator XOR without QueryFilter', { KeyConditions: pkA, ConditionalOperator: 'XOR' }],
    [
      'LSI filter on an attribute it does not project',
      {
        IndexName: 'lsi',
        KeyConditions: { ...pkA, lsk: cond('GT', N(0)) },
        QueryFilter: { n: cond('GT', N(0)) },
      },
    ],
    [
      'GSI ConsistentRead',
      { IndexName: 'gsi', KeyConditions: { gpk: cond('EQ', S('G')) }, ConsistentRead: true },
    ],
    ['missing index', { IndexName: 'nope', KeyConditions: pkA }],
    ['Limit 0 with a bad QueryFilter', { KeyConditions: pkA, QueryFilter: { n: cond('EQ') }, Limit: 0 }],
    [
      'bad Select with a bad QueryFilter',
      { KeyConditions: pkA, QueryFilter: { n: cond('EQ') }, Select: 'SOME' },
    ],
    [
      'type mismatch and a filter on the sort key',
      { KeyConditions: { pk: cond('EQ', N(1)) }, QueryFilter: { sk: cond('EQ', S('a')) } },
    ],
    [
      'Select SPECIFIC_ATTRIBUTES without AttributesToGet',
      { KeyConditions: pkA, Select: 'SPECIFIC_ATTRIBUTES' },
    ],
    ['Select COUNT with AttributesToGet', { KeyConditions: pkA, Select: 'COUNT', AttributesToGet: ['n'] }],
    [
      'Select ALL_ATTRIBUTES with AttributesToGet',
      { KeyConditions: pkA, Select: 'ALL_ATTRIBUTES', AttributesToGet: ['n'] },
    ],
    [
      'Select ALL_PROJECTED_ATTRIBUTES with AttributesToGet',
      {
        IndexName: 'gsi',
        KeyConditions: { gpk: cond('EQ', S('G')) },
        Select: 'ALL_PROJECTED_ATTRIBUTES',
        AttributesToGet: ['n'],
      },
    ],
    [
      'type mismatch before a bad ConditionalOperator',
      { KeyConditions: { pk: cond('EQ', N(1)) }, ConditionalOperator: 'OR' },
    ],
    [
      'bad filter before Select COUNT with AttributesToGet',
      { KeyConditions: pkA, QueryFilter: { n: cond('EQ') }, Select: 'COUNT', AttributesToGet: ['n'] },
    ],
    [
      'ExclusiveStartKey outside the partition',
      { KeyConditions: pkA, ExclusiveStartKey: { pk: S('B'), sk: S('a1') } },
    ],
  ]
  test.each(errors)('refuses %s', async (what, extra) => {
    await h.same('Query', query(extra), `Query ${what}`)
  })

  test('a missing table, with and without a legacy error', async () => {
    const missing = h.name('missing')
    await h.same('Query', { TableName: missing, KeyConditions: pkA }, 'Query missing table')
    await h.same(
      'Query',
      { TableName: missing, KeyConditions: pkA, QueryFilter: { n: cond('EQ') } },
      'Query missing table, bad filter',
    )
    await h.same(
      'Query',
      { TableName: missing, KeyConditions: pkA, KeyConditionExpression: 'pk = :p' },
      'Query missing table, mixed',
    )
    await h.same(
      'PutItem',
      { TableName: missing, Item: { pk: S('A'), sk: S('1') }, Expected: { n: { Exists: true } } },
      'PutItem missing table, bad Expected',
    )
    await h.same(
      'UpdateItem',
      { TableName: missing, Key: { pk: S('A'), sk: S('1') }, AttributeUpdates: { n: { Action: 'PUT' } } },
      'UpdateItem missing table',
    )
  })

  test('paging with KeyConditions and a QueryFilter', async () => {
    let start: { ours?: unknown; local?: unknown } = {}
    for (let page = 0; page < 10; page++) {
      const pair = await h.same(
        'Query',
        (side) =>
          query({
            KeyConditions: pkA,
            QueryFilter: { s: cond('NOT_NULL') },
            Limit: 2,
            ...(start[side] ? { ExclusiveStartKey: start[side] } : {}),
          }),
        `page ${page + 1}`,
      )
      if (!pair.ours.body.LastEvaluatedKey) break
      start = { ours: pair.ours.body.LastEvaluatedKey, local: pair.local.body.LastEvaluatedKey }
    }
  })
})

describe('Scan filters, every ComparisonOperator', () => {
  const filters: [string, Json][] = [
    ['EQ N', { n: cond('EQ', N(5)) }],
    ['EQ S (type-strict)', { n: cond('EQ', S('7')) }],
    ['EQ set in another order', { ss: cond('EQ', { SS: ['y', 'x'] }) }],
    ['EQ list', { l: cond('EQ', { L: [S('x'), N(1)] }) }],
    ['EQ map', { m: cond('EQ', { M: { k: S('v') } }) }],
    ['EQ BOOL', { t: cond('EQ', { BOOL: true }) }],
    ['EQ NULL', { nul: cond('EQ', { NULL: true }) }],
    ['EQ empty string', { s: cond('EQ', S('')) }],
    ['NE (missing attributes pass)', { n: cond('NE', N(5)) }],
    ['NE set', { ss: cond('NE', { SS: ['x'] }) }],
    ['LE', { n: cond('LE', N(5)) }],
    ['LT', { n: cond('LT', N(5)) }],
    ['GE', { s: cond('GE', S('help')) }],
    ['GT binary', { b: cond('GT', B([1, 2])) }],
    ['LT across types', { n: cond('LT', S('9')) }],
    ['NOT_NULL', { ss: cond('NOT_NULL') }],
    ['NULL', { ss: cond('NULL') }],
    ['CONTAINS substring', { s: cond('CONTAINS', S('el')) }],
    ['CONTAINS set member', { ns: cond('CONTAINS', N(2)) }],
    ['CONTAINS list member', { l: cond('CONTAINS', N(1)) }],
    ['CONTAINS BOOL', { t: cond('CONTAINS', { BOOL: true }) }],
    ['NOT_CONTAINS (missing attributes fail)', { s: cond('NOT_CONTAINS', S('wor')) }],
    ['NOT_CONTAINS on a number', { n: cond('NOT_CONTAINS', N(5)) }],
    ['NOT_CONTAINS set', { ss: cond('NOT_CONTAINS', S('x')) }],
    ['BEGINS_WITH', { s: cond('BEGINS_WITH', S('hel')) }],
    ['BEGINS_WITH binary', { b: cond('BEGINS_WITH', B([1])) }],
    ['IN', { n: cond('IN', N(7), N(-2), N(100)) }],
    ['IN 150 operands', { n: cond('IN', ...Array.from({ length: 150 }, (_, i) => N(i - 3))) }],
    ['BETWEEN', { n: cond('BETWEEN', N(-2), N(5)) }],
    ['BETWEEN equal bounds', { s: cond('BETWEEN', S('help'), S('help')) }],
    ['a key attribute', { pk: cond('EQ', S('B')) }],
    ['an odd attribute name', { 'a.b #c': cond('NULL') }],
    ['three conditions AND', { n: cond('NOT_NULL'), s: cond('NOT_NULL'), gpk: cond('EQ', S('G')) }],
  ]
  test.each(filters)('%s', async (what, filter) => {
    await h.scanAll(scan({ ScanFilter: filter }), `Scan ${what}`)
  })

  test('ConditionalOperator OR, AttributesToGet, Select COUNT, index scan', async () => {
    const f = { n: cond('EQ', N(-2)), s: cond('EQ', S('help')) }
    await h.scanAll(
      scan({ ScanFilter: f, ConditionalOperator: 'OR', AttributesToGet: ['sk', 'n'] }),
      'Scan OR + AttributesToGet',
    )
    await h.scanAll(scan({ ScanFilter: f, ConditionalOperator: 'AND' }), 'Scan AND')
    await h.same('Scan', scan({ ScanFilter: f, ConditionalOperator: 'OR', Select: 'COUNT' }), 'Scan COUNT')
    await h.scanAll(scan({ IndexName: 'gsi', ScanFilter: { n: cond('GT', N(0)) } }), 'Scan GSI')
    await h.scanAll(scan({ AttributesToGet: ['s'], Limit: 2 }), 'Scan AttributesToGet paged')
  })

  const errors: [string, Json][] = [
    [
      'ScanFilter + FilterExpression',
      {
        ScanFilter: { n: cond('EQ', N(1)) },
        FilterExpression: 'n = :a',
        ExpressionAttributeValues: { ':a': N(1) },
      },
    ],
    ['ScanFilter + ProjectionExpression', { ScanFilter: { n: cond('EQ', N(1)) }, ProjectionExpression: 'n' }],
    [
      'all mixed',
      {
        AttributesToGet: ['n'],
        ScanFilter: { n: cond('GT', N(1)) },
        ConditionalOperator: 'OR',
        FilterExpression: 'n > :a',
        ProjectionExpression: 'n',
        ExpressionAttributeValues: { ':a': S('a') },
      },
    ],
    ['ConditionalOperator + ProjectionExpression', { ConditionalOperator: 'OR', ProjectionExpression: 'n' }],
    ['ConditionalOperator alone', { ConditionalOperator: 'AND' }],
    [
      'ConditionalOperator with one filter',
      { ScanFilter: { n: cond('EQ', N(1)) }, ConditionalOperator: 'OR' },
    ],
    [
      'ConditionalOperator with an arity error',
      { ScanFilter: { n: cond('EQ', N(1), N(2)) }, ConditionalOperator: 'OR' },
    ],
    [
      'ExpressionAttributeNames',
      { ScanFilter: { n: cond('EQ', N(1), N(2)) }, ExpressionAttributeNames: { '#a': 'n' } },
    ],
    [
      'ExpressionAttributeValues',
      { ScanFilter: { n: cond('EQ', N(1)) }, ExpressionAttributeValues: { ':a': N(1) } },
    ],
    ...(
      [
        ['EQ', []],
        ['NE', [N(1), N(2)]],
        ['LE', []],
        ['LT', [N(1), N(2)]],
        ['GE', []],
        ['GT', [N(1), N(2)]],
        ['NOT_NULL', [N(1)]],
        ['NULL', [N(1)]],
        ['CONTAINS', []],
        ['NOT_CONTAINS', [S('a'), S('b')]],
        ['BEGINS_WITH', []],
        ['IN', []],
        ['BETWEEN', [N(1)]],
        ['BETWEEN', [N(1), N(2), N(3)]],
      ] as [string, Json[]][]
    ).map(([op, values]): [string, Json] => [
      `${op} with ${values.length} values`,
      { ScanFilter: { n: cond(op, ...values) } },
    ]),
    ...(
      [
        ['LT', { SS: ['a'] }],
        ['GE', { BOOL: true }],
        ['GT', { L: [] }],
        ['LE', { NULL: true }],
        ['CONTAINS', { SS: ['a'] }],
        ['NOT_CONTAINS', { NS: ['1'] }],
        ['CONTAINS', { L: [] }],
        ['BEGINS_WITH', N(1)],
        ['IN', { SS: ['a'] }],
        ['IN', { L: [] }],
        ['BETWEEN', { M: {} }],
      ] as [string, Json][]
    ).map(([op, v]): [string, Json] => [
      `${op} with ${Object.keys(v)[0]}`,
      { ScanFilter: { n: cond(op, ...(op === 'BETWEEN' ? [v, v] : [v])) } },
    ]),
    ['IN with mixed types', { ScanFilter: { n: cond('IN', N(1), S('1')) } }],
    ['BETWEEN with mixed types', { ScanFilter: { n: cond('BETWEEN', S('a'), N(1)) } }],
    ['BETWEEN reversed', { ScanFilter: { n: cond('BETWEEN', N(5), N(1)) } }],
    ['Value in a Condition', { ScanFilter: { n: { ComparisonOperator: 'EQ', Value: N(1) } } }],
    ['duplicate set members', { ScanFilter: { n: cond('EQ', { SS: ['a', 'a'] }) } }],
  ]
  test.each(errors)('refuses %s', async (what, extra) => {
    await h.same('Scan', scan(extra), `Scan ${what}`)
  })
})

describe('PutItem and DeleteItem with Expected', () => {
  const key = { pk: S('W'), sk: S('1') }
  const put = (extra: Json, item: Json = { ...key, n: N(1), s: S('v') }): Json => ({
    TableName: table,
    Item: item,
    ReturnConsumedCapacity: 'TOTAL',
    ...extra,
  })
  const del = (extra: Json): Json => ({
    TableName: table,
    Key: key,
    ReturnConsumedCapacity: 'TOTAL',
    ...extra,
  })

  test('conditional writes in sequence', async () => {
    const steps: [string, string, Json][] = [
      ['put if absent', 'PutItem', put({ Expected: { n: { Exists: false } } })],
      ['put if absent again', 'PutItem', put({ Expected: { n: { Exists: false } } })],
      ['put with Value', 'PutItem', put({ Expected: { n: { Value: N(1) } }, ReturnValues: 'ALL_OLD' })],
      [
        'put with Exists true and a wrong Value',
        'PutItem',
        put({ Expected: { n: { Exists: true, Value: N(2) } } }),
      ],
      [
        'put failing, ALL_OLD on failure',
        'PutItem',
        put({ Expected: { n: { Value: N(9) } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
      ],
      [
        'put with ComparisonOperator + Value',
        'PutItem',
        put({ Expected: { n: { ComparisonOperator: 'GT', Value: N(0) } } }),
      ],
      ['put with NULL', 'PutItem', put({ Expected: { n: { ComparisonOperator: 'NULL' } } })],
      ['put with NOT_NULL', 'PutItem', put({ Expected: { n: { ComparisonOperator: 'NOT_NULL' } } })],
      [
        'put with IN + NULL AND',
        'PutItem',
        put({
          Expected: { n: cond('IN', N(0), N(1)), zz: { ComparisonOperator: 'NULL' } },
          ConditionalOperator: 'AND',
        }),
      ],
      [
        'put with failing AND',
        'PutItem',
        put({ Expected: { n: cond('IN', N(0)), s: cond('EQ', S('v')) }, ConditionalOperator: 'AND' }),
      ],
      [
        'put with OR',
        'PutItem',
        put({ Expected: { n: cond('IN', N(0)), s: cond('BEGINS_WITH', S('v')) }, ConditionalOperator: 'OR' }),
      ],
      ['put with NE on a missing attribute', 'PutItem', put({ Expected: { q: cond('NE', N(0)) } })],
      [
        'put with NOT_CONTAINS on a missing attribute',
        'PutItem',
        put({ Expected: { q: cond('NOT_CONTAINS', S('a')) } }),
      ],
      ['put with empty Expected', 'PutItem', put({ Expected: {} })],
      ['delete failing', 'DeleteItem', del({ Expected: { n: { Value: N(5) } } })],
      [
        'delete with two conditions',
        'DeleteItem',
        del({
          Expected: { n: { Value: N(1) }, pk: { Exists: true, Value: S('W') } },
          ReturnValues: 'ALL_OLD',
          ConditionalOperator: 'AND',
        }),
      ],
      ['delete of a missing item, Exists false', 'DeleteItem', del({ Expected: { n: { Exists: false } } })],
      ['delete of a missing item, Value', 'DeleteItem', del({ Expected: { n: { Value: N(1) } } })],
    ]
    for (const [what, op, req] of steps) await h.same(op, req, what)
  })

  const errors: [string, Json][] = [
    ['Exists true without Value', { Expected: { n: { Exists: true } } }],
    ['no Exists, no Value', { Expected: { n: {} } }],
    ['Exists false with Value', { Expected: { n: { Exists: false, Value: N(2) } } }],
    ['Value and AttributeValueList', { Expected: { n: { Value: N(1), AttributeValueList: [N(1)] } } }],
    [
      'Exists and ComparisonOperator',
      { Expected: { n: { Exists: true, ComparisonOperator: 'EQ', AttributeValueList: [N(1)] } } },
    ],
    [
      'Exists, ComparisonOperator, Value and AttributeValueList',
      {
        Expected: { n: { Value: N(1), AttributeValueList: [N(1)], ComparisonOperator: 'EQ', Exists: true } },
      },
    ],
    ['AttributeValueList without ComparisonOperator', { Expected: { n: { AttributeValueList: [N(1)] } } }],
    ['ComparisonOperator without values', { Expected: { n: { ComparisonOperator: 'EQ' } } }],
    ['BETWEEN with one Value', { Expected: { n: { ComparisonOperator: 'BETWEEN', Value: N(0) } } }],
    ['unknown ComparisonOperator', { Expected: { n: { ComparisonOperator: 'FOO', Value: N(1) } } }],
    ['empty attribute name', { Expected: { '': { Exists: false } } }],
    ['duplicate set members', { Expected: { n: { Value: { NS: ['1', '1'] } } } }],
    [
      'ConditionalOperator with one condition',
      { Expected: { n: { Exists: false } }, ConditionalOperator: 'OR' },
    ],
    ['ConditionalOperator alone', { ConditionalOperator: 'AND' }],
    [
      'Expected + ConditionExpression',
      { Expected: { n: { Exists: false } }, ConditionExpression: 'attribute_exists(n)' },
    ],
    [
      'Expected + ConditionalOperator + ConditionExpression',
      {
        Expected: { n: { Exists: false } },
        ConditionExpression: 'attribute_exists(n)',
        ConditionalOperator: 'OR',
      },
    ],
    [
      'ExpressionAttributeNames',
      { Expected: { n: { Exists: false } }, ExpressionAttributeNames: { '#a': 'n' } },
    ],
    [
      'ExpressionAttributeValues',
      { Expected: { n: { Exists: false } }, ExpressionAttributeValues: { ':a': N(1) } },
    ],
    [
      'an empty AttributeValueList',
      { Expected: { n: { ComparisonOperator: 'EQ', AttributeValueList: [] } } },
    ],
    [
      'NULL with an empty AttributeValueList (passes or fails, not refused)',
      { Expected: { q: { ComparisonOperator: 'NULL', AttributeValueList: [] } } },
    ],
    [
      'Exists false and an empty AttributeValueList',
      { Expected: { n: { Exists: false, AttributeValueList: [] } } },
    ],
    ['Exists as a string', { Expected: { n: { Exists: 'false' } } }],
    ['an empty set Value', { Expected: { n: { Value: { SS: [] } } } }],
    ['IN of BOOL', { Expected: { n: cond('IN', { BOOL: true }) } }],
    ['a number in another format', { Expected: { n: cond('EQ', N('1.000')) } }],
  ]

  test('item errors and legacy errors together', async () => {
    await h.same(
      'PutItem',
      put({ Expected: { n: { Exists: true } } }, { pk: S('W') }),
      'PutItem missing key + bad Expected',
    )
    await h.same(
      'PutItem',
      put({ Expected: { n: { Exists: true } }, ReturnValues: 'ALL_NEW' }),
      'PutItem bad ReturnValues + bad Expected',
    )
    await h.same(
      'DeleteItem',
      del({ Expected: { n: { Exists: true } }, Key: { pk: S('W') } }),
      'DeleteItem bad key + bad Expected',
    )
    await h.same(
      'PutItem',
      put({ Expected: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [N(1)] } } }),
      'PutItem Expected on a key with another type',
    )
  })

  test.each(errors)('PutItem refuses %s', async (what, extra) => {
    await h.same('PutItem', put(extra), `PutItem ${what}`)
  })
  test.each(errors.slice(0, 8))('DeleteItem refuses %s', async (what, extra) => {
    await h.same('DeleteItem', del(extra), `DeleteItem ${what}`)
  })
})

describe('UpdateItem with AttributeUpdates', () => {
  const upd = (sk: string, extra: Json): Json => ({
    TableName: table,
    Key: { pk: S('U'), sk: S(sk) },
    ReturnConsumedCapacity: 'TOTAL',
    ReturnValues: 'ALL_NEW',
    ...extra,
  })

  test('actions in sequence', async () => {
    const steps: [string, Json][] = [
      [
        'PUT, ADD number, ADD set on a new item',
        upd('1', {
          AttributeUpdates: {
            n: { Action: 'PUT', Value: N(3) },
            c: { Action: 'ADD', Value: N(2) },
            ss: { Action: 'ADD', Value: { SS: ['a'] } },
          },
        }),
      ],
      [
        'ADD again, DELETE from a set, DELETE an attribute',
        upd('1', {
          AttributeUpdates: {
            c: { Action: 'ADD', Value: N(-2.5) },
            ss: { Action: 'ADD', Value: { SS: ['b', 'c'] } },
            n: { Action: 'DELETE' },
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      ],
      [
        'DELETE set members',
        upd('1', {
          AttributeUpdates: { ss: { Action: 'DELETE', Value: { SS: ['a', 'q'] } } },
          ReturnValues: 'UPDATED_OLD',
        }),
      ],
      [
        'DELETE from a missing set',
        upd('1', { AttributeUpdates: { zs: { Action: 'DELETE', Value: { NS: ['1'] } } } }),
      ],
      ['ADD a list twice', upd('1', { AttributeUpdates: { l: { Action: 'ADD', Value: { L: [S('x')] } } } })],
      [
        'ADD to the list',
        upd('1', {
          AttributeUpdates: { l: { Action: 'ADD', Value: { L: [N(1), S('y')] } } },
          ReturnValues: 'UPDATED_NEW',
        }),
      ],
      [
        'ADD binary set',
        upd('1', { AttributeUpdates: { bs: { Action: 'ADD', Value: { BS: [B([1])].map((b) => b.B) } } } }),
      ],
      [
        'DELETE the last set member',
        upd('1', { AttributeUpdates: { ss: { Action: 'DELETE', Value: { SS: ['b', 'c'] } } } }),
      ],
      [
        'PUT odd names and an empty string',
        upd('1', {
          AttributeUpdates: {
            'a.b': { Action: 'PUT', Value: S('') },
            '#x': { Action: 'PUT', Value: { M: { k: N(1) } } },
          },
        }),
      ],
      [
        'with Expected passing',
        upd('1', {
          AttributeUpdates: { z: { Action: 'PUT', Value: N(1) } },
          Expected: { q: { Exists: false } },
          ReturnValues: 'ALL_OLD',
        }),
      ],
      [
        'with Expected OR',
        upd('1', {
          AttributeUpdates: { z: { Action: 'ADD', Value: N(1) } },
          Expected: { z: { Value: N(1) }, q: { Value: N(1) } },
          ConditionalOperator: 'OR',
        }),
      ],
      [
        'with Expected failing',
        upd('1', {
          AttributeUpdates: { z: { Action: 'PUT', Value: N(9) } },
          Expected: { z: { Value: N(100) } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ],
      ['only Expected', upd('1', { Expected: { z: cond('GT', N(1)) } })],
      ['empty AttributeUpdates', upd('1', { AttributeUpdates: {} })],
      ['DELETE on a new item creates it', upd('2', { AttributeUpdates: { s: { Action: 'DELETE' } } })],
      [
        'DELETE a set on a new item',
        upd('3', { AttributeUpdates: { s: { Action: 'DELETE', Value: { SS: ['a'] } } } }),
      ],
      ['ADD number to a string', upd('1', { AttributeUpdates: { '#x': { Action: 'ADD', Value: N(1) } } })],
      ['ADD set to a number', upd('1', { AttributeUpdates: { c: { Action: 'ADD', Value: { SS: ['x'] } } } })],
      [
        'DELETE set from a number',
        upd('1', { AttributeUpdates: { c: { Action: 'DELETE', Value: { NS: ['1'] } } } }),
      ],
      ['ADD list to a number', upd('1', { AttributeUpdates: { c: { Action: 'ADD', Value: { L: [] } } } })],
      [
        'ADD number set to a string set',
        upd('1', { AttributeUpdates: { bs: { Action: 'ADD', Value: { NS: ['1'] } } } }),
      ],
    ]
    for (const [what, req] of steps) await h.same('UpdateItem', req, what)
    await h.same('Query', query({ KeyConditions: { pk: cond('EQ', S('U')) } }), 'items after the updates')
  })

  // The two sides differ afterwards (Local skipped the entries): no other test reads dput1/dput2.
  test('an entry without Action is a PUT (documented; see attribute-updates-default-put)', async () => {
    await h.same(
      'UpdateItem',
      {
        TableName: table,
        Key: { pk: S('V'), sk: S('1') },
        AttributeUpdates: { dput1: { Value: S('v') }, dput2: { Value: N(2) } },
        ReturnValues: 'UPDATED_NEW',
      },
      'UpdateItem without Action',
    )
  })

  const errors: [string, Json][] = [
    ['PUT without Value', { AttributeUpdates: { n: { Action: 'PUT' } } }],
    ['ADD without Value', { AttributeUpdates: { n: { Action: 'ADD' } } }],
    ['unknown Action', { AttributeUpdates: { n: { Action: 'FOO', Value: N(1) } } }],
    ...(['S', 'B', 'BOOL', 'NULL', 'M'] as const).map((t): [string, Json] => [
      `ADD ${t}`,
      {
        AttributeUpdates: {
          n: {
            Action: 'ADD',
            Value: { S: S('x'), B: B([1]), BOOL: { BOOL: true }, NULL: { NULL: true }, M: { M: {} } }[t],
          },
        },
      },
    ]),
    ...(['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L'] as const).map((t): [string, Json] => [
      `DELETE with ${t}`,
      {
        AttributeUpdates: {
          n: {
            Action: 'DELETE',
            Value: {
              S: S('x'),
              N: N(1),
              B: B([1]),
              BOOL: { BOOL: false },
              NULL: { NULL: true },
              M: { M: {} },
              L: { L: [] },
            }[t],
          },
        },
      },
    ]),
    ['the partition key', { AttributeUpdates: { pk: { Action: 'PUT', Value: S('b') } } }],
    ['the sort key, DELETE', { AttributeUpdates: { sk: { Action: 'DELETE' } } }],
    ['the key before a bad action', { AttributeUpdates: { pk: { Action: 'PUT' } } }],
    [
      'a bad ADD before the key',
      { AttributeUpdates: { n: { Action: 'ADD', Value: S('x') }, pk: { Action: 'PUT', Value: S('x') } } },
    ],
    ['empty attribute name', { AttributeUpdates: { '': { Action: 'PUT', Value: N(1) } } }],
    ['duplicate set members', { AttributeUpdates: { n: { Action: 'ADD', Value: { NS: ['1', '1'] } } } }],
    [
      'bad Expected before bad AttributeUpdates',
      { AttributeUpdates: { n: { Action: 'PUT' } }, Expected: { n: { Exists: true } } },
    ],
    [
      'AttributeUpdates + UpdateExpression',
      {
        AttributeUpdates: { n: { Action: 'PUT', Value: N(1) } },
        UpdateExpression: 'SET n = :a',
        ExpressionAttributeValues: { ':a': N(1) },
      },
    ],
    [
      'AttributeUpdates + ConditionExpression',
      { AttributeUpdates: { n: { Action: 'PUT', Value: N(1) } }, ConditionExpression: 'attribute_exists(n)' },
    ],
    [
      'Expected + UpdateExpression',
      {
        Expected: { n: { Exists: false } },
        UpdateExpression: 'SET n = :a',
        ExpressionAttributeValues: { ':a': N(1) },
      },
    ],
    [
      'all mixed',
      {
        AttributeUpdates: { n: { Action: 'PUT', Value: N(1) } },
        Expected: { n: { Value: N(1) } },
        ConditionalOperator: 'OR',
        UpdateExpression: 'SET n = :a',
        ConditionExpression: 'attribute_exists(n)',
        ExpressionAttributeValues: { ':a': N(1) },
      },
    ],
    [
      'ExpressionAttributeValues',
      { AttributeUpdates: { n: { Action: 'PUT', Value: N(1) } }, ExpressionAttributeValues: { ':a': N(1) } },
    ],
    [
      'ExpressionAttributeNames',
      { AttributeUpdates: { n: { Action: 'PUT', Value: N(1) } }, ExpressionAttributeNames: { '#a': 'n' } },
    ],
    [
      'ConditionalOperator without Expected',
      { AttributeUpdates: { n: { Action: 'PUT', Value: N(1) } }, ConditionalOperator: 'AND' },
    ],
  ]
  test.each(errors)('refuses %s', async (what, extra) => {
    await h.same('UpdateItem', upd('9', extra), `UpdateItem ${what}`)
  })

  test('key and index errors together with AttributeUpdates', async () => {
    await h.same(
      'UpdateItem',
      { ...upd('9', { AttributeUpdates: { n: { Action: 'PUT' } } }), Key: { pk: S('U') } },
      'UpdateItem bad key + bad AttributeUpdates',
    )
    await h.same(
      'UpdateItem',
      upd('9', { AttributeUpdates: { n: { Action: 'PUT' } }, ReturnValues: 'SOME' }),
      'UpdateItem bad ReturnValues + bad AttributeUpdates',
    )
    await h.same(
      'UpdateItem',
      upd('9', { AttributeUpdates: { gpk: { Action: 'PUT', Value: S('') } } }),
      'UpdateItem empty GSI key',
    )
    await h.same(
      'UpdateItem',
      upd('9', { AttributeUpdates: { big: { Action: 'PUT', Value: S('x'.repeat(400 * 1024)) } } }),
      'UpdateItem too large',
    )
  })
})

describe('other key types and the SDK', () => {
  test('a hash-only table and a number/binary keyed table', async () => {
    const hashOnly = h.name('legacy_h')
    const numBin = h.name('legacy_nb')
    await h.same('CreateTable', keyTable(hashOnly, 'S'))
    await h.same('CreateTable', keyTable(numBin, 'N', 'B'))
    await h.same('PutItem', { TableName: hashOnly, Item: { h: S('a'), v: N(1) } })
    for (const r of [[1], [1, 2], [2], [2, 255]])
      await h.same('PutItem', { TableName: numBin, Item: { h: N(7), r: B(r), v: N(r.length) } })
    const q = (TableName: string, KeyConditions: Json, extra: Json = {}) =>
      h.same('Query', { TableName, KeyConditions, ...extra }, `${TableName} ${JSON.stringify(KeyConditions)}`)
    await q(hashOnly, { h: cond('EQ', S('a')) })
    await q(hashOnly, { h: cond('EQ', S('a')), v: cond('EQ', N(1)) })
    await q(hashOnly, { v: cond('EQ', N(1)) })
    await q(numBin, { h: cond('EQ', N(7)), r: cond('BEGINS_WITH', B([1])) })
    await q(
      numBin,
      { h: cond('EQ', N(7)), r: cond('BETWEEN', B([1, 2]), B([2, 255])) },
      { ScanIndexForward: false },
    )
    await q(numBin, { h: cond('EQ', N(7)), r: cond('GT', B([1])) }, { QueryFilter: { v: cond('EQ', N(2)) } })
    await q(numBin, { h: cond('EQ', N(7.0)), r: cond('LE', B([2])) }, { Limit: 2 })
    await q(numBin, { h: cond('EQ', S('7')) })
    await h.same(
      'DeleteItem',
      {
        TableName: hashOnly,
        Key: { h: S('a') },
        Expected: { v: cond('BETWEEN', N(0), N(1)) },
        ReturnValues: 'ALL_OLD',
      },
      'hash-only DeleteItem with Expected',
    )
  })

  test('through @aws-sdk/client-dynamodb', async () => {
    const runs: [string, Json][] = [
      [
        'Query',
        {
          TableName: table,
          KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'A' }] } },
          QueryFilter: { n: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '0' }] } },
          AttributesToGet: ['sk', 'n'],
        },
      ],
      [
        'Scan',
        {
          TableName: table,
          ScanFilter: { s: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ S: 'hel' }] } },
          Select: 'COUNT',
        },
      ],
      [
        'PutItem',
        { TableName: table, Item: { pk: { S: 'SDK' }, sk: { S: '1' } }, Expected: { pk: { Exists: false } } },
      ],
      [
        'UpdateItem',
        {
          TableName: table,
          Key: { pk: { S: 'SDK' }, sk: { S: '1' } },
          AttributeUpdates: { c: { Action: 'ADD', Value: { N: '3' } } },
          Expected: { pk: { Value: { S: 'SDK' } } },
          ReturnValues: 'ALL_NEW',
        },
      ],
      [
        'DeleteItem',
        {
          TableName: table,
          Key: { pk: { S: 'SDK' }, sk: { S: '1' } },
          Expected: { c: { ComparisonOperator: 'GE', AttributeValueList: [{ N: '4' }] } },
        },
      ],
      ['GetItem', { TableName: table, Key: { pk: { S: 'SDK' }, sk: { S: '1' } }, AttributesToGet: ['c'] }],
    ]
    for (const [op, input] of runs) {
      const { ours, local } = await h.sendSdk(op, input)
      expect(ours, `SDK ${op}`).toEqual(local)
    }
  })
})

describe('legacy members an operation does not have are ignored', () => {
  test('as DynamoDB Local ignores them', async () => {
    const key = { pk: S('A'), sk: S('a1') }
    const foreign = {
      KeyConditions: pkA,
      QueryFilter: { n: cond('EQ') },
      ScanFilter: { n: cond('EQ') },
      Expected: { n: { Exists: true } },
      AttributeUpdates: { n: { Action: 'PUT' } },
    }
    const pick = (...names: string[]) =>
      Object.fromEntries(Object.entries(foreign).filter(([k]) => names.includes(k)))
    await h.same(
      'Scan',
      scan({ ...pick('KeyConditions', 'QueryFilter', 'Expected', 'AttributeUpdates'), Select: 'COUNT' }),
      'Scan with foreign members',
    )
    await h.same(
      'Query',
      query({ KeyConditions: pkA, ...pick('ScanFilter', 'Expected', 'AttributeUpdates') }),
      'Query with foreign members',
    )
    await h.same(
      'GetItem',
      {
        TableName: table,
        Key: key,
        ...pick('Expected', 'KeyConditions'),
        ConditionalOperator: 'OR',
        AttributesToGet: ['n'],
      },
      'GetItem with foreign members',
    )
    await h.same(
      'PutItem',
      {
        TableName: table,
        Item: { pk: S('F'), sk: S('1') },
        ...pick('ScanFilter', 'AttributeUpdates'),
        AttributesToGet: ['x'],
        ConditionExpression: 'attribute_not_exists(x)',
      },
      'PutItem with foreign members',
    )
    await h.same(
      'UpdateItem',
      {
        TableName: table,
        Key: { pk: S('F'), sk: S('1') },
        ...pick('ScanFilter', 'KeyConditions'),
        AttributesToGet: ['x'],
        ReturnValues: 'ALL_NEW',
      },
      'UpdateItem with foreign members',
    )
    await h.same(
      'DeleteItem',
      {
        TableName: table,
        Key: { pk: S('F'), sk: S('1') },
        ...pick('AttributeUpdates', 'QueryFilter'),
        ReturnValues: 'ALL_OLD',
      },
      'DeleteItem with foreign members',
    )
    await h.same(
      'BatchGetItem',
      {
        RequestItems: {
          [table]: { Keys: [key], ...pick('Expected', 'KeyConditions'), AttributesToGet: ['n'] },
        },
      },
      'BatchGetItem with foreign members',
    )
  })
})

describe('legacy requests longer than the 4 KB expression limit', () => {
  test('a 600-value IN, 200 conditions, 200 Expected entries and 300 updated attributes', async () => {
    const nulls = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`attribute_${i}`, cond('NULL')]))
    await h.same(
      'Scan',
      scan({
        ScanFilter: { n: cond('IN', ...Array.from({ length: 600 }, (_, i) => N(i - 5))) },
        Select: 'COUNT',
      }),
      'Scan IN 600',
    )
    await h.same('Scan', scan({ ScanFilter: nulls, Select: 'COUNT' }), 'Scan 200 conditions')
    await h.same(
      'PutItem',
      { TableName: table, Item: { pk: S('X'), sk: S('1') }, Expected: nulls, ReturnValues: 'ALL_OLD' },
      'PutItem 200 Expected',
    )
    const updates = Object.fromEntries(
      Array.from({ length: 300 }, (_, i) => [`attribute_${i}`, { Action: 'PUT', Value: N(i) }]),
    )
    await h.same(
      'UpdateItem',
      {
        TableName: table,
        Key: { pk: S('X'), sk: S('1') },
        AttributeUpdates: updates,
        ReturnValues: 'UPDATED_NEW',
      },
      'UpdateItem 300 PUTs',
    )
  })
})

describe('GetItem and BatchGetItem with AttributesToGet', () => {
  test('projections and errors', async () => {
    const key = { pk: S('A'), sk: S('a1') }
    await h.same(
      'GetItem',
      { TableName: table, Key: key, AttributesToGet: ['n', 'ss', 'nope'], ReturnConsumedCapacity: 'TOTAL' },
      'GetItem AttributesToGet',
    )
    await h.same(
      'GetItem',
      { TableName: table, Key: key, AttributesToGet: ['n'], ProjectionExpression: 'n' },
      'GetItem mixed',
    )
    await h.same(
      'GetItem',
      { TableName: table, Key: key, AttributesToGet: [] },
      'GetItem empty AttributesToGet',
    )
    await h.same('GetItem', { TableName: table, Key: key, AttributesToGet: ['n', 'n'] }, 'GetItem duplicate')
    await h.same(
      'BatchGetItem',
      {
        RequestItems: {
          [table]: {
            Keys: [key, { pk: S('A'), sk: S('a2') }, { pk: S('A'), sk: S('zz') }],
            AttributesToGet: ['sk', 'n'],
          },
        },
        ReturnConsumedCapacity: 'TOTAL',
      },
      'BatchGetItem AttributesToGet',
    )
    await h.same(
      'BatchGetItem',
      { RequestItems: { [table]: { Keys: [key], AttributesToGet: ['n'], ProjectionExpression: 'n' } } },
      'BatchGetItem mixed',
    )
  })
})
