import { QueryCommand, ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import type { FlowStep, ItemJson } from '../../shared/contract/channels/workbench'
import type { Model } from '../../shared/domain/model'
import { CRUDDUR_USERS, type CruddurUser } from '../../seeds/cruddur/data'
import { prng } from '../../seeds/generator'
import { WorkbenchError, toWorkbenchError } from './errors'
import { rowToJson, toRow } from './item-json'
import { sendMessage, type SendMessageResult as ServiceSendResult } from './message.service'
import { getPattern } from './pattern.builder'
import {
  getStreamArn,
  handleRecords,
  StreamReader,
  type RecordReport,
  type StreamRecordView,
} from './stream.service'

type Row = Record<string, unknown>

const json = (row: Row | undefined): ItemJson | undefined => (row ? rowToJson(row) : undefined)

export interface Participants {
  users: { uuid: string; handle: string; displayName: string }[]
  groups: {
    uuid: string
    ownerUuid: string
    otherHandle: string
    otherDisplayName: string
    lastMessage: string
    lastMessageAt: string
  }[]
}

/**
 * Users and conversations, read from the data: the GSI is sparse (only conversation rows carry message_group_uuid),
 * so scanning it reads exactly the conversation rows, and each row names the other participant.
 */
export async function participants(client: DynamoDBClient, model: Model): Promise<Participants> {
  const d = getPattern(model, 'D')
  const users = new Map<string, { uuid: string; handle: string; displayName: string }>()
  for (const u of CRUDDUR_USERS)
    users.set(u.uuid, { uuid: u.uuid, handle: u.handle, displayName: u.display_name })
  const groups: Participants['groups'] = []
  let start: Record<string, AttributeValue> | undefined
  try {
    do {
      const page = await client.send(
        new ScanCommand({ TableName: d.table, IndexName: d.index, ExclusiveStartKey: start }),
      )
      for (const raw of page.Items ?? []) {
        const row = toRow(raw)
        const owner = String(row.pk ?? '').replace(/^GRP#/, '')
        if (typeof row.user_uuid === 'string' && typeof row.user_handle === 'string') {
          users.set(row.user_uuid, {
            uuid: row.user_uuid,
            handle: row.user_handle,
            displayName: String(row.user_display_name ?? row.user_handle),
          })
        }
        groups.push({
          uuid: String(row.message_group_uuid),
          ownerUuid: owner,
          otherHandle: String(row.user_handle ?? ''),
          otherDisplayName: String(row.user_display_name ?? ''),
          lastMessage: String(row.message ?? ''),
          lastMessageAt: String(row.sk ?? ''),
        })
      }
      start = page.LastEvaluatedKey
    } while (start)
  } catch (err) {
    throw toWorkbenchError(err, { table: d.table, index: d.index })
  }
  groups.sort((a, b) => (a.lastMessageAt < b.lastMessageAt ? 1 : -1))
  return { users: [...users.values()].sort((a, b) => a.handle.localeCompare(b.handle)), groups }
}

function recordJson(r: StreamRecordView): Row {
  return {
    eventID: r.eventId,
    eventName: r.eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      SequenceNumber: r.sequenceNumber,
      ApproximateCreationDateTime: r.approximateCreationDateTime,
      Keys: json(r.keys),
      NewImage: json(r.newImage),
      OldImage: json(r.oldImage),
    },
  }
}

/** The handler's report as timeline steps. */
export function reportSteps(reports: RecordReport[]): FlowStep[] {
  const steps: FlowStep[] = []
  for (const report of reports) {
    for (const s of report.steps) {
      switch (s.kind) {
        case 'query':
          steps.push({
            kind: 'gsi-query',
            title: `Query ${String((s.request as Row).IndexName ?? (s.request as Row).TableName)}: ${s.items.length} item(s)`,
            request: s.request as Row,
            detail: s.items.map((i) => `${String(i.pk)} @ ${String(i.sk)}`).join('\n'),
          })
          break
        case 'delete':
          steps.push({
            kind: 'delete-row',
            title: `Delete ${String(s.before.pk)}`,
            request: s.request as Row,
            before: json(s.before),
          })
          break
        case 'put':
          steps.push({
            kind: 'put-row',
            title: `Put ${String(s.after.pk)}`,
            request: s.request as Row,
            after: json(s.after),
          })
          break
        case 'transact':
          for (const w of s.writes)
            steps.push(
              w.op === 'Put'
                ? {
                    kind: 'put-row',
                    title: `Put ${String(w.item.pk)} @ ${String(w.item.sk)} (in one transaction)`,
                    request: s.request as Row,
                    after: json(w.item),
                  }
                : {
                    kind: 'delete-row',
                    title: `${w.op} ${String(w.item.pk)} @ ${String(w.item.sk)} (in one transaction)`,
                    request: s.request as Row,
                    before: json(w.item),
                  },
            )
          break
        case 'read':
          steps.push({
            kind: 'gsi-query',
            title: `${s.op}: ${s.items.length} item(s)`,
            request: s.request as Row,
          })
          break
        case 'update':
          steps.push({
            kind: 'put-row',
            title: `Update ${String(s.key.pk)}`,
            request: s.request as Row,
            after: json(s.after),
          })
          break
        case 'write':
          steps.push({ kind: 'transaction', title: s.op, request: s.request as Row })
          break
        case 'log':
          steps.push({ kind: 'handler-log', title: `Handler ${s.level}`, detail: s.text })
          break
        case 'error':
          steps.push({
            kind: 'handler-log',
            title: 'Handler error',
            detail: s.stack ?? s.detail,
            request: s.request as Row | undefined,
          })
          break
        case 'skip':
          steps.push({ kind: 'skip', title: 'Skipped', detail: s.reason, before: json(s.item) })
          break
        case 'conflict':
          steps.push({
            kind: 'skip',
            title: 'Conflict: left as is',
            detail: s.detail,
            request: s.request as Row,
          })
          break
        case 'fallback':
          steps.push({ kind: 'skip', title: 'No transactions here', detail: s.detail })
          break
      }
    }
  }
  return steps
}

function toUsers(p: Participants): CruddurUser[] {
  return p.users.map((u) => ({ uuid: u.uuid, handle: u.handle, display_name: u.displayName }))
}

/** Pattern C, then D through the table's stream (or in-process when the endpoint has no streams). */
export async function sendWithTimeline(
  clients: { ddb: DynamoDBClient; streams?: DynamoDBStreamsClient },
  model: Model,
  input: { fromHandle: string; toHandle?: string; groupUuid?: string; text: string; createdAt?: string },
  onRecord?: (record: Row) => void,
): Promise<{ message: ItemJson; steps: FlowStep[]; recordsProcessed: number; mode: 'stream' | 'direct' }> {
  const users = toUsers(await participants(clients.ddb, model))
  // Decide the mode before writing anything: falling back after the put would send the message twice.
  let mode: 'stream' | 'direct' = 'direct'
  if (clients.streams) {
    try {
      await getStreamArn(clients.ddb, clients.streams, getPattern(model, 'C').table)
      mode = 'stream'
    } catch (err) {
      if (!(err instanceof WorkbenchError) || err.code !== 'stream.unavailable') throw err
    }
  }
  const result: ServiceSendResult = await sendMessage(clients, model, input, { users, process: mode })
  const steps: FlowStep[] = []
  let records = 0
  for (const s of result.steps) {
    if (s.kind === 'put') {
      steps.push({
        kind: 'put-message',
        title: `PutItem ${String(s.item.pk)} (pattern ${s.pattern})`,
        request: s.request as Row,
        after: json(s.item),
      })
    } else if (s.kind === 'start') {
      // Only a real TransactWriteItems is shown as a transaction; a batch fallback says what it is.
      if (s.transactional)
        steps.push({
          kind: 'transaction',
          title: 'New conversation',
          detail: s.detail,
          request: s.request as Row,
        })
      else
        steps.push({
          kind: 'put-row',
          title: 'New conversation: BatchWriteItem, not a transaction',
          detail: s.detail,
          request: s.request as Row,
        })
      for (const item of s.items)
        steps.push({ kind: 'put-row', title: `Put ${String(item.pk)}`, after: json(item) })
    } else if (s.kind === 'stream') {
      for (const r of s.records) {
        records++
        const rec = recordJson(r)
        onRecord?.(rec)
        steps.push({
          kind: 'stream-record',
          title: `Stream record ${r.eventName} ${String(r.keys.pk)}`,
          record: rec,
        })
      }
    }
  }
  if (mode === 'direct' && result.handlerReports.length) {
    for (const rep of result.handlerReports) {
      records++
      steps.push({
        kind: 'stream-record',
        title: `Handler applied in-process to ${String(rep.record.keys.pk)} (no stream here)`,
        record: recordJson(rep.record),
      })
    }
  }
  steps.push(...reportSteps(result.handlerReports))
  return { message: json(result.message)!, steps, recordsProcessed: records, mode }
}

/** Sends `count` random messages into existing conversations, then checks every conversation's last message. */
export async function sendRandom(
  clients: { ddb: DynamoDBClient; streams?: DynamoDBStreamsClient },
  model: Model,
  count: number,
  seed = Date.now(),
) {
  const started = Date.now()
  const p = await participants(clients.ddb, model)
  if (p.groups.length === 0)
    throw new WorkbenchError('input.invalid', 'No conversations yet: load the sample data first.')
  const random = prng(seed)
  const byUuid = new Map(p.users.map((u) => [u.uuid, u]))
  let recordsProcessed = 0
  for (let i = 0; i < count; i++) {
    const g = p.groups[Math.floor(random() * p.groups.length)]!
    const owner = byUuid.get(g.ownerUuid)
    const fromHandle = random() < 0.5 && owner ? owner.handle : g.otherHandle
    const r = await sendWithTimeline(clients, model, {
      fromHandle,
      groupUuid: g.uuid,
      text: `Random message #${i + 1} (${seed})`,
    })
    recordsProcessed += r.recordsProcessed
  }
  const check = await verifyConversations(clients.ddb, model)
  return {
    sent: count,
    recordsProcessed,
    conversationsChecked: check.checked,
    wrong: check.wrong,
    durationMs: Date.now() - started,
  }
}

/** Every conversation row's sk and message must equal the newest message of its conversation. */
export async function verifyConversations(client: DynamoDBClient, model: Model) {
  const a = getPattern(model, 'A')
  const p = await participants(client, model)
  const wrong: { pk: string; expected: string; actual: string }[] = []
  const newest = new Map<string, Row | undefined>()
  for (const g of p.groups) {
    if (!newest.has(g.uuid)) {
      const out = await client.send(
        new QueryCommand({
          TableName: a.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: `MSG#${g.uuid}` } },
          ScanIndexForward: false,
          Limit: 1,
        }),
      )
      newest.set(g.uuid, out.Items?.[0] ? toRow(out.Items[0]) : undefined)
    }
    const m = newest.get(g.uuid)
    if (!m) continue
    if (m.sk !== g.lastMessageAt || m.message !== g.lastMessage) {
      wrong.push({
        pk: `GRP#${g.ownerUuid}`,
        expected: `${String(m.sk)} ${String(m.message)}`,
        actual: `${g.lastMessageAt} ${g.lastMessage}`,
      })
    }
  }
  return { checked: p.groups.length, wrong }
}

/** Finds one record on the table's stream by sequence number and runs the model's handler on it again. */
export async function replayRecord(
  clients: { ddb: DynamoDBClient; streams: DynamoDBStreamsClient },
  model: Model,
  table: string,
  sequenceNumber: string,
): Promise<FlowStep[]> {
  const reader = new StreamReader(
    clients.streams,
    await getStreamArn(clients.ddb, clients.streams, table),
    'trim_horizon',
  )
  let found: StreamRecordView | undefined
  for (let round = 0; round < 1000 && !found; round++) {
    const batch = await reader.poll()
    if (batch.length === 0) break
    found = batch.find((r) => r.sequenceNumber === sequenceNumber)
  }
  if (!found) {
    throw new WorkbenchError(
      'stream.unavailable',
      `No record ${sequenceNumber} on the stream of ${table} (older than 24 h, or another stream).`,
    )
  }
  const reports = await handleRecords(clients.ddb, model, table, [found], { streamArn: reader.streamArn })
  return [
    {
      kind: 'stream-record',
      title: `Replayed ${found.eventName} ${String(found.keys.pk)}`,
      record: recordJson(found),
    },
    ...reportSteps(reports),
  ]
}
