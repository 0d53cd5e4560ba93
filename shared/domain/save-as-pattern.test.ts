import { describe, expect, it } from 'vitest'
import { parseExactJson } from './attribute-json'
import { Model, parseModel } from './model'
import { addPatternToModelJson, liftOperation, LiftError, patternIdFrom } from './save-as-pattern'

const model = Model.parse({
  name: 'shop',
  tables: [
    {
      name: 'shop',
      attributeDefinitions: [
        { attributeName: 'PK', attributeType: 'S' },
        { attributeName: 'SK', attributeType: 'S' },
        { attributeName: 'GSI1PK', attributeType: 'S' },
        { attributeName: 'n', attributeType: 'N' },
      ],
      keySchema: [
        { attributeName: 'PK', keyType: 'HASH' },
        { attributeName: 'SK', keyType: 'RANGE' },
      ],
      globalSecondaryIndexes: [
        {
          indexName: 'by-n',
          keySchema: [
            { attributeName: 'GSI1PK', keyType: 'HASH' },
            { attributeName: 'n', keyType: 'RANGE' },
          ],
          projection: { projectionType: 'ALL' },
        },
      ],
    },
  ],
  entities: [
    { name: 'Order', table: 'shop', keys: { PK: 'ORDER#{orderId}', SK: 'LINE#{lineNo}' } },
    { name: 'Customer', table: 'shop', keys: { PK: 'CUST#{customerId}', SK: '{placedAt}' } },
  ],
  accessPatterns: [{ id: 'lines', name: 'Lines', operation: 'Scan', table: 'shop' }],
})

describe('liftOperation', () => {
  it("reuses the entity's key template: ORDER#123 on ORDER#{orderId} becomes parameter orderId", () => {
    const r = liftOperation(
      model,
      {
        operation: 'Query',
        table: 'shop',
        partitionValue: 'ORDER#123',
        sortOperator: '=',
        sortValue: 'LINE#7',
      },
      { name: 'Order line' },
    )
    expect(r.pattern).toMatchObject({
      id: 'order-line',
      operation: 'Query',
      table: 'shop',
      entity: 'Order',
      keyCondition: '#PK = :PK AND #SK = :SK',
      values: { ':PK': 'ORDER#{orderId}', ':SK': 'LINE#{lineNo}' },
    })
    expect(r.params.map((p) => [p.name, p.value, p.template])).toEqual([
      ['orderId', '123', 'ORDER#{orderId}'],
      ['lineNo', '7', 'LINE#{lineNo}'],
    ])
    expect(r.pattern.params).toEqual([
      expect.objectContaining({ name: 'orderId', type: 'string', default: '123' }),
      expect.objectContaining({ name: 'lineNo', type: 'string', default: '7' }),
    ])
  })

  it("keeps a begins_with on exactly an entity's key prefix as a constant, and lifts a longer prefix", () => {
    const exact = liftOperation(
      model,
      {
        operation: 'Query',
        table: 'shop',
        partitionValue: 'ORDER#9',
        sortOperator: 'begins_with',
        sortValue: 'LINE#',
      },
      { name: 'All lines' },
    )
    expect(exact.pattern.keyCondition).toBe('#PK = :PK AND begins_with(#SK, :SK)')
    expect(exact.pattern.values).toEqual({ ':PK': 'ORDER#{orderId}', ':SK': 'LINE#' })
    expect(exact.params.map((p) => p.name)).toEqual(['orderId'])
    expect(exact.notes.join(' ')).toContain("Order's key prefix")

    const longer = liftOperation(
      model,
      {
        operation: 'Query',
        table: 'shop',
        partitionValue: 'CUST#ann',
        sortOperator: 'begins_with',
        sortValue: '2026-',
      },
      { name: 'Orders of a year' },
    )
    expect(longer.pattern.entity).toBe('Customer')
    expect(longer.pattern.values).toEqual({ ':PK': 'CUST#{customerId}', ':SK': '{placedAt_prefix}' })
    expect(longer.params.map((p) => [p.name, p.value])).toEqual([
      ['customerId', 'ann'],
      ['placedAt_prefix', '2026-'],
    ])
  })

  it('gives BETWEEN two parameters, and a literal that fits no template a parameter named after its attribute', () => {
    const r = liftOperation(
      model,
      {
        operation: 'Query',
        table: 'shop',
        partitionValue: 'TENANT#1',
        sortOperator: 'BETWEEN',
        sortValue: 'a',
        sortValue2: 'm',
        direction: 'desc',
        limit: 5,
      },
      { name: 'Between' },
    )
    expect(r.pattern.keyCondition).toBe('#PK = :PK AND #SK BETWEEN :SK_from AND :SK_to')
    expect(r.pattern.values).toEqual({ ':PK': '{PK}', ':SK_from': '{SK_from}', ':SK_to': '{SK_to}' })
    expect(r.pattern).toMatchObject({ direction: 'desc', limit: 5 })
    expect(r.pattern.entity).toBeUndefined()
  })

  it('types a number key parameter from the attribute definitions, on an index', () => {
    const r = liftOperation(
      model,
      {
        operation: 'Query',
        table: 'shop',
        index: 'by-n',
        partitionValue: 'X',
        sortOperator: '>=',
        sortValue: '12345678901234567890',
      },
      { name: 'Big n' },
    )
    expect(r.pattern).toMatchObject({ index: 'by-n', expectations: { servedBy: 'Query', index: 'by-n' } })
    // Beyond JS precision the default stays text, so no digit is lost.
    expect(r.params.find((p) => p.attribute === 'n')).toMatchObject({
      name: 'n',
      type: 'number',
      value: '12345678901234567890',
    })
  })

  it('turns a GetItem key and a Scan filter into parameters', () => {
    const get = liftOperation(
      model,
      {
        operation: 'GetItem',
        table: 'shop',
        key: parseExactJson('{"PK":"ORDER#5","SK":"LINE#1"}') as Record<string, unknown>,
      },
      { name: 'One line' },
    )
    expect(get.pattern.key).toEqual({ PK: 'ORDER#{orderId}', SK: 'LINE#{lineNo}' })
    expect(get.pattern.expectations).toEqual({ servedBy: 'GetItem', index: null })

    const scan = liftOperation(
      model,
      {
        operation: 'Scan',
        table: 'shop',
        filters: [
          { attribute: 'status', operator: '=', value: 'open' },
          { attribute: 'total', operator: 'BETWEEN', type: 'N', value: '10', value2: '20' },
          { attribute: 'paid', operator: '=', type: 'BOOL', value: 'true' },
          { attribute: 'note', operator: 'attribute_not_exists' },
        ],
        consistentRead: true,
      },
      { name: 'Open orders', description: 'slow' },
    )
    expect(scan.pattern.filter).toBe(
      '#status = :status AND #total BETWEEN :total_from AND :total_to AND #paid = :paid AND attribute_not_exists(#note)',
    )
    expect(scan.pattern.values).toEqual({
      ':status': '{status}',
      ':total_from': '{total_from}',
      ':total_to': '{total_to}',
      ':paid': true,
    })
    expect(scan.params.map((p) => [p.name, p.type, p.value])).toEqual([
      ['status', 'string', 'open'],
      ['total_from', 'number', 10],
      ['total_to', 'number', 20],
    ])
    expect(scan.notes).toContain('consistent read is not part of an access pattern: not kept')
  })

  it('refuses what a pattern cannot express, naming the field', () => {
    const refuse = (op: Parameters<typeof liftOperation>[1], field: string, text: RegExp) => {
      try {
        liftOperation(model, op, { name: 'x' })
        expect.unreachable('should have thrown')
      } catch (err) {
        expect(err).toBeInstanceOf(LiftError)
        expect((err as LiftError).field).toBe(field)
        expect((err as Error).message).toMatch(text)
      }
    }
    refuse({ operation: 'PutItem', table: 'shop' }, 'operation', /only a Query, Scan or GetItem/)
    refuse({ operation: 'Query', table: 'other' }, 'table', /no table "other"/)
    refuse({ operation: 'Query', table: 'shop' }, 'partitionValue', /partition key value/)
    refuse(
      {
        operation: 'Query',
        table: 'shop',
        index: 'by-n',
        partitionValue: 'X',
        sortOperator: '=',
        sortValue: 'abc',
      },
      'sortValue',
      /not a number/,
    )
    refuse(
      { operation: 'Scan', table: 'shop', filters: [{ attribute: 'a-b', operator: '=', value: '1' }] },
      'filters[0]',
      /cannot be named/,
    )
    refuse(
      { operation: 'Scan', table: 'shop', filters: [{ attribute: 'a', operator: '=', type: 'NULL' }] },
      'filters[0]',
      /NULL/,
    )
  })

  it('adds the pattern to the model JSON, which then passes the model schema', () => {
    const r = liftOperation(
      model,
      { operation: 'Query', table: 'shop', partitionValue: 'ORDER#1' },
      { name: 'Lines' },
    )
    expect(r.pattern.id).toBe('lines-2')
    const json = JSON.parse(JSON.stringify(model)) as Record<string, unknown>
    const next = addPatternToModelJson(json, r.pattern)
    const parsed = parseModel(next)
    expect(parsed.ok).toBe(true)
    if (parsed.ok) expect(parsed.model.accessPatterns.map((p) => p.id)).toEqual(['lines', 'lines-2'])
    expect((json.accessPatterns as unknown[]).length).toBe(1)
  })
})

describe('patternIdFrom', () => {
  it('slugs the name and avoids taken ids', () => {
    expect(patternIdFrom('Messages of a group!', [])).toBe('messages-of-a-group')
    expect(patternIdFrom('A', ['a', 'a-2'])).toBe('a-3')
    expect(patternIdFrom('###', [])).toBe('pattern')
  })
})
