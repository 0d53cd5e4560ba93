import {
  CreateTableCommand,
  ListTablesCommand,
  ResourceInUseException,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type KeySchemaElement,
  type Projection,
  type TableDescription,
} from '@aws-sdk/client-dynamodb'
import {
  attributeDefinitions,
  checkTableSpec,
  type KeySpec,
  type ProjectionSpec,
  type TableSpec,
} from '../../shared/domain/table-rules'
import type { TableSummary } from '../../shared/contract/channels/tables'
import { toWorkbenchError, WorkbenchError } from './errors'
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

/** The CreateTable request for a checked spec: pure, so the dialog, the CLI and codegen can show it. */
export function buildCreateTable(spec: TableSpec): CreateTableCommandInput {
  const keySchema = (pk: KeySpec, sk?: KeySpec): KeySchemaElement[] => [
    { AttributeName: pk.name, KeyType: 'HASH' },
    ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
  ]
  const projection = (p: ProjectionSpec): Projection =>
    p.type === 'INCLUDE'
      ? { ProjectionType: 'INCLUDE', NonKeyAttributes: p.nonKeyAttributes ?? [] }
      : { ProjectionType: p.type }
  const provisioned = spec.billing.mode === 'PROVISIONED'
  return {
    TableName: spec.name,
    AttributeDefinitions: attributeDefinitions(spec).map((a) => ({
      AttributeName: a.name,
      AttributeType: a.type,
    })),
    KeySchema: keySchema(spec.partitionKey, spec.sortKey),
    ...(spec.gsis.length
      ? {
          GlobalSecondaryIndexes: spec.gsis.map((g) => ({
            IndexName: g.name,
            KeySchema: keySchema(g.partitionKey, g.sortKey),
            Projection: projection(g.projection),
            ...(provisioned && g.capacity
              ? {
                  ProvisionedThroughput: {
                    ReadCapacityUnits: g.capacity.read,
                    WriteCapacityUnits: g.capacity.write,
                  },
                }
              : {}),
          })),
        }
      : {}),
    ...(spec.lsis.length
      ? {
          LocalSecondaryIndexes: spec.lsis.map((l) => ({
            IndexName: l.name,
            KeySchema: keySchema(spec.partitionKey, l.sortKey),
            Projection: projection(l.projection),
          })),
        }
      : {}),
    ...(spec.billing.mode === 'PROVISIONED'
      ? {
          BillingMode: 'PROVISIONED',
          ProvisionedThroughput: {
            ReadCapacityUnits: spec.billing.read,
            WriteCapacityUnits: spec.billing.write,
          },
        }
      : { BillingMode: 'PAY_PER_REQUEST' }),
    ...(spec.stream.enabled
      ? { StreamSpecification: { StreamEnabled: true, StreamViewType: spec.stream.viewType } }
      : {}),
  }
}

/**
 * Creates a table from the create-table dialog (or any caller): refused with every field at fault before a request
 * is sent when DynamoDB would refuse it (shared/domain/table-rules.ts), then waited for until ACTIVE.
 */
export async function createTable(client: DynamoDBClient, spec: TableSpec): Promise<TableSummary> {
  const issues = checkTableSpec(spec)
  if (issues.length)
    throw new WorkbenchError('input.invalid', issues.map((i) => `${i.field}: ${i.message}`).join(' '), {
      issues,
    })
  try {
    await client.send(new CreateTableCommand(buildCreateTable(spec)))
  } catch (err) {
    if (err instanceof ResourceInUseException)
      throw new WorkbenchError('table.exists', `A table named ${spec.name} already exists.`, {
        table: spec.name,
        issues: [{ field: 'name', message: `A table named ${spec.name} already exists.` }],
      })
    throw toWorkbenchError(err, { table: spec.name })
  }
  return summarize(await waitForActive(client, spec.name, 60_000))
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
