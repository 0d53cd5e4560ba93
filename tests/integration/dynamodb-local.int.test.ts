import { inject, test, expect } from 'vitest'
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb'

test('the DynamoDB Local started by the setup answers ListTables', async () => {
  const client = new DynamoDBClient({
    endpoint: inject('ddbLocalEndpoint'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  })
  const out = await client.send(new ListTablesCommand({}))
  expect(Array.isArray(out.TableNames)).toBe(true)
})
