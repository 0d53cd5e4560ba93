import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { Locator, Page } from '@playwright/test'
import { api, createPkSkTable, ensureCruddur, escapeRegExp, scanAll } from './support/api'
import { expect, test } from './support/fixtures'

test.describe.configure({ mode: 'serial' })

const TABLE = 'cruddur-messages'
const GSI = 'message-group-sk-index'

async function openTable(page: Page, name = TABLE): Promise<Locator> {
  await expect(
    page.getByRole('region', { name: 'Connection overview' }).getByLabel('connection status'),
  ).toHaveText('connected', { timeout: 60_000 })
  await page
    .getByRole('navigation', { name: 'Tables of this connection' })
    .getByRole('button', { name: new RegExp(escapeRegExp(name)) })
    .click()
  const grid = page.getByRole('grid', { name: 'Items' })
  await expect(page.getByRole('status', { name: 'View summary' })).toBeVisible()
  return grid
}

test('key columns stay in place when the grid scrolls right', async ({ page, request, host }) => {
  await ensureCruddur(request, host)
  const grid = await openTable(page)
  const row = grid.getByRole('row', { name: /^Message/ }).first()
  await expect(row).toBeVisible()
  const entityCell = row.getByRole('gridcell').nth(0)
  const skCell = row.getByRole('gridcell').nth(1)
  const otherCell = row.getByRole('gridcell').nth(2)
  const before = { sk: (await skCell.boundingBox())!.x, other: (await otherCell.boundingBox())!.x }
  await grid.evaluate((el) => (el.scrollLeft = 600))
  await expect.poll(async () => (await otherCell.boundingBox())!.x).toBeLessThan(before.other - 300)
  // The key columns pin from the scroll event on (ItemsGrid's onScroll), which follows the scroll by a frame.
  await expect.poll(async () => (await skCell.boundingBox())!.x).toBe(before.sk)
  expect((await entityCell.boundingBox())!.x).toBeLessThan(before.sk)
})

test('columns follow the entity declaration; a sparse attribute goes last; the filter finds its item', async ({
  page,
  request,
  host,
}) => {
  await ensureCruddur(request, host)
  const message = (await scanAll(request, host, TABLE)).find((it) => it.pk!.S!.startsWith('MSG#'))!
  await api(request, host, 'items:put', {
    connectionId: 'embedded',
    tableName: TABLE,
    item: { ...message, aaa_sparse: { S: 'only-here' } },
  })
  const grid = await openTable(page)
  const summary = page.getByRole('status', { name: 'View summary' })
  await expect(summary).toHaveText(/^\d[\d,]* items in [\d,]+ partitions/)
  const total = Number((await summary.textContent())!.split(' ')[0]!.replace(/,/g, ''))

  // Filter by key prefix: that partition alone.
  await page.getByRole('searchbox', { name: 'Filter' }).fill(message.pk!.S!)
  await expect(summary).toHaveText(
    new RegExp(`in 1 partitions · filtered from ${total.toLocaleString()} items`),
  )
  const header = grid.getByRole('row').first()
  await expect(header.getByRole('rowheader')).toContainText(message.pk!.S!)
  const names = (await header.getByRole('columnheader').allTextContents()).map((t) => t.trim())
  // sk, then Message's declared attributes in the model's order, then the sparse one at the end.
  expect(names.slice(0, 3)).toEqual(['sk', 'message_uuid', 'message'])
  expect(names.at(-1)).toBe('aaa_sparse')

  // Filter by an attribute value: the one item that has it.
  await page.getByRole('searchbox', { name: 'Filter' }).fill('only-here')
  await expect(summary).toHaveText(/^1 items in 1 partitions/)
  await expect(grid.getByRole('row', { name: /^Message/ })).toHaveCount(1)
  await page.getByRole('searchbox', { name: 'Filter' }).fill('')
  await expect(summary).toHaveText(new RegExp(`^${total.toLocaleString()} items`))
  // The item goes back as seeded: specs that run later on this host read the sample's first message too.
  await api(request, host, 'items:put', { connectionId: 'embedded', tableName: TABLE, item: message })
})

test('jump to a partition scrolls it into view', async ({ page, request, host }) => {
  await ensureCruddur(request, host)
  const grid = await openTable(page)
  const pks = [...new Set((await scanAll(request, host, TABLE)).map((it) => it.pk!.S!))].sort()
  const last = pks.at(-1)!
  const lastHeader = grid.getByRole('rowheader', { name: new RegExp(escapeRegExp(last)) })
  await expect(lastHeader).toHaveCount(0) // far below the first screen
  const jump = page.getByRole('form', { name: 'Jump to partition' })
  await jump.getByRole('combobox', { name: 'Partition' }).fill(last.slice(0, last.length - 2))
  await jump.getByRole('button', { name: 'Jump' }).click()
  await expect(
    grid.getByRole('rowheader', { name: new RegExp(escapeRegExp(last.slice(0, -2))) }).first(),
  ).toBeVisible()
  await jump.getByRole('combobox', { name: 'Partition' }).fill('NO-SUCH#')
  await jump.getByRole('combobox', { name: 'Partition' }).press('Enter')
  await expect(page.getByRole('alert')).toHaveText('No partition starts with NO-SUCH#.')
})

test('the GSI view states each reason once and its counts agree', async ({ page, request, host }) => {
  await ensureCruddur(request, host)
  await openTable(page)
  await page.getByRole('combobox', { name: 'View' }).selectOption(GSI)
  await page.getByRole('checkbox', { name: 'Show items not in the index' }).check()
  const grid = page.getByRole('grid', { name: `Items in ${GSI}` })
  const summary = page.getByRole('status', { name: 'View summary' })
  await expect(summary).toHaveText(new RegExp(`items not in ${GSI}`))
  const notIn = /· ([\d,]+) items not in/.exec((await summary.textContent())!)![1]!
  const header = grid.getByRole('rowheader', { name: /Not in this index/ })
  await header.first().scrollIntoViewIfNeeded()
  await expect(header).toHaveCount(1)
  await expect(header).toContainText(`Not in this index · ${notIn} items`)
  await expect(header).toContainText(`no message_group_uuid: not in ${GSI}`)
  // Rows name their item, not the reason.
  const rows = grid.getByRole('row', { name: /^Message/ })
  await expect(rows.first()).toBeVisible()
  for (const row of (await rows.all()).slice(0, 5)) {
    await expect(row.getByRole('gridcell').nth(1)).toHaveText(/^MSG#/)
    await expect(row).not.toContainText('not in')
  }
})

test('highlights stay with their table; Show in visualizer opens the pattern’s own table', async ({
  page,
  request,
  host,
}) => {
  await ensureCruddur(request, host)
  const scratch = { name: await createPkSkTable(request, host, 'empty') }
  await openTable(page, scratch.name)
  await expect(page.getByRole('status', { name: 'View summary' })).toHaveText(/^0 items/)
  await page.getByRole('tab', { name: 'Access patterns' }).click()
  await page
    .getByRole('navigation', { name: 'Patterns' })
    .getByRole('button', { name: /^B A user's conversations/ })
    .click()
  await page.getByRole('button', { name: 'Run pattern B' }).click()
  const result = page.getByRole('region', { name: 'Result of pattern B' })
  await expect(result.getByLabel('Served by')).toHaveText('Query')
  await result.getByRole('button', { name: 'Show in visualizer' }).click()

  const nav = page.getByRole('navigation', { name: 'Tables of this connection' })
  await expect(nav.getByRole('button', { name: new RegExp(TABLE) })).toHaveAttribute('aria-current', 'true')
  await expect(page.getByText(/Highlighted: Pattern B: \d+ items/)).toBeVisible()
  const grid = page.getByRole('grid', { name: 'Items' })
  await expect(grid.getByRole('row', { name: /^Conversation result/ }).first()).toBeVisible()

  // Another table shows none of them; coming back shows them again.
  await nav.getByRole('button', { name: new RegExp(escapeRegExp(scratch.name)) }).click()
  await expect(page.getByRole('status', { name: 'View summary' })).toHaveText(/^0 items/)
  await expect(page.getByText(/Highlighted:/)).toHaveCount(0)
  await nav.getByRole('button', { name: new RegExp(TABLE) }).click()
  await expect(page.getByText(/Highlighted: Pattern B: \d+ items/)).toBeVisible()
  await api(request, host, 'tables:drop', {
    connectionId: 'embedded',
    tableName: scratch.name,
    confirm: scratch.name,
  })
})

test('a table loaded in several pages shows its exact count and its last item', async ({
  page,
  request,
  host,
}) => {
  const scratch = { name: await createPkSkTable(request, host, 'paged') }
  // More items than the first page holds (500), written straight to the engine's own endpoint in batches of 25.
  const connections = await api<{ id: string; endpoint?: string }[]>(request, host, 'connections:list', {})
  const endpoint = connections.find((c) => c.id === 'embedded')!.endpoint!
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'e2e', secretAccessKey: 'e2e' },
  })
  const N = 2_600
  const PARTITIONS = 40
  const items = Array.from({ length: N }, (_, i) => ({
    pk: { S: `P#${i % PARTITIONS}` },
    sk: { S: `ITEM#${String(i).padStart(5, '0')}` },
    note: { S: `note ${i}` },
  }))
  for (let i = 0; i < N; i += 25) {
    await client.send(
      new BatchWriteItemCommand({
        RequestItems: { [scratch.name]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
      }),
    )
  }
  client.destroy()
  expect(await scanAll(request, host, scratch.name)).toHaveLength(N)

  const grid = await openTable(page, scratch.name)
  await expect(page.getByRole('status', { name: 'View summary' })).toHaveText(
    `${N.toLocaleString('en-US')} items in ${PARTITIONS} partitions`,
  )
  await expect(grid).toHaveAttribute('aria-rowcount', String(N + PARTITIONS))
  // The last row: the greatest partition key, then its greatest sort key (ASCII text, so JavaScript's order).
  const last = [...items].sort((a, b) =>
    a.pk.S === b.pk.S ? (a.sk.S < b.sk.S ? -1 : 1) : a.pk.S < b.pk.S ? -1 : 1,
  )[N - 1]!
  await grid.focus()
  await page.keyboard.press('End')
  const row = grid.getByRole('row', { name: new RegExp(last.sk.S) })
  await expect(row).toBeVisible()
  await expect(row).toHaveAttribute('aria-rowindex', String(N + PARTITIONS))
  await expect(row.getByRole('gridcell', { name: last.note.S, exact: true })).toBeVisible()

  // Scrolled back to the top and then to the very end: the last partition's rows, fetched as the grid got there
  // (the page holds the view's outline, and its rows a window at a time).
  await page.keyboard.press('Home')
  await expect(grid.getByRole('row', { name: /ITEM#00000/ })).toBeVisible()
  await grid.evaluate((el) => {
    const e = el as unknown as { scrollTop: number; scrollHeight: number }
    e.scrollTop = e.scrollHeight
  })
  const lastPartition = items.filter((it) => it.pk.S === last.pk.S).map((it) => it.sk.S)
  await expect(grid.getByRole('row', { name: new RegExp(last.sk.S) })).toBeInViewport()
  await expect(grid.getByRole('row', { name: new RegExp(lastPartition.at(-2)!) })).toBeInViewport()
  await expect(grid.locator('[aria-busy="true"]')).toHaveCount(0)
  const windows = await page.evaluate(
    () =>
      performance
        .getEntriesByType('resource')
        .filter((e) => e.name.includes(encodeURIComponent('items:viewRows'))).length,
  )
  expect(windows).toBeGreaterThan(0)

  // The filter runs on the host: one item by its note, then all of them again.
  const summary = page.getByRole('status', { name: 'View summary' })
  await page.getByRole('searchbox', { name: 'Filter' }).fill('note 1234')
  await expect(summary).toHaveText(
    `1 items in 1 partitions · filtered from ${N.toLocaleString('en-US')} items`,
  )
  await expect(grid.getByRole('row', { name: /ITEM#01234/ })).toBeVisible()
  await expect(grid).toHaveAttribute('aria-rowcount', '2')
  await page.getByRole('searchbox', { name: 'Filter' }).fill('no such note')
  await expect(page.getByText('No item matches “no such note”.')).toBeVisible()
  await page.getByRole('searchbox', { name: 'Filter' }).fill('')
  await expect(summary).toHaveText(`${N.toLocaleString('en-US')} items in ${PARTITIONS} partitions`)
  await api(request, host, 'tables:drop', {
    connectionId: 'embedded',
    tableName: scratch.name,
    confirm: scratch.name,
  })
})
