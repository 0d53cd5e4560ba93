import type { Locator } from '@playwright/test'
import { ensureCruddur } from './support/api'
import { expect, test } from './support/fixtures'
import { openRecipe, openTable, recipeParam } from './support/ui'

/**
 * The widths that scroll sideways among the timeline, its steps and their diff tables (code blocks inside a step
 * scroll on their own, by design, and are not counted).
 */
const sideways = (timeline: Locator) =>
  timeline.evaluate((el) => {
    type El = { scrollWidth: number; clientWidth: number; getAttribute(n: string): string | null }
    const all = [el, ...el.querySelectorAll('ol, li, div, table, td')] as unknown as El[]
    return all
      .filter((e) => e.scrollWidth > e.clientWidth)
      .map((e) => `${e.getAttribute('aria-label') ?? '?'}: ${e.scrollWidth} > ${e.clientWidth}`)
  })

test("a 500-character value wraps in its step's diff at 1280×720: no step scrolls sideways", async ({
  page,
  request,
  host,
}) => {
  test.setTimeout(120_000)
  await page.setViewportSize({ width: 1280, height: 720 })
  await ensureCruddur(request, host)
  await openTable(page)
  const form = await openRecipe(page, 'Send a message', 'send-message')
  // One word with no place to break: the hardest case for a table cell.
  const long = '0123456789abcdef'.repeat(32).slice(0, 500)
  await recipeParam(form, 'message').fill(long)
  await form.getByRole('button', { name: 'Run Send a message' }).click()

  const timeline = page.getByRole('region', { name: 'Timeline' })
  const steps = timeline.getByRole('list', { name: 'Steps' }).getByRole('listitem')
  await expect(steps.first()).toBeVisible({ timeout: 60_000 })
  await timeline.getByRole('button', { name: 'Show all steps' }).click()
  await expect(timeline.getByRole('button', { name: 'Show all steps' })).toBeDisabled()

  // A diff that carries the message: the value is clamped with a Show more, and the row fits its step.
  const put = steps.filter({ has: page.getByRole('heading', { name: /^PutItem MSG#/ }) }).first()
  const changes = put.getByRole('table', { name: /changes$/ })
  const row = changes.getByRole('row', { name: /^message / })
  const more = row.getByRole('button', { name: /^Show all of message after \(500 characters\)$/ })
  await expect(more).toHaveAttribute('aria-expanded', 'false')
  await expect(row.getByRole('cell').last()).not.toContainText(long)
  expect(await sideways(timeline)).toEqual([])

  // Shown in full, it wraps inside its column: still nothing scrolls sideways.
  await more.click()
  await expect(row.getByRole('cell').last()).toContainText(long)
  await expect(row.getByRole('button', { name: /^Show less of message after/ })).toHaveAttribute(
    'aria-expanded',
    'true',
  )
  expect(await steps.count()).toBeGreaterThanOrEqual(5)
  // Ids and timestamps still keep their line: a new item's diff has no Before column to share the width with.
  await expect(changes.getByRole('columnheader')).toHaveText(['Attribute', 'After'])
  for (const name of ['sk', 'message_uuid', 'pk']) {
    const cell = changes.getByRole('row', { name: new RegExp(`^${name} `) }).getByRole('cell')
    const lines = await cell.evaluate((el) => {
      const r = el.ownerDocument.createRange()
      r.selectNodeContents(el)
      return new Set([...r.getClientRects()].map((b) => Math.round(b.top))).size
    })
    expect(lines, `${name} on one line`).toBe(1)
  }
  expect(await sideways(timeline)).toEqual([])

  await page.screenshot({ path: test.info().outputPath('timeline-width.png') })
})
