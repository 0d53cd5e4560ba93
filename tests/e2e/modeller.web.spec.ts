import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { api } from './support/api'
import { expect, test } from './support/fixtures'
import { openModelByPath, replaceAll } from './support/ui'

// The host is shared by the worker's specs: the test leaves the built-in sample open again when it ends.
test.describe.configure({ mode: 'serial' })

const TABLE = `modeller-e2e-${process.pid}`

/** A model of the user's own, outside the repo: one Query pattern, one Scan pattern, one recipe. */
function model(name: string) {
  return {
    name,
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
    entities: [{ name: 'Order', table: TABLE, keys: { PK: 'CUST#{customer}', SK: 'ORDER#{order}' } }],
    accessPatterns: [
      {
        id: 'orders',
        name: 'Orders of a customer',
        operation: 'Query',
        table: TABLE,
        params: [{ name: 'customer', type: 'string', default: 'ann' }],
        keyCondition: 'PK = :pk AND begins_with(SK, :o)',
        values: { ':pk': 'CUST#{customer}', ':o': 'ORDER#' },
      },
      { id: 'everything', name: 'Every item', operation: 'Scan', table: TABLE },
    ],
    recipes: [
      {
        id: 'add-order',
        name: 'Add an order',
        params: [
          { name: 'customer', type: 'string' },
          { name: 'order', type: 'string' },
        ],
        steps: [{ op: 'Put', table: TABLE, item: { PK: 'CUST#{customer}', SK: 'ORDER#{order}' } }],
      },
    ],
  }
}

let dir: string
test.beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tw-e2e-modeller-'))
})
test.afterAll(async ({ request, host }) => {
  if (host.kind === 'web') await api(request, host, 'models:open', { modelId: 'cruddur' })
  rmSync(dir, { recursive: true, force: true })
})

test('the Model tab: the matrix flags the Scan and exports CSV; the JSON editor validates, undoes, saves and refuses a conflicting save', async ({
  page,
}) => {
  // Many steps, each a round trip to the host; the machines are shared and slow at times.
  test.setTimeout(180_000)
  const file = path.join(dir, 'shop.json')
  writeFileSync(file, JSON.stringify(model('shop'), null, 2))
  const panel = await openModelByPath(page, file, 'shop')

  await page.getByRole('tab', { name: 'Model', exact: true }).click()
  const matrix = page.getByRole('table', { name: 'Access patterns' })
  await expect(matrix.locator('tbody tr')).toHaveCount(3)
  await expect(matrix.locator('tbody tr').nth(0)).toContainText('PK = "CUST#{customer}"')
  await expect(matrix.locator('tbody tr').nth(0)).toContainText('begins_with(SK, "ORDER#")')
  await expect(matrix.locator('tbody tr[data-scan]')).toHaveCount(1)
  await expect(matrix.locator('tbody tr[data-scan]')).toContainText('a Scan reads every item')

  const downloading = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Export CSV' }).click()
  const csvPath = path.join(dir, 'matrix.csv')
  await (await downloading).saveAs(csvPath)
  const csv = readFileSync(csvPath, 'utf8').split('\r\n')
  expect(csv[0]).toMatch(/^Pattern,Name,Table \/ index,Operation,/)
  expect(csv.slice(1, 4).map((l) => l.split(',')[0])).toEqual(['orders', 'everything', 'add-order'])

  // The editor: a stray character is a problem; Undo takes it back.
  const source = page.getByRole('region', { name: 'Model JSON' })
  const editor = source.getByRole('code').or(source.locator('.monaco-editor')).first()
  await expect(editor).toBeVisible()
  await expect(source.getByLabel('Model validity')).toHaveText('Valid model.')
  await editor.click()
  await page.keyboard.press('Control+Home')
  await page.keyboard.type('x')
  await expect(source.getByLabel('unsaved changes')).toBeVisible()
  await expect(source.getByRole('list', { name: 'Model problems' })).toContainText('not valid JSON')
  await source.getByRole('button', { name: 'Undo' }).click()
  await expect(source.getByLabel('Model validity')).toHaveText('Valid model.')
  await expect(source.getByLabel('unsaved changes')).toHaveCount(0)

  // A semantic mistake names the field; fixed and saved, the app follows the file.
  await editor.click()
  const broken = model('shop v2')
  broken.accessPatterns[0]!.table = 'no-such-table'
  await replaceAll(page, JSON.stringify(broken, null, 2))
  await expect(source.getByRole('list', { name: 'Model problems' })).toContainText('accessPatterns[0].table')
  await expect(source.getByRole('button', { name: 'Save', exact: true })).toBeDisabled()
  await replaceAll(page, JSON.stringify(model('shop v2'), null, 2))
  await expect(source.getByLabel('Model validity')).toHaveText('Valid model.')
  await source.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(panel.getByLabel('model name')).toHaveText('shop v2')
  expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ name: 'shop v2' })
  await expect(source.getByLabel('unsaved changes')).toHaveCount(0)

  // Edited here and, meanwhile, on disk: the save is refused rather than losing the other change.
  await editor.click()
  await replaceAll(page, JSON.stringify(model('shop v3'), null, 2))
  writeFileSync(file, JSON.stringify(model('shop from elsewhere'), null, 2))
  await expect(panel.getByLabel('model name')).toHaveText('shop from elsewhere')
  await expect(source.getByText('The file changed on disk while you have unsaved edits.')).toBeVisible()
  await source.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(source.getByRole('alert')).toContainText('model.conflict')
  expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ name: 'shop from elsewhere' })

  // Save As keeps both: the edits go to a new file, which becomes the open model.
  const copy = path.join(dir, 'shop-v3.json')
  await source.getByLabel('Save as file path').fill(copy)
  await source.getByRole('button', { name: 'Save As' }).click()
  await expect(panel.getByLabel('model name')).toHaveText('shop v3')
  await expect(panel.getByLabel('model file', { exact: true })).toHaveText(copy)

  // A new model from the adjacency-list template: an unsaved draft until Save As, then it is the open model.
  await source.getByLabel('New model from a template').selectOption('adjacency')
  await expect(source.getByLabel('unsaved changes')).toBeVisible()
  await expect(source.getByLabel('Model validity')).toHaveText('Valid model.')
  const fresh = path.join(dir, 'adjacency.json')
  await source.getByLabel('Save as file path').fill(fresh)
  await source.getByRole('button', { name: 'Save As' }).click()
  await expect(panel.getByLabel('model name')).toHaveText('adjacency-list')
  await expect(matrix.locator('tbody tr')).toHaveCount(3)
  await expect(matrix).toContainText('app-table / GSI1')
})
