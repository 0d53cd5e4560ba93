import { ensureCruddur } from './support/api'
import { expect, test } from './support/fixtures'
import { expectFocusVisible, tabTo } from './support/keyboard'
import { expectConnected, openTable } from './support/ui'

/**
 * Monaco keeps Tab (it indents), so the JSON editors say how to leave them, and Escape does: the hint under each
 * editor is its accessible description, Escape moves the focus to the next control unless a Monaco widget needs
 * it, and Ctrl+M (Monaco's own switch) makes Tab move the focus, with the hint saying so.
 */
test("the inspector's JSON editor: Tab stays in, Escape leaves to the next control, Ctrl+M makes Tab leave", async ({
  page,
  request,
  host,
}) => {
  await ensureCruddur(request, host)
  const grid = await openTable(page)
  await grid
    .getByRole('row', { name: /^Message/ })
    .first()
    .click()
  const inspector = page.getByRole('complementary', { name: 'Inspector' })
  const editor = inspector.getByRole('textbox', { name: 'Item JSON' })
  await expect(editor).toBeAttached({ timeout: 30_000 })
  await tabTo(page, editor)
  await expect(editor).toHaveAccessibleDescription(
    'Tab inserts spaces · Ctrl+M: Tab moves focus · Esc: leave the editor',
  )

  // Tab indents and keeps the focus: the trap this is about.
  const validation = inspector.getByRole('status', { name: 'Validation' })
  await page.keyboard.press('Tab')
  await expect(validation).toHaveText('Valid — unsaved changes.')
  await expect(editor).toBeFocused()

  // Escape while the suggest list is open closes the list and stays; the next Escape leaves.
  await page.keyboard.press('Control+Space')
  const suggest = inspector.locator('.suggest-widget')
  await expect(suggest).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(suggest).toBeHidden()
  await expect(editor).toBeFocused()
  await page.keyboard.press('Escape')
  const save = inspector.getByRole('button', { name: 'Save item' })
  await expect(save).toBeFocused()
  await expectFocusVisible(save)

  // Ctrl+M: Tab moves the focus now, and the hint says so (for every editor: it is one switch).
  await page.keyboard.press('Shift+Tab')
  await expect(editor).toBeFocused()
  await page.keyboard.press('Control+M')
  await expect(editor).toHaveAccessibleDescription(
    'Tab moves focus (Ctrl+M to type tabs) · Esc: leave the editor',
  )
  await page.keyboard.press('Tab')
  await expect(save).toBeFocused()
  await expectFocusVisible(save)

  // The edit is dropped from the keyboard too.
  const revert = inspector.getByRole('button', { name: 'Revert' })
  await tabTo(page, revert)
  await page.keyboard.press('Enter')
  await expect(validation).toHaveText('Valid.')
})

test("the Model tab's JSON editor: Escape leaves it for the next control, with the focus visible", async ({
  page,
}) => {
  await expectConnected(page)
  await page.getByRole('tab', { name: 'Model', exact: true }).click()
  const source = page.getByRole('region', { name: 'Model JSON' })
  await expect(source.getByLabel('Model validity')).toHaveText('Valid model.')
  const editor = source.getByRole('textbox', { name: 'Model JSON' })
  await tabTo(page, editor)
  await expect(editor).toHaveAccessibleDescription(/^Tab inserts spaces · Ctrl\+M: Tab moves focus/)
  await page.keyboard.press('Escape')
  await expect(editor).not.toBeFocused()
  const next = page.locator(':focus')
  await expect(next).toHaveCount(1)
  await expectFocusVisible(next)
})
