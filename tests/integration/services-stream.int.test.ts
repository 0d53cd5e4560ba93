import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb'
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { unmarshall } from '@aws-sdk/util-dynamodb'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { TARGETS, localClientConfig } from '../support/targets'
import { renameModelTable, type Model } from '../../shared/domain/model'
import { addMilliseconds } from '../../shared/domain/timestamp'
import {
  CRUDDUR_MODEL_FILE,
  CRUDDUR_TABLE,
  GROUP_ANDREW_BAYKO,
  GROUP_ANDREW_LONDO,
} from '../../seeds/cruddur'
import { loadModelFile, loadSampleItems } from '../../electron/services/model.service'
import { dropTable, schemaLoad } from '../../electron/services/schema.service'
import { seedModel } from '../../electron/services/seed.service'
import {
  applyHandlerDirect,
  processStream,
  streamCheckpointAtEnd,
  type RecordReport,
} from '../../electron/services/stream.service'
import { sendMessage } from './send-message'

type Row = Record<string, unknown>

describe.each(TARGETS)('messages and the pattern-D stream handler on $name', ({ start }) => {
  let endpoint: string
  let stop: () => Promise<void> = async () => {}
  const table = `svc-stream-${process.pid}`
  const config = () => localClientConfig(endpoint)
  let ddb: DynamoDBClient
  let streams: DynamoDBStreamsClient
  let model: Model

  const allRows = async (): Promise<Row[]> => {
    const out: Row[] = []
    let startKey: Record<string, AttributeValue> | undefined
    do {
      const page = await ddb.send(
        new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: startKey }),
      )
      out.push(...(page.Items ?? []).map((i) => unmarshall(i)))
      startKey = page.LastEvaluatedKey
    } while (startKey)
    return out
  }

  /** The invariant pattern D keeps: each conversation row sits at its conversation's newest message. */
  const expectConversationsAtNewest = async () => {
    const rows = await allRows()
    const conversations = rows.filter((r) => r.message_group_uuid !== undefined)
    expect(conversations.length).toBeGreaterThan(0)
    for (const c of conversations) {
      const messages = rows
        .filter((r) => r.pk === `MSG#${String(c.message_group_uuid)}`)
        .sort((a, b) => (String(a.sk) < String(b.sk) ? -1 : 1))
      const newest = messages[messages.length - 1]!
      expect({ sk: c.sk, message: c.message }).toEqual({ sk: newest.sk, message: newest.message })
    }
    // exactly two rows per conversation, never a duplicate left behind by a move
    const perGroup = new Map<unknown, number>()
    for (const c of conversations)
      perGroup.set(c.message_group_uuid, (perGroup.get(c.message_group_uuid) ?? 0) + 1)
    expect([...perGroup.values()].every((n) => n === 2)).toBe(true)
    return rows
  }

  const newestOf = (rows: Row[], group: string) =>
    rows.filter((r) => r.pk === `MSG#${group}`).reduce((a, r) => (String(r.sk) > a ? String(r.sk) : a), '')

  const kinds = (reports: RecordReport[]) => reports.flatMap((r) => r.steps.map((s) => s.kind))
  /**
   * A record's steps with each completed move as `move`: one TransactWriteItems, or a put followed by its
   * delete on endpoints without transactions (the handler notes that fallback once per client).
   */
  const summary = (r: RecordReport) =>
    r.steps
      .filter((s) => s.kind !== 'fallback')
      .map((s) => (s.kind === 'transact' ? 'move' : s.kind))
      .join(',')
      .replaceAll('put,delete', 'move')

  beforeAll(async () => {
    ;({ endpoint, stop } = await start())
    ddb = new DynamoDBClient(config())
    streams = new DynamoDBStreamsClient(config())
    const base = await loadModelFile(CRUDDUR_MODEL_FILE)
    model = renameModelTable(base, CRUDDUR_TABLE, table)
    await schemaLoad(ddb, model)
    const sample = (await loadSampleItems(base, CRUDDUR_MODEL_FILE))[CRUDDUR_TABLE]!
    await seedModel(ddb, model, { items: { [table]: sample } })
  })
  afterAll(async () => {
    await dropTable(ddb, table)
    ddb.destroy()
    streams.destroy()
    await stop()
  })

  test('the seed already satisfies the invariant', async () => {
    await expectConversationsAtNewest()
  })

  test('a batch of several new messages: every record is processed, the conversation ends at the newest', async () => {
    const checkpoint = await streamCheckpointAtEnd({ ddb, streams }, table)
    const before = await allRows()
    const base = newestOf(before, GROUP_ANDREW_BAYKO)
    const texts = ['first of three', 'second of three', 'third of three']
    for (const [i, text] of texts.entries())
      await sendMessage(
        { ddb },
        model,
        {
          fromHandle: 'bayko',
          groupUuid: GROUP_ANDREW_BAYKO,
          text,
          createdAt: addMilliseconds(base, (i + 1) * 1000),
        },
        { process: 'none' },
      )
    // the handler has not run yet: the conversation still shows the old last message
    const stale = (await allRows()).filter((r) => r.message_group_uuid === GROUP_ANDREW_BAYKO)
    expect(stale.every((r) => r.sk === base)).toBe(true)

    const batches: number[] = []
    const out = await processStream({ ddb, streams }, model, table, {
      from: checkpoint,
      onBatch: (b) => batches.push(b.records.length),
    })
    const inserts = out.reports.filter(
      (r) => r.record.eventName === 'INSERT' && String(r.record.keys.pk).startsWith('MSG#'),
    )
    expect(inserts.map((r) => r.record.newImage?.message)).toEqual(texts)
    expect(batches.some((n) => n >= 3)).toBe(true)
    // each of the three messages queried the GSI and moved both rows
    for (const r of inserts) expect(summary(r)).toBe('query,move,move')
    const rows = await expectConversationsAtNewest()
    expect(rows.filter((r) => r.message_group_uuid === GROUP_ANDREW_BAYKO).map((r) => r.message)).toEqual([
      'third of three',
      'third of three',
    ])
  })

  test('a late, out-of-order message does not move the conversation back', async () => {
    const checkpoint = await streamCheckpointAtEnd({ ddb, streams }, table)
    const before = (await allRows()).filter((r) => r.message_group_uuid === GROUP_ANDREW_BAYKO)
    const lateAt = addMilliseconds(String(before[0]!.sk), -30 * 60_000)
    await sendMessage(
      { ddb },
      model,
      {
        fromHandle: 'andrewbrown',
        groupUuid: GROUP_ANDREW_BAYKO,
        text: 'sent offline, delivered late',
        createdAt: lateAt,
      },
      { process: 'none' },
    )
    const out = await processStream({ ddb, streams }, model, table, { from: checkpoint })
    const late = out.reports.find((r) => r.record.newImage?.message === 'sent offline, delivered late')!
    expect(late.steps.map((s) => s.kind)).toEqual(['query', 'skip', 'skip'])
    const after = (await allRows()).filter((r) => r.message_group_uuid === GROUP_ANDREW_BAYKO)
    expect(after).toEqual(expect.arrayContaining(before))
    expect(after).toHaveLength(2)
    await expectConversationsAtNewest()
  })

  test('without transactions the handler puts the new row first, then deletes the old one conditionally', async () => {
    const out = await sendMessage(
      { ddb },
      model,
      { fromHandle: 'londo', groupUuid: GROUP_ANDREW_LONDO, text: 'Ah, Mr Brown. We meet again.' },
      { process: 'direct', transactions: 'off' },
    )
    expect(kinds(out.handlerReports)).toEqual(['query', 'put', 'delete', 'put', 'delete'])
    const del = out.handlerReports[0]!.steps.find((s) => s.kind === 'delete')!
    expect(del).toMatchObject({ request: { ConditionExpression: '#sk = :old' } })
    const rows = await expectConversationsAtNewest()
    expect(
      rows.filter((r) => r.message_group_uuid === GROUP_ANDREW_LONDO).every((r) => r.sk === out.message.sk),
    ).toBe(true)
  })

  test('replaying an already-applied record changes nothing', async () => {
    const rows = (await allRows()).filter((r) => r.message_group_uuid === GROUP_ANDREW_LONDO)
    const newest = (await allRows()).find(
      (r) => r.pk === `MSG#${GROUP_ANDREW_LONDO}` && r.sk === rows[0]!.sk,
    )!
    const out = await processStream({ ddb, streams }, model, table, {
      from: await streamCheckpointAtEnd({ ddb, streams }, table),
    })
    expect(out.records).toEqual([])
    const again = await applyHandlerDirect(ddb, model, table, [newest])
    expect(kinds(again)).toEqual(['query', 'skip', 'skip'])
  })

  test('a message to someone new starts a conversation: two rows and the message, together', async () => {
    const out = await sendMessage(
      { ddb },
      model,
      { fromHandle: 'londo', toHandle: 'bayko', text: 'Who are you, and what do you want?' },
      { process: 'direct' },
    )
    expect(out.startedConversation).toBe(true)
    expect(out.steps.map((s) => s.kind)).toEqual(['lookup', 'start'])
    // Both targets have transactions (probed per connection): the three rows went in one TransactWriteItems.
    expect(out.steps[1]).toMatchObject({
      kind: 'start',
      transactional: true,
      detail: expect.stringMatching(/^TransactWriteItems/),
    })
    const rows = await expectConversationsAtNewest()
    const conv = rows.filter((r) => r.message_group_uuid === out.groupUuid)
    expect(conv.map((r) => r.user_handle).sort()).toEqual(['bayko', 'londo'])
    // a second message between the same two reuses the conversation
    const again = await sendMessage(
      { ddb },
      model,
      { fromHandle: 'bayko', toHandle: 'londo', text: 'A question for another day.' },
      { process: 'direct' },
    )
    expect(again).toMatchObject({ startedConversation: false, groupUuid: out.groupUuid })
    await expectConversationsAtNewest()
  })

  test('stream mode: send, read the message back from the stream, apply pattern D', async () => {
    const out = await sendMessage(
      { ddb, streams },
      model,
      { fromHandle: 'andrewbrown', toHandle: 'bayko', text: 'Handler passes. Ship it?' },
      { process: 'stream' },
    )
    const streamStep = out.steps.find((s) => s.kind === 'stream')
    expect(
      streamStep &&
        streamStep.kind === 'stream' &&
        streamStep.records.some((r) => r.newImage?.message === 'Handler passes. Ship it?'),
    ).toBe(true)
    const mine = out.handlerReports.find((r) => r.record.newImage?.message === 'Handler passes. Ship it?')!
    expect(summary(mine)).toBe('query,move,move')
    const rows = await expectConversationsAtNewest()
    expect(rows.filter((r) => r.message_group_uuid === GROUP_ANDREW_BAYKO).map((r) => r.message)).toEqual([
      'Handler passes. Ship it?',
      'Handler passes. Ship it?',
    ])
  })

  test.each(['auto', 'off'] as const)(
    'concurrent handlers (transactions %s) never leave a conversation behind or doubled',
    async (transactions) => {
      const rows = await allRows()
      const base = newestOf(rows, GROUP_ANDREW_LONDO)
      // Four messages written first, then their handlers all run at once, in reverse order of time.
      const messages = [1, 2, 3, 4].map((i) => ({
        pk: `MSG#${GROUP_ANDREW_LONDO}`,
        sk: addMilliseconds(base, i * 1000),
        message_uuid: `00000000-0000-4000-8000-00000000000${i}`,
        message: `concurrent ${transactions} ${i}`,
        user_uuid: 'e5f7a9b1-3c5d-4f6e-8a7b-9c0d1e2f3a03',
        user_display_name: 'Londo Mollari',
        user_handle: 'londo',
      }))
      await seedModel(ddb, model, { items: { [table]: messages } })
      const reports = await Promise.all(
        [...messages].reverse().map((m) => applyHandlerDirect(ddb, model, table, [m], { transactions })),
      )
      const after = await expectConversationsAtNewest()
      expect(after.filter((r) => r.message_group_uuid === GROUP_ANDREW_LONDO).map((r) => r.message)).toEqual([
        `concurrent ${transactions} 4`,
        `concurrent ${transactions} 4`,
      ])
      expect(reports.flat()).toHaveLength(4)
    },
  )

  test('follow mode stops when its signal aborts', async () => {
    const controller = new AbortController()
    const checkpoint = await streamCheckpointAtEnd({ ddb, streams }, table)
    const seen: string[] = []
    const following = processStream({ ddb, streams }, model, table, {
      from: checkpoint,
      follow: true,
      signal: controller.signal,
      pollIntervalMs: 100,
      onBatch: (b) => {
        for (const r of b.records) if (r.newImage?.message) seen.push(String(r.newImage.message))
        if (seen.includes('while following')) controller.abort()
      },
    })
    await sendMessage(
      { ddb },
      model,
      { fromHandle: 'bayko', groupUuid: GROUP_ANDREW_BAYKO, text: 'while following' },
      { process: 'none' },
    )
    const out = await following
    expect(seen).toContain('while following')
    expect(controller.signal.aborted).toBe(true)
    expect(Object.keys(out.checkpoint.shards).length).toBeGreaterThan(0)
    await expectConversationsAtNewest()
  })
})
