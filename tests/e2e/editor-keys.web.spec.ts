import { ensureCruddur } from './support/api'
import { expect, test } from './support/fixtures'
import { expectFocusVisible, tabTo } from './support/keyboard'
import { expectConnected, inspectFirstRow, openTable } from './support/ui'

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
  const { inspector, editor } = await inspectFirstRow(page, await openTable(page))
  await tabTo(page, editor)
  await expect(editor).toHaveAccessibleDescription(
    'Tab inserts spaces · Ctrl+M: Tab moves focus · Esc: leave the editor',
  )

  // Tab indents and keeps the focus: the trap this is about. Spaces alone change nothing to save, so Save stays
  // disabled and the next control is Revert.
  const revert = inspector.getByRole('button', { name: 'Revert' })
  await expect(revert).toBeDisabled()
  await page.keyboard.press('Tab')
  await expect(revert).toBeEnabled()
  await expect(editor).toBeFocused()

  // Escape while the suggest list is open closes the list and stays; the next Escape leaves.
  await page.keyboard.press('Control+Space')
  const suggest = page.getByRole('listbox', { name: /Suggest/ })
  await expect(suggest).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(suggest).toBeHidden()
  await expect(editor).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(revert).toBeFocused()
  await expectFocusVisible(revert)

  // Ctrl+M: Tab moves the focus now, and the hint says so (for every editor: it is one switch).
  await page.keyboard.press('Shift+Tab')
  await expect(editor).toBeFocused()
  await page.keyboard.press('Control+M')
  await expect(editor).toHaveAccessibleDescription(
    'Tab moves focus (Ctrl+M to type tabs) · Esc: leave the editor',
  )
  await page.keyboard.press('Tab')
  await expect(revert).toBeFocused()
  await expectFocusVisible(revert)

  // The edit is dropped from the keyboard too.
  await page.keyboard.press('Enter')
  await expect(revert).toBeDisabled()
  await expect(inspector.getByRole('status', { name: 'Validation' })).toHaveText('Valid.')
})

test("the Model tab's JSON editor: Escape leaves it for the next control, with the focus visible", async ({
  page,
}) => {
  await expectConnected(page)
  await page.getByRole('tab', { name: 'Model', exact: true }).click()
  const source = page.getByRole('region', { name: 'Model JSON' })
  await expect(source.getByLabel('Model validity')).toHaveText('Valid model.')
  const editor = source.getByRole('textbox', { name: 'Model JSON' })
  // The control before the editor, then Tab (the editor shows as hidden to tabTo until it has the focus).
  const compare = page
    .getByRole('region', { name: 'Compare with connection' })
    .getByRole('button', { name: 'Compare' })
  await tabTo(page, compare)
  await page.keyboard.press('Tab')
  await expect(editor).toBeFocused()
  await expect(editor).toHaveAccessibleDescription(/^Tab inserts spaces · Ctrl\+M: Tab moves focus/)
  // The editor is the page's last control: Escape wraps around to the first, as Tab does.
  await page.keyboard.press('Escape')
  const first = page.getByRole('button', { name: 'Sidebar' })
  await expect(first).toBeFocused()
  await expectFocusVisible(first)
})

test("each editor keeps its own keys: Ctrl+Z in the inspector undoes the inspector's edit while the Model tab's editor is open", async ({
  page,
  request,
  host,
}) => {
  await ensureCruddur(request, host)
  const { inspector, editor } = await inspectFirstRow(page, await openTable(page))
  // The Model tab's editor mounts second: its Ctrl+Z (the model draft's undo) must not take over the inspector's.
  await page.getByRole('tab', { name: 'Model', exact: true }).click()
  await expect(page.getByRole('region', { name: 'Model JSON' }).getByLabel('Model validity')).toHaveText(
    'Valid model.',
  )
  await expect(
    page.getByRole('region', { name: 'Model JSON' }).getByRole('textbox', { name: 'Model JSON' }),
  ).toBeAttached()
  const revert = inspector.getByRole('button', { name: 'Revert' })
  await editor.focus()
  await page.keyboard.press('Tab')
  await expect(revert).toBeEnabled()
  await page.keyboard.press('Control+Z')
  await expect(revert).toBeDisabled()
  await expect(editor).toBeFocused()
})
