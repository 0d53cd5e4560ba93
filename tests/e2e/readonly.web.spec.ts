import { api } from './support/api'
import { startLoopbackHost } from './support/extra-host'
import { expect, test } from './support/fixtures'
import { connectionButton, inspectFirstRow, openTable, useConnection } from './support/ui'

/**
 * AWS connections open read-only. No real AWS account exists in tests, so this spec starts its own host with dummy
 * credentials in its environment and saves an "aws" connection whose endpoint override is the embedded engine on
 * 127.0.0.1: the services treat it exactly as AWS (read-only until writes are allowed), and nothing leaves the machine.
 */
test('an AWS connection is read-only: the inspector says why, and editing is off until writes are allowed', async ({
  host,
}) => {
  const { extra, context, page, endpoint, stop } = await startLoopbackHost(host)
  try {
    const aws = await api<{ id: string; readOnly: boolean }>(context.request, extra, 'connections:save', {
      name: 'AWS loopback',
      kind: 'aws',
      endpoint,
      region: 'us-east-1',
    })
    // The services refuse writes on it before the UI is even involved.
    await expect(
      api(context.request, extra, 'items:put', {
        connectionId: aws.id,
        tableName: 'cruddur-messages',
        item: { pk: { S: 'X#1' }, sk: { S: '1' } },
      }),
    ).rejects.toThrow(/connection\.readOnly/)

    await page.goto(extra.url!) // the app drops the token from the address bar, so open the URL again
    const awsButton = connectionButton(page, /^AWS loopback/)
    await expect(awsButton.getByText('read-only')).toBeVisible()
    await useConnection(page, /^AWS loopback/)

    const { inspector, editor } = await inspectFirstRow(page, await openTable(page))
    const note = inspector.getByRole('note', { name: 'Read-only connection' })
    await expect(note).toContainText('AWS connections open read-only')
    await expect(inspector.getByRole('button', { name: 'Save item' })).toBeDisabled()
    await expect(inspector.getByRole('button', { name: 'Delete item' })).toBeDisabled()
    await editor.focus()
    await page.keyboard.press('End')
    await page.keyboard.type('typed on a read-only connection')
    await expect(inspector.getByRole('status', { name: 'Validation' })).toHaveText('Valid.')
    await page.screenshot({ path: test.info().outputPath('read-only.png') })

    // Allowing writes is a typed confirmation of the account and region (the engine's account behind the override).
    await note.getByRole('button', { name: 'Allow writes on this connection…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Allow writes on AWS loopback?' })
    await dialog.getByRole('textbox').fill('000000000000/us-east-1')
    await dialog.getByRole('button', { name: 'Allow writes' }).click()
    await expect(note).toHaveCount(0)
    await expect(awsButton.getByText('read-only')).toHaveCount(0)
    await expect(inspector.getByRole('button', { name: 'Delete item' })).toBeEnabled()
  } finally {
    await stop()
  }
})
