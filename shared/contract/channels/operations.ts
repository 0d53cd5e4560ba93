import { z } from 'zod'
import { ItemJson } from './workbench'

const ConnectionId = z.object({ connectionId: z.string().min(1).max(200) })

const name = z.string().min(1).max(255)
/** JSON text the user typed (a key, an item, expression values), read with exact numbers by the host. */
const jsonText = z.string().max(4 * 1024 * 1024)

export const OperationKind = z.enum([
  'Query',
  'Scan',
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'ConditionCheck',
  'PartiQL',
])
export type OperationKind = z.infer<typeof OperationKind>

/** The key-condition operators DynamoDB allows on a sort key. */
export const SortOperator = z.enum(['=', '<', '<=', '>', '>=', 'BETWEEN', 'begins_with'])

/** One row of the filter (or condition) builder; the rows are ANDed. */
export const FilterRow = z.object({
  attribute: name,
  operator: z.enum([
    '=',
    '<>',
    '<',
    '<=',
    '>',
    '>=',
    'BETWEEN',
    'begins_with',
    'contains',
    'attribute_exists',
    'attribute_not_exists',
  ]),
  /** How the value is sent: text (the default), a number (exact), a boolean, or null. */
  type: z.enum(['S', 'N', 'BOOL', 'NULL']).optional(),
  value: z.string().max(400_000).optional(),
  value2: z.string().max(400_000).optional(),
})
export type FilterRow = z.input<typeof FilterRow>

/**
 * An ad-hoc operation, as the operation builder composes it. Keys and items are plain JSON text (numbers exact);
 * key values for Query are typed by the table's attribute definitions, read from DescribeTable.
 */
export const OperationSpec = z
  .object({
    operation: OperationKind,
    table: name.optional(),
    index: name.optional(),
    partitionValue: z.string().max(2048).optional(),
    sortOperator: SortOperator.optional(),
    sortValue: z.string().max(1024).optional(),
    sortValue2: z.string().max(1024).optional(),
    filters: z.array(FilterRow).max(100).optional(),
    projection: z.array(name).max(100).optional(),
    direction: z.enum(['asc', 'desc']).optional(),
    limit: z.number().int().min(1).max(100_000).optional(),
    consistentRead: z.boolean().optional(),
    segment: z.number().int().min(0).max(999_999).optional(),
    totalSegments: z.number().int().min(1).max(1_000_000).optional(),
    /** GetItem, UpdateItem, DeleteItem, ConditionCheck: the key as plain JSON. */
    key: jsonText.optional(),
    /** PutItem: the item as plain JSON. */
    item: jsonText.optional(),
    /** UpdateItem: an UpdateExpression; `#name` stands for the attribute of that name. */
    update: z.string().max(4096).optional(),
    /** Values for `:placeholders` in update (plain JSON object). */
    values: jsonText.optional(),
    /** PartiQL statement with `?` parameters, and the parameters as a plain JSON array. */
    statement: z.string().max(8192).optional(),
    parameters: jsonText.optional(),
  })
  .strict()
export type OperationSpec = z.input<typeof OperationSpec>

export const OperationRun = ConnectionId.extend({
  spec: OperationSpec,
  /** The previous page's LastEvaluatedKey (DynamoDB JSON) or PartiQL NextToken. */
  exclusiveStartKey: ItemJson.optional(),
  nextToken: z.string().max(65_536).optional(),
}).strict()

export const OperationResult = z.object({
  /** The exact low-level request sent (AttributeValue maps), for the code view. */
  request: z.object({ operation: z.string(), input: z.record(z.string(), z.unknown()) }),
  items: z.array(ItemJson),
  count: z.number().int(),
  scannedCount: z.number().int().optional(),
  lastEvaluatedKey: ItemJson.optional(),
  nextToken: z.string().optional(),
  /** Capacity units this call consumed (total), when the endpoint reports it. */
  consumedCapacity: z.number().optional(),
  /** The same request as PartiQL, where one exists. */
  partiql: z.string().optional(),
  elapsedMs: z.number(),
})
export type OperationResult = z.infer<typeof OperationResult>

export const HistoryEntry = z.object({
  id: z.string(),
  at: z.string(),
  /** A name the user gave: saved operations have one; the history does not. */
  name: z.string().optional(),
  spec: OperationSpec,
})
export type HistoryEntry = z.infer<typeof HistoryEntry>

export const operationChannels = {
  /** Runs one ad-hoc operation (one page of a Query or Scan) and records it in the history. */
  'ops:run': { input: OperationRun, output: OperationResult },
  /** Saved operations, then the most recent runs (newest first); kept in the user data folder. */
  'ops:history': {
    input: z.object({}).strict(),
    output: z.object({ saved: z.array(HistoryEntry), recent: z.array(HistoryEntry) }),
  },
  'ops:save': {
    input: z.object({ name: z.string().min(1).max(200), spec: OperationSpec }).strict(),
    output: HistoryEntry,
  },
  'ops:forget': { input: z.object({ id: z.string().min(1).max(100) }).strict(), output: z.object({}) },
} as const
