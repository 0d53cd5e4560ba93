import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { api, ensureCruddur } from './support/api'
import { startLoopbackHost } from './support/extra-host'
import { expect, test } from './support/fixtures'
import { expectConnected, openModelByPath, useConnection, replaceAll } from './support/ui'

// The host is shared by the worker's specs: each test leaves the built-in sample open again when it ends.
test.describe.configure({ mode: 'serial' })

const DIFF_TABLE = `live-diff-e2e-${process.pid}`
const PATTERN_TABLE = `live-pattern-e2e-${process.pid}`

function table(name: string, gsi = false) {
  return {
    name,
    attributeDefinitions: [
      { attributeName: 'PK', attributeType: 'S' },
      { attributeName: 'SK', attributeType: 'S' },
      ...(gsi ? [{ attributeName: 'status', attributeType: 'S' }] : []),
    ],
    keySchema: [
      { attributeName: 'PK', keyType: 'HASH' },
      { attributeName: 'SK', keyType: 'RANGE' },
    ],
    ...(gsi
      ? {
          globalSecondaryIndexes: [
            {
              indexName: 'by-status',
              keySchema: [
                { attributeName: 'status', keyType: 'HASH' },
                { attributeName: 'SK', keyType: 'RANGE' },
              ],
              projection: { projectionType: 'KEYS_ONLY' },
            },
          ],
        }
      : {}),
  }
}

function shop(tableName: string, gsi = false) {
  return {
    name: `shop ${tableName}`,
    tables: [table(tableName, gsi)],
    entities: [{ name: 'Order', table: tableName, keys: { PK: 'CUST#{customer}', SK: 'ORDER#{order}' } }],
    sampleData: {
      items: {
        [tableName]: [
          { PK: 'CUST#ann', SK: 'PROFILE', name: 'Ann' },
          ...[1, 2, 3, 4].map((n) => ({ PK: 'CUST#ann', SK: `ORDER#2026-0${n}`, total: n, status: 'open' })),
          { PK: 'CUST#ann', SK: 'ORDER#2025-12', total: 9, status: 'paid' },
          { PK: 'CUST#bob', SK: 'ORDER#2026-01', total: 7, status: 'open' },
        ],
      },
    },
  }
}

let dir: string
test.beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tw-e2e-live-'))
})
test.afterEach(async ({ request, host }) => {
  if (host.kind !== 'web') return
  await api(request, host, 'models:open', { modelId: 'cruddur' })
  const tables = await api<{ name: string }[]>(request, host, 'tables:list', { connectionId: 'embedded' })
  for (const name of [DIFF_TABLE, PATTERN_TABLE])
    if (tables.some((t) => t.name === name))
      await api(request, host, 'tables:drop', { connectionId: 'embedded', tableName: name, confirm: name })
})
test.afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

test('a new model from a live table: the Cruddur table gives MSG and GRP entities, an unsaved draft until Save As', async ({
  page,
  request,
  host,
}) => {
  test.setTimeout(120_000)
  await ensureCruddur(request, host)
  await page.reload()
  await expectConnected(page)
  await page.getByRole('tab', { name: 'Model', exact: true }).click()
  const source = page.getByRole('region', { name: 'Model JSON' })
  await expect(source.getByLabel('Model validity')).toHaveText('Valid model.')
  await source.getByLabel('New model from a template').selectOption('live-table')

  const live = page.getByRole('region', { name: 'New model from a live table' })
  await live.getByLabel('Table', { exact: true }).selectOption('cruddur-messages')
  await live.getByLabel('Sample size').fill('1000')
  await live.getByRole('button', { name: 'Reverse-engineer' }).click()
  const entities = live.getByRole('table', { name: 'Inferred entities' })
  await expect(entities).toContainText('pk = MSG#{msg_id}')
  await expect(entities).toContainText('pk = GRP#{grp_id}')
  // Index membership per entity, and the attribute types read from the sample.
  await expect(entities.getByRole('row', { name: /^MSG/ })).toContainText('in message-group-sk-index')
  await expect(entities.getByRole('row', { name: /^GRP/ })).toContainText('user_handle: S')
  await expect(source.getByLabel('unsaved changes')).toBeVisible()
  await expect(source.getByLabel('Model validity')).toHaveText('Valid model.')

  const file = path.join(dir, 'from-table.json')
  await source.getByLabel('Save as file path').fill(file)
  await source.getByRole('button', { name: 'Save As' }).click()
  await expect(page.getByRole('region', { name: 'Model' }).getByLabel('model name')).toHaveText(
    'cruddur-messages',
  )
  const saved = JSON.parse(readFileSync(file, 'utf8')) as {
    tables: { name: string }[]
    entities: { keys: Record<string, string> }[]
  }
  expect(saved.tables.map((t) => t.name)).toEqual(['cruddur-messages'])
  const prefixes = saved.entities.map((e) => e.keys.pk!.split('#')[0])
  expect(prefixes).toEqual(expect.arrayContaining(['MSG', 'GRP']))
})

test('compare with connection: a missing table, then a GSI added in the JSON; Apply after confirmation, then no difference', async ({
  page,
  request,
  host,
}) => {
  test.setTimeout(180_000)
  const file = path.join(dir, 'diff.json')
  writeFileSync(file, JSON.stringify(shop(DIFF_TABLE), null, 2))
  await expectConnected(page)
  await openModelByPath(page, file, `shop ${DIFF_TABLE}`)
  await page.getByRole('tab', { name: 'Model', exact: true }).click()
  const source = page.getByRole('region', { name: 'Model JSON' })
  await expect(source.getByLabel('Model validity')).toHaveText('Valid model.')

  const diff = page.getByRole('region', { name: 'Compare with connection' })
  await diff.getByRole('button', { name: 'Compare' }).click()
  await expect(diff.getByRole('list', { name: 'Diff steps' })).toHaveText(
    new RegExp(`${DIFF_TABLE}: create table ${DIFF_TABLE}`),
  )
  await diff.getByRole('button', { name: 'Apply…' }).click()
  const confirm = page.getByRole('dialog', { name: 'Apply the diff' })
  await expect(confirm.getByRole('list', { name: 'Steps to apply' })).toContainText(
    `create table ${DIFF_TABLE}`,
  )
  // Escape backs out; the dialog opens again.
  await page.keyboard.press('Escape')
  await expect(confirm).toHaveCount(0)
  await diff.getByRole('button', { name: 'Apply…' }).click()
  await confirm.getByRole('button', { name: 'Apply 1 step(s)' }).click()
  await expect(diff.getByLabel('Applied steps')).toContainText(`create table ${DIFF_TABLE}`)
  await expect(diff.getByLabel('Diff empty')).toBeVisible()

  // The user adds a GSI in the JSON: the draft (unsaved) is what is compared.
  const editor = source.getByRole('code').or(source.locator('.monaco-editor')).first()
  await editor.click()
  await replaceAll(page, JSON.stringify(shop(DIFF_TABLE, true), null, 2))
  await expect(source.getByLabel('unsaved changes')).toBeVisible()
  await expect(source.getByLabel('Model validity')).toHaveText('Valid model.')
  // The earlier comparison is of another text: Apply waits for a new one.
  await expect(diff.getByRole('button', { name: 'Apply…' })).toBeDisabled()
  await diff.getByRole('button', { name: 'Compare' }).click()
  const steps = diff.getByRole('list', { name: 'Diff steps' })
  await expect(steps).toContainText(`${DIFF_TABLE}: create GSI by-status (status HASH, SK RANGE, KEYS_ONLY)`)
  await expect(steps.getByRole('listitem')).toHaveCount(1)
  await diff.getByRole('button', { name: 'Apply…' }).click()
  await expect(confirm.getByRole('list', { name: 'Steps to apply' })).toContainText('create GSI by-status')
  await confirm.getByRole('button', { name: 'Apply 1 step(s)' }).click()
  await expect(diff.getByLabel('Applied steps')).toContainText('create GSI by-status')
  await expect(diff.getByLabel('Diff empty')).toBeVisible()

  const described = await api<{ indexes: { name: string; kind: string; status?: string }[] }>(
    request,
    host,
    'tables:describe',
    { connectionId: 'embedded', tableName: DIFF_TABLE },
  )
  expect(described.indexes).toEqual([
    expect.objectContaining({ name: 'by-status', kind: 'GSI', status: 'ACTIVE' }),
  ])
})

test('save a begins_with query as an access pattern: parameters lifted through the entity template, same result when run', async ({
  page,
}) => {
  test.setTimeout(180_000)
  const file = path.join(dir, 'pattern.json')
  writeFileSync(file, JSON.stringify(shop(PATTERN_TABLE), null, 2))
  await expectConnected(page)
  await openModelByPath(page, file, `shop ${PATTERN_TABLE}`)
  await page
    .getByRole('region', { name: 'Connection overview' })
    .getByRole('button', { name: `Load the shop ${PATTERN_TABLE} sample` })
    .click()
  await expect(page.getByRole('grid', { name: 'Items' })).toContainText('ORDER#2026-04')

  // An unsaved edit in the Model tab: the pattern is added to the draft that has it, not to the saved file.
  await page.getByRole('tab', { name: 'Model', exact: true }).click()
  const source = page.getByRole('region', { name: 'Model JSON' })
  await expect(source.getByLabel('Model validity')).toHaveText('Valid model.')
  await source
    .getByRole('group', { name: 'Edit the model as' })
    .getByRole('button', { name: 'Forms' })
    .click()
  await source.getByLabel('Name of the model', { exact: true }).fill(`shop ${PATTERN_TABLE} renamed`)
  await expect(source.getByLabel('unsaved changes')).toBeVisible()

  await page.getByRole('tab', { name: 'Query', exact: true }).click()
  const form = page.getByRole('form', { name: 'Operation' })
  await form.getByLabel('Table').selectOption(PATTERN_TABLE)
  await form.getByLabel('Partition key value').fill('CUST#ann')
  await form.getByLabel('Sort key operator').selectOption('begins_with')
  await form.getByLabel('Sort key value', { exact: true }).fill('ORDER#2026-0')
  await form.getByRole('button', { name: 'Run', exact: true }).click()
  const rows = page
    .getByRole('region', { name: 'Operation result' })
    .getByRole('table', { name: 'Result items' })
    .locator('tbody tr')
  await expect(rows).toHaveCount(4)

  await form.getByRole('button', { name: 'Save as access pattern…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Save as access pattern' })
  // A modal with the name field focused; Escape backs out, and the dialog opens again.
  await expect(dialog.getByLabel('Name')).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(dialog).toHaveCount(0)
  await form.getByRole('button', { name: 'Save as access pattern…' }).click()
  await dialog.getByLabel('Name').fill('Orders of a month')
  const lifted = dialog.getByRole('list', { name: 'Lifted parameters' })
  await expect(lifted).toContainText("customer (string) = ann, from PK through Order's CUST#{customer}")
  await expect(lifted).toContainText("order_prefix (string) = 2026-0, from SK through Order's ORDER#{order}")
  await dialog.getByRole('button', { name: 'Add to model' }).click()
  await expect(form.getByLabel('Pattern added')).toContainText('orders-of-a-month')

  // Added to the model's draft: unsaved until the user saves it in the Model tab.
  await form.getByRole('button', { name: 'Open the Model tab to save it' }).click()
  await expect(source.getByLabel('unsaved changes')).toBeVisible()
  await expect(source).toContainText('Added access pattern orders-of-a-month ("Orders of a month")')
  await expect(source.getByLabel('Model validity')).toHaveText('Valid model.')
  await source.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(source.getByLabel('unsaved changes')).toHaveCount(0)
  const saved = JSON.parse(readFileSync(file, 'utf8')) as {
    name: string
    accessPatterns: Record<string, unknown>[]
  }
  expect(saved.name).toBe(`shop ${PATTERN_TABLE} renamed`)
  expect(saved.accessPatterns).toEqual([
    expect.objectContaining({
      id: 'orders-of-a-month',
      entity: 'Order',
      keyCondition: '#PK = :PK AND begins_with(#SK, :SK)',
      values: { ':PK': 'CUST#{customer}', ':SK': 'ORDER#{order_prefix}' },
    }),
  ])

  await page.getByRole('tab', { name: 'Access patterns', exact: true }).click()
  await page
    .getByRole('navigation', { name: 'Patterns' })
    .getByRole('button', { name: /orders-of-a-month/ })
    .click()
  const params = page.getByRole('form', { name: 'Pattern orders-of-a-month parameters' })
  await expect(params.getByLabel(/^customer/)).toHaveValue('ann')
  await expect(params.getByLabel(/^order_prefix/)).toHaveValue('2026-0')
  await params.getByRole('button', { name: 'Run pattern orders-of-a-month' }).click()
  const result = page.getByRole('region', { name: 'Result of pattern orders-of-a-month' })
  await expect(result.getByLabel('Item count')).toHaveText(/^4 items/)
  await expect(result.getByRole('table', { name: 'Pattern orders-of-a-month items' })).toContainText(
    'ORDER#2026-04',
  )
})

test('on a read-only AWS connection: a model from a live table works, Apply is disabled with the reason', async ({
  host,
}) => {
  test.setTimeout(180_000)
  // As in readonly.web.spec.ts: an "aws" connection whose endpoint is this host's embedded engine on loopback.
  const { extra, context, page, endpoint, stop } = await startLoopbackHost(host)
  try {
    await api(context.request, extra, 'connections:save', {
      name: 'AWS loopback',
      kind: 'aws',
      endpoint,
      region: 'us-east-1',
    })
    const file = path.join(dir, 'read-only.json')
    writeFileSync(file, JSON.stringify(shop(DIFF_TABLE), null, 2))
    await page.goto(extra.url!)
    await useConnection(page, /^AWS loopback/)
    await openModelByPath(page, file, `shop ${DIFF_TABLE}`)

    await page.getByRole('tab', { name: 'Model', exact: true }).click()
    const diff = page.getByRole('region', { name: 'Compare with connection' })
    await diff.getByRole('button', { name: 'Compare' }).click()
    await expect(diff.getByRole('list', { name: 'Diff steps' })).toContainText(`create table ${DIFF_TABLE}`)
    await expect(diff.getByRole('button', { name: 'Apply…' })).toBeDisabled()
    await expect(diff.getByLabel('Apply unavailable')).toContainText('AWS loopback is read-only')

    const source = page.getByRole('region', { name: 'Model JSON' })
    await source.getByLabel('New model from a template').selectOption('live-table')
    const live = page.getByRole('region', { name: 'New model from a live table' })
    await live.getByLabel('Table', { exact: true }).selectOption('cruddur-messages')
    await live.getByRole('button', { name: 'Reverse-engineer' }).click()
    await expect(live.getByRole('table', { name: 'Inferred entities' })).toContainText('pk = MSG#{msg_id}')
    await expect(source.getByLabel('unsaved changes')).toBeVisible()
  } finally {
    await stop()
  }
})
