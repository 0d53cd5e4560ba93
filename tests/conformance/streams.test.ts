/**
 * DynamoDB Streams, ours vs DynamoDB Local 3.3.1: ListStreams, DescribeStream, every GetShardIterator type and
 * GetRecords with each view type (INSERT / MODIFY / REMOVE, no record for a write that changes nothing).
 * Stream ARNs, shard ids and iterators differ by nature, so each side's requests use its own.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { inject } from 'vitest'
import { Harness, N, S, keyTable, type Json, type Pair, type SideName } from './harness'

let h: Harness

beforeAll(async () => {
  h = await Harness.start(inject('ddbLocalEndpoint'), 'str')
})

afterAll(async () => {
  await h?.close()
})

const pick = (pair: Pair, side: SideName): Json => pair[side].body
const streamArnOf = (created: Pair) => (side: SideName) =>
  (pick(created, side).TableDescription as Json).LatestStreamArn as string

async function writeHistory(name: string): Promise<void> {
  await h.same('PutItem', { TableName: name, Item: { h: S('a'), r: N(1), v: S('one') } }, 'insert')
  await h.same(
    'PutItem',
    { TableName: name, Item: { h: S('a'), r: N(1), v: S('one') } },
    'put of an identical item',
  )
  await h.same(
    'UpdateItem',
    {
      TableName: name,
      Key: { h: S('a'), r: N(1) },
      UpdateExpression: 'SET v = :v, w = :w',
      ExpressionAttributeValues: { ':v': S('two'), ':w': N(2) },
    },
    'modify',
  )
  await h.same(
    'UpdateItem',
    {
      TableName: name,
      Key: { h: S('a'), r: N(1) },
      UpdateExpression: 'SET v = :v',
      ExpressionAttributeValues: { ':v': S('two') },
    },
    'update changing nothing',
  )
  await h.same(
    'PutItem',
    { TableName: name, Item: { h: S('b'), r: N(2), list: { L: [S('x')] }, set: { SS: ['p', 'q'] } } },
    'second insert',
  )
  await h.same('DeleteItem', { TableName: name, Key: { h: S('a'), r: N(1) } }, 'remove')
  await h.same('DeleteItem', { TableName: name, Key: { h: S('zz'), r: N(9) } }, 'delete of a missing item')
  await h.same(
    'BatchWriteItem',
    {
      RequestItems: {
        [name]: [
          { PutRequest: { Item: { h: S('c'), r: N(3) } } },
          { DeleteRequest: { Key: { h: S('b'), r: N(2) } } },
        ],
      },
    },
    'batch',
  )
}

async function shardOf(streamArn: (side: SideName) => string): Promise<(side: SideName) => string> {
  const described = await h.same('DescribeStream', (side) => ({ StreamArn: streamArn(side) }))
  return (side) =>
    (((pick(described, side).StreamDescription as Json).Shards as Json[])[0] as Json).ShardId as string
}

describe('streams', () => {
  test.each(['NEW_AND_OLD_IMAGES', 'NEW_IMAGE', 'OLD_IMAGE', 'KEYS_ONLY'])(
    'records with view type %s',
    async (view) => {
      const name = h.name(`v_${view.toLowerCase()}`)
      const created = await h.same(
        'CreateTable',
        keyTable(name, 'S', 'N', { StreamSpecification: { StreamEnabled: true, StreamViewType: view } }),
      )
      const arn = streamArnOf(created)
      await writeHistory(name)
      const shard = await shardOf(arn)
      const it = await h.same('GetShardIterator', (side) => ({
        StreamArn: arn(side),
        ShardId: shard(side),
        ShardIteratorType: 'TRIM_HORIZON',
      }))
      const records = await h.same(
        'GetRecords',
        (side) => ({ ShardIterator: pick(it, side).ShardIterator }),
        `GetRecords ${view}`,
      )
      const names = (pick(records, 'ours').Records as Json[]).map((r) => r.eventName)
      expect(names).toEqual(['INSERT', 'MODIFY', 'INSERT', 'REMOVE', 'INSERT', 'REMOVE'])
    },
  )

  test('ListStreams, DescribeStream, iterator types, Limit and paging through NextShardIterator', async () => {
    const name = h.name('iter')
    const created = await h.same(
      'CreateTable',
      keyTable(name, 'S', 'N', {
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    )
    const arn = streamArnOf(created)
    await h.same('ListStreams', { TableName: name })
    await h.same('ListStreams', { TableName: h.name('nostream') }, 'ListStreams for a missing table')
    await h.same('DescribeStream', (side) => ({ StreamArn: arn(side) }), 'DescribeStream of an empty stream')
    await writeHistory(name)
    const shard = await shardOf(arn)
    const iterator = async (type: string, seq?: (side: SideName) => string) =>
      h.same(
        'GetShardIterator',
        (side) => ({
          StreamArn: arn(side),
          ShardId: shard(side),
          ShardIteratorType: type,
          ...(seq ? { SequenceNumber: seq(side) } : {}),
        }),
        `GetShardIterator ${type}`,
      )

    const trim = await iterator('TRIM_HORIZON')
    const first = await h.same(
      'GetRecords',
      (side) => ({ ShardIterator: pick(trim, side).ShardIterator, Limit: 2 }),
      'GetRecords Limit 2',
    )
    const second = await h.same(
      'GetRecords',
      (side) => ({ ShardIterator: pick(first, side).NextShardIterator, Limit: 2 }),
      'GetRecords next page',
    )
    const seqOf = (pair: Pair, i: number) => (side: SideName) =>
      (((pick(pair, side).Records as Json[])[i] as Json).dynamodb as Json).SequenceNumber as string
    const at = await iterator('AT_SEQUENCE_NUMBER', seqOf(second, 0))
    await h.same(
      'GetRecords',
      (side) => ({ ShardIterator: pick(at, side).ShardIterator, Limit: 1 }),
      'GetRecords AT_SEQUENCE_NUMBER',
    )
    const after = await iterator('AFTER_SEQUENCE_NUMBER', seqOf(second, 0))
    await h.same(
      'GetRecords',
      (side) => ({ ShardIterator: pick(after, side).ShardIterator, Limit: 1 }),
      'GetRecords AFTER_SEQUENCE_NUMBER',
    )
    const latest = await iterator('LATEST')
    const empty = await h.same(
      'GetRecords',
      (side) => ({ ShardIterator: pick(latest, side).ShardIterator }),
      'GetRecords LATEST before a write',
    )
    await h.same('PutItem', { TableName: name, Item: { h: S('late'), r: N(7) } }, 'write after LATEST')
    await h.same(
      'GetRecords',
      (side) => ({ ShardIterator: pick(empty, side).NextShardIterator }),
      'GetRecords LATEST after a write',
    )

    await h.same(
      'GetShardIterator',
      (side) => ({ StreamArn: arn(side), ShardId: shard(side), ShardIteratorType: 'AT_SEQUENCE_NUMBER' }),
      'AT_SEQUENCE_NUMBER without a number',
    )
    await h.same(
      'GetShardIterator',
      (side) => ({ StreamArn: arn(side), ShardId: shard(side), ShardIteratorType: 'SIDEWAYS' }),
      'unknown iterator type',
    )
    await h.same(
      'GetShardIterator',
      (side) => ({
        StreamArn: arn(side),
        ShardId: 'shardId-00000000000000000000-00000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
      'unknown shard',
    )
    await h.same('GetRecords', { ShardIterator: 'not-an-iterator' }, 'GetRecords with a bad iterator')
    await h.same(
      'GetRecords',
      (side) => ({ ShardIterator: pick(trim, side).ShardIterator, Limit: 0 }),
      'GetRecords Limit 0',
    )
  })

  test('disabling a stream: DescribeStream says DISABLED and records stay readable', async () => {
    const name = h.name('off')
    const created = await h.same(
      'CreateTable',
      keyTable(name, 'S', 'N', { StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }),
    )
    const arn = streamArnOf(created)
    await h.same('PutItem', { TableName: name, Item: { h: S('a'), r: N(1) } })
    await h.same('UpdateTable', { TableName: name, StreamSpecification: { StreamEnabled: false } })
    await h.same('DescribeStream', (side) => ({ StreamArn: arn(side) }), 'DescribeStream after disabling')
    await h.same('ListStreams', { TableName: name }, 'ListStreams after disabling')
    const shard = await shardOf(arn)
    const it = await h.same('GetShardIterator', (side) => ({
      StreamArn: arn(side),
      ShardId: shard(side),
      ShardIteratorType: 'TRIM_HORIZON',
    }))
    await h.same(
      'GetRecords',
      (side) => ({ ShardIterator: pick(it, side).ShardIterator }),
      'GetRecords of a disabled stream',
    )
  })
})
