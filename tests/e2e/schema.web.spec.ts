import { api, ensureCruddur, scanAll } from './support/api'
import { expect, test } from './support/fixtures'

const TABLE = 'cruddur-messages'

test('Scan counts what the engine holds, with a result line; sizes are in human units', async ({
  page,
  request,
  host,
}) => {
  await ensureCruddur(request, host)
  await expect(
    page.getByRole('region', { name: 'Connection overview' }).getByLabel('connection status'),
  ).toHaveText('connected', { timeout: 60_000 })
  await page
    .getByRole('navigation', { name: 'Tables of this connection' })
    .getByRole('button', { name: new RegExp(TABLE) })
    .click()
  await page.getByRole('tab', { name: 'Schema & data' }).click()
  const section = page.getByRole('region', { name: 'Schema and data' })
  await expect(section.getByLabel('Table size')).toHaveText(/^≈ [\d,.]+ (B|KB|MB|GB)/)

  // An item written behind the UI's back: Scan counts it.
  await api(request, host, 'items:put', {
    connectionId: 'embedded',
    tableName: TABLE,
    item: { pk: { S: `SCAN#${Date.now().toString(36)}` }, sk: { S: '1' } },
  })
  const held = (await scanAll(request, host, TABLE)).length
  await section.getByRole('button', { name: 'Scan', exact: true }).click()
  await expect(section.getByRole('status').filter({ hasText: /^Scanned / })).toHaveText(
    new RegExp(`^Scanned ${held.toLocaleString()} items in [\\d.]+ s\\.$`),
  )
  await expect(section.getByLabel('Item count')).toContainText(held.toLocaleString())
})
