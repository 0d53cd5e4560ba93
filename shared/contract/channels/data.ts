import { z } from 'zod'
import { ConnectionId } from './connections'
import { ItemJson, Progress } from './workbench'

const TableRef = ConnectionId.extend({ tableName: z.string().min(3).max(255) })

/**
 * A data file's text as the user picked it. The browser host takes request bodies up to 10 MB, so a file is at
 * most 9 MB of text here; the CLI's `data import` reads files of any size.
 */
const ImportFile = z.object({
  fileName: z.string().max(1024),
  text: z.string().max(9 * 1024 * 1024),
  /** Detected from the name, else from the first characters, when absent. */
  format: z.enum(['jsonl', 'json', 'csv']).optional(),
})

export const ImportReport = z.object({
  format: z.enum(['jsonl', 'json', 'csv']),
  items: z.number().int().nonnegative(),
  /** Bad rows by line number; any at all and the import is refused whole. */
  errors: z.array(z.object({ line: z.number().int(), message: z.string() })),
  /** The table already holds items: the import overwrites any with the same key, so it is confirmed. */
  tableHasItems: z.boolean(),
})
export type ImportReport = z.infer<typeof ImportReport>

export const DeletePlanView = z.object({
  tableName: z.string(),
  keyAttributes: z.array(z.string()),
  keys: z.array(ItemJson),
  missing: z.array(ItemJson),
})
export type DeletePlanView = z.infer<typeof DeletePlanView>

export const dataChannels = {
  /** Reads and checks a data file against the table; writes nothing. */
  'data:importCheck': { input: TableRef.extend(ImportFile.shape).strict(), output: ImportReport },
  /**
   * Imports a data file: checked whole first (a bad row is `input.invalid` with `details.errors` by line, and
   * nothing is written); into a table that holds items only with `confirm` = the table name (`confirm.required`).
   */
  'data:import': {
    input: TableRef.extend(ImportFile.shape)
      .extend(Progress.shape)
      .extend({ confirm: z.string().max(300).optional() })
      .strict(),
    output: z.object({
      items: z.number(),
      written: z.number(),
      batches: z.number(),
      retries: z.number(),
    }),
  },
  /**
   * Deletes items by their base-table keys (an index row's item resolves to its table key). `dryRun` (the default)
   * only says what would go: exactly which keys, how many, and which are already gone. Deleting needs a
   * writable connection and `dryRun: false`.
   */
  'items:deleteMany': {
    input: TableRef.extend({
      items: z.array(ItemJson).min(1).max(10_000),
      dryRun: z.boolean().default(true),
    })
      .extend(Progress.shape)
      .strict(),
    output: z.object({
      dryRun: z.boolean(),
      plan: DeletePlanView,
      deleted: z.number().int().nonnegative(),
    }),
  },
} as const
