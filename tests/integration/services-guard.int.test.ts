import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ExecuteStatementCommand,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  ScanCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { TARGETS, localClientConfig } from '../support/targets'
import { renameModelTable, type Model } from '../../shared/domain/model'
import { CRUDDUR_MODEL_FILE, CRUDDUR_TABLE, GROUP_ANDREW_BAYKO } from '../../seeds/cruddur'
import { loadModelFile } from '../../electron/services/model.service'
import { dropTable, schemaLoad } from '../../electron/services/schema.service'
import { seedModel } from '../../electron/services/seed.service'
import { runPattern } from '../../electron/services/pattern.service'
import { sendMessage } from './send-message'
import { guardWrites } from '../../electron/services/write-guard'

describe.each(TARGETS)('write guard on $name', ({ start }) => {
  let endpoint: string
  let stop: () => Promise<void> = async () => {}
  const table = `svc-guard-${process.pid}`
  const config = () => localClientConfig(endpoint)
  let admin: DynamoDBClient
  /** Pointed at DynamoDB Local but treated like an AWS connection: read-only until writes are allowed. */
  let guarded: DynamoDBClient
  let model: Model

  beforeAll(async () => {
    ;({ endpoint, stop } = await start())
    admin = new DynamoDBClient(config())
    guarded = new DynamoDBClient(config())
    model = renameModelTable(await loadModelFile(CRUDDUR_MODEL_FILE), CRUDDUR_TABLE, table)
    await schemaLoad(admin, model)
    await seedModel(admin, model, {
      modelFile: CRUDDUR_MODEL_FILE,
      items: { [table]: [{ pk: 'GRP#x', sk: '2026-01-01T00:00:00.000000+00:00', message: 'hi' }] },
    })
  })
  afterAll(async () => {
    await dropTable(admin, table)
    admin.destroy()
    guarded.destroy()
    await stop()
  })

  test('reads go through', async () => {
    guardWrites(guarded, { connection: 'aws-prod' })
    expect((await guarded.send(new ListTablesCommand({}))).TableNames).toContain(table)
    expect((await guarded.send(new DescribeTableCommand({ TableName: table }))).Table?.TableStatus).toBe(
      'ACTIVE',
    )
    const got = await guarded.send(
      new GetItemCommand({
        TableName: table,
        Key: { pk: { S: 'GRP#x' }, sk: { S: '2026-01-01T00:00:00.000000+00:00' } },
      }),
    )
    expect(got.Item?.message).toEqual({ S: 'hi' })
    const doc = DynamoDBDocumentClient.from(guarded)
    expect(
      (
        await doc.send(
          new GetCommand({ TableName: table, Key: { pk: 'GRP#x', sk: '2026-01-01T00:00:00.000000+00:00' } }),
        )
      ).Item?.message,
    ).toBe('hi')
    // A PartiQL SELECT is a read: the guard lets it through, and every target (the embedded engine too) answers it.
    const select = await guarded.send(
      new ExecuteStatementCommand({ Statement: `SELECT * FROM "${table}" WHERE pk = 'GRP#x'` }),
    )
    expect(select.Items).toHaveLength(1)
    const b = await runPattern(guarded, model, 'B', { user_uuid: '8b0a7f8e-2a44-4c4e-9a53-6d1a1f0b6c01' })
    expect(b.operation).toBe('Query')
  })

  test('every kind of write is refused, and nothing reaches the table', async () => {
    guardWrites(guarded, { connection: 'aws-prod' })
    const refused = [
      guarded.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'GRP#y' }, sk: { S: 'a' } } })),
      guarded.send(
        new TransactWriteItemsCommand({
          TransactItems: [{ Put: { TableName: table, Item: { pk: { S: 'GRP#y' }, sk: { S: 'b' } } } }],
        }),
      ),
      guarded.send(
        new CreateTableCommand({
          TableName: `${table}-x`,
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      ),
      guarded.send(
        new ExecuteStatementCommand({ Statement: `INSERT INTO "${table}" VALUE {'pk': 'GRP#y', 'sk': 'c'}` }),
      ),
      DynamoDBDocumentClient.from(guarded).send(
        new PutCommand({ TableName: table, Item: { pk: 'GRP#y', sk: 'd' } }),
      ),
      runPattern(guarded, model, 'C', { message: 'should not land' }),
      sendMessage(
        { ddb: guarded },
        model,
        { fromHandle: 'andrewbrown', toHandle: 'londo', text: 'nor this' },
        { process: 'direct' },
      ),
      dropTable(guarded, table),
    ]
    for (const r of await Promise.allSettled(refused)) {
      expect(r.status).toBe('rejected')
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'connection.readOnly' })
    }
    const count = await admin.send(new ScanCommand({ TableName: table, Select: 'COUNT' }))
    expect(count.Count).toBe(1)
    expect((await admin.send(new ListTablesCommand({}))).TableNames).toContain(table)
    expect((await admin.send(new ListTablesCommand({}))).TableNames).not.toContain(`${table}-x`)
  })

  test('after allowing writes on the connection, writes go through', async () => {
    const guard = guardWrites(guarded, { connection: 'aws-prod' })
    guard.allowWrites(true)
    const run = await runPattern(guarded, model, 'C', {
      message: 'now it lands',
      message_group_uuid: GROUP_ANDREW_BAYKO,
    })
    expect(run.operation).toBe('PutItem')
    const read = await admin.send(
      new GetItemCommand({
        TableName: table,
        Key: { pk: { S: `MSG#${GROUP_ANDREW_BAYKO}` }, sk: { S: String(run.params.created_at) } },
      }),
    )
    expect(read.Item?.message).toEqual({ S: 'now it lands' })
    guard.allowWrites(false)
    await expect(
      guarded.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'GRP#z' }, sk: { S: 'a' } } })),
    ).rejects.toMatchObject({ code: 'connection.readOnly' })
  })
})
