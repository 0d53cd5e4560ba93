import { unmarshall } from '@aws-sdk/util-dynamodb'
import { describe, expect, it } from 'vitest'
import { LosslessNumber } from '../../shared/domain/attribute-json'
import {
  fromRow,
  itemFromJson,
  itemToJson,
  parseRowsText,
  rowFromJson,
  rowsText,
  rowToJson,
  toRow,
} from './item-json'

describe('item JSON', () => {
  it('round-trips every attribute type, binary as base64', () => {
    const json = {
      s: { S: 'x' },
      n: { N: '1.5' },
      b: { B: Buffer.from([0, 255, 7]).toString('base64') },
      bool: { BOOL: false },
      nul: { NULL: true as const },
      ss: { SS: ['a', 'b'] },
      ns: { NS: ['1', '2'] },
      bs: { BS: [Buffer.from('hi').toString('base64')] },
      l: { L: [{ S: 'a' }, { B: Buffer.from('z').toString('base64') }] },
      m: { M: { inner: { N: '3' } } },
    }
    const sdk = itemFromJson(json)
    expect(sdk.b?.B).toBeInstanceOf(Uint8Array)
    expect(Array.from(sdk.b!.B!)).toEqual([0, 255, 7])
    expect(itemToJson(sdk)).toEqual(json)
  })
})

// DynamoDB's extremes: 38 significant digits, the smallest and the largest magnitude
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.Number).
const BIG = '12345678901234567890.123456789012345678'
const TINY = '1E-130'
const HUGE = '9.9999999999999999999999999999999999999E+125'

describe('rows with numbers beyond JS precision', () => {
  const sdk = {
    pk: { S: 'a' },
    big: { N: BIG },
    tiny: { N: TINY },
    huge: { N: HUGE },
    small: { N: '42' },
    ns: { NS: ['1', BIG] },
    deep: { M: { l: { L: [{ N: HUGE }, { NS: [TINY] }] } } },
  }

  it('toRow keeps them (the SDK default throws) and fromRow writes them back exactly', () => {
    expect(() => unmarshall(sdk)).toThrow(/BigInt|SAFE_INTEGER/)
    const row = toRow(sdk)
    expect(row.small).toBe(42)
    expect(row.tiny).toBe(1e-130)
    expect(String(row.big)).toBe(BIG)
    expect(fromRow(row)).toEqual({
      ...sdk,
      tiny: { N: '1e-130' },
      deep: { M: { l: { L: [{ N: HUGE }, { NS: ['1e-130'] }] } } },
    })
  })

  it('a number set mixing JS numbers and exact numbers is written as one NS', () => {
    expect(fromRow({ ns: new Set([1, new LosslessNumber(BIG)]) })).toEqual({ ns: { NS: ['1', BIG] } })
  })

  it('contract JSON → row → contract JSON is the identity on them', () => {
    const json = itemToJson(sdk)
    expect(rowToJson(rowFromJson(json))).toEqual({
      ...json,
      tiny: { N: '1e-130' },
      deep: { M: { l: { L: [{ N: HUGE }, { NS: ['1e-130'] }] } } },
    })
  })

  it('JSON text of rows has exact number literals; parsing it gives them back', () => {
    const text = rowsText([toRow(sdk)], 2)
    expect(text).toContain(`"big": ${BIG}`)
    expect(text).toContain(`"huge": ${HUGE}`)
    const back = (parseRowsText(text) as Record<string, unknown>[])[0]!
    expect(fromRow(back).big).toEqual({ N: BIG })
    expect(fromRow(back).huge).toEqual({ N: HUGE })
  })
})
