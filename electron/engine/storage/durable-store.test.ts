import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { createEngine, type Engine, type EngineOptions } from '..'
import { startEngineServer } from '../http-server'
import { errorOf, n, s, SINGLE_TABLE } from '../test-support'
import { atomically } from './journal'
import { DurableStoreError, fileHeader, FORMAT_VERSION, readFrames } from './wal-format'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Out = Record<string, any>

const dirs: string[] = []
const open: Engine[] = []
/** Every test runs both ways: the directory read before createEngine returns, and read in the background. */
let loadInBackground = false

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-durable-'))
  dirs.push(dir)
  return dir
}

function openEngine(dir: string, warnings: string[] = [], options: EngineOptions = {}): Engine {
  const engine = createEngine({
    dataDir: dir,
    onStorageWarning: (m) => warnings.push(m),
    loadInBackground,
    ...options,
  })
  open.push(engine)
  return engine
}

async function reopen(
  engine: Engine,
  dir: string,
  warnings: string[] = [],
  options: EngineOptions = {},
): Promise<Engine> {
  await engine.close()
  return openEngine(dir, warnings, options)
}

afterEach(async () => {
  for (const e of open.splice(0)) await e.close()
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

const logFiles = (dir: string) =>
  fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.twlog'))
    .sort()
const lastLog = (dir: string) => path.join(dir, logFiles(dir).at(-1) as string)

/** Closes the engine and returns the entries of the last record in its newest log file. */
async function closeAndReadLastRecord(engine: Engine, dir: string): Promise<[string, string, Out][]> {
  await engine.close()
  open.length = 0
  const frames: unknown[][] = []
  readFrames(fs.readFileSync(lastLog(dir)), 8, (p) =>
    frames.push(JSON.parse(p.toString('utf8')) as unknown[]),
  )
  return frames.at(-1) as [string, string, Out][]
}

async function items(engine: Engine): Promise<Out[]> {
  const out = (await engine.call('Scan', { TableName: 'app' })) as Out
  return (out.Items as Out[]).sort((a, b) => String(a.sk.S).localeCompare(String(b.sk.S)))
}

describe.each([false, true])('durable engine (loadInBackground: %s)', (background) => {
  beforeEach(() => {
    loadInBackground = background
  })

  test('tables, indexes, items, stream records, tags and index changes come back after a restart', async () => {
    const dir = tempDir()
    let engine = openEngine(dir)
    await engine.call('CreateTable', SINGLE_TABLE)
    const arn = ((await engine.call('DescribeTable', { TableName: 'app' })) as Out).Table.TableArn as string
    await engine.call('TagResource', { ResourceArn: arn, Tags: [{ Key: 'team', Value: 'core' }] })
    for (let i = 0; i < 5; i++) {
      await engine.call('PutItem', {
        TableName: 'app',
        Item: { pk: s('a'), sk: s(`${i}`), gsi1pk: s('g'), gsi1sk: s(`${9 - i}`), lsk: n(i), colour: s('x') },
      })
    }
    await engine.call('UpdateItem', {
      TableName: 'app',
      Key: { pk: s('a'), sk: s('1') },
      UpdateExpression: 'SET v = :v',
      ExpressionAttributeValues: { ':v': n(7) },
    })
    await engine.call('DeleteItem', { TableName: 'app', Key: { pk: s('a'), sk: s('4') } })
    await engine.call('UpdateTable', {
      TableName: 'app',
      AttributeDefinitions: [{ AttributeName: 'colour', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [
        {
          Create: {
            IndexName: 'byOther',
            KeySchema: [{ AttributeName: 'colour', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        },
      ],
    })
    const before = ((await engine.call('DescribeTable', { TableName: 'app' })) as Out).Table
    const streamBefore = await streamRecords(engine)
    expect(streamBefore).toHaveLength(7)

    engine = await reopen(engine, dir)
    const after = ((await engine.call('DescribeTable', { TableName: 'app' })) as Out).Table
    expect(after).toEqual({ ...before, GlobalSecondaryIndexes: expect.any(Array) })
    expect(after.GlobalSecondaryIndexes.map((g: Out) => [g.IndexName, g.ItemCount])).toEqual(
      before.GlobalSecondaryIndexes.map((g: Out) => [g.IndexName, g.ItemCount]),
    )
    expect((await items(engine)).map((i) => i.sk.S)).toEqual(['0', '1', '2', '3'])
    expect((await items(engine))[1]!.v).toEqual(n(7))
    const gsi = (await engine.call('Query', {
      TableName: 'app',
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :g',
      ExpressionAttributeValues: { ':g': s('g') },
    })) as Out
    expect(gsi.Items.map((i: Out) => i.sk.S)).toEqual(['3', '2', '1', '0'])
    const byOther = (await engine.call('Query', {
      TableName: 'app',
      IndexName: 'byOther',
      KeyConditionExpression: 'colour = :o',
      ExpressionAttributeValues: { ':o': s('x') },
    })) as Out
    expect(byOther.Count).toBe(4)
    const lsi = (await engine.call('Query', {
      TableName: 'app',
      IndexName: 'lsi1',
      KeyConditionExpression: 'pk = :p AND lsk > :l',
      ExpressionAttributeValues: { ':p': s('a'), ':l': n(1) },
    })) as Out
    expect(lsi.Items.map((i: Out) => i.sk.S)).toEqual(['2', '3'])
    expect(((await engine.call('ListTagsOfResource', { ResourceArn: arn })) as Out).Tags).toEqual([
      { Key: 'team', Value: 'core' },
    ])
    expect(await streamRecords(engine)).toEqual(streamBefore)

    // New records continue the sequence after the restored ones.
    await engine.call('PutItem', { TableName: 'app', Item: { pk: s('b'), sk: s('1') } })
    const streamNow = await streamRecords(engine)
    expect(streamNow).toHaveLength(8)
    expect(BigInt(streamNow[7]!.dynamodb.SequenceNumber)).toBeGreaterThan(
      BigInt(streamNow[6]!.dynamodb.SequenceNumber),
    )
  })

  test('a deleted table stays deleted and a table recreated under its name starts empty', async () => {
    const dir = tempDir()
    let engine = openEngine(dir)
    await engine.call('CreateTable', SINGLE_TABLE)
    await engine.call('PutItem', { TableName: 'app', Item: { pk: s('a'), sk: s('1') } })
    await engine.call('DeleteTable', { TableName: 'app' })
    await engine.call('CreateTable', { ...SINGLE_TABLE, StreamSpecification: undefined })
    await engine.call('PutItem', { TableName: 'app', Item: { pk: s('b'), sk: s('2') } })
    await engine.call('CreateTable', { ...SINGLE_TABLE, TableName: 'gone', StreamSpecification: undefined })
    await engine.call('DeleteTable', { TableName: 'gone' })
    engine = await reopen(engine, dir)
    expect(((await engine.call('ListTables', {})) as Out).TableNames).toEqual(['app'])
    expect((await items(engine)).map((i) => i.pk.S)).toEqual(['b'])
  })

  test('a snapshot replaces the log it covers, and the state read back is the same', async () => {
    const dir = tempDir()
    let engine = openEngine(dir, [], { compactAfterBytes: 1 })
    await engine.call('CreateTable', SINGLE_TABLE)
    for (let i = 0; i < 50; i++)
      await engine.call('PutItem', {
        TableName: 'app',
        Item: { pk: s(`p${i % 5}`), sk: s(`${i}`), lsk: n(i) },
      })
    await engine.compact()
    for (let i = 0; i < 10; i++)
      await engine.call('DeleteItem', { TableName: 'app', Key: { pk: s(`p${i % 5}`), sk: s(`${i}`) } })
    await engine.compact()
    const files = fs.readdirSync(dir).sort()
    expect(files.filter((f) => f.endsWith('.twsnap'))).toHaveLength(1)
    expect(logFiles(dir)).toHaveLength(1)
    const before = await items(engine)
    const records = await streamRecords(engine)
    engine = await reopen(engine, dir)
    expect(await items(engine)).toEqual(before)
    expect(before).toHaveLength(40)
    expect(await streamRecords(engine)).toEqual(records)
  })

  test('a torn last record is dropped with a warning naming it; the rest is there and the store keeps working', async () => {
    const dir = tempDir()
    let engine = openEngine(dir)
    await engine.call('CreateTable', SINGLE_TABLE)
    await engine.call('PutItem', { TableName: 'app', Item: { pk: s('a'), sk: s('1') } })
    await engine.call('PutItem', { TableName: 'app', Item: { pk: s('a'), sk: s('2') } })
    await engine.close()
    const file = lastLog(dir)
    const size = fs.statSync(file).size
    fs.truncateSync(file, size - 5)
    const warnings: string[] = []
    engine = openEngine(dir, warnings)
    await engine.loaded()
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain(path.basename(file))
    expect(warnings[0]).toMatch(/Dropped \d+ bytes at byte \d+ .*torn write/)
    expect((await items(engine)).map((i) => i.sk.S)).toEqual(['1'])
    await engine.call('PutItem', { TableName: 'app', Item: { pk: s('a'), sk: s('3') } })
    const again: string[] = []
    engine = await reopen(engine, dir, again)
    expect(again).toEqual([])
    expect((await items(engine)).map((i) => i.sk.S)).toEqual(['1', '3'])
  })

  test('a record whose checksum does not match is dropped with a warning, not applied', async () => {
    const dir = tempDir()
    let engine = openEngine(dir)
    await engine.call('CreateTable', SINGLE_TABLE)
    await engine.call('PutItem', { TableName: 'app', Item: { pk: s('a'), sk: s('1'), v: s('before') } })
    await engine.call('PutItem', { TableName: 'app', Item: { pk: s('a'), sk: s('1'), v: s('after') } })
    await engine.close()
    const file = lastLog(dir)
    const buf = fs.readFileSync(file)
    const at = buf.lastIndexOf('after')
    buf.write('AFTER', at)
    fs.writeFileSync(file, buf)
    const warnings: string[] = []
    engine = openEngine(dir, warnings)
    await engine.loaded()
    expect(warnings.join('\n')).toContain('checksum mismatch')
    expect((await items(engine))[0]!.v).toEqual(s('before'))
  })

  test('the writes of a group are all there or none after a crash tears its record', async () => {
    const dir = tempDir()
    const engine = openEngine(dir)
    await engine.call('CreateTable', { ...SINGLE_TABLE, StreamSpecification: undefined })
    await engine.call('PutItem', { TableName: 'app', Item: { pk: s('solo'), sk: s('0') } })
    // What TransactWriteItems will do: several writes inside atomically().
    const state = (
      engine as unknown as { state: Parameters<typeof atomically>[0] & { tables: Map<string, never> } }
    ).state
    const { writeItem } = await import('../table')
    const table = state.tables.get('app') as never
    atomically(state, () => {
      for (let i = 1; i <= 3; i++)
        writeItem(table, { pk: s('tx'), sk: s(`${i}`) }, { pk: s('tx'), sk: s(`${i}`) })
    })
    await engine.settled()
    await engine.close()
    open.length = 0
    const file = lastLog(dir)
    const intact = fs.readFileSync(file)
    // Every cut inside the group's record leaves none of its writes; the whole record leaves all three.
    const groupStart = intact.lastIndexOf('[["p"') - 8
    for (const cut of [groupStart + 9, groupStart + 40, intact.length - 1, intact.length]) {
      fs.writeFileSync(file, intact.subarray(0, cut))
      const warnings: string[] = []
      const e = openEngine(dir, warnings)
      const got = (await items(e)).filter((i) => i.pk.S === 'tx').length
      expect([cut, got]).toEqual([cut, cut === intact.length ? 3 : 0])
      expect(warnings).toHaveLength(cut === intact.length ? 0 : 1)
      expect((await items(e)).some((i) => i.pk.S === 'solo')).toBe(true)
      await e.close()
      open.length = 0
    }
  })

  test("a PartiQL transaction's writes are one log record", async () => {
    const dir = tempDir()
    const engine = openEngine(dir)
    await engine.call('CreateTable', SINGLE_TABLE)
    await engine.call('ExecuteTransaction', {
      TransactStatements: [1, 2, 3].map((i) => ({
        Statement: `INSERT INTO app VALUE {'pk': 'tx', 'sk': '${i}'}`,
      })),
    })
    const last = await closeAndReadLastRecord(engine, dir)
    expect(last.filter((e) => e[0] === 'p').map((e) => e[2].sk)).toEqual([s('1'), s('2'), s('3')])
    // Each put's stream record is in the same record.
    expect(last.filter((e) => e[0] === 's')).toHaveLength(3)
  })

  test('a second engine on the same directory is refused, naming the PID that holds it', async () => {
    const dir = tempDir()
    openEngine(dir)
    let err: unknown
    try {
      createEngine({ dataDir: dir })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(DurableStoreError)
    expect((err as DurableStoreError).code).toBe('store.inUse')
    expect((err as Error).message).toContain(`in use by PID ${process.pid}`)
  })

  test('a lock left by a process that is gone is taken over', async () => {
    const dir = tempDir()
    // PIDs above the kernel's pid_max never exist.
    fs.writeFileSync(path.join(dir, 'LOCK'), '4194305')
    const engine = openEngine(dir)
    await engine.call('ListTables', {})
    expect(fs.readFileSync(path.join(dir, 'LOCK'), 'utf8')).toBe(String(process.pid))
  })

  test('a store written by a newer format version is refused with a clear message', async () => {
    const dir = tempDir()
    const engine = openEngine(dir)
    await engine.call('CreateTable', SINGLE_TABLE)
    await engine.close()
    open.length = 0
    const file = lastLog(dir)
    const buf = fs.readFileSync(file)
    fileHeader('log', FORMAT_VERSION + 1).copy(buf, 0)
    fs.writeFileSync(file, buf)
    let err: unknown
    try {
      createEngine({ dataDir: dir })
    } catch (e) {
      err = e
    }
    expect((err as DurableStoreError).code).toBe('store.newerFormat')
    expect((err as Error).message).toContain(`storage format ${FORMAT_VERSION + 1}`)
    // The refusal released the lock: the directory is not left "in use".
    expect(fs.existsSync(path.join(dir, 'LOCK'))).toBe(false)
  })

  test("a TransactWriteItems' writes are one log record, with their stream records", async () => {
    const dir = tempDir()
    const engine = openEngine(dir)
    await engine.call('CreateTable', SINGLE_TABLE)
    await engine.call('TransactWriteItems', {
      TransactItems: [1, 2, 3].map((i) => ({
        Put: { TableName: 'app', Item: { pk: s('tx'), sk: s(String(i)) } },
      })),
    })
    const last = await closeAndReadLastRecord(engine, dir)
    expect(last.filter((e) => e[0] === 'p').map((e) => e[2].sk)).toEqual([s('1'), s('2'), s('3')])
    expect(last.filter((e) => e[0] === 's')).toHaveLength(3)
  })

  test('client request tokens survive a restart: a retry changes nothing, other parameters are a mismatch, and the window is 10 minutes of engine time', async () => {
    const dir = tempDir()
    let now = Date.UTC(2026, 0, 1)
    const clock = { now: () => now }
    let engine = openEngine(dir, [], clock)
    await engine.call('CreateTable', SINGLE_TABLE)
    const add = (token: string, by = 1) => ({
      ClientRequestToken: token,
      TransactItems: [
        {
          Update: {
            TableName: 'app',
            Key: { pk: s('c'), sk: s('1') },
            UpdateExpression: 'ADD n :one',
            ExpressionAttributeValues: { ':one': n(by) },
          },
        },
      ],
    })
    const partiql = (token: string) => ({
      ClientRequestToken: token,
      TransactStatements: [{ Statement: `UPDATE "app" SET m = m + 1 WHERE pk = 'c' AND sk = '1'` }],
    })
    const counter = async () =>
      ((await engine.call('GetItem', { TableName: 'app', Key: { pk: s('c'), sk: s('1') } })) as Out).Item
    await engine.call('TransactWriteItems', add('t-1'))
    await engine.call('UpdateItem', {
      TableName: 'app',
      Key: { pk: s('c'), sk: s('1') },
      UpdateExpression: 'SET m = :z',
      ExpressionAttributeValues: { ':z': n(0) },
    })
    await engine.call('ExecuteTransaction', partiql('p-1'))
    // A snapshot in between: tokens come back from it and from the log after it.
    await engine.compact()
    await engine.call('TransactWriteItems', add('t-2'))
    engine = await reopen(engine, dir, [], clock)

    await engine.call('TransactWriteItems', add('t-1'))
    await engine.call('TransactWriteItems', add('t-2'))
    await engine.call('ExecuteTransaction', partiql('p-1'))
    expect(await counter()).toMatchObject({ n: n(2), m: n(1) })
    expect((await errorOf(engine.call('TransactWriteItems', add('t-1', 5)))).type).toBe(
      'IdempotentParameterMismatchException',
    )

    // Ten minutes after its first use, a token is new again; it was not used up by the retries.
    now += 10 * 60 * 1000 + 1
    engine = await reopen(engine, dir, [], clock)
    await engine.call('TransactWriteItems', add('t-1'))
    expect(await counter()).toMatchObject({ n: n(3) })
  })

  test("a transaction's token is logged in the record of its writes", async () => {
    const dir = tempDir()
    const engine = openEngine(dir)
    await engine.call('CreateTable', SINGLE_TABLE)
    await engine.call('TransactWriteItems', {
      ClientRequestToken: 'one-record',
      TransactItems: [{ Put: { TableName: 'app', Item: { pk: s('tx'), sk: s('1') } } }],
    })
    const last = await closeAndReadLastRecord(engine, dir)
    expect(last.map((e) => e[0])).toEqual(['p', 's', 'E'])
    expect(last[2]).toMatchObject(['E', 'transactionTokens', ['add', 'one-record', {}]])
  })

  test('Engine.reset forgets tokens, also after a restart', async () => {
    const dir = tempDir()
    let engine = openEngine(dir)
    await engine.call('CreateTable', SINGLE_TABLE)
    const put = {
      ClientRequestToken: 'r',
      TransactItems: [{ Put: { TableName: 'app', Item: { pk: s('a'), sk: s('1') } } }],
    }
    await engine.call('TransactWriteItems', put)
    engine.reset()
    await engine.call('CreateTable', SINGLE_TABLE)
    engine = await reopen(engine, dir)
    await engine.call('TransactWriteItems', put)
    expect(((await engine.call('Scan', { TableName: 'app' })) as Out).Count).toBe(1)
  })

  test('TTL settings survive a restart, and the sweeper runs on the tables read back', async () => {
    const dir = tempDir()
    const options: EngineOptions = { clock: { start: Date.parse('2030-01-01T00:00:00Z'), frozen: true } }
    let engine = openEngine(dir, [], options)
    await engine.call('CreateTable', SINGLE_TABLE)
    await engine.call('UpdateTimeToLive', {
      TableName: 'app',
      TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' },
    })
    const expires = { N: String(Date.parse('2030-01-01T01:00:00Z') / 1000) }
    await engine.call('PutItem', { TableName: 'app', Item: { pk: s('a'), sk: s('1'), expires } })
    engine = await reopen(engine, dir, [], options)
    // The frozen clock has not passed the change's transition, which is persisted with the setting.
    expect(await engine.call('DescribeTimeToLive', { TableName: 'app' })).toEqual({
      TimeToLiveDescription: { TimeToLiveStatus: 'ENABLING', AttributeName: 'expires' },
    })
    expect(engine.advanceClock(2 * 60 * 60 * 1000).expired).toBe(1)
    engine = await reopen(engine, dir, [], options)
    expect(await items(engine)).toEqual([])
  })

  test('a field another feature adds to a table (TTL settings, say) is persisted without wiring', async () => {
    const dir = tempDir()
    let engine = openEngine(dir)
    await engine.call('CreateTable', SINGLE_TABLE)
    const state = (engine as unknown as { state: { tables: Map<string, Record<string, unknown>> } }).state
    // What UpdateTimeToLive will do: change the table's state inside a control-plane operation.
    state.tables.get('app')!.timeToLive = {
      attributeName: 'expires',
      enabled: true,
      since: new Map([['at', 1]]),
    }
    // Any control-plane operation logs what changed; TagResource stands in for UpdateTimeToLive here.
    const arn = ((await engine.call('DescribeTable', { TableName: 'app' })) as Out).Table.TableArn as string
    await engine.call('TagResource', { ResourceArn: arn, Tags: [{ Key: 'k', Value: 'v' }] })
    engine = await reopen(engine, dir)
    await engine.loaded()
    const restored = (engine as unknown as { state: { tables: Map<string, Record<string, unknown>> } }).state
    expect(restored.tables.get('app')!.timeToLive).toEqual({
      attributeName: 'expires',
      enabled: true,
      since: new Map([['at', 1]]),
    })
  })

  test('backups, and a table restored from one, come back after a restart', async () => {
    const dir = tempDir()
    let engine = openEngine(dir)
    await engine.call('CreateTable', { ...SINGLE_TABLE, StreamSpecification: undefined })
    await engine.call('PutItem', { TableName: 'app', Item: { pk: s('a'), sk: s('1'), v: s('backed up') } })
    const arn = ((await engine.call('CreateBackup', { TableName: 'app', BackupName: 'bk1' })) as Out)
      .BackupDetails.BackupArn as string
    await engine.call('PutItem', { TableName: 'app', Item: { pk: s('a'), sk: s('2') } })
    await engine.call('RestoreTableFromBackup', { TargetTableName: 'copy', BackupArn: arn })
    engine = await reopen(engine, dir)
    const backups = ((await engine.call('ListBackups', {})) as Out).BackupSummaries as Out[]
    expect(backups.map((b) => [b.BackupName, b.BackupArn])).toEqual([['bk1', arn]])
    const copy = (await engine.call('Scan', { TableName: 'copy' })) as Out
    expect(copy.Items).toEqual([{ pk: s('a'), sk: s('1'), v: s('backed up') }])
    // The backup still restores after the restart, with what it held then.
    await engine.call('RestoreTableFromBackup', { TargetTableName: 'copy2', BackupArn: arn })
    expect(((await engine.call('Scan', { TableName: 'copy2' })) as Out).Count).toBe(1)
  })

  test('Engine.reset is persisted', async () => {
    const dir = tempDir()
    let engine = openEngine(dir)
    await engine.call('CreateTable', SINGLE_TABLE)
    engine.reset()
    await engine.settled()
    engine = await reopen(engine, dir)
    expect(((await engine.call('ListTables', {})) as Out).TableNames).toEqual([])
  })

  test('a failed call still answers its error after the log is durable, and an in-memory engine has no storage', async () => {
    const dir = tempDir()
    const engine = openEngine(dir)
    await engine.call('CreateTable', SINGLE_TABLE)
    const err = await errorOf(engine.call('PutItem', { TableName: 'app', Item: { pk: s('a') } }))
    expect(err.type).toBe('ValidationException')
    expect(engine.storageInfo()?.dataDir).toBe(dir)
    expect(engine.storageInfo()!.bytes).toBeGreaterThan(0)
    expect(createEngine().storageInfo()).toBeUndefined()
  })
})

async function streamRecords(engine: Engine): Promise<Out[]> {
  const arn = ((await engine.call('DescribeTable', { TableName: 'app' })) as Out).Table
    .LatestStreamArn as string
  const d = ((await engine.call('DescribeStream', { StreamArn: arn })) as Out).StreamDescription
  const it = (await engine.call('GetShardIterator', {
    StreamArn: arn,
    ShardId: d.Shards[0].ShardId,
    ShardIteratorType: 'TRIM_HORIZON',
  })) as Out
  return ((await engine.call('GetRecords', { ShardIterator: it.ShardIterator })) as Out).Records as Out[]
}

describe('durable engine loading in the background', { timeout: 30_000 }, () => {
  const table = (name: string, stream = false) => ({
    ...SINGLE_TABLE,
    TableName: name,
    ...(stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } } : {}),
  })
  const ITEMS = 3000

  /** old: 3,000 items in the snapshot, untouched since; streamy: the same, with a stream; gone: dropped after it; fresh: created after it. */
  async function prepare(dir: string): Promise<void> {
    const engine = createEngine({ dataDir: dir })
    for (const name of ['old', 'streamy', 'gone']) {
      await engine.call('CreateTable', table(name, name === 'streamy'))
      for (let i = 0; i < ITEMS; i += 25) {
        const puts = Array.from({ length: 25 }, (_, j) => ({
          PutRequest: {
            Item: {
              pk: s(`p${(i + j) % 7}`),
              sk: s(String(i + j).padStart(5, '0')),
              body: s('x'.repeat(60)),
              gsi1pk: s('g'),
              gsi1sk: s(`${i + j}`),
            },
          },
        }))
        // Synchronous writes, one fsync for all of them below: the test is about reading back, not writing.
        engine.handle('BatchWriteItem', { RequestItems: { [name]: puts } })
      }
    }
    await engine.settled()
    await engine.compact()
    await engine.call('DeleteTable', { TableName: 'gone' })
    await engine.call('CreateTable', table('fresh'))
    await engine.call('PutItem', { TableName: 'fresh', Item: { pk: s('f'), sk: s('1') } })
    await engine.close()
  }

  test('ListTables answers from the catalog at once; a table is answered only once it is wholly loaded; writes made meanwhile persist', async () => {
    const dir = tempDir()
    await prepare(dir)
    const engine = createEngine({ dataDir: dir, loadInBackground: true })
    open.push(engine)
    // Nothing is read yet when createEngine returns, but the catalog is known.
    expect(engine.loading).toBe(true)
    expect((engine.handle('ListTables', {}) as Out).TableNames).toEqual(['fresh', 'old', 'streamy'])
    expect(engine.whenReady('ListTables', {})).toBeUndefined()
    expect(() => engine.handle('Scan', { TableName: 'old' })).toThrow(/still loading/)

    await engine.whenReady('Scan', { TableName: 'old' })
    // Synchronously after it is ready: every item and every index entry is there, whatever else is still loading.
    expect((engine.handle('Scan', { TableName: 'old', Select: 'COUNT' }) as Out).Count).toBe(ITEMS)
    expect(
      (
        engine.handle('Query', {
          TableName: 'old',
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :g',
          ExpressionAttributeValues: { ':g': s('g') },
          Select: 'COUNT',
        }) as Out
      ).Count,
    ).toBe(ITEMS)
    await engine.call('PutItem', { TableName: 'old', Item: { pk: s('new'), sk: s('during-load') } })

    // A table with a stream waits for the whole load (its sequence numbers continue from the streams' state).
    await engine.whenReady('GetItem', { TableName: 'streamy' })
    expect(engine.loading).toBe(false)
    expect(((await engine.call('Scan', { TableName: 'streamy', Select: 'COUNT' })) as Out).Count).toBe(ITEMS)
    expect(((await engine.call('Scan', { TableName: 'fresh' })) as Out).Items).toEqual([
      { pk: s('f'), sk: s('1') },
    ])
    expect((await errorOf(engine.call('DescribeTable', { TableName: 'gone' }))).type).toBe(
      'ResourceNotFoundException',
    )
    await engine.close()
    open.length = 0

    const again = openEngine(dir)
    expect(((await again.call('Scan', { TableName: 'old', Select: 'COUNT' })) as Out).Count).toBe(ITEMS + 1)
    expect(
      (
        (await again.call('GetItem', {
          TableName: 'old',
          Key: { pk: s('new'), sk: s('during-load') },
        })) as Out
      ).Item,
    ).toBeDefined()
    expect(((await again.call('ListTables', {})) as Out).TableNames).toEqual(['fresh', 'old', 'streamy'])
  })

  test('over HTTP, requests sent the moment the server listens get complete answers', async () => {
    const dir = tempDir()
    await prepare(dir)
    const engine = createEngine({ dataDir: dir, loadInBackground: true })
    open.push(engine)
    const server = await startEngineServer(engine, { port: 0 })
    try {
      const post = async (op: string, body: unknown) =>
        (await (
          await fetch(server.endpoint, {
            method: 'POST',
            headers: {
              'content-type': 'application/x-amz-json-1.0',
              'x-amz-target': `DynamoDB_20120810.${op}`,
            },
            body: JSON.stringify(body),
          })
        ).json()) as Out
      const [list, count, query, batch] = await Promise.all([
        post('ListTables', {}),
        post('Scan', { TableName: 'old', Select: 'COUNT' }),
        post('Query', {
          TableName: 'streamy',
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': s('p3') },
          Select: 'COUNT',
        }),
        post('BatchGetItem', {
          RequestItems: {
            old: { Keys: [{ pk: s('p1'), sk: s('00001') }] },
            fresh: { Keys: [{ pk: s('f'), sk: s('1') }] },
          },
        }),
      ])
      expect(list.TableNames).toEqual(['fresh', 'old', 'streamy'])
      expect(count.Count).toBe(ITEMS)
      expect(query.Count).toBe(Array.from({ length: ITEMS }, (_, i) => i).filter((i) => i % 7 === 3).length)
      expect(batch.Responses.old).toHaveLength(1)
      expect(batch.Responses.fresh).toHaveLength(1)
    } finally {
      await server.close()
    }
  })

  test('a store it cannot read is still refused by createEngine, before anything loads', async () => {
    const dir = tempDir()
    await prepare(dir)
    const snap = fs.readdirSync(dir).find((f) => f.endsWith('.twsnap')) as string
    const buf = fs.readFileSync(path.join(dir, snap))
    fs.writeFileSync(
      path.join(dir, snap),
      Buffer.concat([fileHeader('snapshot', FORMAT_VERSION + 1), buf.subarray(8)]),
    )
    let err: unknown
    try {
      createEngine({ dataDir: dir, loadInBackground: true })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(DurableStoreError)
    expect((err as DurableStoreError).code).toBe('store.newerFormat')
  })
})
