import path from 'node:path'
import { z } from 'zod'
import type { Model } from '../../../shared/domain/model'
import { validateModel } from '../model.service'
import { checkShape, fail, isObject } from './common'

/*
 * OneTable schemas (dynamodb-onetable, https://github.com/sensedeep/dynamodb-onetable): `indexes` names the
 * primary key and each GSI/LSI (`{ hash, sort, project, type: 'local' }`), `models` names each entity's fields,
 * key fields carrying a value template such as `account#${id}`. A schema does not name its table, so the table
 * is named after the file (or `--table-name`).
 */

export function isOneTable(json: Record<string, unknown>): boolean {
  return isObject(json.models) && isObject(json.indexes)
}

const IndexShape = z.object({
  hash: z.string().min(1).optional(),
  sort: z.string().min(1).optional(),
  type: z.enum(['local', 'global']).optional(),
  project: z.union([z.enum(['all', 'keys']), z.array(z.string())]).optional(),
})
const FieldShape = z.object({
  type: z.string().optional(),
  value: z.string().optional(),
  map: z.string().optional(),
})
const SchemaShape = z.object({
  indexes: z.record(z.string(), IndexShape).refine((i) => 'primary' in i, 'needs a primary index'),
  models: z.record(z.string(), z.record(z.string(), z.union([FieldShape, z.unknown()]))),
})

const ENTITY_TYPE: Record<string, 'S' | 'N' | 'B' | 'BOOL' | 'M' | 'L' | 'SS'> = {
  string: 'S',
  date: 'S',
  number: 'N',
  boolean: 'BOOL',
  binary: 'B',
  buffer: 'B',
  arraybuffer: 'B',
  object: 'M',
  array: 'L',
  set: 'SS',
}

/** `account#${id}` (OneTable) → `account#{id}` (Tablewright); `${id:8:0}` padding keeps only the name. */
function template(value: string): string {
  return value.replace(
    /\$\{([^}:]*)(:[^}]*)?\}/g,
    (_m, name: string) => `{${name.replace(/[^A-Za-z0-9_]/g, '_')}}`,
  )
}

function tableNameFrom(source: string): string {
  const base = path
    .basename(source)
    .replace(/\.[^.]*$/, '')
    .replace(/[^a-zA-Z0-9_.-]/g, '-')
  return base.length >= 3 ? base.slice(0, 255) : 'onetable'
}

export function importOneTable(
  input: unknown,
  source: string,
  warnings: string[] = [],
  tableName = tableNameFrom(source),
): Model {
  if (!isObject(input)) throw fail(`${source}: expected a OneTable schema object`, { source })
  const schema = checkShape(SchemaShape, input, source)
  const primary = schema.indexes.primary!
  if (!primary.hash)
    throw fail(`${source}: indexes.primary.hash: the primary index needs a hash key`, { source })
  // A model field may store under another name (`map`); keys are matched by their stored name.
  const fields = (m: Record<string, unknown>) =>
    Object.entries(m).flatMap(([name, f]) => {
      const parsed = FieldShape.safeParse(f)
      if (!parsed.success) return []
      const stored = parsed.data.map && !parsed.data.map.includes('.') ? parsed.data.map : name
      return [{ name, stored, ...parsed.data }]
    })
  const keyType = new Map<string, string>()
  for (const m of Object.values(schema.models))
    for (const f of fields(m as Record<string, unknown>)) {
      const t = ENTITY_TYPE[(f.type ?? 'string').toLowerCase()]
      if (t === 'S' || t === 'N' || t === 'B') keyType.set(f.stored, t)
    }
  const defs = new Map<string, string>()
  const def = (name: string) => (defs.set(name, keyType.get(name) ?? 'S'), name)
  const keySchema = (hash: string, sort?: string) => [
    { attributeName: def(hash), keyType: 'HASH' },
    ...(sort ? [{ attributeName: def(sort), keyType: 'RANGE' }] : []),
  ]
  const projection = (p: z.infer<typeof IndexShape>['project'], keys: string[]) =>
    p === 'keys'
      ? { projectionType: 'KEYS_ONLY' }
      : Array.isArray(p)
        ? { projectionType: 'INCLUDE', nonKeyAttributes: p.filter((a) => !keys.includes(a)) }
        : { projectionType: 'ALL' }
  const gsis: unknown[] = []
  const lsis: unknown[] = []
  for (const [name, idx] of Object.entries(schema.indexes)) {
    if (name === 'primary') continue
    if (idx.type === 'local') {
      if (!idx.sort) throw fail(`${source}: indexes.${name}.sort: a local index needs a sort key`, { source })
      lsis.push({
        indexName: name,
        keySchema: keySchema(primary.hash, idx.sort),
        projection: projection(idx.project, [primary.hash, idx.sort]),
      })
    } else {
      if (!idx.hash)
        throw fail(`${source}: indexes.${name}.hash: a global index needs a hash key`, { source })
      gsis.push({
        indexName: name,
        keySchema: keySchema(idx.hash, idx.sort),
        projection: projection(idx.project, [idx.hash, ...(idx.sort ? [idx.sort] : [])]),
      })
    }
  }
  const table = {
    name: tableName,
    keySchema: keySchema(primary.hash, primary.sort),
    ...(gsis.length ? { globalSecondaryIndexes: gsis } : {}),
    ...(lsis.length ? { localSecondaryIndexes: lsis } : {}),
    billingMode: 'PAY_PER_REQUEST',
  }
  const tableKeys = [primary.hash, ...(primary.sort ? [primary.sort] : [])]
  const entities = Object.entries(schema.models).map(([name, m]) => {
    const fs = fields(m as Record<string, unknown>)
    const keys = Object.fromEntries(
      tableKeys.map((k) => {
        const f = fs.find((x) => x.stored === k)
        if (!f?.value)
          warnings.push(`models.${name}: no value template for key "${k}"; it is a parameter {${k}}`)
        return [k, f?.value ? template(f.value) : `{${k.replace(/[^A-Za-z0-9_]/g, '_')}}`]
      }),
    )
    const attributes = fs
      .filter((f) => !tableKeys.includes(f.stored))
      .flatMap((f) => {
        const t = ENTITY_TYPE[(f.type ?? 'string').toLowerCase()]
        return t ? [{ name: f.stored, type: t }] : []
      })
    return { name, table: tableName, keys, ...(attributes.length ? { attributes } : {}) }
  })
  return validateModel(
    {
      name: tableName,
      tables: [
        {
          ...table,
          attributeDefinitions: [...defs].map(([attributeName, attributeType]) => ({
            attributeName,
            attributeType,
          })),
        },
      ],
      entities,
    },
    source,
  )
}
