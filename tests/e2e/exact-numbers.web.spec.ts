import type { Locator, Page } from '@playwright/test'
import { api, ensureCruddur, escapeRegExp, scanAll } from './support/api'
import { expect, test } from './support/fixtures'

// Issue 14 item 1: DynamoDB's extremes (38 significant digits, the smallest and the largest magnitude) survive the
// inspector's plain JSON and a save of another attribute, in a real Chromium against the real host.
const BIG = '12345678901234567890.123456789012345678'
const HUGE = '9.9999999999999999999999999999999999999E+125'
const TABLE = 'cruddur-messages'

/** Pastes text into the editor, as a person would (typing would go through Monaco's auto-closing). */
async function replaceEditorText(page: Page, editor: Locator, text: string) {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
  await page.evaluate(
    (t) =>
      (
        globalThis as unknown as { navigator: { clipboard: { writeText(s: string): Promise<void> } } }
      ).navigator.clipboard.writeText(t),
    text,
  )
  await editor.focus()
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.press('ControlOrMeta+V')
}

/** The same decimal, however it is spelled (1E-130, 1e-130, 0.000…1). */
const digits = (n: string) => {
  const m = /^(-?)(\d*)\.?(\d*)[eE]?([+-]?\d*)$/.exec(n)!
  const all = `${m[2]}${m[3]}`
  const lead = all.search(/[1-9]/)
  return {
    sign: m[1],
    significant: all.slice(lead).replace(/0+$/, ''),
    exponent: m[2]!.length - lead + Number(m[4] || 0),
  }
}

test('the inspector shows 38-digit, tiny and huge numbers exactly and a save of another attribute keeps them', async ({
  page,
  request,
  host,
}) => {
  await ensureCruddur(request, host)
  const messages = (await scanAll(request, host, TABLE)).filter((it) => it.pk!.S!.startsWith('MSG#'))
  // The first row of the first message partition: on screen without scrolling.
  const firstPk = messages.map((it) => it.pk!.S!).sort()[0]!
  const target = messages
    .filter((it) => it.pk!.S === firstPk)
    .sort((a, b) => (a.sk!.S! < b.sk!.S! ? -1 : 1))[0]!
  await api(request, host, 'items:put', {
    connectionId: 'embedded',
    tableName: TABLE,
    item: { ...target, big: { N: BIG }, tiny: { N: '1E-130' }, huge: { N: HUGE } },
  })

  await expect(
    page.getByRole('region', { name: 'Connection overview' }).getByLabel('connection status'),
  ).toHaveText('connected', { timeout: 60_000 })
  await page
    .getByRole('navigation', { name: 'Tables of this connection' })
    .getByRole('button', { name: new RegExp(TABLE) })
    .click()
  const grid = page.getByRole('grid', { name: 'Items' })
  await grid.getByRole('row', { name: new RegExp(`^Message.*${escapeRegExp(target.sk!.S!)}`) }).click()

  const inspector = page.getByRole('complementary', { name: 'Inspector' })
  const editor = inspector.getByRole('textbox', { name: 'Item JSON' })
  await expect(editor).toBeAttached({ timeout: 30_000 })
  // Plain JSON shows them as number literals, digit for digit, as the engine spells them (JSON.stringify would print
  // 12345678901234567000 and 1e+126). Monaco wraps long lines, so whitespace is left out of the comparison.
  const stored = (await scanAll(request, host, TABLE)).find(
    (it) => it.pk!.S === target.pk!.S && it.sk!.S === target.sk!.S,
  )!
  const shown = async () => ((await inspector.textContent()) ?? '').replace(/\s+/g, '')
  await expect.poll(shown).toContain(`"big":${stored.big!.N!}`)
  await expect.poll(shown).toContain(`"huge":${stored.huge!.N!}`)
  expect(digits(stored.big!.N!)).toEqual(digits(BIG))
  expect(digits(stored.huge!.N!)).toEqual(digits(HUGE))
  await expect(inspector.getByRole('status', { name: 'Validation' })).toHaveText('Valid.')

  // Edit another attribute in plain JSON, with the numbers written as literals, and save.
  const strings = Object.fromEntries(Object.entries(target).map(([k, v]) => [k, v.S ?? v.N]))
  const text = JSON.stringify({ ...strings, message: 'Edited next to exact numbers' }, null, 2).replace(
    /\n}$/,
    `,\n  "big": ${BIG},\n  "tiny": 1e-130,\n  "huge": ${HUGE}\n}`,
  )
  await replaceEditorText(page, editor, text)
  await expect(inspector.getByRole('status', { name: 'Validation' })).toHaveText('Valid — unsaved changes.')
  await inspector.getByRole('button', { name: 'Save item' }).click()
  await expect(inspector.getByRole('status').filter({ hasText: /^Saved\.$/ })).toBeVisible()

  const after = (await scanAll(request, host, TABLE)).find(
    (it) => it.pk!.S === target.pk!.S && it.sk!.S === target.sk!.S,
  )!
  expect(after.message).toEqual({ S: 'Edited next to exact numbers' })
  expect(digits(after.big!.N!)).toEqual(digits(BIG))
  expect(digits(after.tiny!.N!)).toEqual(digits('1E-130'))
  expect(digits(after.huge!.N!)).toEqual(digits(HUGE))

  // The DynamoDB JSON view carries the same stored text.
  await inspector.getByRole('radio', { name: 'DynamoDB JSON' }).click()
  await expect.poll(shown).toContain(`"big":{"N":"${after.big!.N!}"}`)
  // The item goes back as seeded: specs that run later on this host read the sample's first message too.
  await api(request, host, 'items:put', { connectionId: 'embedded', tableName: TABLE, item: target })
})
