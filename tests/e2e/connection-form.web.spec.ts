import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Page } from '@playwright/test'
import { startExtraHost } from './support/extra-host'
import { expect, test } from './support/fixtures'

/** The embedded engine's HTTP endpoint, as the overview shows it once connected. */
async function embeddedEndpoint(page: Page): Promise<string> {
  const overview = page.getByRole('region', { name: 'Connection overview' })
  await expect(overview.getByLabel('connection status')).toHaveText('connected', { timeout: 60_000 })
  return (await overview.getByLabel('endpoint').textContent())!.trim()
}

/**
 * Adding, testing, editing and removing a connection from the app, in Chromium against the real browser host.
 * The "custom" endpoint is the embedded engine's own loopback URL: a DynamoDB-compatible server the test already
 * has, so nothing leaves the machine.
 */
test('a custom endpoint connection: add and Test (ok), edit, refuse a bad endpoint, remove', async ({
  page,
}) => {
  test.setTimeout(120_000)
  const endpoint = await embeddedEndpoint(page)
  const connections = page.getByRole('navigation', { name: 'Connections' })
  await connections.getByRole('button', { name: 'Add connection…' }).click()
  const add = page.getByRole('dialog', { name: 'Add a connection' })
  await add.getByRole('radio', { name: 'Custom endpoint' }).check()
  await add.getByRole('textbox', { name: 'Name' }).fill('Shared engine')
  await add.getByRole('textbox', { name: 'Endpoint' }).fill(endpoint)
  await add.getByRole('button', { name: 'Test' }).click()
  const result = add.getByRole('status', { name: 'Test result' })
  await expect(result).toHaveText(
    new RegExp(`^OK: Connected to ${endpoint.replace(/[.]/g, '\\.')}: \\d+ tables?\\.$`),
  )
  await add.getByRole('button', { name: 'Save' }).click()
  await expect(add).toBeHidden()
  const row = connections.getByRole('button', { name: /^Shared engine/ })
  await expect(row).toContainText('Custom endpoint')

  // Connecting to it lists the same tables as the engine behind it.
  await row.click()
  const overview = page.getByRole('region', { name: 'Connection overview' })
  await expect(overview.getByLabel('connection status')).toHaveText('connected', { timeout: 60_000 })
  await expect(overview.getByLabel('endpoint')).toHaveText(endpoint)

  // Edit: a new name; the endpoint it had is in the form.
  await connections.getByRole('button', { name: 'Edit connection Shared engine' }).click()
  const edit = page.getByRole('dialog', { name: 'Edit connection Shared engine' })
  await expect(edit.getByRole('textbox', { name: 'Endpoint' })).toHaveValue(endpoint)
  await expect(edit.getByRole('radio', { name: 'Custom endpoint' })).toBeChecked()
  await edit.getByRole('textbox', { name: 'Name' }).fill('Shared engine (renamed)')
  await edit.getByRole('button', { name: 'Save' }).click()
  await expect(connections.getByRole('button', { name: /^Shared engine \(renamed\)/ })).toBeVisible()
  await expect(connections.getByRole('button', { name: /^Shared engine Custom/ })).toHaveCount(0)

  // Bad endpoints: no scheme is refused with an example before anything is sent; nothing listening is a plain failure.
  await connections.getByRole('button', { name: 'Edit connection Shared engine (renamed)' }).click()
  const again = page.getByRole('dialog', { name: 'Edit connection Shared engine (renamed)' })
  const field = again.getByRole('textbox', { name: 'Endpoint' })
  await field.fill('localhost:8000')
  await again.getByRole('button', { name: 'Test' }).click()
  await expect(again.getByRole('alert')).toHaveText(
    'The endpoint needs a URL starting with http:// or https://, e.g. http://localhost:8000 (got "localhost:8000").',
  )
  await expect(field).toHaveAttribute('aria-invalid', 'true')
  // Saving it is refused the same way; the dialog stays open with what was typed.
  await again.getByRole('button', { name: 'Save' }).click()
  await expect(again).toBeVisible()
  await expect(field).toHaveValue('localhost:8000')
  await field.fill('http://127.0.0.1:9')
  await expect(again.getByRole('alert')).toHaveCount(0)
  await again.getByRole('button', { name: 'Test' }).click()
  await expect(again.getByRole('status', { name: 'Test result' })).toContainText(
    'Failed: Could not use http://127.0.0.1:9',
  )

  // Remove: it leaves the list (the engine behind it is untouched), and the built-in ones cannot be edited away.
  await again.getByRole('button', { name: 'Remove connection' }).click()
  await expect(again).toBeHidden()
  await expect(connections.getByRole('button', { name: /^Shared engine/ })).toHaveCount(0)
  await expect(connections.getByRole('button', { name: /^Edit connection Embedded/ })).toHaveCount(0)
})

test('AWS: the profile picker lists SSO profiles with the aws sso login hint; Test says what to run; it opens read-only', async ({
  host,
}) => {
  test.setTimeout(120_000)
  const awsDir = mkdtempSync(path.join(os.tmpdir(), 'tw-e2e-aws-form-'))
  const config = path.join(awsDir, 'config')
  // An IAM Identity Center profile with no cached token (as before `aws sso login`), and a plain static one.
  writeFileSync(
    config,
    [
      '[profile team-sso]',
      'sso_session = corp',
      'sso_account_id = 111122223333',
      'sso_role_name = ReadOnly',
      'region = eu-west-1',
      '[sso-session corp]',
      'sso_start_url = https://example.awsapps.com/start',
      'sso_region = eu-west-1',
      '[profile static]',
      'region = us-east-1',
      '',
    ].join('\n'),
  )
  writeFileSync(
    path.join(awsDir, 'credentials'),
    '[static]\naws_access_key_id = e2eKey\naws_secret_access_key = e2eSecret\n',
  )
  const extra = await startExtraHost({
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: path.join(awsDir, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    // The SSO token cache lives under HOME: an empty one means "not logged in".
    HOME: awsDir,
  })
  const context = await host.browser!.newContext({ viewport: { width: 1400, height: 900 } })
  try {
    const page = await context.newPage()
    await page.goto(extra.url!)
    // The endpoint override keeps every request on loopback: the embedded engine stands in for AWS.
    const endpoint = await embeddedEndpoint(page)
    const connections = page.getByRole('navigation', { name: 'Connections' })
    await connections.getByRole('button', { name: 'Add connection…' }).click()
    const add = page.getByRole('dialog', { name: 'Add a connection' })
    await add.getByRole('radio', { name: 'AWS' }).check()
    await expect(add.getByText(/^Opens read-only: writes are allowed/)).toBeVisible()
    const picker = add.getByRole('combobox', { name: 'AWS profile' })
    await expect(picker.getByRole('option', { name: 'team-sso (SSO) · eu-west-1' })).toHaveCount(1)
    await picker.selectOption('team-sso')
    await expect(add.getByRole('textbox', { name: 'Region' })).toHaveValue('eu-west-1')
    await expect(add.getByText('aws sso login --profile team-sso')).toBeVisible()
    await add.getByRole('textbox', { name: 'Name' }).fill('Team SSO')
    await add.getByRole('textbox', { name: /^Endpoint/ }).fill(endpoint)
    await add.getByRole('button', { name: 'Test' }).click()
    await expect(add.getByRole('status', { name: 'Test result' })).toContainText(
      'Failed: The SSO session of profile "team-sso" is missing or expired. Run `aws sso login --profile team-sso`',
    )

    // A profile that signs: Test is ok, and the saved connection opens read-only.
    await picker.selectOption('static')
    await add.getByRole('textbox', { name: 'Name' }).fill('Static AWS')
    await add.getByRole('button', { name: 'Test' }).click()
    await expect(add.getByRole('status', { name: 'Test result' })).toContainText('OK: Connected to')
    await add.getByRole('button', { name: 'Save' }).click()
    await expect(add).toBeHidden()
    await expect(connections.getByRole('button', { name: /^Static AWS/ })).toContainText('read-only')
    // The renderer was never handed a key.
    const html = await page.content()
    expect(html).not.toContain('e2eSecret')
  } finally {
    await context.close()
    await extra.stop()
    rmSync(awsDir, { recursive: true, force: true })
  }
})
