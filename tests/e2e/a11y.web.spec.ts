import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { ensureCruddur } from './support/api'
import { expect, test } from './support/fixtures'

test.describe.configure({ mode: 'serial' })

const TABLE = 'cruddur-messages'

/** Serious and critical WCAG 2 A/AA violations on the page as it is, listed so a failure says what and where. */
async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze()
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${n.failureSummary ?? ''}`))
}

async function setTheme(page: Page, theme: 'light' | 'dark') {
  const toggle = page.getByRole('button', { name: `Switch to ${theme} theme` })
  if (await toggle.count()) await toggle.click()
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
}

for (const theme of ['dark', 'light'] as const) {
  test(`the main views have no serious accessibility violations (${theme} theme)`, async ({
    page,
    request,
    host,
  }) => {
    // axe walks every node of five views; on a shared two-core machine that takes a while.
    test.setTimeout(240_000)
    await ensureCruddur(request, host)
    await expect(
      page.getByRole('region', { name: 'Connection overview' }).getByLabel('connection status'),
    ).toHaveText('connected', { timeout: 60_000 })
    await setTheme(page, theme)
    expect(await seriousViolations(page), 'Overview').toEqual([])

    await page
      .getByRole('navigation', { name: 'Tables of this connection' })
      .getByRole('button', { name: new RegExp(TABLE) })
      .click()
    const grid = page.getByRole('grid', { name: 'Items' })
    await grid
      .getByRole('row', { name: /^Message/ })
      .first()
      .click()
    await expect(
      page.getByRole('complementary', { name: 'Inspector' }).getByRole('status', { name: 'Validation' }),
    ).toHaveText('Valid.')
    expect(await seriousViolations(page), 'Visualizer and inspector').toEqual([])

    await page.getByRole('combobox', { name: 'View' }).selectOption({ index: 1 })
    await page.getByRole('checkbox', { name: 'Show items not in the index' }).check()
    expect(await seriousViolations(page), 'Index view').toEqual([])

    await page.getByRole('tab', { name: 'Schema & data' }).click()
    await expect(page.getByRole('region', { name: 'Schema and data' })).toBeVisible()
    expect(await seriousViolations(page), 'Schema & data').toEqual([])

    await page.getByRole('tab', { name: 'Access patterns' }).click()
    await page.getByRole('button', { name: /^Run pattern/ }).click()
    await expect(page.getByRole('region', { name: /^Result of pattern/ })).toBeVisible()
    expect(await seriousViolations(page), 'Access patterns').toEqual([])
  })
}

test('disabled buttons look disabled in the dark theme', async ({ page, request, host }) => {
  await ensureCruddur(request, host)
  await expect(
    page.getByRole('region', { name: 'Connection overview' }).getByLabel('connection status'),
  ).toHaveText('connected', { timeout: 60_000 })
  await setTheme(page, 'dark')
  const disabled = page.getByRole('button', { name: 'Inspector', exact: true })
  await expect(disabled).toBeDisabled()
  const enabled = page.getByRole('button', { name: 'Sidebar', exact: true })
  const look = (el: unknown) => {
    const s = (
      globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> }
    ).getComputedStyle(el)
    return { color: s.color!, borderStyle: s.borderTopStyle!, cursor: s.cursor! }
  }
  const off = await disabled.evaluate(look)
  const on = await enabled.evaluate(look)
  expect(off.color).not.toBe(on.color)
  expect(off.borderStyle).toBe('dashed')
  expect(off.cursor).toBe('not-allowed')
})

test('keyboard: a view tab opens with Enter and shows a visible focus ring', async ({
  page,
  request,
  host,
}) => {
  await ensureCruddur(request, host)
  await expect(
    page.getByRole('region', { name: 'Connection overview' }).getByLabel('connection status'),
  ).toHaveText('connected', { timeout: 60_000 })
  const tab = page.getByRole('tab', { name: 'Visualizer' })
  await tab.focus()
  await page.keyboard.press('Enter')
  await expect(tab).toHaveAttribute('aria-selected', 'true')
  const ring = await tab.evaluate((el) => {
    const s = (
      globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> }
    ).getComputedStyle(el)
    return { style: s.outlineStyle!, width: s.outlineWidth! }
  })
  expect(ring.style).not.toBe('none')
  expect(parseFloat(ring.width)).toBeGreaterThanOrEqual(2)
})
