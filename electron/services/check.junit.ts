import type { CheckReport } from './check.service'

const escapeXml = (s: string) =>
  s
    // XML 1.0 has no way to write most control characters, even escaped.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')

/**
 * The check as JUnit XML, the format CI systems read: one testsuite for the model, one testcase per row
 * (classname = pattern, recipe or setup), a <failure> with the reasons for each failing row.
 */
export function checkToJunit(report: CheckReport): string {
  const suite = `tablewright check ${report.model}`
  const cases = report.rows.map((r) => {
    const name = escapeXml(`${r.id}: ${r.name}`)
    const open = `    <testcase classname="${escapeXml(`${report.model}.${r.kind}`)}" name="${name}">`
    const out = [
      ...(r.consumedCapacity !== undefined
        ? [`consumed capacity: ${r.consumedCapacity}; items: ${r.itemCount ?? 0}`]
        : []),
      ...(r.note ? [r.note] : []),
    ]
    const props = out.length ? `\n      <system-out>${escapeXml(out.join('\n'))}</system-out>` : ''
    if (r.skipped)
      return `${open}\n      <skipped message="${escapeXml((r.notApplicable ?? []).join('; '))}"/>${props}\n    </testcase>`
    if (r.passed) return `${open}${props}\n    </testcase>`
    const message = escapeXml(r.reasons[0] ?? 'failed')
    return `${open}\n      <failure message="${message}" type="${escapeXml(r.error?.code ?? 'expectation')}">${escapeXml(r.reasons.join('\n'))}</failure>${props}\n    </testcase>`
  })
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="tablewright" tests="${report.rows.length}" failures="${report.failed}">`,
    `  <testsuite name="${escapeXml(suite)}" tests="${report.rows.length}" failures="${report.failed}" errors="0" skipped="${report.skipped}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n')
}
