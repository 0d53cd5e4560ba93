import { describe, expect, it } from 'vitest'
import { checkNotes, checkReason, checkResult, checkSummary } from './check-report'

describe('check report wording', () => {
  it('says a skipped row is n/a with its reason, not pass', () => {
    const row = {
      passed: true,
      skipped: true,
      reasons: [],
      notApplicable: ['the case needs the sample items: not applicable with generated data'],
    }
    expect(checkResult(row)).toBe('n/a')
    expect(checkReason(row)).toBe('the case needs the sample items: not applicable with generated data')
    expect(checkNotes(row)).toBe(checkReason(row))
  })

  it('keeps pass and fail, with a failure giving its reasons and a pass its note', () => {
    expect(checkResult({ passed: true, reasons: [] })).toBe('pass')
    const failed = { passed: false, reasons: ['expected 2 items', 'got 1'], note: 'ignored' }
    expect(checkResult(failed)).toBe('fail')
    expect(checkReason(failed)).toBe('expected 2 items; got 1')
    expect(
      checkReason({ passed: true, reasons: [], note: 'via recipe r1', notApplicable: ['count: n/a'] }),
    ).toBe('via recipe r1; count: n/a')
  })

  it('counts what was not checked in the summary only when there is some', () => {
    expect(checkSummary({ passed: 6, failed: 0, skipped: 0, notApplicable: 0 })).toBe('6 passed, 0 failed')
    expect(checkSummary({ passed: 4, failed: 1, skipped: 2, notApplicable: 3 })).toBe(
      '4 passed, 1 failed; 2 row(s) and 3 expectation(s) not applicable with generated data',
    )
  })
})
