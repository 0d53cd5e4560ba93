/** Exit codes: 0 ok, 1 the operation failed, 2 usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const

export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
    readonly code?: string,
  ) {
    super(message)
  }
}

/** Prints rows as an aligned text table. */
export function printTable(rows: Record<string, unknown>[], columns?: string[]): void {
  if (rows.length === 0) return
  const cols = columns ?? Object.keys(rows[0]!)
  const cell = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v))
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)))
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd()
  console.log(line(cols.map((c) => c.toUpperCase())))
  for (const row of rows) console.log(line(cols.map((c) => cell(row[c]))))
}
