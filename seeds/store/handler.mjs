// The store's stream handler: keeps each customer's order_count and spent_cents in step with their orders.
// For every INSERT of an order row it adds one order and the order's total to the customer row, once per order:
// the update is conditional on the order id not being in the customer's counted_orders yet, so a record that
// Lambda delivers again (a retried batch, a replayed shard) changes nothing.
//   - every record of the batch is handled, in order;
//   - MODIFY is skipped (a status change does not change what was bought), and so is REMOVE (deleting an old order
//     row does not undo the purchase in the customer's history);
//   - a record that fails for another reason is reported in batchItemFailures, so Lambda retries from it and
//     keeps what came before (ReportBatchItemFailures:
//     https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html).
// counted_orders grows with every order; a store with thousands of orders per customer would keep one marker
// item per order instead (item size limit: 400 KB).
// Deploys to Lambda (Node.js 20+ runtime, ESM) as is: the runtime provides the AWS SDK v3 it imports.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { unmarshall } from '@aws-sdk/util-dynamodb'

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}))

/** `arn:aws:dynamodb:REGION:ACCOUNT:table/NAME/stream/LABEL` → NAME (so a renamed table needs no code change). */
export const tableOf = (arn) => /:table\/([^/]+)\/stream\//.exec(arn ?? '')?.[1] ?? process.env.TABLE_NAME

/**
 * What one stream record asks of the handler: count an order into its customer's row, or skip it (with why).
 * Pure, so it can be checked on hand-made records.
 */
export function planRecord(record) {
  if (record.eventName !== 'INSERT')
    return {
      skip:
        record.eventName === 'REMOVE'
          ? 'REMOVE: a deleted order stays in the customer’s totals'
          : `${record.eventName}: only new orders change the totals`,
    }
  const image = unmarshall(record.dynamodb?.NewImage ?? {})
  const pk = typeof image.PK === 'string' ? image.PK : ''
  const sk = typeof image.SK === 'string' ? image.SK : ''
  if (!pk.startsWith('CUST#') || !sk.startsWith('ORDER#'))
    return { skip: `not an order row (${pk || 'no PK'} / ${sk || 'no SK'})` }
  const orderId = typeof image.order_id === 'string' ? image.order_id : sk.slice('ORDER#'.length)
  const total = Number(image.total_cents ?? 0)
  if (!Number.isFinite(total)) return { skip: `order ${orderId} has no numeric total_cents` }
  return {
    table: tableOf(record.eventSourceARN),
    customerKey: { PK: pk, SK: pk },
    orderId,
    total,
  }
}

async function countOrder({ table, customerKey, orderId, total }) {
  try {
    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: customerKey,
        UpdateExpression:
          'SET order_count = if_not_exists(order_count, :zero) + :one, ' +
          'spent_cents = if_not_exists(spent_cents, :zero) + :total, ' +
          'counted_orders = list_append(if_not_exists(counted_orders, :none), :ids)',
        ConditionExpression: 'attribute_exists(PK) AND NOT contains(counted_orders, :id)',
        ExpressionAttributeValues: {
          ':zero': 0,
          ':one': 1,
          ':total': total,
          ':none': [],
          ':ids': [orderId],
          ':id': orderId,
        },
      }),
    )
    console.log(`counted order ${orderId} (${total} cents) for ${customerKey.PK}`)
  } catch (err) {
    if (err?.name !== 'ConditionalCheckFailedException') throw err
    // Either a redelivery (already counted) or an order whose customer row is missing: say which.
    const { Item } = await doc.send(
      new GetCommand({ TableName: table, Key: customerKey, ConsistentRead: true }),
    )
    if (!Item) console.log(`skip: no customer row ${customerKey.PK} for order ${orderId}`)
    else console.log(`skip: order ${orderId} is already counted for ${customerKey.PK}`)
  }
}

export const handler = async (event) => {
  for (const record of event.Records ?? []) {
    const plan = planRecord(record)
    if ('skip' in plan) {
      console.log(`skip: ${plan.skip}`)
      continue
    }
    try {
      await countOrder(plan)
    } catch (err) {
      console.error(`order ${plan.orderId}: ${err?.name ?? 'Error'}: ${err?.message ?? err}`)
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb.SequenceNumber }] }
    }
  }
  return { batchItemFailures: [] }
}
