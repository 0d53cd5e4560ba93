import { expect, test } from './support/fixtures'

test('shows the active connection and its tables, and creates a table through the dialog, then drops it', async ({
  page,
}) => {
  const overview = page.getByRole('region', { name: 'Connection overview' })
  await expect(page.getByRole('navigation', { name: 'Connections' })).toBeVisible()
  await expect(overview.getByLabel('connection status')).toHaveText('connected', { timeout: 60_000 })
  await expect(overview.getByLabel('endpoint')).toHaveText(/^http:\/\/127\.0\.0\.1:\d+$/)
  await page.screenshot({ path: test.info().outputPath('connection.png') })

  const name = `foundation-${Date.now().toString(36)}`
  await overview.getByRole('button', { name: 'Create table…' }).click()
  const create = page.getByRole('dialog', { name: 'Create table' })
  await create.getByLabel('Table name').fill(name)
  await create.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(create).toHaveCount(0)
  const tables = overview.getByRole('table', { name: 'Tables' })
  const scratchRow = tables.getByRole('row', { name: new RegExp(name) })
  await expect(scratchRow).toHaveCount(1)
  await expect(scratchRow.getByRole('cell').nth(1)).toHaveText('0')
  await page.screenshot({ path: test.info().outputPath('scratch-table.png') })

  await scratchRow.getByRole('button', { name: `Drop ${name}` }).click()
  const dialog = page.getByRole('dialog', { name: `Drop ${name}?` })
  const confirm = dialog.getByRole('button', { name: 'Drop table' })
  await expect(confirm).toBeDisabled()
  await dialog.getByLabel(/Type .* to confirm/).fill(name)
  await confirm.click()
  await expect(tables.getByRole('row', { name: new RegExp(name) })).toHaveCount(0)
})
