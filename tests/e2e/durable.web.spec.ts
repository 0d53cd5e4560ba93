import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ensureCruddur, scanAll } from './support/api'
import { startExtraHost } from './support/extra-host'
import { expect, test } from './support/fixtures'

/**
 * The embedded engine keeps its tables in the user data folder: a host started again on the same folder shows
 * them, the panel under Connections says where they live and how big they are, and resets them after a typed
 * confirmation. Runs on its own hosts (the shared one's folder must stay as other specs expect it).
 */
test('the app reopens with its data; the data panel shows the folder, resets it and starts an in-memory session', async ({
  host,
}) => {
  const userData = mkdtempSync(path.join(os.tmpdir(), 'tablewright-e2e-durable-'))
  const context = await host.browser!.newContext({ viewport: { width: 1400, height: 900 } })
  let extra = await startExtraHost({}, userData)
  try {
    const page = await context.newPage()
    await page.goto(extra.url!)
    const overview = page.getByRole('region', { name: 'Connection overview' })
    await expect(overview.getByLabel('connection status')).toHaveText('connected', { timeout: 60_000 })
    await ensureCruddur(context.request, extra)
    const before = await scanAll(context.request, extra, 'cruddur-messages')
    expect(before.length).toBeGreaterThan(0)

    // The host stops and starts again on the same folder: the sample table is still there, every item of it.
    await extra.stop()
    extra = await startExtraHost({}, userData)
    await page.goto(extra.url!)
    await expect(overview.getByLabel('connection status')).toHaveText('connected', { timeout: 60_000 })
    const tables = page.getByRole('navigation', { name: 'Tables of this connection' })
    await expect(tables.getByRole('button', { name: /cruddur-messages/ })).toBeVisible({ timeout: 30_000 })
    expect(await scanAll(context.request, extra, 'cruddur-messages')).toEqual(before)

    const panel = page.getByRole('region', { name: 'Engine data' })
    await expect(panel.getByText(path.join(userData, 'engine', 'embedded'))).toBeVisible()
    await expect(panel.getByLabel('data size')).toHaveText(/\d+(\.\d)? (B|KB|MB)/)
    await page.screenshot({ path: test.info().outputPath('engine-data.png') })

    await panel.getByRole('button', { name: 'Reset data…' }).click()
    const dialog = page.getByRole('dialog', { name: "Reset the engine's data?" })
    await expect(dialog.getByRole('button', { name: 'Reset data' })).toBeDisabled()
    await dialog.getByRole('textbox').fill('reset')
    await dialog.getByRole('button', { name: 'Reset data' }).click()
    await expect(tables.getByRole('button', { name: /cruddur-messages/ })).toHaveCount(0, { timeout: 30_000 })

    await panel.getByRole('button', { name: 'Start in-memory session' }).click()
    await expect(panel.getByText('In-memory session: nothing is kept when the engine stops.')).toBeVisible()
    // Tables made in the in-memory session are not written to the (now empty) data folder.
    await ensureCruddur(context.request, extra)
    await expect(tables.getByRole('button', { name: /cruddur-messages/ })).toBeVisible({ timeout: 30_000 })
    await panel.getByRole('button', { name: 'Back to the data folder' }).click()
    await expect(panel.getByText(path.join(userData, 'engine', 'embedded'))).toBeVisible()
    await expect(tables.getByRole('button', { name: /cruddur-messages/ })).toHaveCount(0, { timeout: 30_000 })
  } finally {
    await context.close()
    await extra.stop()
    rmSync(userData, { recursive: true, force: true })
  }
})
