import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  addMilliseconds,
  formatTimestamp,
  formatTimestampAs,
  isRfc3339,
  isTimestamp,
  matchesTimestamp,
  nowTimestamp,
  parseTimestamp,
} from './timestamp'

describe('Cruddur timestamps', () => {
  test('six fractional digits and +00:00', () => {
    expect(formatTimestamp(new Date(Date.UTC(2026, 10, 25, 10, 16, 39, 867)), 915)).toBe(
      '2026-11-25T10:16:39.867915+00:00',
    )
    expect(formatTimestamp(new Date(Date.UTC(2026, 0, 1)))).toBe('2026-01-01T00:00:00.000000+00:00')
  })

  test('string order is time order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        (a, b) => {
          const ta = formatTimestamp(new Date(a))
          const tb = formatTimestamp(new Date(b))
          expect(ta < tb ? -1 : ta > tb ? 1 : 0).toBe(Math.sign(a - b))
        },
      ),
    )
  })

  test('parse and format round-trip', () => {
    const t = '2026-11-25T10:16:39.867915+00:00'
    const { date, extraMicros } = parseTimestamp(t)
    expect(formatTimestamp(date, extraMicros)).toBe(t)
    expect(addMilliseconds(t, 60_000)).toBe('2026-11-25T10:17:39.867915+00:00')
    expect(isTimestamp('2026-11-25T10:16:39.867Z')).toBe(false)
    expect(() => parseTimestamp('yesterday')).toThrow(RangeError)
  })

  test('now is strictly increasing even when the clock stands still', () => {
    const frozen = () => new Date(Date.UTC(2030, 0, 1))
    const a = nowTimestamp(frozen)
    const b = nowTimestamp(frozen)
    expect(b > a).toBe(true)
    expect(isTimestamp(b)).toBe(true)
  })
})

describe('timestamp parameters: RFC 3339, optionally in a declared format', () => {
  test('plain RFC 3339 times are timestamps; dates alone and impossible times are not', () => {
    for (const ok of [
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:00Z',
      '2026-11-25T10:16:39.867915+00:00',
      '2026-02-28T23:59:59-05:30',
    ])
      expect(isRfc3339(ok), ok).toBe(true)
    for (const bad of [
      '2026-01-01',
      '2026-02-30T00:00:00Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01 00:00:00',
      'yesterday',
      42,
    ])
      expect(isRfc3339(bad), String(bad)).toBe(false)
  })

  test('a declared format fixes the fraction digits and the offset', () => {
    const micros = 'YYYY-MM-DDTHH:mm:ss.SSSSSS+00:00'
    expect(matchesTimestamp('2026-11-25T10:16:39.867915+00:00', micros)).toBe(true)
    expect(matchesTimestamp('2026-01-01T00:00:00.000Z', micros)).toBe(false)
    expect(matchesTimestamp('2026-01-01T00:00:00.000Z')).toBe(true)
    expect(matchesTimestamp('2026-01-01T00:00:00Z', 'YYYY-MM-DDTHH:mm:ssZ')).toBe(true)
  })

  test('times are written in the declared format, or as toISOString without one', () => {
    const d = new Date('2026-03-04T05:06:07.891Z')
    expect(formatTimestampAs(d)).toBe('2026-03-04T05:06:07.891Z')
    expect(formatTimestampAs(d, 'YYYY-MM-DDTHH:mm:ss.SSSSSS+00:00')).toBe('2026-03-04T05:06:07.891000+00:00')
    expect(formatTimestampAs(d, 'YYYY-MM-DDTHH:mm:ss.SZ')).toBe('2026-03-04T05:06:07.8Z')
    expect(formatTimestampAs(d, 'YYYY-MM-DDTHH:mm:ssZ')).toBe('2026-03-04T05:06:07Z')
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1970-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (date) => {
          for (const f of [undefined, 'YYYY-MM-DDTHH:mm:ss.SSSSSS+00:00', 'YYYY-MM-DDTHH:mm:ss.SSSZ'])
            expect(matchesTimestamp(formatTimestampAs(date, f), f)).toBe(true)
        },
      ),
    )
  })
})
