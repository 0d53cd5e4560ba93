import { ensureCruddur } from './support/api'
import { expect, test } from './support/fixtures'
import { openTable } from './support/ui'

test.describe.configure({ mode: 'serial' })

test('the sidebar and inspector resize from the keyboard and the mouse, hide, and keep their sizes', async ({
  page,
  request,
  host,
}) => {
  await ensureCruddur(request, host)
  const grid = await openTable(page)
  const sidebar = page.getByRole('complementary', { name: 'Sidebar' })
  const inspector = page.getByRole('complementary', { name: 'Inspector' })

  // Nothing inspected: the inspector takes no room.
  await expect(inspector).toBeHidden()
  await expect(page.getByRole('button', { name: 'Inspector', exact: true })).toBeDisabled()

  const sidebarSplitter = page.getByRole('separator', { name: 'Resize the sidebar' })
  const before = Number(await sidebarSplitter.getAttribute('aria-valuenow'))
  await sidebarSplitter.focus()
  await page.keyboard.press('ArrowRight')
  await page.keyboard.press('ArrowRight')
  await expect(sidebarSplitter).toHaveAttribute('aria-valuenow', String(before + 32))
  expect(Math.round((await sidebar.boundingBox())!.width)).toBe(before + 32)

  // Opening an item shows the inspector; dragging its splitter left widens it.
  await grid
    .getByRole('row', { name: /^Message/ })
    .first()
    .click()
  await expect(inspector).toBeVisible()
  const inspectorSplitter = page.getByRole('separator', { name: 'Resize the inspector' })
  const inspectorBefore = Number(await inspectorSplitter.getAttribute('aria-valuenow'))
  const box = (await inspectorSplitter.boundingBox())!
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  await page.mouse.down()
  await page.mouse.move(box.x + box.width / 2 - 100, box.y + box.height / 2, { steps: 5 })
  await page.mouse.up()
  await expect(inspectorSplitter).toHaveAttribute('aria-valuenow', String(inspectorBefore + 100))

  // Hide both: the main column gets the whole width.
  const main = page.getByRole('main')
  const narrow = (await main.boundingBox())!.width
  await page.getByRole('button', { name: 'Sidebar', exact: true }).click()
  await page.getByRole('button', { name: 'Inspector', exact: true }).click()
  await expect(sidebar).toBeHidden()
  await expect(inspector).toBeHidden()
  expect((await main.boundingBox())!.width).toBeGreaterThan(narrow + 200)

  // A new start remembers the sizes and that the sidebar was hidden.
  await page.goto(host.url!)
  await expect(sidebar).toBeHidden()
  await page.getByRole('button', { name: 'Sidebar', exact: true }).click()
  await expect(page.getByRole('separator', { name: 'Resize the sidebar' })).toHaveAttribute(
    'aria-valuenow',
    String(before + 32),
  )
  const grid2 = await openTable(page)
  await grid2
    .getByRole('row', { name: /^Message/ })
    .first()
    .click()
  await expect(inspector).toBeVisible()
  await expect(page.getByRole('separator', { name: 'Resize the inspector' })).toHaveAttribute(
    'aria-valuenow',
    String(inspectorBefore + 100),
  )
  // Put the defaults back for the specs that follow in this worker.
  await page.evaluate(() =>
    (globalThis as unknown as { localStorage: { clear(): void } }).localStorage.clear(),
  )
})

test('at 1280×720 the visualizer grid is the only scroller and pattern results show their keys whole', async ({
  page,
  request,
  host,
}) => {
  await ensureCruddur(request, host)
  await page.setViewportSize({ width: 1280, height: 720 })
  const grid = await openTable(page)
  const panel = page.getByRole('tabpanel')
  // The tab panel does not scroll: the grid fills it and scrolls by itself, bottom edge on screen.
  expect(await panel.evaluate((el) => el.scrollHeight <= el.clientHeight)).toBe(true)
  expect(await page.locator('html').evaluate((el) => el.scrollHeight <= el.clientHeight)).toBe(true)
  const gridBox = (await grid.boundingBox())!
  expect(gridBox.y + gridBox.height).toBeLessThanOrEqual(720)
  expect(await grid.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true)

  // Pattern B's items: the table uses the width it is given, and pk and sk are shown whole.
  await page.getByRole('tab', { name: 'Access patterns' }).click()
  await page
    .getByRole('navigation', { name: 'Patterns' })
    .getByRole('button', { name: /^B A user's conversations/ })
    .click()
  await page.getByRole('button', { name: 'Run pattern B' }).click()
  const table = page.getByRole('table', { name: 'Pattern B items' })
  await expect(table.getByRole('row').nth(1)).toBeVisible()
  expect((await table.boundingBox())!.width).toBeGreaterThan(700)
  for (const n of [1, 2]) {
    const cell = table.getByRole('row').nth(1).getByRole('cell').nth(n)
    await expect(cell).toHaveText(n === 1 ? /^GRP#/ : /\d{4}-\d\d-\d\d/)
    expect(await cell.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true)
  }
})
