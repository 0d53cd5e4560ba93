import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createEngine, startEngineServer } from '../engine'
import { formatKeyTemplate, parseKeyTemplate } from '../../shared/domain/key-template'
import {
  parseModel,
  recipeCaseId,
  recipeCases,
  renameModelTable,
  type AccessPattern,
  type Model,
  type PatternParam,
  type RecipeExpectations,
  type WriteRecipe,
} from '../../shared/domain/model'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import {
  GENERATED_DATA_NOTE,
  modelValuedBoundParams,
  sampleOnlyExpectations,
  valuesFromData,
  withoutSampleOnlyExpectations,
} from './check.generated'
import { toWorkbenchError, WorkbenchError } from './errors'
import { resolveHandlerFiles } from './handlers/handler-files'
import { parseRowsText } from './item-json'
import { loadSampleItems, type SampleItems } from './model.service'
import type { ExpectationResult, ParamValues } from './pattern.builder'
import { runPattern, type PatternRunResult } from './pattern.service'
import { runRecipe } from './recipe.service'
import { dropTable, schemaLoad } from './schema.service'
import { seedItems } from './seed.service'
import { listTableNames } from './tables.service'

/**
 * `check`: the model as a contract. Creates its tables, loads its sample data, runs every access pattern (and,
 * through `extraRows`, every write recipe) and checks each one's expectations, giving one row per pattern or recipe.
 * On a throwaway engine the tables are its own; on a real connection they live under a table-name prefix of this
 * run's own and are removed afterwards.
 */

export type CheckRowKind = 'setup' | 'pattern' | 'recipe'

export interface CheckRow {
  kind: CheckRowKind
  id: string
  name: string
  table?: string
  index?: string
  operation?: string
  passed: boolean
  /** Why it failed (each failing expectation or the error), empty when it passed. */
  reasons: string[]
  expectations: ExpectationResult[]
  /** Capacity units the call consumed, when reported. */
  consumedCapacity?: number
  itemCount?: number
  error?: { code: string; message: string }
  /**
   * Where a row's data came from when that is not obvious: for a stream pattern, the recipe run whose handler
   * produced what it reads, or that it reads the sample data because nothing in the model feeds its handler.
   */
  note?: string
  /** The run that was checked (its parameters and exact request), so a failing row leads to it. */
  run?: { params: Record<string, unknown>; request: unknown }
  /**
   * Not run at all (a recipe case on generated data): counted apart from passed and failed. `passed` stays true,
   * so a reader that only looks at it sees nothing failing.
   */
  skipped?: boolean
  /** Expectations (or, when skipped, the row) not checked, each with why. */
  notApplicable?: string[]
}

export interface CheckReport {
  model: string
  /** Where it ran: `throwaway engine`, or the connection's name. */
  target: string
  /** The table-name prefix on a real connection. */
  prefix?: string
  rows: CheckRow[]
  passed: number
  failed: number
  /** Rows not run (see CheckRow.skipped). */
  skipped: number
  /** Expectations not checked, in rows that ran (see CheckRow.notApplicable). */
  notApplicable: number
  /** 'generated' when the check ran on the model's generated data instead of its sample items. */
  data: 'sample' | 'generated'
  ok: boolean
  /** Leftover tables of an interrupted earlier check that this run removed. */
  removedLeftovers: string[]
}

/** Every check's tables on a real connection start with this, then the run's start time and a random tag. */
export const CHECK_PREFIX_ROOT = 'twcheck-'
/** A check whose tables are older than this is taken as interrupted, and its tables are removed. */
export const STALE_CHECK_MS = 10 * 60_000

export function checkPrefix(now = new Date(), tag = Math.random().toString(36).slice(2, 6)): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
  return `${CHECK_PREFIX_ROOT}${stamp}-${tag}-`
}

/** The start time a check's table name carries, or undefined for a name that is not a check's. */
export function checkStartedAt(table: string): Date | undefined {
  const m = /^twcheck-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-[a-z0-9]+-/.exec(table)
  if (!m) return undefined
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!))
}

/** Removes the tables of checks that started more than `staleAfterMs` ago (interrupted runs), and says which. */
export async function removeCheckLeftovers(
  client: DynamoDBClient,
  options: { staleAfterMs?: number; now?: Date } = {},
): Promise<string[]> {
  const now = (options.now ?? new Date()).getTime()
  const stale = options.staleAfterMs ?? STALE_CHECK_MS
  const removed: string[] = []
  for (const name of await listTableNames(client)) {
    const started = checkStartedAt(name)
    if (started && now - started.getTime() >= stale) {
      if (await dropTable(client, name)) removed.push(name)
    }
  }
  return removed
}

/** The model with every table under `prefix`, and its sample items renamed to match. */
export function prefixedModel(model: Model, sample: SampleItems, prefix: string) {
  let scoped = model
  for (const t of model.tables) scoped = renameModelTable(scoped, t.name, `${prefix}${t.name}`)
  const items = Object.fromEntries(Object.entries(sample).map(([t, v]) => [`${prefix}${t}`, v]))
  return { model: scoped, items }
}

const READS = new Set<AccessPattern['operation']>(['Query', 'GetItem', 'Scan'])

/**
 * Parameters a check runs a pattern with: its `expectations.params`, else declared defaults, else generated
 * values for uuid and timestamp parameters; a required text parameter with none of those gets a placeholder,
 * so a write pattern such as "send a message" can run without the model naming its text.
 */
export function checkParams(pattern: AccessPattern): ParamValues {
  return placeholders(pattern.id, pattern.params, { ...pattern.expectations?.params })
}

function placeholders(id: string, params: readonly PatternParam[], given: ParamValues): ParamValues {
  const out = { ...given }
  for (const p of params) {
    if (out[p.name] !== undefined || p.default !== undefined || !p.required) continue
    if (p.type === 'string') out[p.name] = `checked by tablewright (${id})`
    else if (p.type === 'handle') out[p.name] = 'tablewright'
    else if (p.type === 'number') out[p.name] = 1
  }
  return out
}

function patternRow(pattern: AccessPattern, r: PatternRunResult): CheckRow {
  const failed = r.expectations.filter((e) => !e.held)
  const index = 'IndexName' in r.request ? r.request.IndexName : undefined
  return {
    kind: 'pattern',
    id: pattern.id,
    name: pattern.name,
    table: pattern.table,
    ...(index ? { index } : {}),
    operation: r.operation,
    passed: failed.length === 0,
    reasons: failed.map((e) => `${e.name}: ${e.detail}`),
    expectations: r.expectations,
    consumedCapacity: r.consumedCapacity?.CapacityUnits,
    itemCount: r.count,
    run: { params: r.params, request: r.request },
  }
}

/** Runs one pattern and turns anything that goes wrong (bad parameters, a refused request) into a failing row. */
export async function checkPattern(
  client: DynamoDBClient,
  model: Model,
  pattern: AccessPattern,
  params: ParamValues = checkParams(pattern),
): Promise<CheckRow> {
  try {
    return patternRow(pattern, await runPattern(client, model, pattern.id, params))
  } catch (err) {
    const e = toWorkbenchError(err, { pattern: pattern.id })
    return {
      ...failedPatternRow(pattern, `${e.code}: ${e.message}`),
      error: { code: e.code, message: e.message },
    }
  }
}

/** A pattern's row when it could not be run at all. */
function failedPatternRow(pattern: AccessPattern, reason: string): CheckRow {
  return {
    kind: 'pattern',
    id: pattern.id,
    name: pattern.name,
    table: pattern.table,
    ...(pattern.index ? { index: pattern.index } : {}),
    operation: pattern.operation,
    passed: false,
    reasons: [reason],
    expectations: [],
  }
}

/** A value of a recipe's expectations: a template over the recipe's resolved parameters, or a literal. */
function resolved(
  value: string | number | boolean,
  params: Record<string, unknown>,
): string | number | boolean {
  if (typeof value !== 'string') return value
  return String(formatKeyTemplate(parseKeyTemplate(value), params as Record<string, string>))
}

/** What a recipe case's run left behind, for a stream pattern its handler feeds. */
interface RecipeCaseRun {
  row: CheckRow
  recipe: WriteRecipe
  /** The parameters the recipe ran with, resolved (generated ids and times included); absent when it threw. */
  params?: Record<string, unknown>
  ok: boolean
  /** Whether the stream handler wrote anything for this run's records. */
  handlerWrote: boolean
}

const HANDLER_WRITES = new Set(['put', 'delete', 'update', 'write', 'transact'])

/**
 * Runs one case of a write recipe's expectations (its handler applied in-process, so the check needs no stream),
 * then reads its postconditions back through the named access patterns.
 */
export async function checkRecipe(
  client: DynamoDBClient,
  model: Model,
  recipe: WriteRecipe,
  exp: RecipeExpectations = recipeCases(recipe)[0]!,
): Promise<CheckRow> {
  return (await runRecipeCase(client, model, recipe, exp)).row
}

function recipeRow(recipe: WriteRecipe, exp: RecipeExpectations): CheckRow {
  return {
    kind: 'recipe',
    id: recipeCaseId(recipe, exp),
    name: exp.case ? `${recipe.name} (${exp.case})` : recipe.name,
    table: recipe.steps[0]!.table,
    operation:
      recipe.steps.length > 1 && recipe.mode !== 'steps' ? 'TransactWriteItems' : recipe.steps[0]!.op,
    passed: false,
    reasons: [],
    expectations: [],
  }
}

async function runRecipeCase(
  client: DynamoDBClient,
  model: Model,
  recipe: WriteRecipe,
  exp: RecipeExpectations,
): Promise<RecipeCaseRun> {
  const row = recipeRow(recipe, exp)
  const out: RecipeCaseRun = { row, recipe, ok: false, handlerWrote: false }
  try {
    const run = await runRecipe(
      { ddb: client },
      model,
      recipe.id,
      placeholders(recipe.id, recipe.params, { ...exp.params }),
      { process: 'direct' },
    )
    out.params = run.params
    out.ok = run.ok
    out.handlerWrote = run.handlerReports.some((r) => r.steps.some((x) => HANDLER_WRITES.has(x.kind)))
    row.run = { params: run.params, request: run.transactRequest ?? run.writes.map((w) => w.request) }
    const outcome = run.ok ? 'succeeds' : 'cancelled'
    row.expectations.push({
      name: `outcome ${exp.outcome}`,
      held: outcome === exp.outcome,
      detail: run.ok
        ? 'every write went through'
        : `cancelled: ${run.failure?.message ?? 'a condition failed'}`,
    })
    const failedHandler = run.handlerReports.flatMap((r) => r.steps).find((s) => s.kind === 'error')
    if (failedHandler)
      row.expectations.push({
        name: 'handler',
        held: false,
        detail: `the stream handler failed: ${failedHandler.detail}`,
      })
    for (const after of exp.after ?? []) {
      const params = Object.fromEntries(
        Object.entries(after.params ?? {}).map(([k, v]) => [k, resolved(v, run.params)]),
      ) as Record<string, string | number>
      const read = await runPattern(client, model, after.pattern, params)
      if (after.count !== undefined)
        row.expectations.push({
          name: `after: pattern ${after.pattern} count ${after.count}`,
          held: read.count === after.count,
          detail: `${read.count} item(s)`,
        })
      if (after.first) {
        const first = read.items[0]
        for (const [attr, want] of Object.entries(after.first)) {
          const expected = resolved(want, run.params)
          const got = first?.[attr]
          row.expectations.push({
            name: `after: pattern ${after.pattern} first item ${attr}`,
            held: got !== undefined && String(got) === String(expected),
            detail: first
              ? `${attr} = ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`
              : 'no items',
          })
        }
      }
    }
  } catch (err) {
    const e = toWorkbenchError(err, { recipe: recipe.id })
    row.reasons.push(`${e.code}: ${e.message}`)
    row.error = { code: e.code, message: e.message }
    return out
  }
  const failed = row.expectations.filter((e) => !e.held)
  row.passed = failed.length === 0
  row.reasons = failed.map((e) => `${e.name}: ${e.detail}`)
  return out
}

/** Whether any step of the recipe writes to `table` (a ConditionCheck writes nothing, so it feeds no stream). */
const writesTo = (recipe: WriteRecipe, table: string) =>
  recipe.steps.some((s) => s.op !== 'ConditionCheck' && s.table === table)

/**
 * A stream pattern reads what its handler writes, so its row means something only after a write the handler
 * applies. The check runs it after the recipe cases; when one of them that writes to the handler's table went
 * through, the read follows it (its parameters carried over by name, e.g. the conversation just written to);
 * otherwise the first recipe that writes there is run first, with its defaults. With no such recipe the read is of
 * the sample data, and the row says so.
 */
async function checkStreamPattern(
  client: DynamoDBClient,
  model: Model,
  pattern: AccessPattern,
  ran: readonly RecipeCaseRun[],
  on: DataRules = SAMPLE_DATA,
): Promise<CheckRow> {
  const handler = model.streamHandlers.find((h) => h.name === pattern.handler)
  if (!handler) {
    const row = await checkPattern(client, model, pattern, on.patternParams(pattern))
    row.note = `handler ${pattern.handler ?? '(none)'} is not declared in the model: the read is of the sample data`
    return row
  }
  // The latest run whose records the handler turned into writes; else the latest that wrote to its table.
  const feeding = [...ran].reverse().filter((r) => r.ok && r.params && writesTo(r.recipe, handler.table))
  let feed = feeding.find((r) => r.handlerWrote) ?? feeding[0]
  let how = 'ran earlier in this check'
  if (!feed) {
    const recipe = model.recipes.find((r) => writesTo(r, handler.table))
    if (!recipe) {
      const row = await checkPattern(client, model, pattern, on.patternParams(pattern))
      row.note = `reads the sample data: no recipe in the model writes to ${handler.table}, so handler ${handler.name} has nothing to apply`
      return row
    }
    const drawn = on.feedParams(recipe)
    feed = await runRecipeCase(client, model, recipe, { outcome: 'succeeds', params: drawn })
    how = `run first, with its defaults${Object.keys(drawn).length ? ` and ${Object.keys(drawn).join(', ')} from the generated data` : ''}`
    if (!feed.ok || feed.row.error) {
      const reason =
        feed.row.error?.message ?? feed.row.expectations.find((e) => !e.held)?.detail ?? 'it failed'
      return failedPatternRow(
        pattern,
        `feed: recipe ${recipe.id}, which feeds handler ${handler.name}, did not go through: ${reason}`,
      )
    }
  }
  const given = pattern.expectations?.params ?? {}
  const params: ParamValues = on.patternParams(pattern)
  for (const p of pattern.params) {
    const carried = feed.params?.[p.name]
    if (given[p.name] === undefined && (typeof carried === 'string' || typeof carried === 'number'))
      params[p.name] = carried
  }
  const row = await checkPattern(client, model, pattern, params)
  row.note = `after recipe ${feed.row.id} (${how}); handler ${handler.name} applied to its writes`
  return row
}

/** How parameters are chosen: the model's own values on its sample items, or values drawn from generated data. */
interface DataRules {
  patternParams(pattern: AccessPattern): ParamValues
  /** Parameters of a recipe run only to feed a stream handler. */
  feedParams(recipe: WriteRecipe): Record<string, string | number>
}

const SAMPLE_DATA: DataRules = { patternParams: checkParams, feedParams: () => ({}) }

/** See check.generated.ts: bound parameters that the model fills with sample ids take generated values instead. */
function generatedDataRules(model: Model, items: SampleItems): DataRules {
  return {
    patternParams: (p) => ({
      ...checkParams(p),
      ...valuesFromData(model, items, p.params, modelValuedBoundParams(p), p.table),
    }),
    feedParams: (r) =>
      valuesFromData(
        model,
        items,
        r.params,
        new Set(r.params.filter((p) => p.default !== undefined).map((p) => p.name)),
        r.steps[0]?.table,
      ),
  }
}

/** Marks what a row on generated data did not check, and where its parameters came from. */
function onGeneratedData(row: CheckRow, pattern: AccessPattern): CheckRow {
  const skipped = sampleOnlyExpectations(pattern).map((e) => `${e}: ${GENERATED_DATA_NOTE}`)
  if (skipped.length) row.notApplicable = skipped
  // A stream pattern's parameters follow the recipe run that fed it, which its note already names.
  const drawn = pattern.operation === 'stream' ? [] : [...modelValuedBoundParams(pattern)]
  if (drawn.length) {
    const from = `${drawn.join(', ')} from the generated data`
    row.note = row.note ? `${row.note}; ${from}` : from
  }
  return row
}

type Raw = Record<string, unknown>
const asList = (x: unknown): Raw[] => (Array.isArray(x) ? (x as Raw[]) : [])

/**
 * A model whose only faults are in some of its access patterns (an index its table lacks, a key template over an
 * undeclared parameter) can still be checked: those patterns are set aside as failing rows that name the fault,
 * and the rest runs. References to them (a recipe's `pattern`, its postconditions read through them, a handler's
 * `pattern`) are left out, and the row says so. Undefined when the model is valid or anything else is wrong.
 */
export function setAsideFaultyPatterns(input: unknown): { model: Model; rows: CheckRow[] } | undefined {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return undefined
  const first = parseModel(input)
  if (first.ok) return undefined
  const faults = new Map<number, string[]>()
  for (const issue of first.issues) {
    const m = /^accessPatterns\[(\d+)\]/.exec(issue.path)
    if (!m) return undefined
    const at = Number(m[1])
    faults.set(at, [...(faults.get(at) ?? []), `${issue.path}: ${issue.message}`])
  }
  const raw = structuredClone(input) as Raw
  const patterns = asList(raw.accessPatterns)
  const ids = new Set([...faults.keys()].map((i) => String(patterns[i]?.id)))
  raw.accessPatterns = patterns.filter((_, i) => !faults.has(i))
  const leftOut = new Map<string, string[]>()
  const note = (id: string, what: string) => leftOut.set(id, [...(leftOut.get(id) ?? []), what])
  for (const r of asList(raw.recipes)) {
    if (ids.has(String(r.pattern))) {
      note(String(r.pattern), `recipe ${String(r.id)}'s link to it`)
      delete r.pattern
    }
    const cases = Array.isArray(r.expectations)
      ? asList(r.expectations)
      : r.expectations
        ? [r.expectations as Raw]
        : []
    for (const c of cases) {
      const after = asList(c.after)
      const kept = after.filter((a) => !ids.has(String(a.pattern)))
      for (const a of after)
        if (ids.has(String(a.pattern)))
          note(String(a.pattern), `recipe ${String(r.id)}'s postcondition read through it`)
      if (after.length) c.after = kept
    }
  }
  for (const h of asList(raw.streamHandlers))
    if (ids.has(String(h.pattern))) {
      note(String(h.pattern), `handler ${String(h.name)}'s link to it`)
      delete h.pattern
    }
  const second = parseModel(raw)
  if (!second.ok) return undefined
  const rows = [...faults].map(([i, reasons]): CheckRow => {
    const p = patterns[i] ?? {}
    const id = typeof p.id === 'string' ? p.id : `accessPatterns[${i}]`
    const left = leftOut.get(id)
    return {
      kind: 'pattern',
      id,
      name: typeof p.name === 'string' ? p.name : id,
      ...(typeof p.table === 'string' ? { table: p.table } : {}),
      ...(typeof p.index === 'string' ? { index: p.index } : {}),
      passed: false,
      reasons: reasons.map((r) => `model.invalid: ${r}`),
      expectations: [],
      error: { code: 'model.invalid', message: reasons.join('; ') },
      ...(left ? { note: `set aside, so the check left out ${left.join(', ')}` } : {}),
    }
  })
  return { model: second.model, rows }
}

/**
 * A model file for `check` that fails validation only in some access patterns: the rest of the model, its sample
 * items, and the set-aside patterns' failing rows. Undefined when the file cannot be read that way (the ordinary
 * load's error stands).
 */
export async function loadModelForCheck(
  file: string,
): Promise<{ model: Model; items: SampleItems; rows: CheckRow[] } | undefined> {
  const abs = path.resolve(file)
  let json: unknown
  try {
    json = parseRowsText(await readFile(abs, 'utf8'))
  } catch {
    return undefined
  }
  const aside = setAsideFaultyPatterns(json)
  if (!aside) return undefined
  const model = resolveHandlerFiles(aside.model, abs)
  return { model, items: await loadSampleItems(model, abs), rows: aside.rows }
}

export interface CheckOptions {
  /** Failing rows decided before the run (access patterns set aside as invalid), listed first. */
  setAside?: CheckRow[]
  /** Where the check runs, for the report. */
  target: string
  /** Put every table under this prefix and remove them afterwards (real connections). */
  prefix?: string
  /**
   * The loaded data is the model's generated data, not its sample items: parameters the model fills with sample
   * ids are drawn from the data, exact-data expectations and recipe cases are not applicable (check.generated.ts).
   */
  generatedData?: boolean
  /** Remove tables of interrupted checks first (real connections); see STALE_CHECK_MS. */
  staleAfterMs?: number
  /**
   * More rows to check once the patterns ran, on the prepared tables: the extension point for write recipes and
   * their postconditions. Receives the model as it runs (tables prefixed).
   */
  extraRows?: (client: DynamoDBClient, model: Model) => Promise<CheckRow[]>
  onProgress?: (line: string) => void
}

/** Creates the tables, loads `sample`, runs every pattern (reads first, on the loaded data, then writes). */
export async function runCheck(
  client: DynamoDBClient,
  model: Model,
  sample: SampleItems,
  options: CheckOptions,
): Promise<CheckReport> {
  const removedLeftovers =
    options.prefix !== undefined
      ? await removeCheckLeftovers(client, { staleAfterMs: options.staleAfterMs })
      : []
  const scoped = options.prefix ? prefixedModel(model, sample, options.prefix) : { model, items: sample }
  const rows: CheckRow[] = [...(options.setAside ?? [])]
  try {
    const setupFailed = await prepare(client, scoped.model, scoped.items, options, rows)
    if (!setupFailed) {
      // Reads first, on the loaded data; then writes; then the recipes' cases; stream patterns last, after the
      // writes their handlers apply.
      const generated = options.generatedData === true
      const checked = generated ? withoutSampleOnlyExpectations(scoped.model) : scoped.model
      const on = generated ? generatedDataRules(checked, scoped.items) : SAMPLE_DATA
      const mark = (row: CheckRow, p: AccessPattern) => (generated ? onGeneratedData(row, p) : row)
      const patterns = scoped.model.accessPatterns
      const ordered = [
        ...patterns.filter((p) => READS.has(p.operation)),
        ...patterns.filter((p) => !READS.has(p.operation) && p.operation !== 'stream'),
      ]
      for (const p of ordered) {
        options.onProgress?.(`pattern ${p.id}`)
        rows.push(mark(await checkPattern(client, checked, p, on.patternParams(p)), p))
      }
      const ran: RecipeCaseRun[] = []
      for (const r of checked.recipes)
        for (const c of recipeCases(r)) {
          if (generated) {
            rows.push({
              ...recipeRow(r, c),
              passed: true,
              skipped: true,
              notApplicable: [
                `its parameters and postconditions describe the sample items: ${GENERATED_DATA_NOTE}`,
              ],
            })
            continue
          }
          options.onProgress?.(`recipe ${recipeCaseId(r, c)}`)
          const run = await runRecipeCase(client, checked, r, c)
          ran.push(run)
          rows.push(run.row)
        }
      for (const p of patterns.filter((x) => x.operation === 'stream')) {
        options.onProgress?.(`pattern ${p.id}`)
        rows.push(mark(await checkStreamPattern(client, checked, p, ran, on), p))
      }
      if (options.extraRows) rows.push(...(await options.extraRows(client, checked)))
    }
  } finally {
    if (options.prefix)
      for (const t of scoped.model.tables) await dropTable(client, t.name).catch(() => false)
  }
  // Rows keep the model's names, not the prefixed ones.
  const unprefix = (name?: string) =>
    options.prefix && name?.startsWith(options.prefix) ? name.slice(options.prefix.length) : name
  for (const r of rows) if (r.table) r.table = unprefix(r.table)
  const failed = rows.filter((r) => !r.passed).length
  const skipped = rows.filter((r) => r.skipped).length
  return {
    model: model.name,
    target: options.target,
    ...(options.prefix ? { prefix: options.prefix } : {}),
    rows,
    passed: rows.length - failed - skipped,
    failed,
    skipped,
    notApplicable: rows.reduce((n, r) => n + (r.skipped ? 0 : (r.notApplicable?.length ?? 0)), 0),
    data: options.generatedData ? 'generated' : 'sample',
    ok: failed === 0,
    removedLeftovers,
  }
}

/** Creates and seeds the tables; a failure becomes a failing setup row (and true). */
async function prepare(
  client: DynamoDBClient,
  model: Model,
  items: SampleItems,
  options: CheckOptions,
  rows: CheckRow[],
): Promise<boolean> {
  const step = async (id: string, name: string, body: () => Promise<void>) => {
    try {
      options.onProgress?.(name)
      await body()
      return false
    } catch (err) {
      const e = toWorkbenchError(err)
      rows.push({
        kind: 'setup',
        id,
        name,
        passed: false,
        reasons: [`${e.code}: ${e.message}`],
        expectations: [],
        error: { code: e.code, message: e.message },
      })
      return true
    }
  }
  if (
    await step('create-tables', 'create the tables', async () => {
      const r = await schemaLoad(client, model)
      const differing = r.tables.filter((t) => t.differences.length)
      if (differing.length)
        throw new WorkbenchError(
          'table.exists',
          `table ${differing[0]!.table} already exists and differs from the model: ${differing[0]!.differences
            .map((d) => d.field)
            .join(', ')}`,
        )
    })
  )
    return true
  return step('load-data', 'load the sample data', async () => {
    for (const [table, list] of Object.entries(items)) {
      const spec = model.tables.find((t) => t.name === table)
      if (!spec)
        throw new WorkbenchError(
          'model.invalid',
          `sample items for "${table}", which the model does not define`,
        )
      await seedItems(
        client,
        table,
        spec.keySchema.map((k) => k.attributeName),
        list,
      )
    }
  })
}

/** An in-memory engine on a free loopback port, for a check or a measurement that must start empty. */
export async function openThrowawayEngine(
  region = 'us-east-1',
): Promise<{ client: DynamoDBClient; endpoint: string; close: () => Promise<void> }> {
  const engine = createEngine({ region })
  const server = await startEngineServer(engine, { port: 0, host: '127.0.0.1', loopbackHostOnly: true })
  const client = new DynamoDBClient({
    region,
    endpoint: server.endpoint,
    credentials: { accessKeyId: 'check', secretAccessKey: 'check' },
    maxAttempts: 3,
  })
  return {
    client,
    endpoint: server.endpoint,
    close: async () => {
      client.destroy()
      await server.close()
      await engine.close()
    },
  }
}

/** The check on a throwaway engine: nothing outside this process is touched. */
export async function checkOnThrowawayEngine(
  model: Model,
  sample: SampleItems,
  options: Omit<CheckOptions, 'target' | 'prefix'> = {},
): Promise<CheckReport> {
  const engine = await openThrowawayEngine()
  try {
    return await runCheck(engine.client, model, sample, { ...options, target: 'throwaway engine' })
  } finally {
    await engine.close()
  }
}
