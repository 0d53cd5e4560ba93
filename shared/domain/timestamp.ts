/**
 * Fixed-layout timestamps: ISO-8601 UTC with exactly six fractional digits and an explicit `+00:00` offset
 * (Python's `datetime.now(timezone.utc).isoformat()`), e.g. `2026-11-25T10:16:39.867915+00:00`.
 * Fixed width and one offset mean that string order is time order, which is what lets a sort key hold them
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-sort-keys.html).
 */
export const TIMESTAMP_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})\+00:00$/

/** Formats a Date (millisecond precision) plus optional extra microseconds (0–999) in that fixed layout. */
export function formatTimestamp(date: Date, extraMicros = 0): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('formatTimestamp: invalid date')
  if (!Number.isInteger(extraMicros) || extraMicros < 0 || extraMicros > 999) {
    throw new RangeError('formatTimestamp: extraMicros must be an integer in 0..999')
  }
  const iso = date.toISOString() // YYYY-MM-DDTHH:MM:SS.mmmZ, always UTC
  const micros = String(date.getUTCMilliseconds() * 1000 + extraMicros).padStart(6, '0')
  return `${iso.slice(0, 19)}.${micros}+00:00`
}

export function isTimestamp(value: unknown): value is string {
  return typeof value === 'string' && TIMESTAMP_PATTERN.test(value)
}

/** Parses a fixed-layout timestamp; returns the Date (millisecond precision) and the microseconds below it. */
export function parseTimestamp(value: string): { date: Date; extraMicros: number } {
  const m = TIMESTAMP_PATTERN.exec(value)
  if (!m) throw new RangeError(`not a YYYY-MM-DDTHH:mm:ss.SSSSSS+00:00 timestamp: ${value}`)
  const fraction = m[7] ?? '000000'
  const date = new Date(`${value.slice(0, 19)}.${fraction.slice(0, 3)}Z`)
  return { date, extraMicros: Number(fraction.slice(3)) }
}

/** Adds whole milliseconds to a fixed-layout timestamp, keeping its microseconds. */
export function addMilliseconds(value: string, ms: number): string {
  const { date, extraMicros } = parseTimestamp(value)
  return formatTimestamp(new Date(date.getTime() + ms), extraMicros)
}

let lastNow = ''
/**
 * The current time as a fixed-layout timestamp, strictly increasing within this process (two messages sent in the
 * same millisecond must not share a sort key, or the second PutItem would overwrite the first).
 */
export function nowTimestamp(clock: () => Date = () => new Date()): string {
  let candidate = formatTimestamp(clock())
  if (candidate <= lastNow) {
    const { date, extraMicros } = parseTimestamp(lastNow)
    candidate =
      extraMicros < 999
        ? formatTimestamp(date, extraMicros + 1)
        : formatTimestamp(new Date(date.getTime() + 1), 0)
  }
  lastNow = candidate
  return candidate
}

/** RFC 3339 date-time (https://www.rfc-editor.org/rfc/rfc3339#section-5.6), e.g. `2026-01-01T00:00:00.000Z`. */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/

/** Whether a value is an RFC 3339 date-time naming a real instant (no 2026-02-30, no hour 24). */
export function isRfc3339(value: unknown): value is string {
  if (typeof value !== 'string') return false
  const m = RFC3339.exec(value)
  if (!m) return false
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 60) return false
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return false
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate()
  return d >= 1 && d <= daysInMonth
}

/** A declared timestamp format (see TimestampFormat in model.ts) as a regular expression. */
function formatPattern(format: string): RegExp {
  const fraction = /\.(S+)/.exec(format)?.[1]?.length
  const offset = format.endsWith('Z') ? 'Z' : '\\+00:00'
  return new RegExp(
    `^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}${fraction ? `\\.\\d{${fraction}}` : ''}${offset}$`,
  )
}

/** Whether a value is a valid RFC 3339 time and, when a format is declared, has exactly that layout. */
export function matchesTimestamp(value: unknown, format?: string): value is string {
  return isRfc3339(value) && (!format || formatPattern(format).test(value))
}

/** A Date in a declared format (UTC); without one, as `toISOString()` writes it (RFC 3339, milliseconds, Z). */
export function formatTimestampAs(date: Date, format?: string): string {
  if (!format) return date.toISOString()
  const fraction = /\.(S+)/.exec(format)?.[1]?.length ?? 0
  const iso = date.toISOString()
  const digits = String(date.getUTCMilliseconds()).padStart(3, '0').padEnd(fraction, '0').slice(0, fraction)
  return `${iso.slice(0, 19)}${fraction ? `.${digits}` : ''}${format.endsWith('Z') ? 'Z' : '+00:00'}`
}
