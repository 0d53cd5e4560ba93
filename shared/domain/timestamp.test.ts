import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { addMilliseconds, formatTimestamp, isTimestamp, nowTimestamp, parseTimestamp } from './timestamp'

describe('Cruddur timestamps', () => {
  test('six fractional digits and +00:00', () => {
    expect(formatTimestamp(new Date(Date.UTC(2026, 10, 25, 10, 16, 39, 867)), 915)).toBe('2026-11-25T10:16:39.867915+00:00')
    expect(formatTimestamp(new Date(Date.UTC(2026, 0, 1)))).toBe('2026-01-01T00:00:00.000000+00:00')
  })

  test('string order is time order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000_000 }), fc.integer({ min: 0, max: 4_000_000_000_000 }), (a, b) => {
        const ta = formatTimestamp(new Date(a))
        const tb = formatTimestamp(new Date(b))
        expect(ta < tb ? -1 : ta > tb ? 1 : 0).toBe(Math.sign(a - b))
      }),
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
