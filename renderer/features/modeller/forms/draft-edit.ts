import { parseExactJson, stringifyExactJson } from '../../../../shared/domain/attribute-json'
import type { ModelInput } from '../../../../shared/domain/model'

/**
 * Pure edits of the model draft the forms make. A draft may be half-written, so everything reads loosely; edits
 * copy only the objects on the path to the change, which keeps every other value as it was (a 38-digit number in
 * the sample items stays a LosslessNumber, where structuredClone would turn it into a plain object).
 */

export type Path = readonly (string | number)[]
export type Json = unknown
export type Obj = Record<string, Json>

/** The draft the forms edit: a model's input shape, each part possibly incomplete. */
export type Draft = Partial<ModelInput> & Obj

export const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)
export const arr = <T = Obj>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : [])
export const str = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : ''

/**
 * The draft text as something the forms can show, or why not. The forms need the parts they list to be lists of
 * objects; anything else is for the JSON view to fix.
 */
export function readDraft(text: string): { ok: true; draft: Draft } | { ok: false; reason: string } {
  let value: unknown
  try {
    value = parseExactJson(text)
  } catch (err) {
    return { ok: false, reason: `The JSON does not parse (${(err as Error).message}).` }
  }
  if (!isObj(value)) return { ok: false, reason: 'The model is not a JSON object.' }
  for (const part of ['tables', 'entities', 'accessPatterns', 'recipes', 'streamHandlers'] as const) {
    const v = value[part]
    if (v === undefined) continue
    if (!Array.isArray(v) || v.some((x) => !isObj(x)))
      return { ok: false, reason: `"${part}" is not a list of objects.` }
  }
  return { ok: true, draft: value as Draft }
}

export const writeDraft = (draft: Draft): string => stringifyExactJson(draft, 2) + '\n'

/** `tables[0].keySchema` — the same form as the model's issue paths (formatIssuePath). */
export function pathKey(path: Path): string {
  let out = ''
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p
  return out
}

/** The value at a path, or undefined. */
export function getIn(root: unknown, path: Path): unknown {
  let v = root
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<string | number, unknown>)[p]
  }
  return v
}

/**
 * The root with the value at `path` replaced; `undefined` removes an object's member (an optional field left
 * empty), and missing objects on the way are created.
 */
export function setIn<T>(root: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T
  const [head, ...rest] = path as [string | number, ...(string | number)[]]
  const child = getIn(root, [head])
  const next = setIn(child ?? (typeof rest[0] === 'number' ? [] : {}), rest, value)
  if (typeof head === 'number') {
    const copy = [...arr<unknown>(root)]
    copy[head] = next
    return copy as T
  }
  const copy: Obj = { ...(isObj(root) ? root : {}) }
  if (next === undefined) delete copy[head]
  else copy[head] = next
  return copy as T
}

export function removeAt<T>(list: readonly T[], i: number): T[] {
  return list.filter((_, j) => j !== i)
}

/** The list with item i moved by `by` places (clamped to the list). */
export function moveItem<T>(list: readonly T[], i: number, by: number): T[] {
  const j = Math.max(0, Math.min(list.length - 1, i + by))
  if (i === j || i < 0 || i >= list.length) return [...list]
  const copy = [...list]
  const [item] = copy.splice(i, 1)
  copy.splice(j, 0, item as T)
  return copy
}

/** A record's entries renamed or revalued in place, keeping the order the user sees. */
export function setEntry(rec: Obj | undefined, at: number, key: string, value: unknown): Obj {
  const entries = Object.entries(rec ?? {})
  entries[at] = [key, value]
  return Object.fromEntries(entries)
}

/** A text typed where a number or a template may go: a number stays a number if the old value was one. */
export function templateValue(text: string, old: unknown): string | number | boolean {
  if (typeof old === 'number' && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text)
  if (typeof old === 'boolean' && (text === 'true' || text === 'false')) return text === 'true'
  return text
}

/** A name not yet in `taken`: `base1`, `base2`, … */
export function freshName(base: string, taken: Iterable<unknown>): string {
  const used = new Set([...taken].map(String))
  for (let n = 1; ; n++) if (!used.has(`${base}${n}`)) return `${base}${n}`
}

interface KeyEl {
  attributeName?: unknown
  keyType?: unknown
}

/** Every key attribute of a table and its indexes, in order of first use. */
export function keyAttributes(table: Obj): string[] {
  const names: string[] = []
  const take = (ks: unknown) => {
    for (const k of arr<KeyEl>(ks)) {
      const n = str(k.attributeName)
      if (n && !names.includes(n)) names.push(n)
    }
  }
  take(table.keySchema)
  for (const x of arr(table.globalSecondaryIndexes)) take(x.keySchema)
  for (const x of arr(table.localSecondaryIndexes)) take(x.keySchema)
  return names
}

/** The type a table gives an attribute in its definitions (S when it has none yet). */
export function attributeType(table: Obj, name: string): string {
  const d = arr<{ attributeName?: unknown; attributeType?: unknown }>(table.attributeDefinitions).find(
    (x) => x.attributeName === name,
  )
  return str(d?.attributeType) || 'S'
}

/**
 * The attribute definitions a table's keys need, kept in step with its keys: the forms edit a key's name and type
 * together, and CreateTable refuses a definition no key uses, so the definitions follow the keys.
 */
export function syncDefinitions(table: Obj, override?: { name: string; type: string }): Obj {
  const defs = keyAttributes(table).map((name) => ({
    attributeName: name,
    attributeType: override?.name === name ? override.type : attributeType(table, name),
  }))
  return { ...table, attributeDefinitions: defs }
}

/**
 * A key schema with its HASH (part 0) or RANGE (part 1) element named `name`; an empty sort key name removes
 * the sort key.
 */
export function setKeyPart(keySchema: unknown, part: 0 | 1, name: string): Obj[] {
  const ks = arr(keySchema)
  const hash = part === 0 ? name : str(ks[0]?.attributeName)
  const range = part === 1 ? name : str(ks[1]?.attributeName)
  return [
    { attributeName: hash, keyType: 'HASH' },
    ...(range ? [{ attributeName: range, keyType: 'RANGE' }] : []),
  ]
}

/**
 * The draft with a table renamed everywhere it is named (entities, patterns, recipe steps, handlers, parameter
 * bindings, sample items), so renaming a table in its form keeps the model's references whole. Names that were
 * not the old one are left alone.
 */
export function renameTableInDraft(draft: Draft, at: number, to: string): Draft {
  const tables = arr(draft.tables)
  const from = str(tables[at]?.name)
  const renamed: Draft = {
    ...draft,
    tables: tables.map((t, i) => (i === at ? { ...t, name: to } : t)) as Draft['tables'],
  }
  // While another table still has the old name (a duplicate), the references may mean that one: left alone.
  if (!from || tables.some((t, i) => i !== at && t.name === from)) return renamed
  const fix = (o: Obj): Obj => (o.table === from ? { ...o, table: to } : o)
  const fixParams = (o: Obj): Obj =>
    Array.isArray(o.params)
      ? {
          ...o,
          params: arr(o.params).map((p) => (isObj(p.bind) ? { ...p, bind: fix(p.bind) } : p)),
        }
      : o
  const out: Draft = renamed
  for (const part of ['entities', 'streamHandlers'] as const)
    if (Array.isArray(draft[part])) out[part] = arr(draft[part]).map(fix) as never
  if (Array.isArray(draft.accessPatterns))
    out.accessPatterns = arr(draft.accessPatterns).map((p) => fixParams(fix(p))) as Draft['accessPatterns']
  if (Array.isArray(draft.recipes))
    out.recipes = arr(draft.recipes).map((r) => {
      const withParams = fixParams(r)
      return Array.isArray(r.steps) ? { ...withParams, steps: arr(r.steps).map(fix) } : withParams
    }) as Draft['recipes']
  const items = isObj(draft.sampleData) ? draft.sampleData.items : undefined
  if (isObj(items) && from in items && !(to in items))
    out.sampleData = {
      ...(draft.sampleData as Obj),
      items: Object.fromEntries(Object.entries(items).map(([k, v]) => [k === from ? to : k, v])),
    } as Draft['sampleData']
  return out
}
