import { CliFailure, EXIT } from '../output'

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
