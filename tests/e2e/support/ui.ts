import { expect, type Locator, type Page } from '@playwright/test'

/** The app is up and its active connection answered (the first thing every spec waits for). */
export async function expectConnected(page: Page) {
  await expect(
    page.getByRole('region', { name: 'Connection overview' }).getByLabel('connection status'),
  ).toHaveText('connected', { timeout: 60_000 })
}

/** Opens a table from the sidebar and waits for the visualizer's first item row; returns the grid. */
export async function openTable(page: Page, table = 'cruddur-messages'): Promise<Locator> {
  await expectConnected(page)
  await page
    .getByRole('navigation', { name: 'Tables of this connection' })
    .getByRole('button', { name: new RegExp(table) })
    .click()
  const grid = page.getByRole('grid', { name: 'Items' })
  await expect(grid.getByRole('row', { name: /^Message/ }).first()).toBeVisible()
  return grid
}
