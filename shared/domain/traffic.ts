import { z } from 'zod'

/**
 * The traffic a model expects: requests per second per access pattern (and per write recipe), what share of a
 * pattern's calls land on its busiest partition key, and how many items each table will hold. Declared in the
 * model (`traffic`), read from `--traffic FILE`, or typed in the app; `cost` turns it into money.
 */
export const PatternTraffic = z.union([
  z.number().min(0),
  z.object({
    /** Requests per second. */
    rate: z.number().min(0),
    /**
     * The share of these calls that go to the busiest partition key (1 = every call hits one key). When absent,
     * the calls are taken as spread evenly over the partitions the sample data has for the pattern's key prefix.
     */
    hotKeyShare: z.number().gt(0).max(1).optional(),
  }),
])
export type PatternTraffic = z.output<typeof PatternTraffic>

export const TableVolume = z.object({
  /** How many items the table will hold (storage is scaled from the sample data's average item). */
  items: z.number().int().min(0).optional(),
  /** A declared average item size in bytes, instead of the one measured from the sample data. */
  averageItemBytes: z.number().positive().optional(),
})

export const TrafficProfile = z.object({
  /** Pattern id (or recipe name) → requests per second, or `{ rate, hotKeyShare }`. */
  rates: z.record(z.string().min(1), PatternTraffic).default({}),
  /** Provisioned capacity is priced at this utilisation target (auto scaling's target value); default 0.7. */
  utilisation: z.number().gt(0).max(1).optional(),
  /** Table name → expected item count and average size, for storage and item-collection sizes. */
  tables: z.record(z.string().min(1), TableVolume).optional(),
})
export type TrafficProfile = z.output<typeof TrafficProfile>
export type TrafficProfileInput = z.input<typeof TrafficProfile>

export const DEFAULT_UTILISATION = 0.7

export interface PatternRate {
  rate: number
  hotKeyShare?: number
}

export const rateOf = (t: PatternTraffic): PatternRate => (typeof t === 'number' ? { rate: t } : t)

/** `A=100` → ['A', 100]; anything else is a usage error naming the form. */
export function parseRateArg(arg: string): [string, number] {
  const m = /^([^=\s]+)=\s*([0-9]+(?:\.[0-9]+)?)\s*$/.exec(arg)
  if (!m) throw new Error(`--rate ${arg}: expected PATTERN=N, e.g. A=100 (requests per second)`)
  return [m[1]!, Number(m[2])]
}

/**
 * The names a profile refers to that the model does not have. Traffic for an unknown pattern is refused rather
 * than silently priced at zero, so a typo cannot make a model look cheap.
 */
export function unknownTrafficNames(profile: TrafficProfile, valid: readonly string[]): string[] {
  return Object.keys(profile.rates).filter((name) => !valid.includes(name))
}

/** The model's profile with file and command-line rates laid over it (later wins, per pattern). */
export function mergeTraffic(...profiles: (TrafficProfileInput | undefined)[]): TrafficProfile {
  const out: TrafficProfile = { rates: {} }
  for (const p of profiles) {
    if (!p) continue
    const parsed = TrafficProfile.parse(p)
    Object.assign(out.rates, parsed.rates)
    if (parsed.utilisation !== undefined) out.utilisation = parsed.utilisation
    if (parsed.tables) out.tables = { ...out.tables, ...parsed.tables }
  }
  return out
}
