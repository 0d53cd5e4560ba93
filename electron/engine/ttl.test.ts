import { describe, expect, test } from 'vitest'
import { EngineClock, parseDuration } from './clock'
import { createEngine } from '.'
import type { ChangeEvent } from './streams'
import { engineWithTable, errorOf, n, s } from './test-support'
import { TTL_CHANGE_INTERVAL_MS, TTL_MAX_AGE_SECONDS, TTL_TRANSITION_MS } from './ttl'

// Answers are walked loosely here; each expectation checks the shape it reads.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Out = Record<string, any>

const START = Date.UTC(2026, 0, 1)
const SEC = START / 1000
const key = (pk: string) => ({ pk: s(pk), sk: s('1') })
const enable = (AttributeName = 'exp', Enabled = true) => ({
  TableName: 'app',
  TimeToLiveSpecification: { Enabled, AttributeName },
})

async function frozenEngine() {
  const engine = await engineWithTable({ clock: { start: START, frozen: true }, ttlSweepIntervalMs: 0 })
  return engine
}

async function keys(engine: Awaited<ReturnType<typeof frozenEngine>>): Promise<string[]> {
  const out = (await engine.call('Scan', { TableName: 'app' })) as Out
  return (out.Items as Out[]).map((i) => i.pk.S as string).sort()
}

describe('the engine clock', () => {
  test('a frozen clock starts where told and moves only forward, by advance', () => {
    const clock = new EngineClock({ start: '2026-01-01T00:00:00Z', frozen: true })
    expect(clock.now()).toBe(START)
    expect(clock.advance(parseDuration('1h30m'))).toBe(START + 90 * 60_000)
    expect(() => clock.advance(-1)).toThrow(RangeError)
    expect(() => new EngineClock({ start: 'not a date' })).toThrow(RangeError)
  })

  test('a running clock keeps the wall clock pace from its start', () => {
    let wall = 1_000
    const clock = new EngineClock({ start: START }, () => wall)
    wall += 500
    expect(clock.now()).toBe(START + 500)
    clock.advance(1000)
    expect(clock.now()).toBe(START + 1500)
  })

  test('durations', () => {
    expect(parseDuration('90s')).toBe(90_000)
    expect(parseDuration('2d')).toBe(2 * 86_400_000)
    expect(parseDuration('250')).toBe(250)
    expect(() => parseDuration('1 hour')).toThrow(RangeError)
    expect(() => parseDuration('')).toThrow(RangeError)
  })

  test('stream record times follow the engine clock', async () => {
    const engine = await frozenEngine()
    engine.advanceClock(3_600_000)
    const events: ChangeEvent[] = []
    engine.subscribe((e) => events.push(e))
    await engine.call('PutItem', { TableName: 'app', Item: key('a') })
    expect(events[0]!.record.dynamodb.ApproximateCreationDateTime).toBe(SEC + 3600)
  })
})

describe('UpdateTimeToLive / DescribeTimeToLive', () => {
  test('enable, describe, refuse repeats and changes within the hour, disable after it', async () => {
    const engine = await frozenEngine()
    expect(await engine.call('UpdateTimeToLive', enable())).toEqual({
      TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' },
    })
    expect(await engine.call('DescribeTimeToLive', { TableName: 'app' })).toEqual({
      TimeToLiveDescription: { TimeToLiveStatus: 'ENABLING', AttributeName: 'exp' },
    })
    engine.advanceClock(TTL_TRANSITION_MS - 1)
    expect(await engine.call('DescribeTimeToLive', { TableName: 'app' })).toMatchObject({
      TimeToLiveDescription: { TimeToLiveStatus: 'ENABLING' },
    })
    engine.advanceClock(1)
    expect(await engine.call('DescribeTimeToLive', { TableName: 'app' })).toEqual({
      TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'exp' },
    })
    expect((await errorOf(engine.call('UpdateTimeToLive', enable()))).message).toBe(
      'TimeToLive is already enabled',
    )
    expect((await errorOf(engine.call('UpdateTimeToLive', enable('other')))).message).toBe(
      'TimeToLive is active on a different AttributeName',
    )
    expect((await errorOf(engine.call('UpdateTimeToLive', enable('exp', false)))).message).toBe(
      'Time to live has been modified multiple times within a fixed interval',
    )
    engine.advanceClock(TTL_CHANGE_INTERVAL_MS)
    expect(await engine.call('UpdateTimeToLive', enable('exp', false))).toEqual({
      TimeToLiveSpecification: { Enabled: false, AttributeName: 'exp' },
    })
    expect(await engine.call('DescribeTimeToLive', { TableName: 'app' })).toEqual({
      TimeToLiveDescription: { TimeToLiveStatus: 'DISABLING', AttributeName: 'exp' },
    })
    expect((await errorOf(engine.call('UpdateTimeToLive', enable('exp', false)))).message).toBe(
      'TimeToLive is already disabled',
    )
    engine.advanceClock(TTL_TRANSITION_MS)
    expect(await engine.call('DescribeTimeToLive', { TableName: 'app' })).toEqual({
      TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' },
    })
  })

  test('the transition lasts ttlTransitionMs of engine time; 0 reports the new status at once', async () => {
    const status = async (engine: Awaited<ReturnType<typeof frozenEngine>>) =>
      ((await engine.call('DescribeTimeToLive', { TableName: 'app' })) as Out).TimeToLiveDescription
        .TimeToLiveStatus as string
    const slow = await engineWithTable({ clock: { start: START, frozen: true }, ttlTransitionMs: 60_000 })
    await slow.call('UpdateTimeToLive', enable())
    slow.advanceClock(59_999)
    expect(await status(slow)).toBe('ENABLING')
    slow.advanceClock(1)
    expect(await status(slow)).toBe('ENABLED')
    const quick = await engineWithTable({ clock: { start: START, frozen: true }, ttlTransitionMs: 0 })
    await quick.call('UpdateTimeToLive', enable())
    expect(await status(quick)).toBe('ENABLED')
  })

  test('validation as the API reference requires the members', async () => {
    const engine = await frozenEngine()
    expect((await errorOf(engine.call('UpdateTimeToLive', { TableName: 'app' }))).message).toBe(
      "1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null",
    )
    expect(
      (
        await errorOf(
          engine.call('UpdateTimeToLive', { TableName: 'app', TimeToLiveSpecification: { Enabled: true } }),
        )
      ).message,
    ).toBe(
      "1 validation error detected: Value null at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must not be null",
    )
    expect((await errorOf(engine.call('UpdateTimeToLive', enable('')))).message).toContain(
      'Member must have length greater than or equal to 1',
    )
    const missing = await errorOf(engine.call('UpdateTimeToLive', { ...enable(), TableName: 'nope' }))
    expect([missing.type, missing.message]).toEqual([
      'ResourceNotFoundException',
      'Requested resource not found: Table: nope not found',
    ])
  })
})

describe('the TTL sweeper', () => {
  test('deletes items whose Number attribute is past, ignores others, and writes service REMOVE records', async () => {
    const engine = await frozenEngine()
    await engine.call('UpdateTimeToLive', enable())
    const items = [
      { ...key('past'), exp: n(SEC - 1), gsi1pk: s('g'), gsi1sk: s('1') },
      { ...key('future'), exp: n(SEC + 60) },
      { ...key('string'), exp: s(String(SEC - 10)) },
      { ...key('nested'), m: { M: { exp: n(SEC - 10) } } },
      { ...key('absent') },
      { ...key('ancient'), exp: n(SEC - TTL_MAX_AGE_SECONDS - 1) },
      { ...key('fraction'), exp: n(SEC - 0.5) },
    ]
    for (const Item of items) await engine.call('PutItem', { TableName: 'app', Item })
    const events: ChangeEvent[] = []
    engine.subscribe((e) => events.push(e))
    expect(engine.sweepExpiredItems()).toBe(2)
    expect(await keys(engine)).toEqual(['absent', 'ancient', 'future', 'nested', 'string'])
    // The index entry went with the item.
    expect(
      (
        (await engine.call('Query', {
          TableName: 'app',
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :g',
          ExpressionAttributeValues: { ':g': s('g') },
        })) as Out
      ).Count,
    ).toBe(0)
    expect(events.map((e) => [e.record.eventName, e.record.userIdentity])).toEqual([
      ['REMOVE', { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' }],
      ['REMOVE', { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' }],
    ])
    expect(events[0]!.record.dynamodb.OldImage).toEqual(items[0])
    // Advancing the clock sweeps at once.
    expect(engine.advanceClock(61_000)).toEqual({ now: START + 61_000, expired: 1 })
    expect(await keys(engine)).toEqual(['absent', 'ancient', 'nested', 'string'])
  })

  test('the same records reach the table stream through GetRecords; a user delete has no userIdentity', async () => {
    const engine = await frozenEngine()
    await engine.call('UpdateTimeToLive', enable())
    await engine.call('PutItem', { TableName: 'app', Item: { ...key('a'), exp: n(SEC + 1) } })
    await engine.call('PutItem', { TableName: 'app', Item: key('b') })
    await engine.call('DeleteItem', { TableName: 'app', Key: key('b') })
    engine.advanceClock(2000)
    const arn = ((await engine.call('DescribeTable', { TableName: 'app' })) as Out).Table
      .LatestStreamArn as string
    const shard = ((await engine.call('DescribeStream', { StreamArn: arn })) as Out).StreamDescription
      .Shards[0].ShardId
    const it = (
      (await engine.call('GetShardIterator', {
        StreamArn: arn,
        ShardId: shard,
        ShardIteratorType: 'TRIM_HORIZON',
      })) as Out
    ).ShardIterator
    const records = ((await engine.call('GetRecords', { ShardIterator: it })) as Out).Records as Out[]
    expect(records.map((r) => [r.eventName, r.dynamodb.Keys.pk.S, r.userIdentity])).toEqual([
      ['INSERT', 'a', undefined],
      ['INSERT', 'b', undefined],
      ['REMOVE', 'b', undefined],
      ['REMOVE', 'a', { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' }],
    ])
  })

  test('tables without TTL keep their items; disabling TTL stops expiry', async () => {
    const engine = await frozenEngine()
    await engine.call('PutItem', { TableName: 'app', Item: { ...key('a'), exp: n(SEC - 1) } })
    expect(engine.sweepExpiredItems()).toBe(0)
    await engine.call('UpdateTimeToLive', enable())
    engine.advanceClock(TTL_CHANGE_INTERVAL_MS)
    expect(await keys(engine)).toEqual([])
    await engine.call('UpdateTimeToLive', enable('exp', false))
    await engine.call('PutItem', { TableName: 'app', Item: { ...key('b'), exp: n(SEC) } })
    expect(engine.advanceClock(60_000).expired).toBe(0)
    expect(await keys(engine)).toEqual(['b'])
  })

  test('the background sweeper expires items within its period on a running clock', async () => {
    const engine = createEngine({ ttlSweepIntervalMs: 20 })
    await engine.call('CreateTable', {
      TableName: 'bgt',
      AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    })
    await engine.call('UpdateTimeToLive', {
      TableName: 'bgt',
      TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' },
    })
    const removed = new Promise<ChangeEvent>((resolve) =>
      engine.subscribe((e) => e.record.eventName === 'REMOVE' && resolve(e)),
    )
    await engine.call('PutItem', {
      TableName: 'bgt',
      Item: { k: s('x'), exp: n(Math.floor(engine.clock.now() / 1000) - 1) },
    })
    expect((await removed).record.userIdentity).toEqual({
      PrincipalId: 'dynamodb.amazonaws.com',
      Type: 'Service',
    })
    expect(((await engine.call('Scan', { TableName: 'bgt' })) as Out).Count).toBe(0)
    engine.reset()
  })
})
