import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { isTimestamp } from '../../shared/domain/timestamp'
import { buildCruddurItems, CRUDDUR_USERS, GROUP_ANDREW_BAYKO, GROUP_ANDREW_LONDO } from './data'

const ITEMS_FILE = path.join(import.meta.dirname, 'items.json')

describe('Cruddur seed items', () => {
  const items = buildCruddurItems()

  // `UPDATE_SEEDS=1 npx vitest run --project unit seeds/cruddur/items.test.ts` regenerates the committed file.
  test('the committed items.json is what the script generates', () => {
    const generated = JSON.stringify({ 'cruddur-messages': items }, null, 2) + '\n'
    if (process.env.UPDATE_SEEDS) writeFileSync(ITEMS_FILE, generated)
    expect(readFileSync(ITEMS_FILE, 'utf8')).toBe(generated)
  })

  test('every timestamp has the fixed format and keys are unique', () => {
    const keys = new Set(items.map((i) => `${i.pk}|${i.sk}`))
    expect(keys.size).toBe(items.length)
    for (const i of items) expect(isTimestamp(i.sk), i.sk).toBe(true)
  })

  test('message rows carry no message_group_uuid (sparse GSI) and name the sender', () => {
    const messages = items.filter((i) => i.pk!.startsWith('MSG#'))
    expect(messages.length).toBeGreaterThanOrEqual(100)
    for (const m of messages) {
      expect(m.message_group_uuid).toBeUndefined()
      expect(CRUDDUR_USERS.map((u) => u.uuid)).toContain(m.user_uuid)
    }
  })

  test('each conversation has two rows, naming the other participant, at its newest message', () => {
    for (const group of [GROUP_ANDREW_BAYKO, GROUP_ANDREW_LONDO]) {
      const messages = items.filter((i) => i.pk === `MSG#${group}`).sort((a, b) => a.sk!.localeCompare(b.sk!))
      const newest = messages[messages.length - 1]!
      const rows = items.filter((i) => i.message_group_uuid === group)
      expect(rows).toHaveLength(2)
      for (const row of rows) {
        expect(row.sk).toBe(newest.sk)
        expect(row.message).toBe(newest.message)
        expect(row.pk).not.toBe(`GRP#${row.user_uuid}`)
      }
      const senders = new Set(messages.map((m) => m.user_uuid))
      expect(new Set(rows.map((r) => r.user_uuid))).toEqual(senders)
    }
  })

  test('the long conversation is about a minute per message', () => {
    const sks = items
      .filter((i) => i.pk === `MSG#${GROUP_ANDREW_BAYKO}`)
      .map((i) => Date.parse(i.sk!.replace('+00:00', 'Z')))
    for (let i = 1; i < sks.length; i++) {
      const gap = sks[i]! - sks[i - 1]!
      expect(gap).toBeGreaterThan(58_000)
      expect(gap).toBeLessThan(62_000)
    }
  })
})
