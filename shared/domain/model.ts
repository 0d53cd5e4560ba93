import { z } from 'zod'
import { MAX_NESTING, nestedTooDeep } from './attribute-json'
import { KeyTemplateError, parseKeyTemplate } from './key-template'
import { projectedAttributesProblem } from './model-rules'
import { isRfc3339 } from './timestamp'
import { TrafficProfile } from './traffic'

/**
 * A Tablewright model: tables, entities (key templates over those tables), sample data, named access patterns
 * and the stream handlers that keep denormalised rows in step. Field names are camelCase versions of the
 * DynamoDB CreateTable shapes (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html)
 * so a model reads like the request it turns into.
 */

// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
const tableName = z
  .string()
  .min(3)
  .max(255)
  .regex(/^[a-zA-Z0-9_.-]+$/, 'table and index names use only a-z, A-Z, 0-9, "_", "-" and "."')

const attributeName = z.string().min(1).max(255)

export const ScalarAttributeType = z.enum(['S', 'N', 'B'])

export const AttributeDefinition = z.object({
  attributeName,
  attributeType: ScalarAttributeType,
})

export const KeySchemaElement = z.object({
  attributeName,
  keyType: z.enum(['HASH', 'RANGE']),
})

/** One HASH element, optionally followed by one RANGE element, in that order. */
const KeySchema = z
  .array(KeySchemaElement)
  .min(1)
  .max(2)
  .superRefine((ks, ctx) => {
    if (ks[0]?.keyType !== 'HASH')
      ctx.addIssue({ code: 'custom', message: 'the first key element must be HASH', path: [0, 'keyType'] })
    if (ks[1] && ks[1].keyType !== 'RANGE')
      ctx.addIssue({ code: 'custom', message: 'the second key element must be RANGE', path: [1, 'keyType'] })
  })

export const Projection = z
  .object({
    projectionType: z.enum(['ALL', 'KEYS_ONLY', 'INCLUDE']),
    nonKeyAttributes: z.array(attributeName).min(1).max(100).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.projectionType === 'INCLUDE' && !p.nonKeyAttributes)
      ctx.addIssue({ code: 'custom', message: 'INCLUDE needs nonKeyAttributes', path: ['nonKeyAttributes'] })
    if (p.projectionType !== 'INCLUDE' && p.nonKeyAttributes)
      ctx.addIssue({
        code: 'custom',
        message: 'nonKeyAttributes only go with INCLUDE',
        path: ['nonKeyAttributes'],
      })
  })

export const ProvisionedThroughput = z.object({
  readCapacityUnits: z.number().int().min(1),
  writeCapacityUnits: z.number().int().min(1),
})

export const GlobalSecondaryIndex = z.object({
  indexName: tableName,
  keySchema: KeySchema,
  projection: Projection,
  provisionedThroughput: ProvisionedThroughput.optional(),
})

export const LocalSecondaryIndex = z.object({
  indexName: tableName,
  keySchema: KeySchema,
  projection: Projection,
})

export const StreamViewType = z.enum(['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'])

export const TableSpec = z
  .object({
    name: tableName,
    description: z.string().optional(),
    attributeDefinitions: z.array(AttributeDefinition).min(1),
    keySchema: KeySchema,
    globalSecondaryIndexes: z.array(GlobalSecondaryIndex).max(20).optional(),
    localSecondaryIndexes: z.array(LocalSecondaryIndex).max(5).optional(),
    billingMode: z.enum(['PROVISIONED', 'PAY_PER_REQUEST']).default('PAY_PER_REQUEST'),
    provisionedThroughput: ProvisionedThroughput.optional(),
    stream: z.object({ viewType: StreamViewType }).optional(),
  })
  .superRefine((t, ctx) => {
    const defined = new Set(t.attributeDefinitions.map((a) => a.attributeName))
    const used = new Set<string>()
    const checkKeys = (ks: { attributeName: string }[], path: (string | number)[]) =>
      ks.forEach((k, i) => {
        used.add(k.attributeName)
        if (!defined.has(k.attributeName))
          ctx.addIssue({
            code: 'custom',
            message: `key attribute "${k.attributeName}" is not in attributeDefinitions`,
            path: [...path, i, 'attributeName'],
          })
      })
    checkKeys(t.keySchema, ['keySchema'])
    const names = new Set<string>()
    const checkName = (name: string, path: (string | number)[]) => {
      if (names.has(name)) ctx.addIssue({ code: 'custom', message: `duplicate index name "${name}"`, path })
      names.add(name)
    }
    t.globalSecondaryIndexes?.forEach((g, i) => {
      checkName(g.indexName, ['globalSecondaryIndexes', i, 'indexName'])
      checkKeys(g.keySchema, ['globalSecondaryIndexes', i, 'keySchema'])
      if (t.billingMode === 'PROVISIONED' && !g.provisionedThroughput)
        ctx.addIssue({
          code: 'custom',
          message: 'a PROVISIONED table needs provisionedThroughput on each global secondary index',
          path: ['globalSecondaryIndexes', i, 'provisionedThroughput'],
        })
    })
    t.localSecondaryIndexes?.forEach((l, i) => {
      checkName(l.indexName, ['localSecondaryIndexes', i, 'indexName'])
      checkKeys(l.keySchema, ['localSecondaryIndexes', i, 'keySchema'])
      // An LSI shares the table's partition key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LSI.html
      // and only a table with a composite primary key (a sort key) can have one.
      if (t.keySchema.length < 2)
        ctx.addIssue({
          code: 'custom',
          message: 'local secondary indexes need a table with a sort key',
          path: ['localSecondaryIndexes', i, 'keySchema'],
        })
      else if (l.keySchema[0]?.attributeName !== t.keySchema[0]?.attributeName || l.keySchema.length !== 2)
        ctx.addIssue({
          code: 'custom',
          message: "a local secondary index has the table's partition key and its own sort key",
          path: ['localSecondaryIndexes', i, 'keySchema'],
        })
    })
    // CreateTable rejects attribute definitions that no key uses.
    t.attributeDefinitions.forEach((a, i) => {
      if (!used.has(a.attributeName))
        ctx.addIssue({
          code: 'custom',
          message: `attribute "${a.attributeName}" is defined but is not a key of the table or an index`,
          path: ['attributeDefinitions', i, 'attributeName'],
        })
    })
    if (t.billingMode === 'PROVISIONED' && !t.provisionedThroughput)
      ctx.addIssue({
        code: 'custom',
        message: 'billingMode PROVISIONED needs provisionedThroughput',
        path: ['provisionedThroughput'],
      })
    const projected = projectedAttributesProblem(t)
    if (projected) ctx.addIssue({ code: 'custom', message: projected, path: ['globalSecondaryIndexes'] })
  })

const keyTemplate = z.string().superRefine((s, ctx) => {
  try {
    parseKeyTemplate(s)
  } catch (err) {
    if (!(err instanceof KeyTemplateError)) throw err
    ctx.addIssue({ code: 'custom', message: err.message })
  }
})

export const EntitySpec = z.object({
  name: z.string().min(1),
  table: tableName,
  description: z.string().optional(),
  /** Key attribute → template, e.g. `{ "pk": "CUST#{customer_id}", "sk": "ORDER#{created_at}" }`. */
  keys: z.record(attributeName, keyTemplate),
  attributes: z
    .array(
      z.object({
        name: attributeName,
        type: z.enum(['S', 'N', 'B', 'BOOL', 'M', 'L', 'SS', 'NS']),
        description: z.string().optional(),
      }),
    )
    .optional(),
  colour: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'a colour is #rrggbb')
    .optional(),
})

export const ParamType = z.enum(['string', 'number', 'uuid', 'handle', 'timestamp'])

/**
 * A fixed UTC layout for timestamp parameters: `YYYY-MM-DDTHH:mm:ss`, optionally `.` and 1–9 `S` (fraction
 * digits), then `Z` or `+00:00`. e.g. `YYYY-MM-DDTHH:mm:ss.SSSSSS+00:00`.
 */
export const TimestampFormat = z
  .string()
  .regex(
    /^YYYY-MM-DDTHH:mm:ss(\.S{1,9})?(Z|\+00:00)$/,
    'a timestamp format is YYYY-MM-DDTHH:mm:ss, optional .S… (1–9), then Z or +00:00',
  )

const identifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a name is letters, digits and "_", not starting with a digit')
/** A field of the row being generated, or of a row it refers to: `group.uuid`. */
const FieldPath = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, 'a field path is names joined by "."')
/** Milliseconds, or a number with a unit: `250ms`, `1s`, `5m`, `3h`, `1d`. */
export const Duration = z.union([
  z.number().min(0),
  z
    .string()
    .regex(/^\d+(\.\d+)?(ms|s|m|h|d)$/, 'a duration is milliseconds or a number with ms, s, m, h or d'),
])
const Scalar = z.union([z.string(), z.number(), z.boolean()])

/**
 * How one field of a generated row gets its value. Every random choice comes from one seeded PRNG, in the order
 * the entities and their fields are declared, so a seed always gives the same data set.
 */
export const GeneratorField = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('uuid') }).strict(),
  /** start, start + step, … (with `prefix` and zero-`pad`ding, a string such as `ORDER#0007`). */
  z
    .object({
      kind: z.literal('sequence'),
      start: z.number().int().default(1),
      step: z.number().int().default(1),
      pad: z.number().int().min(1).max(40).optional(),
      prefix: z.string().optional(),
    })
    .strict(),
  /** A value from a list: uniformly, by `weights`, or Zipf-skewed (the first values most often). */
  z
    .object({
      kind: z.literal('pick'),
      values: z.array(Scalar).min(1),
      distribution: z.enum(['uniform', 'weighted', 'zipf']).default('uniform'),
      weights: z.array(z.number().min(0)).optional(),
      /** Zipf exponent (1 = classic Zipf). */
      skew: z.number().positive().default(1),
    })
    .strict()
    .superRefine((f, ctx) => {
      if (f.distribution === 'weighted' && f.weights?.length !== f.values.length)
        ctx.addIssue({
          code: 'custom',
          message: 'a weighted pick needs one weight per value',
          path: ['weights'],
        })
      if (f.distribution === 'weighted' && f.weights && !f.weights.some((w) => w > 0))
        ctx.addIssue({ code: 'custom', message: 'at least one weight must be above 0', path: ['weights'] })
      if (f.distribution !== 'weighted' && f.weights)
        ctx.addIssue({
          code: 'custom',
          message: 'weights only go with distribution "weighted"',
          path: ['weights'],
        })
    }),
  /** The value of one of these fields, chosen uniformly (e.g. the sender: one of a conversation's two users). */
  z.object({ kind: z.literal('oneOf'), from: z.array(FieldPath).min(1) }).strict(),
  /** Another field's value (or a referenced row's field). */
  z.object({ kind: z.literal('copy'), from: FieldPath }).strict(),
  z.object({ kind: z.literal('constant'), value: Scalar }).strict(),
  /** A number in [min, max]; `decimals` digits after the point (0: whole numbers). */
  z
    .object({
      kind: z.literal('number'),
      min: z.number(),
      max: z.number(),
      decimals: z.number().int().min(0).max(10).default(0),
    })
    .strict()
    .refine((f) => f.min <= f.max, { message: 'min must not be above max', path: ['max'] }),
  /** A person's name, distinct for the first few hundred rows (first names cycle fastest). */
  z.object({ kind: z.literal('personName') }).strict(),
  /** A handle made from a name field (lower case, letters and digits) plus the row number, so it is unique. */
  z.object({ kind: z.literal('handle'), from: FieldPath.optional() }).strict(),
  /**
   * A sentence: one random entry from each of `parts` joined by spaces (the model's own phrases), or, without
   * parts, a few words of neutral filler text.
   */
  z
    .object({
      kind: z.literal('sentence'),
      parts: z.array(z.array(z.string()).min(1)).min(1).optional(),
      /** Joins the parts (default one space). */
      separator: z.string().default(' '),
    })
    .strict(),
  /**
   * A time series: the first value is `start` plus a random offset in [0, offset]; each next one is the previous
   * plus `step` plus a random jitter in [0, jitter]. With `per`, there is one series per distinct value of that
   * field (e.g. per conversation), each increasing on its own. Values are written in `format` (RFC 3339 with
   * milliseconds and Z when absent).
   */
  z
    .object({
      kind: z.literal('time'),
      start: z.string().refine(isRfc3339, 'start is an RFC 3339 time, e.g. 2026-01-01T00:00:00Z'),
      step: Duration,
      jitter: Duration.default(0),
      offset: Duration.default(0),
      per: FieldPath.optional(),
      format: TimestampFormat.optional(),
    })
    .strict(),
  /**
   * A row of an entity generated earlier (uniformly, Zipf-skewed towards the first rows, or in turn). `field`
   * takes one field of it; without it the whole row is held, for `copy`/`oneOf` paths such as `group.uuid`.
   * `distinctFrom` re-draws until the row differs from those fields' rows (two different users).
   */
  z
    .object({
      kind: z.literal('ref'),
      entity: identifier,
      field: FieldPath.optional(),
      distribution: z.enum(['uniform', 'zipf', 'sequential']).default('uniform'),
      skew: z.number().positive().default(1),
      distinctFrom: z.array(identifier).optional(),
    })
    .strict(),
  /**
   * The latest row of an entity generated earlier among those whose fields equal this row's (`where`: their
   * field → path here), by a field that orders them (`by`, e.g. a time). A row whose `latest` finds nothing is
   * not generated: "one conversation row per conversation that has a message".
   */
  z
    .object({
      kind: z.literal('latest'),
      entity: identifier,
      where: z.record(identifier, FieldPath),
      by: identifier,
      field: FieldPath.optional(),
    })
    .strict(),
])
export type GeneratorField = z.output<typeof GeneratorField>

/**
 * How to generate one entity's rows. With `entity` (one of the model's entities) the rows are stored: their keys
 * come from the entity's key templates over the fields, and their attributes are the fields the entity lists in
 * `attributes` (all fields when it lists none). Without `entity` the rows are virtual: generated to be referred
 * to (users kept in another database, conversations between pairs of them) but not written.
 */
export const GeneratedEntity = z
  .object({
    name: identifier,
    /** How the UI names the count (default: the name). */
    label: z.string().min(1).optional(),
    entity: z.string().min(1).optional(),
    /** How many rows (overridable when seeding). */
    count: z.number().int().min(0).max(10_000_000).optional(),
    /** One row per row of an entity generated earlier, held under `as`; with `variants`, one per variant. */
    forEach: z.object({ entity: identifier, as: identifier }).strict().optional(),
    /** forEach only: names bound to paths, one output row per variant (e.g. owner = a / b, other = b / a). */
    variants: z.array(z.record(identifier, FieldPath)).min(1).optional(),
    /** No two rows share these fields' values (`unordered`: in any order, e.g. a pair of users). */
    unique: z
      .object({ fields: z.array(identifier).min(1), unordered: z.boolean().default(false) })
      .strict()
      .optional(),
    fields: z.record(identifier, GeneratorField).default({}),
  })
  .strict()
  .superRefine((g, ctx) => {
    if ((g.count === undefined) === (g.forEach === undefined))
      ctx.addIssue({ code: 'custom', message: 'give exactly one of count and forEach', path: ['count'] })
    if (g.variants && !g.forEach)
      ctx.addIssue({ code: 'custom', message: 'variants only go with forEach', path: ['variants'] })
    for (const [i, f] of (g.unique?.fields ?? []).entries())
      if (!(f in g.fields))
        ctx.addIssue({ code: 'custom', message: `no field "${f}"`, path: ['unique', 'fields', i] })
    // A path starts at a field declared before it, the forEach row, or a variant's name.
    const known = new Set<string>([
      ...(g.forEach ? [g.forEach.as] : []),
      ...(g.variants ?? []).flatMap((v) => Object.keys(v)),
    ])
    const check = (path: string, at: (string | number)[]) => {
      const head = path.split('.')[0]!
      if (!known.has(head))
        ctx.addIssue({
          code: 'custom',
          message: `"${head}" is not a field declared before this one${g.forEach ? `, "${g.forEach.as}"` : ''} or a variant name`,
          path: at,
        })
    }
    for (const [i, v] of (g.variants ?? []).entries())
      for (const [k, path] of Object.entries(v))
        if (path.split('.')[0] !== g.forEach?.as)
          ctx.addIssue({
            code: 'custom',
            message: `a variant's path starts at the forEach row "${g.forEach?.as ?? ''}"`,
            path: ['variants', i, k],
          })
    for (const [name, f] of Object.entries(g.fields)) {
      const at = ['fields', name]
      if (f.kind === 'copy') check(f.from, [...at, 'from'])
      if (f.kind === 'oneOf') f.from.forEach((p, i) => check(p, [...at, 'from', i]))
      if (f.kind === 'handle' && f.from) check(f.from, [...at, 'from'])
      if (f.kind === 'time' && f.per) check(f.per, [...at, 'per'])
      if (f.kind === 'latest') for (const [k, p] of Object.entries(f.where)) check(p, [...at, 'where', k])
      if (f.kind === 'ref')
        for (const [i, d] of (f.distinctFrom ?? []).entries()) check(d, [...at, 'distinctFrom', i])
      known.add(name)
    }
  })
export type GeneratedEntity = z.output<typeof GeneratedEntity>

/** A model's data generator: entities generated in the order listed, from one seed. */
export const GeneratorSpec = z
  .object({
    seed: z.number().int().default(1),
    entities: z.array(GeneratedEntity).min(1),
  })
  .strict()
  .superRefine((g, ctx) => {
    const before = new Set<string>()
    g.entities.forEach((e, i) => {
      if (before.has(e.name))
        ctx.addIssue({
          code: 'custom',
          message: `duplicate generated entity "${e.name}"`,
          path: ['entities', i, 'name'],
        })
      const refer = (name: string, at: (string | number)[]) => {
        if (!before.has(name))
          ctx.addIssue({
            code: 'custom',
            message: `"${name}" is not a generated entity listed before this one (before it: ${[...before].join(', ') || 'none'})`,
            path: ['entities', i, ...at],
          })
      }
      if (e.forEach) refer(e.forEach.entity, ['forEach', 'entity'])
      for (const [name, f] of Object.entries(e.fields))
        if (f.kind === 'ref' || f.kind === 'latest') refer(f.entity, ['fields', name, 'entity'])
      before.add(e.name)
    })
  })
export type GeneratorSpec = z.output<typeof GeneratorSpec>

/**
 * Where suggestions for a parameter come from: the distinct values of an attribute in the items of the table,
 * so nobody has to type a raw uuid. `label` names the attribute shown beside each value (or is a template such
 * as `{customer_name}: {status}`); `companions` fills other parameters from the same item when a value is picked
 * (parameter → attribute); `entity` keeps to the items of one entity.
 */
export const ParamBinding = z.object({
  attribute: attributeName,
  label: z.string().min(1).optional(),
  entity: z.string().min(1).optional(),
  /** The table to read; defaults to the pattern's table (or a recipe's first step's). */
  table: tableName.optional(),
  companions: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), attributeName).optional(),
})

export const PatternParam = z.object({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
  type: ParamType,
  /** Suggest values drawn from the table's items (see ParamBinding). */
  bind: ParamBinding.optional(),
  /** Timestamp parameters: the exact layout values must have (any RFC 3339 date-time when absent). */
  format: TimestampFormat.optional(),
  description: z.string().optional(),
  default: z.union([z.string(), z.number()]).optional(),
  required: z.boolean().default(true),
})

/** A value in a pattern: a key template over the pattern's parameters (`CUST#{customer}`), or a literal number/boolean. */
const TemplateValue = z.union([keyTemplate, z.number(), z.boolean()])

export const PatternExpectations = z.object({
  servedBy: z.enum(['Query', 'GetItem', 'Scan', 'PutItem', 'DeleteItem', 'UpdateItem']).optional(),
  orderBy: z.object({ attribute: attributeName, direction: z.enum(['asc', 'desc']) }).optional(),
  maxItems: z.number().int().min(0).optional(),
  /** The index the request must use; `null` for the table itself. */
  index: tableName.nullable().optional(),
  /** Exactly this many items. */
  count: z.number().int().min(0).optional(),
  /** Exactly these items, in order; each lists the attributes that must match (usually the key). */
  items: z.array(z.record(attributeName, z.unknown())).optional(),
  /** Capacity units one call may consume at most (read units for reads): the pattern's budget. */
  maxCapacityUnits: z.number().min(0).optional(),
  /** Parameters `tablewright check` runs the pattern with (declared defaults otherwise). */
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
})

export const PatternOperation = z.enum(['Query', 'GetItem', 'PutItem', 'DeleteItem', 'Scan', 'stream'])

export const AccessPattern = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]+$/, 'a pattern id is letters, digits, "_" or "-"'),
    name: z.string().min(1),
    description: z.string().optional(),
    operation: PatternOperation,
    table: tableName,
    /** The entity the pattern reads or writes (one of the model's entities), for its colour and name in the views. */
    entity: z.string().min(1).optional(),
    index: tableName.optional(),
    params: z.array(PatternParam).default([]),
    /** A KeyConditionExpression with `:placeholders`, e.g. `pk = :pk AND begins_with(sk, :year)`. */
    keyCondition: z.string().optional(),
    filter: z.string().optional(),
    /** `:placeholder` → template over params, e.g. `{ ":pk": "CUST#{customer}" }`. */
    values: z.record(z.string().regex(/^:[A-Za-z0-9_]+$/), TemplateValue).optional(),
    /** Key for GetItem/DeleteItem, item for PutItem: attribute → template over params. */
    key: z.record(attributeName, TemplateValue).optional(),
    item: z.record(attributeName, TemplateValue).optional(),
    /** `desc` sends ScanIndexForward=false. */
    direction: z.enum(['asc', 'desc']).optional(),
    limit: z.number().int().min(1).optional(),
    projection: z.array(attributeName).optional(),
    /** How the UI shows the page: `reverse` shows a newest-first page oldest→newest. */
    present: z.enum(['asReturned', 'reverse']).optional(),
    /** For `stream` patterns: the handler that applies. */
    handler: z.string().optional(),
    expectations: PatternExpectations.optional(),
  })
  .superRefine((p, ctx) => {
    const need = (field: 'keyCondition' | 'key' | 'item' | 'handler') => {
      if (p[field] === undefined)
        ctx.addIssue({ code: 'custom', message: `${p.operation} needs ${field}`, path: [field] })
    }
    if (p.operation === 'Query') need('keyCondition')
    if (p.operation === 'GetItem' || p.operation === 'DeleteItem') need('key')
    if (p.operation === 'PutItem') need('item')
    if (p.operation === 'stream') need('handler')
    const declared = new Set(p.params.map((x) => x.name))
    const checkRefs = (rec: Record<string, unknown> | undefined, field: string) => {
      for (const [k, v] of Object.entries(rec ?? {})) {
        if (typeof v !== 'string') continue
        let params: string[]
        try {
          params = parseKeyTemplate(v).params
        } catch {
          continue // reported by the template check
        }
        for (const name of params)
          if (!declared.has(name))
            ctx.addIssue({
              code: 'custom',
              message: `{${name}} is not a declared parameter`,
              path: [field, k],
            })
      }
    }
    checkRefs(p.values, 'values')
    checkRefs(p.key, 'key')
    checkRefs(p.item, 'item')
    if (p.keyCondition || p.filter) {
      const text = `${p.keyCondition ?? ''} ${p.filter ?? ''}`
      for (const m of text.matchAll(/:[A-Za-z0-9_]+/g))
        if (!p.values || !(m[0] in p.values))
          ctx.addIssue({ code: 'custom', message: `${m[0]} has no entry in values`, path: ['values'] })
    }
  })

/** `:placeholders` and `{param}` references in a write step, checked against the recipe's declared parameters. */
function checkTemplateRefs(
  rec: Record<string, unknown> | undefined,
  declared: ReadonlySet<string>,
  path: (string | number)[],
  ctx: z.RefinementCtx,
): void {
  for (const [k, v] of Object.entries(rec ?? {})) {
    if (typeof v !== 'string') continue
    let params: string[]
    try {
      params = parseKeyTemplate(v).params
    } catch {
      continue // reported by the template check
    }
    for (const name of params)
      if (!declared.has(name))
        ctx.addIssue({ code: 'custom', message: `{${name}} is not a declared parameter`, path: [...path, k] })
  }
}

/**
 * One write of a recipe, named as TransactWriteItems names its actions
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItem.html): Put takes `item`;
 * Update, Delete and ConditionCheck take `key`. Expressions use `:placeholders` from `values` and `#name`
 * placeholders that stand for the attribute of the same name, as access patterns do.
 */
export const RecipeStep = z
  .object({
    op: z.enum(['Put', 'Update', 'Delete', 'ConditionCheck']),
    table: tableName,
    /** The entity the step writes, for its colour and name in the timeline. */
    entity: z.string().min(1).optional(),
    description: z.string().optional(),
    item: z.record(attributeName, TemplateValue).optional(),
    key: z.record(attributeName, TemplateValue).optional(),
    /** Update only: an UpdateExpression, e.g. `SET stock = stock - :qty`. */
    update: z.string().min(1).optional(),
    /** A ConditionExpression; ConditionCheck needs one. */
    condition: z.string().min(1).optional(),
    values: z.record(z.string().regex(/^:[A-Za-z0-9_]+$/), TemplateValue).optional(),
  })
  .superRefine((s, ctx) => {
    const need = (field: 'item' | 'key' | 'update' | 'condition') => {
      if (s[field] === undefined)
        ctx.addIssue({ code: 'custom', message: `${s.op} needs ${field}`, path: [field] })
    }
    const refuse = (field: 'item' | 'key' | 'update') => {
      if (s[field] !== undefined)
        ctx.addIssue({ code: 'custom', message: `${s.op} takes no ${field}`, path: [field] })
    }
    if (s.op === 'Put') {
      need('item')
      refuse('key')
      refuse('update')
    } else {
      need('key')
      refuse('item')
      if (s.op === 'Update') need('update')
      else refuse('update')
      if (s.op === 'ConditionCheck') need('condition')
    }
    const text = `${s.update ?? ''} ${s.condition ?? ''}`
    for (const m of text.matchAll(/:[A-Za-z0-9_]+/g))
      if (!s.values || !(m[0] in s.values))
        ctx.addIssue({ code: 'custom', message: `${m[0]} has no entry in values`, path: ['values'] })
  })

/**
 * A named, parameterised write: a sequence of Put, Update, Delete and ConditionCheck steps whose keys and items
 * are templates over the parameters. `transaction` runs it as one TransactWriteItems (all or nothing, at most 100
 * actions, one action per item); `steps` runs each step as its own request, in order; `auto` (the default) is a
 * transaction where the connection has transactions and steps elsewhere.
 */
/**
 * What `tablewright check` expects of a recipe: the parameters it runs with, whether it succeeds or is cancelled,
 * and postconditions read back through access patterns afterwards, e.g. "after send-message, pattern B's first
 * item has message = the sent text". Values in `params` and `first` may be templates over the recipe's resolved
 * parameters (`{message}`).
 */
export const RecipeExpectations = z.object({
  /**
   * Names this case when a recipe declares several (e.g. `out-of-stock` for a run whose condition fails); the
   * check row is then `<recipe>:<case>`.
   */
  case: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'a case name is letters, digits, "_" or "-"')
    .optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  outcome: z.enum(['succeeds', 'cancelled']).default('succeeds'),
  after: z
    .array(
      z.object({
        pattern: z.string().min(1),
        params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
        /** Attributes the first item of the pattern's page must have. */
        first: z.record(attributeName, z.union([z.string(), z.number(), z.boolean()])).optional(),
        count: z.number().int().min(0).optional(),
      }),
    )
    .max(20)
    .optional(),
})

export const WriteRecipe = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]+$/, 'a recipe id is letters, digits, "_" or "-"'),
    name: z.string().min(1),
    description: z.string().optional(),
    /** The access pattern the recipe carries out, if any (its id). */
    pattern: z.string().optional(),
    params: z.array(PatternParam).default([]),
    mode: z.enum(['auto', 'transaction', 'steps']).default('auto'),
    steps: z.array(RecipeStep).min(1).max(100),
    /**
     * For `tablewright check`: the recipe is run with these parameters and its postconditions read back. A list
     * declares several cases (say, one that succeeds and one whose condition fails), run in order on the same data.
     */
    expectations: z.union([RecipeExpectations, z.array(RecipeExpectations).min(1).max(20)]).optional(),
  })
  .superRefine((r, ctx) => {
    const declared = new Set(r.params.map((x) => x.name))
    r.steps.forEach((s, i) => {
      checkTemplateRefs(s.item, declared, ['steps', i, 'item'], ctx)
      checkTemplateRefs(s.key, declared, ['steps', i, 'key'], ctx)
      checkTemplateRefs(s.values, declared, ['steps', i, 'values'], ctx)
    })
  })

export const StreamHandlerSpec = z.object({
  name: z.string().min(1),
  table: tableName,
  description: z.string().optional(),
  /** The access pattern the handler implements, if any. */
  pattern: z.string().optional(),
  /**
   * The module Lambda would run: a `.mjs`, `.js` or `.ts` file, relative to the model file, exporting
   * `handler(event, context)` for DynamoDB Streams events.
   */
  file: z
    .string()
    .min(1)
    .regex(/\.(mjs|js|ts)$/, 'a handler file is a .mjs, .js or .ts module'),
  /** Lambda's function timeout (its default is 3 s; here 30 s, since local endpoints under load are slower). */
  timeoutSeconds: z.number().int().min(1).max(900).optional(),
  /** The event source mapping's BatchSize (Lambda's default for DynamoDB Streams: 100). */
  batchSize: z.number().int().min(1).max(10_000).optional(),
  /** The event source mapping's MaximumRetryAttempts before a failing batch is given up (here 2 by default). */
  maximumRetryAttempts: z.number().int().min(0).max(10_000).optional(),
  /** ReportBatchItemFailures: a `batchItemFailures` response retries from the first failed record (default on). */
  reportBatchItemFailures: z.boolean().optional(),
})

/**
 * A command the model ships for the CLI (`tablewright <name> …`): a `.mjs` or `.js` module beside the model that
 * declares its options and runs over a small API (runRecipe, runPattern, scan). A model's own shortcut for its
 * use cases, written as any user would, so the CLI itself never names a sample.
 */
export const ModelCommand = z.object({
  name: z
    .string()
    .regex(
      /^[a-z][a-z0-9-]*$/,
      'a command name is lower-case letters, digits and "-", starting with a letter',
    ),
  description: z.string().optional(),
  /** The module, relative to the model file, exporting `options` and `run(options, api)`. */
  file: z
    .string()
    .min(1)
    .regex(/\.(mjs|js)$/, 'a command file is a .mjs or .js module'),
})

// A sample item DynamoDB could never store (nested too deep) is refused with its path.
const JsonItem = z.record(z.string(), z.unknown()).superRefine((item, ctx) => {
  const deep = nestedTooDeep(item)
  if (deep)
    ctx.addIssue({
      code: 'custom',
      message: `nested more than ${MAX_NESTING} levels deep, which DynamoDB refuses`,
      path: deep,
    })
})

export const SampleData = z.object({
  /** Table name → items (plain JSON, as the document client writes them). */
  items: z.record(tableName, z.array(JsonItem)).optional(),
  /** A JSON file beside the model holding the same shape as `items`. */
  itemsFile: z.string().optional(),
  /** Generates sample data of any size, deterministic for a seed (see GeneratorSpec). */
  generator: GeneratorSpec.optional(),
})

export const Model = z
  .object({
    $schema: z.string().optional(),
    name: z.string().min(1),
    version: z.literal(1).default(1),
    description: z.string().optional(),
    tables: z.array(TableSpec).min(1),
    entities: z.array(EntitySpec).default([]),
    sampleData: SampleData.optional(),
    accessPatterns: z.array(AccessPattern).default([]),
    streamHandlers: z.array(StreamHandlerSpec).default([]),
    recipes: z.array(WriteRecipe).default([]),
    commands: z.array(ModelCommand).default([]),
    /** Expected requests per second per pattern, for `tablewright cost` (see traffic.ts). */
    traffic: TrafficProfile.optional(),
  })
  .superRefine((m, ctx) => {
    const tables = new Map(m.tables.map((t) => [t.name, t]))
    const tableNames = new Set<string>()
    m.tables.forEach((t, i) => {
      if (tableNames.has(t.name))
        ctx.addIssue({ code: 'custom', message: `duplicate table "${t.name}"`, path: ['tables', i, 'name'] })
      tableNames.add(t.name)
    })
    m.entities.forEach((e, i) => {
      const t = tables.get(e.table)
      if (!t)
        return ctx.addIssue({
          code: 'custom',
          message: `no table "${e.table}" in tables`,
          path: ['entities', i, 'table'],
        })
      for (const k of t.keySchema)
        if (!(k.attributeName in e.keys))
          ctx.addIssue({
            code: 'custom',
            message: `no template for key attribute "${k.attributeName}"`,
            path: ['entities', i, 'keys'],
          })
    })
    const ids = new Set<string>()
    m.accessPatterns.forEach((p, i) => {
      if (ids.has(p.id))
        ctx.addIssue({
          code: 'custom',
          message: `duplicate pattern id "${p.id}"`,
          path: ['accessPatterns', i, 'id'],
        })
      ids.add(p.id)
      const t = tables.get(p.table)
      if (!t)
        return ctx.addIssue({
          code: 'custom',
          message: `no table "${p.table}" in tables`,
          path: ['accessPatterns', i, 'table'],
        })
      if (
        p.index &&
        ![...(t.globalSecondaryIndexes ?? []), ...(t.localSecondaryIndexes ?? [])].some(
          (x) => x.indexName === p.index,
        )
      )
        ctx.addIssue({
          code: 'custom',
          message: `table "${t.name}" has no index "${p.index}"`,
          path: ['accessPatterns', i, 'index'],
        })
      if (p.entity !== undefined && !m.entities.some((e) => e.name === p.entity))
        ctx.addIssue({
          code: 'custom',
          message: `no entity "${p.entity}" in entities (entities: ${m.entities.map((e) => e.name).join(', ') || 'none'})`,
          path: ['accessPatterns', i, 'entity'],
        })
      if (p.handler && !m.streamHandlers.some((h) => h.name === p.handler))
        ctx.addIssue({
          code: 'custom',
          message: `no stream handler "${p.handler}"`,
          path: ['accessPatterns', i, 'handler'],
        })
    })
    // A stored generated entity is one of the model's entities, and its fields fill that entity's keys.
    m.sampleData?.generator?.entities.forEach((g, i) => {
      if (g.entity === undefined) return
      const e = m.entities.find((x) => x.name === g.entity)
      if (!e)
        return ctx.addIssue({
          code: 'custom',
          message: `no entity "${g.entity}" in entities (entities: ${m.entities.map((x) => x.name).join(', ') || 'none'}); leave entity out for rows that are not stored`,
          path: ['sampleData', 'generator', 'entities', i, 'entity'],
        })
      for (const [attr, template] of Object.entries(e.keys)) {
        let params: string[]
        try {
          params = parseKeyTemplate(template).params
        } catch {
          continue // reported by the template check
        }
        for (const name of params)
          if (!(name in g.fields))
            ctx.addIssue({
              code: 'custom',
              message: `entity ${e.name}'s key ${attr} ("${template}") needs a field "${name}"`,
              path: ['sampleData', 'generator', 'entities', i, 'fields'],
            })
      }
    })
    // A parameter's binding names one of the model's entities and fills only declared parameters.
    const checkBindings = (params: PatternParam[], path: (string | number)[]) =>
      params.forEach((prm, j) => {
        const b = prm.bind
        if (!b) return
        if (b.entity !== undefined && !m.entities.some((e) => e.name === b.entity))
          ctx.addIssue({
            code: 'custom',
            message: `no entity "${b.entity}" in entities (entities: ${m.entities.map((e) => e.name).join(', ') || 'none'})`,
            path: [...path, j, 'bind', 'entity'],
          })
        if (b.table !== undefined && !tables.has(b.table))
          ctx.addIssue({
            code: 'custom',
            message: `no table "${b.table}" in tables`,
            path: [...path, j, 'bind', 'table'],
          })
        for (const name of Object.keys(b.companions ?? {}))
          if (!params.some((x) => x.name === name))
            ctx.addIssue({
              code: 'custom',
              message: `"${name}" is not a declared parameter`,
              path: [...path, j, 'bind', 'companions', name],
            })
      })
    m.accessPatterns.forEach((p, i) => checkBindings(p.params, ['accessPatterns', i, 'params']))
    m.recipes.forEach((r, i) => checkBindings(r.params, ['recipes', i, 'params']))
    const recipeIds = new Set<string>()
    m.recipes.forEach((r, i) => {
      if (recipeIds.has(r.id))
        ctx.addIssue({ code: 'custom', message: `duplicate recipe id "${r.id}"`, path: ['recipes', i, 'id'] })
      recipeIds.add(r.id)
      const cases = recipeCases(r)
      const caseIds = new Set<string>()
      cases.forEach((c, k) => {
        const at = Array.isArray(r.expectations) ? [k] : []
        const id = recipeCaseId(r, c)
        if (caseIds.has(id))
          ctx.addIssue({
            code: 'custom',
            message: `two cases of recipe "${r.id}" share the name "${c.case ?? ''}": name each case`,
            path: ['recipes', i, 'expectations', ...at, 'case'],
          })
        caseIds.add(id)
        c.after?.forEach((a, j) => {
          if (!ids.has(a.pattern))
            ctx.addIssue({
              code: 'custom',
              message: `no access pattern "${a.pattern}" (patterns: ${[...ids].join(', ') || 'none'})`,
              path: ['recipes', i, 'expectations', ...at, 'after', j, 'pattern'],
            })
        })
      })
      if (r.pattern !== undefined && !ids.has(r.pattern))
        ctx.addIssue({
          code: 'custom',
          message: `no access pattern "${r.pattern}" (patterns: ${[...ids].join(', ') || 'none'})`,
          path: ['recipes', i, 'pattern'],
        })
      r.steps.forEach((s, j) => {
        const t = tables.get(s.table)
        if (!t)
          ctx.addIssue({
            code: 'custom',
            message: `no table "${s.table}" in tables`,
            path: ['recipes', i, 'steps', j, 'table'],
          })
        if (s.entity !== undefined && !m.entities.some((e) => e.name === s.entity))
          ctx.addIssue({
            code: 'custom',
            message: `no entity "${s.entity}" in entities (entities: ${m.entities.map((e) => e.name).join(', ') || 'none'})`,
            path: ['recipes', i, 'steps', j, 'entity'],
          })
        const keyNames = t?.keySchema.map((k) => k.attributeName) ?? []
        const rec = s.op === 'Put' ? s.item : s.key
        const field = s.op === 'Put' ? 'item' : 'key'
        if (t && rec)
          for (const k of keyNames)
            if (!(k in rec))
              ctx.addIssue({
                code: 'custom',
                message: `no value for key attribute "${k}" of table "${t.name}"`,
                path: ['recipes', i, 'steps', j, field],
              })
        if (t && s.key)
          for (const k of Object.keys(s.key))
            if (!keyNames.includes(k))
              ctx.addIssue({
                code: 'custom',
                message: `"${k}" is not a key attribute of table "${t.name}" (keys: ${keyNames.join(', ')})`,
                path: ['recipes', i, 'steps', j, 'key', k],
              })
      })
    })
    const commandNames = new Set<string>()
    m.commands.forEach((c, i) => {
      if (commandNames.has(c.name))
        ctx.addIssue({
          code: 'custom',
          message: `duplicate command "${c.name}"`,
          path: ['commands', i, 'name'],
        })
      commandNames.add(c.name)
    })
    m.streamHandlers.forEach((h, i) => {
      const t = tables.get(h.table)
      if (!t)
        ctx.addIssue({
          code: 'custom',
          message: `no table "${h.table}" in tables`,
          path: ['streamHandlers', i, 'table'],
        })
      else if (!t.stream)
        ctx.addIssue({
          code: 'custom',
          message: `table "${h.table}" has no stream`,
          path: ['streamHandlers', i, 'table'],
        })
    })
  })

export type Model = z.output<typeof Model>
export type ModelInput = z.input<typeof Model>
export type TableSpec = z.output<typeof TableSpec>
export type EntitySpec = z.output<typeof EntitySpec>
export type AccessPattern = z.output<typeof AccessPattern>
export type PatternParam = z.output<typeof PatternParam>
export type StreamHandlerSpec = z.output<typeof StreamHandlerSpec>
export type WriteRecipe = z.output<typeof WriteRecipe>
export type RecipeExpectations = z.output<typeof RecipeExpectations>
export type RecipeStep = z.output<typeof RecipeStep>
export type ModelCommand = z.output<typeof ModelCommand>
export type GlobalSecondaryIndex = z.output<typeof GlobalSecondaryIndex>
export type LocalSecondaryIndex = z.output<typeof LocalSecondaryIndex>

/** `tables[0].globalSecondaryIndexes[0].keySchema` from a zod issue path. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`
    else out += out ? `.${String(p)}` : String(p)
  }
  return out || '(root)'
}

export interface ModelIssue {
  path: string
  message: string
}

/** Parses a model; on failure returns issues whose paths name the field at fault. */
export function parseModel(input: unknown): { ok: true; model: Model } | { ok: false; issues: ModelIssue[] } {
  const r = Model.safeParse(input)
  if (r.success) return { ok: true, model: r.data }
  return {
    ok: false,
    issues: r.error.issues.map((i) => ({ path: formatIssuePath(i.path), message: i.message })),
  }
}

/** The model's JSON Schema (draft 2020-12), used for the committed model.schema.json and Monaco. */
export function modelJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(Model, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>
}

/** A recipe's check cases: none, its one `expectations` object, or each of its list. */
export function recipeCases(recipe: Pick<WriteRecipe, 'expectations'>): RecipeExpectations[] {
  const e = recipe.expectations
  return e === undefined ? [] : Array.isArray(e) ? e : [e]
}

/** The check row of a recipe case: the recipe's id, or `<recipe>:<case>` for a named case. */
export function recipeCaseId(recipe: Pick<WriteRecipe, 'id'>, c: RecipeExpectations): string {
  return c.case ? `${recipe.id}:${c.case}` : recipe.id
}

export function findTable(model: Model, name: string): TableSpec | undefined {
  return model.tables.find((t) => t.name === name)
}

export function findPattern(model: Model, id: string): AccessPattern | undefined {
  return model.accessPatterns.find((p) => p.id === id)
}

export function findRecipe(model: Model, id: string): WriteRecipe | undefined {
  return model.recipes.find((r) => r.id === id)
}

/**
 * The same model with one table renamed everywhere it is referred to (entities, patterns, handlers, inline
 * sample items): for loading a model under an environment prefix, or giving each test its own table.
 */
export function renameModelTable(model: Model, from: string, to: string): Model {
  const rename = (name: string) => (name === from ? to : name)
  const items = model.sampleData?.items
  return {
    ...model,
    tables: model.tables.map((t) => ({ ...t, name: rename(t.name) })),
    entities: model.entities.map((e) => ({ ...e, table: rename(e.table) })),
    accessPatterns: model.accessPatterns.map((p) => ({ ...p, table: rename(p.table) })),
    streamHandlers: model.streamHandlers.map((h) => ({ ...h, table: rename(h.table) })),
    recipes: model.recipes.map((r) => ({
      ...r,
      steps: r.steps.map((s) => ({ ...s, table: rename(s.table) })),
    })),
    ...(model.sampleData
      ? {
          sampleData: {
            ...model.sampleData,
            ...(items
              ? { items: Object.fromEntries(Object.entries(items).map(([t, v]) => [rename(t), v])) }
              : {}),
          },
        }
      : {}),
  }
}
