import { describe, expect, test } from 'vitest'
import type { Engine } from './engine'
import type { ChangeEvent } from './streams'
import { engineWithTable, errorOf, n, s } from './test-support'

// Answers are walked loosely here; each expectation checks the shape it reads.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Out = Record<string, any>

async function shardIterator(engine: Engine, type = 'TRIM_HORIZON', extra: Out = {}) {
  const arn = ((await engine.call('DescribeTable', { TableName: 'app' })) as Out).Table
    .LatestStreamArn as string
  const d = ((await engine.call('DescribeStream', { StreamArn: arn })) as Out).StreamDescription
  const it = (await engine.call('GetShardIterator', {
    StreamArn: arn,
    ShardId: d.Shards[0].ShardId,
    ShardIteratorType: type,
    ...extra,
  })) as Out
  return { arn, shardId: d.Shards[0].ShardId as string, iterator: it.ShardIterator as string }
}

describe('streams', () => {
  test('INSERT, MODIFY and REMOVE records with images, increasing sequence numbers, none for a no-op write', async () => {
    const engine = await engineWithTable()
    const key = { pk: s('a'), sk: s('1') }
    await engine.call('PutItem', { TableName: 'app', Item: { ...key, v: n(1) } })
    await engine.call('PutItem', { TableName: 'app', Item: { ...key, v: n(1) } }) // changes nothing
    await engine.call('PutItem', { TableName: 'app', Item: { ...key, v: n(2) } })
    await engine.call('DeleteItem', { TableName: 'app', Key: key })
    await engine.call('DeleteItem', { TableName: 'app', Key: key }) // nothing to delete
    const { iterator } = await shardIterator(engine)
    const out = (await engine.call('GetRecords', { ShardIterator: iterator })) as Out
    const records = out.Records as Out[]
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE'])
    expect(records[1]!.dynamodb.OldImage).toEqual({ ...key, v: n(1) })
    expect(records[1]!.dynamodb.NewImage).toEqual({ ...key, v: n(2) })
    expect(records[2]!.dynamodb.NewImage).toBeUndefined()
    expect(records[0]!.dynamodb.Keys).toEqual(key)
    expect(records[0]!.eventSource).toBe('aws:dynamodb')
    const seqs = records.map((r) => r.dynamodb.SequenceNumber as string)
    expect(seqs[0]).toMatch(/^\d{21}$/)
    expect([...seqs].sort()).toEqual(seqs)
    expect(new Set(seqs).size).toBe(3)
    expect(out.NextShardIterator).toEqual(expect.any(String))
    const next = (await engine.call('GetRecords', { ShardIterator: out.NextShardIterator })) as Out
    expect(next.Records).toEqual([])
  })

  test('iterator types, Limit, and the KEYS_ONLY view after re-enabling the stream', async () => {
    const engine = await engineWithTable()
    for (let i = 0; i < 5; i++)
      await engine.call('PutItem', { TableName: 'app', Item: { pk: s('a'), sk: s(String(i)) } })
    const first = await shardIterator(engine)
    const two = (await engine.call('GetRecords', { ShardIterator: first.iterator, Limit: 2 })) as Out
    expect(two.Records).toHaveLength(2)
    const seq2 = two.Records[1].dynamodb.SequenceNumber
    const after = await shardIterator(engine, 'AFTER_SEQUENCE_NUMBER', { SequenceNumber: seq2 })
    const rest = (await engine.call('GetRecords', { ShardIterator: after.iterator })) as Out
    expect(rest.Records.map((r: Out) => r.dynamodb.Keys.sk.S)).toEqual(['2', '3', '4'])
    const at = await shardIterator(engine, 'AT_SEQUENCE_NUMBER', { SequenceNumber: seq2 })
    expect(((await engine.call('GetRecords', { ShardIterator: at.iterator })) as Out).Records).toHaveLength(4)
    const latest = await shardIterator(engine, 'LATEST')
    await engine.call('PutItem', { TableName: 'app', Item: { pk: s('a'), sk: s('9') } })
    const fromLatest = (await engine.call('GetRecords', { ShardIterator: latest.iterator })) as Out
    expect(fromLatest.Records.map((r: Out) => r.dynamodb.Keys.sk.S)).toEqual(['9'])

    await engine.call('UpdateTable', { TableName: 'app', StreamSpecification: { StreamEnabled: false } })
    const old = ((await engine.call('DescribeStream', { StreamArn: first.arn })) as Out).StreamDescription
    expect(old.StreamStatus).toBe('DISABLED')
    expect(old.Shards[0].SequenceNumberRange.EndingSequenceNumber).toBeDefined()
    // A closed shard read to its end has no next iterator.
    const closed = (await engine.call('GetRecords', {
      ShardIterator: (await shardIterator(engine)).iterator,
    })) as Out
    expect(closed.Records).toHaveLength(6)
    expect(closed.NextShardIterator).toBeUndefined()
    await engine.call('UpdateTable', {
      TableName: 'app',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
    })
    await engine.call('PutItem', { TableName: 'app', Item: { pk: s('b'), sk: s('1'), x: s('y') } })
    const fresh = await shardIterator(engine)
    expect(fresh.arn).not.toBe(first.arn)
    const keysOnly = (await engine.call('GetRecords', { ShardIterator: fresh.iterator })) as Out
    expect(keysOnly.Records).toHaveLength(1)
    expect(keysOnly.Records[0].dynamodb.NewImage).toBeUndefined()
    expect(keysOnly.Records[0].dynamodb.StreamViewType).toBe('KEYS_ONLY')
    const streams = ((await engine.call('ListStreams', { TableName: 'app' })) as Out).Streams
    expect(streams).toHaveLength(2)
  })

  test('records older than 24 hours are trimmed and iterators expire after 15 minutes', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z')
    const engine = await engineWithTable({ now: () => clock })
    const sequenceNumbers: string[] = []
    engine.subscribe((e) => sequenceNumbers.push(e.record.dynamodb.SequenceNumber))
    await engine.call('PutItem', { TableName: 'app', Item: { pk: s('old'), sk: s('1') } })
    clock += 25 * 60 * 60 * 1000
    await engine.call('PutItem', { TableName: 'app', Item: { pk: s('new'), sk: s('1') } })
    const trimmed = await errorOf(
      shardIterator(engine, 'AT_SEQUENCE_NUMBER', { SequenceNumber: sequenceNumbers[0] }),
    )
    expect(trimmed.type).toBe('TrimmedDataAccessException')
    const { iterator } = await shardIterator(engine)
    const out = (await engine.call('GetRecords', { ShardIterator: iterator })) as Out
    expect(out.Records.map((r: Out) => r.dynamodb.Keys.pk.S)).toEqual(['new'])
    clock += 16 * 60 * 1000
    expect((await errorOf(engine.call('GetRecords', { ShardIterator: iterator }))).type).toBe(
      'ExpiredIteratorException',
    )
  })

  test('deleting the table leaves its stream readable as DISABLED', async () => {
    const engine = await engineWithTable()
    await engine.call('PutItem', { TableName: 'app', Item: { pk: s('a'), sk: s('1') } })
    const { arn, iterator } = await shardIterator(engine)
    await engine.call('DeleteTable', { TableName: 'app' })
    expect(
      ((await engine.call('DescribeStream', { StreamArn: arn })) as Out).StreamDescription.StreamStatus,
    ).toBe('DISABLED')
    expect(((await engine.call('GetRecords', { ShardIterator: iterator })) as Out).Records).toHaveLength(1)
  })

  test('subscribers and changes() see the same records as they are written', async () => {
    const engine = await engineWithTable()
    const seen: ChangeEvent[] = []
    const unsubscribe = engine.subscribe((e) => seen.push(e))
    const changes = engine.changes('app')
    await engine.call('PutItem', { TableName: 'app', Item: { pk: s('a'), sk: s('1') } })
    await engine.call('UpdateItem', {
      TableName: 'app',
      Key: { pk: s('a'), sk: s('1') },
      UpdateExpression: 'SET v = :v',
      ExpressionAttributeValues: { ':v': n(1) },
    })
    unsubscribe()
    const first = await changes.next()
    const second = await changes.next()
    await changes.return?.()
    expect(seen.map((e) => e.record.eventName)).toEqual(['INSERT', 'MODIFY'])
    expect(first.value?.record.dynamodb.SequenceNumber).toBe(seen[0]!.record.dynamodb.SequenceNumber)
    expect(second.value?.record.dynamodb.NewImage).toEqual({ pk: s('a'), sk: s('1'), v: n(1) })
    const { iterator } = await shardIterator(engine)
    const stored = ((await engine.call('GetRecords', { ShardIterator: iterator })) as Out).Records
    expect(stored.map((r: Out) => r.eventID)).toEqual(seen.map((e) => e.record.eventID))
    expect((await changes.next()).done).toBe(true)
  })
})
