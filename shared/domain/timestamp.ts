/**
 * Cruddur's timestamps: ISO-8601 UTC with exactly six fractional digits and an explicit `+00:00` offset
 * (Python's `datetime.now(timezone.utc).isoformat()`), e.g. `2026-11-25T10:16:39.867915+00:00`.
 * Fixed width and one offset mean that string order is time order, which is what lets a sort key hold them
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-sort-keys.html).
 */
export const TIMESTAMP_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})\+00:00$/

/** Formats a Date (millisecond precision) plus optional extra microseconds (0–999) in the Cruddur format. */
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

/** Parses a Cruddur timestamp; returns the Date (millisecond precision) and the microseconds below it. */
export function parseTimestamp(value: string): { date: Date; extraMicros: number } {
  const m = TIMESTAMP_PATTERN.exec(value)
  if (!m) throw new RangeError(`not a Cruddur timestamp: ${value}`)
  const fraction = m[7] ?? '000000'
  const date = new Date(`${value.slice(0, 19)}.${fraction.slice(0, 3)}Z`)
  return { date, extraMicros: Number(fraction.slice(3)) }
}

/** Adds whole milliseconds to a Cruddur timestamp, keeping its microseconds. */
export function addMilliseconds(value: string, ms: number): string {
  const { date, extraMicros } = parseTimestamp(value)
  return formatTimestamp(new Date(date.getTime() + ms), extraMicros)
}

let lastNow = ''
/**
 * The current time as a Cruddur timestamp, strictly increasing within this process (two messages sent in the
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
