import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import { api, createPkSkTable, escapeRegExp, scanAll, unique } from './support/api'
import { expect, test } from './support/fixtures'

/** Issue 10 §6 in Chromium: the create-table dialog, data import and export, and bulk delete with a dry run. */

const BIG = '12345678901234567890.123456789012345678'

async function connected(page: Page) {
  await expect(
    page.getByRole('region', { name: 'Connection overview' }).getByLabel('connection status'),
  ).toHaveText('connected', { timeout: 60_000 })
}

async function openTab(page: Page, table: string, tab: 'Schema & data' | 'Visualizer') {
  await connected(page)
  // The table list follows tables:changed; a table made behind the UI's back shows after a refresh.
  await page
    .getByRole('region', { name: 'Connection overview' })
    .getByRole('button', { name: 'Refresh' })
    .click()
  await page
    .getByRole('navigation', { name: 'Tables of this connection' })
    .getByRole('button', { name: new RegExp(escapeRegExp(table)) })
    .click()
  await page.getByRole('tab', { name: tab }).click()
}

/** A JSON line's item with set members sorted, so two exports of the same item compare equal. */
const canonical = (line: string) => {
  const item = (JSON.parse(line) as { Item: Record<string, Record<string, unknown>> }).Item
  for (const v of Object.values(item)) if (Array.isArray(v.SS)) (v.SS as string[]).sort()
  for (const v of Object.values(item)) if (Array.isArray(v.NS)) (v.NS as string[]).sort()
  return JSON.stringify(Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b))))
}

test('the create-table dialog creates a table with a GSI; a bad name is refused at the field', async ({
  page,
  request,
  host,
}) => {
  await connected(page)
  const overview = page.getByRole('region', { name: 'Connection overview' })
  await overview.getByRole('button', { name: 'Create table…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Create table' })

  // A bad name: refused where it was typed, nothing sent.
  const nameField = dialog.getByLabel('Table name')
  await nameField.fill('my table!')
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(nameField).toHaveAttribute('aria-invalid', 'true')
  await expect(nameField).toHaveAccessibleDescription(
    'A table name uses only letters, digits, "_", "-" and "." (not space, “!”).',
  )
  const listed = await api<{ name: string }[]>(request, host, 'tables:list', { connectionId: 'embedded' })
  expect(listed.map((t) => t.name)).not.toContain('my table!')

  // An INCLUDE projection without attributes is refused at the projection too.
  const name = unique('orders')
  await nameField.fill(name)
  await dialog.getByRole('button', { name: 'Add GSI' }).click()
  const gsi = dialog.getByRole('group', { name: 'GSI 1' })
  await gsi.getByLabel('GSI 1 name', { exact: true }).fill('by-status')
  await gsi.getByLabel('GSI 1 partition key', { exact: true }).fill('status')
  await gsi.getByLabel('GSI 1 sort key', { exact: true }).fill('placed_at')
  await gsi.getByLabel('GSI 1 sort key type').selectOption('N')
  await gsi.getByLabel('GSI 1 projection', { exact: true }).selectOption('INCLUDE')
  await expect(gsi.getByRole('alert')).toHaveText(
    'An INCLUDE projection lists the attributes it copies: name at least one.',
  )
  await gsi.getByLabel('GSI 1 included attributes').fill('total, customer')
  await expect(nameField).not.toHaveAttribute('aria-invalid', 'true')
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(dialog).toHaveCount(0)

  const row = overview.getByRole('table', { name: 'Tables' }).getByRole('row', { name: new RegExp(name) })
  await expect(row).toHaveCount(1)
  await expect(row.getByRole('cell').nth(0)).toHaveText('pk (S) / sk (S)')
  await expect(row.getByRole('cell').nth(2)).toHaveText('1')
  await row.getByRole('button', { name: `Open ${name}` }).click()
  await page.getByRole('tab', { name: 'Schema & data' }).click()
  const indexRow = page.getByRole('table', { name: 'Indexes' }).getByRole('row', { name: /by-status/ })
  await expect(indexRow).toContainText('GSI')
  await expect(indexRow).toContainText('status (S) / placed_at (N)')
  await expect(indexRow).toContainText('INCLUDE: total, customer')
})

test('import a JSON lines file with a 38-digit number and a set, then export it back the same', async ({
  page,
  request,
  host,
}) => {
  const table = await createPkSkTable(request, host)
  const lines = [
    JSON.stringify({
      Item: { pk: { S: 'A' }, sk: { S: '1' }, total: { N: BIG }, tags: { SS: ['red', 'blue'] } },
    }),
    JSON.stringify({
      Item: { pk: { S: 'A' }, sk: { S: '2' }, sizes: { NS: ['1', BIG] }, raw: { B: 'AAEC' } },
    }),
  ]
  await openTab(page, table, 'Schema & data')
  const section = page.getByRole('region', { name: 'Schema and data' })
  await section.getByLabel('Data file to import').setInputFiles({
    name: 'items.jsonl',
    mimeType: 'application/x-ndjson',
    buffer: Buffer.from(lines.join('\n') + '\n'),
  })
  const dialog = page.getByRole('dialog', { name: `Import into ${table}` })
  await expect(dialog.getByRole('region', { name: 'Validation report' })).toContainText(
    'items.jsonl: DynamoDB JSON lines, 2 valid items.',
  )
  await dialog.getByRole('button', { name: 'Import 2 items' }).click()
  await expect(dialog).toHaveCount(0)
  await expect(
    section.getByRole('status').filter({ hasText: `Imported 2 items into ${table}.` }),
  ).toBeVisible()
  expect(await scanAll(request, host, table)).toHaveLength(2)

  const download = page.waitForEvent('download')
  await section.getByRole('button', { name: 'Export DynamoDB JSON lines' }).click()
  const file = await download
  expect(file.suggestedFilename()).toBe(`${table}.jsonl`)
  const exported = readFileSync((await file.path())!, 'utf8')
    .trim()
    .split('\n')
  expect(exported.map(canonical).sort()).toEqual(lines.map(canonical).sort())
  expect(exported.join('\n')).toContain(`"N":"${BIG}"`)
})

test('an import file with a bad line reports that line number and writes nothing', async ({
  page,
  request,
  host,
}) => {
  const table = await createPkSkTable(request, host)
  await openTab(page, table, 'Schema & data')
  const section = page.getByRole('region', { name: 'Schema and data' })
  const text = [
    JSON.stringify({ Item: { pk: { S: 'A' }, sk: { S: '1' } } }),
    JSON.stringify({ Item: { pk: { S: 'A' }, sk: { S: '2' } } }),
    '{"Item": {"pk": {"S": "A"}, "sk": {"S": "3"}, "n": {"N": "not a number"}}}',
    JSON.stringify({ Item: { pk: { S: 'A' }, sk: { S: '4' } } }),
  ].join('\n')
  await section.getByLabel('Data file to import').setInputFiles({
    name: 'bad.jsonl',
    mimeType: 'application/x-ndjson',
    buffer: Buffer.from(text),
  })
  const dialog = page.getByRole('dialog', { name: `Import into ${table}` })
  const bad = dialog.getByRole('list', { name: 'Bad rows' }).getByRole('listitem')
  await expect(bad).toHaveCount(1)
  await expect(bad).toHaveText(/^Line 3: /)
  await expect(dialog.getByRole('alert')).toHaveText(
    'Nothing will be imported: fix these rows and pick the file again.',
  )
  await expect(dialog.getByRole('button', { name: /^Import/ })).toBeDisabled()
  await dialog.getByRole('button', { name: 'Close' }).click()
  await expect(dialog).toHaveCount(0)
  expect(await scanAll(request, host, table)).toHaveLength(0)
})

test('select 3 items: the dry run lists exactly those 3, Confirm deletes them and the count drops by 3', async ({
  page,
  request,
  host,
}) => {
  const table = await createPkSkTable(request, host)
  const keys = ['01', '02', '03', '04', '05', '06']
  await api(request, host, 'data:import', {
    connectionId: 'embedded',
    tableName: table,
    fileName: 'six.jsonl',
    text: keys.map((k) => JSON.stringify({ Item: { pk: { S: 'P' }, sk: { S: `I#${k}` } } })).join('\n'),
  })
  await openTab(page, table, 'Visualizer')
  const summary = page.getByRole('status', { name: 'View summary' })
  await expect(summary).toHaveText(/^6 items in 1 partitions/)
  const grid = page.getByRole('grid', { name: 'Items' })
  for (const k of ['02', '04']) await grid.getByRole('checkbox', { name: `Select P / I#${k}` }).click()
  // From the keyboard: the cursor row (here the one clicked, which opens it) is picked with Space.
  await grid.getByRole('row', { name: /I#05/ }).click()
  await expect(grid).toBeFocused()
  await page.keyboard.press('Space')
  await expect(grid.getByRole('checkbox', { name: 'Select P / I#05' })).toBeChecked()
  await expect(page.getByRole('status', { name: 'Selected items' })).toHaveText('3 selected')
  await expect(grid.getByRole('checkbox', { name: 'Select P / I#04' })).toBeChecked()

  await page.getByRole('button', { name: 'Delete selected…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Delete selected items' })
  await expect(dialog.getByRole('status', { name: 'Dry run' })).toHaveText(
    `Dry run: 3 items would be deleted from ${table}.`,
  )
  await expect(dialog.getByRole('list', { name: 'Keys to delete' }).getByRole('listitem')).toHaveText([
    'pk = P · sk = I#02',
    'pk = P · sk = I#04',
    'pk = P · sk = I#05',
  ])
  // The dry run wrote nothing.
  expect(await scanAll(request, host, table)).toHaveLength(6)
  await dialog.getByRole('button', { name: 'Delete 3 items' }).click()
  await expect(dialog).toHaveCount(0)
  await expect(page.getByText(`Deleted 3 items from ${table}.`)).toBeVisible()
  await expect(summary).toHaveText(/^3 items in 1 partitions/)
  const left = (await scanAll(request, host, table)).map((i) => i.sk!.S).sort()
  expect(left).toEqual(['I#01', 'I#03', 'I#06'])
})
