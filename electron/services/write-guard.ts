import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { toWorkbenchError, WorkbenchError } from './errors'

/**
 * The operations a read-only connection may send, by SDK command name, for the low-level client and the document
 * client (whose commands run through the same middleware stack). An allowlist: a command not named here (a write,
 * or an operation added to the SDK after this list was written, such as StartBulkPutItems) is refused until writes
 * are allowed. Every name is a Get/Describe/List/Query/Scan/Search action in the DynamoDB API reference
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB.html).
 */
export const READ_COMMANDS: ReadonlySet<string> = new Set([
  'GetItemCommand',
  'BatchGetItemCommand',
  'TransactGetItemsCommand',
  'QueryCommand',
  'ScanCommand',
  'SearchVectorsCommand',
  'ListTablesCommand',
  'DescribeTableCommand',
  'DescribeTimeToLiveCommand',
  'DescribeContinuousBackupsCommand',
  'DescribeContributorInsightsCommand',
  'ListContributorInsightsCommand',
  'DescribeEndpointsCommand',
  'DescribeLimitsCommand',
  'DescribeBackupCommand',
  'ListBackupsCommand',
  'DescribeGlobalTableCommand',
  'DescribeGlobalTableSettingsCommand',
  'ListGlobalTablesCommand',
  'DescribeTableReplicaAutoScalingCommand',
  'DescribeKinesisStreamingDestinationCommand',
  'DescribeExportCommand',
  'ListExportsCommand',
  'DescribeImportCommand',
  'ListImportsCommand',
  'DescribeBulkOperationCommand',
  'ListBulkOperationsCommand',
  'ListTagsOfResourceCommand',
  'GetResourcePolicyCommand',
  // lib-dynamodb names
  'GetCommand',
  'BatchGetCommand',
  'TransactGetCommand',
])

/** PartiQL can read or write; these pass only when every statement is a SELECT. */
const PARTIQL_COMMANDS = new Set([
  'ExecuteStatementCommand',
  'BatchExecuteStatementCommand',
  'ExecuteTransactionCommand',
])

function partiqlReadsOnly(commandName: string, input: Record<string, unknown>): boolean {
  const statements: unknown[] =
    commandName === 'ExecuteStatementCommand'
      ? [input.Statement]
      : ((input.Statements ?? input.TransactStatements ?? []) as { Statement?: unknown }[]).map(
          (s) => s.Statement,
        )
  return statements.length > 0 && statements.every((s) => typeof s === 'string' && /^\s*select\b/i.test(s))
}

/** Whether a command may run on a read-only connection: a named read, or PartiQL made only of SELECTs. */
export function isReadCommand(commandName: string, input: Record<string, unknown> = {}): boolean {
  if (READ_COMMANDS.has(commandName)) return true
  return PARTIQL_COMMANDS.has(commandName) && partiqlReadsOnly(commandName, input)
}

export interface WriteGuard {
  readonly writesAllowed: boolean
  allowWrites(allowed: boolean): void
  /** Removes the middleware from the client. */
  remove(): void
}

const GUARD_NAME = 'tablewrightWriteGuard'

/**
 * Makes a client refuse every operation that is not a named read with 'connection.readOnly' until writes are
 * allowed on it. Used for AWS
 * connections so exploring a real account cannot change it by accident. A middleware, so it also covers
 * DynamoDBDocumentClient.from(client) and anything else that sends through this client.
 */
export function guardWrites(
  client: DynamoDBClient,
  options: { allowed?: boolean; connection?: string } = {},
): WriteGuard {
  let allowed = options.allowed ?? false
  client.middlewareStack.remove(GUARD_NAME)
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? ''
      const input = (args.input ?? {}) as Record<string, unknown>
      if (!allowed && !isReadCommand(name, input)) {
        const operation = name.replace(/Command$/, '') || 'an unnamed operation'
        throw new WorkbenchError(
          'connection.readOnly',
          `${operation} refused: ${options.connection ? `connection "${options.connection}"` : 'this connection'} is read-only until writes are allowed`,
          { operation, connection: options.connection, table: input.TableName },
        )
      }
      return next(args)
    },
    { step: 'initialize', name: GUARD_NAME, priority: 'high' },
  )
  return {
    get writesAllowed() {
      return allowed
    },
    allowWrites(v: boolean) {
      allowed = v
    },
    remove() {
      client.middlewareStack.remove(GUARD_NAME)
    },
  }
}

export type DestructiveOp = 'dropTable' | 'truncate' | 'reseed'

export interface DestructivePreview {
  table: string
  op: DestructiveOp
  /** DescribeTable's ItemCount: on AWS refreshed about every six hours, so approximate. */
  itemCount: number
  sizeBytes: number
  /** Write units the operation would consume; DeleteTable itself consumes none. */
  estimatedWriteUnits: number
  indexes: string[]
  note: string
}

/**
 * What a destructive operation would touch, for the confirmation dialog. Deleting an item costs one write unit
 * per started KB, on the table and again on each GSI the item is projected into
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html#write-operation-consumption).
 */
export async function describeDestructive(
  client: DynamoDBClient,
  table: string,
  op: DestructiveOp,
): Promise<DestructivePreview> {
  let t
  try {
    t = (await client.send(new DescribeTableCommand({ TableName: table }))).Table
  } catch (err) {
    throw toWorkbenchError(err, { table })
  }
  if (!t) throw new WorkbenchError('table.notFound', `no table ${table}`, { table })
  const itemCount = t.ItemCount ?? 0
  const sizeBytes = t.TableSizeBytes ?? 0
  const gsis = (t.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName ?? '')
  const lsis = (t.LocalSecondaryIndexes ?? []).map((l) => l.IndexName ?? '')
  const perItem = itemCount ? Math.max(1, Math.ceil(sizeBytes / itemCount / 1024)) : 1
  const deleteUnits = itemCount * perItem * (1 + gsis.length)
  const estimatedWriteUnits = op === 'dropTable' ? 0 : deleteUnits
  const note =
    op === 'dropTable'
      ? `Deletes ${table} with its ${itemCount} items and ${gsis.length + lsis.length} indexes; cannot be undone.`
      : `Deletes ${itemCount} items one by one (about ${deleteUnits} write units including ${gsis.length} GSIs)${op === 'reseed' ? ', then writes the sample items' : ''}.`
  return { table, op, itemCount, sizeBytes, estimatedWriteUnits, indexes: [...gsis, ...lsis], note }
}

/**
 * Refuses a destructive operation unless the caller typed the table's name back (the UI's and CLI's
 * confirmation), with 'confirm.required' carrying the preview so the prompt can show what is at stake.
 */
export function assertConfirmed(preview: DestructivePreview, confirm: string | undefined): void {
  if (confirm !== preview.table)
    throw new WorkbenchError(
      'confirm.required',
      `${preview.note} Type the table name "${preview.table}" to confirm.`,
      { ...preview },
    )
}
