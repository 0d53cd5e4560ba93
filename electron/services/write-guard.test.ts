import {
  BatchExecuteStatementCommand,
  CancelBulkOperationCommand,
  DeleteTableCommand,
  DynamoDBClient,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  StartBulkPutItemsCommand,
} from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import { describe, expect, test } from 'vitest'
import { assertConfirmed, guardWrites, isReadCommand } from './write-guard'

// The guard refuses before anything is sent, so an endpoint nobody listens on proves no request left the process:
// a write that got past the guard would fail with a connection error instead.
const client = () =>
  new DynamoDBClient({
    endpoint: 'http://127.0.0.1:9',
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  })

describe('write guard', () => {
  test('refuses writes with connection.readOnly, naming the operation', async () => {
    const c = client()
    guardWrites(c, { connection: 'prod' })
    await expect(
      c.send(new PutItemCommand({ TableName: 't', Item: { pk: { S: 'a' } } })),
    ).rejects.toMatchObject({
      code: 'connection.readOnly',
      details: { operation: 'PutItem', connection: 'prod', table: 't' },
    })
    await expect(c.send(new DeleteTableCommand({ TableName: 't' }))).rejects.toMatchObject({
      code: 'connection.readOnly',
    })
    await expect(
      c.send(new ExecuteStatementCommand({ Statement: `DELETE FROM "t" WHERE pk = 'a'` })),
    ).rejects.toMatchObject({ code: 'connection.readOnly' })
    await expect(
      DynamoDBDocumentClient.from(c).send(new PutCommand({ TableName: 't', Item: { pk: 'a' } })),
    ).rejects.toMatchObject({ code: 'connection.readOnly' })
  })

  test('an allowlist: commands it does not name, including ones newer than the list, are refused', async () => {
    const c = client()
    guardWrites(c, { connection: 'prod' })
    // Newer SDK write operations that a denylist written before them let through.
    await expect(c.send(new StartBulkPutItemsCommand({} as never))).rejects.toMatchObject({
      code: 'connection.readOnly',
      details: { operation: 'StartBulkPutItems' },
    })
    await expect(c.send(new CancelBulkOperationCommand({} as never))).rejects.toMatchObject({
      code: 'connection.readOnly',
    })
    // PartiQL passes only when every statement is a SELECT.
    await expect(
      c.send(
        new BatchExecuteStatementCommand({
          Statements: [
            { Statement: 'SELECT * FROM "t"' },
            { Statement: `UPDATE "t" SET a = 1 WHERE pk = 'a'` },
          ],
        }),
      ),
    ).rejects.toMatchObject({ code: 'connection.readOnly' })
    await expect(c.send(new ExecuteTransactionCommand({ TransactStatements: [] }))).rejects.toMatchObject({
      code: 'connection.readOnly',
    })
  })

  test('named reads are sent on a read-only connection (and here fail to connect)', async () => {
    const c = client()
    guardWrites(c, { connection: 'prod' })
    const doc = DynamoDBDocumentClient.from(c)
    const reads = [
      c.send(new ListTablesCommand({})),
      c.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } })),
      c.send(new ExecuteStatementCommand({ Statement: ' select * from "t"' })),
      doc.send(new GetCommand({ TableName: 't', Key: { pk: 'a' } })),
      doc.send(
        new QueryCommand({
          TableName: 't',
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': 'a' },
        }),
      ),
    ]
    for (const r of await Promise.allSettled(reads)) {
      expect(r.status).toBe('rejected')
      if (r.status === 'rejected') expect(r.reason).not.toMatchObject({ code: 'connection.readOnly' })
    }
  })

  test('isReadCommand names reads only', () => {
    expect(isReadCommand('QueryCommand')).toBe(true)
    expect(isReadCommand('TransactGetCommand')).toBe(true)
    expect(isReadCommand('UpdateTimeToLiveCommand')).toBe(false)
    expect(isReadCommand('')).toBe(false)
    expect(isReadCommand('InventedCommand')).toBe(false)
    expect(isReadCommand('ExecuteStatementCommand', { Statement: `DELETE FROM "t" WHERE pk = 'a'` })).toBe(
      false,
    )
    expect(isReadCommand('ExecuteStatementCommand', { Statement: 42 })).toBe(false)
  })

  test('once writes are allowed the request goes out (and here fails to connect)', async () => {
    const c = client()
    const guard = guardWrites(c)
    guard.allowWrites(true)
    expect(guard.writesAllowed).toBe(true)
    const err = await c
      .send(new PutItemCommand({ TableName: 't', Item: { pk: { S: 'a' } } }))
      .catch((e: unknown) => e)
    expect(err).not.toMatchObject({ code: 'connection.readOnly' })
  })
})

describe('confirmation', () => {
  const preview = {
    table: 'orders',
    op: 'dropTable' as const,
    itemCount: 3,
    sizeBytes: 300,
    estimatedWriteUnits: 0,
    indexes: [],
    note: 'Deletes orders.',
  }
  test('only the exact table name confirms', () => {
    expect(() => assertConfirmed(preview, undefined)).toThrow(
      expect.objectContaining({
        code: 'confirm.required',
        details: expect.objectContaining({ itemCount: 3 }),
      }),
    )
    expect(() => assertConfirmed(preview, 'Orders')).toThrow(/Type the table name "orders"/)
    expect(() => assertConfirmed(preview, 'orders')).not.toThrow()
  })
})
