import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { generateData } from '../../shared/domain/generator'
import { parseModel } from '../../shared/domain/model'
import { isTimestamp } from '../../shared/domain/timestamp'
import { CRUDDUR_MODEL_FILE, CRUDDUR_TABLE } from '.'

/** Cruddur's data generator is data (sampleData.generator in model.json) run by the generic engine. */
describe("Cruddur's generator, as data", () => {
  const parsed = parseModel(JSON.parse(readFileSync(CRUDDUR_MODEL_FILE, 'utf8')))
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
  const model = parsed.model
  const options = { seed: 7, counts: { users: 8, conversations: 10, messages: 300 } }
  const run = (o = options) => generateData(model, o)
  const items = (o = options) => run(o).items[CRUDDUR_TABLE]!

  test('is deterministic for a seed and differs across seeds', () => {
    expect(run()).toEqual(run())
    expect(items({ ...options, seed: 8 })).not.toEqual(items())
  })

  test('users and conversations are not stored; conversations are between distinct pairs', () => {
    const data = run()
    expect(Object.keys(data.items)).toEqual([CRUDDUR_TABLE])
    expect(data.counts).toMatchObject({ users: 8, conversations: 10, messages: 300 })
    const pairs = data.rows.conversations!.map((c) => {
      const a = (c.a as { uuid: string }).uuid
      const b = (c.b as { uuid: string }).uuid
      expect(a).not.toBe(b)
      return [a, b].sort().join('|')
    })
    expect(new Set(pairs).size).toBe(10)
    // Every pair of 5 users: a count at the limit is met, one above it is refused.
    expect(run({ seed: 1, counts: { users: 5, conversations: 10, messages: 20 } }).counts.conversations).toBe(
      10,
    )
    expect(() => run({ seed: 1, counts: { users: 5, conversations: 11, messages: 20 } })).toThrow(/only 10/)
  })

  test('writes K messages and two conversation rows per active conversation, at its newest message', () => {
    const all = items()
    const groups = run().rows.conversations!.map((c) => c.uuid as string)
    const messages = all.filter((i) => String(i.pk).startsWith('MSG#'))
    expect(messages).toHaveLength(300)
    // Messages stay out of the sparse GSI: they carry no message_group_uuid.
    for (const m of messages) expect(m).not.toHaveProperty('message_group_uuid')
    expect(new Set(all.map((i) => `${String(i.pk)}|${String(i.sk)}`)).size).toBe(all.length)
    let active = 0
    for (const g of groups) {
      const own = messages.filter((m) => m.pk === `MSG#${g}`).sort((a, b) => (a.sk! < b.sk! ? -1 : 1))
      const rows = all.filter((i) => i.message_group_uuid === g)
      expect(rows).toHaveLength(own.length ? 2 : 0)
      if (own.length) active++
      const last = own[own.length - 1]
      for (const r of rows) {
        expect(r.sk).toBe(last?.sk)
        expect(r.message).toBe(last?.message)
      }
      // Each participant's row names the other one.
      if (rows.length === 2) {
        expect(rows[0]!.pk).toBe(`GRP#${String(rows[1]!.user_uuid)}`)
        expect(rows[1]!.pk).toBe(`GRP#${String(rows[0]!.user_uuid)}`)
      }
    }
    expect(all).toHaveLength(300 + 2 * active)
    for (const i of all) expect(isTimestamp(i.sk)).toBe(true)
  })

  test("each conversation's messages have strictly increasing times, in the order they were made", () => {
    const byGroup = new Map<string, string[]>()
    for (const m of items().filter((i) => String(i.pk).startsWith('MSG#')))
      byGroup.set(String(m.pk), [...(byGroup.get(String(m.pk)) ?? []), String(m.sk)])
    for (const times of byGroup.values())
      for (let i = 1; i < times.length; i++) expect(times[i]! > times[i - 1]!).toBe(true)
  })

  test('senders are one of the two participants, with their name and handle', () => {
    const data = run()
    const byUuid = new Map(data.rows.users!.map((u) => [u.uuid as string, u]))
    const groupOf = new Map(data.rows.conversations!.map((c) => [`MSG#${String(c.uuid)}`, c]))
    for (const m of items().filter((i) => String(i.pk).startsWith('MSG#'))) {
      const g = groupOf.get(String(m.pk))!
      const sender = byUuid.get(String(m.user_uuid))!
      expect([g.a, g.b]).toContain(sender)
      expect(m.user_handle).toBe(sender.handle)
      expect(m.user_display_name).toBe(sender.display_name)
    }
  })

  test('message counts are skewed: the busiest conversation gets far more than the median', () => {
    const data = run({ seed: 7, counts: { users: 10, conversations: 20, messages: 1000 } })
    const counts = data.rows
      .conversations!.map(
        (g) => data.items[CRUDDUR_TABLE]!.filter((i) => i.pk === `MSG#${String(g.uuid)}`).length,
      )
      .sort((a, b) => b - a)
    expect(counts[0]!).toBeGreaterThan(3 * counts[10]!)
  })
})
