import { expect, type Locator, type Page } from '@playwright/test'
import { escapeRegExp } from './api'

/** The app is up and its active connection answered (the first thing every spec waits for). */
export async function expectConnected(page: Page) {
  await expect(
    page.getByRole('region', { name: 'Connection overview' }).getByLabel('connection status'),
  ).toHaveText('connected', { timeout: 60_000 })
}

/** Opens a table from the sidebar and waits for the visualizer's first item row; returns the grid. */
export async function openTable(page: Page, table = 'cruddur-messages'): Promise<Locator> {
  await expectConnected(page)
  await page
    .getByRole('navigation', { name: 'Tables of this connection' })
    .getByRole('button', { name: new RegExp(table) })
    .click()
  const grid = page.getByRole('grid', { name: 'Items' })
  await expect(grid.getByRole('row', { name: /^Message/ }).first()).toBeVisible()
  return grid
}

/** The open model's recipes in the Writes & stream view; picks one and returns its parameter form. */
export async function openRecipe(page: Page, name: string, id: string): Promise<Locator> {
  await page.getByRole('tab', { name: 'Writes & stream' }).click()
  await page
    .getByRole('navigation', { name: 'Recipes' })
    .getByRole('button', { name: new RegExp(`^${escapeRegExp(name)}`) })
    .click()
  return page.getByRole('form', { name: `Recipe ${id} parameters` })
}

/** A recipe parameter's text box (labelled "name (type…)"). */
export const recipeParam = (form: Locator, name: string) =>
  form.getByRole('textbox', { name: new RegExp(`^${escapeRegExp(name)} \\(`) })

/** Opens a model file by its path in the sidebar's Model panel and waits for its name; returns the panel. */
export async function openModelByPath(page: Page, file: string, name: string): Promise<Locator> {
  const panel = page.getByRole('region', { name: 'Model' })
  await panel.getByLabel('Model file path').fill(file)
  await panel.getByRole('button', { name: 'Open model' }).click()
  await expect(panel.getByLabel('model name')).toHaveText(name)
  return panel
}

/** A saved connection's button in the sidebar. */
export const connectionButton = (page: Page, name: string | RegExp) =>
  page.getByRole('navigation', { name: 'Connections' }).getByRole('button', { name })

/** Switches to a saved connection from the sidebar and waits until it answers. */
export async function useConnection(page: Page, name: string | RegExp): Promise<void> {
  await connectionButton(page, name).click()
  await expect(
    page.getByRole('region', { name: 'Connection overview' }).getByLabel('connection status'),
  ).toHaveText('connected', { timeout: 30_000 })
}

/** Opens the grid's first message row in the inspector and waits for its JSON editor. */
export async function inspectFirstRow(page: Page, grid: Locator) {
  await grid
    .getByRole('row', { name: /^Message/ })
    .first()
    .click()
  const inspector = page.getByRole('complementary', { name: 'Inspector' })
  const editor = inspector.getByRole('textbox', { name: 'Item JSON' })
  await expect(editor).toBeAttached({ timeout: 30_000 })
  return { inspector, editor }
}

/**
 * Replaces the editor's text the way a user pastes: a real paste event on the focused editor, so Monaco's typing
 * aids (auto-closed quotes and brackets) leave the text as it is.
 */
export async function replaceAll(page: Page, text: string): Promise<void> {
  await page.keyboard.press('Control+A')
  await page.evaluate((t) => {
    // Browser globals, typed here since the test project compiles without the DOM library.
    const w = globalThis as unknown as {
      DataTransfer: new () => { setData(type: string, value: string): void }
      ClipboardEvent: new (type: string, init: Record<string, unknown>) => unknown
      document: { activeElement: { dispatchEvent(event: unknown): boolean } | null }
    }
    const data = new w.DataTransfer()
    data.setData('text/plain', t)
    w.document.activeElement?.dispatchEvent(
      new w.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    )
  }, text)
}
