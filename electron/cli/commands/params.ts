import { generatorCounts, type GenerateOptions } from '../../../shared/domain/generator'
import type { GeneratorSpec } from '../../../shared/domain/model'
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

/**
 * `--generate name=N,…,seed=S` (any subset): counts per generated entity of the model's generator, by name or
 * label (any case), over the model's own counts and seed. Whether the counts can be met (enough users for that
 * many distinct pairs) is the generator's to say.
 */
export function parseGenerator(spec: string | true, generator: GeneratorSpec): GenerateOptions {
  const out: GenerateOptions = {}
  if (spec === true || spec.trim() === '') return out
  const settable = generatorCounts(generator)
  const known = [...settable.map((c) => c.name), 'seed']
  for (const part of spec.split(',')) {
    const [key, value, extra] = part.split('=').map((s) => s.trim())
    if (!key || value === undefined || extra !== undefined)
      throw new CliFailure(
        `--generate wants key=value pairs separated by commas, got "${part}"`,
        EXIT.usage,
        'input.invalid',
      )
    const want = key.toLowerCase()
    const target =
      want === 'seed'
        ? 'seed'
        : settable.find((c) => c.name.toLowerCase() === want || c.label.toLowerCase() === want)?.name
    if (!target)
      throw new CliFailure(
        `--generate: unknown key "${key}" (known: ${known.join(', ')})`,
        EXIT.usage,
        'input.invalid',
      )
    const n = Number(value)
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
      throw new CliFailure(
        `--generate: ${key} must be a whole number, got "${value}"`,
        EXIT.usage,
        'input.invalid',
      )
    if (target === 'seed') out.seed = n
    else out.counts = { ...out.counts, [target]: n }
  }
  return out
}

// Kept in its own module so the `engine` command's entry does not load the generator with it.
export { wholeNumber } from './whole-number'
