import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { DynamoError } from '../types'
import type { AttributeValue } from '../types'
import {
  attributeSizeBytes,
  attributeValuesEqual,
  compareAttributeValues,
  compareUtf8,
  itemSizeBytes,
  keyString,
  normalizeNumber,
  validateAttributeValue,
  validateItem,
} from './index'

function errorOf(fn: () => unknown): { type: string; message: string } {
  try {
    fn()
  } catch (e) {
    if (e instanceof DynamoError) return { type: e.type, message: e.message }
    throw e
  }
  throw new Error('expected a DynamoError')
}

describe('normalizeNumber', () => {
  it.each([
    ['1.50', '1.5'],
    ['-0', '0'],
    ['0.000', '0'],
    ['1e3', '1000'],
    ['00012.3400', '12.34'],
    ['+1.50', '1.5'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['-12e-3', '-0.012'],
    ['1E+2', '100'],
    ['1000000000000000000000000000000000000000000000', '1000000000000000000000000000000000000000000000'],
  ])('%s -> %s', (input, out) => {
    expect(normalizeNumber(input)).toBe(out)
  })

  it('accepts the range limits', () => {
    expect(normalizeNumber('1e-130')).toBe(`0.${'0'.repeat(129)}1`)
    expect(normalizeNumber('9.9999999999999999999999999999999999999E+125')).toBe(
      `${'9'.repeat(38)}${'0'.repeat(88)}`,
    )
  })

  it.each([
    ['abc', 'The parameter cannot be converted to a numeric value: abc'],
    ['', 'The parameter cannot be converted to a numeric value'],
    [' 1', 'The parameter cannot be converted to a numeric value:  1'],
    ['0x10', 'The parameter cannot be converted to a numeric value: 0x10'],
    ['Infinity', 'The parameter cannot be converted to a numeric value: Infinity'],
    ['NaN', 'The parameter cannot be converted to a numeric value: NaN'],
    ['1e126', 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
    ['-1e126', 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
    ['1e-131', 'Number underflow. Attempting to store a number with magnitude smaller than supported range'],
    [
      '1.234567890123456789012345678901234567891',
      'Attempting to store more than 38 significant digits in a Number',
    ],
  ])('rejects %j', (input, message) => {
    expect(errorOf(() => normalizeNumber(input))).toEqual({ type: 'ValidationException', message })
  })
})

describe('validateItem', () => {
  it('returns a normalized copy', () => {
    const input = { a: { N: '1.50' }, b: { NS: ['2.0', '1'] }, c: { M: { d: { L: [{ N: '-0' }] } } } }
    const out = validateItem(input)
    expect(out).toEqual({ a: { N: '1.5' }, b: { NS: ['2', '1'] }, c: { M: { d: { L: [{ N: '0' }] } } } })
    expect(input.a.N).toBe('1.50')
  })

  it.each<[unknown, string]>([
    [{ SS: [] }, 'One or more parameter values were invalid: An string set  may not be empty'],
    [{ NS: [] }, 'One or more parameter values were invalid: An number set  may not be empty'],
    [{ BS: [] }, 'One or more parameter values were invalid: Binary sets should not be empty'],
    [
      { SS: ['a', 'a'] },
      'One or more parameter values were invalid: Input collection [a, a] contains duplicates.',
    ],
    [{ NS: ['1', '1.0'] }, 'Input collection contains duplicates'],
    [{}, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'],
    [
      { M: { y: {} } },
      'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
    ],
    [
      { NULL: false },
      'One or more parameter values were invalid: Null attribute value types must have the value of true',
    ],
    [
      { S: 'a', N: '1' },
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    ],
  ])('rejects %j', (value, message) => {
    expect(errorOf(() => validateItem({ x: value }))).toEqual({ type: 'ValidationException', message })
  })

  it('allows 31 nested containers and rejects 32', () => {
    let ok: AttributeValue = { S: 'x' }
    for (let i = 0; i < 31; i++) ok = { L: [ok] }
    expect(() => validateItem({ x: ok })).not.toThrow()
    expect(errorOf(() => validateItem({ x: { M: { a: ok } } })).message).toMatch(
      /^Nesting Levels have exceeded/,
    )
  })

  it('rejects non-base64 binaries', () => {
    expect(errorOf(() => validateAttributeValue({ B: 'a*b' }, 'x')).type).toBe('SerializationException')
  })
})

describe('ordering and equality', () => {
  it('orders strings by UTF-8 bytes, not UTF-16 units', () => {
    const astral = '\u{1F600}' // surrogate pair in UTF-16, 4 bytes in UTF-8
    const bmpHigh = '\uFF61'
    expect(bmpHigh < astral).toBe(false) // JS order disagrees with DynamoDB's
    expect(compareUtf8(bmpHigh, astral)).toBe(-1)
    expect(compareAttributeValues({ S: 'a' }, { S: 'ab' })).toBe(-1)
  })

  it('compareUtf8 agrees with Buffer.compare of the UTF-8 encodings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        expect(compareUtf8(a, b)).toBe(Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))))
      }),
      { numRuns: 300 },
    )
  })

  it('orders numbers numerically and binaries bytewise', () => {
    expect(compareAttributeValues({ N: '10' }, { N: '9' })).toBe(1)
    expect(compareAttributeValues({ N: '-10' }, { N: '-9.5' })).toBe(-1)
    expect(compareAttributeValues({ N: '1.0' }, { N: '1' })).toBe(0)
    expect(compareAttributeValues({ B: Buffer.from([0x7f]).toString('base64') }, { B: 'gA==' })).toBe(-1)
  })

  it('compares deeply, sets ignoring order', () => {
    expect(attributeValuesEqual({ NS: ['1', '2.0'] }, { NS: ['2', '1'] })).toBe(true)
    expect(attributeValuesEqual({ SS: ['a', 'b'] }, { SS: ['b', 'c'] })).toBe(false)
    expect(attributeValuesEqual({ M: { a: { L: [{ N: '1' }] } } }, { M: { a: { L: [{ N: '1.0' }] } } })).toBe(
      true,
    )
    expect(attributeValuesEqual({ M: { a: { S: 'x' } } }, { M: { b: { S: 'x' } } })).toBe(false)
    expect(attributeValuesEqual({ S: '1' }, { N: '1' })).toBe(false)
  })

  it('keyString identifies key values by value', () => {
    expect(keyString({ N: '1.50' })).toBe(keyString({ N: '1.5' }))
    expect(keyString({ S: '1' })).not.toBe(keyString({ N: '1' }))
  })
})

describe('item size', () => {
  it('counts names and values as DynamoDB documents', () => {
    expect(attributeSizeBytes({ S: 'héllo' })).toBe(6)
    expect(attributeSizeBytes({ N: '0' })).toBe(1)
    expect(attributeSizeBytes({ N: '1' })).toBe(2)
    expect(attributeSizeBytes({ N: '12' })).toBe(2)
    expect(attributeSizeBytes({ N: '1.2' })).toBe(3)
    expect(attributeSizeBytes({ N: '-1' })).toBe(3)
    expect(attributeSizeBytes({ BOOL: true })).toBe(1)
    expect(attributeSizeBytes({ L: [] })).toBe(3)
    expect(attributeSizeBytes({ L: [{ S: 'ab' }] })).toBe(6)
    expect(attributeSizeBytes({ M: { ab: { S: 'c' } } })).toBe(7)
    expect(itemSizeBytes({ pk: { S: 'abc' }, n: { N: '123' } })).toBe(5 + 1 + 3)
  })
})
