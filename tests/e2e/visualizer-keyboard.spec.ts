import { ensureCruddur, scanAll, type JsonItem } from './support/api'
import { expect, test } from './support/fixtures'

const TABLE = 'cruddur-messages'

/** The table's items in the visualizer's order: partitions by pk, items by sk (ASCII keys: byte order = string order). */
function inViewOrder(items: JsonItem[]): { pk: string; sk: string }[] {
  const keys = items.map((it) => ({ pk: it.pk!.S!, sk: it.sk!.S! }))
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
  return keys.sort((a, b) => cmp(a.pk, b.pk) || cmp(a.sk, b.sk))
}

test('the visualizer grid moves its cursor with the keyboard and opens the item with Enter', async ({
  page,
  request,
  host,
}) => {
  test.skip(host.kind !== 'web', 'seeds the sample through the browser host API')
  await ensureCruddur(request, host)
  const order = inViewOrder(await scanAll(request, host, TABLE))
  expect(order.length).toBeGreaterThan(4)

  await expect(
    page.getByRole('region', { name: 'Connection overview' }).getByLabel('connection status'),
  ).toHaveText('connected', {
    timeout: 60_000,
  })
  await page
    .getByRole('navigation', { name: 'Tables of this connection' })
    .getByRole('button', { name: new RegExp(TABLE) })
    .click()
  const grid = page.getByRole('grid', { name: 'Items' })
  await expect(grid).toBeVisible()
  const selected = grid.getByRole('row', { selected: true })

  // Focusing the grid puts the cursor on the first item, under its partition header (row 1).
  await grid.focus()
  await expect(grid).toBeFocused()
  await expect(selected).toHaveCount(1)
  await expect(selected).toHaveAttribute('aria-rowindex', '2')
  await expect(selected).toContainText(order[0]!.sk)

  // Three rows down: the fourth item in key order (past a partition header if the first partition is short).
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown')
  const fourth = order[3]!
  await expect(selected).toHaveCount(1)
  await expect(selected).toContainText(fourth.sk)
  await expect(grid).toHaveAttribute('aria-activedescendant', (await selected.getAttribute('id'))!)

  // Enter opens it in the inspector.
  const inspector = page.getByRole('complementary', { name: 'Inspector' })
  await page.keyboard.press('Enter')
  await expect(inspector.getByText(`${fourth.pk} · ${fourth.sk}`, { exact: true })).toBeVisible()
  await expect(selected).toHaveAttribute('aria-current', 'true')

  // End goes to the last item and scrolls it into view; Home comes back.
  const last = order.at(-1)!
  await page.keyboard.press('End')
  await expect(selected).toContainText(last.sk)
  await expect(selected).toHaveAttribute('aria-rowindex', (await grid.getAttribute('aria-rowcount'))!)
  await expect(selected).toBeInViewport()
  // Runs in the page; this file is typechecked without DOM types.
  await expect
    .poll(() => grid.evaluate((el) => (el as unknown as { scrollTop: number }).scrollTop))
    .toBeGreaterThan(0)
  await page.keyboard.press('Home')
  await expect(selected).toContainText(order[0]!.sk)
  await expect(selected).toBeInViewport()

  // The inspector still shows the item opened with Enter: moving the cursor does not replace it.
  await expect(inspector.getByText(`${fourth.pk} · ${fourth.sk}`, { exact: true })).toBeVisible()
})
