import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import type { Engine } from './engine'
import type { EngineState } from './engine-state'
import {
  checkOperands,
  conditionText,
  type ComparisonOperator,
  Placeholders,
  translateLegacy,
} from './legacy-params'
import { engineWithTable, errorOf, n, s } from './test-support'
import type { AttributeValue } from './types'

// Answers are walked loosely here; each expectation checks the shape it reads.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Out = Record<string, any>

const cond = (op: string, ...values: AttributeValue[]) => ({
  ComparisonOperator: op,
  AttributeValueList: values,
})

async function seeded(): Promise<Engine> {
  const engine = await engineWithTable()
  const items = [
    { pk: s('A'), sk: s('1'), n: n(5), s: s('hello'), ss: { SS: ['x', 'y'] } },
    { pk: s('A'), sk: s('2'), n: n(7), s: s('world') },
    { pk: s('A'), sk: s('3'), n: s('7'), gsi1pk: s('G'), gsi1sk: s('1') },
  ]
  for (const Item of items) await engine.call('PutItem', { TableName: 'app', Item })
  return engine
}

const sks = (out: Out) => (out.Items as Out[]).map((i) => i.sk.S as string)

describe('conditionText', () => {
  const text = (op: ComparisonOperator, ...values: AttributeValue[]) => {
    const ph = new Placeholders({})
    return { text: conditionText({ attribute: 'a.b', op, values }, ph), ph }
  }

  test('every operator becomes its expression, over placeholders (names are never parsed as paths)', () => {
    expect(text('EQ', n(1)).text).toBe('#legacy0 = :legacy0')
    expect(text('NE', n(1)).text).toBe('#legacy0 <> :legacy0')
    expect(text('LE', n(1)).text).toBe('#legacy0 <= :legacy0')
    expect(text('LT', n(1)).text).toBe('#legacy0 < :legacy0')
    expect(text('GE', n(1)).text).toBe('#legacy0 >= :legacy0')
    expect(text('GT', n(1)).text).toBe('#legacy0 > :legacy0')
    expect(text('NOT_NULL').text).toBe('attribute_exists(#legacy0)')
    expect(text('NULL').text).toBe('attribute_not_exists(#legacy0)')
    expect(text('CONTAINS', s('x')).text).toBe('contains(#legacy0, :legacy0)')
    expect(text('NOT_CONTAINS', s('x')).text).toBe(
      '(attribute_exists(#legacy0) AND NOT contains(#legacy0, :legacy0))',
    )
    expect(text('BEGINS_WITH', s('x')).text).toBe('begins_with(#legacy0, :legacy0)')
    expect(text('BETWEEN', n(1), n(2)).text).toBe('#legacy0 BETWEEN :legacy0 AND :legacy1')
    expect(text('IN', n(1), n(2)).text).toBe('#legacy0 IN (:legacy0, :legacy1)')
    const { ph } = text('EQ', n(1))
    expect(ph.names).toEqual({ '#legacy0': 'a.b' })
    expect(ph.values).toEqual({ ':legacy0': n(1) })
  })

  test('an IN list longer than the expression limit of 100 is split into ORed INs', () => {
    const { text: t, ph } = text('IN', ...Array.from({ length: 150 }, (_, i) => n(i)))
    expect(t.startsWith('(#legacy0 IN (:legacy0, ')).toBe(true)
    expect(t).toContain(':legacy99) OR #legacy0 IN (:legacy100, ')
    expect(Object.keys(ph.values)).toHaveLength(150)
  })

  test('placeholders avoid the caller’s own', () => {
    const ph = new Placeholders({
      ExpressionAttributeNames: { '#legacy0': 'x' },
      ExpressionAttributeValues: { ':legacy_x': n(1) },
    })
    expect(conditionText({ attribute: 'a', op: 'EQ', values: [n(1)] }, ph)).toBe('#legacy__0 = :legacy__0')
  })
})

describe('checkOperands', () => {
  test.each<[ComparisonOperator, AttributeValue[], string]>([
    [
      'EQ',
      [],
      'One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator',
    ],
    [
      'NULL',
      [n(1)],
      'One or more parameter values were invalid: Invalid number of argument(s) for the NULL ComparisonOperator',
    ],
    [
      'BETWEEN',
      [n(1)],
      'One or more parameter values were invalid: Invalid number of argument(s) for the BETWEEN ComparisonOperator',
    ],
    [
      'IN',
      [],
      'One or more parameter values were invalid: Invalid number of argument(s) for the IN ComparisonOperator',
    ],
    [
      'IN',
      [n(1), s('1')],
      'One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same type',
    ],
    [
      'LT',
      [{ NS: ['1'] }],
      'One or more parameter values were invalid: ComparisonOperator LT is not valid for NS AttributeValue type',
    ],
    [
      'BEGINS_WITH',
      [n(1)],
      'One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type',
    ],
    [
      'CONTAINS',
      [{ SS: ['a'] }],
      'One or more parameter values were invalid: ComparisonOperator CONTAINS is not valid for SS AttributeValue type',
    ],
    [
      'BETWEEN',
      [n(5), n(1)],
      'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound',
    ],
  ])('%s with %j is refused', (op, values, message) => {
    expect(() => checkOperands(op, values)).toThrow(message)
  })

  test('EQ and NE take any type; CONTAINS takes BOOL and NULL', () => {
    for (const v of [{ M: {} }, { L: [] }, { BOOL: true }, { NULL: true as const }, { SS: ['a'] }]) {
      expect(() => checkOperands('EQ', [v])).not.toThrow()
      expect(() => checkOperands('NE', [v])).not.toThrow()
    }
    expect(() => checkOperands('CONTAINS', [{ BOOL: true }])).not.toThrow()
  })
})

describe('translateLegacy', () => {
  test('KeyConditions combine with the caller’s FilterExpression; legacy members leave the request', async () => {
    const engine = await engineWithTable()
    const state = (engine as unknown as { state: EngineState }).state
    const out = translateLegacy(
      'Query',
      {
        TableName: 'app',
        KeyConditions: { pk: cond('EQ', s('A')), sk: cond('BEGINS_WITH', s('x')) },
        FilterExpression: '#legacy0 > :v',
        ExpressionAttributeNames: { '#legacy0': 'n' },
        ExpressionAttributeValues: { ':v': n(1) },
      },
      state,
    )
    expect(out.KeyConditions).toBeUndefined()
    expect(out.KeyConditionExpression).toBe('#legacy_0 = :legacy_0 AND begins_with(#legacy_1, :legacy_1)')
    expect(out.ExpressionAttributeNames).toEqual({ '#legacy0': 'n', '#legacy_0': 'pk', '#legacy_1': 'sk' })
    expect(out.ExpressionAttributeValues).toEqual({ ':v': n(1), ':legacy_0': s('A'), ':legacy_1': s('x') })
  })
})

describe('through the engine', () => {
  test('Query with KeyConditions, QueryFilter and ConditionalOperator', async () => {
    const engine = await seeded()
    const q = (extra: Out) =>
      engine.call('Query', {
        TableName: 'app',
        KeyConditions: { pk: cond('EQ', s('A')) },
        ...extra,
      }) as Promise<Out>
    expect(sks(await q({}))).toEqual(['1', '2', '3'])
    expect(
      sks(
        await q({
          KeyConditions: { pk: cond('EQ', s('A')), sk: cond('GT', s('1')) },
          ScanIndexForward: false,
        }),
      ),
    ).toEqual(['3', '2'])
    expect(sks(await q({ QueryFilter: { n: cond('GE', n(6)) } }))).toEqual(['2'])
    expect(
      sks(
        await q({
          QueryFilter: { n: cond('EQ', n(5)), s: cond('EQ', s('world')) },
          ConditionalOperator: 'OR',
        }),
      ),
    ).toEqual(['1', '2'])
    expect(sks(await q({ QueryFilter: { n: cond('EQ', n(5)), s: cond('EQ', s('world')) } }))).toEqual([])
    // NE passes a missing attribute; NOT_CONTAINS does not (DynamoDB Local 3.3.1).
    expect(sks(await q({ QueryFilter: { ss: cond('NE', { SS: ['y', 'x'] }) } }))).toEqual(['2', '3'])
    expect(sks(await q({ QueryFilter: { ss: cond('NOT_CONTAINS', s('q')) } }))).toEqual(['1'])
    const gsi = (await engine.call('Query', {
      TableName: 'app',
      IndexName: 'gsi1',
      KeyConditions: { gsi1pk: cond('EQ', s('G')) },
    })) as Out
    expect(sks(gsi)).toEqual(['3'])
  })

  test('Query refusals name what DynamoDB names', async () => {
    const engine = await seeded()
    const q = (extra: Out) => errorOf(engine.call('Query', { TableName: 'app', ...extra }))
    expect(
      (
        await q({
          KeyConditions: { pk: cond('EQ', s('A')) },
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': s('A') },
        })
      ).message,
    ).toBe(
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {KeyConditions} Expression parameters: {KeyConditionExpression}',
    )
    expect((await q({ KeyConditions: { pk: cond('NE', s('A')) } })).message).toBe(
      'Query key condition not supported',
    )
    expect((await q({ KeyConditions: { sk: cond('EQ', s('A')) } })).message).toBe(
      'Query condition missed key schema element: pk',
    )
    expect((await q({ KeyConditions: { pk: cond('EQ', s('A')), sk: cond('IN', s('1')) } })).message).toBe(
      'Attempted conditional constraint is not an indexable operation',
    )
    expect(
      (await q({ KeyConditions: { pk: cond('EQ', s('A')) }, QueryFilter: { sk: cond('EQ', s('1')) } }))
        .message,
    ).toBe('QueryFilter can only contain non-primary key attributes: Primary key attribute: sk')
    expect((await q({ KeyConditions: { pk: cond('EQ', s('A')) }, ConditionalOperator: 'OR' })).message).toBe(
      'ConditionalOperator cannot be used without Filter or Expected',
    )
    expect(
      (await q({ KeyConditions: { pk: cond('EQ', s('A')) }, ExpressionAttributeValues: { ':a': n(1) } }))
        .message,
    ).toBe(
      'ExpressionAttributeValues can only be specified when using expressions: FilterExpression and KeyConditionExpression are null',
    )
  })

  test('Scan with ScanFilter, IN beyond 100 values', async () => {
    const engine = await seeded()
    const out = (await engine.call('Scan', {
      TableName: 'app',
      ScanFilter: { n: cond('IN', ...Array.from({ length: 120 }, (_, i) => n(i))) },
    })) as Out
    expect(sks(out).sort()).toEqual(['1', '2'])
    const single = await errorOf(
      engine.call('Scan', {
        TableName: 'app',
        ScanFilter: { n: cond('EQ', n(1)) },
        ConditionalOperator: 'AND',
      }),
    )
    expect(single.message).toBe(
      'ConditionalOperator can only be used when Filter or Expected has two or more elements',
    )
  })

  test('translated expressions are not held to the 4 KB expression limit; the caller’s own are', async () => {
    const engine = await seeded()
    const values = Array.from({ length: 1000 }, (_, i) => n(i))
    const out = (await engine.call('Scan', {
      TableName: 'app',
      ScanFilter: { n: cond('IN', ...values) },
      Select: 'COUNT',
    })) as Out
    expect(out.Count).toBe(2)
    const own = await errorOf(
      engine.call('Query', {
        TableName: 'app',
        KeyConditions: { pk: cond('EQ', s('A')) },
        FilterExpression: `n IN (${values
          .slice(0, 100)
          .map((_, i) => `:v${i}`)
          .join(', ')}) OR ${'attribute_exists(n) OR '.repeat(160)}attribute_exists(n)`,
        ExpressionAttributeValues: Object.fromEntries(values.slice(0, 100).map((v, i) => [`:v${i}`, v])),
      }),
    )
    expect(own.message).toContain(
      'Invalid FilterExpression: Expression size has exceeded the maximum allowed size',
    )
  })

  test('PutItem and DeleteItem with Expected', async () => {
    const engine = await seeded()
    const put = (Expected: Out, extra: Out = {}) =>
      engine.call('PutItem', {
        TableName: 'app',
        Item: { pk: s('A'), sk: s('1'), n: n(6) },
        Expected,
        ...extra,
      })
    expect((await errorOf(put({ n: { Value: n(4) } }))).type).toBe('ConditionalCheckFailedException')
    expect(await put({ n: { Value: n(5) } }, { ReturnValues: 'ALL_OLD' })).toMatchObject({
      Attributes: { n: n(5) },
    })
    expect(
      await put(
        { n: { ComparisonOperator: 'BETWEEN', AttributeValueList: [n(6), n(9)] }, zz: { Exists: false } },
        { ConditionalOperator: 'AND' },
      ),
    ).toEqual({})
    expect((await errorOf(put({ n: { Exists: true } }))).message).toBe(
      'One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: n',
    )
    expect((await errorOf(put({ n: { Exists: false, ComparisonOperator: 'NULL' } }))).message).toBe(
      'One or more parameter values were invalid: Exists and ComparisonOperator cannot be used together for Attribute: n',
    )
    const del = (Expected: Out) =>
      engine.call('DeleteItem', { TableName: 'app', Key: { pk: s('A'), sk: s('2') }, Expected })
    expect((await errorOf(del({ s: { Value: s('hello') } }))).type).toBe('ConditionalCheckFailedException')
    await del({ s: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [s('wor')] } })
    expect(await engine.call('GetItem', { TableName: 'app', Key: { pk: s('A'), sk: s('2') } })).toEqual({})
  })

  test('UpdateItem with AttributeUpdates: PUT (also by default), ADD, DELETE', async () => {
    const engine = await seeded()
    const upd = (AttributeUpdates: Out, extra: Out = {}) =>
      engine.call('UpdateItem', {
        TableName: 'app',
        Key: { pk: s('A'), sk: s('1') },
        AttributeUpdates,
        ReturnValues: 'ALL_NEW',
        ...extra,
      }) as Promise<Out>
    const out = await upd({
      n: { Action: 'ADD', Value: n(-1.5) },
      ss: { Action: 'DELETE', Value: { SS: ['x', 'q'] } },
      s: { Action: 'DELETE' },
      l: { Action: 'ADD', Value: { L: [s('a')] } },
      d: { Value: s('default put') },
    })
    expect(out.Attributes).toEqual({
      pk: s('A'),
      sk: s('1'),
      n: n(3.5),
      ss: { SS: ['y'] },
      l: { L: [s('a')] },
      d: s('default put'),
    })
    const again = await upd(
      { l: { Action: 'ADD', Value: { L: [s('b')] } }, c: { Action: 'ADD', Value: { NS: ['1'] } } },
      { ReturnValues: 'UPDATED_NEW' },
    )
    expect(again.Attributes).toEqual({ l: { L: [s('a'), s('b')] }, c: { NS: ['1'] } })
    const mismatch = await errorOf(upd({ d: { Action: 'ADD', Value: n(1) } }))
    expect(mismatch.message).toBe('Type mismatch for attribute to update')
    expect((await errorOf(upd({ d: { Action: 'ADD', Value: s('x') } }))).message).toBe(
      'One or more parameter values were invalid: ADD action is not supported for the type STRING',
    )
    expect((await errorOf(upd({ d: { Action: 'DELETE', Value: n(1) } }))).message).toBe(
      'One or more parameter values were invalid: DELETE action with value is not supported for the type NUMBER',
    )
    expect((await errorOf(upd({ d: { Action: 'PUT' } }))).message).toBe(
      'One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified',
    )
    expect((await errorOf(upd({ sk: { Action: 'DELETE' } }))).message).toBe(
      'One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key',
    )
    expect(
      (await errorOf(upd({ d: { Action: 'PUT', Value: n(1) } }, { Expected: { d: { Value: s('other') } } })))
        .type,
    ).toBe('ConditionalCheckFailedException')
    // A DELETE-only update of a missing item still creates it with its key (DynamoDB Local 3.3.1).
    const created = (await engine.call('UpdateItem', {
      TableName: 'app',
      Key: { pk: s('Z'), sk: s('1') },
      AttributeUpdates: { q: { Action: 'DELETE' } },
      ReturnValues: 'ALL_NEW',
    })) as Out
    expect(created.Attributes).toEqual({ pk: s('Z'), sk: s('1') })
  })
})

describe('members an operation does not have', () => {
  test('are ignored, legacy ones included', async () => {
    const engine = await seeded()
    const foreign = {
      KeyConditions: { pk: cond('EQ', s('Z')) },
      Expected: { n: { Exists: true } },
      QueryFilter: { n: cond('EQ') },
    }
    const out = (await engine.call('Scan', { TableName: 'app', ...foreign, Select: 'COUNT' })) as Out
    expect(out.Count).toBe(3)
    const got = (await engine.call('GetItem', {
      TableName: 'app',
      Key: { pk: s('A'), sk: s('1') },
      ...foreign,
      AttributesToGet: ['n'],
    })) as Out
    expect(got.Item).toEqual({ n: n(5) })
    const batch = (await engine.call('BatchGetItem', {
      RequestItems: { app: { Keys: [{ pk: s('A'), sk: s('2') }], ...foreign } },
    })) as Out
    expect(batch.Responses.app).toHaveLength(1)
    await engine.call('DeleteItem', {
      TableName: 'app',
      Key: { pk: s('A'), sk: s('3') },
      AttributeUpdates: { x: { Action: 'PUT' } },
      ScanFilter: {},
    })
    expect(await engine.call('GetItem', { TableName: 'app', Key: { pk: s('A'), sk: s('3') } })).toEqual({})
  })
})

describe('malformed legacy members', () => {
  test('any JSON in a legacy member is answered with a DynamoDB error, never an internal one', async () => {
    const engine = await seeded()
    const value = fc.oneof(
      fc.constantFrom<unknown>(n(1), s('x'), { SS: ['a'] }, { L: [] }, { NULL: true }, {}),
      fc.jsonValue({ maxDepth: 2 }),
    )
    const condition = fc.record(
      {
        ComparisonOperator: fc.oneof(
          fc.constantFrom('EQ', 'NE', 'IN', 'BETWEEN', 'NULL', 'CONTAINS', 'BEGINS_WITH', 'X'),
          fc.jsonValue({ maxDepth: 0 }),
        ),
        AttributeValueList: fc.oneof(fc.array(value, { maxLength: 3 }), fc.jsonValue({ maxDepth: 1 })),
        Value: value,
        Exists: fc.oneof(fc.boolean(), fc.jsonValue({ maxDepth: 0 })),
        Action: fc.oneof(fc.constantFrom('PUT', 'ADD', 'DELETE'), fc.jsonValue({ maxDepth: 0 })),
      },
      { requiredKeys: [] },
    )
    const map = fc.oneof(
      fc.dictionary(
        fc.constantFrom('pk', 'sk', 'n', 's', ''),
        fc.oneof(condition, fc.jsonValue({ maxDepth: 1 })),
        { maxKeys: 3 },
      ),
      fc.jsonValue({ maxDepth: 1 }),
    )
    const request = fc.record(
      {
        KeyConditions: map,
        QueryFilter: map,
        ScanFilter: map,
        Expected: map,
        AttributeUpdates: map,
        ConditionalOperator: fc.oneof(fc.constantFrom('AND', 'OR'), fc.jsonValue({ maxDepth: 0 })),
      },
      { requiredKeys: [] },
    )
    const operation = fc.constantFrom('Query', 'Scan', 'PutItem', 'UpdateItem', 'DeleteItem')
    await fc.assert(
      fc.asyncProperty(operation, request, async (op, extra) => {
        const base = { TableName: 'app', Item: { pk: s('A'), sk: s('9') }, Key: { pk: s('A'), sk: s('9') } }
        const req =
          op === 'PutItem'
            ? { ...base, Key: undefined }
            : op === 'Query' || op === 'Scan'
              ? { TableName: 'app' }
              : { ...base, Item: undefined }
        try {
          await engine.call(op, { ...req, ...extra })
        } catch (err) {
          expect((err as { type?: string }).type).not.toBe('InternalServerError')
        }
      }),
      { numRuns: 300 },
    )
  })
})
