import { isLosslessNumber } from '../../../shared/domain/attribute-json'
import type { EntitySpec, TableSpec } from '../../../shared/domain/model'

/**
 * Entities recognised in a sample of a table's items, for reverse-engineering a model from a live table. Items are
 * grouped by the shape of their key values: `#`-separated segments that look like labels (`MSG`, `GRP`, `META`)
 * are kept as literal text, anything else (ids, timestamps) becomes a parameter. So `ORDER#5ae2…` / `2026-…` and
 * `CUST#8b0a…` / `2026-…` are two entities with templates `ORDER#{order_id}` / `{sk}` and `CUST#{cust_id}` / `{sk}`.
 */

type EntityAttributeType = NonNullable<EntitySpec['attributes']>[number]['type']

export interface InferredEntity {
  name: string
  /** Sampled items of this shape. */
  count: number
  keys: Record<string, string>
  attributes: { name: string; type: EntityAttributeType; present: number }[]
  /** Index name → how many of the entity's sampled items carry that index's key attributes (sparse indexes). */
  indexes: Record<string, number>
}

const LABEL = /^[A-Z][A-Z0-9_]*$/
const PALETTE = ['#3b82f6', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#ec4899', '#14b8a6', '#f97316']

function shape(value: unknown): (string | null)[] {
  if (typeof value !== 'string') return [null]
  return value.split('#').map((s) => (LABEL.test(s) ? s : null))
}

/** The DynamoDB type of a plain row value (numbers exact, sets as Set, binary as Uint8Array). */
export function attributeType(v: unknown): EntityAttributeType | undefined {
  if (typeof v === 'string') return 'S'
  if (typeof v === 'number' || typeof v === 'bigint' || isLosslessNumber(v)) return 'N'
  if (typeof v === 'boolean') return 'BOOL'
  if (v instanceof Uint8Array) return 'B'
  if (v instanceof Set) {
    const first: unknown = [...(v as Set<unknown>)][0]
    return typeof first === 'string' ? 'SS' : first instanceof Uint8Array ? undefined : 'NS'
  }
  if (Array.isArray(v)) return 'L'
  if (v && typeof v === 'object') return 'M'
  return undefined
}

export function inferEntities(spec: TableSpec, rows: readonly Record<string, unknown>[]): InferredEntity[] {
  const keyNames = spec.keySchema.map((k) => k.attributeName)
  const indexes = [...(spec.globalSecondaryIndexes ?? []), ...(spec.localSecondaryIndexes ?? [])]
  const groups = new Map<string, { shapes: (string | null)[][]; rows: Record<string, unknown>[] }>()
  for (const row of rows) {
    const shapes = keyNames.map((k) => shape(row[k]))
    const sig = JSON.stringify(shapes)
    const g = groups.get(sig) ?? { shapes, rows: [] }
    g.rows.push(row)
    groups.set(sig, g)
  }
  const names = new Set<string>()
  const out: InferredEntity[] = []
  for (const g of [...groups.values()].sort((a, b) => b.rows.length - a.rows.length)) {
    const params = new Set<string>()
    const param = (base: string) => {
      let name = base.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1')
      for (let n = 2; params.has(name); n++) name = `${base}_${n}`
      params.add(name)
      return `{${name}}`
    }
    const keys: Record<string, string> = {}
    keyNames.forEach((k, ki) => {
      const segs = g.shapes[ki]!
      keys[k] = segs
        .map((s, i) => {
          if (s !== null) return s
          const label = i > 0 ? segs[i - 1] : null
          return param(label ? `${label.toLowerCase()}_id` : segs.length > 1 ? `${k}_${i}` : k)
        })
        .join('#')
    })
    const labels = g.shapes.flatMap((s) => s.filter((x): x is string => x !== null))
    const base = labels.at(g.shapes[1]?.some((x) => x !== null) ? -1 : 0) ?? 'Item'
    let name = base
    if (names.has(name)) name = labels.join('_') || base
    for (let n = 2; names.has(name); n++) name = `${base}_${n}`
    names.add(name)
    const types = new Map<string, Map<EntityAttributeType, number>>()
    for (const row of g.rows)
      for (const [attr, v] of Object.entries(row)) {
        if (keyNames.includes(attr)) continue
        const t = attributeType(v)
        if (!t) continue
        const counts = types.get(attr) ?? new Map<EntityAttributeType, number>()
        counts.set(t, (counts.get(t) ?? 0) + 1)
        types.set(attr, counts)
      }
    const attributes = [...types].map(([attr, counts]) => {
      const [type] = [...counts].sort((a, b) => b[1] - a[1])[0]!
      return { name: attr, type, present: [...counts.values()].reduce((a, b) => a + b, 0) }
    })
    out.push({
      name,
      count: g.rows.length,
      keys,
      attributes,
      indexes: Object.fromEntries(
        indexes.map((x) => [
          x.indexName,
          g.rows.filter((r) => x.keySchema.every((k) => r[k.attributeName] !== undefined)).length,
        ]),
      ),
    })
  }
  return out
}

/** Inferred entities as model entities, with what the sample showed in their descriptions. */
export function toEntitySpecs(table: string, inferred: readonly InferredEntity[]): EntitySpec[] {
  return inferred.map((e, i) => {
    const membership = Object.entries(e.indexes).map(([index, n]) =>
      n === e.count ? `in ${index}` : n === 0 ? `not in ${index}` : `in ${index} (${n} of ${e.count})`,
    )
    return {
      name: e.name,
      table,
      description: [`${e.count} sampled item(s)`, ...membership].join('; '),
      keys: e.keys,
      attributes: e.attributes.map((a) => ({
        name: a.name,
        type: a.type,
        ...(a.present < e.count ? { description: `on ${a.present} of ${e.count} sampled items` } : {}),
      })),
      colour: PALETTE[i % PALETTE.length]!,
    }
  })
}
