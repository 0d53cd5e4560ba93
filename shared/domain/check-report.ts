/**
 * How a model check's results read, for the CLI and the Check view alike. A row not run (a recipe case on
 * generated data) is "n/a" with its reason, never "pass": its `passed` stays true only so it fails nothing.
 */

export interface CheckCounts {
  passed: number
  failed: number
  skipped: number
  notApplicable: number
}

export interface CheckRowOutcome {
  passed: boolean
  skipped?: boolean | undefined
  reasons: readonly string[]
  note?: string | undefined
  notApplicable?: readonly string[] | undefined
}

/** `5 passed, 0 failed`, and what was not checked on generated data. */
export function checkSummary(report: CheckCounts): string {
  const notChecked = [
    ...(report.skipped ? [`${report.skipped} row(s)`] : []),
    ...(report.notApplicable ? [`${report.notApplicable} expectation(s)`] : []),
  ]
  return `${report.passed} passed, ${report.failed} failed${notChecked.length ? `; ${notChecked.join(' and ')} not applicable with generated data` : ''}`
}

export const checkResult = (row: CheckRowOutcome): 'pass' | 'fail' | 'n/a' =>
  row.skipped ? 'n/a' : row.passed ? 'pass' : 'fail'

/** A row's note (where its data came from) and what it did not check, each with why. */
export const checkNotes = (row: CheckRowOutcome): string =>
  [row.note, ...(row.notApplicable ?? [])].filter((x) => x !== undefined).join('; ')

/** Why a row failed; for a row that passed or was not run, its notes. */
export const checkReason = (row: CheckRowOutcome): string =>
  row.passed ? checkNotes(row) : row.reasons.join('; ')
