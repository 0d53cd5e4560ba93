import { describe, expect, it } from 'vitest'
import { encodeBody } from './response-body'

const page = (n: number, text: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => ({
    pk: { S: `p${i % 7}` },
    sk: { N: String(i) },
    body: { S: text(i) },
  }))

describe('encodeBody', () => {
  it('writes the same text as JSON.stringify for small answers and large pages alike', () => {
    const answers = [
      {},
      { TableNames: ['a', 'b'] },
      { Items: page(3, () => 'x'), Count: 3, ScannedCount: 3 },
      {
        Items: page(2000, (i) => `message ${i}`),
        Count: 2000,
        ScannedCount: 2000,
        LastEvaluatedKey: { pk: { S: 'p1' } },
      },
      { Items: page(1500, () => 'only items') },
      // Multi-byte text (2-, 3- and 4-byte UTF-8) and escapes, enough to make the buffer grow past its start size.
      { Items: page(6000, (i) => `é€😀 "quoted" \\ ${'ü'.repeat(i % 400)}`), Count: 6000 },
    ]
    for (const answer of answers) {
      const body = encodeBody(answer)
      expect(body.bytes.toString('utf8')).toBe(JSON.stringify(answer))
      body.release()
    }
  })

  it('keeps Items in place when it is not the first member', () => {
    const answer = { Count: 600, Items: page(600, (i) => String(i)) }
    expect(encodeBody(answer).bytes.toString('utf8')).toBe(JSON.stringify(answer))
  })

  it('never hands out a buffer still in use: a second answer before release gets its own bytes', () => {
    const first = { Items: page(1000, () => 'first'), Count: 1000 }
    const second = { Items: page(1000, () => 'second'), Count: 1000 }
    const a = encodeBody(first)
    const b = encodeBody(second)
    expect(a.bytes.toString('utf8')).toBe(JSON.stringify(first))
    expect(b.bytes.toString('utf8')).toBe(JSON.stringify(second))
    a.release()
    b.release()
    const third = { Items: page(800, () => 'third'), Count: 800 }
    const c = encodeBody(third)
    expect(c.bytes.toString('utf8')).toBe(JSON.stringify(third))
  })

  it('throws what JSON.stringify throws', () => {
    expect(() => encodeBody({ Items: Array.from({ length: 600 }, () => ({ n: 1n })) })).toThrow(TypeError)
  })
})
