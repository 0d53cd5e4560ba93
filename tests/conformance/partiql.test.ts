/**
 * PartiQL (ExecuteStatement, BatchExecuteStatement, ExecuteTransaction), ours vs DynamoDB Local 3.3.1: every
 * statement kind, parameters, functions, paging, index reads, write conditions and the errors of each. Requests
 * leave ReturnConsumedCapacity out: Local never returns ConsumedCapacity for PartiQL (KNOWN-DIFFERENCES.md,
 * partiql-consumed-capacity), so capacity is asserted in electron/engine/partiql/partiql.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { inject } from 'vitest'
import {
  Harness,
  S,
  canonical,
  errorMessage,
  normalize,
  singleTable,
  type Json,
  type SideName,
} from './harness'
import { asRealDynamoDb } from './known-differences'

let h: Harness
let table: string

beforeAll(async () => {
  h = await Harness.start(inject('ddbLocalEndpoint'), 'pql')
  table = h.name('single')
  await h.same('CreateTable', singleTable(table))
  for (let i = 0; i < 5; i++) {
    await h.same('ExecuteStatement', {
      Statement: `INSERT INTO "${table}" VALUE {'pk': 'p1', 'sk': ?, 'n': ${i}, 'gpk': 'g', 'gsk': ?, 'lsk': ${10 - i}, 'm': {'a': {'b': ${i}}}, 'l': [1, 'two'], 'tags': <<'x', 'y'>>}`,
      Parameters: [S(`s${i}`), S(`t${i}`)],
    })
  }
  await h.same('ExecuteStatement', {
    Statement: `INSERT INTO "${table}" VALUE {'pk': 'p2', 'sk': 's0', 'text': 'hello', 'ok': true, 'nothing': null}`,
  })
})

afterAll(async () => {
  await h?.close()
})

const stmt = (statement: string, extra: Json = {}) => ({
  Statement: statement.replaceAll('$T', `"${table}"`),
  ...extra,
})

/** Full-table statements run as Scans, whose order DynamoDB does not define: their items are compared as sets. */
async function sameAsSet(statement: string): Promise<void> {
  const pair = await h.send('ExecuteStatement', stmt(statement))
  const items = (side: SideName) => {
    const w = normalize(
      side === 'ours' ? pair.ours : asRealDynamoDb(pair.local, 'ExecuteStatement', stmt(statement)),
    )
    return w.status === 200
      ? { status: 200, items: ((w.body.Items ?? []) as Json[]).map(canonical).sort() }
      : w
  }
  expect(items('ours'), statement).toEqual(items('local'))
}

describe('ExecuteStatement SELECT', () => {
  test('queries on the partition key: equality, IN, sort key ranges, ORDER BY, projections of nested paths', async () => {
    for (const s of [
      `SELECT * FROM $T WHERE pk = 'p1'`,
      `SELECT * FROM $T WHERE pk = 'p1' AND sk > 's2'`,
      `SELECT pk, sk FROM $T WHERE pk = 'p1' AND sk BETWEEN 's1' AND 's3'`,
      `SELECT sk FROM $T WHERE pk = 'p1' AND begins_with(sk, 's')`,
      // With a projection, ORDER BY makes Local answer 500 (KNOWN-DIFFERENCES.md, partiql-order-by-projection).
      `SELECT * FROM $T WHERE pk = 'p1' AND n >= 2 ORDER BY sk DESC`,
      `SELECT pk, sk, m.a.b, l[1] FROM $T WHERE pk IN ['p2', 'p1']`,
      `SELECT sk FROM $T WHERE pk = 'p1' AND sk = 's3'`,
      `SELECT * FROM $T WHERE pk = 'missing'`,
      `SELECT * FROM $T WHERE pk = 1`,
      `select sk from $T where pk = 'p1' and contains(tags, 'x') and size(l) = 2 and attribute_type(m, 'M')`,
    ]) {
      await h.same('ExecuteStatement', stmt(s), s)
    }
    await h.same(
      'ExecuteStatement',
      stmt(`SELECT * FROM $T WHERE pk = ? AND sk = ?`, { Parameters: [S('p1'), S('s1')] }),
      'parameters',
    )
  })

  test('scans: filters with functions, MISSING, NOT, OR, BETWEEN on non-key attributes', async () => {
    for (const s of [
      `SELECT * FROM $T`,
      `SELECT pk, sk FROM $T WHERE text IS NOT MISSING`,
      `SELECT pk, sk FROM $T WHERE n IS MISSING`,
      `SELECT pk, sk FROM $T WHERE begins_with(text, 'he') OR n = 4`,
      `SELECT pk, sk FROM $T WHERE NOT n BETWEEN 1 AND 3`,
      `SELECT pk, sk FROM $T WHERE n != 1 AND n <> 2`,
      `SELECT pk, sk FROM $T WHERE sk = 's0'`,
    ]) {
      await sameAsSet(s)
    }
  })

  test('Limit and NextToken page a Query the same way', async () => {
    let token: unknown
    for (let page = 0; page < 6; page++) {
      const pair = await h.same(
        'ExecuteStatement',
        (side: SideName) =>
          stmt(`SELECT sk FROM $T WHERE pk = 'p1'`, {
            Limit: 2,
            ...(page > 0 ? { NextToken: (token as Record<SideName, string>)[side] } : {}),
          }),
        `page ${page}`,
      )
      const next = { ours: pair.ours.body.NextToken, local: pair.local.body.NextToken }
      if (!next.ours) break
      token = next
    }
    expect(token).toBeDefined()
  })

  test('an index, ConsistentRead, and the errors of reads', async () => {
    await h.same(
      'ExecuteStatement',
      stmt(`SELECT pk, sk FROM $T."gsi" WHERE gpk = 'g' AND gsk > 't2'`),
      'GSI query',
    )
    await h.same(
      'ExecuteStatement',
      stmt(`SELECT * FROM $T WHERE pk = 'p1'`, { ConsistentRead: true, Limit: 1 }),
      'consistent with Limit',
    )
    for (const [s, extra] of [
      [`SELECT * FROM $T."gsi"`, { ConsistentRead: true }],
      [`SELECT * FROM $T."nope"`, {}],
      [`SELECT * FROM nope_${Date.now()}`, {}],
      [`SELECT * FROM $T WHERE`, {}],
      [`SELEC * FROM $T`, {}],
      [`SELECT * FROM $T ORDER BY sk`, {}],
      [`SELECT * FROM $T WHERE pk = 'p1' ORDER BY n`, {}],
      [`SELECT * FROM $T WHERE n = 1 ORDER BY sk`, {}],
      [`SELECT * FROM $T WHERE exists(n)`, {}],
      [`SELECT * FROM $T WHERE pk = ?`, {}],
      [`SELECT * FROM $T`, { Limit: 0 }],
      [`SELECT * FROM $T`, { NextToken: 'garbage' }],
      [`EXISTS(SELECT * FROM $T WHERE pk = 'p1' AND sk = 's1' AND n = 1)`, {}],
      // Arithmetic is for UPDATE's SET (ql-operators.html lists + and -); a WHERE becomes a condition expression,
      // which has none: "Unsupported operator in Condition Expression. Operator: +".
      [`SELECT * FROM $T WHERE n + 1 > 1`, {}],
      [`SELECT * FROM $T WHERE pk = 'p1' AND n - 1 = 0`, {}],
      [`SELECT * FROM $T WHERE n > 1 + 1`, {}],
    ] as [string, Json][]) {
      await h.same('ExecuteStatement', stmt(s, extra), s)
    }
    await h.same('ExecuteStatement', {}, 'no statement')
  })
})

describe('ExecuteStatement writes', () => {
  test('INSERT, UPDATE and DELETE with RETURNING, conditions and their errors', async () => {
    for (const s of [
      `INSERT INTO $T VALUE {'pk': 'w', 'sk': '1', 'n': 1, 'l': [1], 'tags': <<'a'>>, 'm': {'x': 'y'}}`,
      `INSERT INTO $T VALUE {'pk': 'w', 'sk': '1'}`,
      `INSERT INTO $T VALUE {'pk': 'w'}`,
      `INSERT INTO $T VALUE {'pk': 'w', 'sk': 1}`,
      `INSERT INTO $T VALUE {'pk': 'w', 'sk': '2', 'n': 1e200}`,
      `INSERT INTO $T VALUE {'pk': 'w', 'sk': '2', 'pk': 'v'}`,
      `UPDATE $T SET n = n + 1 SET l = list_append(l, [2, 3]) REMOVE m.x WHERE pk = 'w' AND sk = '1' RETURNING ALL NEW *`,
      `UPDATE $T SET tags = set_add(tags, <<'b'>>) WHERE pk = 'w' AND sk = '1' RETURNING MODIFIED OLD *`,
      `UPDATE $T SET tags = set_delete(tags, <<'a'>>), m.y = 5 WHERE pk = 'w' AND sk = '1' RETURNING MODIFIED NEW *`,
      `UPDATE $T SET n = set_add(n, <<1>>) WHERE pk = 'w' AND sk = '1'`,
      `UPDATE $T REMOVE l[0] WHERE pk = 'w' AND sk = '1' RETURNING ALL OLD *`,
      `UPDATE $T SET n = 9 WHERE pk = 'w' AND sk = '1' AND n = 100`,
      `UPDATE $T SET n = 9 WHERE pk = 'w' AND sk = 'none'`,
      `UPDATE $T SET n = 9 WHERE pk = 'w'`,
      `UPDATE $T SET sk = 'x' WHERE pk = 'w' AND sk = '1'`,
      `DELETE FROM $T WHERE pk = 'w' AND sk = '1' AND n = 100`,
      `DELETE FROM $T WHERE pk = 'w' AND sk = 'none' AND n = 100`,
      `DELETE FROM $T WHERE pk = 'w'`,
      `DELETE FROM $T WHERE pk = 'w' AND sk = '1' RETURNING ALL OLD *`,
      `SELECT * FROM $T WHERE pk = 'w'`,
    ]) {
      await h.same('ExecuteStatement', stmt(s), s)
    }
    await h.same(
      'ExecuteStatement',
      stmt(`INSERT INTO $T VALUE {'pk': ?, 'sk': ?, 'b': ?}`, {
        Parameters: [S('w'), S('3'), { B: 'AAE=' }],
      }),
      'binary parameter',
    )
    await h.same('ExecuteStatement', stmt(`SELECT * FROM $T WHERE pk = 'w' AND sk = '3'`), 'read back')
  })
})

describe('BatchExecuteStatement', () => {
  test('writes and single-item reads report each statement in place', async () => {
    await h.same(
      'BatchExecuteStatement',
      {
        Statements: [
          stmt(`INSERT INTO $T VALUE {'pk': 'b', 'sk': '1'}`),
          stmt(`INSERT INTO $T VALUE {'pk': 'p2', 'sk': 's0'}`),
          stmt(`UPDATE $T SET n = 1 WHERE pk = 'none' AND sk = '1'`),
          stmt(`UPDATE $T SET n = 1 WHERE pk = 'b'`),
          stmt(`DELETE FROM $T WHERE pk = 'p1' AND sk = 's4'`),
        ],
      },
      'batch writes',
    )
    await h.same(
      'BatchExecuteStatement',
      {
        Statements: [
          stmt(`SELECT * FROM $T WHERE pk = 'b' AND sk = '1'`),
          stmt(`SELECT pk FROM $T WHERE pk = ? AND sk = ?`, { Parameters: [S('p1'), S('s0')] }),
          stmt(`SELECT * FROM $T WHERE pk = 'none' AND sk = '1'`),
          stmt(`SELECT * FROM $T WHERE pk = 'p1'`),
          stmt(`SELECT * FROM $T WHERE pk = 'p1' AND sk = 's1' AND n = 1`),
          stmt('SELEC'),
        ],
      },
      'batch reads',
    )
    await h.same(
      'BatchExecuteStatement',
      {
        Statements: [
          stmt(`SELECT * FROM $T WHERE pk = 'b' AND sk = '1'`),
          stmt(`DELETE FROM $T WHERE pk = 'b' AND sk = '1'`),
        ],
      },
      'mixed',
    )
    await h.same('BatchExecuteStatement', { Statements: [] }, 'empty')
  })
})

describe('ExecuteTransaction', () => {
  test('all-or-nothing writes with cancellation reasons, condition checks, and reads', async () => {
    const tx = (...statements: string[]) => ({ TransactStatements: statements.map((s) => stmt(s)) })
    await h.same(
      'ExecuteTransaction',
      tx(
        `INSERT INTO $T VALUE {'pk': 't', 'sk': '1'}`,
        `UPDATE $T SET n = 1 WHERE pk = 'p1' AND sk = 's0' AND n = 99`,
      ),
      'cancelled',
    )
    await h.same(
      'ExecuteTransaction',
      tx(`SELECT * FROM $T WHERE pk = 't' AND sk = '1'`),
      'nothing was written',
    )
    await h.same(
      'ExecuteTransaction',
      tx(
        `INSERT INTO $T VALUE {'pk': 't', 'sk': '1'}`,
        `UPDATE $T SET n = 100 WHERE pk = 'p1' AND sk = 's0' AND n = 0`,
        `EXISTS(SELECT * FROM $T WHERE pk = 'p2' AND sk = 's0' AND ok = true)`,
        `DELETE FROM $T WHERE pk = 'p1' AND sk = 's3'`,
      ),
      'committed',
    )
    await h.same(
      'ExecuteTransaction',
      tx(
        `SELECT * FROM $T WHERE pk = 't' AND sk = '1'`,
        `SELECT n FROM $T WHERE pk = 'p1' AND sk = 's0'`,
        `SELECT * FROM $T WHERE pk = 'p1' AND sk = 's3'`,
      ),
      'reads',
    )
    await h.same(
      'ExecuteTransaction',
      tx(
        `EXISTS(SELECT * FROM $T WHERE pk = 'none' AND sk = '1' AND n = 1)`,
        `DELETE FROM $T WHERE pk = 't' AND sk = '1'`,
      ),
      'failed check',
    )
    await h.same('ExecuteTransaction', tx(`INSERT INTO $T VALUE {'pk': 't', 'sk': '1'}`), 'duplicate insert')
    await h.same(
      'ExecuteTransaction',
      tx(`SELECT * FROM $T WHERE pk = 't' AND sk = '1'`, `DELETE FROM $T WHERE pk = 't' AND sk = '1'`),
      'mixed',
    )
    await h.same(
      'ExecuteTransaction',
      tx(`DELETE FROM $T WHERE pk = 't' AND sk = '1'`, `UPDATE $T SET n = 1 WHERE pk = 't' AND sk = '1'`),
      'one item twice',
    )
    await h.same('ExecuteTransaction', tx(`SELECT * FROM $T WHERE pk = 't'`), 'key-less read')
    await h.same(
      'ExecuteTransaction',
      tx(`EXISTS(SELECT * FROM $T WHERE pk = 't' AND sk = '1')`),
      'EXISTS without a condition',
    )
    await h.same('ExecuteTransaction', tx(), 'empty')
    await h.same(
      'ExecuteTransaction',
      tx(`DELETE FROM $T WHERE pk = 'zz' AND sk = '1' AND n = 3`),
      'delete of a missing item',
    )
    await h.same(
      'ExecuteStatement',
      stmt(`SELECT pk, sk, n FROM $T WHERE pk IN ['p1', 't']`),
      'state after the transactions',
    )
  })

  test('ClientRequestToken: a repeat changes nothing; other statements with the token are a mismatch', async () => {
    const token = `pql-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
    await h.same('ExecuteStatement', stmt(`INSERT INTO $T VALUE {'pk': 'idem', 'sk': '1', 'n': 0}`), 'setup')
    const tx = {
      TransactStatements: [stmt(`UPDATE $T SET n = n + 1 WHERE pk = 'idem' AND sk = '1'`)],
      ClientRequestToken: token,
    }
    await h.same('ExecuteTransaction', tx, 'first use of a token')
    await h.same('ExecuteTransaction', tx, 'the same request again')
    await h.same('ExecuteStatement', stmt(`SELECT n FROM $T WHERE pk = 'idem' AND sk = '1'`), 'applied once')
    await h.same(
      'ExecuteTransaction',
      { ...tx, TransactStatements: [stmt(`UPDATE $T SET n = n + 2 WHERE pk = 'idem' AND sk = '1'`)] },
      'other statements, same token',
    )
    // Local runs a transaction whose token is over the model's 36 characters (KNOWN-DIFFERENCES.md,
    // partiql-token-length); real DynamoDB validates it, as it does TransactWriteItems' token.
    const long = await h.send('ExecuteTransaction', { ...tx, ClientRequestToken: 'x'.repeat(37) })
    expect(long.local.status).toBe(200)
    expect(errorMessage(long.ours)).toBe(
      `1 validation error detected: Value '${'x'.repeat(37)}' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36`,
    )
  })
})
