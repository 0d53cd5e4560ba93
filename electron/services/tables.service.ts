import {
  CreateTableCommand,
  ListTablesCommand,
  ResourceInUseException,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb'
import type { TableSummary } from '../../shared/contract/channels/tables'
import { WorkbenchError } from './errors'
import { describeTable, dropTable as deleteTable, waitForActive } from './schema.service'

export async function listTableNames(client: DynamoDBClient): Promise<string[]> {
  const names: string[] = []
  let start: string | undefined
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }))
    names.push(...(page.TableNames ?? []))
    start = page.LastEvaluatedTableName
  } while (start)
  return names
}

export function summarize(table: TableDescription): TableSummary {
  const attr = (name: string | undefined) => {
    const def = table.AttributeDefinitions?.find((d) => d.AttributeName === name)
    return def && name ? { name, type: def.AttributeType as 'S' | 'N' | 'B' } : undefined
  }
  const hash = table.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName
  const range = table.KeySchema?.find((k) => k.KeyType === 'RANGE')?.AttributeName
  return {
    name: table.TableName ?? '',
    status: table.TableStatus ?? 'UNKNOWN',
    itemCount: table.ItemCount ?? 0,
    sizeBytes: table.TableSizeBytes ?? 0,
    partitionKey: attr(hash),
    sortKey: attr(range),
    indexCount: (table.GlobalSecondaryIndexes?.length ?? 0) + (table.LocalSecondaryIndexes?.length ?? 0),
    streamEnabled: table.StreamSpecification?.StreamEnabled ?? false,
  }
}

async function describeExisting(client: DynamoDBClient, tableName: string): Promise<TableDescription> {
  const table = await describeTable(client, tableName)
  if (!table) throw new WorkbenchError('table.notFound', `Table ${tableName} was not found.`)
  return table
}

/** Lists every table with its item count (DescribeTable per table; DynamoDB updates ItemCount about every 6 hours on AWS). */
export async function listTables(client: DynamoDBClient): Promise<TableSummary[]> {
  const names = await listTableNames(client)
  const described = await Promise.all(names.map((name) => describeTable(client, name).catch(() => undefined)))
  return described.filter((t): t is TableDescription => t !== undefined).map(summarize)
}

export async function createScratchTable(client: DynamoDBClient): Promise<TableSummary> {
  const name = `tablewright-scratch-${Date.now().toString(36)}`
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    )
  } catch (err) {
    if (err instanceof ResourceInUseException)
      throw new WorkbenchError('table.exists', `Table ${name} already exists.`)
    throw err
  }
  return summarize(await waitForActive(client, name, 60_000))
}

/** Drops a table after the caller typed its name back; DynamoDB has no undo for this. */
export async function dropTable(
  client: DynamoDBClient,
  tableName: string,
  confirm: string,
): Promise<{ tableName: string; deletedItems: number }> {
  const table = await describeExisting(client, tableName)
  if (confirm !== tableName) {
    throw new WorkbenchError(
      'confirm.required',
      `Dropping ${tableName} deletes its ${table.ItemCount ?? 0} items. Type the table name to confirm.`,
      { tableName, itemCount: table.ItemCount ?? 0 },
    )
  }
  if (!(await deleteTable(client, tableName)))
    throw new WorkbenchError('table.notFound', `Table ${tableName} was not found.`)
  return { tableName, deletedItems: table.ItemCount ?? 0 }
}
