import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from './support/fixtures'
import { openModelByPath } from './support/ui'

// Both tests share the worker's host: each leaves the built-in sample open when it ends.
test.describe.configure({ mode: 'serial' })

const seedDir = fileURLToPath(new URL('../../seeds/cruddur/', import.meta.url))

// Check and cost run on a throwaway engine of their own, so this spec needs no data on the app's connection.
test('Check model passes every Cruddur pattern; a row opens its run; the cost chart follows the theme', async ({
  page,
}) => {
  await page.getByRole('tab', { name: 'Check & cost' }).click()
  await page.getByRole('button', { name: 'Check model' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'passed' })).toHaveText(
    'All passed: 6 passed, 0 failed',
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
    'All passed: 6 passed, 0 failed',
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

test("the access-pattern matrix shows each row's check; a failing row of a broken model opens its run", async ({
  page,
}) => {
  // A copy of Cruddur whose pattern B expects an exact count its sample data does not have.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-e2e-check-'))
  for (const f of ['items.json', 'handler.mjs', 'send-message.mjs'])
    copyFileSync(path.join(seedDir, f), path.join(dir, f))
  const model = JSON.parse(readFileSync(path.join(seedDir, 'model.json'), 'utf8')) as {
    name: string
    $schema?: string
    accessPatterns: { id: string; expectations?: Record<string, unknown> }[]
  }
  delete model.$schema
  model.name = 'cruddur-broken'
  const b = model.accessPatterns.find((p) => p.id === 'B')!
  b.expectations = { ...b.expectations, count: 99 }
  const file = path.join(dir, 'model.json')
  writeFileSync(file, JSON.stringify(model))

  const panel = await openModelByPath(page, file, 'cruddur-broken')

  await page.getByRole('tab', { name: 'Check & cost' }).click()
  await page.getByRole('button', { name: 'Check model' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'failed' })).toHaveText(
    'Some failed: 5 passed, 1 failed',
    { timeout: 60_000 },
  )
  await expect(
    page.getByRole('table', { name: 'Check results' }).getByRole('row', { name: 'Pattern B', exact: true }),
  ).toContainText('exactly 99 items: 2 items')

  await page.getByRole('tab', { name: 'Model', exact: true }).click()
  const matrix = page.getByRole('table', { name: 'Access patterns' })
  const row = (id: string) =>
    matrix
      .getByRole('row')
      .filter({ has: page.getByRole('button', { name: `Run pattern ${id}`, exact: true }) })
  await expect(row('A')).toContainText('pass')
  await row('B').getByRole('button', { name: 'Check failed for B: show the run' }).click()
  const inspected = page.getByRole('region', { name: 'Inspecting Failed check of B' })
  await expect(inspected).toContainText('exactly 99 items')
  await expect(inspected).toContainText('KeyConditionExpression')

  await panel.getByLabel('Open a sample or a recent model').selectOption('builtin:cruddur')
  await expect(panel.getByLabel('model name')).toHaveText('cruddur')
  // The matrix shows a check only for the model it was run on.
  await expect(matrix.getByRole('columnheader', { name: 'Check' })).toHaveCount(0)
})
