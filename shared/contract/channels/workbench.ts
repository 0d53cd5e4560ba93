import { z } from 'zod'
import { Model } from '../../domain/model'
import { ConnectionId } from './connections'
import { TableSummary } from './tables'

/**
 * Items cross the boundary in DynamoDB JSON ({ "pk": { "S": "…" } }) so number precision, sets and binary survive;
 * the renderer turns them into plain JSON for display with shared/domain's pure converters.
 */
export type AttributeValueJson =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { L: AttributeValueJson[] }
  | { M: Record<string, AttributeValueJson> }
export const AttributeValueJson: z.ZodType<AttributeValueJson> = z.lazy(() =>
  z.union([
    z.object({ S: z.string() }).strict(),
    z.object({ N: z.string() }).strict(),
    z.object({ B: z.string() }).strict(),
    z.object({ BOOL: z.boolean() }).strict(),
    z.object({ NULL: z.literal(true) }).strict(),
    z.object({ SS: z.array(z.string()) }).strict(),
    z.object({ NS: z.array(z.string()) }).strict(),
    z.object({ BS: z.array(z.string()) }).strict(),
    z.object({ L: z.array(AttributeValueJson) }).strict(),
    z.object({ M: z.record(z.string(), AttributeValueJson) }).strict(),
  ]),
)
export const ItemJson = z.record(z.string(), AttributeValueJson)
export type ItemJson = z.infer<typeof ItemJson>

const TableRef = ConnectionId.extend({ tableName: z.string().min(3).max(255) })
const ModelRef = z.object({ modelId: z.string().min(1) })

export const KeyElementView = z.object({ name: z.string(), type: z.enum(['S', 'N', 'B']) })
export const IndexView = z.object({
  name: z.string(),
  kind: z.enum(['GSI', 'LSI']),
  partitionKey: KeyElementView,
  sortKey: KeyElementView.optional(),
  projection: z.object({
    type: z.enum(['ALL', 'KEYS_ONLY', 'INCLUDE']),
    nonKeyAttributes: z.array(z.string()).optional(),
  }),
  itemCount: z.number().optional(),
  status: z.string().optional(),
  provisioned: z.object({ read: z.number(), write: z.number() }).optional(),
})
export type IndexView = z.infer<typeof IndexView>

export const TableDetail = TableSummary.extend({
  arn: z.string().optional(),
  billingMode: z.enum(['PROVISIONED', 'PAY_PER_REQUEST']),
  provisioned: z.object({ read: z.number(), write: z.number() }).optional(),
  attributeDefinitions: z.array(KeyElementView),
  indexes: z.array(IndexView),
  stream: z.object({ enabled: z.boolean(), viewType: z.string().optional(), arn: z.string().optional() }),
  createdAt: z.string().optional(),
})
export type TableDetail = z.infer<typeof TableDetail>

export const ModelSummary = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  source: z.enum(['builtin', 'file']),
  /** Absolute path of the model file (file models only). */
  file: z.string().optional(),
  tables: z.array(z.string()),
})
export type ModelSummary = z.infer<typeof ModelSummary>

export const Progress = z.object({ operationId: z.string().optional() })

export const SchemaLoadResult = z.object({
  tables: z.array(
    z.object({ name: z.string(), status: z.enum(['created', 'exists']), differences: z.array(z.string()) }),
  ),
})

/** The model's generator, with its seed and counts per generated entity optionally overridden. */
export const GeneratorParams = z
  .object({
    seed: z.number().int().optional(),
    counts: z.record(z.string().min(1), z.number().int().min(0).max(10_000_000)).optional(),
  })
  .strict()

const SuggestedValue = z.union([z.string(), z.number()])
export const ParamSuggestions = z.object({
  param: z.string(),
  attribute: z.string(),
  table: z.string(),
  suggestions: z.array(
    z.object({
      value: SuggestedValue,
      label: z.string().optional(),
      companions: z.record(z.string(), SuggestedValue).optional(),
    }),
  ),
  scanned: z.number(),
  truncated: z.boolean(),
})
export type ParamSuggestions = z.infer<typeof ParamSuggestions>

export const ItemsPage = z.object({
  items: z.array(ItemJson),
  lastEvaluatedKey: ItemJson.optional(),
  scannedCount: z.number(),
})
export type ItemsPage = z.infer<typeof ItemsPage>

/**
 * A table's items held by the host for the visualizer (items:load): the host reads the table once, and the renderer
 * asks for views of it (items:view) and for the rows it shows (items:viewRows), never for every item.
 */
export const ItemsSnapshot = z.object({
  snapshotId: z.string(),
  /** Items read so far. */
  loaded: z.number().int(),
  /** Whether the whole table has been read. */
  done: z.boolean(),
  /** The table's item count as DescribeTable last reported it (updated about every six hours on AWS). */
  expected: z.number().int().optional(),
})
export type ItemsSnapshot = z.infer<typeof ItemsSnapshot>

/** What a view shows of a snapshot: grouped by the table's or an index's keys, filtered, with removed items in place. */
export const ItemsViewOptions = z
  .object({
    /** Group by this index's keys and keep only what it holds. */
    indexName: z.string().max(255).optional(),
    /** With an index: also list the items it does not hold, one group per reason. */
    showExcluded: z.boolean().default(false),
    /** Keeps items whose key attributes start with, or whose string and number attributes contain, this text. */
    filter: z.string().max(1000).default(''),
    /** Removed items to show in place, marked as removed (those still stored are left out). */
    ghosts: z.array(ItemJson).max(10_000).default([]),
    /** The model whose entities name, colour and order the items' columns. */
    modelId: z.string().optional(),
  })
  .strict()
export type ItemsViewOptions = z.infer<typeof ItemsViewOptions>

/** A partition of a view (or, with `excluded`, the items an index does not hold for one reason): a header row and
 * `count` item rows under it. */
export const ViewGroupSummary = z.object({
  pk: z.string(),
  count: z.number().int(),
  columns: z.array(z.string()),
  sizeBytes: z.number(),
  removedCount: z.number().int(),
  excluded: z.boolean().optional(),
  reason: z.string().optional(),
})
export type ViewGroupSummary = z.infer<typeof ViewGroupSummary>

/** One item row of a view. `id` is the row's (a removed item's id has a suffix); `itemId` is the item's table key. */
export const ViewItemRow = z.object({
  row: z.number().int(),
  id: z.string(),
  itemId: z.string(),
  item: ItemJson,
  /** The index in its group. */
  position: z.number().int(),
  entity: z.string().optional(),
  colour: z.string().optional(),
  ghost: z.boolean().optional(),
  excludedReason: z.string().optional(),
  size: z.number().optional(),
})
export type ViewItemRow = z.infer<typeof ViewItemRow>

export const ItemsViewSummary = z.object({
  /** Names this view of this snapshot for items:viewRows. */
  viewKey: z.string(),
  loaded: z.number().int(),
  done: z.boolean(),
  itemCount: z.number().int(),
  /** Items the index does not hold (counted even when not shown). */
  excludedCount: z.number().int(),
  /** Items in the snapshot before the filter. */
  unfilteredCount: z.number().int(),
  rowCount: z.number().int(),
  groups: z.array(ViewGroupSummary),
  /** The first rows asked for. */
  rows: z.array(ViewItemRow),
  /** The row of each item id asked for in `locate` that the view shows (absent ids are left out). */
  located: z.record(z.string(), z.number().int()),
})
export type ItemsViewSummary = z.infer<typeof ItemsViewSummary>

export const ConsumedCapacityView = z
  .object({
    capacityUnits: z.number().optional(),
    readCapacityUnits: z.number().optional(),
    writeCapacityUnits: z.number().optional(),
    table: z.number().optional(),
    indexes: z.record(z.string(), z.number()).optional(),
  })
  .optional()

export const ExpectationResult = z.object({ name: z.string(), held: z.boolean(), detail: z.string() })

export const PatternRunResult = z.object({
  patternId: z.string(),
  operation: z.string(),
  /** Query/Scan/GetItem/PutItem…: what actually served the pattern. */
  servedBy: z.string(),
  /** The exact SDK input that was sent (DocumentClient shape). */
  request: z.record(z.string(), z.unknown()),
  code: z.object({ typescript: z.string(), python: z.string(), cli: z.string() }),
  items: z.array(ItemJson),
  /** Items in the order the pattern presents them (e.g. pattern A shows a newest-first page oldest → newest). */
  presented: z.array(ItemJson),
  count: z.number(),
  scannedCount: z.number(),
  consumedCapacity: ConsumedCapacityView,
  lastEvaluatedKey: ItemJson.optional(),
  expectations: z.array(ExpectationResult),
  durationMs: z.number(),
})
export type PatternRunResult = z.infer<typeof PatternRunResult>

/**
 * One step of a write's timeline, in generic words: a write (the recipe's or the stream handler's), a read, a
 * stream record, a handler log line, a skip, or an error. `source` says who did it.
 */
export const FlowStep = z.object({
  kind: z.enum(['write', 'read', 'stream-record', 'handler-log', 'skip', 'error']),
  source: z.enum(['recipe', 'stream', 'handler']).optional(),
  title: z.string(),
  table: z.string().optional(),
  entity: z.string().optional(),
  request: z.record(z.string(), z.unknown()).optional(),
  record: z.record(z.string(), z.unknown()).optional(),
  before: ItemJson.optional(),
  after: ItemJson.optional(),
  /** What a read returned. */
  items: z.array(ItemJson).optional(),
  detail: z.string().optional(),
  /** A cancelled transaction's reason for this step (DynamoDB's CancellationReasons entry). */
  reason: z.object({ code: z.string(), message: z.string().optional() }).optional(),
  /** A delete + put of one logical row whose key changed, shown as one change (before: old item, after: new). */
  moved: z.boolean().optional(),
})
export type FlowStep = z.infer<typeof FlowStep>

export const RecipeRunResult = z.object({
  recipeId: z.string(),
  name: z.string(),
  /** The parameters as resolved (defaults and generated uuids/times filled in), as text. */
  params: z.record(z.string(), z.string()),
  /** How the writes went: one TransactWriteItems or one request per step. */
  mode: z.enum(['transaction', 'steps']),
  /** How the stream handler followed: through the Streams API, applied in-process, or not at all. */
  process: z.enum(['stream', 'direct', 'none']),
  ok: z.boolean(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  steps: z.array(FlowStep),
  recordsProcessed: z.number(),
  notes: z.array(z.string()),
})
export type RecipeRunResult = z.infer<typeof RecipeRunResult>

/** One earlier recipe run or stream-record replay, kept per model with its timeline. */
export const RunHistoryEntry = z.object({
  id: z.string(),
  /** When it ran (ISO 8601). */
  at: z.string(),
  kind: z.enum(['recipe', 'replay']),
  title: z.string(),
  /** Recipe runs: whether the writes went through. */
  ok: z.boolean().optional(),
  steps: z.array(FlowStep),
  /** Recipe runs: the summary shown above the timeline. */
  run: RecipeRunResult.omit({ steps: true }).optional(),
})
export type RunHistoryEntry = z.infer<typeof RunHistoryEntry>

export const RunHistorySummary = RunHistoryEntry.omit({ steps: true, run: true }).extend({
  /** How many steps its timeline has. */
  steps: z.number(),
})
export type RunHistorySummary = z.infer<typeof RunHistorySummary>

export const workbenchChannels = {
  'connections:allowWrites': {
    /** Allowing writes on AWS needs `confirm`: the `expected` text of connections:writeAccess, typed back. */
    input: ConnectionId.extend({ allow: z.boolean(), confirm: z.string().max(300).optional() }).strict(),
    output: z.object({ connectionId: z.string(), readOnly: z.boolean() }),
  },
  'tables:describe': { input: TableRef.strict(), output: TableDetail },
  'models:list': { input: z.object({}).strict(), output: z.array(ModelSummary) },
  'models:get': { input: ModelRef.strict(), output: Model },
  /** Validates model JSON text (from the editor) and names the field at fault. */
  'models:validate': {
    input: z.object({ text: z.string().max(5_000_000) }).strict(),
    output: z.object({
      valid: z.boolean(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })),
    }),
  },
  'schema:load': {
    input: ConnectionId.extend(ModelRef.shape).extend(Progress.shape).strict(),
    output: SchemaLoadResult,
  },
  'data:seed': {
    input: ConnectionId.extend(ModelRef.shape)
      .extend(Progress.shape)
      .extend({ generator: GeneratorParams.optional(), confirm: z.string().optional() })
      .strict(),
    output: z.object({ written: z.number(), tables: z.array(z.string()), durationMs: z.number() }),
  },
  /**
   * Values for a pattern's or recipe's parameter bound to an attribute (`bind`), drawn from the table's items:
   * distinct values with their labels and the companion parameters of the same item.
   */
  'params:suggest': {
    input: ConnectionId.extend(ModelRef.shape)
      .extend({
        patternId: z.string().min(1).optional(),
        recipeId: z.string().min(1).optional(),
        param: z.string().min(1),
        query: z.string().max(1000).optional(),
        limit: z.number().int().min(1).max(1000).default(50),
      })
      .strict()
      .refine((r) => (r.patternId === undefined) !== (r.recipeId === undefined), {
        message: 'give exactly one of patternId and recipeId',
      }),
    output: ParamSuggestions,
  },
  /** One page of a Scan of a table or index; the renderer loops for progressive loading. */
  'items:page': {
    input: TableRef.extend({
      indexName: z.string().optional(),
      exclusiveStartKey: ItemJson.optional(),
      limit: z.number().int().min(1).max(10_000).default(1000),
    }).strict(),
    output: ItemsPage,
  },
  /**
   * Reads a table into a snapshot the host holds for the visualizer. Without `snapshotId` a new snapshot starts (and
   * replaces this connection's earlier one of the table); with it, reading goes on. A call stops after `maxItems`
   * more items or about `budgetMs`, so a slow remote table shows progress; call again until `done`.
   */
  'items:load': {
    input: TableRef.extend({
      snapshotId: z.string().max(100).optional(),
      maxItems: z.number().int().min(1).optional(),
      budgetMs: z.number().int().min(1).max(60_000).default(1000),
    }).strict(),
    output: ItemsSnapshot,
  },
  /**
   * A view of a snapshot: its groups (partitions) without their rows, `count` rows from `from`, and the rows of the
   * item ids in `locate`. Rows are numbered across the view: each group's header row, then its item rows.
   */
  'items:view': {
    input: z
      .object({
        snapshotId: z.string().max(100),
        options: ItemsViewOptions.default({ showExcluded: false, filter: '', ghosts: [] }),
        from: z.number().int().min(0).default(0),
        count: z.number().int().min(0).max(100_000).default(0),
        locate: z.array(z.string().max(3000)).max(10_000).default([]),
      })
      .strict(),
    output: ItemsViewSummary,
  },
  /** Item rows `from` to `from + count` of a view items:view gave (its `viewKey`). */
  'items:viewRows': {
    input: z
      .object({
        snapshotId: z.string().max(100),
        viewKey: z.string().max(100),
        from: z.number().int().min(0),
        count: z.number().int().min(0).max(100_000),
      })
      .strict(),
    output: z.object({ rows: z.array(ViewItemRow) }),
  },
  /** Saves an item. With `expected`, the put is conditional on the stored item still being equal to it. */
  'items:put': {
    input: TableRef.extend({
      item: ItemJson,
      expected: ItemJson.optional(),
      /** The item's previous key when key attributes changed: DynamoDB cannot update keys, so delete + put. */
      replacesKey: ItemJson.optional(),
      /** A new item: the put is conditional on no item having its key (item.conflict otherwise). */
      create: z.boolean().optional(),
    }).strict(),
    output: z.object({ item: ItemJson }),
  },
  'items:delete': {
    input: TableRef.extend({ key: ItemJson, expected: ItemJson.optional() }).strict(),
    output: z.object({ deleted: z.boolean() }),
  },
  /** The table's items as a file's text (the renderer offers it as a download), with progress by page. */
  'data:export': {
    input: TableRef.extend({ format: z.enum(['jsonl', 'json', 'csv']) })
      .extend(Progress.shape)
      .strict(),
    output: z.object({ fileName: z.string(), content: z.string(), itemCount: z.number() }),
  },
  'patterns:run': {
    input: ConnectionId.extend(ModelRef.shape)
      .extend({
        patternId: z.string().min(1),
        params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
        exclusiveStartKey: ItemJson.optional(),
        /** Overrides the pattern's own Limit for this run (DynamoDB's Limit is at least 1). */
        limit: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
    output: PatternRunResult,
  },
  /**
   * Runs one of the model's write recipes and follows the stream into the table's handler. A refused condition is
   * a result (ok: false, with the reason per step), not an error.
   */
  'recipes:run': {
    input: ConnectionId.extend(ModelRef.shape)
      .extend({
        recipeId: z.string().min(1),
        params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
        mode: z.enum(['auto', 'transaction', 'steps']).optional(),
      })
      .strict(),
    output: RecipeRunResult,
  },
  /** Re-runs the model's stream handler on one stream record (by sequence number) and returns its steps. */
  'stream:replay': {
    input: ConnectionId.extend(ModelRef.shape)
      .extend({ tableName: z.string(), sequenceNumber: z.string() })
      .strict(),
    output: z.object({ steps: z.array(FlowStep) }),
  },
  /** Earlier recipe runs and replays of this model (newest first, without their timelines). */
  'recipes:history': { input: ModelRef.strict(), output: z.array(RunHistorySummary) },
  /** One earlier run with its timeline. */
  'recipes:historyGet': {
    input: ModelRef.extend({ id: z.string().min(1) }).strict(),
    output: RunHistoryEntry,
  },
} as const
