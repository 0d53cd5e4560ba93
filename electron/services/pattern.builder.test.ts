import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { CRUDDUR_MODEL_FILE, GROUP_ANDREW_BAYKO } from '../../seeds/cruddur'
import { LosslessNumber, normalizeNumber } from '../../shared/domain/attribute-json'
import { parseModel, type Model } from '../../shared/domain/model'
import { buildPatternRequest, evaluateExpectations, getPattern, resolveParams } from './pattern.builder'

const parsed = parseModel(JSON.parse(readFileSync(CRUDDUR_MODEL_FILE, 'utf8')))
if (!parsed.ok) throw new Error('the Cruddur model must be valid')
const model: Model = parsed.model
const gen = {
  uuid: () => '00000000-0000-4000-8000-000000000001',
  now: () => '2026-11-25T10:16:39.867915+00:00',
}

describe('pattern builder', () => {
  test('A: the exact Query, newest first, 20 at a time', () => {
    const params = resolveParams(getPattern(model, 'A'), {})
    expect(buildPatternRequest(model, 'A', params)).toEqual({
      operation: 'Query',
      input: {
        TableName: 'cruddur-messages',
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :year)',
        ExpressionAttributeValues: { ':pk': { S: `MSG#${GROUP_ANDREW_BAYKO}` }, ':year': { S: '2026' } },
        ScanIndexForward: false,
        Limit: 20,
        ReturnConsumedCapacity: 'TOTAL',
      },
    })
  })

  test('A with a start key pages on from it', () => {
    const key = { pk: `MSG#${GROUP_ANDREW_BAYKO}`, sk: '2026-11-20T15:00:00.000000+00:00' }
    const { input } = buildPatternRequest(model, 'A', resolveParams(getPattern(model, 'A'), {}), {
      exclusiveStartKey: key,
    })
    expect(input).toMatchObject({ ExclusiveStartKey: { pk: { S: key.pk }, sk: { S: key.sk } } })
  })

  test('B and D: table query by user, index query by group', () => {
    const b = buildPatternRequest(
      model,
      'B',
      resolveParams(getPattern(model, 'B'), { user_uuid: gen.uuid() }),
    )
    expect(b.input).toMatchObject({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: `GRP#${gen.uuid()}` } },
      ScanIndexForward: false,
    })
    const d = buildPatternRequest(model, 'D', { message_group_uuid: 'g' })
    expect(d).toMatchObject({
      operation: 'Query',
      input: { IndexName: 'message-group-sk-index', KeyConditionExpression: 'message_group_uuid = :group' },
    })
  })

  test('C: a PutItem of a message row, generating the id and time it was not given', () => {
    const params = resolveParams(getPattern(model, 'C'), { message: 'hello' }, gen)
    const { operation, input } = buildPatternRequest(model, 'C', params)
    expect(operation).toBe('PutItem')
    expect(input).toMatchObject({
      Item: {
        pk: { S: `MSG#${GROUP_ANDREW_BAYKO}` },
        sk: { S: gen.now() },
        message_uuid: { S: gen.uuid() },
        message: { S: 'hello' },
        user_handle: { S: 'andrewbrown' },
      },
    })
    expect(Object.keys((input as { Item: object }).Item)).not.toContain('message_group_uuid')
  })

  test('parameters are checked by type, and unknown ones refused', () => {
    const a = getPattern(model, 'A')
    expect(() => resolveParams(a, { message_group_uuid: 'nope' })).toThrow(/not a uuid/)
    expect(() => resolveParams(a, { color: 'red' })).toThrow(/not a parameter of pattern A/)
    expect(() => resolveParams(getPattern(model, 'A2'), { from: '2026-01-01' })).toThrow(/not a timestamp/)
    expect(() => resolveParams(getPattern(model, 'C'), {})).toThrow(
      expect.objectContaining({ code: 'pattern.invalidParams' }),
    )
    expect(() => getPattern(model, 'Q')).toThrow(expect.objectContaining({ code: 'pattern.notFound' }))
  })

  test('a timestamp parameter takes plain RFC 3339, or exactly its declared format', () => {
    const a2 = getPattern(model, 'A2')
    const plain = { ...a2, params: a2.params.map((p) => ({ ...p, format: undefined })) }
    expect(resolveParams(plain, { from: '2026-01-01T00:00:00.000Z' }).from).toBe('2026-01-01T00:00:00.000Z')
    expect(() => resolveParams(a2, { from: '2026-01-01T00:00:00.000Z' })).toThrow(
      /from: not a timestamp in the format YYYY-MM-DDTHH:mm:ss\.SSSSSS\+00:00 like 2026-01-01T00:00:00\.000000\+00:00/,
    )
    expect(resolveParams(a2, { from: '2026-01-01T00:00:00.000000+00:00' }).from).toBe(
      '2026-01-01T00:00:00.000000+00:00',
    )
    // generated values follow the declared format too
    const gen = {
      uuid: () => '00000000-0000-4000-8000-000000000001',
      now: (f?: string) => (f ? '2026-01-01T00:00:00.000000+00:00' : '2026-01-01T00:00:00.000Z'),
    }
    const noDefaults = (p: typeof a2) => ({
      ...p,
      params: p.params.map((x) => ({ ...x, default: undefined })),
    })
    expect(resolveParams(noDefaults(a2), {}, gen).from).toBe('2026-01-01T00:00:00.000000+00:00')
    expect(resolveParams(noDefaults(plain), {}, gen).from).toBe('2026-01-01T00:00:00.000Z')
  })

  test('#names in expressions and projections become ExpressionAttributeNames', () => {
    const custom = structuredClone(model)
    custom.accessPatterns.push({
      ...getPattern(model, 'B'),
      id: 'B2',
      keyCondition: '#pk = :pk',
      projection: ['message', 'sk'],
    })
    const { input } = buildPatternRequest(custom, 'B2', { user_uuid: 'u' })
    expect(input).toMatchObject({
      ProjectionExpression: '#p0, #p1',
      ExpressionAttributeNames: { '#pk': 'pk', '#p0': 'message', '#p1': 'sk' },
    })
  })
})

describe('expectations', () => {
  const a = getPattern(model, 'A')
  const rows = (sks: string[]) => sks.map((sk) => ({ sk }))
  test('all held for a newest-first query', () => {
    expect(
      evaluateExpectations(a, { operation: 'Query', items: rows(['3', '2', '1']) }).map((e) => e.held),
    ).toEqual([true, true, true])
  })
  test('a scan, a wrong order and too many items each fail their own expectation', () => {
    const out = evaluateExpectations(a, {
      operation: 'Scan',
      items: rows(['1', '2', ...Array.from({ length: 20 }, () => '0')]),
    })
    expect(out.map((e) => [e.name, e.held])).toEqual([
      ['served by Query', false],
      ['ordered by sk desc', false],
      ['at most 20 items', false],
    ])
  })
  test('the index used, an exact count, exact items and a capacity budget, each held and failed', () => {
    const p = {
      ...a,
      expectations: {
        index: 'message-group-sk-index',
        count: 2,
        items: [{ sk: '3' }, { sk: '2' }],
        maxCapacityUnits: 1,
      },
    }
    const held = evaluateExpectations(p, {
      operation: 'Query',
      items: rows(['3', '2']),
      index: 'message-group-sk-index',
      capacityUnits: 0.5,
    })
    expect(held.map((e) => [e.name, e.held])).toEqual([
      ['uses message-group-sk-index', true],
      ['exactly 2 items', true],
      ['exactly the 2 listed items, in order', true],
      ['at most 1 capacity units', true],
    ])
    const failed = evaluateExpectations(p, {
      operation: 'Query',
      items: rows(['2', '3', '1']),
      capacityUnits: 3,
    })
    expect(failed.map((e) => [e.held, e.detail])).toEqual([
      [false, 'sent to the table'],
      [false, '3 items'],
      [false, 'item 0 is {"sk":"2"}, not {"sk":"3"}'],
      [false, 'consumed 3'],
    ])
    expect(
      evaluateExpectations({ ...p, expectations: { index: null } }, { operation: 'Query', items: [] })[0],
    ).toMatchObject({
      name: 'uses the table',
      held: true,
    })
  })
})

describe('pattern requests with numbers beyond JS precision', () => {
  // 38 significant digits, the smallest and the largest DynamoDB number.
  const numbers = [
    '12345678901234567890.123456789012345678',
    '1E-130',
    '9.9999999999999999999999999999999999999E+125',
  ]
  const withNumbers = parseModel({
    ...model,
    // Only this pattern: the sample's recipes name patterns this copy drops.
    recipes: [],
    accessPatterns: [
      {
        id: 'byScore',
        name: 'items with a score',
        operation: 'Query',
        table: 'cruddur-messages',
        keyCondition: 'pk = :pk',
        filter: 'score = :score',
        values: { ':pk': 'SCORE', ':score': '{score}' },
        params: [{ name: 'score', type: 'number' }],
      },
    ],
  })
  if (!withNumbers.ok) throw new Error(JSON.stringify(withNumbers.issues))

  test.each(numbers)('a number parameter %s is sent digit for digit', (n) => {
    const req = buildPatternRequest(
      withNumbers.model,
      'byScore',
      resolveParams(getPattern(withNumbers.model, 'byScore'), { score: n }),
    )
    const sent = (req.input as { ExpressionAttributeValues: Record<string, { N?: string }> })
      .ExpressionAttributeValues[':score']!.N!
    // The same decimal (1E-130 may be spelled 1e-130).
    expect(normalizeNumber(sent)).toBe(normalizeNumber(n))
  })

  test('a parameter that is not a number is refused', () => {
    expect(() => resolveParams(getPattern(withNumbers.model, 'byScore'), { score: '12abc' })).toThrow(
      /score: not a number/,
    )
  })

  test('a start key read back exactly pages on from the same number', () => {
    const key = { pk: 'SCORE', sk: new LosslessNumber(numbers[0]!) }
    const { input } = buildPatternRequest(model, 'A', resolveParams(getPattern(model, 'A'), {}), {
      exclusiveStartKey: key,
    })
    expect(input).toMatchObject({ ExclusiveStartKey: { pk: { S: 'SCORE' }, sk: { N: numbers[0] } } })
  })
})

describe('an unknown pattern', () => {
  test('is pattern.notFound, listing the valid ids', () => {
    expect(() => getPattern(model, 'Z')).toThrow(/no access pattern "Z" \(valid: A, A2, B, C, D\)/)
  })
})
