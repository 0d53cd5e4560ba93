// Cruddur's stream handler (pattern D): keeps each conversation row on its conversation's newest message.
// A Node port of the seed's Python Lambda, with its bugs fixed:
//   - every record of the batch is handled, not only Records[0];
//   - REMOVE and MODIFY records are skipped (the Python read NewImage of a REMOVE and crashed);
//   - a late, older message never moves a conversation back;
//   - each row moves with its delete and put in one TransactWriteItems where the connection has transactions,
//     else put first, then a conditional delete (a half-done move shows a conversation twice, never zero times).
// Deploys to Lambda (Node.js 20+ runtime, ESM) as is: the runtime provides the AWS SDK v3 it imports.
import {
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb'
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb'

const client = new DynamoDBClient({})
const INDEX = 'message-group-sk-index'
const MAX_MOVE_ATTEMPTS = 5
// Set by Tablewright per connection ("off" where TransactWriteItems is missing); unset on Lambda, which has them.
const transactions = process.env.TABLEWRIGHT_TRANSACTIONS !== 'off'

/** `arn:aws:dynamodb:REGION:ACCOUNT:table/NAME/stream/LABEL` → NAME (so a renamed table needs no code change). */
const tableOf = (arn) =>
  /:table\/([^/]+)\/stream\//.exec(arn)?.[1] ?? process.env.TABLE_NAME ?? 'cruddur-messages'

async function queryAll(input) {
  const rows = []
  let start
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: start }))
    rows.push(...(page.Items ?? []).map((i) => unmarshall(i)))
    start = page.LastEvaluatedKey
  } while (start)
  return rows
}

const conversationRows = (table, group) =>
  queryAll({
    TableName: table,
    IndexName: INDEX,
    KeyConditionExpression: 'message_group_uuid = :g',
    ExpressionAttributeValues: marshall({ ':g': group }),
  })

const isConflict = (err) =>
  err?.name === 'ConditionalCheckFailedException' ||
  (err?.name === 'TransactionCanceledException' &&
    (err.CancellationReasons ?? []).some(
      (r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict',
    ))

/**
 * Keys cannot be updated, so a move is a put of the new row plus a delete of the old one
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html). The put needs the
 * new key free and the delete needs the old row still at its old sort key, so a concurrent mover makes this
 * one fail instead of losing or doubling the row. Returns false when it lost such a race.
 */
async function moveRow(table, before, after) {
  const put = {
    TableName: table,
    Item: marshall(after, { removeUndefinedValues: true }),
    ConditionExpression: 'attribute_not_exists(#pk)',
    ExpressionAttributeNames: { '#pk': 'pk' },
  }
  const del = {
    TableName: table,
    Key: marshall({ pk: before.pk, sk: before.sk }),
    ConditionExpression: '#sk = :old',
    ExpressionAttributeNames: { '#sk': 'sk' },
    ExpressionAttributeValues: marshall({ ':old': before.sk }),
  }
  if (transactions) {
    try {
      await client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: put }, { Delete: del }] }))
      return true
    } catch (err) {
      if (isConflict(err)) return false
      throw err
    }
  }
  try {
    await client.send(new PutItemCommand(put))
  } catch (err) {
    // Only a handler for this same message writes this exact key, and it also deletes the old row.
    if (isConflict(err)) return true
    throw err
  }
  try {
    await client.send(new DeleteItemCommand(del))
  } catch (err) {
    if (!isConflict(err)) throw err
    // The old row moved meanwhile: keep only this owner's newest row of the conversation.
    await keepNewestOnly(table, before)
  }
  return true
}

async function keepNewestOnly(table, row) {
  const rows = await queryAll({
    TableName: table,
    KeyConditionExpression: 'pk = :pk',
    FilterExpression: 'message_group_uuid = :g',
    ExpressionAttributeValues: marshall({ ':pk': row.pk, ':g': row.message_group_uuid }),
    ScanIndexForward: false,
  })
  for (const stale of rows.slice(1)) {
    try {
      await client.send(
        new DeleteItemCommand({
          TableName: table,
          Key: marshall({ pk: stale.pk, sk: stale.sk }),
          ConditionExpression: 'attribute_exists(sk)',
        }),
      )
    } catch (err) {
      if (!isConflict(err)) throw err
    }
  }
}

/** Moves one owner's row to the message, re-reading it after a lost race so a newer message is never undone. */
async function moveToMessage(table, group, row, createdAt, text) {
  let current = row
  for (let attempt = 0; current && attempt < MAX_MOVE_ATTEMPTS; attempt++) {
    if (current.sk >= createdAt) {
      console.log(
        `skip: ${current.pk} is already at ${current.sk}, not older than this message (${createdAt})`,
      )
      return
    }
    if (await moveRow(table, current, { ...current, sk: createdAt, message: text })) return
    const owner = current.pk
    current = (await conversationRows(table, group))
      .filter((r) => r.pk === owner)
      .sort((a, b) => (a.sk < b.sk ? 1 : -1))[0]
  }
  if (current)
    throw new Error(`conversation row ${current.pk} kept moving; gave up after ${MAX_MOVE_ATTEMPTS} attempts`)
}

export const handler = async (event) => {
  for (const record of event.Records) {
    if (record.eventName !== 'INSERT') {
      console.log(`skip: ${record.eventName} record: only new messages move conversations`)
      continue
    }
    const image = unmarshall(record.dynamodb.NewImage ?? {})
    const group = typeof image.pk === 'string' && image.pk.startsWith('MSG#') ? image.pk.slice(4) : undefined
    if (!group || typeof image.sk !== 'string') {
      console.log(`skip: not a message row (${String(image.pk)})`)
      continue
    }
    const table = tableOf(record.eventSourceARN)
    for (const row of await conversationRows(table, group))
      await moveToMessage(table, group, row, image.sk, image.message)
  }
}
