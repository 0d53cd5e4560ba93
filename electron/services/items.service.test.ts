import { describe, expect, it } from 'vitest'
import { parseExactJson } from '../../shared/domain/attribute-json'
import { fromRow, toRow } from './item-json'
import { formatExport } from './items.service'

// 38 significant digits, the smallest and the largest DynamoDB number.
const BIG = '12345678901234567890.123456789012345678'
const HUGE = '9.9999999999999999999999999999999999999E+125'

describe('export', () => {
  const rows = [
    toRow({
      pk: { S: 'a' },
      big: { N: BIG },
      tiny: { N: '1E-130' },
      m: { M: { huge: { N: HUGE } } },
      ns: { NS: [BIG] },
    }),
  ]

  it('JSON keeps every number exact and a number', () => {
    const text = formatExport(rows, 'json', ['pk'])
    expect(text).toContain(`"big": ${BIG}`)
    const back = (parseExactJson(text) as Record<string, unknown>[])[0]!
    // Read back with a lossless parser and written as DynamoDB would store it: the same numbers.
    expect(fromRow({ ...back, ns: new Set(back.ns as unknown[]) })).toEqual({
      pk: { S: 'a' },
      big: { N: BIG },
      tiny: { N: '1e-130' },
      m: { M: { huge: { N: HUGE } } },
      ns: { NS: [BIG] },
    })
  })

  it('CSV writes each number digit for digit', () => {
    const [header, line] = formatExport(rows, 'csv', ['pk']).trim().split('\n')
    expect(header).toBe('pk,big,tiny,m,ns')
    expect(line).toBe(`a,${BIG},1e-130,"{""huge"":${HUGE}}",[${BIG}]`)
  })
})
