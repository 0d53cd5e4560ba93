import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { expect, test } from './support/fixtures'
import { scratchModels } from './support/scratch'
import { expectConnected, openModelByPath } from './support/ui'

test.describe.configure({ mode: 'serial' })

const TABLE = `ops-e2e-${process.pid}`

function model() {
  const items = [
    { PK: 'CUST#ann', SK: 'PROFILE', name: 'Ann' },
    ...[1, 2, 3, 4, 5].map((n) => ({ PK: 'CUST#ann', SK: `ORDER#2026-0${n}`, total: n * 10 })),
    { PK: 'CUST#bob', SK: 'ORDER#2026-01', total: 7 },
  ]
  return {
    name: 'ops-shop',
    tables: [
      {
        name: TABLE,
        attributeDefinitions: [
          { attributeName: 'PK', attributeType: 'S' },
          { attributeName: 'SK', attributeType: 'S' },
        ],
        keySchema: [
          { attributeName: 'PK', keyType: 'HASH' },
          { attributeName: 'SK', keyType: 'RANGE' },
        ],
      },
    ],
    sampleData: { items: { [TABLE]: items } },
  }
}

const scratch = scratchModels('tw-e2e-ops-', TABLE)

test('the operation builder: BETWEEN and begins_with, paging and all pages, code in four dialects, a saved operation that survives a reload', async ({
  page,
}) => {
  test.setTimeout(180_000)
  const file = path.join(scratch.dir, 'ops.json')
  writeFileSync(file, JSON.stringify(model(), null, 2))
  await expectConnected(page)
  await openModelByPath(page, file, 'ops-shop')
  await page
    .getByRole('region', { name: 'Connection overview' })
    .getByRole('button', { name: 'Load the ops-shop sample' })
    .click()
  await expect(page.getByRole('navigation', { name: 'Tables of this connection' })).toContainText(TABLE)
  // Loading the sample ends in the visualizer; the builder is opened after that.
  await expect(page.getByRole('grid', { name: 'Items' })).toContainText('ORDER#2026-05')

  await page.getByRole('tab', { name: 'Query', exact: true }).click()
  const form = page.getByRole('form', { name: 'Operation' })
  await form.getByLabel('Table').selectOption(TABLE)
  await form.getByLabel('Partition key value').fill('CUST#ann')
  await form.getByLabel('Sort key operator').selectOption('BETWEEN')
  await form.getByLabel('Sort key value', { exact: true }).fill('ORDER#2026-02')
  await form.getByLabel('Sort key upper value').fill('ORDER#2026-04')
  await form.getByRole('button', { name: 'Run', exact: true }).click()
  const result = page.getByRole('region', { name: 'Operation result' })
  const rows = result.getByRole('table', { name: 'Result items' }).locator('tbody tr')
  await expect(rows).toHaveCount(3)
  await expect(rows.first()).toContainText('ORDER#2026-02')
  await expect(result.getByLabel('Result summary')).toContainText('capacity units')

  // begins_with, one item a page: Next page, then all pages with progress.
  await form.getByLabel('Sort key operator').selectOption('begins_with')
  await form.getByLabel('Sort key value', { exact: true }).fill('ORDER#')
  await form.getByLabel('Page size').fill('1')
  await form.getByRole('button', { name: 'Run', exact: true }).click()
  await expect(rows).toHaveCount(1)
  await expect(result.getByLabel('Result summary')).toContainText('more pages')
  await form.getByRole('button', { name: 'Next page' }).click()
  await expect(rows).toHaveCount(2)
  await expect(rows.nth(1)).toContainText('ORDER#2026-02')
  await form.getByRole('button', { name: 'All pages' }).click()
  await expect(rows).toHaveCount(5)
  await expect(result.getByLabel('Result summary')).not.toContainText('more pages')

  // The same request in four dialects.
  await result.getByRole('tab', { name: 'PartiQL' }).click()
  await expect(result.getByRole('tabpanel', { name: 'partiql code' })).toContainText(
    `SELECT * FROM "${TABLE}" WHERE "PK" = 'CUST#ann' AND begins_with("SK", 'ORDER#')`,
  )
  await result.getByRole('tab', { name: 'AWS CLI' }).click()
  await expect(result.getByRole('tabpanel', { name: 'cli code' })).toContainText('aws dynamodb query')

  // A saved operation outlives a reload of the app.
  const saving = page.getByRole('form', { name: 'Save operation' })
  await saving.getByLabel('Operation name').fill('ann orders')
  await saving.getByRole('button', { name: 'Save operation' }).click()
  await expect(page.getByRole('list', { name: 'Saved operations' })).toContainText('ann orders')
  await page.reload()
  await page.getByRole('tab', { name: 'Query', exact: true }).click()
  await page
    .getByRole('list', { name: 'Saved operations' })
    .getByRole('button', { name: /^ann orders:/ })
    .click()
  await expect(page.getByRole('form', { name: 'Operation' }).getByLabel('Partition key value')).toHaveValue(
    'CUST#ann',
  )
})
