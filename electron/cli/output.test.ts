import { expect, test } from 'vitest'
import { LosslessNumber } from '../../shared/domain/attribute-json'
import { CliFailure, EXIT, formatTable, Progress } from './output'

const sink = (isTTY: boolean) => {
  const out: string[] = []
  return { out, stream: { isTTY, columns: 80, write: (s: string) => (out.push(s), true) } }
}

test('CliFailure puts the code before the message and keeps the bare message', () => {
  const f = new CliFailure('no table x', EXIT.failed, 'table.notFound')
  expect(f.message).toBe('table.notFound: no table x')
  expect(f.detail).toBe('no table x')
  expect(new CliFailure('bad', EXIT.usage).message).toBe('bad')
})

test('formatTable aligns columns and cuts long cells', () => {
  const lines = formatTable(
    [
      { a: 'x', b: 'long value here' },
      { a: 'yyyy', b: 1 },
    ],
    ['a', 'b'],
    8,
  )
  expect(lines).toEqual(['A     B', 'x     long va…', 'yyyy  1'])
})

test('plain progress prints a line per step and per label change, not per update', () => {
  const { out, stream } = sink(false)
  const p = new Progress({ stream, stepPercent: 50 })
  for (let i = 0; i <= 10; i++) p.update('seeding t', i, 10)
  p.update('seeding u', 10, 10)
  p.finish()
  expect(out).toEqual([
    'seeding t 0/10 (0%)\n',
    'seeding t 5/10 (50%)\n',
    'seeding t 10/10 (100%)\n',
    'seeding u 10/10 (100%)\n',
  ])
})

test('terminal progress redraws one line with a bar and ends it on finish', () => {
  const { out, stream } = sink(true)
  const p = new Progress({ stream })
  p.update('scan', 1, 4)
  p.update('scan', 4, 4)
  p.finish()
  expect(out.slice(0, 2).every((s) => s.startsWith('\r['))).toBe(true)
  expect(out[1]).toContain('100%')
  expect(out.at(-1)).toBe('\n')
})

test('table cells show numbers beyond JS precision digit for digit', () => {
  const big = new LosslessNumber('12345678901234567890.123456789012345678')
  const lines = formatTable(
    [{ n: big, m: { huge: new LosslessNumber('9.9999999999999999999999999999999999999E+125') } }],
    ['n', 'm'],
  )
  expect(lines[1]).toBe(
    '12345678901234567890.123456789012345678  {"huge":9.9999999999999999999999999999999999999E+125}',
  )
})
