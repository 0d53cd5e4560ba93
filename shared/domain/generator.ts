import { formatKeyTemplate, type TemplateValues } from './key-template'
import type { GeneratedEntity, GeneratorField, GeneratorSpec, Model } from './model'
import { formatTimestampAs } from './timestamp'

/**
 * The one data generator: it reads a model's `sampleData.generator` (entities, their counts and field kinds) and
 * makes rows, deterministic for a seed. It knows no sample: every sample's entities and fields are data in its own
 * model file.
 */

/** mulberry32: a tiny, fast, seedable PRNG, so a seed always gives the same data set. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Draws an index by cumulative weights (binary search): weights need not sum to 1. */
function cumulativeSampler(weights: readonly number[], random: () => number): () => number {
  const total = weights.reduce((a, b) => a + b, 0)
  const cumulative: number[] = []
  let acc = 0
  for (const w of weights) cumulative.push((acc += w / total))
  const n = weights.length
  return () => {
    const r = random()
    let lo = 0
    let hi = n - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cumulative[mid]! < r) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

/** Draws indexes 0..n-1 with probability ∝ 1/(i+1)^s: the first few get most of the draws, like real traffic. */
export function zipfSampler(n: number, s: number, random: () => number): () => number {
  return cumulativeSampler(
    Array.from({ length: n }, (_, i) => 1 / Math.pow(i + 1, s)),
    random,
  )
}

/** A v4-shaped uuid from four 32-bit draws (version and variant bits set as RFC 9562 says). */
function uuidFrom(random: () => number): string {
  const word = () => (Math.floor(random() * 0x100000000) >>> 0).toString(16).padStart(8, '0')
  const a = word()
  const b = word()
  const c = word()
  const d = word()
  const variant = ((parseInt(c[0]!, 16) & 0x3) | 0x8).toString(16)
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`
}

const FIRST = [
  'Ada',
  'Boris',
  'Chen',
  'Dara',
  'Emeka',
  'Farah',
  'Goran',
  'Hana',
  'Ines',
  'Jun',
  'Kofi',
  'Lena',
  'Mateo',
  'Noor',
  'Oskar',
  'Priya',
]
const LAST = [
  'Okafor',
  'Lindqvist',
  'Moreau',
  'Tanaka',
  'Silva',
  'Novak',
  'Haddad',
  'Kowalski',
  'Reyes',
  'Byrne',
  'Ivanova',
  'Mensah',
]
const FILLER = [
  'table',
  'index',
  'query',
  'item',
  'key',
  'stream',
  'order',
  'record',
  'page',
  'value',
  'update',
  'review',
  'change',
  'report',
  'batch',
  'sort',
  'range',
  'read',
  'write',
  'plan',
]

/** A generator that cannot do what it was asked, with the path of the model field (or count) at fault. */
export class GeneratorError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`${path}: ${message}`)
    this.name = 'GeneratorError'
  }
}

type Scalar = string | number | boolean
/** A generated row: field → value; a `ref` without `field` holds the referred row itself. */
export type GeneratedRow = { [field: string]: Scalar | GeneratedRow | undefined }

export interface GenerateOptions {
  /** Overrides the model's seed. */
  seed?: number
  /** Overrides counts, by generated entity name. */
  counts?: Record<string, number>
}

export interface GeneratedData {
  /** Table → stored items (plain JSON, as the document client writes them), in generation order. */
  items: Record<string, Record<string, unknown>[]>
  /** Generated entity → how many rows it made (stored or not). */
  counts: Record<string, number>
  /** Every generated row, virtual ones included, by generated entity. */
  rows: Record<string, GeneratedRow[]>
  seed: number
}

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const

/** A duration (milliseconds, or `3h`-style) in milliseconds. */
export function durationMs(d: number | string): number {
  if (typeof d === 'number') return d
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(d)
  if (!m) throw new RangeError(`not a duration: ${d}`)
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]
}

/** The counts a user can set (entities with a `count`; forEach ones follow from others). */
export function generatorCounts(
  spec: GeneratorSpec,
): { name: string; label: string; count: number; stored: boolean }[] {
  return spec.entities.flatMap((e) =>
    e.count === undefined
      ? []
      : [{ name: e.name, label: e.label ?? e.name, count: e.count, stored: e.entity !== undefined }],
  )
}

const SKIP = Symbol('skip row')
/** A generated row's identity (`messages#12`), invisible to Object.entries and JSON. */
const ROW_ID = Symbol('row id')

const isRow = (v: unknown): v is GeneratedRow => typeof v === 'object' && v !== null

const pathParts = new Map<string, string[]>()

function resolvePath(scope: GeneratedRow, path: string): GeneratedRow[string] {
  let parts = pathParts.get(path)
  if (!parts) pathParts.set(path, (parts = path.split('.')))
  let v: GeneratedRow[string] = scope
  for (const part of parts) {
    if (!isRow(v)) return undefined
    v = v[part]
  }
  return v
}

/**
 * Rows and stored items for a model's generator. Entities are generated in the order listed, fields in the order
 * declared, every random draw from one mulberry32 stream: the same model, seed and counts give the same items.
 */
export function generateData(model: Model, options: GenerateOptions = {}): GeneratedData {
  const spec = model.sampleData?.generator
  if (!spec) throw new GeneratorError('the model has no generator', 'sampleData.generator')
  const base = 'sampleData.generator'
  const counts = options.counts ?? {}
  for (const [name, n] of Object.entries(counts)) {
    const g = spec.entities.find((e) => e.name === name)
    const settable = generatorCounts(spec).map((c) => c.name)
    if (!g)
      throw new GeneratorError(
        `no generated entity "${name}" (counts: ${settable.join(', ') || 'none'})`,
        `counts.${name}`,
      )
    if (g.count === undefined)
      throw new GeneratorError(
        `"${name}" has one row per ${g.forEach?.entity} row: its count follows from that one`,
        `counts.${name}`,
      )
    if (!Number.isInteger(n) || n < 0 || n > 10_000_000)
      throw new GeneratorError(`a count is a whole number from 0 to 10,000,000, got ${n}`, `counts.${name}`)
  }
  const seed = options.seed ?? spec.seed
  const random = prng(seed)
  const rows: Record<string, GeneratedRow[]> = {}
  const items: GeneratedData['items'] = {}
  // Identity of a row for uniqueness and `latest` matching: rows are compared as rows, not by their contents. A
  // symbol-keyed property rather than a WeakMap: a million-entry WeakMap made garbage collection most of the run.
  const identity = (v: unknown) =>
    isRow(v) ? ((v as { [ROW_ID]?: string })[ROW_ID] ?? '?') : `${typeof v}:${String(v)}`

  spec.entities.forEach((g, gi) => {
    const at = `${base}.entities[${gi}]`
    const out: GeneratedRow[] = []
    rows[g.name] = out
    const fields = Object.entries(g.fields)
    const state = fields.map(([name, f]) => fieldState(f, `${at}.fields.${name}`, rows, random))
    const accept = (row: GeneratedRow) => {
      ;(row as { [ROW_ID]?: string })[ROW_ID] = `${g.name}#${out.length}`
      out.push(row)
    }
    const unique = g.unique ? new Set<string>() : undefined
    const uniqueKey = (row: GeneratedRow) => {
      const parts = g.unique!.fields.map((f) => identity(row[f]))
      if (g.unique!.unordered) parts.sort()
      return JSON.stringify(parts)
    }
    const make = (scope: GeneratedRow, index: number): GeneratedRow | typeof SKIP => {
      const commits: (() => void)[] = []
      for (const [j, [name, f]] of fields.entries()) {
        const v = evalField(f, state[j]!, scope, index, random, commits, identity, `${at}.fields.${name}`)
        if (v === SKIP) return SKIP
        scope[name] = v
      }
      for (const c of commits) c()
      return scope
    }
    if (g.count !== undefined) {
      const n = counts[g.name] ?? g.count
      let misses = 0
      while (out.length < n) {
        const scope: GeneratedRow = {}
        // Field state (time series) is only committed for rows that are kept; see evalField.
        const row = make(scope, out.length)
        if (row === SKIP) continue
        if (unique) {
          const key = uniqueKey(row)
          if (unique.has(key)) {
            // Re-draw: deterministic, and bounded so an impossible count ends with an error, not a hang.
            if (++misses > Math.max(10_000, n * 20))
              throw new GeneratorError(
                `only ${out.length} rows with distinct ${g.unique!.fields.join(', ')} could be made, not ${n}: ask for fewer`,
                counts[g.name] !== undefined ? `counts.${g.name}` : `${at}.count`,
              )
            continue
          }
          unique.add(key)
        }
        misses = 0
        accept(row)
      }
    } else {
      const source = rows[g.forEach!.entity] ?? []
      const variants = g.variants ?? [{}]
      for (const src of source)
        for (const variant of variants) {
          const scope: GeneratedRow = { [g.forEach!.as]: src }
          for (const [k, path] of Object.entries(variant)) scope[k] = resolvePath(scope, path)
          const row = make(scope, out.length)
          if (row === SKIP) continue
          if (unique) {
            const key = uniqueKey(row)
            if (unique.has(key)) continue
            unique.add(key)
          }
          accept(row)
        }
    }
    if (g.entity !== undefined) storeRows(model, g, out, items, at)
  })
  return {
    items,
    rows,
    counts: Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, v.length])),
    seed,
  }
}

function storeRows(
  model: Model,
  g: GeneratedEntity,
  out: GeneratedRow[],
  items: GeneratedData['items'],
  at: string,
): void {
  const entity = model.entities.find((e) => e.name === g.entity)
  if (!entity) throw new GeneratorError(`no entity "${g.entity}"`, `${at}.entity`)
  const declared = entity.attributes?.map((a) => a.name)
  const names = declared ?? Object.keys(g.fields)
  const list = (items[entity.table] ??= [])
  for (const row of out) {
    const values: TemplateValues = {}
    for (const [k, v] of Object.entries(row))
      if (typeof v === 'string' || typeof v === 'number') values[k] = v
      else if (typeof v === 'boolean') values[k] = String(v)
    const item: Record<string, unknown> = {}
    for (const [attr, template] of Object.entries(entity.keys)) {
      try {
        item[attr] = formatKeyTemplate(template, values)
      } catch (err) {
        throw new GeneratorError(`key ${attr} of ${entity.name}: ${(err as Error).message}`, `${at}.fields`)
      }
    }
    // The entity's attributes (or, when it lists none, every field); rows held by refs are never stored.
    for (const name of names) {
      const v = row[name]
      if (v !== undefined && !isRow(v) && !(name in item)) item[name] = v
    }
    list.push(item)
  }
}

type FieldState =
  | { kind: 'none' }
  | { kind: 'sampler'; next: () => number }
  | { kind: 'series'; last: Map<string, number> }
  | { kind: 'ref'; target: GeneratedRow[]; next: () => number }
  | { kind: 'latest'; target: GeneratedRow[]; index?: Map<string, GeneratedRow> }

function fieldState(
  f: GeneratorField,
  at: string,
  rows: Record<string, GeneratedRow[]>,
  random: () => number,
): FieldState {
  switch (f.kind) {
    case 'pick':
      if (f.distribution === 'zipf')
        return { kind: 'sampler', next: zipfSampler(f.values.length, f.skew, random) }
      if (f.distribution === 'weighted')
        return { kind: 'sampler', next: cumulativeSampler(f.weights!, random) }
      return { kind: 'sampler', next: () => Math.floor(random() * f.values.length) }
    case 'time':
      return { kind: 'series', last: new Map() }
    case 'ref': {
      const target = rows[f.entity]
      if (!target)
        throw new GeneratorError(`no generated entity "${f.entity}" before this one`, `${at}.entity`)
      const n = target.length
      const next = f.distribution === 'zipf' ? zipfSampler(n, f.skew, random) : () => Math.floor(random() * n)
      return { kind: 'ref', target, next }
    }
    case 'latest': {
      const target = rows[f.entity]
      if (!target)
        throw new GeneratorError(`no generated entity "${f.entity}" before this one`, `${at}.entity`)
      return { kind: 'latest', target }
    }
    default:
      return { kind: 'none' }
  }
}

function evalField(
  f: GeneratorField,
  st: FieldState,
  scope: GeneratedRow,
  index: number,
  random: () => number,
  commits: (() => void)[],
  identity: (v: unknown) => string,
  at: string,
): GeneratedRow[string] | typeof SKIP {
  switch (f.kind) {
    case 'uuid':
      return uuidFrom(random)
    case 'sequence': {
      const n = f.start + f.step * index
      if (f.prefix === undefined && f.pad === undefined) return n
      return `${f.prefix ?? ''}${f.pad ? String(n).padStart(f.pad, '0') : String(n)}`
    }
    case 'pick':
      return f.values[(st as Extract<FieldState, { kind: 'sampler' }>).next()]
    case 'oneOf':
      return resolvePath(scope, f.from[Math.floor(random() * f.from.length)]!)
    case 'copy':
      return resolvePath(scope, f.from)
    case 'constant':
      return f.value
    case 'number': {
      const x = f.min + random() * (f.max - f.min)
      return Number(x.toFixed(f.decimals))
    }
    case 'personName':
      return `${FIRST[index % FIRST.length]} ${LAST[Math.floor(index / FIRST.length) % LAST.length]}`
    case 'handle': {
      const from = f.from ? resolvePath(scope, f.from) : undefined
      const stem = typeof from === 'string' ? from.toLowerCase().replace(/[^a-z0-9]/g, '') || 'user' : 'user'
      return `${stem}${index}`
    }
    case 'sentence': {
      if (f.parts) return f.parts.map((p) => p[Math.floor(random() * p.length)]).join(f.separator)
      const n = 5 + Math.floor(random() * 6)
      const words = Array.from({ length: n }, () => FILLER[Math.floor(random() * FILLER.length)]!)
      const text = words.join(' ')
      return `${text[0]!.toUpperCase()}${text.slice(1)}.`
    }
    case 'time': {
      const series = (st as { last: Map<string, number> }).last
      const key = f.per ? identity(resolvePath(scope, f.per)) : ''
      const jitter = durationMs(f.jitter)
      let previous = series.get(key)
      if (previous === undefined) {
        const offset = durationMs(f.offset)
        previous = Date.parse(f.start) + (offset ? Math.floor(random() * offset) : 0)
      }
      const ms = previous + durationMs(f.step) + (jitter ? Math.floor(random() * jitter) : 0)
      // Committed only if the row is kept, so a re-drawn row does not move its series on.
      commits.push(() => series.set(key, ms))
      return formatTimestampAs(new Date(ms), f.format)
    }
    case 'ref': {
      const s = st as Extract<FieldState, { kind: 'ref' }>
      const n = s.target.length
      if (n === 0) throw new GeneratorError(`"${f.entity}" has no rows to refer to`, `${at}.entity`)
      const draw = () => {
        const row = s.target[f.distribution === 'sequential' ? index % n : s.next()]!
        return f.field ? resolvePath(row, f.field) : row
      }
      let v = draw()
      const avoid = (f.distinctFrom ?? []).map((d) => identity(scope[d]))
      for (let tries = 0; avoid.includes(identity(v)); tries++) {
        if (tries >= 1000 || f.distribution === 'sequential')
          throw new GeneratorError(
            `cannot draw a row of "${f.entity}" different from ${f.distinctFrom!.join(', ')}: it needs more rows`,
            `${at}.distinctFrom`,
          )
        v = draw()
      }
      return v
    }
    case 'latest': {
      const s = st as Extract<FieldState, { kind: 'latest' }>
      const keys = Object.keys(f.where)
      if (!s.index) {
        // One pass over the other entity's rows, keeping the latest per combination of `where` values.
        s.index = new Map()
        for (const row of s.target) {
          const k = JSON.stringify(keys.map((x) => identity(row[x])))
          const cur = s.index.get(k)
          if (!cur || compare(row[f.by], cur[f.by]) >= 0) s.index.set(k, row)
        }
      }
      const found = s.index.get(JSON.stringify(keys.map((x) => identity(resolvePath(scope, f.where[x]!)))))
      if (!found) return SKIP
      return f.field ? resolvePath(found, f.field) : found
    }
  }
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  const x = String(a)
  const y = String(b)
  return x < y ? -1 : x > y ? 1 : 0
}
