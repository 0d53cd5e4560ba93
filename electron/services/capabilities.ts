import { TransactGetItemsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'

/**
 * What an endpoint can do, probed once per client (one client per connection) instead of guessing from the error
 * text of a failed write. A probe asks the endpoint something harmless: an empty TransactGetItems, which an endpoint
 * with transactions refuses as invalid input (a ValidationException) and one without them as an unknown operation.
 */
const transactions = new WeakMap<DynamoDBClient, Promise<boolean>>()

export function supportsTransactions(client: DynamoDBClient): Promise<boolean> {
  let known = transactions.get(client)
  if (!known) {
    known = probeTransactions(client)
    transactions.set(client, known)
    // A failed probe (the endpoint was down) is asked again next time rather than remembered.
    known.catch(() => transactions.delete(client))
  }
  return known
}

async function probeTransactions(client: DynamoDBClient): Promise<boolean> {
  try {
    await client.send(new TransactGetItemsCommand({ TransactItems: [] }))
    return true
  } catch (err) {
    const name = (err as { name?: string }).name
    if (name === 'UnknownOperationException') return false
    // Any other answer from the service (ValidationException, AccessDenied, …) means the operation exists.
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== undefined)
      return true
    throw err
  }
}
