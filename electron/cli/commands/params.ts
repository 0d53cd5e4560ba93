import type { GeneratorOptions } from '../../../seeds/generator'
import { CliFailure, EXIT } from '../output'

/** Commander collector for a repeatable `--param k=v`. */
export function collectParam(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=')
  if (eq <= 0) throw new CliFailure(`--param wants name=value, got "${value}"`, EXIT.usage, 'input.invalid')
  const name = value.slice(0, eq).trim()
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new CliFailure(`--param: bad parameter name "${name}"`, EXIT.usage, 'input.invalid')
  if (name in previous) throw new CliFailure(`--param ${name} given twice`, EXIT.usage, 'input.invalid')
  return { ...previous, [name]: value.slice(eq + 1) }
}

const GENERATOR_KEYS = ['users', 'conversations', 'messages', 'seed'] as const

/** `users=N,conversations=M,messages=K,seed=S` (any subset) over the model's defaults. */
export function parseGenerator(spec: string | true, defaults: GeneratorOptions): GeneratorOptions {
  const out: GeneratorOptions = { ...defaults }
  if (spec === true || spec.trim() === '') return out
  for (const part of spec.split(',')) {
    const [key, value, extra] = part.split('=').map((s) => s.trim())
    if (!key || value === undefined || extra !== undefined)
      throw new CliFailure(
        `--generator wants key=value pairs separated by commas, got "${part}"`,
        EXIT.usage,
        'input.invalid',
      )
    if (!(GENERATOR_KEYS as readonly string[]).includes(key))
      throw new CliFailure(
        `--generator: unknown key "${key}" (known: ${GENERATOR_KEYS.join(', ')})`,
        EXIT.usage,
        'input.invalid',
      )
    const n = Number(value)
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
      throw new CliFailure(
        `--generator: ${key} must be a whole number, got "${value}"`,
        EXIT.usage,
        'input.invalid',
      )
    out[key as (typeof GENERATOR_KEYS)[number]] = n
  }
  if (out.users < 2)
    throw new CliFailure('--generator: users must be at least 2', EXIT.usage, 'input.invalid')
  const pairs = (out.users * (out.users - 1)) / 2
  if (out.conversations < 1 || out.conversations > pairs)
    throw new CliFailure(
      `--generator: conversations must be 1..${pairs} for ${out.users} users`,
      EXIT.usage,
      'input.invalid',
    )
  return out
}

/** Commander parser for a whole number option (`--limit`, `--segments`, `--port`). */
export function wholeNumber(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value)
    if (!/^\d+$/.test(value) || n < min || n > max) {
      // "from 1 to 9007199254740991" reads as noise: an unbounded option states its lower bound only.
      const range =
        max === Number.MAX_SAFE_INTEGER
          ? `a whole number, ${min} or more`
          : `a whole number from ${thousands(min)} to ${thousands(max)}`
      throw new CliFailure(`${name} must be ${range}, got "${value}"`, EXIT.usage, 'input.invalid')
    }
    return n
  }
}

/** 1000000 → "1,000,000". Not toLocaleString: loading ICU's locale data costs the engine command ~30 ms at start. */
const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
