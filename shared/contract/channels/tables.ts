import { z } from 'zod'
import { ConnectionId } from './connections'

export const KeyElement = z.object({ name: z.string(), type: z.enum(['S', 'N', 'B']) })

export const TableSummary = z.object({
  name: z.string(),
  status: z.string(),
  itemCount: z.number().int().nonnegative(),
  sizeBytes: z.number().nonnegative(),
  partitionKey: KeyElement.optional(),
  sortKey: KeyElement.optional(),
  indexCount: z.number().int().nonnegative(),
  streamEnabled: z.boolean(),
})
export type TableSummary = z.infer<typeof TableSummary>

// Shapes only: what DynamoDB would refuse (names, limits, projections) is checked by shared/domain/table-rules.ts,
// which names the field at fault in words a form can show.
const KeySpec = z.object({ name: z.string().max(1024), type: z.enum(['S', 'N', 'B']) }).strict()
const ProjectionSpec = z
  .object({
    type: z.enum(['ALL', 'KEYS_ONLY', 'INCLUDE']),
    nonKeyAttributes: z.array(z.string().max(1024)).max(1000).optional(),
  })
  .strict()
const Capacity = z.object({ read: z.number(), write: z.number() }).strict()
export const TableSpec = z
  .object({
    name: z.string().max(1024),
    partitionKey: KeySpec,
    sortKey: KeySpec.optional(),
    gsis: z
      .array(
        z
          .object({
            name: z.string().max(1024),
            partitionKey: KeySpec,
            sortKey: KeySpec.optional(),
            projection: ProjectionSpec,
            capacity: Capacity.optional(),
          })
          .strict(),
      )
      .max(100),
    lsis: z
      .array(z.object({ name: z.string().max(1024), sortKey: KeySpec, projection: ProjectionSpec }).strict())
      .max(100),
    billing: z.discriminatedUnion('mode', [
      z.object({ mode: z.literal('PAY_PER_REQUEST') }).strict(),
      z.object({ mode: z.literal('PROVISIONED'), read: z.number(), write: z.number() }).strict(),
    ]),
    stream: z.discriminatedUnion('enabled', [
      z.object({ enabled: z.literal(false) }).strict(),
      z
        .object({
          enabled: z.literal(true),
          viewType: z.enum(['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES']),
        })
        .strict(),
    ]),
  })
  .strict()

const TableRef = ConnectionId.extend({ tableName: z.string().min(3).max(255) })

export const tableChannels = {
  'tables:list': { input: ConnectionId.strict(), output: z.array(TableSummary) },
  /**
   * Creates a table from the create-table dialog. A spec DynamoDB would refuse is `input.invalid` with
   * `details.issues` ({ field, message }[]) before any request; a taken name is `table.exists`.
   */
  'tables:create': { input: ConnectionId.extend({ spec: TableSpec }).strict(), output: TableSummary },
  /** Destructive: the caller types the table name back as `confirm`. */
  'tables:drop': {
    input: TableRef.extend({ confirm: z.string() }).strict(),
    output: z.object({ tableName: z.string(), deletedItems: z.number().int().nonnegative() }),
  },
} as const
