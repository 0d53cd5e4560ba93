import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Locator } from '@playwright/test'
import { api, scanAll } from './support/api'
import { expect, test } from './support/fixtures'
import { expectConnected, openModelByPath, openRecipe, recipeParam } from './support/ui'

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
  await expectConnected(page)
  const panel = await openModelByPath(page, MODEL, 'store')
  const overview = page.getByRole('region', { name: 'Connection overview' })
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
  // The grid draws only the rows on screen (the heat strip above it takes some height): filter to the username.
  const filter = page.getByRole('searchbox', { name: 'Filter' })
  await filter.fill('USER#ann')
  await expect(gsi.getByRole('rowheader', { name: /^USER#ann/ })).toBeVisible()
  await filter.fill('')

  // The sparse open-orders index: the three open orders only; the rest are out, each with why.
  await view.selectOption('open-orders')
  const open = page.getByRole('grid', { name: 'Items in open-orders' })
  await expect(open).toBeVisible()
  await expect(summary).toHaveText(/^3 items in 1 partitions? · 17 items not in open-orders/)
  await expect(open.getByRole('rowheader', { name: /^OPEN/ })).toBeVisible()
  await expect(open.getByRole('row', { name: /^Order\b/ })).toHaveCount(3)
  await expect(open.getByRole('row', { name: /^(Customer|OrderLine|Product)/ })).toHaveCount(0)
  await page.getByRole('checkbox', { name: 'Show items not in the index' }).check()
  // Grouped by reason, each stated once: closed orders lack the key; the rest lack it and placed_at too (15 + 2 = 17).
  await expect(open.getByRole('rowheader', { name: /Not in this index/ })).toHaveCount(2)
  await expect(open.getByRole('rowheader', { name: 'Not in this index · 2 items' })).toHaveAttribute(
    'title',
    'no OpenOrdersPK: not in open-orders',
  )
  await expect(open.getByRole('rowheader', { name: 'Not in this index · 15 items' })).toHaveAttribute(
    'title',
    'no OpenOrdersPK and no placed_at: not in open-orders',
  )

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

/** Fills a recipe's parameters (its form has no suggestions yet, unlike the Patterns view). */
async function fill(form: Locator, values: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(values)) await recipeParam(form, name).fill(value)
}

/** Every step's title, once the whole timeline is shown. */
async function allStepTitles(timeline: Locator): Promise<string[]> {
  const show = timeline.getByRole('button', { name: 'Show all steps' })
  if (await show.isEnabled()) await show.click()
  return timeline.getByRole('list', { name: 'Steps' }).getByRole('heading', { level: 3 }).allTextContents()
}

test('place-order in the Writes & stream view: one transaction, the handler counts it; out of stock, nothing is written', async ({
  page,
  request,
  host,
}) => {
  await dropStore(request, host)
  await api(request, host, 'schema:load', { connectionId: 'embedded', modelId: 'store' })
  await api(request, host, 'data:seed', { connectionId: 'embedded', modelId: 'store' })
  const overview = page.getByRole('region', { name: 'Connection overview' })
  await expect(overview.getByLabel('connection status')).toHaveText('connected', { timeout: 60_000 })
  const panel = page.getByRole('region', { name: 'Model' })
  await panel.getByLabel('Open a sample or a recent model').selectOption('builtin:store')
  await expect(panel.getByLabel('model name')).toHaveText('store')

  const form = await openRecipe(page, 'Place an order', 'place-order')
  // The defaults are the sample's: ann buys a keyboard. Cho buys a headset instead.
  await expect(recipeParam(form, 'customer_id')).toHaveValue('ann')
  await fill(form, {
    customer_id: 'cho',
    sku: 'HS-05',
    product_name: 'Headset',
    price_cents: '7900',
    total_cents: '7900',
  })
  await form.getByRole('button', { name: 'Run Place an order' }).click()

  const timeline = page.getByRole('region', { name: 'Timeline' })
  const summary = timeline.getByLabel('Run summary')
  await expect(summary).toContainText('Written as one TransactWriteItems; handler ran from the stream')
  const titles = await allStepTitles(timeline)
  expect(titles.filter((t) => / \(TransactWriteItems [1-4]\/4\)$/.test(t))).toHaveLength(4)
  expect(titles.filter((t) => t.startsWith('Stream record INSERT'))).toHaveLength(2)
  // the store handler (user code) counted the new order into cho's row
  expect(titles).toContain('UpdateItem CUST#cho · CUST#cho')
  await expect
    .poll(async () => {
      const cho = (await scanAll(request, host, TABLE)).find(
        (it) => it.PK?.S === 'CUST#cho' && it.SK?.S === 'CUST#cho',
      )
      return [cho?.order_count?.N, cho?.spent_cents?.N]
    })
    .toEqual(['2', String(2697 + 7900)])

  // Out of stock: DynamoDB cancels the whole transaction, naming the stock step; nothing is written.
  const before = await scanAll(request, host, TABLE)
  await fill(form, { sku: 'CB-USB', product_name: 'USB-C cable', price_cents: '899', total_cents: '899' })
  await form.getByRole('button', { name: 'Run Place an order' }).click()
  await expect(summary).toContainText('Refused (dynamodb.conditionFailed) as one TransactWriteItems')
  await timeline.getByRole('button', { name: 'Show all steps' }).click()
  await expect(timeline.getByText('Cancellation reason: ConditionalCheckFailed')).toHaveCount(1)
  const refused = await allStepTitles(timeline)
  expect(refused.find((t) => t.includes('(TransactWriteItems 2/4)'))).toMatch(/^UpdateItem PRODUCT#CB-USB/)
  expect(refused.some((t) => t.startsWith('Stream record'))).toBe(false)
  expect(await scanAll(request, host, TABLE)).toHaveLength(before.length)
})

test('schema & data for the store: its definition and indexes, and seeding from its generator', async ({
  page,
  request,
  host,
}) => {
  await dropStore(request, host)
  await api(request, host, 'schema:load', { connectionId: 'embedded', modelId: 'store' })
  const overview = page.getByRole('region', { name: 'Connection overview' })
  await expect(overview.getByLabel('connection status')).toHaveText('connected', { timeout: 60_000 })
  const panel = page.getByRole('region', { name: 'Model' })
  await panel.getByLabel('Open a sample or a recent model').selectOption('builtin:store')
  await expect(panel.getByLabel('model name')).toHaveText('store')
  await page
    .getByRole('navigation', { name: 'Tables of this connection' })
    .getByText(TABLE, { exact: true })
    .click()
  await page.getByRole('tab', { name: 'Schema & data' }).click()
  const section = page.getByRole('region', { name: 'Schema and data' })
  const facts = section.getByRole('definition')
  await expect(facts.filter({ hasText: /^PK \(S\)$/ })).toBeVisible()
  await expect(facts.filter({ hasText: /^On demand \(pay per request\)$/ })).toBeVisible()
  await expect(facts.filter({ hasText: /^on \(NEW_AND_OLD_IMAGES\)$/ })).toBeVisible()
  const indexes = section.getByRole('table', { name: 'Indexes' })
  await expect(indexes.getByRole('row', { name: /GSI1/ })).toContainText('GSI1PK (S) / GSI1SK (S)')
  await expect(indexes.getByRole('row', { name: /open-orders/ })).toContainText('INCLUDE')
  await expect(indexes.getByRole('row', { name: /orders-by-date/ })).toContainText('PK (S) / placed_at (S)')

  // The generator's counts are the model's generated entities, by label.
  const generator = section.getByRole('form', { name: 'Generator' })
  await generator.getByLabel('Products').fill('5')
  await generator.getByLabel('Customers').fill('5')
  await generator.getByLabel('Open orders').fill('3')
  await generator.getByLabel('Shipped and delivered orders').fill('4')
  await generator.getByRole('button', { name: 'Seed with generator' }).click()
  // 5 products + 5 customers + 7 orders, each with one line
  await expect(section.getByRole('status').filter({ hasText: /^Wrote 24 items to store/ })).toBeVisible({
    timeout: 60_000,
  })
  const items = await scanAll(request, host, TABLE)
  expect(items.filter((it) => it.OpenOrdersPK?.S === 'OPEN')).toHaveLength(3)
  expect(items.filter((it) => it.SK?.S?.startsWith('ORDER#') && it.PK?.S?.startsWith('ORDER#'))).toHaveLength(
    7,
  )
})
