import type { Locator } from '@playwright/test'
import { ensureCruddur } from './support/api'
import { expect, test } from './support/fixtures'
import { openRecipe, openTable, recipeParam } from './support/ui'

/** Every element that scrolls sideways inside `root` (itself included): scrollWidth beyond clientWidth. */
const sideways = (root: Locator) =>
  root.evaluate((el) => {
    type El = { scrollWidth: number; clientWidth: number; getAttribute(n: string): string | null }
    const all = [el, ...el.querySelectorAll('*')] as unknown as El[]
    return all
      .filter((e) => e.scrollWidth > e.clientWidth + 1)
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
  const count = await steps.count()
  expect(count).toBeGreaterThanOrEqual(5)
  for (let i = 0; i < count; i++) {
    const step = steps.nth(i)
    const { scrollWidth, clientWidth } = await step.evaluate((el) => ({
      scrollWidth: el.scrollWidth,
      clientWidth: el.clientWidth,
    }))
    expect(scrollWidth, `step ${i + 1} scrolls sideways`).toBeLessThanOrEqual(clientWidth)
  }
  expect(await sideways(timeline)).toEqual([])
})
