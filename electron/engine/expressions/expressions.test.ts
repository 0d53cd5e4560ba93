import { describe, expect, it } from 'vitest'
import { DynamoError } from '../types'
import type { AttributeValue, Item } from '../types'
import {
  applyProjection,
  applyUpdate,
  checkFilterAvoidsKeys,
  compileExpressions,
  evaluateCondition,
  projectionTopLevelNames,
  sortKeyMatches,
  toKeyCondition,
  updatedAttributeNames,
} from './index'
import type { ExpressionRequest } from './index'
import { RESERVED_WORDS, isReservedWord } from './reserved-words'

function errorOf(fn: () => unknown): string {
  try {
    fn()
  } catch (e) {
    if (e instanceof DynamoError) return `${e.type}: ${e.message}`
    throw e
  }
  throw new Error('expected a DynamoError')
}

const ITEM: Item = {
  n: { N: '10' },
  s: { S: 'hello' },
  ss: { SS: ['a', 'b'] },
  ns: { NS: ['1', '2'] },
  l: { L: [{ S: 'l0' }, { N: '1' }, { M: { k: { S: 'v' } } }] },
  m: { M: { x: { N: '1' }, y: { M: { z: { S: 'zz' } } } } },
}

const cond = (expr: string, values: Record<string, AttributeValue> = {}, names?: Record<string, string>) =>
  compileExpressions({
    ConditionExpression: expr,
    ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
    ...(names ? { ExpressionAttributeNames: names } : {}),
  }).condition!

const update = (expr: string, values: Record<string, AttributeValue> = {}) =>
  compileExpressions({
    UpdateExpression: expr,
    ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
  }).update!

describe('reserved words', () => {
  it('holds DynamoDB’s 573 words, case-insensitively', () => {
    expect(RESERVED_WORDS.size).toBe(573)
    expect(isReservedWord('name')).toBe(true)
    expect(isReservedWord('Status')).toBe(true)
    expect(isReservedWord('pk')).toBe(false)
  })
})

describe('conditions', () => {
  it.each<[string, Record<string, AttributeValue>, boolean]>([
    ['n = :v', { ':v': { N: '10.0' } }, true],
    ['n = :v', { ':v': { S: '10' } }, false],
    ['n <> :v', { ':v': { S: '10' } }, true],
    ['nope <> :v', { ':v': { N: '1' } }, true],
    ['n < :v', { ':v': { S: 'z' } }, false],
    ['s BETWEEN :a AND :b', { ':a': { S: 'h' }, ':b': { S: 'i' } }, true],
    ['n IN (:a, :b)', { ':a': { N: '1' }, ':b': { N: '10' } }, true],
    ['n = :a OR n = :b AND n = :b', { ':a': { N: '10' }, ':b': { N: '1' } }, true],
    ['(n = :a OR n = :b) AND n = :b', { ':a': { N: '10' }, ':b': { N: '1' } }, false],
    ['NOT n = :a AND s = :b', { ':a': { N: '1' }, ':b': { S: 'hello' } }, true],
    ['begins_with(s, :p)', { ':p': { S: 'he' } }, true],
    ['contains(ss, :p)', { ':p': { S: 'b' } }, true],
    ['contains(ns, :p)', { ':p': { N: '2.0' } }, true],
    ['contains(l, :p)', { ':p': { M: { k: { S: 'v' } } } }, true],
    ['size(l) = :p', { ':p': { N: '3' } }, true],
    ['size(n) = :p', { ':p': { N: '2' } }, false],
    ['attribute_type(m, :t)', { ':t': { S: 'M' } }, true],
  ])('%s', (expr, values, expected) => {
    expect(evaluateCondition(cond(expr, values), ITEM)).toBe(expected)
  })

  it('resolves paths into maps and lists, and #names', () => {
    const c = cond(
      'attribute_exists(#l[2].k) AND #m.y.z = :z',
      { ':z': { S: 'zz' } },
      { '#l': 'l', '#m': 'm' },
    )
    expect(evaluateCondition(c, ITEM)).toBe(true)
    expect(evaluateCondition(cond('attribute_exists(l[3])'), ITEM)).toBe(false)
  })

  it('treats a missing item as having no attributes', () => {
    expect(evaluateCondition(cond('attribute_not_exists(pk)'), undefined)).toBe(true)
    expect(evaluateCondition(cond('attribute_exists(pk)'), undefined)).toBe(false)
  })
})

describe('compile errors', () => {
  const req = (r: ExpressionRequest) => () => compileExpressions(r)
  it.each<[string, ExpressionRequest, string]>([
    [
      'syntax',
      { UpdateExpression: 'SET =' },
      'Invalid UpdateExpression: Syntax error; token: "=", near: "SET ="',
    ],
    [
      'syntax at end',
      { ConditionExpression: 'a = ' },
      'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "= "',
    ],
    [
      'syntax mid',
      { ConditionExpression: 'a = b $ c' },
      'Invalid ConditionExpression: Syntax error; token: "$", near: "b $ c"',
    ],
    [
      'index',
      { ProjectionExpression: 'a[01]' },
      'Invalid ProjectionExpression: Syntax error; token: "1", near: "01]"',
    ],
    ['empty', { FilterExpression: '' }, 'Invalid FilterExpression: The expression can not be empty;'],
    [
      'reserved',
      { ProjectionExpression: 'a.name' },
      'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name',
    ],
    [
      'undefined name',
      { ProjectionExpression: '#x' },
      'Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #x',
    ],
    [
      'undefined value',
      { ConditionExpression: 'a = :x' },
      'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :x',
    ],
    [
      'unused value',
      { ConditionExpression: 'a = :x', ExpressionAttributeValues: { ':x': { N: '1' }, ':y': { N: '1' } } },
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:y}',
    ],
    [
      'names without expressions',
      { ExpressionAttributeNames: { '#a': 'a' } },
      'ExpressionAttributeNames can only be specified when using expressions',
    ],
    [
      'values without expressions',
      { ExpressionAttributeValues: { ':a': { N: '1' } }, operation: 'UpdateItem' },
      'ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null',
    ],
    [
      'overlap',
      { UpdateExpression: 'REMOVE a, a.b' },
      'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]',
    ],
    [
      'conflict',
      { ProjectionExpression: 'a.b, a[1]' },
      'Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [1]]',
    ],
    [
      'section twice',
      { UpdateExpression: 'SET a = b SET c = d' },
      'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;',
    ],
    [
      'redundant parentheses',
      { ConditionExpression: '((a = b))' },
      'Invalid ConditionExpression: The expression has redundant parentheses;',
    ],
    [
      'size as condition',
      { ConditionExpression: 'size(a)' },
      'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size',
    ],
    [
      'size in update',
      { UpdateExpression: 'SET a = size(b)' },
      'Invalid UpdateExpression: The function is not allowed in an update expression; function: size',
    ],
    [
      'same operand',
      { ConditionExpression: 'a < a' },
      'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: <, first operand: [a]',
    ],
    [
      'ADD a string',
      { UpdateExpression: 'ADD a :s', ExpressionAttributeValues: { ':s': { S: 'x' } } },
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND',
    ],
    [
      'first condition error in the text wins',
      { ConditionExpression: 'a < :t AND a = a', ExpressionAttributeValues: { ':t': { BOOL: true } } },
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: BOOL',
    ],
    [
      'last update type error in the text wins',
      {
        UpdateExpression: 'ADD a :s DELETE b :n',
        ExpressionAttributeValues: { ':s': { S: 'x' }, ':n': { N: '1' } },
      },
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND',
    ],
    [
      'invalid value',
      { ConditionExpression: 'a = :v', ExpressionAttributeValues: { ':v': { SS: [] } } },
      'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :v',
    ],
  ])('%s', (_name, r, message) => {
    expect(errorOf(req(r))).toBe(`ValidationException: ${message}`)
  })

  it('limits expressions to 4 KB', () => {
    const long = `a = :v${' OR a = :v'.repeat(500)}`
    expect(errorOf(req({ ConditionExpression: long, ExpressionAttributeValues: { ':v': { N: '1' } } }))).toBe(
      `ValidationException: Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: ${long.length}`,
    )
  })

  it('allows function names as attribute names', () => {
    expect(() => cond('size = :v AND contains.x = :v', { ':v': { N: '1' } })).not.toThrow()
  })
})

describe('updates', () => {
  it('computes SET values from the item before the update', () => {
    const out = applyUpdate(update('SET n = :v, prev = n, added = n + :v', { ':v': { N: '0.5' } }), ITEM)
    expect(out.n).toEqual({ N: '0.5' })
    expect(out.prev).toEqual({ N: '10' })
    expect(out.added).toEqual({ N: '10.5' })
    expect(ITEM.n).toEqual({ N: '10' })
  })

  it('appends past a list’s end and removes list elements by their old indexes', () => {
    const out = applyUpdate(update('SET l[9] = :a REMOVE l[0], l[1]', { ':a': { S: 'new' } }), ITEM)
    expect(out.l).toEqual({ L: [{ M: { k: { S: 'v' } } }, { S: 'new' }] })
  })

  it('adds to numbers and sets, deletes from sets, dropping empty sets', () => {
    const out = applyUpdate(
      update('ADD n :n, ss :ss, fresh :n DELETE ns :ns', {
        ':n': { N: '-10' },
        ':ss': { SS: ['b', 'c'] },
        ':ns': { NS: ['1.0', '2'] },
      }),
      ITEM,
    )
    expect(out.n).toEqual({ N: '0' })
    expect(out.ss).toEqual({ SS: ['a', 'b', 'c'] })
    expect(out.fresh).toEqual({ N: '-10' })
    expect(out.ns).toBeUndefined()
  })

  it('if_not_exists and list_append', () => {
    const out = applyUpdate(
      update('SET a = if_not_exists(a, :l), n = if_not_exists(n, :z), l = list_append(:l, l)', {
        ':l': { L: [{ S: 'x' }] },
        ':z': { N: '0' },
      }),
      ITEM,
    )
    expect(out.a).toEqual({ L: [{ S: 'x' }] })
    expect(out.n).toEqual({ N: '10' })
    expect((out.l as { L: AttributeValue[] }).L).toHaveLength(4)
  })

  it.each<[string, Record<string, AttributeValue>, string]>([
    ['SET a = nope', {}, 'The provided expression refers to an attribute that does not exist in the item'],
    [
      'SET a = s + :n',
      { ':n': { N: '1' } },
      'An operand in the update expression has an incorrect data type',
    ],
    [
      'SET nope.x = :n',
      { ':n': { N: '1' } },
      'The document path provided in the update expression is invalid for update',
    ],
    ['REMOVE nope.x', {}, 'The document path provided in the update expression is invalid for update'],
    ['ADD s :n', { ':n': { N: '1' } }, 'An operand in the update expression has an incorrect data type'],
    [
      'DELETE ss :ns',
      { ':ns': { NS: ['1'] } },
      'An operand in the update expression has an incorrect data type',
    ],
    [
      'SET n = :a + :b',
      { ':a': { N: '99999999999999999999999999999999999999' }, ':b': { N: '0.1' } },
      'Attempting to store more than 38 significant digits in a Number',
    ],
  ])('%s fails', (expr, values, message) => {
    expect(errorOf(() => applyUpdate(update(expr, values), ITEM))).toBe(`ValidationException: ${message}`)
  })

  it.each<[string, string]>([
    // Precedence seen on DynamoDB Local (see update.ts): type errors, then bad paths/missing operands last-first.
    ['SET q.r = :n ADD s :n', 'An operand in the update expression has an incorrect data type'],
    ['SET a = q.r, q.r = :n', 'The document path provided in the update expression is invalid for update'],
    [
      'SET q.r = :n, a = q.r',
      'The provided expression refers to an attribute that does not exist in the item',
    ],
    [
      'SET m.x = if_not_exists(m.x, l[9])',
      'The provided expression refers to an attribute that does not exist in the item',
    ],
    [
      'SET a = list_append(nope, n)',
      'The provided expression refers to an attribute that does not exist in the item',
    ],
    ['SET a = list_append(n, nope)', 'An operand in the update expression has an incorrect data type'],
    ['SET m.q.w = :n ADD s :n', 'The document path provided in the update expression is invalid for update'],
  ])('with several errors, %s reports one', (expr, message) => {
    expect(
      errorOf(() => applyUpdate(update(expr, expr.includes(':n') ? { ':n': { N: '1' } } : {}), ITEM)),
    ).toBe(`ValidationException: ${message}`)
  })

  it('names the top-level attributes it touches', () => {
    const names = updatedAttributeNames(
      update('SET m.x = :v, a = :v REMOVE l[0] ADD n :v', { ':v': { N: '1' } }),
    )
    expect(names.sort()).toEqual(['a', 'l', 'm', 'n'])
  })
})

describe('projections', () => {
  it('keeps the requested paths, list elements in index order', () => {
    const p = compileExpressions({ ProjectionExpression: 'l[2].k, l[0], m.y, nope, s' }).projection!
    expect(applyProjection(p, ITEM)).toEqual({
      l: { L: [{ S: 'l0' }, { M: { k: { S: 'v' } } }] },
      m: { M: { y: { M: { z: { S: 'zz' } } } } },
      s: { S: 'hello' },
    })
    expect(projectionTopLevelNames(p)).toEqual(['l', 'm', 'nope', 's'])
  })
})

describe('key conditions', () => {
  const key = (expr: string, values: Record<string, AttributeValue>) =>
    compileExpressions({ KeyConditionExpression: expr, ExpressionAttributeValues: values }).keyCondition!
  const schema = { hash: 'pk', range: 'sk', hashType: 'S', rangeType: 'S' } as const

  it('accepts = on the partition key and one sort key term, either side', () => {
    const kc = toKeyCondition(key(':p = pk AND :s > sk', { ':p': { S: 'a' }, ':s': { S: 'm' } }), schema)
    expect(kc).toEqual({
      partition: { attribute: 'pk', value: { S: 'a' } },
      sort: { attribute: 'sk', op: '<', values: [{ S: 'm' }] },
    })
    expect(sortKeyMatches(kc, { S: 'b' })).toBe(true)
    expect(sortKeyMatches(kc, { S: 'z' })).toBe(false)
  })

  it('matches BETWEEN and begins_with by UTF-8 order', () => {
    const between = toKeyCondition(
      key('pk = :p AND sk BETWEEN :a AND :b', {
        ':p': { S: 'a' },
        ':a': { S: '\uFF00' },
        ':b': { S: '\u{1F600}' },
      }),
      schema,
    )
    expect(sortKeyMatches(between, { S: '\uFFFF' })).toBe(true)
    const prefix = toKeyCondition(
      key('pk = :p AND begins_with(sk, :a)', { ':p': { S: 'a' }, ':a': { S: 'ab' } }),
      schema,
    )
    expect(sortKeyMatches(prefix, { S: 'abc' })).toBe(true)
    expect(sortKeyMatches(prefix, { S: 'a' })).toBe(false)
  })

  it.each<[string, Record<string, AttributeValue>, string]>([
    ['sk = :s', { ':s': { S: 'a' } }, 'Query condition missed key schema element: pk'],
    [
      'pk = :p AND foo = :s',
      { ':p': { S: 'a' }, ':s': { S: 'a' } },
      'Query condition missed key schema element: sk',
    ],
    ['pk > :p', { ':p': { S: 'a' } }, 'Query key condition not supported'],
    [
      'pk = :p OR sk = :s',
      { ':p': { S: 'a' }, ':s': { S: 'a' } },
      'Invalid operator used in KeyConditionExpression: OR',
    ],
    [
      'pk = :p AND pk = :p',
      { ':p': { S: 'a' } },
      'KeyConditionExpressions must only contain one condition per key',
    ],
    [
      'pk = :p AND size(sk) = :n',
      { ':p': { S: 'a' }, ':n': { N: '1' } },
      'KeyConditionExpressions cannot contain nested operations',
    ],
    [
      'pk = :n',
      { ':n': { N: '1' } },
      'One or more parameter values were invalid: Condition parameter type does not match schema type',
    ],
  ])('%s fails', (expr, values, message) => {
    expect(errorOf(() => toKeyCondition(key(expr, values), schema))).toBe(`ValidationException: ${message}`)
  })

  it('rejects a filter on key attributes', () => {
    const filter = compileExpressions({
      FilterExpression: 'sk = :v',
      ExpressionAttributeValues: { ':v': { S: 'a' } },
    }).filter!
    expect(errorOf(() => checkFilterAvoidsKeys(filter, schema))).toBe(
      'ValidationException: Filter Expression can only contain non-primary key attributes: Primary key attribute: sk',
    )
  })
})
