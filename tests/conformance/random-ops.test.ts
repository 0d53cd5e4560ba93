/**
 * Property: any sequence of puts, updates, deletes, queries and scans over a small key space, on a table with a
 * GSI and an LSI, gets the same answers from our engine as from DynamoDB Local 3.3.1 (compared after every op).
 */
import { afterAll, beforeAll, test } from 'vitest'
import { inject } from 'vitest'
import fc from 'fast-check'
import { Harness, N, S, expectSame, singleTable, type Json } from './harness'

let h: Harness

beforeAll(async () => {
  h = await Harness.start(inject('ddbLocalEndpoint'), 'prop')
})

afterAll(async () => {
  await h?.close()
})

const pk = fc.constantFrom('a', 'b')
const sk = fc.constantFrom('1', '2', '3', '10')
const gpk = fc.option(fc.constantFrom('g1', 'g2'), { nil: undefined })
const gsk = fc.constantFrom('x', 'y', 'z')
const lsk = fc.option(fc.integer({ min: -2, max: 3 }), { nil: undefined })
const capacity = fc.constantFrom('NONE', 'TOTAL', 'INDEXES')

/** Each arbitrary builds a request for a table name given later. */
type Op = { op: string; build: (table: string) => Json }

const put: fc.Arbitrary<Op> = fc
  .record({ pk, sk, gpk, gsk, lsk, v: fc.integer({ min: 0, max: 9 }), ifAbsent: fc.boolean(), capacity })
  .map((r) => ({
    op: 'PutItem',
    build: (TableName) => ({
      TableName,
      Item: {
        pk: S(r.pk),
        sk: S(r.sk),
        v: N(r.v),
        ...(r.gpk !== undefined ? { gpk: S(r.gpk), gsk: S(r.gsk) } : {}),
        ...(r.lsk !== undefined ? { lsk: N(r.lsk) } : {}),
      },
      ReturnValues: 'ALL_OLD',
      ReturnConsumedCapacity: r.capacity,
      ...(r.ifAbsent ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}),
    }),
  }))

const update: fc.Arbitrary<Op> = fc
  .record({
    pk,
    sk,
    delta: fc.integer({ min: -3, max: 3 }),
    index: fc.constantFrom('keep', 'setGsi', 'removeGsi', 'setLsi', 'removeLsi'),
    gpk: fc.constantFrom('g1', 'g2'),
    lsk: fc.integer({ min: -2, max: 3 }),
    ret: fc.constantFrom('NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'),
    capacity,
    ifExists: fc.boolean(),
  })
  .map((r) => {
    const sets = ['v = if_not_exists(v, :zero) + :d']
    const removes: string[] = []
    const values: Json = { ':zero': N(0), ':d': N(r.delta) }
    if (r.index === 'setGsi') {
      sets.push('gpk = :g, gsk = :gs')
      values[':g'] = S(r.gpk)
      values[':gs'] = S('w')
    }
    if (r.index === 'removeGsi') removes.push('gpk')
    if (r.index === 'setLsi') {
      sets.push('lsk = :l')
      values[':l'] = N(r.lsk)
    }
    if (r.index === 'removeLsi') removes.push('lsk')
    return {
      op: 'UpdateItem',
      build: (TableName) => ({
        TableName,
        Key: { pk: S(r.pk), sk: S(r.sk) },
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ExpressionAttributeValues: values,
        ReturnValues: r.ret,
        ReturnConsumedCapacity: r.capacity,
        ...(r.ifExists ? { ConditionExpression: 'attribute_exists(pk)' } : {}),
      }),
    }
  })

const del: fc.Arbitrary<Op> = fc.record({ pk, sk, capacity }).map((r) => ({
  op: 'DeleteItem',
  build: (TableName) => ({
    TableName,
    Key: { pk: S(r.pk), sk: S(r.sk) },
    ReturnValues: 'ALL_OLD',
    ReturnConsumedCapacity: r.capacity,
  }),
}))

const limit = fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined })

const query: fc.Arbitrary<Op> = fc
  .record({
    on: fc.constantFrom('table', 'gsi', 'lsi'),
    pk,
    sk,
    gpk: fc.constantFrom('g1', 'g2'),
    lsk: fc.integer({ min: -2, max: 3 }),
    cmp: fc.constantFrom('none', '=', '<', '>=', 'begins'),
    forward: fc.boolean(),
    limit,
    filter: fc.boolean(),
    count: fc.boolean(),
    capacity,
  })
  .map((r) => {
    const values: Json = {}
    let cond: string
    if (r.on === 'gsi') {
      cond = 'gpk = :h'
      values[':h'] = S(r.gpk)
    } else {
      cond = 'pk = :h'
      values[':h'] = S(r.pk)
    }
    const rangeName = r.on === 'gsi' ? 'gsk' : r.on === 'lsi' ? 'lsk' : 'sk'
    const rangeValue = r.on === 'lsi' ? N(r.lsk) : S(r.on === 'gsi' ? 'x' : r.sk)
    if (r.cmp === 'begins' && r.on !== 'lsi') {
      cond += ` AND begins_with(${rangeName}, :r)`
      values[':r'] = rangeValue
    } else if (r.cmp !== 'none' && r.cmp !== 'begins') {
      cond += ` AND ${rangeName} ${r.cmp} :r`
      values[':r'] = rangeValue
    }
    if (r.filter) values[':f'] = N(2)
    return {
      op: 'Query',
      build: (TableName) => ({
        TableName,
        ...(r.on !== 'table' ? { IndexName: r.on } : {}),
        KeyConditionExpression: cond,
        ExpressionAttributeValues: values,
        ScanIndexForward: r.forward,
        ReturnConsumedCapacity: r.capacity,
        ...(r.limit !== undefined ? { Limit: r.limit } : {}),
        ...(r.filter ? { FilterExpression: 'v >= :f' } : {}),
        ...(r.count ? { Select: 'COUNT' } : {}),
      }),
    }
  })

const scan: fc.Arbitrary<Op> = fc
  .record({
    on: fc.constantFrom('table', 'gsi', 'lsi'),
    limit,
    capacity,
    segment: fc.option(fc.integer({ min: 0, max: 1 }), { nil: undefined }),
  })
  .map((r) => ({
    op: 'Scan',
    build: (TableName) => ({
      TableName,
      ...(r.on !== 'table' ? { IndexName: r.on } : {}),
      ...(r.limit !== undefined ? { Limit: r.limit } : {}),
      ...(r.segment !== undefined ? { Segment: r.segment, TotalSegments: 2 } : {}),
      ReturnConsumedCapacity: r.capacity,
    }),
  }))

const ops = fc.array(
  fc.oneof(
    { arbitrary: put, weight: 3 },
    { arbitrary: update, weight: 3 },
    { arbitrary: del, weight: 1 },
    { arbitrary: query, weight: 2 },
    { arbitrary: scan, weight: 1 },
  ),
  {
    minLength: 1,
    maxLength: 30,
  },
)

// CONFORMANCE_RUNS=<n> runs more sequences (a longer search, by hand); 40 keeps the suite quick.
test('random op sequences answer alike on both sides (40 runs × up to 30 ops)', async () => {
  let run = 0
  await fc.assert(
    fc.asyncProperty(ops, async (sequence) => {
      const TableName = h.name(`r${run++}`)
      await h.same('CreateTable', singleTable(TableName))
      try {
        for (const [i, o] of sequence.entries()) {
          const req = o.build(TableName)
          if (o.op === 'Scan') {
            await h.scanAll(req, `op ${i + 1}/${sequence.length}: Scan ${JSON.stringify(req)}`)
            continue
          }
          const pair = await h.send(o.op, req)
          expectSame(pair, `op ${i + 1}/${sequence.length}: ${o.op} ${JSON.stringify(req)}`)
        }
      } finally {
        await h.send('DeleteTable', { TableName })
      }
    }),
    // Shrinking re-runs sequences against DynamoDB Local, which is slow: report the first failing case as found.
    { numRuns: Number(process.env.CONFORMANCE_RUNS ?? 40), endOnFailure: true },
  )
})
