import AxeBuilder from '@axe-core/playwright'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { api } from './support/api'
import { expect, test } from './support/fixtures'
import { scratchModels } from './support/scratch'
import { openModelByPath } from './support/ui'

// The host is shared by the worker's specs: each test leaves the built-in sample open again when it ends.
test.describe.configure({ mode: 'serial' })

const TABLE = `forms-e2e-${process.pid}`

const scratch = scratchModels('tw-e2e-forms-', TABLE)

/** The Model tab with a new model from the empty template, shown as forms. */
async function newModelInForms(page: Page): Promise<{ source: Locator; forms: Locator }> {
  await expect(
    page.getByRole('region', { name: 'Connection overview' }).getByLabel('connection status'),
  ).toHaveText('connected', { timeout: 60_000 })
  await page.getByRole('tab', { name: 'Model', exact: true }).click()
  const source = page.getByRole('region', { name: 'Model JSON' })
  // The open model's text has loaded once its validity shows; a template picked before that has nothing to replace.
  await expect(source.getByLabel('Model validity')).toHaveText('Valid model.')
  await source.getByLabel('New model from a template').selectOption('empty')
  await expect(source.getByLabel('unsaved changes')).toBeVisible()
  await source
    .getByRole('group', { name: 'Edit the model as' })
    .getByRole('button', { name: 'Forms' })
    .click()
  const forms = source.getByRole('form', { name: 'Model forms' })
  await expect(forms).toBeVisible()
  return { source, forms }
}

/** The built-in sample open, whatever an earlier test left open, in a page that has connected. */
async function withBuiltInSample(
  page: Page,
  request: Parameters<typeof api>[0],
  host: Parameters<typeof api>[1],
) {
  await api(request, host, 'models:open', { modelId: 'cruddur' })
  await page.reload()
  await expect(
    page.getByRole('region', { name: 'Connection overview' }).getByLabel('connection status'),
  ).toHaveText('connected', { timeout: 60_000 })
}

/** Fills a record's row n (1-based), adding the row first when it is not there yet. */
async function fillRow(record: Locator, n: number, key: string, value: string) {
  const keyLabel = (await record.getByRole('button', { name: /^Add / }).textContent())!
    .replace(/^Add (\w+) to .*$/, '$1')
    .replace(/^./, (c) => c.toUpperCase())
  const keyBox = record.getByLabel(`${keyLabel} ${n}`, { exact: true })
  if (!(await keyBox.count())) await record.getByRole('button', { name: /^Add / }).click()
  await keyBox.fill(key)
  await record.getByLabel(`Template ${n}`, { exact: true }).fill(value)
}

test('author a model through the forms only: save it, reopen it, load its schema, run its recipe and its pattern', async ({
  page,
}) => {
  // Dozens of fields, each a store update and a validation round trip, then a save, an open and a schema load.
  test.setTimeout(240_000)
  const { source, forms } = await newModelInForms(page)

  await forms.getByLabel('Name of the model', { exact: true }).fill('forms-shop')
  // The table: its name and its pk/sk keys (the template's PK/SK renamed; the definitions follow).
  const table = forms.getByRole('group', { name: 'Table 1', exact: true })
  await table.getByLabel('Table name', { exact: true }).fill(TABLE)
  await table.getByLabel('Partition key', { exact: true }).fill('pk')
  await table.getByLabel('Sort key', { exact: true }).fill('sk')
  await table.getByLabel('Sort key type', { exact: true }).selectOption('S')

  // A GSI: the inverted index, sk → pk, keys only.
  await table.getByRole('button', { name: 'Add global secondary index' }).click()
  const gsi = table.getByRole('group', { name: 'GSI 1 of table 1' })
  await gsi.getByLabel('Index name', { exact: true }).fill('inverted')
  await gsi.getByLabel('Index partition key', { exact: true }).fill('sk')
  await gsi.getByLabel('Index sort key', { exact: true }).fill('pk')
  await gsi.getByLabel('Projection', { exact: true }).selectOption('KEYS_ONLY')

  // Two entities with key templates.
  const entities = forms.getByRole('region', { name: 'Entities' })
  for (const [n, name, pk, sk] of [
    [1, 'Customer', 'CUST#{customer}', 'PROFILE'],
    [2, 'Order', 'CUST#{customer}', 'ORDER#{order}'],
  ] as const) {
    await entities.getByRole('button', { name: 'Add entity' }).click()
    const entity = entities.getByRole('group', { name: `Entity ${n}`, exact: true })
    await entity.getByLabel('Entity name', { exact: true }).fill(name)
    await expect(entity.getByLabel('Entity table')).toHaveValue(TABLE)
    await entity.getByLabel('Template for pk', { exact: true }).fill(pk)
    await entity.getByLabel('Template for sk', { exact: true }).fill(sk)
  }

  // A Query pattern with a parameter.
  const patterns = forms.getByRole('region', { name: 'Access patterns' })
  await patterns.getByRole('button', { name: 'Add access pattern' }).click()
  const pattern = patterns.getByRole('group', { name: 'Access pattern 1', exact: true })
  await pattern.getByLabel('Pattern id', { exact: true }).fill('orders')
  await pattern.getByLabel('Pattern name', { exact: true }).fill('Orders of a customer')
  await expect(pattern.getByLabel('Operation', { exact: true })).toHaveValue('Query')
  await pattern.getByLabel('Pattern entity', { exact: true }).selectOption('Order')
  await pattern.getByRole('button', { name: 'Add parameter to access pattern 1' }).click()
  await pattern.getByLabel('Parameter name', { exact: true }).fill('customer')
  await pattern.getByLabel('Key condition', { exact: true }).fill('pk = :pk AND begins_with(sk, :o)')
  // Until the placeholders have values, the model's own validation says so at the field.
  await expect(pattern).toContainText(':pk has no entry in values')
  const values = pattern.getByRole('group', { name: 'Values of access pattern 1' })
  await fillRow(values, 1, ':pk', 'CUST#{customer}')
  await fillRow(values, 2, ':o', 'ORDER#')
  await expect(pattern).not.toContainText('has no entry in values')

  // A write recipe: one Put over the Order entity's key templates.
  const recipes = forms.getByRole('region', { name: 'Write recipes' })
  await recipes.getByRole('button', { name: 'Add write recipe' }).click()
  const recipe = recipes.getByRole('group', { name: 'Recipe 1', exact: true })
  await recipe.getByLabel('Recipe id', { exact: true }).fill('add-order')
  await recipe.getByLabel('Recipe name', { exact: true }).fill('Add an order')
  for (const [n, name] of [
    [1, 'customer'],
    [2, 'order'],
  ] as const) {
    await recipe.getByRole('button', { name: 'Add parameter to recipe 1' }).click()
    await recipe
      .getByRole('group', { name: `Parameter ${n} of recipe 1` })
      .getByLabel('Parameter name', { exact: true })
      .fill(name)
  }
  const step = recipe.getByRole('group', { name: 'Step 1 of recipe 1' })
  await step.getByLabel('Step entity', { exact: true }).selectOption('Order')
  const item = step.getByRole('group', { name: 'Item of step 1 of recipe 1' })
  await expect(item.getByLabel('Attribute 1', { exact: true })).toHaveValue('pk')
  await item.getByLabel('Template 1', { exact: true }).fill('CUST#{customer}')
  await item.getByLabel('Template 2', { exact: true }).fill('ORDER#{order}')
  await fillRow(item, 3, 'total', '{order}')

  await expect(source.getByLabel('Model validity')).toHaveText('Valid model.')

  // The JSON view shows the same draft; back in the forms nothing is lost; Undo and Redo cover the forms.
  await source.getByRole('group', { name: 'Edit the model as' }).getByRole('button', { name: 'JSON' }).click()
  // (Monaco renders only the lines in view: the first ones hold the name the forms gave.)
  await expect(source.locator('.monaco-editor')).toContainText(TABLE)
  await source
    .getByRole('group', { name: 'Edit the model as' })
    .getByRole('button', { name: 'Forms' })
    .click()
  await expect(item.getByLabel('Attribute 3', { exact: true })).toHaveValue('total')
  await source.getByRole('button', { name: 'Undo' }).click()
  await expect(item.getByLabel('Template 3', { exact: true })).toHaveValue('')
  await source.getByRole('button', { name: 'Redo' }).click()
  await expect(item.getByLabel('Template 3', { exact: true })).toHaveValue('{order}')

  // Save As, then the file holds what the forms made.
  const file = path.join(scratch.dir, 'forms-shop.json')
  await source.getByLabel('Save as file path').fill(file)
  await source.getByRole('button', { name: 'Save As' }).click()
  const panel = page.getByRole('region', { name: 'Model' })
  await expect(panel.getByLabel('model name')).toHaveText('forms-shop')
  const saved = JSON.parse(readFileSync(file, 'utf8')) as {
    tables: { attributeDefinitions: unknown; globalSecondaryIndexes: unknown }[]
    entities: unknown
  }
  expect(saved.tables[0]!.attributeDefinitions).toEqual([
    { attributeName: 'pk', attributeType: 'S' },
    { attributeName: 'sk', attributeType: 'S' },
  ])
  expect(saved.tables[0]!.globalSecondaryIndexes).toEqual([
    {
      indexName: 'inverted',
      keySchema: [
        { attributeName: 'sk', keyType: 'HASH' },
        { attributeName: 'pk', keyType: 'RANGE' },
      ],
      projection: { projectionType: 'KEYS_ONLY' },
    },
  ])
  expect(saved.entities).toEqual([
    expect.objectContaining({ name: 'Customer', keys: { pk: 'CUST#{customer}', sk: 'PROFILE' } }),
    expect.objectContaining({ name: 'Order', keys: { pk: 'CUST#{customer}', sk: 'ORDER#{order}' } }),
  ])

  // Reopen: another model first, then this file by its path.
  await panel.getByLabel('Open a sample or a recent model').selectOption('builtin:cruddur')
  await expect(panel.getByLabel('model name')).toHaveText('cruddur')
  await openModelByPath(page, file, 'forms-shop')
  await expect(panel.getByLabel('model file', { exact: true })).toHaveText(file)

  // Schema-load it on the embedded engine.
  await page.getByRole('tab', { name: 'Overview' }).click()
  await page
    .getByRole('region', { name: 'Connection overview' })
    .getByRole('button', { name: 'Load the forms-shop sample' })
    .click()
  await expect(page.getByRole('navigation', { name: 'Tables of this connection' })).toContainText(TABLE)
  // Loading a sample ends by showing the visualizer: wait for that, or it can take the tab back from the next click.
  await expect(page.getByRole('tab', { name: 'Visualizer' })).toHaveAttribute('aria-selected', 'true')

  // The recipe writes an order; the pattern reads it back.
  await page.getByRole('tab', { name: 'Writes & stream' }).click()
  await page
    .getByRole('navigation', { name: 'Recipes' })
    .getByRole('button', { name: /^Add an order/ })
    .click()
  const recipeForm = page.getByRole('form', { name: 'Recipe add-order parameters' })
  await recipeForm.getByRole('textbox', { name: /^customer \(/ }).fill('ann')
  await recipeForm.getByRole('textbox', { name: /^order \(/ }).fill('7')
  await recipeForm.getByRole('button', { name: 'Run Add an order' }).click()
  await expect(page.getByRole('region', { name: 'Timeline' }).getByLabel('Run summary')).toBeVisible()

  await page.getByRole('tab', { name: 'Access patterns' }).click()
  const patternForm = page.getByRole('form', { name: 'Pattern orders parameters' })
  await patternForm.getByLabel('customer').fill('ann')
  await patternForm.getByRole('button', { name: 'Run pattern orders' }).click()
  const result = page.getByRole('region', { name: 'Result of pattern orders' })
  await expect(result).toContainText('ORDER#7')
  await expect(result).toContainText('CUST#ann')
})

test('the forms refuse a 21st GSI and a bad table name, saying why at the field; the forms view has no serious a11y violations', async ({
  page,
}) => {
  test.setTimeout(180_000)
  const { source, forms } = await newModelInForms(page)
  const table = forms.getByRole('group', { name: 'Table 1', exact: true })

  const name = table.getByLabel('Table name', { exact: true })
  await name.fill('my table!')
  await expect(name).toHaveAttribute('aria-invalid', 'true')
  await expect(name).toHaveAccessibleDescription(
    'A table name uses only letters, digits, "_", "-" and "." (not space, “!”).',
  )
  await name.fill('ab')
  await expect(name).toHaveAccessibleDescription(/A table name needs at least 3 characters\./)
  await expect(source.getByRole('button', { name: 'Save As' })).toBeDisabled()
  await name.fill('twenty-gsis')
  await expect(name).not.toHaveAttribute('aria-invalid', 'true')

  const add = table.getByRole('button', { name: 'Add global secondary index' })
  for (let n = 1; n <= 20; n++) {
    await add.click()
    await expect(table.getByRole('group', { name: `GSI ${n} of table 1` })).toBeVisible()
  }
  await expect(add).toBeDisabled()
  await expect(add).toHaveAccessibleDescription('A table has at most 20 global secondary indexes.')
  await expect(source.getByLabel('Model validity')).toHaveText('Valid model.')

  // An INCLUDE projection without attributes is refused at its field too.
  const gsi = table.getByRole('group', { name: 'GSI 1 of table 1' })
  await gsi.getByLabel('Projection', { exact: true }).selectOption('INCLUDE')
  await expect(gsi.getByLabel('Projection', { exact: true })).toHaveAccessibleDescription(
    'An INCLUDE projection names at least one attribute to include.',
  )
  await gsi.getByLabel('Included attributes', { exact: true }).fill('total')
  await expect(gsi.getByLabel('Projection', { exact: true })).not.toHaveAttribute('aria-invalid', 'true')

  const result = await new AxeBuilder({ page })
    .include('[aria-label="Model JSON"]')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze()
  const serious = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${n.failureSummary ?? ''}`))
  expect(serious).toEqual([])

  // The draft is dropped rather than saved: the built-in sample is open again.
  await source.getByRole('button', { name: 'Revert' }).click()
  await expect(source.getByLabel('unsaved changes')).toHaveCount(0)
})

test('an unsaved edit in the forms outlives a visit to another tab, with its undo history; Revert drops it; another model replaces it', async ({
  page,
  request,
  host,
}) => {
  test.setTimeout(120_000)
  await withBuiltInSample(page, request, host)
  const modelTab = page.getByRole('tab', { name: 'Model', exact: true })
  const source = page.getByRole('region', { name: 'Model JSON' })
  const forms = source.getByRole('form', { name: 'Model forms' })
  const name = forms.getByLabel('Name of the model', { exact: true })
  const showForms = () =>
    source.getByRole('group', { name: 'Edit the model as' }).getByRole('button', { name: 'Forms' }).click()
  const visitVisualizer = async () => {
    await page.getByRole('tab', { name: 'Visualizer' }).click()
    await expect(source).toHaveCount(0)
    await modelTab.click()
  }

  await modelTab.click()
  await expect(source.getByLabel('Model validity')).toHaveText('Valid model.')
  await showForms()
  await expect(name).toHaveValue('cruddur')
  await name.fill('cruddur renamed')
  await expect(source.getByLabel('unsaved changes')).toBeVisible()

  await visitVisualizer()
  await expect(source.getByLabel('unsaved changes')).toBeVisible()
  await expect(source.getByLabel('Model validity')).toHaveText('Valid model.')
  await showForms()
  await expect(name).toHaveValue('cruddur renamed')
  // The undo history came along: Undo goes back to the saved name, Redo to the edit.
  await source.getByRole('button', { name: 'Undo' }).click()
  await expect(name).toHaveValue('cruddur')
  await expect(source.getByLabel('unsaved changes')).toHaveCount(0)
  await source.getByRole('button', { name: 'Redo' }).click()
  await expect(name).toHaveValue('cruddur renamed')

  await source.getByRole('button', { name: 'Revert' }).click()
  await expect(name).toHaveValue('cruddur')
  await expect(source.getByLabel('unsaved changes')).toHaveCount(0)
  await visitVisualizer()
  await showForms()
  await expect(name).toHaveValue('cruddur')
  await expect(source.getByLabel('unsaved changes')).toHaveCount(0)

  // An edit left behind while another model is opened: the Model tab shows that model, not the old draft.
  await name.fill('cruddur edited again')
  await expect(source.getByLabel('unsaved changes')).toBeVisible()
  await page.getByRole('tab', { name: 'Visualizer' }).click()
  const panel = page.getByRole('region', { name: 'Model' })
  await panel.getByLabel('Open a sample or a recent model').selectOption('builtin:store')
  await expect(panel.getByLabel('model name')).toHaveText('store')
  await modelTab.click()
  await showForms()
  await expect(name).toHaveValue('store')
  await expect(source.getByLabel('unsaved changes')).toHaveCount(0)
  await panel.getByLabel('Open a sample or a recent model').selectOption('builtin:cruddur')
  await expect(name).toHaveValue('cruddur')
  await expect(source.getByLabel('unsaved changes')).toHaveCount(0)
})

test('the Forms/JSON choice outlives a visit to another tab and a restart of the page', async ({
  page,
  request,
  host,
}) => {
  await withBuiltInSample(page, request, host)
  const modelTab = page.getByRole('tab', { name: 'Model', exact: true })
  const source = page.getByRole('region', { name: 'Model JSON' })
  const choice = source.getByRole('group', { name: 'Edit the model as' })
  const forms = source.getByRole('form', { name: 'Model forms' })

  await modelTab.click()
  await expect(source.getByLabel('Model validity')).toHaveText('Valid model.')
  // A fresh browser profile edits as JSON.
  await expect(choice.getByRole('button', { name: 'JSON' })).toHaveAttribute('aria-pressed', 'true')
  await choice.getByRole('button', { name: 'Forms' }).click()
  await expect(forms).toBeVisible()

  await page.getByRole('tab', { name: 'Visualizer' }).click()
  await expect(source).toHaveCount(0)
  await modelTab.click()
  await expect(choice.getByRole('button', { name: 'Forms' })).toHaveAttribute('aria-pressed', 'true')
  await expect(forms.getByLabel('Name of the model', { exact: true })).toHaveValue('cruddur')

  // Remembered with the layout: a reload keeps it, and going back to JSON is remembered too.
  await page.reload()
  await modelTab.click()
  await expect(forms).toBeVisible({ timeout: 30_000 })
  await choice.getByRole('button', { name: 'JSON' }).click()
  await expect(forms).toHaveCount(0)
  await page.reload()
  await modelTab.click()
  await expect(source.getByLabel('Model validity')).toHaveText('Valid model.')
  await expect(choice.getByRole('button', { name: 'JSON' })).toHaveAttribute('aria-pressed', 'true')
})
