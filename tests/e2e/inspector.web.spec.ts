import type { Locator, Page } from '@playwright/test'
import { api, ensureCruddur, escapeRegExp, scanAll } from './support/api'
import { expect, test } from './support/fixtures'
import { openTable } from './support/ui'

test.describe.configure({ mode: 'serial' })

const TABLE = 'cruddur-messages'

/** Pastes text into a Monaco editor, as a person would (typing goes through auto-closing and indenting). */
async function replaceEditorText(page: Page, editor: Locator, text: string) {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
  await page.evaluate(
    (t) =>
      (
        globalThis as unknown as { navigator: { clipboard: { writeText(s: string): Promise<void> } } }
      ).navigator.clipboard.writeText(t),
    text,
  )
  await editor.focus()
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.press('ControlOrMeta+V')
}

test('Revert works on invalid JSON; a status line clears once the draft changes', async ({
  page,
  request,
  host,
}) => {
  await ensureCruddur(request, host)
  const target = (await scanAll(request, host, TABLE)).find((it) => it.pk!.S!.startsWith('MSG#'))!
  const grid = await openTable(page)
  await page.getByRole('searchbox', { name: 'Filter' }).fill(target.pk!.S!)
  await grid.getByRole('row', { name: new RegExp(`^Message.*${escapeRegExp(target.sk!.S!)}`) }).click()
  const inspector = page.getByRole('complementary', { name: 'Inspector' })
  const editor = inspector.getByRole('textbox', { name: 'Item JSON' })
  await expect(editor).toBeAttached({ timeout: 30_000 })
  const validation = inspector.getByRole('status', { name: 'Validation' })
  await expect(validation).toHaveText('Valid.')
  const revert = inspector.getByRole('button', { name: 'Revert' })
  await expect(revert).toBeDisabled()

  await replaceEditorText(page, editor, '{ "pk": ')
  await expect(validation).toHaveText(/Not valid JSON/)
  await expect(revert).toBeEnabled()
  await revert.click()
  await expect(validation).toHaveText('Valid.')
  await expect(revert).toBeDisabled()

  // Save an edit: "Saved." shows, and goes away at the next keystroke.
  const plain = Object.fromEntries(Object.entries(target).map(([k, v]) => [k, v.S ?? v.N]))
  await replaceEditorText(page, editor, JSON.stringify({ ...plain, e2e_note: 'saved once' }, null, 2))
  await expect(validation).toHaveText('Valid — unsaved changes.')
  await inspector.getByRole('button', { name: 'Save item' }).click()
  const saved = inspector.getByRole('status').filter({ hasText: /^Saved\.$/ })
  await expect(saved).toBeVisible()
  await editor.focus()
  await page.keyboard.type(' ')
  await expect(saved).toHaveCount(0)
  // The item goes back as seeded: specs that run later on this host read the sample's first message too.
  await api(request, host, 'items:put', { connectionId: 'embedded', tableName: TABLE, item: target })
})

test('creates an item from the inspector, refuses a duplicate key, then deletes it', async ({
  page,
  request,
  host,
}) => {
  await ensureCruddur(request, host)
  await openTable(page)
  const pk = `E2E#${Date.now().toString(36)}`
  await page.getByRole('button', { name: 'New item' }).click()
  const inspector = page.getByRole('complementary', { name: 'Inspector' })
  const draft = inspector.getByRole('region', { name: 'New item' })
  const editor = draft.getByRole('textbox', { name: 'New item JSON' })
  await expect(editor).toBeAttached({ timeout: 30_000 })
  await replaceEditorText(page, editor, JSON.stringify({ pk, sk: '1', note: 'made in the inspector' }))
  await expect(draft.getByRole('status', { name: 'Validation' })).toHaveText('Valid.')
  await draft.getByRole('button', { name: 'Create item' }).click()

  // The new item is stored, open in the inspector and marked new in the grid.
  await expect(inspector.getByRole('textbox', { name: 'Item JSON' })).toBeAttached()
  await expect(
    page.getByRole('grid', { name: 'Items' }).getByRole('row', { name: /new/ }).first(),
  ).toBeAttached()
  const stored = (await scanAll(request, host, TABLE)).filter((it) => it.pk?.S === pk)
  expect(stored.map((it) => it.note?.S)).toEqual(['made in the inspector'])

  // The same key again is a conflict, and nothing is overwritten.
  await page.getByRole('button', { name: 'New item' }).click()
  await replaceEditorText(
    page,
    inspector.getByRole('textbox', { name: 'New item JSON' }),
    JSON.stringify({ pk, sk: '1', note: 'second' }),
  )
  await inspector.getByRole('button', { name: 'Create item' }).click()
  await expect(inspector.getByRole('alert')).toContainText('already exists')
  expect(
    (await scanAll(request, host, TABLE)).filter((it) => it.pk?.S === pk).map((it) => it.note?.S),
  ).toEqual(['made in the inspector'])
  await inspector.getByRole('button', { name: 'Cancel' }).click()

  // Delete it from the inspector.
  await page.getByRole('searchbox', { name: 'Filter' }).fill(pk)
  await page.getByRole('grid', { name: 'Items' }).getByRole('row', { name: /^item/ }).first().click()
  await inspector.getByRole('button', { name: 'Delete item' }).click()
  await page
    .getByRole('dialog', { name: 'Delete this item?' })
    .getByRole('button', { name: 'Delete' })
    .click()
  await expect
    .poll(async () => (await scanAll(request, host, TABLE)).some((it) => it.pk?.S === pk))
    .toBe(false)
})

test("a new item starts from an entity's key templates and declared attributes", async ({
  page,
  request,
  host,
}) => {
  await ensureCruddur(request, host)
  await openTable(page)
  const group = `e2e-entity-${Date.now()}`
  await page.getByRole('button', { name: 'New item' }).click()
  const draft = page
    .getByRole('complementary', { name: 'Inspector' })
    .getByRole('region', { name: 'New item' })
  await expect(draft.getByRole('textbox', { name: 'New item JSON' })).toBeAttached({ timeout: 30_000 })
  await draft.getByLabel('Start from entity').selectOption('Message')
  // Until every key parameter has a value, the draft names what is missing and cannot be created.
  await expect(draft.getByRole('status', { name: 'Validation' })).toHaveText(
    'Fill in message_group_uuid, created_at for the Message keys.',
  )
  await expect(draft.getByRole('button', { name: 'Create item' })).toBeDisabled()
  await draft.getByLabel('message_group_uuid').fill(group)
  await draft.getByLabel('created_at').fill('2026-12-06T10:00:00.000000+00:00')
  await expect(draft.getByRole('status', { name: 'Validation' })).toHaveText('Valid.')
  await draft.getByRole('button', { name: 'Create item' }).click()

  await expect
    .poll(async () => (await scanAll(request, host, TABLE)).find((it) => it.pk?.S === `MSG#${group}`))
    .toMatchObject({
      sk: { S: '2026-12-06T10:00:00.000000+00:00' },
      message: { S: '' },
      user_handle: { S: '' },
    })
})
