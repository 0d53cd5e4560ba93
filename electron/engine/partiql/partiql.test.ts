import { describe, expect, test } from 'vitest'
import type { Engine } from '../engine'
import { engineWithTable, errorOf, n, s } from '../test-support'
import { parseStatement } from './parser'

// Answers are walked loosely here; each expectation checks the shape it reads.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Out = Record<string, any>

const run = (engine: Engine, Statement: string, extra: Record<string, unknown> = {}) =>
  engine.call('ExecuteStatement', { Statement, ...extra }) as Promise<Out>

async function seeded(): Promise<Engine> {
  const engine = await engineWithTable()
  for (let i = 0; i < 6; i++) {
    await run(
      engine,
      `INSERT INTO app VALUE {'pk': 'U#1', 'sk': ?, 'n': ${i}, 'gsi1pk': 'G', 'gsi1sk': ?, 'big': ?}`,
      {
        Parameters: [s(`O#${i}`), s(`T#${i}`), s('x'.repeat(3000))],
      },
    )
  }
  await run(
    engine,
    `INSERT INTO "app" VALUE {'pk': 'U#2', 'sk': 'O#0', 'tags': <<'a', 'b'>>, 'l': [1, 'two', {'m': null}], 'ok': true}`,
  )
  return engine
}

describe('parser', () => {
  test('statements of every kind parse; parameters are counted in order', () => {
    expect(
      parseStatement(`SELECT a, b.c[2] FROM "t"."i" WHERE a = ? AND b IN [?, 'x'] ORDER BY a DESC`).params,
    ).toBe(2)
    expect(
      parseStatement(
        `UPDATE t SET a = a + 1 SET b = list_append(b, [?]) REMOVE c.d WHERE pk = ? RETURNING ALL NEW *`,
      ).statement.kind,
    ).toBe('update')
    expect(parseStatement(`delete from t where pk = 'a' returning all old *`).statement.kind).toBe('delete')
    expect(parseStatement(`EXISTS(SELECT * FROM t WHERE pk = 'a' AND v = 1)`).statement.kind).toBe('exists')
  })

  test('a malformed statement is refused with DynamoDB words, also when nested past any sensible depth', () => {
    for (const bad of [
      'SELEC * FROM t',
      'SELECT * FROM t WHERE',
      "SELECT * FROM t WHERE a = 'x",
      `SELECT * FROM t WHERE ${'('.repeat(5000)}a = 1${')'.repeat(5000)}`,
    ]) {
      expect(() => parseStatement(bad)).toThrow(`Statement wasn't well formed, can't be processed: ${bad}`)
    }
  })
})

describe('ExecuteStatement', () => {
  test('a SELECT fixing the partition key runs as a Query: it reads only that partition, in sort key order', async () => {
    const engine = await seeded()
    const q = await run(engine, `SELECT sk, n FROM app WHERE pk = 'U#1' AND sk >= 'O#4'`, {
      ReturnConsumedCapacity: 'TOTAL',
    })
    expect(q.Items).toEqual([
      { sk: s('O#4'), n: n(4) },
      { sk: s('O#5'), n: n(5) },
    ])
    // Two items of ~3 KB read by key range: one 4 KB unit... eventually consistent, halved.
    const scanned = await run(engine, `SELECT sk FROM app WHERE n >= 4`, { ReturnConsumedCapacity: 'TOTAL' })
    expect(scanned.Items).toHaveLength(2)
    // The Scan reads every item of the table (7 items, ~18 KB), the Query only the two it needs.
    expect(scanned.ConsumedCapacity.CapacityUnits).toBeGreaterThan(q.ConsumedCapacity.CapacityUnits)
    expect(q.ConsumedCapacity).toEqual({ TableName: 'app', CapacityUnits: 1 })
    expect(scanned.ConsumedCapacity).toEqual({ TableName: 'app', CapacityUnits: 2.5 })
  })

  test('IN and OR of partition keys query each partition; ORDER BY DESC reads backwards', async () => {
    const engine = await seeded()
    const out = await run(engine, `SELECT pk, sk FROM app WHERE pk IN ['U#2', 'U#1'] AND sk < 'O#2'`)
    expect(out.Items).toEqual([
      { pk: s('U#1'), sk: s('O#0') },
      { pk: s('U#1'), sk: s('O#1') },
      { pk: s('U#2'), sk: s('O#0') },
    ])
    const ored = await run(engine, `SELECT sk FROM app WHERE pk = 'U#1' AND n < 2 ORDER BY sk DESC`)
    expect(ored.Items).toEqual([{ sk: s('O#1') }, { sk: s('O#0') }])
    expect((await errorOf(run(engine, `SELECT * FROM app ORDER BY sk`))).message).toBe(
      'Must have WHERE clause in the statement when using ORDER BY clause.',
    )
    expect((await errorOf(run(engine, `SELECT * FROM app WHERE pk = 'U#1' ORDER BY n`))).message).toBe(
      'Variable reference n in ORDER BY clause must be part of the primary key',
    )
  })

  test('Limit and NextToken page through a Query and a Scan without losing or repeating items', async () => {
    const engine = await seeded()
    for (const statement of [
      `SELECT sk FROM app WHERE pk = 'U#1'`,
      `SELECT pk, sk FROM app`,
      `SELECT sk FROM app WHERE pk IN ['U#1', 'U#2']`,
    ]) {
      const all = (await run(engine, statement)).Items
      const paged: Out[] = []
      let NextToken: string | undefined
      let pages = 0
      do {
        const page = await run(engine, statement, { Limit: 2, ...(NextToken ? { NextToken } : {}) })
        paged.push(...page.Items)
        NextToken = page.NextToken
        pages++
      } while (NextToken && pages < 20)
      expect(paged, statement).toEqual(all)
      expect(pages).toBeGreaterThan(2)
    }
    expect((await errorOf(run(engine, `SELECT * FROM app`, { NextToken: 'garbage' }))).message).toBe(
      'Invalid NextToken',
    )
  })

  test('functions, MISSING, BETWEEN, nested paths and an index', async () => {
    const engine = await seeded()
    const names = async (where: string) =>
      ((await run(engine, `SELECT sk, pk FROM app WHERE ${where}`)).Items as Out[])
        .map((i) => `${i.pk.S}/${i.sk.S}`)
        .sort()
    expect(await names(`begins_with(sk, 'O#0')`)).toEqual(['U#1/O#0', 'U#2/O#0'])
    expect(await names(`contains(tags, 'b') AND size(l) = 3 AND attribute_type(ok, 'BOOL')`)).toEqual([
      'U#2/O#0',
    ])
    expect(await names(`n IS MISSING`)).toEqual(['U#2/O#0'])
    expect(await names(`pk = 'U#1' AND n BETWEEN 1 AND 2 AND NOT n = 2`)).toEqual(['U#1/O#1'])
    expect(await names(`l[2].m IS NULL`)).toEqual(['U#2/O#0'])
    const fromIndex = await run(engine, `SELECT sk FROM "app"."gsi1" WHERE gsi1pk = 'G' AND gsi1sk > 'T#3'`, {
      ReturnConsumedCapacity: 'INDEXES',
    })
    expect(fromIndex.Items).toEqual([{ sk: s('O#4') }, { sk: s('O#5') }])
    expect(fromIndex.ConsumedCapacity.GlobalSecondaryIndexes).toEqual({ gsi1: { CapacityUnits: 1 } })
    expect((await errorOf(run(engine, `SELECT * FROM "app"."gsi1"`, { ConsistentRead: true }))).message).toBe(
      'Consistent reads are not supported on global secondary indexes',
    )
    expect((await errorOf(run(engine, `SELECT * FROM app WHERE exists(n)`))).message).toBe(
      'Unrecognized function: exists',
    )
  })

  test('INSERT refuses a duplicate key, a missing or mistyped key, and numbers out of range', async () => {
    const engine = await seeded()
    const dup = await errorOf(run(engine, `INSERT INTO app VALUE {'pk': 'U#2', 'sk': 'O#0'}`))
    expect([dup.type, dup.message]).toEqual([
      'DuplicateItemException',
      'Duplicate primary key exists in table',
    ])
    expect((await errorOf(run(engine, `INSERT INTO app VALUE {'pk': 'x'}`))).message).toBe(
      'Key attribute should be present in the item: Key sk',
    )
    expect((await errorOf(run(engine, `INSERT INTO app VALUE {'pk': 'x', 'sk': 1}`))).message).toBe(
      "Key attribute's data type should match its data type in table's schema: Key sk",
    )
    expect(
      (await errorOf(run(engine, `INSERT INTO app VALUE {'pk': 'x', 'sk': '1', 'v': 1e200}`))).message,
    ).toBe('Number overflow. Attempting to store a number with magnitude larger than supported range')
    expect(
      (await errorOf(run(engine, `INSERT INTO app VALUE {'pk': 'x', 'sk': '1', 'pk': 'y'}`))).message,
    ).toBe('Duplicate keys in tuple. Key: pk under root at 1:46:4')
    expect((await errorOf(run(engine, `INSERT INTO nope VALUE {'pk': 'x'}`))).type).toBe(
      'ResourceNotFoundException',
    )
    expect((await errorOf(run(engine, `SELECT * FROM app WHERE pk = ?`))).message).toBe(
      "Number of parameters in request and statement don't match.",
    )
    expect((await errorOf(engine.call('ExecuteStatement', {}))).message).toBe(
      "1 validation error detected: Value null at 'statement' failed to satisfy constraint: Member must not be null",
    )
  })

  test('UPDATE sets, removes, appends and edits sets on an existing item only; RETURNING shapes the answer', async () => {
    const engine = await seeded()
    const key = `WHERE pk = 'U#2' AND sk = 'O#0'`
    const out = await run(
      engine,
      `UPDATE app SET c = 1 SET l = list_append(l, [?]) SET tags = set_add(tags, <<'c'>>) REMOVE ok ${key} RETURNING ALL NEW *`,
      {
        Parameters: [n(4)],
      },
    )
    expect(out.Items[0]).toMatchObject({
      c: n(1),
      l: { L: [n(1), s('two'), { M: { m: { NULL: true } } }, n(4)] },
      tags: { SS: ['a', 'b', 'c'] },
    })
    expect(out.Items[0].ok).toBeUndefined()
    const modified = await run(
      engine,
      `UPDATE app SET c = c + 2, l[2].m = 'x' SET tags = set_delete(tags, <<'a'>>) ${key} RETURNING MODIFIED OLD *`,
    )
    expect(modified.Items).toEqual([
      { c: n(1), l: { L: [{ M: { m: { NULL: true } } }] }, tags: { SS: ['a', 'b', 'c'] } },
    ])
    const after = await run(engine, `SELECT c, l[2].m, tags FROM app ${key}`)
    expect(after.Items).toEqual([{ c: n(3), m: s('x'), tags: { SS: ['b', 'c'] } }])
    const missing = await errorOf(run(engine, `UPDATE app SET c = 1 WHERE pk = 'none' AND sk = 'x'`))
    expect(missing.type).toBe('ConditionalCheckFailedException')
    expect((await errorOf(run(engine, `UPDATE app SET c = 1 WHERE pk = 'U#2'`))).message).toBe(
      'Where clause does not contain a mandatory equality on all key attributes',
    )
    expect((await errorOf(run(engine, `UPDATE app SET sk = 'z' ${key}`))).message).toBe(
      'One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key',
    )
    expect((await errorOf(run(engine, `UPDATE app SET c = 9 ${key} AND c = 100`))).type).toBe(
      'ConditionalCheckFailedException',
    )
  })

  test('DELETE: conditions apply to an existing item; a missing item is no error; RETURNING ALL OLD', async () => {
    const engine = await seeded()
    expect((await run(engine, `DELETE FROM app WHERE pk = 'none' AND sk = 'x' AND n = 3`)).Items).toEqual([])
    expect(
      (await errorOf(run(engine, `DELETE FROM app WHERE pk = 'U#1' AND sk = 'O#1' AND n = 3`))).type,
    ).toBe('ConditionalCheckFailedException')
    const out = await run(
      engine,
      `DELETE FROM app WHERE pk = 'U#1' AND sk = 'O#1' AND n = 1 RETURNING ALL OLD *`,
    )
    expect(out.Items[0]).toMatchObject({ pk: s('U#1'), sk: s('O#1'), n: n(1) })
    expect((await run(engine, `SELECT * FROM app WHERE pk = 'U#1' AND sk = 'O#1'`)).Items).toEqual([])
  })
})

describe('BatchExecuteStatement', () => {
  test('writes report each statement in its place; reads are single-item gets', async () => {
    const engine = await seeded()
    const writes = (await engine.call('BatchExecuteStatement', {
      Statements: [
        { Statement: `INSERT INTO app VALUE {'pk': 'B', 'sk': '1'}` },
        { Statement: `INSERT INTO app VALUE {'pk': 'U#2', 'sk': 'O#0'}` },
        { Statement: `UPDATE app SET v = 1 WHERE pk = 'none' AND sk = '1'` },
        { Statement: `INSERT INTO nope VALUE {'pk': 'B', 'sk': '1'}` },
        { Statement: `UPDATE app SET v = 1 WHERE pk = 'B'` },
        { Statement: 'SELEC' },
      ],
    })) as Out
    expect(writes.Responses).toEqual([
      { TableName: 'app' },
      {
        TableName: 'app',
        Error: { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' },
      },
      {
        TableName: 'app',
        Error: { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      },
      { Error: { Code: 'ResourceNotFound', Message: 'Cannot do operations on a non-existent table' } },
      {
        Error: {
          Code: 'ValidationError',
          Message: 'Where clause does not contain a mandatory equality on all key attributes',
        },
      },
      {
        Error: {
          Code: 'ValidationError',
          Message: 'Invalid operation. Only select, insert, update and delete operations are valid',
        },
      },
    ])
    const reads = (await engine.call('BatchExecuteStatement', {
      Statements: [
        { Statement: `SELECT pk FROM app WHERE pk = ? AND sk = ?`, Parameters: [s('B'), s('1')] },
        { Statement: `SELECT * FROM app WHERE pk = 'none' AND sk = '1'` },
        { Statement: `SELECT * FROM app WHERE pk = 'B'` },
      ],
      ReturnConsumedCapacity: 'TOTAL',
    })) as Out
    expect(reads.Responses).toEqual([
      { TableName: 'app', Item: { pk: s('B') } },
      { TableName: 'app' },
      { Error: { Code: 'ValidationError', Message: 'Only single item select is supported' } },
    ])
    expect(reads.ConsumedCapacity).toEqual([{ TableName: 'app', CapacityUnits: 1 }])
  })

  test('mixing reads and writes, or two writes of one item, refuses the whole batch and changes nothing', async () => {
    const engine = await seeded()
    const mixed = await errorOf(
      engine.call('BatchExecuteStatement', {
        Statements: [
          { Statement: `SELECT * FROM app WHERE pk = 'a' AND sk = '1'` },
          { Statement: `DELETE FROM app WHERE pk = 'U#2' AND sk = 'O#0'` },
        ],
      }),
    )
    expect(mixed.message).toBe('Read and write requests together in the same batch is not supported.')
    const dup = await errorOf(
      engine.call('BatchExecuteStatement', {
        Statements: [
          { Statement: `INSERT INTO app VALUE {'pk': 'D', 'sk': '1'}` },
          { Statement: `DELETE FROM app WHERE pk = 'D' AND sk = '1'` },
        ],
      }),
    )
    expect(dup.message).toBe('Provided list of item keys contains duplicates')
    expect((await run(engine, `SELECT * FROM app WHERE pk = 'D'`)).Items).toEqual([])
    expect((await run(engine, `SELECT * FROM app WHERE pk = 'U#2'`)).Items).toHaveLength(1)
  })
})

describe('ExecuteTransaction', () => {
  test('applies every write or none, with reasons in statement order', async () => {
    const engine = await seeded()
    const failed = await errorOf(
      engine.call('ExecuteTransaction', {
        TransactStatements: [
          { Statement: `INSERT INTO app VALUE {'pk': 'T', 'sk': '1'}` },
          { Statement: `UPDATE app SET n = 100 WHERE pk = 'U#1' AND sk = 'O#0' AND n = 99` },
        ],
      }),
    )
    expect(failed.type).toBe('TransactionCanceledException')
    expect(failed.message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]',
    )
    expect(failed.extra.CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    ])
    expect((await run(engine, `SELECT * FROM app WHERE pk = 'T'`)).Items).toEqual([])

    const ok = (await engine.call('ExecuteTransaction', {
      TransactStatements: [
        { Statement: `INSERT INTO app VALUE {'pk': 'T', 'sk': '1'}` },
        { Statement: `UPDATE app SET n = 100 WHERE pk = 'U#1' AND sk = 'O#0' AND n = 0` },
        { Statement: `EXISTS(SELECT * FROM app WHERE pk = 'U#2' AND sk = 'O#0' AND ok = true)` },
        { Statement: `DELETE FROM app WHERE pk = ? AND sk = ?`, Parameters: [s('U#1'), s('O#5')] },
      ],
      ReturnConsumedCapacity: 'TOTAL',
    })) as Out
    expect(ok.Responses).toEqual([])
    // Twice the units of each part: the insert (1), the ~3 KB update and its GSI entry (3 + 3), the condition
    // check's read (1), the ~3 KB delete and its GSI entry (3 + 3).
    expect(ok.ConsumedCapacity).toEqual([{ TableName: 'app', CapacityUnits: 2 * (1 + 6 + 1 + 6) }])
    const read = (await engine.call('ExecuteTransaction', {
      TransactStatements: [
        { Statement: `SELECT n FROM app WHERE pk = 'U#1' AND sk = 'O#0'` },
        { Statement: `SELECT * FROM app WHERE pk = 'U#1' AND sk = 'O#5'` },
        { Statement: `SELECT * FROM app WHERE pk = 'T' AND sk = '1'` },
      ],
    })) as Out
    expect(read.Responses).toEqual([{ Item: { n: n(100) } }, {}, { Item: { pk: s('T'), sk: s('1') } }])
  })

  test('refuses mixed reads and writes, two actions on one item, EXISTS without a condition and a key-less SELECT', async () => {
    const engine = await seeded()
    const call = (...statements: string[]) =>
      errorOf(
        engine.call('ExecuteTransaction', {
          TransactStatements: statements.map((Statement) => ({ Statement })),
        }),
      )
    expect(
      (
        await call(
          `SELECT * FROM app WHERE pk = 'a' AND sk = '1'`,
          `DELETE FROM app WHERE pk = 'a' AND sk = '1'`,
        )
      ).message,
    ).toBe('ExecuteTransaction API does not support both read and write operations in the same request.')
    expect(
      (
        await call(
          `DELETE FROM app WHERE pk = 'a' AND sk = '1'`,
          `UPDATE app SET v = 1 WHERE pk = 'a' AND sk = '1'`,
        )
      ).message,
    ).toBe('Transaction request cannot include multiple operations on one item')
    expect((await call(`EXISTS(SELECT * FROM app WHERE pk = 'a' AND sk = '1')`)).message).toBe(
      'Validation failed in TransactStatements[0]: EXISTS() must contain a single item read with additional condition',
    )
    expect((await call(`SELECT * FROM app WHERE pk = 'a'`)).message).toBe(
      'Validation failed in TransactStatements[0]: Select statements within ExecuteTransaction must specify the primary key in the where clause.',
    )
    expect((await errorOf(engine.call('ExecuteTransaction', { TransactStatements: [] }))).message).toBe(
      'ExecutePartiQLTransaction can not have empty statement.',
    )
  })
})

describe('hostile statements', () => {
  test('random token soup and mutated statements answer a 4xx DynamoDB error or succeed, never an internal error', async () => {
    const engine = await seeded()
    let seed = 20261205
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
      return seed % n
    }
    const pieces = [
      'SELECT',
      '*',
      'FROM',
      'app',
      '"app"',
      '."gsi1"',
      'WHERE',
      'pk',
      'sk',
      'n',
      '=',
      '<>',
      '!=',
      '<',
      '>=',
      'AND',
      'OR',
      'NOT',
      'IN',
      '[',
      ']',
      '(',
      ')',
      '{',
      '}',
      '<<',
      '>>',
      ',',
      ':',
      '.',
      '?',
      "'U#1'",
      "'O#1'",
      '1',
      '-2.5e3',
      '1e999',
      'true',
      'null',
      'MISSING',
      'IS',
      'BETWEEN',
      'INSERT',
      'INTO',
      'VALUE',
      'UPDATE',
      'SET',
      'REMOVE',
      'DELETE',
      'RETURNING',
      'ALL',
      'OLD',
      'NEW',
      'MODIFIED',
      'ORDER',
      'BY',
      'DESC',
      'EXISTS',
      'size(l)',
      'begins_with(sk, ?)',
      'contains(tags, ?)',
      'list_append(l, [1])',
      "set_add(tags, <<'z'>>)",
      'attribute_type(n, ?)',
      'l[0]',
      'm.a.b',
      '+',
      '-',
      "'",
      '"',
      ';',
    ]
    const valid = [
      `SELECT * FROM app WHERE pk = 'U#1' AND sk > 'O#1'`,
      `INSERT INTO app VALUE {'pk': 'F', 'sk': ?, 'l': [1, {'a': <<1, 2>>}]}`,
      `UPDATE app SET n = n + 1, l = list_append(l, [2]) REMOVE m.a WHERE pk = 'U#1' AND sk = 'O#1' RETURNING ALL NEW *`,
      `DELETE FROM app WHERE pk = 'U#1' AND sk = 'O#2' AND n IN [1, 2, ?]`,
    ]
    const params = [s('O#9'), n(1), s('N'), { L: [n(1)] }, { SS: ['z'] }]
    for (let i = 0; i < 3000; i++) {
      let statement: string
      if (i % 2 === 0) {
        statement = Array.from({ length: 1 + rand(14) }, () => pieces[rand(pieces.length)]).join(' ')
      } else {
        // A valid statement with a few characters cut out, repeated or replaced.
        const base = valid[rand(valid.length)] as string
        const at = rand(base.length)
        const cut = rand(6)
        statement =
          rand(2) === 0
            ? base.slice(0, at) + base.slice(at + cut)
            : base.slice(0, at) + (pieces[rand(pieces.length)] as string) + base.slice(at)
      }
      const Parameters = params.slice(0, rand(params.length + 1))
      try {
        await engine.call('ExecuteStatement', {
          Statement: statement,
          ...(Parameters.length ? { Parameters } : {}),
        })
      } catch (err) {
        const e = err as { type?: string; statusCode?: number }
        expect(e.type, statement).not.toBe('InternalServerError')
        expect(e.statusCode, statement).toBe(400)
      }
    }
  })
})
