/**
 * The engine's clock: what "now" is for stream record times, iterator expiry, retention, transaction token windows
 * and TTL. By default it is the wall clock. It can start at another moment (`start`), stand still (`frozen`) and be
 * moved forward (`advance`), so that simulations and tests can expire items and tokens deterministically.
 */
export interface ClockOptions {
  /** The moment the clock shows when the engine starts: epoch milliseconds, a Date or an ISO 8601 string. */
  start?: number | string | Date
  /** When true, time moves only through advance(); otherwise it also runs with the wall clock. */
  frozen?: boolean
}

export class EngineClock {
  private offset: number
  private readonly frozen: boolean

  constructor(
    options: ClockOptions = {},
    private readonly wall: () => number = Date.now,
  ) {
    this.frozen = options.frozen ?? false
    const start = options.start === undefined ? undefined : parseInstant(options.start)
    if (this.frozen) this.offset = start ?? wall()
    else this.offset = start === undefined ? 0 : start - wall()
  }

  readonly now = (): number => (this.frozen ? this.offset : this.wall() + this.offset)

  /** Moves the clock forward by ms (never backward: stream sequence and retention assume time does not go back). */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`the clock only moves forward by a finite amount (got ${ms} ms)`)
    this.offset += ms
    return this.now()
  }

  get isFrozen(): boolean {
    return this.frozen
  }
}

/** Epoch milliseconds from a number, a Date or an ISO 8601 string; anything else is a RangeError. */
export function parseInstant(value: number | string | Date): number {
  const ms = typeof value === 'number' ? value : value instanceof Date ? value.getTime() : Date.parse(value)
  if (!Number.isFinite(ms)) throw new RangeError(`not a valid moment: ${String(value)}`)
  return ms
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** A duration such as `90s`, `15m`, `1h`, `2d`, `1h30m` or a bare number of milliseconds. */
export function parseDuration(text: string): number {
  const t = text.trim()
  if (/^\d+$/.test(t)) return Number(t)
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy
  let total = 0
  let end = 0
  for (let m = re.exec(t); m; m = re.exec(t)) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number)
    end = re.lastIndex
  }
  if (t === '' || end !== t.length)
    throw new RangeError(`not a duration: "${text}" (try 90s, 15m, 1h, 2d or 1h30m)`)
  return total
}
