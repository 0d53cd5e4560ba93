import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/contract/contract'
import { dispatch } from '../../shared/contract/dispatch'
import { parseModel } from '../../shared/domain/model'
import { startAwsLoopback, type AwsLoopback } from '../../tests/support/aws-loopback'
import { Workbench } from './workbench'
import { setWriteAccess } from './write-access'

const ACCOUNT = '123412341234'
let aws: AwsLoopback
let admin: DynamoDBClient
let wb: Workbench

/** The model of table `orders` as it is, or with a GSI on status added. */
function model(withGsi: boolean) {
  return JSON.stringify({
    name: 'orders',
    tables: [
      {
        name: 'orders',
        attributeDefinitions: [
          { attributeName: 'pk', attributeType: 'S' },
          { attributeName: 'sk', attributeType: 'S' },
          ...(withGsi ? [{ attributeName: 'status', attributeType: 'S' }] : []),
        ],
        keySchema: [
          { attributeName: 'pk', keyType: 'HASH' },
          { attributeName: 'sk', keyType: 'RANGE' },
        ],
        billingMode: 'PAY_PER_REQUEST',
        ...(withGsi
          ? {
              globalSecondaryIndexes: [
                {
                  indexName: 'by-status',
                  keySchema: [{ attributeName: 'status', keyType: 'HASH' }],
                  projection: { projectionType: 'KEYS_ONLY' },
                },
              ],
            }
          : {}),
      },
    ],
  })
}

// An "aws" connection whose endpoint override is an engine on loopback: the services treat it as AWS, read-only
// until writes are allowed, and nothing leaves the machine.
beforeAll(async () => {
  aws = await startAwsLoopback({ profile: 'ml', accountId: ACCOUNT })
  admin = aws.admin
  await admin.send(
    new CreateTableCommand({
      TableName: 'orders',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  )
  for (const [pk, sk, status] of [
    ['ORDER#1', 'LINE#1', 'open'],
    ['ORDER#1', 'LINE#2', undefined],
    ['CUST#ann', 'PROFILE', undefined],
  ] as const)
    await admin.send(
      new PutItemCommand({
        TableName: 'orders',
        Item: { pk: { S: pk }, sk: { S: sk }, ...(status ? { status: { S: status } } : {}) },
      }),
    )
  wb = new Workbench({ version: 'test', host: 'browser', profiles: [aws.connection()] })
})
afterAll(async () => {
  await wb.dispose()
  await aws.stop()
})

/** A channel's answer through the real boundary (input validated by the contract), typed; a failure throws. */
async function call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const r = await dispatch(wb.handlers, channel, input)
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`)
  return r.value as ChannelOutput<C>
}

const gsis = async () =>
  (await admin.send(new DescribeTableCommand({ TableName: 'orders' }))).Table?.GlobalSecondaryIndexes ?? []

describe('model ↔ live tables over the contract', () => {
  test('models:fromTable reads a table of a read-only AWS connection: entities from key prefixes, a valid model', async () => {
    expect(wb.connections.view(wb.connections.profile('prod')).readOnly).toBe(true)
    const r = await call('models:fromTable', { connectionId: 'prod', tableName: 'orders' })
    expect(r).toMatchObject({ table: 'orders', sampled: 3, truncated: false })
    expect(r.entities.map((e) => [e.keys.pk, e.count]).sort()).toEqual([
      ['CUST#{cust_id}', 1],
      ['ORDER#{order_id}', 2],
    ])
    expect(parseModel(JSON.parse(r.text)).ok).toBe(true)
  })

  test('models:diff shows the GSI to add; models:applyDiff is refused on the read-only connection and changes nothing', async () => {
    const diff = await call('models:diff', { connectionId: 'prod', text: model(true) })
    expect(diff.readOnly).toBe(true)
    expect(diff.steps.map((s) => `${s.table}: ${s.summary}`)).toEqual([
      'orders: create GSI by-status (status HASH, KEYS_ONLY)',
    ])
    const applied = await dispatch(wb.handlers, 'models:applyDiff', {
      connectionId: 'prod',
      text: model(true),
      confirmSteps: ['orders: create GSI by-status (status HASH, KEYS_ONLY)'],
    })
    expect(applied).toMatchObject({ ok: false, code: 'connection.readOnly' })
    expect(await gsis()).toEqual([])
  })

  test('with writes allowed, apply needs the confirmed steps to match the plan; then the diff is empty', async () => {
    await setWriteAccess(wb.connections, 'prod', true, `${ACCOUNT}/eu-west-1`)
    const stale = await dispatch(wb.handlers, 'models:applyDiff', {
      connectionId: 'prod',
      text: model(true),
      confirmSteps: ['orders: something else'],
    })
    expect(stale).toMatchObject({
      ok: false,
      code: 'confirm.required',
      details: { steps: [{ kind: 'createIndex', table: 'orders' }] },
    })
    expect(await gsis()).toEqual([])

    const ok = await dispatch(wb.handlers, 'models:applyDiff', {
      connectionId: 'prod',
      text: model(true),
      confirmSteps: ['orders: create GSI by-status (status HASH, KEYS_ONLY)'],
    })
    expect(ok).toEqual({
      ok: true,
      value: { applied: [{ table: 'orders', summary: 'create GSI by-status (status HASH, KEYS_ONLY)' }] },
    })
    expect((await gsis()).map((g) => [g.IndexName, g.IndexStatus])).toEqual([['by-status', 'ACTIVE']])
    const after = await dispatch(wb.handlers, 'models:diff', { connectionId: 'prod', text: model(true) })
    expect(after).toMatchObject({ ok: true, value: { steps: [], readOnly: false } })
  })

  test('a bad draft names the field; a request naming two models is refused at the boundary', async () => {
    const bad = await dispatch(wb.handlers, 'models:diff', {
      connectionId: 'prod',
      text: JSON.stringify({ name: 'x', tables: [{ name: 'orders' }] }),
    })
    expect(bad).toMatchObject({ ok: false, code: 'model.invalid' })
    expect(bad.ok ? '' : bad.message).toMatch(/tables\[0\]/)
    const both = await dispatch(wb.handlers, 'models:diff', {
      connectionId: 'prod',
      text: '{}',
      modelId: 'x',
    })
    expect(both).toMatchObject({ ok: false, code: 'input.invalid' })
  })
})
