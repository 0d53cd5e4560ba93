import { isLosslessNumber, stringifyExactJson } from '../../shared/domain/attribute-json'

/** Exit codes: 0 ok, 1 the operation failed, 2 usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const

/**
 * A failure the CLI reports as `error: <code>: <message>` (or `error: <message>` without a code) and exits with.
 * `detail` is the message without the code, for the JSON form.
 */
export class CliFailure extends Error {
  readonly detail: string

  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
    readonly code?: string,
  ) {
    super(code ? `${code}: ${message}` : message)
    this.detail = message
  }
}

const cellText = (v: unknown) =>
  v === undefined || v === null
    ? ''
    : isLosslessNumber(v)
      ? v.value
      : typeof v === 'object'
        ? stringifyExactJson(v)
        : String(v)

/** Rows as aligned text lines (header first); cells wider than `maxWidth` are cut with an ellipsis. */
export function formatTable(
  rows: Record<string, unknown>[],
  columns?: string[],
  maxWidth = Infinity,
): string[] {
  if (rows.length === 0) return []
  const cols = columns ?? Object.keys(rows[0]!)
  const cell = (v: unknown) => {
    const t = cellText(v).replace(/\s*\n\s*/g, ' ')
    return t.length > maxWidth ? `${t.slice(0, maxWidth - 1)}…` : t
  }
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)))
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  return [line(cols.map((c) => c.toUpperCase())), ...rows.map((row) => line(cols.map((c) => cell(row[c]))))]
}

/** Prints rows as an aligned text table. */
export function printTable(rows: Record<string, unknown>[], columns?: string[], maxWidth?: number): void {
  for (const line of formatTable(rows, columns, maxWidth)) console.log(line)
}

/**
 * Resolves once everything written to stdout and stderr so far has been handed to the OS. The launcher calls
 * process.exit() when a command returns, and writes to a pipe are asynchronous: without this a long JSON
 * document would be cut off at the pipe's buffer size.
 */
export function flushOutput(): Promise<void> {
  const flush = (s: NodeJS.WriteStream) =>
    new Promise<void>((resolve) => (s.writableLength === 0 ? resolve() : s.write('', () => resolve())))
  return Promise.all([flush(process.stdout), flush(process.stderr)]).then(() => undefined)
}

/** The one JSON document a `--json` run prints on stdout; numbers beyond JS precision are exact literals. */
export function printJson(value: unknown): void {
  process.stdout.write(stringifyExactJson(value, 2) + '\n')
}

export interface ProgressOptions {
  stream?: NodeJS.WriteStream | { isTTY?: boolean; columns?: number; write(s: string): boolean }
  /** Plain mode: print a line at most every this many percent. */
  stepPercent?: number
}

/**
 * Progress on stderr: a redrawn bar when stderr is a terminal, otherwise plain lines (every `stepPercent`
 * and on every label change) so logs stay readable.
 */
export class Progress {
  private readonly out: NonNullable<ProgressOptions['stream']>
  private readonly tty: boolean
  private lastLabel = ''
  private lastStep = -1
  private drawn = false

  constructor(options: ProgressOptions = {}) {
    this.out = options.stream ?? process.stderr
    this.tty = Boolean(this.out.isTTY)
    this.step = options.stepPercent ?? 10
  }

  private readonly step: number

  update(label: string, done: number, total?: number): void {
    const pct = total ? Math.min(100, Math.floor((done / total) * 100)) : undefined
    const count = total ? `${done}/${total}` : `${done}`
    if (this.tty) {
      const width = 24
      const filled = pct === undefined ? 0 : Math.round((pct / 100) * width)
      const bar =
        pct === undefined
          ? ''
          : `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}% `
      const text = `${bar}${label} ${count}`
      const cols = (this.out as { columns?: number }).columns ?? 100
      this.out.write(`\r${text.slice(0, cols - 1).padEnd(Math.min(cols - 1, text.length + 2))}`)
      this.drawn = true
      return
    }
    const step = pct === undefined ? done : Math.floor(pct / this.step)
    if (label === this.lastLabel && step === this.lastStep) return
    this.lastLabel = label
    this.lastStep = step
    this.out.write(`${label} ${count}${pct === undefined ? '' : ` (${pct}%)`}\n`)
  }

  /** Ends the bar's line (terminal) so the next output starts clean. */
  finish(): void {
    if (this.tty && this.drawn) this.out.write('\n')
    this.drawn = false
  }
}
