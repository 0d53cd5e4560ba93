import { startExtraHost } from './support/extra-host'
import { expect, test } from './support/fixtures'
import { arrowToTab, expectFocusVisible, tabTo } from './support/keyboard'

/**
 * A walk through the app with the keyboard only (Tab, Shift+Tab, Enter, Space, arrows), on a fresh host: load the
 * sample, open the table, inspect an item and revert an edit, run a pattern, run a recipe and step its timeline,
 * switch the theme. Every stop must be reachable and show its focus.
 */
test('keyboard only: every view and its main actions, with the focus visible at each stop', async ({
  host,
}) => {
  test.setTimeout(240_000)
  const extra = await startExtraHost({})
  const context = await host.browser!.newContext({ viewport: { width: 1280, height: 800 } })
  try {
    const page = await context.newPage()
    await page.goto(extra.url!)
    const overview = page.getByRole('region', { name: 'Connection overview' })
    await expect(overview.getByLabel('connection status')).toHaveText('connected', { timeout: 60_000 })

    // The model: the sample picker is reachable (the built-in sample is open on a fresh start).
    await tabTo(page, page.getByRole('combobox', { name: 'Open a sample or a recent model' }))

    // Load the sample into the empty engine.
    const load = overview.getByRole('button', { name: /^Load the .* sample$/ })
    await tabTo(page, load)
    await page.keyboard.press('Enter')
    const tablesNav = page.getByRole('navigation', { name: 'Tables of this connection' })
    const tableButton = tablesNav.getByRole('button', { name: /cruddur-messages/ })
    await expect(tableButton).toBeVisible({ timeout: 60_000 })

    // Every view tab, from the tab list with the arrow keys.
    await tabTo(page, page.getByRole('tab', { name: 'Overview' }), { back: true })
    for (const name of [
      'Visualizer',
      'Schema & data',
      'Access patterns',
      'Writes & stream',
      'Query',
      'Model',
      'Check & cost',
    ])
      await arrowToTab(page, name)
    await page.keyboard.press('Home')
    await expect(page.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true')

    // Open the table, then the visualizer: the grid takes the focus, arrows move, Enter inspects.
    await tabTo(page, tableButton, { back: true })
    await page.keyboard.press('Enter')
    await tabTo(page, page.getByRole('tab', { name: 'Overview' }))
    await arrowToTab(page, 'Visualizer')
    const grid = page.getByRole('grid', { name: 'Items' })
    await expect(grid.getByRole('row').nth(2)).toBeVisible({ timeout: 30_000 })
    await tabTo(page, grid)
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    const inspector = page.getByRole('complementary', { name: 'Inspector' })
    const editor = inspector.getByRole('textbox', { name: 'Item JSON' })
    await expect(editor).toBeAttached({ timeout: 30_000 })
    const revert = inspector.getByRole('button', { name: 'Revert' })
    await expect(revert).toBeDisabled()

    // Edit the item in the editor, then leave it (Ctrl+M: Tab moves the focus, Monaco's own switch) and revert.
    await tabTo(page, editor)
    // A stray character before the opening brace: invalid JSON, which Revert must still undo.
    await page.keyboard.type('x')
    const validation = inspector.getByRole('status', { name: 'Validation' })
    await expect(validation).toHaveText(/Not valid JSON/)
    await expect(revert).toBeEnabled()
    await page.keyboard.press('Control+M')
    await tabTo(page, revert)
    await page.keyboard.press('Enter')
    await expect(validation).toHaveText('Valid.')

    // Run a pattern: its Run button, by Tab from the tab list.
    await tabTo(page, page.getByRole('tab', { name: 'Visualizer' }), { back: true })
    await arrowToTab(page, 'Access patterns')
    const runPattern = page.getByRole('button', { name: /^Run pattern / }).first()
    await tabTo(page, runPattern)
    await page.keyboard.press('Enter')
    const result = page.getByRole('region', { name: /^Result of pattern / })
    await expect(
      result
        .getByRole('table', { name: /^Pattern .* items$/ })
        .getByRole('row')
        .nth(1),
    ).toBeVisible({
      timeout: 30_000,
    })

    // Run a recipe, then step its timeline with Next (Space on a button).
    await tabTo(page, page.getByRole('tab', { name: 'Access patterns' }), { back: true })
    await arrowToTab(page, 'Writes & stream')
    // The first recipe's required text parameters, typed; the others keep their prefilled defaults.
    const form = page.getByRole('form', { name: /^Recipe .* parameters$/ })
    const message = form.getByRole('textbox', { name: /^message \(/ })
    await tabTo(page, message)
    await page.keyboard.type('Sent from the keyboard')
    const runRecipe = form.getByRole('button', { name: /^Run / })
    await tabTo(page, runRecipe)
    await page.keyboard.press('Enter')
    const timeline = page.getByRole('region', { name: 'Timeline' })
    const steps = timeline.getByRole('list', { name: 'Steps' }).getByRole('listitem')
    await expect(steps).toHaveCount(1, { timeout: 60_000 })
    const next = timeline.getByRole('button', { name: 'Next step' })
    await tabTo(page, next)
    await page.keyboard.press('Space')
    await expect(steps).toHaveCount(2)
    await expect(next).toBeFocused()

    // Switch the theme from the top bar, going back with Shift+Tab.
    const theme = page.getByRole('button', { name: /^Switch to (dark|light) theme$/ })
    const before = await theme.getAttribute('aria-label')
    await tabTo(page, theme, { back: true, max: 250 })
    await page.keyboard.press('Space')
    await expect(theme).not.toHaveAttribute('aria-label', before!)
    await expectFocusVisible(theme)
  } finally {
    await context.close()
    await extra.stop()
  }
})
