import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { api } from './support/api'
import { expect, test } from './support/fixtures'

// The host is shared by the worker's specs: this one leaves the built-in sample open again when it ends.
test.describe.configure({ mode: 'serial' })

/** The store sample, opened by its path as a user's own model file would be: nothing in the app knows its names. */
const MODEL = fileURLToPath(new URL('../../seeds/store/model.json', import.meta.url))
const TABLE = 'store'
const ORDER_1 = '6f1c2a9e-0d3b-4b7a-9c11-2b5e8d0a0101'

const dropStore = async (request: Parameters<typeof api>[0], host: Parameters<typeof api>[1]) => {
  const tables = await api<{ name: string }[]>(request, host, 'tables:list', { connectionId: 'embedded' })
  if (tables.some((t) => t.name === TABLE))
    await api(request, host, 'tables:drop', { connectionId: 'embedded', tableName: TABLE, confirm: TABLE })
}

test.afterAll(async ({ request, host }) => {
  if (host.kind !== 'web') return
  await api(request, host, 'models:open', { modelId: 'cruddur' })
  await dropStore(request, host)
})

test('the store sample: open by path, load, visualize GSI1, the sparse index and the LSI, run patterns', async ({
  page,
  request,
  host,
}) => {
  await dropStore(request, host)
  const overview = page.getByRole('region', { name: 'Connection overview' })
  await expect(overview.getByLabel('connection status')).toHaveText('connected', { timeout: 60_000 })
  const panel = page.getByRole('region', { name: 'Model' })
  await panel.getByLabel('Model file path').fill(MODEL)
  await panel.getByRole('button', { name: 'Open model' }).click()
  await expect(panel.getByLabel('model name')).toHaveText('store')
  await expect(panel.getByLabel('model file', { exact: true })).toHaveText(path.resolve(MODEL))
  // It is also one of the built-in samples, found in the app's seeds/ folder.
  await expect(
    panel.getByLabel('Open a sample or a recent model').locator('option[value="builtin:store"]'),
  ).toHaveCount(1)

  // Load: schema and items from the model; the visualizer names its four entities in their colours.
  await overview.getByRole('button', { name: 'Load the store sample' }).click()
  await expect(page.getByRole('navigation', { name: 'Tables of this connection' })).toContainText(TABLE)
  const grid = page.getByRole('grid', { name: 'Items' })
  await expect(grid).toBeVisible({ timeout: 60_000 })
  const summary = page.getByRole('status', { name: 'View summary' })
  // 4 customer partitions (with their orders), 6 order-line partitions, 5 product partitions
  await expect(summary).toHaveText(/^20 items in 15 partitions/)
  const legend = page.getByRole('list', { name: 'Entities' })
  for (const e of ['Customer', 'Order', 'OrderLine', 'Product']) await expect(legend).toContainText(e)
  await expect(grid.getByRole('rowheader', { name: /^CUST#ann/ })).toBeVisible()
  await expect(grid.getByRole('row', { name: /^Customer/ }).first()).toBeVisible()

  const view = page.getByRole('combobox', { name: 'View' })
  // GSI1, overloaded: every item is in it, grouped as usernames, orders with their lines, and categories.
  await view.selectOption('GSI1')
  const gsi = page.getByRole('grid', { name: 'Items in GSI1' })
  await expect(gsi).toBeVisible()
  await expect(summary).toHaveText(/^20 items in 12 partitions · 0 items not in GSI1/)
  await expect(gsi.getByRole('rowheader', { name: new RegExp(`^ORDER#${ORDER_1}`) })).toBeVisible()
  await expect(gsi.getByRole('rowheader', { name: /^CATEGORY#peripherals/ })).toBeVisible()
  await expect(gsi.getByRole('rowheader', { name: /^USER#ann/ })).toBeVisible()

  // The sparse open-orders index: the three open orders only; the rest are out, each with why.
  await view.selectOption('open-orders')
  const open = page.getByRole('grid', { name: 'Items in open-orders' })
  await expect(open).toBeVisible()
  await expect(summary).toHaveText(/^3 items in 1 partitions? · 17 items not in open-orders/)
  await expect(open.getByRole('rowheader', { name: /^OPEN/ })).toBeVisible()
  await expect(open.getByRole('row', { name: /^Order\b/ })).toHaveCount(3)
  await expect(open.getByRole('row', { name: /^(Customer|OrderLine|Product)/ })).toHaveCount(0)
  await page.getByRole('checkbox', { name: 'Show items not in the index' }).check()
  await expect(open.getByRole('rowheader', { name: /Not in this index/ })).toBeVisible()
  await expect(open).toContainText('no OpenOrdersPK: not in open-orders')

  // The LSI: a customer's partition sorted by placed_at; the customer row itself has none.
  await page.getByRole('checkbox', { name: 'Show items not in the index' }).uncheck()
  await view.selectOption('orders-by-date')
  await expect(summary).toHaveText(/^5 items in 3 partitions · 15 items not in orders-by-date/)

  // Access patterns: the model's nine, each with its entity; the LSI query and the sparse index query run.
  await page.getByRole('tab', { name: 'Access patterns' }).click()
  const patterns = page.getByRole('navigation', { name: 'Patterns' })
  await expect(patterns.getByRole('button')).toHaveCount(9)
  await patterns.getByRole('button', { name: /customer-orders-by-date/ }).click()
  const form = page.getByRole('form', { name: 'Pattern customer-orders-by-date parameters' })
  // customer_id is bound to the customers' attribute: pick Bob by name instead of typing his id.
  const customerId = form.getByRole('combobox', { name: 'customer_id' })
  await customerId.fill('')
  await form
    .getByRole('listbox', { name: 'Suggestions' })
    .getByRole('option', { name: /Bob Ortiz/ })
    .click()
  await expect(customerId).toHaveValue('bob')
  await form.getByRole('button', { name: 'Run pattern customer-orders-by-date' }).click()
  const result = page.getByRole('region', { name: 'Result of pattern customer-orders-by-date' })
  await expect(result.getByLabel('Served by')).toHaveText('Query')
  const items = result.getByRole('table', { name: 'Pattern customer-orders-by-date items' })
  // bob's two orders, newest first
  await expect(items.getByRole('row')).toHaveCount(3)
  await expect(items.getByRole('row').nth(1)).toContainText('2026-11-21T19:30:00Z')
  await expect(items.getByRole('row').nth(2)).toContainText('2026-11-10T12:00:00Z')
  await expect(result.getByRole('list', { name: 'Expectations' }).getByRole('listitem')).toHaveCount(3)
  await expect(result.getByRole('list', { name: 'Expectations' })).not.toContainText('failed')

  await patterns.getByRole('button', { name: /open-orders/ }).click()
  await page
    .getByRole('form', { name: 'Pattern open-orders parameters' })
    .getByRole('button', { name: 'Run pattern open-orders' })
    .click()
  const openResult = page.getByRole('region', { name: 'Result of pattern open-orders' })
  const openItems = openResult.getByRole('table', { name: 'Pattern open-orders items' })
  await expect(openItems.getByRole('row')).toHaveCount(4)
  await expect(openItems.getByRole('row').nth(1)).toContainText('2026-11-18T17:40:00Z')
  await expect(openResult.getByRole('list', { name: 'Expectations' })).not.toContainText('failed')
})
