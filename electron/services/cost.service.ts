import type { ConsumedCapacity, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import {
  addUnits,
  DEFAULT_PRICES,
  evenHotKeyShare,
  gsiWriteAmplification,
  hotPartitions,
  itemCollectionWarnings,
  noUnits,
  partitionSizes,
  patternCost,
  plainItemSize,
  readUnits,
  sizeHistogram,
  tableStorage,
  tableWriteUnits,
  targetCosts,
  type HotPartitionFigure,
  type ItemCollectionWarning,
  type PartitionSize,
  type PatternCapacity,
  type PatternCost,
  type SizeBucket,
  type Prices,
  type StorageFigure,
  type TargetCost,
  type UnitsByTarget,
} from '../../shared/domain/cost'
import type { PartitionLoad } from '../../shared/domain/heat'
import { formatKeyTemplate, parseKeyTemplate, templatePrefix } from '../../shared/domain/key-template'
import type { AccessPattern, Model, TableSpec } from '../../shared/domain/model'
import {
  DEFAULT_UTILISATION,
  rateOf,
  unknownTrafficNames,
  type TrafficProfile,
} from '../../shared/domain/traffic'
import { checkParams, openThrowawayEngine } from './check.service'
import { toWorkbenchError, WorkbenchError } from './errors'
import { toRow } from './item-json'
import type { SampleItems } from './model.service'
import { resolveParams } from './pattern.builder'
import { defaultGenerators, previewPattern, runPattern } from './pattern.service'
import { schemaLoad } from './schema.service'
import { seedItems } from './seed.service'
import { applyHandlerDirect, type HandlerStep } from './stream.service'

type Row = Record<string, unknown>

export interface MeasuredCapacity extends PatternCapacity {
  /** How the figure was found: the engine's ReturnConsumedCapacity, plus the stream handler's writes for a stream pattern. */
  source: 'engine' | 'engine+handler' | 'recipe steps'
  /** Why a pattern could not be measured (its capacity is then zero and the report says so). */
  error?: string
}

/** ReturnConsumedCapacity: INDEXES → units on the table, each GSI and each LSI. */
export function unitsOf(c: ConsumedCapacity | undefined): UnitsByTarget {
  if (!c) return noUnits()
  const map = (r: Record<string, { CapacityUnits?: number }> | undefined) =>
    Object.fromEntries(Object.entries(r ?? {}).map(([k, v]) => [k, v.CapacityUnits ?? 0]))
  const gsis = map(c.GlobalSecondaryIndexes)
  const lsis = map(c.LocalSecondaryIndexes)
  return { table: c.Table?.CapacityUnits ?? (c.Table ? 0 : (c.CapacityUnits ?? 0)), gsis, lsis }
}

const keyOf = (spec: TableSpec, row: Row) =>
  JSON.stringify(spec.keySchema.map((k) => row[k.attributeName] ?? null))

/**
 * The write units a stream handler's steps cost, from the items they wrote: each put and delete on the table and
 * its indexes, doubled inside a transaction. A delete that names only a key is charged as the full row the
 * handler read before (so its index entry is counted too).
 */
export function handlerWriteUnits(model: Model, steps: HandlerStep[]): UnitsByTarget {
  const total = noUnits()
  const seen = new Map<string, Row>()
  const full = (spec: TableSpec, row: Row) => seen.get(`${spec.name}\u0000${keyOf(spec, row)}`) ?? row
  const spec = (name: string) => model.tables.find((t) => t.name === name)
  for (const s of steps) {
    if (s.kind === 'query' || s.kind === 'read') {
      const table = String((s.request as { TableName?: string }).TableName ?? '')
      const t = spec(table)
      if (t) for (const i of s.items) seen.set(`${t.name}\u0000${keyOf(t, i)}`, i)
    }
    const tableOf = (req: unknown) => spec(String((req as { TableName?: string }).TableName ?? ''))
    if (s.kind === 'put') {
      const t = tableOf(s.request)
      if (t) addUnits(total, tableWriteUnits(t, undefined, s.after))
    } else if (s.kind === 'delete') {
      const t = tableOf(s.request)
      if (t) addUnits(total, tableWriteUnits(t, full(t, s.before), undefined))
    } else if (s.kind === 'update') {
      const t = tableOf(s.request)
      if (t) addUnits(total, tableWriteUnits(t, full(t, s.key), s.after ?? full(t, s.key)))
    } else if (s.kind === 'transact') {
      for (const w of s.writes) {
        const t = spec(w.table)
        if (!t || w.op === 'ConditionCheck') continue
        const before = w.op === 'Put' ? undefined : full(t, w.item)
        const after = w.op === 'Delete' ? undefined : w.item
        addUnits(total, tableWriteUnits(t, before, after, { transactional: true }))
      }
    }
  }
  return total
}

const READS = new Set<AccessPattern['operation']>(['Query', 'GetItem', 'Scan', 'stream'])

/**
 * Capacity per call of every pattern, measured on the engine the client talks to (load the model's tables and
 * data there first): reads and writes by ReturnConsumedCapacity INDEXES; a stream pattern's handler is applied
 * to the item the table's first PutItem pattern writes, and its writes are priced with the same arithmetic.
 */
export async function measureCapacity(client: DynamoDBClient, model: Model): Promise<MeasuredCapacity[]> {
  const ordered = [
    ...model.accessPatterns.filter((p) => READS.has(p.operation)),
    ...model.accessPatterns.filter((p) => !READS.has(p.operation)),
  ]
  const out = new Map<string, MeasuredCapacity>()
  for (const p of ordered) {
    const m: MeasuredCapacity = {
      patternId: p.id,
      table: p.table,
      reads: noUnits(),
      writes: noUnits(),
      source: 'engine',
    }
    try {
      const r = await runPattern(client, model, p.id, checkParams(p), { returnConsumedCapacity: 'INDEXES' })
      if (READS.has(p.operation)) m.reads = unitsOf(r.consumedCapacity)
      else m.writes = unitsOf(r.consumedCapacity)
    } catch (err) {
      m.error = toWorkbenchError(err).message
    }
    out.set(p.id, m)
  }
  for (const p of model.accessPatterns) {
    if (p.operation !== 'stream' || !p.handler) continue
    const m = out.get(p.id)!
    const trigger = model.accessPatterns.find((x) => x.operation === 'PutItem' && x.table === p.table)
    if (!trigger) continue
    try {
      const item = previewPattern(model, trigger.id, checkParams(trigger)).input as { Item?: unknown }
      const row = toRow(item.Item as Parameters<typeof toRow>[0])
      const reports = await applyHandlerDirect(client, model, p.table, [row], { handlerName: p.handler })
      const steps = reports.flatMap((r) => r.steps)
      const failed = steps.find((s) => s.kind === 'error')
      if (failed && failed.kind === 'error') m.error = `handler: ${failed.detail}`
      m.writes = handlerWriteUnits(model, steps)
      m.source = 'engine+handler'
    } catch (err) {
      m.error = `handler: ${toWorkbenchError(err).message}`
    }
  }
  return model.accessPatterns.map((p) => out.get(p.id)!)
}

type Recipe = Model['recipes'][number]

/** `true` when a recipe's steps go in one TransactWriteItems on real DynamoDB (which has transactions). */
const transactional = (r: Recipe) => r.mode === 'transaction' || (r.mode === 'auto' && r.steps.length > 1)

/**
 * A write recipe's capacity per run, computed from its steps with the sample data as the table's current state:
 * a Put or Delete is priced on the item before and after (so GSI entries and key changes count), an Update on
 * the item as it is (its expression is not evaluated), a ConditionCheck as a transactional read, as the engine
 * charges it; everything doubles inside a transaction.
 */
export function recipeCapacity(model: Model, recipe: Recipe, sample: SampleItems): MeasuredCapacity {
  const out: MeasuredCapacity = {
    patternId: recipe.id,
    table: recipe.steps[0]!.table,
    reads: noUnits(),
    writes: noUnits(),
    source: 'recipe steps',
  }
  try {
    const asPattern = { id: recipe.id, params: recipe.params } as unknown as AccessPattern
    const params = resolveParams(asPattern, checkParams(asPattern), defaultGenerators)
    const fill = (rec: Record<string, unknown> | undefined): Row =>
      Object.fromEntries(
        Object.entries(rec ?? {}).map(([k, v]) => [
          k,
          typeof v === 'string' ? formatKeyTemplate(parseKeyTemplate(v), params) : v,
        ]),
      )
    const tx = { transactional: transactional(recipe) }
    for (const step of recipe.steps) {
      const spec = model.tables.find((t) => t.name === step.table)
      if (!spec) throw new WorkbenchError('model.invalid', `recipe ${recipe.id}: no table "${step.table}"`)
      const keyNames = spec.keySchema.map((k) => k.attributeName)
      const key = fill(step.op === 'Put' ? step.item : step.key)
      const existing = (sample[step.table] ?? []).find((i) => keyNames.every((k) => sameJson(i[k], key[k])))
      if (step.op === 'Put') addUnits(out.writes, tableWriteUnits(spec, existing, fill(step.item), tx))
      else if (step.op === 'Delete')
        addUnits(out.writes, tableWriteUnits(spec, existing ?? key, undefined, tx))
      else if (step.op === 'Update') {
        const item = existing ?? key
        addUnits(out.writes, tableWriteUnits(spec, item, item, tx))
      } else out.reads.table += readUnits(existing ? plainItemSize(existing) : 0, 'transactional')
    }
  } catch (err) {
    out.error = toWorkbenchError(err).message
  }
  return out
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

export interface PatternCostRow extends PatternCost {
  name: string
  operation: string
  index?: string
  source: MeasuredCapacity['source']
  reads: UnitsByTarget
  writes: UnitsByTarget
  hotKeyShare: number
  error?: string
}

export interface CostReport {
  model: string
  prices: Pick<Prices, 'asOf' | 'source' | 'region' | 'tableClass' | 'currency' | 'hoursPerMonth'>
  utilisation: number
  patterns: PatternCostRow[]
  targets: TargetCost[]
  storage: StorageFigure[]
  /** GSI write units per table write unit across the traffic. */
  gsiWriteAmplification: number
  hotPartitions: HotPartitionFigure[]
  itemCollections: ItemCollectionWarning[]
  /** Largest partitions per table in the sample data, scaled to the declared volume. */
  partitions: { table: string; sizes: PartitionSize[]; histogram: SizeBucket[] }[]
  /** Each rated pattern's load per table and GSI, for spreading over partitions (the visualizer's heat strip). */
  partitionLoads: PartitionLoad[]
  totals: { onDemand: number; provisioned: number; storage: number }
  warnings: string[]
}

/** Refuses traffic for a pattern the model does not have, naming the valid ones. */
export function validateTraffic(model: Model, traffic: TrafficProfile): void {
  const valid = [...model.accessPatterns.map((p) => p.id), ...model.recipes.map((r) => r.id)]
  const unknown = unknownTrafficNames(traffic, valid)
  if (unknown.length)
    throw new WorkbenchError(
      'traffic.invalid',
      `traffic for ${unknown.map((u) => `"${u}"`).join(', ')}, which model ${model.name} has no pattern or recipe for (valid: ${valid.join(', ') || 'none'})`,
      { unknown, valid },
    )
}

/** The literal start of the partition key value a pattern asks for (`ORDER#` for `ORDER#{order_id}`). */
function keyPrefix(model: Model, p: AccessPattern): string | undefined {
  const template = keyTemplate(model, p)
  return template !== undefined ? templatePrefix(template) : undefined
}

/** The partition key value the pattern's default parameters ask for, when they fill its template. */
function defaultKey(model: Model, p: AccessPattern): string | undefined {
  const template = keyTemplate(model, p)
  if (template === undefined) return undefined
  const defaults = Object.fromEntries(
    p.params.flatMap((x) => (x.default !== undefined ? [[x.name, String(x.default)]] : [])),
  )
  try {
    return String(formatKeyTemplate(parseKeyTemplate(template), defaults))
  } catch {
    return undefined
  }
}

/** The template of the partition key value a pattern asks for (its key, item or key condition). */
function keyTemplate(model: Model, p: AccessPattern): string | undefined {
  const t = model.tables.find((x) => x.name === p.table)
  const keySchema = p.index
    ? [...(t?.globalSecondaryIndexes ?? []), ...(t?.localSecondaryIndexes ?? [])].find(
        (i) => i.indexName === p.index,
      )?.keySchema
    : t?.keySchema
  const pk = keySchema?.[0]?.attributeName
  if (!pk) return undefined
  let template: unknown = p.key?.[pk] ?? p.item?.[pk]
  if (template === undefined && p.keyCondition) {
    // `pk = :pk` or `#pk = :v`: the placeholder compared with the partition key.
    const m = new RegExp(`(?:^|\\s|\\()#?${pk}\\s*=\\s*(:[A-Za-z0-9_]+)`).exec(p.keyCondition)
    if (m) template = p.values?.[m[1]!]
  }
  return typeof template === 'string' ? template : undefined
}

/**
 * Each rated pattern's units per second on each table and GSI, with the key prefix its calls go to where the
 * pattern names it: what the visualizer's heat strip spreads over the partitions it shows.
 */
function partitionLoads(
  model: Model,
  capacity: MeasuredCapacity[],
  traffic: TrafficProfile,
): PartitionLoad[] {
  const loads: PartitionLoad[] = []
  for (const c of capacity) {
    const t = traffic.rates[c.patternId]
    if (t === undefined) continue
    const { rate, hotKeyShare } = rateOf(t)
    if (!rate) continue
    const p = model.accessPatterns.find((x) => x.id === c.patternId)
    const table = model.tables.find((x) => x.name === c.table)
    const onGsi = !!p?.index && !!table?.globalSecondaryIndexes?.some((g) => g.indexName === p.index)
    const prefix = p ? keyPrefix(model, p) : undefined
    const hot = p && hotKeyShare !== undefined ? defaultKey(model, p) : undefined
    const add = (kind: 'read' | 'write', units: number, index?: string) => {
      if (!units) return
      // The pattern's key prefix and hot key belong to the target it addresses; other units (a write's GSI
      // copies) land on keys the prefix does not tell, so they spread over every partition there.
      const own = index === undefined ? !onGsi : index === p?.index
      loads.push({
        patternId: c.patternId,
        table: c.table,
        ...(index ? { index } : {}),
        kind,
        unitsPerSecond: Math.round(rate * units * 1e6) / 1e6,
        ...(own && prefix !== undefined ? { keyPrefix: prefix } : {}),
        ...(own && hot !== undefined ? { hotKey: hot, hotKeyShare } : {}),
      })
    }
    for (const [kind, u] of [
      ['read', c.reads],
      ['write', c.writes],
    ] as const) {
      add(kind, u.table + Object.values(u.lsis).reduce((a, b) => a + b, 0))
      for (const [g, units] of Object.entries(u.gsis)) add(kind, units, g)
    }
  }
  return loads
}

/** Partition key values per table and index, from the sample items. */
function partitionKeys(model: Model, sample: SampleItems, p: AccessPattern): string[] {
  const t = model.tables.find((x) => x.name === p.table)
  if (!t) return []
  const idx = p.index
    ? [...(t.globalSecondaryIndexes ?? []), ...(t.localSecondaryIndexes ?? [])].find(
        (i) => i.indexName === p.index,
      )
    : undefined
  const pk = (idx?.keySchema ?? t.keySchema)[0]!.attributeName
  return [
    ...new Set(
      (sample[t.name] ?? [])
        .map((i) => i[pk])
        .filter((v) => v !== undefined)
        .map(String),
    ),
  ]
}

/** Prices every pattern at its rate from measured capacity, with storage and partition checks. */
export function priceModel(
  model: Model,
  sample: SampleItems,
  capacity: MeasuredCapacity[],
  traffic: TrafficProfile,
  prices: Prices = DEFAULT_PRICES,
): CostReport {
  validateTraffic(model, traffic)
  const utilisation = traffic.utilisation ?? DEFAULT_UTILISATION
  const options = { prices, utilisation }
  const warnings: string[] = []
  const rated: { capacity: PatternCapacity; rate: number }[] = []
  const hot: HotPartitionFigure[] = []
  const patterns: PatternCostRow[] = capacity.map((c) => {
    const p = model.accessPatterns.find((x) => x.id === c.patternId)
    const recipe = p ? undefined : model.recipes.find((x) => x.id === c.patternId)
    const t = traffic.rates[c.patternId]
    const { rate, hotKeyShare } = t === undefined ? { rate: 0, hotKeyShare: undefined } : rateOf(t)
    // A recipe writes keys its parameters choose: without a declared share, its writes are taken as spread evenly.
    const share =
      hotKeyShare ?? (p ? evenHotKeyShare(keyPrefix(model, p), partitionKeys(model, sample, p)) : 0)
    rated.push({ capacity: c, rate })
    if (share > 0) hot.push(...hotPartitions(c, rate, share))
    if (c.error) warnings.push(`pattern ${c.patternId} could not be measured: ${c.error}`)
    return {
      ...patternCost(c, rate, options),
      name: p?.name ?? recipe?.name ?? c.patternId,
      operation: p?.operation ?? 'recipe',
      ...(p?.index ? { index: p.index } : {}),
      source: c.source,
      reads: c.reads,
      writes: c.writes,
      hotKeyShare: share,
      ...(c.error ? { error: c.error } : {}),
    }
  })
  for (const h of hot.filter((x) => x.throttles))
    warnings.push(
      `pattern ${h.patternId} will throttle: ${h.unitsPerSecond} ${h.kind === 'read' ? 'RCU' : 'WCU'}/s on the busiest partition of ${h.table}${h.index ? `/${h.index}` : ''} (limit ${h.limit}; ${Math.round(h.hotKeyShare * 1000) / 10}% of calls on one key)`,
    )
  const storage: StorageFigure[] = []
  const itemCollections: ItemCollectionWarning[] = []
  const partitions: CostReport['partitions'] = []
  for (const t of model.tables) {
    const items = sample[t.name] ?? []
    const volume = traffic.tables?.[t.name] ?? {}
    storage.push(...tableStorage(t, items, volume, prices))
    const scale = volume.items !== undefined && items.length ? volume.items / items.length : 1
    itemCollections.push(...itemCollectionWarnings(t, items, scale))
    const sizes = partitionSizes(t, items, scale)
    partitions.push({ table: t.name, sizes: sizes.slice(0, 50), histogram: sizeHistogram(sizes) })
  }
  for (const w of itemCollections)
    warnings.push(
      `item collection ${w.partitionKey} of ${w.table} reaches ${(w.bytes / 1024 ** 3).toFixed(1)} GB, over the 10 GB limit for tables with local secondary indexes`,
    )
  const targets = targetCosts(rated, options)
  const add = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) * 1e6) / 1e6
  return {
    model: model.name,
    prices: {
      asOf: prices.asOf,
      source: prices.source,
      region: prices.region,
      tableClass: prices.tableClass,
      currency: prices.currency,
      hoursPerMonth: prices.hoursPerMonth,
    },
    utilisation,
    patterns,
    targets,
    storage,
    gsiWriteAmplification: gsiWriteAmplification(rated),
    hotPartitions: hot,
    itemCollections,
    partitions,
    partitionLoads: partitionLoads(model, capacity, traffic),
    totals: {
      onDemand: add(patterns.map((p) => p.onDemand)),
      provisioned: add(patterns.map((p) => p.provisioned)),
      storage: add(storage.map((s) => s.monthly)),
    },
    warnings,
  }
}

/**
 * The whole use case: validate the traffic, measure each pattern's capacity on a throwaway engine loaded with the
 * model and its sample data, and price it.
 */
export async function estimateCost(
  model: Model,
  sample: SampleItems,
  traffic: TrafficProfile,
  options: { prices?: Prices; onProgress?: (line: string) => void } = {},
): Promise<CostReport> {
  validateTraffic(model, traffic)
  const engine = await openThrowawayEngine()
  try {
    options.onProgress?.('creating the tables on a throwaway engine')
    await schemaLoad(engine.client, model)
    for (const [table, items] of Object.entries(sample)) {
      const spec = model.tables.find((t) => t.name === table)
      if (!spec) continue
      await seedItems(
        engine.client,
        table,
        spec.keySchema.map((k) => k.attributeName),
        items,
      )
    }
    options.onProgress?.('measuring each pattern')
    const capacity = [
      ...(await measureCapacity(engine.client, model)),
      ...model.recipes.map((r) => recipeCapacity(model, r, sample)),
    ]
    return priceModel(model, sample, capacity, traffic, options.prices)
  } finally {
    await engine.close()
  }
}
