import type { Locator, Page } from '@playwright/test'
import { api, createPkSkTable, escapeRegExp } from './support/api'
import { expect, test } from './support/fixtures'
import { expectFocusVisible } from './support/keyboard'

/**
 * Issue 15, "every action works from the keyboard": a dialog opened from the keyboard and closed gives the focus
 * back to the control that opened it (or, when that control went away, to a sensible place), with the focus
 * visible there, instead of dropping it on <body>.
 */

/** A fresh pk/sk table holding `count` items in one partition, shown in the overview's table list. */
async function tableWithItems(
  page: Page,
  request: Parameters<typeof api>[0],
  host: Parameters<typeof api>[1],
  count: number,
) {
  const name = await createPkSkTable(request, host, 'focus')
  await api(request, host, 'data:import', {
    connectionId: 'embedded',
    tableName: name,
    fileName: 'items.jsonl',
    text: Array.from({ length: count }, (_, i) =>
      JSON.stringify({ Item: { pk: { S: 'P' }, sk: { S: `I#${String(i + 1).padStart(2, '0')}` } } }),
    ).join('\n'),
  })
  const overview = page.getByRole('region', { name: 'Connection overview' })
  await expect(overview.getByLabel('connection status')).toHaveText('connected', { timeout: 60_000 })
  // A table made behind the UI's back shows after a refresh.
  await overview.getByRole('button', { name: 'Refresh' }).click()
  await expect(overview.getByRole('button', { name: `Drop ${name}` })).toBeVisible()
  return name
}

/** Focuses `opener`, opens its dialog with Enter, and checks that the dialog took the focus. */
async function openWithEnter(page: Page, opener: Locator, dialogName: string) {
  await opener.focus()
  await page.keyboard.press('Enter')
  const dialog = page.getByRole('dialog', { name: dialogName })
  await expect(dialog).toBeVisible()
  await expect(opener).not.toBeFocused()
  return dialog
}

test('Escape on Create table… and on a drop confirmation gives the focus back to the button that opened it', async ({
  page,
  request,
  host,
}) => {
  const table = await tableWithItems(page, request, host, 2)
  const overview = page.getByRole('region', { name: 'Connection overview' })

  const create = overview.getByRole('button', { name: 'Create table…' })
  const createDialog = await openWithEnter(page, create, 'Create table')
  await page.keyboard.press('Escape')
  await expect(createDialog).toHaveCount(0)
  await expect(create).toBeFocused()
  await expectFocusVisible(create)

  // The ConfirmDialog: its name field has the focus; Escape cancels and nothing is dropped.
  const drop = overview.getByRole('button', { name: `Drop ${table}` })
  const confirm = await openWithEnter(page, drop, `Drop ${table}?`)
  await expect(confirm.getByRole('textbox')).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(confirm).toHaveCount(0)
  await expect(drop).toBeFocused()
  await expectFocusVisible(drop)
  const tables = await api<{ name: string }[]>(request, host, 'tables:list', { connectionId: 'embedded' })
  expect(tables.map((t) => t.name)).toContain(table)
})

test('from the visualizer grid: the help popover and Delete selected… give the focus back, to the grid once the button is gone', async ({
  page,
  request,
  host,
}) => {
  const table = await tableWithItems(page, request, host, 4)
  await page
    .getByRole('navigation', { name: 'Tables of this connection' })
    .getByRole('button', { name: new RegExp(escapeRegExp(table)) })
    .click()
  await page.getByRole('tab', { name: 'Visualizer' }).click()
  const grid = page.getByRole('grid', { name: 'Items' })
  await expect(grid.getByRole('row', { name: /I#04/ })).toBeVisible({ timeout: 30_000 })

  // The grid keeps the focus and points at its cursor row: after the help closes, the same row is current.
  await grid.focus()
  await page.keyboard.press('ArrowDown')
  const row = await grid.getAttribute('aria-activedescendant')
  expect(row).toBeTruthy()
  await page.keyboard.press('?')
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
  await expect(help.getByRole('button', { name: 'Close' })).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(help).toHaveCount(0)
  await expect(grid).toBeFocused()
  await expect(grid).toHaveAttribute('aria-activedescendant', row!)
  await expectFocusVisible(grid)

  // Pick the cursor row with Space, open the bulk delete from its button, and cancel with Escape.
  await page.keyboard.press('Space')
  await expect(page.getByRole('status', { name: 'Selected items' })).toHaveText('1 selected')
  const deleteSelected = page.getByRole('button', { name: 'Delete selected…' })
  let dialog = await openWithEnter(page, deleteSelected, 'Delete selected items')
  await expect(dialog.getByRole('status', { name: 'Dry run' })).toHaveText(
    `Dry run: 1 item would be deleted from ${table}.`,
  )
  await page.keyboard.press('Escape')
  await expect(dialog).toHaveCount(0)
  await expect(deleteSelected).toBeFocused()
  await expectFocusVisible(deleteSelected)

  // Confirm: the delete clears the selection, and its button with it; the focus goes to the grid.
  dialog = await openWithEnter(page, deleteSelected, 'Delete selected items')
  const confirm = dialog.getByRole('button', { name: 'Delete 1 item' })
  await expect(confirm).toBeEnabled()
  await confirm.focus()
  await page.keyboard.press('Enter')
  await expect(dialog).toHaveCount(0)
  await expect(page.getByRole('status').filter({ hasText: `Deleted 1 items from ${table}.` })).toBeVisible()
  await expect(deleteSelected).toHaveCount(0)
  await expect(grid).toBeFocused()
  await expectFocusVisible(grid)
})
