import { describe, expect, test } from 'vitest'
import type { ItemJson } from '../../../shared/contract/channels/workbench'
import { itemsToCsv, jsonlLine, parseDataFile, plainJsonItem } from './data-files'

/** Every DynamoDB type, the numbers JavaScript cannot hold, and the shapes plain JSON could confuse. */
const ITEMS: ItemJson[] = [
  {
    pk: { S: 'ORDER#1' },
    sk: { S: 'META' },
    big: { N: '12345678901234567890123456789012345678' },
    tiny: { N: '1E-130' },
    huge: { N: '9.9999999999999999999999999999999999999E+125' },
    bin: { B: 'AAECAwQ=' },
    ss: { SS: ['a', 'b'] },
    ns: { NS: ['1', '99999999999999999999999999999999999999'] },
    bs: { BS: ['AQ==', 'Ag=='] },
    m: { M: { SS: { S: 'a map whose only key is SS' } } },
    m2: { M: { M: { M: { x: { N: '1' } } } } },
    l: { L: [{ N: '1.5' }, { NULL: true }, { BOOL: false }, { M: {} }] },
    empty: { S: '' },
    nul: { NULL: true },
    text: { S: 'comma, "quote" and\nnewline' },
  },
  { pk: { S: 'ORDER#2' }, sk: { S: 'LINE#1' }, qty: { N: '3' }, mixed: { N: '7' } },
  { pk: { S: 'ORDER#2' }, sk: { S: 'LINE#2' }, mixed: { S: 'seven' } },
]

describe('data files round-trip every type exactly', () => {
  test('jsonl (the S3 export format)', () => {
    const text = ITEMS.map(jsonlLine).join('\n') + '\n'
    const r = parseDataFile(text, 'jsonl')
    expect(r.errors).toEqual([])
    expect(r.items.map((x) => x.item)).toEqual(ITEMS)
    expect(r.items.map((x) => x.line)).toEqual([1, 2, 3])
  })

  test('json: plain values, with binary and sets tagged and 38-digit numbers as literals', () => {
    const text = `[${ITEMS.map(plainJsonItem).join(',\n')}]`
    expect(text).toContain('"big":12345678901234567890123456789012345678')
    expect(text).toContain('"ss":{"SS":["a","b"]}')
    expect(text).toContain('"m":{"M":{"SS":"a map whose only key is SS"}}')
    const r = parseDataFile(text, 'json')
    expect(r.errors).toEqual([])
    // Numbers come back by value (1E-130 is written as 1e-130).
    const back = r.items.map((x) => x.item)
    expect(back[0]!.tiny).toEqual({ N: '1e-130' })
    expect({ ...back[0], tiny: ITEMS[0]!.tiny }).toEqual(ITEMS[0])
    expect(back.slice(1)).toEqual(ITEMS.slice(1))
  })

  test('csv: typed headers, DynamoDB JSON cells for a column of mixed types, "" apart from missing', () => {
    const text = itemsToCsv(ITEMS, ['pk', 'sk'])
    const header = text.split('\n')[0]!
    expect(header.startsWith('pk (S),sk (S),')).toBe(true)
    expect(header).toContain('big (N)')
    expect(header).toContain(',mixed,')
    const r = parseDataFile(text, 'csv')
    expect(r.errors).toEqual([])
    expect(r.items.map((x) => x.item)).toEqual(ITEMS)
  })

  test('a BOM is ignored', () => {
    expect(parseDataFile(`\uFEFF${jsonlLine(ITEMS[1]!)}\n`, 'jsonl').items).toHaveLength(1)
    expect(parseDataFile(`\uFEFF${itemsToCsv(ITEMS, ['pk', 'sk'])}`, 'csv').items).toHaveLength(3)
  })
})

describe('bad rows are reported by line, with what is wrong', () => {
  test('jsonl', () => {
    const text = [jsonlLine(ITEMS[1]!), '{"Item":{"pk":{"S":"x"},"n":{"N":"abc"}}}', '', 'oops', '[1]'].join(
      '\n',
    )
    const r = parseDataFile(text, 'jsonl')
    expect(r.items.map((x) => x.line)).toEqual([1])
    expect(r.errors.map((e) => e.line)).toEqual([2, 4, 5])
    expect(r.errors[0]!.message).toMatch(/^line 2: Item\.n: N holds a number/)
  })

  test('csv: a typed cell that does not parse, and a row with too many cells', () => {
    const text = 'pk (S),ss (SS)\nA,"[""x""]"\nB,not-json\nC,"[""y""]",extra\n'
    const r = parseDataFile(text, 'csv')
    expect(r.errors.map((e) => e.line)).toEqual([4])
    const r2 = parseDataFile('pk (S),ss (SS)\nA,"[""x""]"\nB,not-json\n', 'csv')
    expect(r2.errors).toEqual([
      expect.objectContaining({ line: 3, message: expect.stringContaining('ss: SS cell is not JSON') }),
    ])
  })

  test('json: an element that is not an item, and a non-array file', () => {
    const r = parseDataFile('[{"pk":"a"}, 5, {"pk":{"SS":[]}}]', 'json')
    expect(r.errors.map((e) => e.line)).toEqual([2, 3])
    expect(parseDataFile('{"pk":"a"}', 'json').errors[0]!.message).toContain('an array of items')
  })

  test('a foreign CSV with plain headers imports its cells as strings', () => {
    const r = parseDataFile('pk,sk,note\nA,1,hello\n', 'csv')
    expect(r.items[0]!.item).toEqual({ pk: { S: 'A' }, sk: { S: '1' }, note: { S: 'hello' } })
  })
})
