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
  LosslessNumber,
  normalizeNumber,
  numberToPlain,
  parseExactJson,
  parseItemJson,
  plainToItem,
  stringifyExactJson,
} from './attribute-json'

const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))

// DynamoDB's extremes: 38 significant digits, the smallest and the largest magnitude
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.Number).
const BIG = '12345678901234567890.123456789012345678'
const TINY = '1E-130'
const HUGE = '9.9999999999999999999999999999999999999E+125'

describe('exact numbers in JSON text', () => {
  test("the inspector's plain JSON shows 38-digit, tiny and huge numbers as exact literals and reads them back", () => {
    const item = {
      pk: { S: 'a' },
      big: { N: BIG },
      tiny: { N: TINY },
      huge: { N: HUGE },
      ns: { NS: [BIG, '1'] },
      l: { L: [{ N: HUGE }] },
    }
    const text = stringifyExactJson(itemToPlain(item), 2)
    expect(text).toContain(`"big": ${BIG},`)
    expect(text).toContain(`"huge": ${HUGE},`)
    expect(text).toContain('"tiny": 1e-130,')
    // With the stored item as hint (a save), and without one (a new item typed by hand).
    expect(plainToItem(parseExactJson(text), item)).toEqual({ ...item, tiny: { N: '1e-130' } })
    const typed = plainToItem(parseExactJson(`{"pk":"b","n":${BIG},"m":{"x":${HUGE}}}`))
    expect(typed).toEqual({ pk: { S: 'b' }, n: { N: BIG }, m: { M: { x: { N: HUGE } } } })
    // JSON.parse would have rounded: the reason for parseExactJson.
    expect(plainToItem(JSON.parse(`{"n":${BIG}}`))).not.toEqual({ n: { N: BIG } })
  })

  test('DynamoDB JSON text keeps N strings as they are', () => {
    const item = { big: { N: BIG }, huge: { N: HUGE } }
    expect(parseItemJson(parseExactJson(stringifyExactJson(item, 2)))).toEqual(item)
  })

  test('a byte order mark is ignored, absurd nesting and repeated keys are refused', () => {
    expect(parseExactJson(`\uFEFF{"a":${BIG}}`)).toEqual({ a: new LosslessNumber(BIG) })
    expect(() => parseExactJson('['.repeat(100_000))).toThrow(/nested more than 200 levels/)
    expect(() => parseExactJson('{"s":"[[[[","a":' + '['.repeat(10) + ']'.repeat(10) + '}', 5)).toThrow(
      /nested more than 5/,
    )
    expect(parseExactJson('{"s":"[[[[[[[[","a":[]}', 5)).toEqual({ s: '[[[[[[[[', a: [] })
    expect(() => parseExactJson('{"a":1,"a":2}')).toThrow(/Duplicate key/)
  })

  test('sets become arrays and binary base64', () => {
    expect(stringifyExactJson({ s: new Set([new LosslessNumber(BIG)]), b: new Uint8Array([0, 255]) })).toBe(
      `{"s":[${BIG}],"b":"AP8="}`,
    )
  })
})

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
      big: new LosslessNumber('12345678901234567890123456789'),
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
    // Without hints a string array is a list; a big number is still a number.
    expect(plainToItem(plain)).toEqual({
      pk: { S: 'A' },
      tags: { L: [{ S: 'a' }] },
      big: { N: '12345678901234567890123456789' },
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

  test('numbers: exact ones become JS numbers, others keep their decimal text', () => {
    expect(numberToPlain('42')).toBe(42)
    expect(numberToPlain('-0.25')).toBe(-0.25)
    expect(numberToPlain('1E-130')).toBe(1e-130)
    expect(numberToPlain('9007199254740993')).toEqual(new LosslessNumber('9007199254740993'))
    expect(numberToPlain('0.1000000000000000000001')).toEqual(new LosslessNumber('0.1000000000000000000001'))
    // JSON cannot spell "+.5E1"; it is written out in full rather than refused.
    expect(numberToPlain('+.50000000000000000001E1')).toEqual(new LosslessNumber('5.0000000000000000001'))
    expect(normalizeNumber('0012.3400')).toBe('12.34')
    expect(normalizeNumber('1.5e3')).toBe('1500')
    expect(normalizeNumber('-0.00')).toBe('0')
  })

  test('display text is short and typed', () => {
    expect(displayValue({ M: { big: { N: BIG } } })).toBe(`{"big":${BIG}}`)
    expect(displayValue({ N: HUGE })).toBe(HUGE)
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
    expect(compareNumbers('12345678901234567890123456789', '12345678901234567890123456788')).toBeGreaterThan(
      0,
    )
    fc.assert(
      fc.property(fc.integer(), fc.integer(), (a, b) => {
        expect(Math.sign(compareNumbers(String(a), String(b)))).toBe(Math.sign(a - b))
      }),
    )
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        (a, b) => {
          expect(Math.sign(compareNumbers(String(a), String(b)))).toBe(Math.sign(a - b) || 0)
        },
      ),
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
