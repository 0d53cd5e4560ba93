import { z } from 'zod'
import { MAX_NESTING, nestedTooDeep } from './attribute-json'
import { KeyTemplateError, parseKeyTemplate } from './key-template'
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
      if (l.keySchema[0]?.attributeName !== t.keySchema[0]?.attributeName || l.keySchema.length !== 2)
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
  /** Key attribute → template, e.g. `{ "pk": "MSG#{message_group_uuid}", "sk": "{created_at}" }`. */
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
 * digits), then `Z` or `+00:00`. Cruddur's is `YYYY-MM-DDTHH:mm:ss.SSSSSS+00:00`.
 */
export const TimestampFormat = z
  .string()
  .regex(
    /^YYYY-MM-DDTHH:mm:ss(\.S{1,9})?(Z|\+00:00)$/,
    'a timestamp format is YYYY-MM-DDTHH:mm:ss, optional .S… (1–9), then Z or +00:00',
  )

export const PatternParam = z.object({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
  type: ParamType,
  /** Timestamp parameters: the exact layout values must have (any RFC 3339 date-time when absent). */
  format: TimestampFormat.optional(),
  description: z.string().optional(),
  default: z.union([z.string(), z.number()]).optional(),
  required: z.boolean().default(true),
})

/** A value in a pattern: a key template over the pattern's parameters (`MSG#{group}`), or a literal number/boolean. */
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
    /** `:placeholder` → template over params, e.g. `{ ":pk": "MSG#{group}" }`. */
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
  /** The access pattern the handler implements, if any (Cruddur: D). */
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
  generator: z
    .object({
      name: z.string().min(1),
      params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    })
    .optional(),
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
    const recipeIds = new Set<string>()
    m.recipes.forEach((r, i) => {
      if (recipeIds.has(r.id))
        ctx.addIssue({ code: 'custom', message: `duplicate recipe id "${r.id}"`, path: ['recipes', i, 'id'] })
      recipeIds.add(r.id)
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
export type RecipeStep = z.output<typeof RecipeStep>
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
