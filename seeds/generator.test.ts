import { describe, expect, test } from 'vitest'
import { isTimestamp } from '../shared/domain/timestamp'
import { generateCruddurData, prng, zipfSampler } from './generator'

describe('Cruddur data generator', () => {
  const options = { users: 8, conversations: 10, messages: 300, seed: 7 }

  test('is deterministic for a seed and differs across seeds', () => {
    expect(generateCruddurData(options)).toEqual(generateCruddurData(options))
    expect(generateCruddurData({ ...options, seed: 8 }).items).not.toEqual(generateCruddurData(options).items)
  })

  test('writes K messages and two conversation rows per active conversation, at its newest message', () => {
    const { items, groups } = generateCruddurData(options)
    const messages = items.filter((i) => i.pk!.startsWith('MSG#'))
    expect(messages).toHaveLength(300)
    expect(new Set(items.map((i) => `${i.pk}|${i.sk}`)).size).toBe(items.length)
    for (const g of groups) {
      const own = messages
        .filter((m) => m.pk === `MSG#${g.uuid}`)
        .map((m) => m.sk!)
        .sort()
      const rows = items.filter((i) => i.message_group_uuid === g.uuid)
      expect(rows).toHaveLength(own.length ? 2 : 0)
      for (const r of rows) expect(r.sk).toBe(own[own.length - 1])
    }
    for (const i of items) expect(isTimestamp(i.sk)).toBe(true)
  })

  test('message counts are skewed: the busiest conversation gets far more than the median', () => {
    const { items, groups } = generateCruddurData({
      ...options,
      conversations: 20,
      users: 10,
      messages: 1000,
    })
    const counts = groups
      .map((g) => items.filter((i) => i.pk === `MSG#${g.uuid}`).length)
      .sort((a, b) => b - a)
    expect(counts[0]!).toBeGreaterThan(3 * counts[10]!)
  })

  test('zipf sampler stays in range', () => {
    const pick = zipfSampler(5, 1, prng(1))
    const seen = new Set<number>()
    for (let i = 0; i < 1000; i++) seen.add(pick())
    expect([...seen].every((x) => Number.isInteger(x) && x >= 0 && x < 5)).toBe(true)
    expect(seen.size).toBe(5)
  })
})
