import { expect, test } from './support/fixtures'

// Check and cost run on a throwaway engine of their own, so this spec needs no data on the app's connection.
test('Check model passes every Cruddur pattern; a row opens its run; the cost chart follows the theme', async ({
  page,
}) => {
  await page.getByRole('tab', { name: 'Check & cost' }).click()
  await page.getByRole('button', { name: 'Check model' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'passed' })).toHaveText(
    'All passed: 5 passed, 0 failed',
    { timeout: 60_000 },
  )
  const results = page.getByRole('table', { name: 'Check results' })
  for (const id of ['A', 'A2', 'B', 'C', 'D'])
    await expect(results.getByRole('row', { name: `Pattern ${id}`, exact: true })).toContainText('pass')
  await expect(results.getByRole('row', { name: 'Pattern D', exact: true })).toContainText(
    'message-group-sk-index',
  )

  await expect(page.getByText('Ran on throwaway engine')).toBeVisible()

  // The same check on the app's own connection, under a prefix of its own that is gone afterwards.
  await page.getByLabel(/On Embedded engine instead of a throwaway engine/).check()
  await page.getByRole('button', { name: 'Check model' }).click()
  await expect(page.getByText(/^Ran on Embedded engine, tables under twcheck-/)).toBeVisible({
    timeout: 60_000,
  })
  await expect(page.getByRole('status').filter({ hasText: 'passed' })).toHaveText(
    'All passed: 5 passed, 0 failed',
  )
  await expect(
    page.getByRole('navigation', { name: 'Tables of this connection' }).getByText(/twcheck-/),
  ).toHaveCount(0)

  await results.getByRole('button', { name: 'Show the run of B' }).click()
  const inspected = page.getByRole('region', { name: 'Inspecting Check run of B' })
  await expect(inspected).toContainText('KeyConditionExpression')

  await page.getByLabel('Rate for A (req/s)').fill('100')
  await page.getByLabel('Rate for C (req/s)').fill('10')
  await page.getByRole('button', { name: 'Estimate cost' }).click()
  const costs = page.getByRole('table', { name: 'Cost per pattern' })
  // Pattern A reads a 20-message page (about 8 KB, 1 RCU eventually consistent): 100/s × 730 h = $32.85 on-demand.
  await expect(
    costs.getByRole('row').filter({ hasText: 'Messages of one conversation' }).first(),
  ).toContainText('$32.85', { timeout: 60_000 })
  const chart = page.getByRole('figure', { name: 'Cost per pattern chart' })
  await expect(chart.getByText('Cost per pattern, $ a month')).toBeVisible()
  await expect(chart.getByText('On-demand', { exact: true })).toBeVisible()
  await expect(chart.getByText('Provisioned', { exact: true })).toBeVisible()
  await expect(page.getByRole('figure', { name: 'Capacity per index chart' })).toContainText(
    'message-group-sk-index',
  )

  await expect(page.getByRole('figure', { name: 'Partition sizes of cruddur-messages' })).toContainText(
    '≤ 1 KB',
  )

  // Bars take the theme's palette: the light theme's accent once it is switched to light, the dark one's back.
  const theme = page.getByRole('button', { name: /Switch to (light|dark) theme/ })
  if ((await theme.getAttribute('aria-label')) === 'Switch to dark theme') await theme.click()
  await expect(chart.locator('path[fill="#38bdf8"]').first()).toBeVisible()
  await page.getByRole('button', { name: 'Switch to light theme' }).click()
  await expect(chart.locator('path[fill="#0369a1"]').first()).toBeVisible()
  await expect(chart.locator('path[fill="#38bdf8"]')).toHaveCount(0)
})
