import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { expect, test } from './support/fixtures'
import { scratchModels } from './support/scratch'
import { expectConnected, openModelByPath } from './support/ui'

// The host is shared by the worker's specs: each test here leaves the built-in sample open again when it ends.
test.describe.configure({ mode: 'serial' })

const TABLE = `shop-e2e-${process.pid}`

/** A model of the user's own, in a temp folder outside the repo; nothing in the app knows its names. */
function shopModel(over: { name?: string; extraPattern?: boolean; entityOfFirst?: string } = {}) {
  const patterns: Record<string, unknown>[] = [
    {
      id: 'orders-of-customer',
      name: 'Orders of a customer',
      operation: 'Query',
      table: TABLE,
      entity: over.entityOfFirst ?? 'Order',
      params: [{ name: 'customer', type: 'string' }],
      keyCondition: 'PK = :pk AND begins_with(SK, :prefix)',
      values: { ':pk': 'CUST#{customer}', ':prefix': 'ORDER#' },
    },
  ]
  if (over.extraPattern)
    patterns.push({
      id: 'customer-profile',
      name: 'A customer profile',
      operation: 'GetItem',
      table: TABLE,
      params: [{ name: 'customer', type: 'string' }],
      key: { PK: 'CUST#{customer}', SK: 'PROFILE' },
    })
  return {
    name: over.name ?? 'shop',
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
    entities: [
      {
        name: 'Order',
        table: TABLE,
        keys: { PK: 'CUST#{customer}', SK: 'ORDER#{order}' },
        colour: '#10b981',
      },
    ],
    sampleData: {
      items: {
        [TABLE]: [
          { PK: 'CUST#ann', SK: 'ORDER#1', total: 10 },
          { PK: 'CUST#ann', SK: 'ORDER#2', total: 30 },
          { PK: 'CUST#ann', SK: 'PROFILE', name: 'Ann' },
        ],
      },
    },
    accessPatterns: patterns,
  }
}

const scratch = scratchModels('tw-e2e-model-', TABLE)

test('open a model file by path: its name, path, tables and patterns; a save reloads it; a bad save shows the field', async ({
  page,
}) => {
  const file = path.join(scratch.dir, 'shop.json')
  writeFileSync(file, JSON.stringify(shopModel(), null, 2))

  await expectConnected(page)
  const panel = await openModelByPath(page, file, 'shop')
  await expect(panel.getByLabel('model file', { exact: true })).toHaveText(file)

  // Its sample: schema and items load from the model, and the visualizer names its entity.
  await page
    .getByRole('region', { name: 'Connection overview' })
    .getByRole('button', { name: 'Load the shop sample' })
    .click()
  await expect(page.getByRole('navigation', { name: 'Tables of this connection' })).toContainText(TABLE)
  const grid = page.getByRole('grid', { name: 'Items' })
  await expect(grid).toContainText('CUST#ann')
  await expect(grid).toContainText('ORDER#2')
  await expect(grid).toContainText('Order')

  // Its access patterns, run against its table.
  await page.getByRole('tab', { name: 'Access patterns' }).click()
  const patterns = page.getByRole('navigation', { name: 'Patterns' })
  await expect(patterns.getByRole('button')).toHaveCount(1)
  await expect(patterns).toContainText('Orders of a customer')
  await expect(patterns.getByText('Order', { exact: true })).toBeVisible()
  const form = page.getByRole('form', { name: 'Pattern orders-of-customer parameters' })
  await form.getByLabel('customer').fill('ann')
  await form.getByRole('button', { name: 'Run pattern orders-of-customer' }).click()
  const panelBody = page.getByRole('tabpanel', { name: 'Access patterns' })
  await expect(panelBody).toContainText('ORDER#1')
  await expect(panelBody).toContainText('ORDER#2')

  // Saved in the user's own editor: the app follows.
  writeFileSync(file, JSON.stringify(shopModel({ name: 'shop v2', extraPattern: true }), null, 2))
  await expect(panel.getByLabel('model name')).toHaveText('shop v2')
  await expect(patterns.getByRole('button')).toHaveCount(2)
  await expect(patterns).toContainText('A customer profile')

  // A broken save: the error names the file and the field; the previous model stays usable.
  writeFileSync(file, JSON.stringify(shopModel({ name: 'shop v3', entityOfFirst: 'Invoice' }), null, 2))
  const error = panel.getByRole('alert', { name: 'model file error' })
  await expect(error).toContainText('model.invalid')
  await expect(error).toContainText(file)
  await expect(error).toContainText('accessPatterns[0].entity')
  await expect(error).toContainText('no entity "Invoice"')
  await expect(panel.getByLabel('model name')).toHaveText('shop v2')
  await expect(patterns.getByRole('button')).toHaveCount(2)
  // The pattern only the previous good version has still runs.
  await patterns.getByRole('button', { name: /customer-profile/ }).click()
  const profile = page.getByRole('form', { name: 'Pattern customer-profile parameters' })
  await profile.getByLabel('customer').fill('ann')
  await profile.getByRole('button', { name: 'Run pattern customer-profile' }).click()
  await expect(panelBody).toContainText('PROFILE')

  // Fixed again: the error goes.
  writeFileSync(file, JSON.stringify(shopModel({ name: 'shop v4' }), null, 2))
  await expect(panel.getByLabel('model name')).toHaveText('shop v4')
  await expect(error).toHaveCount(0)

  // Back to the built-in sample from the list, on the same connection; the file is now a recent model.
  const choice = panel.getByLabel('Open a sample or a recent model')
  await expect(choice.locator('option', { hasText: file })).toHaveCount(1)
  await choice.selectOption('builtin:cruddur')
  await expect(panel.getByLabel('model name')).toHaveText('cruddur')
  await expect(panel.getByLabel('model file', { exact: true })).toHaveText('built-in sample')
  await expect(page.getByRole('navigation', { name: 'Tables of this connection' })).toContainText(TABLE)
})

test('a path that cannot be opened shows a coded error and keeps the open model', async ({ page }) => {
  const bad = path.join(scratch.dir, 'bad.json')
  writeFileSync(bad, JSON.stringify(shopModel({ entityOfFirst: 'Nope' })))
  const panel = page.getByRole('region', { name: 'Model' })
  await expect(panel.getByLabel('model name')).toHaveText('cruddur')
  await panel.getByLabel('Model file path').fill(bad)
  await panel.getByRole('button', { name: 'Open model' }).click()
  const alert = panel.getByRole('alert')
  await expect(alert).toContainText('model.invalid')
  await expect(alert).toContainText(`${bad}: accessPatterns[0].entity`)
  await expect(panel.getByLabel('model name')).toHaveText('cruddur')

  await panel.getByLabel('Model file path').fill(path.join(scratch.dir, 'missing.json'))
  await panel.getByRole('button', { name: 'Open model' }).click()
  await expect(alert).toContainText('model.notFound')
  await expect(panel.getByLabel('model name')).toHaveText('cruddur')
})
