import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { readFileSync } from 'node:fs'
import { CRUDDUR_MODEL_FILE } from '../../seeds/cruddur'
import { parseModel } from '../../shared/domain/model'
import { backoffDelay, BATCH_WRITE_LIMIT, buildBatchWrites, generateSampleItems } from './seed.service'

describe('batch write builder', () => {
  test('chunks of at most 25, every item once, marshalled', () => {
    const items = Array.from({ length: 60 }, (_, i) => ({ pk: `P#${i % 7}`, sk: String(i), n: i }))
    const batches = buildBatchWrites('t', ['pk', 'sk'], items)
    expect(batches.map((b) => b.RequestItems!.t!.length)).toEqual([25, 25, 10])
    expect(batches[0]!.RequestItems!.t![0]).toEqual({
      PutRequest: { Item: { pk: { S: 'P#0' }, sk: { S: '0' }, n: { N: '0' } } },
    })
  })

  test('a repeated key is written once, with its last value (a batch may not repeat a key)', () => {
    const batches = buildBatchWrites('t', ['pk'], [{ pk: 'a', v: 1 }, { pk: 'b' }, { pk: 'a', v: 2 }])
    expect(batches[0]!.RequestItems!.t).toEqual([
      { PutRequest: { Item: { pk: { S: 'a' }, v: { N: '2' } } } },
      { PutRequest: { Item: { pk: { S: 'b' } } } },
    ])
  })

  test('property: total requests = distinct keys, no batch over the limit', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 80 }), { maxLength: 200 }), (keys) => {
        const batches = buildBatchWrites(
          't',
          ['pk'],
          keys.map((k) => ({ pk: k })),
        )
        const sizes = batches.map((b) => b.RequestItems!.t!.length)
        expect(sizes.every((s) => s > 0 && s <= BATCH_WRITE_LIMIT)).toBe(true)
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(new Set(keys).size)
      }),
    )
  })
})

describe('backoff', () => {
  test('full jitter stays within [0, min(cap, base·2^attempt))', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (attempt, r) => {
          const d = backoffDelay(attempt, () => r, 50, 5000)
          expect(d).toBeGreaterThanOrEqual(0)
          expect(d).toBeLessThan(Math.min(5000, 50 * 2 ** attempt))
        },
      ),
    )
    expect(backoffDelay(3, () => 0.5)).toBe(200)
  })
})

describe('generated sample data', () => {
  const parsed = parseModel(JSON.parse(readFileSync(CRUDDUR_MODEL_FILE, 'utf8')))
  if (!parsed.ok) throw new Error('invalid model')
  const counts = { messages: 50, users: 5, conversations: 4 }

  test("the Cruddur model's generator gives the requested number of messages, the same for the same seed", () => {
    const a = generateSampleItems(parsed.model, { counts })
    const rows = a['cruddur-messages']!
    expect(rows.filter((r) => String(r.pk).startsWith('MSG#'))).toHaveLength(50)
    expect(generateSampleItems(parsed.model, { counts })).toEqual(a)
  })

  test('counts it cannot meet, or that name nothing, are input.invalid naming the count', () => {
    // 5 users make 10 distinct pairs, not 11.
    expect(() => generateSampleItems(parsed.model, { counts: { users: 5, conversations: 11 } })).toThrow(
      expect.objectContaining({
        code: 'input.invalid',
        message: expect.stringMatching(/^counts\.conversations: only 10 /),
      }),
    )
    expect(() => generateSampleItems(parsed.model, { counts: { colours: 3 } })).toThrow(
      expect.objectContaining({
        code: 'input.invalid',
        message: expect.stringContaining('users, conversations, messages'),
      }),
    )
    expect(() => generateSampleItems(parsed.model, { counts: { conversation_rows: 3 } })).toThrow(
      expect.objectContaining({ code: 'input.invalid' }),
    )
  })

  test('a model without a generator is model.invalid', () => {
    const { generator: _, ...sampleData } = parsed.model.sampleData!
    expect(() => generateSampleItems({ ...parsed.model, sampleData })).toThrow(
      expect.objectContaining({ code: 'model.invalid' }),
    )
  })
})
