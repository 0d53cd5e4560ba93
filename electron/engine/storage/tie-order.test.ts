import { describe, expect, it } from 'vitest'
import type { Item } from '../types'
import { tieBreakFor, tieDigest, type KeyNames } from './tie-order'

const S = (s: string) => ({ S: s })
const N = (n: number) => ({ N: String(n) })

/** Sorts "pk|sk" keys by their tie digest, as DynamoDB Local orders entries with equal index keys. */
function tieOrder(keys: string[], table: KeyNames, index: KeyNames, numericSk: boolean): string[] {
  const kind = tieBreakFor(index, table)
  if (kind === undefined) throw new Error('expected a tie-break')
  const items = keys.map((k) => {
    const [pk = '', sk = ''] = k.split('|')
    return { key: k, item: { pk: S(pk), sk: numericSk ? N(Number(sk)) : S(sk) } as Item }
  })
  return items
    .sort((a, b) => Buffer.compare(tieDigest(a.item, table, kind), tieDigest(b.item, table, kind)))
    .map((x) => x.key)
}

// Orders below were read from DynamoDB Local 3.3.1 (Query on the index, ScanIndexForward true, equal index keys).
describe('index tie order as DynamoDB Local keeps it', () => {
  const table = { hash: 'pk', range: 'sk' }

  it('a GSI on other attributes breaks ties by a digest of the whole table key', () => {
    const local = ['a|2', 'a|10', 'a|1', 'b|1', 'a|3', 'aa|3', 'b|10', 'b|3', 'B|1', 'c|2']
    expect(tieOrder([...local].reverse(), table, { hash: 'gpk', range: 'gsk' }, false)).toEqual(local)
  })

  it('an LSI breaks ties by a digest of the table sort key', () => {
    const local = ['a|1', 'a|3', 'a|10', 'a|2']
    expect(tieOrder([...local].sort(), table, { hash: 'pk', range: 'lsk' }, false)).toEqual(local)
  })

  it('numbers are digested in their DynamoDB Local encoding (sign, exponent, base-100 pairs)', () => {
    // A GSI (g, gs) over a table with a numeric sort key, then a hash-only GSI over the same items.
    const gsi = ['aa|-1', 'c|10', 'c|30', 'B|2', 'b|-1', 'a|2']
    expect(tieOrder([...gsi].sort(), table, { hash: 'g', range: 'gs' }, true)).toEqual(gsi)
    const hashOnly = ['b|30', 'aa|2', 'aa|-1', 'c|10', 'c|-1', 'a|10', 'a|30', 'c|30', 'B|2', 'b|-1']
    expect(tieOrder([...hashOnly].sort(), table, { hash: 'g' }, true)).toEqual(hashOnly)
    // LSI ties within partition a: sort keys 2 before 30 (one tie), 10 before -1 (another).
    expect(tieOrder(['a|30', 'a|2'], table, { hash: 'pk', range: 'ls' }, true)).toEqual(['a|2', 'a|30'])
    expect(tieOrder(['a|-1', 'a|10'], table, { hash: 'pk', range: 'ls' }, true)).toEqual(['a|10', 'a|-1'])
  })

  it('needs no tie-break when the index key holds the whole table key', () => {
    expect(tieBreakFor({ hash: 'sk', range: 'pk' }, table)).toBeUndefined()
    expect(tieBreakFor({ hash: 'g', range: 'sk' }, table)).toBe('hash')
    expect(tieBreakFor({ hash: 'g' }, { hash: 'pk' })).toBe('hash')
    expect(tieBreakFor({ hash: 'pk', range: 'x' }, { hash: 'pk' })).toBeUndefined()
  })
})
