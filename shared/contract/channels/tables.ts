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

const TableRef = ConnectionId.extend({ tableName: z.string().min(3).max(255) })

export const tableChannels = {
  'tables:list': { input: ConnectionId.strict(), output: z.array(TableSummary) },
  /** Creates a small throwaway table, proving that the connection accepts writes. */
  'tables:createScratch': { input: ConnectionId.strict(), output: TableSummary },
  /** Destructive: the caller types the table name back as `confirm`. */
  'tables:drop': {
    input: TableRef.extend({ confirm: z.string() }).strict(),
    output: z.object({ tableName: z.string(), deletedItems: z.number().int().nonnegative() }),
  },
} as const
