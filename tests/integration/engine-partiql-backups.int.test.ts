/**
 * PartiQL and backups through the AWS SDK v3 against the embedded engine's HTTP door: the SDK's own marshalling,
 * pagination and error classes must accept what the engine answers. (DynamoDB Local has no backups, so this file
 * runs against the engine only; PartiQL is compared with Local in tests/conformance/partiql.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  CreateBackupCommand,
  CreateTableCommand,
  DescribeBackupCommand,
  DescribeContinuousBackupsCommand,
  DuplicateItemException,
  DynamoDBClient,
  InvalidRestoreTimeException,
  PointInTimeRecoveryUnavailableException,
  PutItemCommand,
  RestoreTableToPointInTimeCommand,
  ScanCommand,
  ListBackupsCommand,
  RestoreTableFromBackupCommand,
  TransactionCanceledException,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb'
import {
  BatchExecuteStatementCommand,
  DynamoDBDocumentClient,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
} from '@aws-sdk/lib-dynamodb'
import { createEngine, startEngineServer, type EngineServer } from '../../electron/engine'
import { localClientConfig } from '../support/targets'

let server: EngineServer
let client: DynamoDBClient
let doc: DynamoDBDocumentClient

beforeAll(async () => {
  server = await startEngineServer(createEngine(), { port: 0 })
  client = new DynamoDBClient({ ...localClientConfig(server.endpoint), maxAttempts: 1 })
  doc = DynamoDBDocumentClient.from(client)
  await client.send(
    new CreateTableCommand({
      TableName: 'orders',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  )
})

afterAll(async () => {
  client?.destroy()
  await server?.close()
})

describe('PartiQL through the SDK', () => {
  test('DocumentClient statements with native parameters, paging with the SDK paginator, and typed errors', async () => {
    await doc.send(
      new BatchExecuteStatementCommand({
        Statements: Array.from({ length: 25 }, (_, i) => ({
          Statement: `INSERT INTO orders VALUE {'pk': ?, 'sk': ?, 'total': ?, 'tags': ?}`,
          Parameters: ['c#1', i, i * 10, new Set(['new'])],
        })),
      }),
    )
    const one = await doc.send(
      new ExecuteStatementCommand({
        Statement: `SELECT total, tags FROM orders WHERE pk = ? AND sk = ?`,
        Parameters: ['c#1', 3],
      }),
    )
    expect(one.Items).toEqual([{ total: 30, tags: new Set(['new']) }])

    const seen: number[] = []
    let NextToken: string | undefined
    let pages = 0
    do {
      const page = await doc.send(
        new ExecuteStatementCommand({
          Statement: `SELECT sk FROM orders WHERE pk = 'c#1' AND sk >= 20`,
          Limit: 2,
          NextToken,
        }),
      )
      seen.push(...(page.Items ?? []).map((i) => i.sk as number))
      NextToken = page.NextToken
      pages++
    } while (NextToken && pages < 10)
    expect(seen).toEqual([20, 21, 22, 23, 24])
    expect(pages).toBe(3)

    await expect(
      doc.send(new ExecuteStatementCommand({ Statement: `INSERT INTO orders VALUE {'pk': 'c#1', 'sk': 1}` })),
    ).rejects.toBeInstanceOf(DuplicateItemException)
    const cancelled = await doc
      .send(
        new ExecuteTransactionCommand({
          TransactStatements: [
            { Statement: `UPDATE orders SET total = total + 1 WHERE pk = 'c#1' AND sk = 1` },
            { Statement: `UPDATE orders SET total = 0 WHERE pk = 'c#1' AND sk = 2 AND total = 999` },
          ],
        }),
      )
      .catch((e: unknown) => e)
    expect(cancelled).toBeInstanceOf(TransactionCanceledException)
    expect((cancelled as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual([
      'None',
      'ConditionalCheckFailed',
    ])
    const unchanged = await doc.send(
      new ExecuteStatementCommand({ Statement: `SELECT total FROM orders WHERE pk = 'c#1' AND sk = 1` }),
    )
    expect(unchanged.Items).toEqual([{ total: 10 }])
  })
})

describe('backups through the SDK', () => {
  test('create, describe, list and restore; continuous backups report their status with dates', async () => {
    const created = await client.send(new CreateBackupCommand({ TableName: 'orders', BackupName: 'nightly' }))
    const arn = created.BackupDetails?.BackupArn as string
    expect(created.BackupDetails?.BackupCreationDateTime).toBeInstanceOf(Date)
    const described = await client.send(new DescribeBackupCommand({ BackupArn: arn }))
    expect(described.BackupDescription?.SourceTableDetails?.ItemCount).toBe(25)
    expect(
      (await client.send(new ListBackupsCommand({ TableName: 'orders' }))).BackupSummaries?.map(
        (b) => b.BackupArn,
      ),
    ).toEqual([arn])

    await doc.send(
      new ExecuteStatementCommand({ Statement: `DELETE FROM orders WHERE pk = 'c#1' AND sk = 0` }),
    )
    const restored = await client.send(
      new RestoreTableFromBackupCommand({ TargetTableName: 'orders-restored', BackupArn: arn }),
    )
    expect(restored.TableDescription?.RestoreSummary?.SourceBackupArn).toBe(arn)
    const back = await doc.send(
      new ExecuteStatementCommand({
        Statement: `SELECT sk FROM "orders-restored" WHERE pk = 'c#1' AND sk = 0`,
      }),
    )
    expect(back.Items).toEqual([{ sk: 0 }])

    const pitr = await client.send(
      new UpdateContinuousBackupsCommand({
        TableName: 'orders',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    )
    expect(pitr.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus).toBe(
      'ENABLED',
    )
    const described2 = await client.send(new DescribeContinuousBackupsCommand({ TableName: 'orders' }))
    expect(
      described2.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.EarliestRestorableDateTime,
    ).toBeInstanceOf(Date)
    const other = await client.send(new DescribeContinuousBackupsCommand({ TableName: 'orders-restored' }))
    expect(
      other.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus,
    ).toBe('DISABLED')
  })
})

describe('point-in-time recovery through the SDK', () => {
  test('RestoreTableToPointInTime at a Date or the latest time; errors are the SDK error classes', async () => {
    const engine = createEngine({ clock: { start: Date.UTC(2026, 0, 1), frozen: true } })
    const own = await startEngineServer(engine, { port: 0 })
    const sdk = new DynamoDBClient({ ...localClientConfig(own.endpoint), maxAttempts: 1 })
    try {
      await sdk.send(
        new CreateTableCommand({
          TableName: 'ledger',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      )
      await sdk.send(new PutItemCommand({ TableName: 'ledger', Item: { pk: { S: 'before' } } }))
      await expect(
        sdk.send(
          new RestoreTableToPointInTimeCommand({
            SourceTableName: 'ledger',
            TargetTableName: 'ledger-copy',
            UseLatestRestorableTime: true,
          }),
        ),
      ).rejects.toBeInstanceOf(PointInTimeRecoveryUnavailableException)
      await sdk.send(
        new UpdateContinuousBackupsCommand({
          TableName: 'ledger',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      )
      engine.advanceClock(1500)
      await sdk.send(new PutItemCommand({ TableName: 'ledger', Item: { pk: { S: 'after' } } }))
      engine.advanceClock(1500)
      const window = (await sdk.send(new DescribeContinuousBackupsCommand({ TableName: 'ledger' })))
        .ContinuousBackupsDescription?.PointInTimeRecoveryDescription
      expect(window?.EarliestRestorableDateTime).toEqual(new Date(Date.UTC(2026, 0, 1)))
      expect(window?.LatestRestorableDateTime).toEqual(new Date(Date.UTC(2026, 0, 1) + 3000))
      const keys = async (table: string) =>
        ((await sdk.send(new ScanCommand({ TableName: table }))).Items ?? []).map((i) => i.pk?.S).sort()
      await sdk.send(
        new RestoreTableToPointInTimeCommand({
          SourceTableName: 'ledger',
          TargetTableName: 'ledger-at-start',
          RestoreDateTime: window?.EarliestRestorableDateTime,
        }),
      )
      expect(await keys('ledger-at-start')).toEqual(['before'])
      await sdk.send(
        new RestoreTableToPointInTimeCommand({
          SourceTableName: 'ledger',
          TargetTableName: 'ledger-latest',
          UseLatestRestorableTime: true,
        }),
      )
      expect(await keys('ledger-latest')).toEqual(['after', 'before'])
      await expect(
        sdk.send(
          new RestoreTableToPointInTimeCommand({
            SourceTableName: 'ledger',
            TargetTableName: 'ledger-too-early',
            RestoreDateTime: new Date(Date.UTC(2025, 11, 31)),
          }),
        ),
      ).rejects.toBeInstanceOf(InvalidRestoreTimeException)
    } finally {
      sdk.destroy()
      await own.close()
    }
  })
})
