/**
 * What DynamoDB's CreateTable would refuse in a table of a model, in words a user understands, checked before any
 * request is sent. The model forms show these at the field; the model's zod schema (model.ts) reports the rest
 * (key templates, parameters, references between parts) and calls `projectedAttributesProblem` itself.
 *
 * The inputs are loose on purpose: the forms check a draft that may not be a valid model yet.
 *
 * Sources:
 * - names: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
 * - index quotas: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-secondary-indexes
 * - projections: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Projection.html
 * - LSIs: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LSI.html
 */

export const MAX_GSI = 20
export const MAX_LSI = 5
/** NonKeyAttributes summed over all of a table's INCLUDE indexes (the same name in two indexes counts twice). */
export const MAX_PROJECTED_NON_KEY = 100
export const TABLE_NAME_PATTERN = /^[a-zA-Z0-9_.-]+$/
export const KEY_TYPES = ['S', 'N', 'B'] as const

export interface RuleIssue {
  /** As formatIssuePath writes it: `tables[0].globalSecondaryIndexes[1].indexName`. */
  path: string
  message: string
}

interface KeyLike {
  attributeName?: unknown
  keyType?: unknown
}
interface IndexLike {
  indexName?: unknown
  keySchema?: unknown
  projection?: { projectionType?: unknown; nonKeyAttributes?: unknown } | undefined
}
export interface TableLike {
  name?: unknown
  attributeDefinitions?: unknown
  keySchema?: unknown
  globalSecondaryIndexes?: unknown
  localSecondaryIndexes?: unknown
}

const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : [])
const text = (v: unknown): string => (typeof v === 'string' ? v : '')
/** The list's members, anything that is not an object read as an empty one (a draft may hold junk). */
const objects = <T extends object>(v: unknown): T[] =>
  list<unknown>(v).map((x) => (x !== null && typeof x === 'object' ? x : {}) as T)

/** A table or index name: 3–255 characters of a-z, A-Z, 0-9, `_`, `-` and `.`. */
export function nameProblem(name: unknown, what: 'table' | 'index'): string | undefined {
  const n = text(name)
  const label = what === 'table' ? 'A table name' : 'An index name'
  if (n.length === 0) return `${label} is required.`
  if (n.length < 3) return `${label} needs at least 3 characters.`
  if (n.length > 255) return `${label} has at most 255 characters.`
  if (!TABLE_NAME_PATTERN.test(n)) {
    const bad = [...new Set([...n].filter((c) => !TABLE_NAME_PATTERN.test(c)))]
      .map((c) => (c === ' ' ? 'space' : `“${c}”`))
      .join(', ')
    return `${label} uses only letters, digits, "_", "-" and "." (not ${bad}).`
  }
  return undefined
}

/** Key attribute names are 1–255 bytes of UTF-8. */
export function attributeNameProblem(name: unknown): string | undefined {
  const n = text(name)
  if (n.length === 0) return 'An attribute name is required.'
  if (new TextEncoder().encode(n).length > 255) return 'A key attribute name has at most 255 bytes.'
  return undefined
}

export function keyTypeProblem(type: unknown): string | undefined {
  return (KEY_TYPES as readonly unknown[]).includes(type)
    ? undefined
    : 'A key attribute is a string (S), a number (N) or binary (B).'
}

/** Why another GSI cannot be added, if it cannot. */
export function addGsiProblem(table: TableLike): string | undefined {
  return list(table.globalSecondaryIndexes).length >= MAX_GSI
    ? `A table has at most ${MAX_GSI} global secondary indexes.`
    : undefined
}

/** Why another LSI cannot be added, if it cannot. */
export function addLsiProblem(table: TableLike): string | undefined {
  if (objects<KeyLike>(table.keySchema).length < 2)
    return 'Local secondary indexes need a table with a sort key.'
  return list(table.localSecondaryIndexes).length >= MAX_LSI
    ? `A table has at most ${MAX_LSI} local secondary indexes.`
    : undefined
}

export function projectionProblem(projection: IndexLike['projection']): string | undefined {
  const attrs = list<unknown>(projection?.nonKeyAttributes)
  if (projection?.projectionType === 'INCLUDE' && attrs.length === 0)
    return 'An INCLUDE projection names at least one attribute to include.'
  if (projection?.projectionType !== 'INCLUDE' && attrs.length > 0)
    return 'Only an INCLUDE projection lists attributes.'
  if (new Set(attrs).size !== attrs.length) return 'An attribute is listed twice.'
  return undefined
}

/** The total of NonKeyAttributes over all of the table's indexes, if it is over DynamoDB's quota. */
export function projectedAttributesProblem(table: TableLike): string | undefined {
  const total = [
    ...objects<IndexLike>(table.globalSecondaryIndexes),
    ...objects<IndexLike>(table.localSecondaryIndexes),
  ]
    .filter((x) => x.projection?.projectionType === 'INCLUDE')
    .reduce((n, x) => n + list(x.projection?.nonKeyAttributes).length, 0)
  return total > MAX_PROJECTED_NON_KEY
    ? `The indexes of a table project at most ${MAX_PROJECTED_NON_KEY} non-key attributes in all (these project ${total}; an attribute in two indexes counts twice).`
    : undefined
}

/** Positions of the names that appeared earlier in the list. */
export function duplicatePositions(names: readonly unknown[]): number[] {
  const seen = new Set<string>()
  const out: number[] = []
  names.forEach((n, i) => {
    const s = text(n)
    if (s && seen.has(s)) out.push(i)
    seen.add(s)
  })
  return out
}

/** Every rule above over one table of a model (`at` is the table's index in `tables`). */
export function tableRuleIssues(table: TableLike, at: number): RuleIssue[] {
  const out: RuleIssue[] = []
  const base = `tables[${at}]`
  const add = (path: string, message: string | undefined) => {
    if (message) out.push({ path: `${base}${path}`, message })
  }
  add('.name', nameProblem(table.name, 'table'))
  const defs = objects<{ attributeName?: unknown; attributeType?: unknown }>(table.attributeDefinitions)
  defs.forEach((d, i) => {
    add(`.attributeDefinitions[${i}].attributeName`, attributeNameProblem(d.attributeName))
    add(`.attributeDefinitions[${i}].attributeType`, keyTypeProblem(d.attributeType))
  })
  for (const i of duplicatePositions(defs.map((d) => d.attributeName)))
    add(`.attributeDefinitions[${i}].attributeName`, 'This attribute is already defined.')
  const gsis = objects<IndexLike>(table.globalSecondaryIndexes)
  const lsis = objects<IndexLike>(table.localSecondaryIndexes)
  if (gsis.length > MAX_GSI)
    add(
      '.globalSecondaryIndexes',
      `A table has at most ${MAX_GSI} global secondary indexes (this one has ${gsis.length}).`,
    )
  if (lsis.length > MAX_LSI)
    add(
      '.localSecondaryIndexes',
      `A table has at most ${MAX_LSI} local secondary indexes (this one has ${lsis.length}).`,
    )
  const all = [
    ...gsis.map((x, i) => ({ x, path: `.globalSecondaryIndexes[${i}]` })),
    ...lsis.map((x, i) => ({ x, path: `.localSecondaryIndexes[${i}]` })),
  ]
  all.forEach(({ x, path }) => {
    add(`${path}.indexName`, nameProblem(x.indexName, 'index'))
    add(`${path}.projection`, projectionProblem(x.projection))
  })
  for (const i of duplicatePositions(all.map((a) => a.x.indexName)))
    add(`${all[i]!.path}.indexName`, 'Another index of this table has this name.')
  const tableKeys = objects<KeyLike>(table.keySchema)
  lsis.forEach((l, i) => {
    const keys = objects<KeyLike>(l.keySchema)
    if (tableKeys.length < 2)
      add(`.localSecondaryIndexes[${i}].keySchema`, 'Local secondary indexes need a table with a sort key.')
    else if (keys[0]?.attributeName !== tableKeys[0]?.attributeName)
      add(
        `.localSecondaryIndexes[${i}].keySchema`,
        `A local secondary index has the table's partition key (${text(tableKeys[0]?.attributeName)}).`,
      )
    else if (keys.length < 2)
      add(`.localSecondaryIndexes[${i}].keySchema`, 'A local secondary index needs a sort key.')
  })
  add('.globalSecondaryIndexes', projectedAttributesProblem(table))
  return out
}

/** The rules over every table of a draft model, plus duplicate table names. */
export function modelRuleIssues(model: { tables?: unknown }): RuleIssue[] {
  const tables = objects<TableLike>(model.tables)
  const out = tables.flatMap((t, i) => tableRuleIssues(t, i))
  for (const i of duplicatePositions(tables.map((t) => t.name)))
    out.push({ path: `tables[${i}].name`, message: 'Another table of this model has this name.' })
  return out
}
