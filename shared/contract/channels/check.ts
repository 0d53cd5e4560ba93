import { z } from 'zod'

/** One row of a model check: a pattern (or recipe, or a setup step), whether it passed, why not, what it cost. */
export const CheckRowView = z.object({
  kind: z.enum(['setup', 'pattern', 'recipe']),
  id: z.string(),
  name: z.string(),
  table: z.string().optional(),
  index: z.string().optional(),
  operation: z.string().optional(),
  passed: z.boolean(),
  reasons: z.array(z.string()),
  expectations: z.array(z.object({ name: z.string(), held: z.boolean(), detail: z.string() })),
  consumedCapacity: z.number().optional(),
  itemCount: z.number().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  /** Where the row's data came from, when not obvious (a stream pattern: the recipe its handler followed). */
  note: z.string().optional(),
  run: z.object({ params: z.record(z.string(), z.unknown()), request: z.unknown() }).optional(),
  /** Not run (a recipe case on generated data); `passed` stays true. */
  skipped: z.boolean().optional(),
  /** Expectations (or the skipped row) not checked, each with why. */
  notApplicable: z.array(z.string()).optional(),
})
export type CheckRowView = z.infer<typeof CheckRowView>

export const CheckReportView = z.object({
  model: z.string(),
  target: z.string(),
  prefix: z.string().optional(),
  rows: z.array(CheckRowView),
  passed: z.number(),
  failed: z.number(),
  skipped: z.number(),
  notApplicable: z.number(),
  data: z.enum(['sample', 'generated']),
  ok: z.boolean(),
  removedLeftovers: z.array(z.string()),
})
export type CheckReportView = z.infer<typeof CheckReportView>

const Units = z.object({
  table: z.number(),
  gsis: z.record(z.string(), z.number()),
  lsis: z.record(z.string(), z.number()),
})

export const CostReportView = z.object({
  model: z.string(),
  prices: z.object({
    asOf: z.string(),
    source: z.string(),
    region: z.string(),
    tableClass: z.string(),
    currency: z.string(),
    hoursPerMonth: z.number(),
  }),
  utilisation: z.number(),
  patterns: z.array(
    z.object({
      patternId: z.string(),
      name: z.string(),
      operation: z.string(),
      table: z.string(),
      index: z.string().optional(),
      rate: z.number(),
      readUnitsPerCall: z.number(),
      writeUnitsPerCall: z.number(),
      gsiWriteUnitsPerCall: z.number(),
      onDemand: z.number(),
      provisioned: z.number(),
      provisionedRcu: z.number(),
      provisionedWcu: z.number(),
      reads: Units,
      writes: Units,
      hotKeyShare: z.number(),
      error: z.string().optional(),
    }),
  ),
  targets: z.array(
    z.object({
      table: z.string(),
      index: z.string().optional(),
      kind: z.enum(['table', 'gsi']),
      readUnitsPerSecond: z.number(),
      writeUnitsPerSecond: z.number(),
      onDemand: z.number(),
      provisioned: z.number(),
    }),
  ),
  storage: z.array(
    z.object({
      table: z.string(),
      index: z.string().optional(),
      kind: z.enum(['table', 'gsi', 'lsi']),
      items: z.number(),
      bytes: z.number(),
      monthly: z.number(),
    }),
  ),
  gsiWriteAmplification: z.number(),
  /** Per table: the largest partitions and how many partitions fall in each size band (sample data, scaled). */
  partitions: z.array(
    z.object({
      table: z.string(),
      sizes: z.array(z.object({ partitionKey: z.string(), items: z.number(), bytes: z.number() })),
      histogram: z.array(z.object({ label: z.string(), upToBytes: z.number(), partitions: z.number() })),
    }),
  ),
  /** Each rated pattern's units per second per table and GSI, with the key prefix its calls go to. */
  partitionLoads: z.array(
    z.object({
      patternId: z.string(),
      table: z.string(),
      index: z.string().optional(),
      kind: z.enum(['read', 'write']),
      unitsPerSecond: z.number(),
      keyPrefix: z.string().optional(),
      hotKeyShare: z.number().optional(),
      hotKey: z.string().optional(),
    }),
  ),
  totals: z.object({ onDemand: z.number(), provisioned: z.number(), storage: z.number() }),
  warnings: z.array(z.string()),
})
export type CostReportView = z.infer<typeof CostReportView>

export const checkChannels = {
  /**
   * Checks the model: on a throwaway engine, or (with connectionId) on that connection under a table-name prefix
   * of the run's own, removed afterwards. The same services function as `tablewright check`.
   */
  'check:run': {
    input: z.object({ modelId: z.string().min(1), connectionId: z.string().min(1).optional() }).strict(),
    output: CheckReportView,
  },
  /** The model's monthly cost at the given rates (over the model's own traffic), measured on a throwaway engine. */
  'cost:estimate': {
    input: z
      .object({
        modelId: z.string().min(1),
        rates: z.record(z.string().min(1), z.number().min(0).max(1e9)).default({}),
        utilisation: z.number().gt(0).max(1).optional(),
      })
      .strict(),
    output: CostReportView,
  },
} as const
