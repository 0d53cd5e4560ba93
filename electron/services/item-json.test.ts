import { describe, expect, it } from 'vitest'
import { itemFromJson, itemToJson } from './item-json'

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
