import { z } from 'zod'
import { ConnectionId } from './connections'

/*
 * Model ↔ live tables (issue 10 §3): a model reverse-engineered from a table of the active connection, and what
 * schema-load would create or change there. The same services functions back `tablewright model from-table` and
 * `tablewright model diff`.
 */

/** The model to compare: an open model by id, or the editor's (unsaved) text. */
const ModelSourceRef = z
  .object({
    modelId: z.string().min(1).max(4096).optional(),
    text: z
      .string()
      .max(64 * 1024 * 1024)
      .optional(),
  })
  .strict()

const exactlyOneModel = (r: { modelId?: string | undefined; text?: string | undefined }) =>
  (r.modelId === undefined) !== (r.text === undefined)
const exactlyOneModelMessage = { message: 'give exactly one of modelId and text' }

export const InferredEntityView = z.object({
  name: z.string(),
  /** Sampled items of this shape. */
  count: z.number().int(),
  /** Key attribute → template (`ORDER#{order_id}`). */
  keys: z.record(z.string(), z.string()),
  attributes: z.array(z.object({ name: z.string(), type: z.string(), present: z.number().int() })),
  /** Index → how many of the entity's sampled items it holds (fewer than `count`: a sparse index). */
  indexes: z.record(z.string(), z.number().int()),
})
export type InferredEntityView = z.infer<typeof InferredEntityView>

export const FromTableResult = z.object({
  table: z.string(),
  /** The model as JSON text (numbers exact), ready for the editor as an unsaved draft. */
  text: z.string(),
  sampled: z.number().int(),
  truncated: z.boolean(),
  entities: z.array(InferredEntityView),
})
export type FromTableResult = z.infer<typeof FromTableResult>

export const DiffStepView = z.object({
  kind: z.enum(['createTable', 'createIndex', 'deleteIndex', 'updateStream', 'updateBilling']),
  table: z.string(),
  summary: z.string(),
  /** The CreateTable / UpdateTable input the step sends. */
  request: z.record(z.string(), z.unknown()),
})
export type DiffStepView = z.infer<typeof DiffStepView>

export const ModelDiffView = z.object({
  tables: z.array(
    z.object({
      table: z.string(),
      status: z.enum(['missing', 'same', 'differs']),
      differences: z.array(z.string()),
      unsupported: z.array(z.object({ field: z.string(), reason: z.string() })),
    }),
  ),
  steps: z.array(DiffStepView),
  /** Apply is refused on a read-only connection; the view says so before the user tries. */
  readOnly: z.boolean(),
})
export type ModelDiffView = z.infer<typeof ModelDiffView>

export const modelLiveChannels = {
  /** Reverse-engineers a model from a live table (DescribeTable + a Scan sample). Reads only: any connection. */
  'models:fromTable': {
    input: ConnectionId.extend({
      tableName: z.string().min(3).max(255),
      sampleSize: z.number().int().min(1).max(100_000).default(500),
      operationId: z.string().optional(),
    }).strict(),
    output: FromTableResult,
  },
  /** What schema-load would create or change on the connection for this model. Reads only. */
  'models:diff': {
    input: ConnectionId.extend(ModelSourceRef.shape).strict().refine(exactlyOneModel, exactlyOneModelMessage),
    output: ModelDiffView,
  },
  /**
   * Applies the diff, planned again here. `confirmSteps` are the summaries the user confirmed, in order: a plan that
   * no longer matches them is refused (confirm.required, with the current steps), and so is a read-only connection.
   */
  'models:applyDiff': {
    input: ConnectionId.extend(ModelSourceRef.shape)
      .extend({
        confirmSteps: z.array(z.string().max(2000)).max(1000),
        operationId: z.string().optional(),
      })
      .strict()
      .refine(exactlyOneModel, exactlyOneModelMessage),
    output: z.object({ applied: z.array(z.object({ table: z.string(), summary: z.string() })) }),
  },
} as const
