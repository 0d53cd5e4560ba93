/**
 * Backups against DynamoDB's documented behaviour (DynamoDB Local 3.3.1 implements none of these operations):
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateBackup.html and its siblings.
 */
import { describe, expect, test } from 'vitest'
import { engineWithTable, errorOf, n, s } from './test-support'

// Answers are walked loosely here; each expectation checks the shape it reads.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Out = Record<string, any>

function clock(start = Date.UTC(2026, 0, 1)) {
  let t = start
  return { now: () => t, advance: (ms: number) => (t += ms) }
}

async function seeded() {
  const c = clock()
  const engine = await engineWithTable({ now: c.now })
  for (let i = 0; i < 3; i++) {
    await engine.call('PutItem', {
      TableName: 'app',
      Item: { pk: s('U'), sk: s(`O#${i}`), gsi1pk: s('G'), gsi1sk: s(`T#${i}`), lsk: n(i), v: n(i) },
    })
  }
  await engine.call('TagResource', {
    ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/app',
    Tags: [{ Key: 'team', Value: 'x' }],
  })
  return { engine, clock: c }
}

describe('backups', () => {
  test('a backup is a snapshot: later writes and even deleting the table do not change it, and a restore brings it back', async () => {
    const { engine, clock: c } = await seeded()
    const created = (await engine.call('CreateBackup', { TableName: 'app', BackupName: 'before' })) as Out
    const arn = created.BackupDetails.BackupArn as string
    expect(arn).toMatch(/^arn:aws:dynamodb:us-east-1:000000000000:table\/app\/backup\/\d{14}-[0-9a-f]{8}$/)
    expect(created.BackupDetails).toMatchObject({
      BackupName: 'before',
      BackupStatus: 'AVAILABLE',
      BackupType: 'USER',
      BackupCreationDateTime: Date.UTC(2026, 0, 1) / 1000,
    })
    expect(created.BackupDetails.BackupSizeBytes).toBeGreaterThan(0)

    c.advance(1000)
    await engine.call('PutItem', { TableName: 'app', Item: { pk: s('U'), sk: s('later'), v: n(9) } })
    await engine.call('DeleteItem', { TableName: 'app', Key: { pk: s('U'), sk: s('O#0') } })
    await engine.call('DeleteTable', { TableName: 'app' })

    const described = (await engine.call('DescribeBackup', { BackupArn: arn })) as Out
    expect(described.BackupDescription.SourceTableDetails).toMatchObject({
      TableName: 'app',
      ItemCount: 3,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    })
    expect(described.BackupDescription.SourceTableFeatureDetails.GlobalSecondaryIndexes[0].IndexName).toBe(
      'gsi1',
    )
    expect(described.BackupDescription.SourceTableFeatureDetails.LocalSecondaryIndexes[0].IndexName).toBe(
      'lsi1',
    )

    const restored = (await engine.call('RestoreTableFromBackup', {
      TargetTableName: 'app',
      BackupArn: arn,
    })) as Out
    expect(restored.TableDescription.TableStatus).toBe('CREATING')
    expect(restored.TableDescription.RestoreSummary).toMatchObject({
      SourceBackupArn: arn,
      RestoreInProgress: true,
    })
    const table = ((await engine.call('DescribeTable', { TableName: 'app' })) as Out).Table
    expect(table).toMatchObject({
      TableStatus: 'ACTIVE',
      ItemCount: 3,
      RestoreSummary: { SourceBackupArn: arn, RestoreInProgress: false },
    })
    // Streams, tags and deletion protection are not restored; the indexes are, with their items.
    expect(table.StreamSpecification).toBeUndefined()
    expect(((await engine.call('ListTagsOfResource', { ResourceArn: table.TableArn })) as Out).Tags).toEqual(
      [],
    )
    const scanned = (await engine.call('Scan', { TableName: 'app' })) as Out
    expect(scanned.Items.map((i: Out) => i.sk.S).sort()).toEqual(['O#0', 'O#1', 'O#2'])
    const viaGsi = (await engine.call('Query', {
      TableName: 'app',
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :g',
      ExpressionAttributeValues: { ':g': s('G') },
    })) as Out
    expect(viaGsi.Count).toBe(3)
    const viaLsi = (await engine.call('Query', {
      TableName: 'app',
      IndexName: 'lsi1',
      KeyConditionExpression: 'pk = :p AND lsk > :z',
      ExpressionAttributeValues: { ':p': s('U'), ':z': n(0) },
    })) as Out
    expect(viaLsi.Count).toBe(2)
  })

  test('restore with overrides: billing mode, throughput and a GSI list that drops the index', async () => {
    const { engine } = await seeded()
    const arn = ((await engine.call('CreateBackup', { TableName: 'app', BackupName: 'bk1' })) as Out)
      .BackupDetails.BackupArn as string
    await engine.call('RestoreTableFromBackup', {
      TargetTableName: 'copy',
      BackupArn: arn,
      BillingModeOverride: 'PROVISIONED',
      ProvisionedThroughputOverride: { ReadCapacityUnits: 7, WriteCapacityUnits: 3 },
      GlobalSecondaryIndexOverride: [],
    })
    const table = ((await engine.call('DescribeTable', { TableName: 'copy' })) as Out).Table
    expect(table.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 7, WriteCapacityUnits: 3 })
    expect(table.GlobalSecondaryIndexes).toBeUndefined()
    expect(table.AttributeDefinitions.map((d: Out) => d.AttributeName).sort()).toEqual(['lsk', 'pk', 'sk'])
    expect(table.ItemCount).toBe(3)
    // The source table is untouched.
    expect(
      ((await engine.call('DescribeTable', { TableName: 'app' })) as Out).Table.GlobalSecondaryIndexes,
    ).toHaveLength(1)
  })

  test('ListBackups filters by table and time, pages with ExclusiveStartBackupArn; DeleteBackup removes one', async () => {
    const { engine, clock: c } = await seeded()
    await engine.call('CreateTable', {
      TableName: 'other',
      AttributeDefinitions: [{ AttributeName: 'h', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'h', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    })
    const arns: string[] = []
    for (const [table, name] of [
      ['app', 'a01'],
      ['other', 'o01'],
      ['app', 'a02'],
    ]) {
      c.advance(60_000)
      arns.push(
        ((await engine.call('CreateBackup', { TableName: table, BackupName: name })) as Out).BackupDetails
          .BackupArn as string,
      )
    }
    const all = (await engine.call('ListBackups', {})) as Out
    expect(all.BackupSummaries.map((b: Out) => b.BackupName)).toEqual(['a01', 'o01', 'a02'])
    expect(
      ((await engine.call('ListBackups', { TableName: 'app' })) as Out).BackupSummaries.map(
        (b: Out) => b.BackupName,
      ),
    ).toEqual(['a01', 'a02'])
    const since = Date.UTC(2026, 0, 1) / 1000 + 120
    expect(
      ((await engine.call('ListBackups', { TimeRangeLowerBound: since })) as Out).BackupSummaries.map(
        (b: Out) => b.BackupName,
      ),
    ).toEqual(['o01', 'a02'])
    const first = (await engine.call('ListBackups', { Limit: 2 })) as Out
    expect(first.BackupSummaries).toHaveLength(2)
    expect(first.LastEvaluatedBackupArn).toBe(arns[1])
    const rest = (await engine.call('ListBackups', {
      Limit: 2,
      ExclusiveStartBackupArn: first.LastEvaluatedBackupArn,
    })) as Out
    expect(rest.BackupSummaries.map((b: Out) => b.BackupArn)).toEqual([arns[2]])
    expect(rest.LastEvaluatedBackupArn).toBeUndefined()
    expect(((await engine.call('ListBackups', { BackupType: 'SYSTEM' })) as Out).BackupSummaries).toEqual([])

    const deleted = (await engine.call('DeleteBackup', { BackupArn: arns[0] })) as Out
    expect(deleted.BackupDescription.BackupDetails.BackupStatus).toBe('DELETED')
    const gone = await errorOf(engine.call('DescribeBackup', { BackupArn: arns[0] }))
    expect([gone.type, gone.message]).toEqual(['BackupNotFoundException', `Backup not found: ${arns[0]}`])
  })

  test('errors: missing table, existing target, bad names, unknown backup', async () => {
    const { engine } = await seeded()
    expect((await errorOf(engine.call('CreateBackup', { TableName: 'nope', BackupName: 'bk1' }))).type).toBe(
      'TableNotFoundException',
    )
    expect((await errorOf(engine.call('CreateBackup', { TableName: 'app', BackupName: 'x' }))).type).toBe(
      'ValidationException',
    )
    expect((await errorOf(engine.call('CreateBackup', { TableName: 'app' }))).message).toBe(
      "1 validation error detected: Value null at 'backupName' failed to satisfy constraint: Member must not be null",
    )
    const arn = ((await engine.call('CreateBackup', { TableName: 'app', BackupName: 'bk1' })) as Out)
      .BackupDetails.BackupArn as string
    const exists = await errorOf(
      engine.call('RestoreTableFromBackup', { TargetTableName: 'app', BackupArn: arn }),
    )
    expect([exists.type, exists.message]).toEqual([
      'TableAlreadyExistsException',
      'Table already exists: app',
    ])
    expect(
      (await errorOf(engine.call('RestoreTableFromBackup', { TargetTableName: 'new', BackupArn: `${arn}x` })))
        .type,
    ).toBe('BackupNotFoundException')
    expect((await errorOf(engine.call('ListBackups', { Limit: 0 }))).type).toBe('ValidationException')
  })
})

describe('continuous backups', () => {
  test('point-in-time recovery starts disabled, and its status and window follow UpdateContinuousBackups and the clock', async () => {
    const { engine, clock: c } = await seeded()
    const start = Date.UTC(2026, 0, 1) / 1000
    expect(await engine.call('DescribeContinuousBackups', { TableName: 'app' })).toEqual({
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
      },
    })
    const enabled = (await engine.call('UpdateContinuousBackups', {
      TableName: 'app',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 },
    })) as Out
    expect(enabled.ContinuousBackupsDescription.PointInTimeRecoveryDescription).toEqual({
      PointInTimeRecoveryStatus: 'ENABLED',
      RecoveryPeriodInDays: 7,
      EarliestRestorableDateTime: start,
      LatestRestorableDateTime: start,
    })
    c.advance(10 * 86_400_000)
    const later = (await engine.call('DescribeContinuousBackups', {
      TableName: 'arn:aws:dynamodb:us-east-1:000000000000:table/app',
    })) as Out
    // The window slides: never more than the recovery period behind the clock.
    expect(later.ContinuousBackupsDescription.PointInTimeRecoveryDescription).toMatchObject({
      EarliestRestorableDateTime: start + 3 * 86_400,
      LatestRestorableDateTime: start + 10 * 86_400,
    })
    const disabled = (await engine.call('UpdateContinuousBackups', {
      TableName: 'app',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
    })) as Out
    expect(disabled.ContinuousBackupsDescription.PointInTimeRecoveryDescription).toEqual({
      PointInTimeRecoveryStatus: 'DISABLED',
    })
    // A table deleted and created again under the same name starts with recovery disabled.
    await engine.call('UpdateContinuousBackups', {
      TableName: 'app',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    })
    await engine.call('DeleteTable', { TableName: 'app' })
    expect((await errorOf(engine.call('DescribeContinuousBackups', { TableName: 'app' }))).message).toBe(
      'Table not found: app',
    )
    await engine.call('CreateTable', {
      TableName: 'app',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    })
    expect(
      ((await engine.call('DescribeContinuousBackups', { TableName: 'app' })) as Out)
        .ContinuousBackupsDescription.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus,
    ).toBe('DISABLED')
    expect(
      (
        await errorOf(
          engine.call('UpdateContinuousBackups', {
            TableName: 'app',
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 36 },
          }),
        )
      ).type,
    ).toBe('ValidationException')
    expect((await errorOf(engine.call('UpdateContinuousBackups', { TableName: 'app' }))).type).toBe(
      'ValidationException',
    )
  })

  test('RestoreTableToPointInTime rebuilds the table as it was at RestoreDateTime, or at the latest time', async () => {
    const { engine, clock: c } = await seeded()
    const start = Date.UTC(2026, 0, 1)
    await engine.call('UpdateContinuousBackups', {
      TableName: 'app',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    })
    c.advance(60_000)
    await engine.call('PutItem', { TableName: 'app', Item: { pk: s('U'), sk: s('O#9'), v: n(9) } })
    c.advance(60_000)
    await engine.call('DeleteItem', { TableName: 'app', Key: { pk: s('U'), sk: s('O#0') } })
    await engine.call('UpdateItem', {
      TableName: 'app',
      Key: { pk: s('U'), sk: s('O#1') },
      UpdateExpression: 'SET v = :v',
      ExpressionAttributeValues: { ':v': n(100) },
    })
    c.advance(60_000)
    const sorted = async (table: string) =>
      (((await engine.call('Scan', { TableName: table })) as Out).Items as Out[])
        .map((i) => `${i.sk.S}=${i.v.N}`)
        .sort()
    const restored = (await engine.call('RestoreTableToPointInTime', {
      SourceTableName: 'app',
      TargetTableName: 'app-at-1m',
      RestoreDateTime: (start + 60_000) / 1000,
    })) as Out
    expect(restored.TableDescription.RestoreSummary).toEqual({
      SourceTableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/app',
      RestoreDateTime: (start + 60_000) / 1000,
      RestoreInProgress: true,
    })
    expect(await sorted('app-at-1m')).toEqual(['O#0=0', 'O#1=1', 'O#2=2', 'O#9=9'])
    // The index comes with the definition, built from the restored items.
    expect(
      (
        (await engine.call('Query', {
          TableName: 'app-at-1m',
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :g',
          ExpressionAttributeValues: { ':g': s('G') },
        })) as Out
      ).Count,
    ).toBe(3)
    await engine.call('RestoreTableToPointInTime', {
      SourceTableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/app',
      TargetTableName: 'app-at-0',
      RestoreDateTime: start / 1000,
    })
    expect(await sorted('app-at-0')).toEqual(['O#0=0', 'O#1=1', 'O#2=2'])
    await engine.call('RestoreTableToPointInTime', {
      SourceTableName: 'app',
      TargetTableName: 'app-latest',
      UseLatestRestorableTime: true,
    })
    expect(await sorted('app-latest')).toEqual(await sorted('app'))
    expect(await sorted('app-latest')).toEqual(['O#1=100', 'O#2=2', 'O#9=9'])
    const window = ((await engine.call('DescribeContinuousBackups', { TableName: 'app' })) as Out)
      .ContinuousBackupsDescription.PointInTimeRecoveryDescription
    expect(window).toMatchObject({
      EarliestRestorableDateTime: start / 1000,
      LatestRestorableDateTime: (start + 180_000) / 1000,
    })
  })

  test('RestoreTableToPointInTime errors: recovery off, a time outside the window, an existing target', async () => {
    const { engine, clock: c } = await seeded()
    const start = Date.UTC(2026, 0, 1)
    const restore = (extra: Out) =>
      errorOf(
        engine.call('RestoreTableToPointInTime', {
          SourceTableName: 'app',
          TargetTableName: 'copy',
          ...extra,
        }),
      )
    expect(await restore({ UseLatestRestorableTime: true })).toMatchObject({
      type: 'PointInTimeRecoveryUnavailableException',
      message: 'Point in time recovery has not yet been enabled for this source table.',
    })
    await engine.call('UpdateContinuousBackups', {
      TableName: 'app',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    })
    c.advance(1000)
    for (const at of [start - 1000, start + 2000]) {
      expect(await restore({ RestoreDateTime: at / 1000 })).toMatchObject({
        type: 'InvalidRestoreTimeException',
      })
    }
    expect((await restore({})).type).toBe('ValidationException')
    expect((await restore({ UseLatestRestorableTime: true, RestoreDateTime: start / 1000 })).type).toBe(
      'ValidationException',
    )
    expect(
      await errorOf(
        engine.call('RestoreTableToPointInTime', {
          SourceTableName: 'app',
          TargetTableName: 'app',
          UseLatestRestorableTime: true,
        }),
      ),
    ).toMatchObject({ type: 'TableAlreadyExistsException', message: 'Table already exists: app' })
    expect(
      (
        await errorOf(
          engine.call('RestoreTableToPointInTime', {
            SourceTableName: 'nope',
            TargetTableName: 'copy',
            UseLatestRestorableTime: true,
          }),
        )
      ).type,
    ).toBe('TableNotFoundException')
    // Disabling recovery drops the history; enabling again starts it afresh.
    await engine.call('UpdateContinuousBackups', {
      TableName: 'app',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
    })
    expect((await restore({ UseLatestRestorableTime: true })).type).toBe(
      'PointInTimeRecoveryUnavailableException',
    )
  })
})

describe('item history', () => {
  test('is bounded: past PITR_MAX_VERSIONS versions the oldest fold into the base and the window starts later', async () => {
    const { PITR_MAX_VERSIONS, startHistory, recordVersion, itemsAt, historyOf, stopHistory } =
      await import('./storage/item-history')
    let t = 0
    const table = {}
    const id = (_: object, key: Out) => key.k.S as string
    const v = (items: Out[]) => items.map((i) => i.v.N as string).sort()
    const history = startHistory(
      table,
      [],
      (i: Out) => i.k.S as string,
      () => t,
    )
    for (let i = 0; i < PITR_MAX_VERSIONS + 10; i++) {
      t = i
      recordVersion(table, { k: s(`a${i % 3}`) }, { k: s(`a${i % 3}`), v: n(i) }, id)
    }
    expect(history.log.length - history.head).toBe(PITR_MAX_VERSIONS)
    expect(history.baseAt).toBe(9)
    // The state at the new earliest moment is still exact.
    expect(v(itemsAt(history, 9))).toEqual(['7', '8', '9'])
    expect(v(itemsAt(history, 10))).toEqual(['10', '8', '9'])
    expect(v(itemsAt(history, PITR_MAX_VERSIONS + 9))).toEqual(
      [PITR_MAX_VERSIONS + 7, PITR_MAX_VERSIONS + 8, PITR_MAX_VERSIONS + 9].map(String).sort(),
    )
    stopHistory(table)
    expect(historyOf(table)).toBeUndefined()
  })
})
