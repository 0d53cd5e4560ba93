import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { failingProcessConfig } from '../support/aws-fixtures'
import { api } from './support/api'
import { startLoopbackHost } from './support/extra-host'
import { expect, test } from './support/fixtures'
import { connectionButton, useConnection } from './support/ui'

/**
 * Switching connections, read-only write buttons and the allow-writes confirmation, in Chromium against a real
 * browser host. No AWS account exists here: the "aws" connections point their endpoint override at the embedded
 * engine on 127.0.0.1 and sign with a named profile from a temp AWS config (a static key, or a credential_process
 * that really runs and fails), so the services treat them as AWS and nothing leaves the machine.
 */
test('switching never shows another connection’s tables; read-only disables writes with the reason; allowing writes is typed and bannered', async ({
  host,
}) => {
  test.setTimeout(240_000)
  const awsDir = mkdtempSync(path.join(os.tmpdir(), 'tw-e2e-aws-'))
  const { config, secret } = failingProcessConfig(awsDir)
  writeFileSync(config, `${'\n'}[profile wa]\nregion = us-east-1\n`, { flag: 'a' })
  writeFileSync(
    path.join(awsDir, 'credentials'),
    '[wa]\naws_access_key_id = e2eKey\naws_secret_access_key = e2eSecret\n',
  )
  const { extra, context, page, endpoint, stop } = await startLoopbackHost(host, {
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: path.join(awsDir, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  })
  try {
    const overview = page.getByRole('region', { name: 'Connection overview' })
    await api(context.request, extra, 'connections:save', {
      name: 'Broken AWS',
      kind: 'aws',
      profile: 'broken',
      endpoint,
    })
    await api(context.request, extra, 'connections:save', {
      name: 'Prod AWS',
      kind: 'aws',
      profile: 'wa',
      endpoint,
      color: '#7c3aed',
    })

    await page.goto(extra.url!)
    const tablesNav = page.getByRole('navigation', { name: 'Tables of this connection' })
    const tablesGrid = overview.getByRole('table', { name: 'Tables' })
    await expect(tablesGrid.getByRole('button', { name: 'Drop cruddur-messages' })).toBeEnabled()

    // A connection that fails: the embedded engine's tables go at once, its own error shows, and no secret.
    await connectionButton(page, /^Broken AWS/).click()
    await expect(overview.getByRole('alert')).toContainText('connection.credentials')
    await expect(overview.getByRole('alert')).toContainText('profile "broken"')
    await expect(overview.getByRole('alert')).toContainText('credential_process')
    await expect(tablesGrid).toHaveCount(0)
    await expect(tablesNav.getByRole('button')).toHaveCount(0)
    await expect(tablesNav.getByRole('status')).toContainText(
      'Could not list tables (connection.credentials)',
    )
    await expect(overview.getByLabel('connection status')).toHaveText('error')
    // Neither the page nor any attribute (the connection list's tooltips) carries the credential_process secret.
    expect(await page.content()).not.toContain(secret)

    // A connection still starting (the bundled DynamoDB Local starts a JVM): loading, never the previous tables.
    await connectionButton(page, /Embedded engine/).click()
    await expect(tablesGrid.getByRole('button', { name: 'Open cruddur-messages' })).toBeVisible()
    await connectionButton(page, /DynamoDB Local \(bundled\)/).click()
    await expect(overview.getByRole('heading', { name: 'DynamoDB Local (bundled)' })).toBeVisible()
    await expect(tablesGrid).toHaveCount(0)
    await expect(
      overview.getByRole('status').filter({ hasText: 'Connecting to DynamoDB Local (bundled)' }),
    ).toBeVisible()
    await expect(overview.getByLabel('connection status')).toHaveText('connected', { timeout: 120_000 })
    await expect(overview.getByText('No tables yet')).toBeVisible()
    // Started by the loopback launcher: no network warning.
    await expect(overview.getByRole('alert', { name: 'Connection warning' })).toHaveCount(0)

    // Read-only AWS: its own tables (the engine behind the override), every write button off with the reason.
    await useConnection(page, /^Prod AWS/)
    const drop = tablesGrid.getByRole('button', { name: 'Drop cruddur-messages' })
    await expect(drop).toBeDisabled()
    await expect(drop).toHaveAccessibleDescription(/Read-only: Prod AWS is an AWS connection/)
    const create = overview.getByRole('button', { name: 'Create table…' })
    await expect(create).toBeDisabled()
    await expect(create).toHaveAccessibleDescription(/Off until you allow writes/)
    await expect(page.getByRole('region', { name: 'Writes allowed' })).toHaveCount(0)

    // Allowing writes: a typed confirmation that shows the account and region.
    await overview.getByRole('button', { name: 'Allow writes…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Allow writes on Prod AWS?' })
    await expect(dialog.getByLabel('account')).toHaveText('000000000000')
    await expect(dialog.getByLabel('region')).toHaveText('us-east-1')
    const allow = dialog.getByRole('button', { name: 'Allow writes' })
    await dialog.getByRole('textbox').fill('Prod AWS')
    await expect(allow).toBeDisabled()
    await dialog.getByRole('textbox').fill('000000000000/us-east-1')
    await allow.click()

    const banner = page.getByRole('region', { name: 'Writes allowed' })
    await expect(banner).toContainText('Prod AWS: AWS account 000000000000, us-east-1')
    await expect(banner).toHaveCSS('background-color', 'rgb(124, 58, 237)')
    await expect(drop).toBeEnabled()
    await expect(connectionButton(page, /^Prod AWS/).getByText('writes on')).toBeVisible()
    // The banner stays on every tab.
    await page.getByRole('tab', { name: 'Schema & data' }).click()
    await expect(banner).toBeVisible()
    await page.getByRole('tab', { name: 'Overview' }).click()
    await page.screenshot({ path: test.info().outputPath('writes-on.png') })

    // One click back to read-only.
    await banner.getByRole('button', { name: 'Back to read-only' }).click()
    await expect(banner).toHaveCount(0)
    await expect(drop).toBeDisabled()
    await expect(connectionButton(page, /^Prod AWS/).getByText('read-only')).toBeVisible()
  } finally {
    await stop()
    rmSync(awsDir, { recursive: true, force: true })
  }
})
