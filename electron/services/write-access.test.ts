import { CreateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { dispatch } from '../../shared/contract/dispatch'
import { startAwsLoopback, type AwsLoopback } from '../../tests/support/aws-loopback'
import { Workbench } from './workbench'
import { accountFromArn, expectedConfirmation, setWriteAccess, writeAccessPreview } from './write-access'

const ACCOUNT = '210987654321'
let aws: AwsLoopback
let wb: Workbench

// An "aws" connection whose endpoint override is an engine on loopback, signing with a named profile's static keys
// from a temp credentials file: the services treat it as AWS, and nothing leaves the machine.
beforeAll(async () => {
  aws = await startAwsLoopback({ profile: 'wa', accountId: ACCOUNT })
  await aws.admin.send(
    new CreateTableCommand({
      TableName: 'orders',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  )
  wb = new Workbench({
    version: 'test',
    host: 'browser',
    profiles: [
      aws.connection({ color: '#ef4444' }),
      { id: 'embedded', name: 'Embedded', kind: 'embedded', region: 'us-east-1' },
    ],
  })
})
afterAll(async () => {
  await wb.dispose()
  await aws.stop()
})

test('accountFromArn and the text to type', () => {
  expect(accountFromArn('arn:aws:dynamodb:eu-west-1:123456789012:table/x')).toBe('123456789012')
  expect(accountFromArn('arn:aws:dynamodb:eu-west-1::table/x')).toBeUndefined()
  expect(accountFromArn(undefined)).toBeUndefined()
  expect(expectedConfirmation('123456789012', 'Prod', 'eu-west-1')).toBe('123456789012/eu-west-1')
  expect(expectedConfirmation(undefined, 'Prod', 'eu-west-1')).toBe('Prod/eu-west-1')
})

describe('allowing writes on an AWS connection', () => {
  test('the preview names the account and region; behind an endpoint override STS is not asked', async () => {
    const preview = await writeAccessPreview(wb.connections, 'prod')
    expect(preview).toMatchObject({
      connectionId: 'prod',
      region: 'eu-west-1',
      account: ACCOUNT,
      accountSource: 'table-arn',
      expected: `${ACCOUNT}/eu-west-1`,
      color: '#ef4444',
    })
    expect(preview.note).toMatch(/endpoint override .*STS is not asked/)
  })

  test('one click no longer unlocks: without the typed text the answer is confirm.required with the account and region', async () => {
    const r = await dispatch(wb.handlers, 'connections:allowWrites', { connectionId: 'prod', allow: true })
    expect(r).toMatchObject({
      ok: false,
      code: 'confirm.required',
      details: { account: ACCOUNT, region: 'eu-west-1', expected: `${ACCOUNT}/eu-west-1` },
    })
    const wrong = await dispatch(wb.handlers, 'connections:allowWrites', {
      connectionId: 'prod',
      allow: true,
      confirm: 'Prod',
    })
    expect(wrong).toMatchObject({ ok: false, code: 'confirm.required' })
    expect(wb.connections.view(wb.connections.profile('prod')).readOnly).toBe(true)
    const put = await dispatch(wb.handlers, 'items:put', {
      connectionId: 'prod',
      tableName: 'orders',
      item: { pk: { S: 'a' } },
    })
    expect(put).toMatchObject({ ok: false, code: 'connection.readOnly' })
  })

  test('the typed account/region unlocks writes; one call puts it back to read-only', async () => {
    const view = await setWriteAccess(wb.connections, 'prod', true, `${ACCOUNT}/eu-west-1`)
    expect(view).toMatchObject({ readOnly: false, account: ACCOUNT })
    const client = await wb.connections.client('prod')
    await expect(
      client.send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'b' } } })),
    ).resolves.toBeDefined()

    const back = await dispatch(wb.handlers, 'connections:allowWrites', {
      connectionId: 'prod',
      allow: false,
    })
    expect(back).toEqual({ ok: true, value: { connectionId: 'prod', readOnly: true } })
    await expect(
      client.send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'c' } } })),
    ).rejects.toMatchObject({ code: 'connection.readOnly' })
  })

  test('a connection that is not AWS needs no confirmation', async () => {
    expect((await writeAccessPreview(wb.connections, 'embedded')).expected).toBe('')
    expect(await setWriteAccess(wb.connections, 'embedded', true, undefined)).toMatchObject({
      readOnly: false,
    })
  })
})
