import {
  QueryCommand,
  TransactWriteItemsCommand,
  type DynamoDBClient,
  type QueryCommandInput,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb'
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { randomUUID } from 'node:crypto'
import type { Model } from '../../shared/domain/model'
import { nowTimestamp } from '../../shared/domain/timestamp'
import { conversationRow, CRUDDUR_USERS, messageRow, type CruddurUser } from '../../seeds/cruddur/data'
import { toWorkbenchError, WorkbenchError } from './errors'
import { fromRow, toRow } from './item-json'
import { buildPatternRequest, getPattern, resolveParams } from './pattern.builder'
import { runPattern } from './pattern.service'
import { supportsTransactions } from './capabilities'
import { buildBatchWrites, runBatchWrite } from './seed.service'
import {
  applyHandlerDirect,
  getStreamArn,
  handleRecords,
  pollUntilRecord,
  StreamReader,
  type HandlerContext,
  type RecordReport,
  type StreamRecordView,
} from './stream.service'

type Row = Record<string, unknown>

export interface SendMessageInput {
  fromHandle: string
  /** Either the other participant (an existing conversation is reused, else one is started) … */
  toHandle?: string
  /** … or an existing conversation. */
  groupUuid?: string
  text: string
  /** Defaults to now; an older value simulates a late, out-of-order message. */
  createdAt?: string
  messageUuid?: string
}

export interface SendMessageOptions {
  users?: readonly CruddurUser[]
  /** How pattern D runs after the put: through the table's stream, in-process (direct), or not at all. */
  process?: 'stream' | 'direct' | 'none'
  transactions?: HandlerContext['transactions']
  /** Stream mode: how many polls to wait for the message's own record before giving up. */
  maxPolls?: number
}

export type SendStep =
  | { kind: 'lookup'; detail: string; request?: unknown; items?: Row[] }
  | { kind: 'put'; pattern: string; request: unknown; item: Row }
  | { kind: 'start'; detail: string; request: unknown; items: Row[]; transactional: boolean }
  | { kind: 'stream'; records: StreamRecordView[] }

export interface SendMessageResult {
  groupUuid: string
  startedConversation: boolean
  message: Row
  steps: SendStep[]
  /** Pattern D, per record. */
  handlerReports: RecordReport[]
}

const tableOf = (model: Model) => getPattern(model, 'C').table

function findUser(users: readonly CruddurUser[], handle: string): CruddurUser {
  const h = handle.replace(/^@/, '')
  const u = users.find((x) => x.handle === h)
  if (!u) throw new WorkbenchError('input.invalid', `no user @${h}`, { handle: h })
  return u
}

async function queryAll(client: DynamoDBClient, input: QueryCommandInput): Promise<Row[]> {
  const rows: Row[] = []
  let start = input.ExclusiveStartKey
  do {
    const out = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: start }))
    rows.push(...(out.Items ?? []).map((i) => toRow(i)))
    start = out.LastEvaluatedKey
  } while (start)
  return rows
}

/**
 * Writes a new conversation: both conversation rows and the first message together, in one
 * TransactWriteItems when the connection has transactions (probed once per connection), else a BatchWriteItem
 * whose UnprocessedItems are retried (then `transactional` is false: the rows are not written as one unit).
 */
export async function startConversation(
  client: DynamoDBClient,
  model: Model,
  from: CruddurUser,
  to: CruddurUser,
  message: Row,
  transactions: HandlerContext['transactions'] = 'auto',
): Promise<SendStep> {
  const table = tableOf(model)
  const groupUuid = String(message.pk).replace(/^MSG#/, '')
  const rows = [
    conversationRow(groupUuid, from, to, String(message.sk), String(message.message)),
    conversationRow(groupUuid, to, from, String(message.sk), String(message.message)),
    message,
  ]
  if (transactions === 'on' || (transactions === 'auto' && (await supportsTransactions(client)))) {
    const request: TransactWriteItemsCommandInput = {
      TransactItems: rows.map((r) => ({
        Put: {
          TableName: table,
          Item: fromRow(r),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      })),
    }
    try {
      await client.send(new TransactWriteItemsCommand(request))
    } catch (err) {
      throw toWorkbenchError(err, { table })
    }
    return {
      kind: 'start',
      detail: 'TransactWriteItems: two conversation rows and the first message',
      request,
      items: rows,
      transactional: true,
    }
  }
  const [request] = buildBatchWrites(table, ['pk', 'sk'], rows)
  await runBatchWrite(client, request!)
  return {
    kind: 'start',
    detail: 'BatchWriteItem (this connection has no transactions), unprocessed items retried',
    request,
    items: rows,
    transactional: false,
  }
}

/**
 * Sends a message as Cruddur does: pattern C (one PutItem of a message row), then pattern D through the
 * stream, in-process, or not at all. With `toHandle` and no conversation between the two yet, it starts one.
 */
export async function sendMessage(
  clients: { ddb: DynamoDBClient; streams?: DynamoDBStreamsClient },
  model: Model,
  input: SendMessageInput,
  options: SendMessageOptions = {},
): Promise<SendMessageResult> {
  const users = options.users ?? CRUDDUR_USERS
  const client = clients.ddb
  const table = tableOf(model)
  const from = findUser(users, input.fromHandle)
  const steps: SendStep[] = []
  const text = input.text
  if (!text.trim()) throw new WorkbenchError('input.invalid', 'a message needs some text')
  const createdAt = input.createdAt ?? nowTimestamp()
  const messageUuid = input.messageUuid ?? randomUUID()

  let groupUuid = input.groupUuid
  let other: CruddurUser | undefined
  if (!groupUuid) {
    if (!input.toHandle) throw new WorkbenchError('input.invalid', 'give toHandle or groupUuid')
    other = findUser(users, input.toHandle)
    if (other.uuid === from.uuid)
      throw new WorkbenchError('input.invalid', 'a conversation needs two different users')
    // Pattern B over all pages: is there already a conversation with this person?
    const b = buildPatternRequest(model, 'B', resolveParams(getPattern(model, 'B'), { user_uuid: from.uuid }))
    const q = { ...(b.input as QueryCommandInput) }
    delete q.Limit
    const rows = await queryAll(client, q)
    steps.push({ kind: 'lookup', detail: `conversations of @${from.handle}`, request: q, items: rows })
    groupUuid = rows.find((r) => r.user_uuid === other!.uuid)?.message_group_uuid as string | undefined
  } else {
    const d = buildPatternRequest(model, 'D', { message_group_uuid: groupUuid })
    const q = { ...(d.input as QueryCommandInput) }
    delete q.Limit
    const rows = await queryAll(client, q)
    steps.push({ kind: 'lookup', detail: `rows of conversation ${groupUuid}`, request: q, items: rows })
    if (!rows.some((r) => r.pk === `GRP#${from.uuid}`))
      throw new WorkbenchError('input.invalid', `@${from.handle} is not in conversation ${groupUuid}`, {
        groupUuid,
      })
  }

  let reader: StreamReader | undefined
  if (options.process === 'stream') {
    if (!clients.streams)
      throw new WorkbenchError('stream.unavailable', 'stream mode needs a DynamoDB Streams client')
    reader = await new StreamReader(
      clients.streams,
      await getStreamArn(client, clients.streams, table),
      'latest',
    ).open()
  }

  const started = !groupUuid
  let message: Row
  if (!groupUuid) {
    groupUuid = randomUUID()
    message = messageRow(groupUuid, createdAt, messageUuid, from, text)
    steps.push(await startConversation(client, model, from, other!, message, options.transactions))
  } else {
    const run = await runPattern(client, model, 'C', {
      message_group_uuid: groupUuid,
      created_at: createdAt,
      message_uuid: messageUuid,
      message: text,
      user_uuid: from.uuid,
      user_display_name: from.display_name,
      user_handle: from.handle,
    })
    message = run.items[0]!
    steps.push({ kind: 'put', pattern: 'C', request: run.request, item: message })
  }

  let handlerReports: RecordReport[] = []
  if (options.process === 'direct' && !started) {
    handlerReports = await applyHandlerDirect(client, model, table, [message], {
      transactions: options.transactions,
    })
  } else if (reader) {
    const polled = await pollUntilRecord(
      reader,
      (r) => r.keys.pk === message.pk && r.keys.sk === message.sk,
      options.maxPolls ?? 20,
    )
    steps.push({ kind: 'stream', records: polled })
    handlerReports = await handleRecords(client, model, table, polled, {
      streamArn: reader.streamArn,
      transactions: options.transactions ?? 'auto',
    })
  }
  return { groupUuid, startedConversation: started, message, steps, handlerReports }
}
