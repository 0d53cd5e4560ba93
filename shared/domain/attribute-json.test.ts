import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  AttributeJsonError,
  compareBinary,
  compareNumbers,
  compareUtf8,
  displayValue,
  itemSize,
  itemToPlain,
  normalizeNumber,
  numberToPlain,
  parseItemJson,
  plainToItem,
} from './attribute-json'

const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))

describe('DynamoDB JSON ⇄ plain JSON', () => {
  test('converts every type to plain JSON', () => {
    expect(
      itemToPlain({
        pk: { S: 'MSG#1' },
        n: { N: '1.50' },
        big: { N: '12345678901234567890123456789' },
        ok: { BOOL: true },
        nothing: { NULL: true },
        tags: { SS: ['a', 'b'] },
        nums: { NS: ['1', '2'] },
        list: { L: [{ S: 'x' }, { N: '3' }] },
        map: { M: { inner: { S: 'y' } } },
      }),
    ).toEqual({
      pk: 'MSG#1',
      n: 1.5,
      big: '12345678901234567890123456789',
      ok: true,
      nothing: null,
      tags: ['a', 'b'],
      nums: [1, 2],
      list: ['x', 3],
      map: { inner: 'y' },
    })
  })

  test('back to DynamoDB JSON keeps the original types as hints', () => {
    const original = {
      pk: { S: 'A' },
      tags: { SS: ['a'] },
      big: { N: '12345678901234567890123456789' },
      bin: { B: 'AAE=' },
      list: { L: [{ S: 'x' }] },
    }
    const plain = itemToPlain(original)
    expect(plainToItem(plain, original)).toEqual(original)
    // Without hints a string array is a list and a numeric string is a string.
    expect(plainToItem(plain)).toEqual({
      pk: { S: 'A' },
      tags: { L: [{ S: 'a' }] },
      big: { S: '12345678901234567890123456789' },
      bin: { S: 'AAE=' },
      list: { L: [{ S: 'x' }] },
    })
  })

  test('round-trips any plain JSON item', () => {
    const plainValue = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(fc.string({ minLength: 1 }), tie('value'), { maxKeys: 3 }),
      ),
    })).value
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), plainValue, { maxKeys: 5 }), (plain) => {
        const item = plainToItem(plain)
        expect(itemToPlain(item)).toEqual(plain)
        expect(plainToItem(itemToPlain(item), item)).toEqual(item)
      }),
    )
  })

  test('an attribute named __proto__ is kept as an attribute in every direction', () => {
    const plain = JSON.parse('{"pk":"a","__proto__":{"__proto__":"x"}}') as Record<string, unknown>
    const item = plainToItem(plain)
    expect(Object.keys(item)).toEqual(['pk', '__proto__'])
    expect(item['__proto__']).toEqual({ M: JSON.parse('{"__proto__":{"S":"x"}}') })
    expect(Object.keys(itemToPlain(item))).toEqual(['pk', '__proto__'])
    const typed = parseItemJson(JSON.parse('{"__proto__":{"M":{"__proto__":{"N":"1"}}}}'))
    expect(Object.keys(typed)).toEqual(['__proto__'])
    expect(Object.getPrototypeOf(typed)).toBe(Object.prototype)
  })

  test('rejects what is not an item, naming the attribute', () => {
    expect(() => plainToItem([1])).toThrow(AttributeJsonError)
    expect(() => parseItemJson({ pk: { S: 1 } })).toThrow(/pk: S holds a string/)
    expect(() => parseItemJson({ pk: { S: 'a', N: '1' } })).toThrow(/pk: expected exactly one/)
    expect(() => parseItemJson({ m: { M: { x: { N: 'ten' } } } })).toThrow(/m\.x: N holds a number/)
    expect(() => parseItemJson({ s: { SS: [] } })).toThrow(/non-empty/)
    expect(parseItemJson({ a: { L: [{ NULL: true }] } })).toEqual({ a: { L: [{ NULL: true }] } })
  })

  test('numbers: exact ones become JS numbers, others stay text', () => {
    expect(numberToPlain('42')).toBe(42)
    expect(numberToPlain('-0.25')).toBe(-0.25)
    expect(numberToPlain('9007199254740993')).toBe('9007199254740993')
    expect(numberToPlain('0.1000000000000000000001')).toBe('0.1000000000000000000001')
    expect(normalizeNumber('0012.3400')).toBe('12.34')
    expect(normalizeNumber('1.5e3')).toBe('1500')
    expect(normalizeNumber('-0.00')).toBe('0')
  })

  test('display text is short and typed', () => {
    expect(displayValue({ S: 'x'.repeat(200) }, 10)).toBe(`${'x'.repeat(9)}…`)
    expect(displayValue({ M: { a: { N: '1' } } })).toBe('{"a":1}')
    expect(displayValue(undefined)).toBe('')
  })
})

describe('key ordering', () => {
  test('S orders by UTF-8 bytes, unlike JS string comparison', () => {
    const astral = '\u{1F600}' // a surrogate pair in UTF-16, 4 bytes in UTF-8
    const bmpHigh = '\uFF01' // U+FF01: 3 bytes in UTF-8, a code unit above the surrogates in UTF-16
    expect(astral < bmpHigh).toBe(true) // JS code units put the emoji first…
    expect(compareUtf8(astral, bmpHigh)).toBeGreaterThan(0) // …UTF-8 puts it last, as DynamoDB does
    expect(compareUtf8('a', 'ab')).toBeLessThan(0)
    expect(compareUtf8('B', 'a')).toBeLessThan(0)
  })

  test('S ordering agrees with Buffer byte order on any strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        expect(Math.sign(compareUtf8(a, b))).toBe(Math.sign(utf8Order(a, b)))
      }),
    )
  })

  test('N orders numerically, exactly, beyond float precision', () => {
    expect(compareNumbers('10', '9')).toBeGreaterThan(0)
    expect(compareNumbers('-10', '-9')).toBeLessThan(0)
    expect(compareNumbers('1.50', '1.5')).toBe(0)
    expect(compareNumbers('0.001', '0.01')).toBeLessThan(0)
    expect(compareNumbers('12345678901234567890123456789', '12345678901234567890123456788')).toBeGreaterThan(0)
    fc.assert(
      fc.property(fc.integer(), fc.integer(), (a, b) => {
        expect(Math.sign(compareNumbers(String(a), String(b)))).toBe(Math.sign(a - b))
      }),
    )
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.double({ noNaN: true, noDefaultInfinity: true }), (a, b) => {
        expect(Math.sign(compareNumbers(String(a), String(b)))).toBe(Math.sign(a - b) || 0)
      }),
    )
  })

  test('B orders as unsigned bytes', () => {
    const b64 = (bytes: number[]) => Buffer.from(bytes).toString('base64')
    expect(compareBinary(b64([0x7f]), b64([0x80]))).toBeLessThan(0)
    expect(compareBinary(b64([1, 2]), b64([1]))).toBeGreaterThan(0)
  })
})

describe('item size', () => {
  test('counts attribute names and UTF-8 values', () => {
    expect(itemSize({ pk: { S: 'abc' } })).toBe(5)
    expect(itemSize({ e: { S: 'é' } })).toBe(3)
    expect(itemSize({ b: { BOOL: true } })).toBe(2)
  })
})
