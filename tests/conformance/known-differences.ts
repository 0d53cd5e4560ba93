/**
 * Where DynamoDB Local 3.3.1 answers differently from real DynamoDB, the engine follows real DynamoDB. Each rule
 * here rewrites Local's answer into the real one before the comparison, so a test then asserts that ours gives
 * the real answer. Every rule is listed, with its source, in KNOWN-DIFFERENCES.md (same ids).
 */
import type { Json, Wire } from './harness'

const TABLE_DESCRIPTION_KEYS = ['TableDescription', 'Table']

/** Applies fn to every table description in an answer (CreateTable/DescribeTable/UpdateTable/DeleteTable). */
function mapTableDescriptions(wire: Wire, fn: (t: Json) => Json | undefined): Wire | undefined {
  let changed = false
  const body: Json = { ...wire.body }
  for (const k of TABLE_DESCRIPTION_KEYS) {
    const t = body[k]
    if (t && typeof t === 'object' && 'TableArn' in t) {
      const next = fn(t as Json)
      if (next) {
        body[k] = next
        changed = true
      }
    }
  }
  return changed ? { status: wire.status, body } : undefined
}

/** A validation message DynamoDB Local words its own way, and real DynamoDB's wording for the same request. */
interface MessageRule {
  id: string
  ops: string[]
  local: RegExp
  real: (req: Json, m: RegExpMatchArray) => string
  /** Real DynamoDB's error type when Local's differs. */
  type?: string
  applies?: (req: Json) => boolean
}

const keyNames = (req: Json): string[] =>
  ((req.KeySchema ?? []) as Json[]).map((k) => String(k.AttributeName))
const definedNames = (req: Json): string[] =>
  ((req.AttributeDefinitions ?? []) as Json[]).map((d) => String(d.AttributeName))
const tableName = (req: Json) => String(req.TableName)

/** Every N value in a request, in document order. */
function numbersIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) numbersIn(v, out)
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'N' && typeof v === 'string') out.push(v)
      else numbersIn(v, out)
    }
  }
  return out
}

/**
 * Real DynamoDB names the attribute, both types and the index. Written for the harness's singleTable: gpk/gsk are
 * S keys of gsi, lsk the N key of lsi.
 */
function indexTypeMismatch(req: Json): string {
  const values = Object.values((req.ExpressionAttributeValues ?? {}) as Record<string, Json>)
  const item = (req.Item ?? {}) as Record<string, Json>
  for (const [name, type, index] of [
    ['gpk', 'S', 'gsi'],
    ['gsk', 'S', 'gsi'],
    ['lsk', 'N', 'lsi'],
  ] as const) {
    const value = item[name] ?? (String(req.UpdateExpression ?? '').includes(name) ? values[0] : undefined)
    const actual = value ? Object.keys(value)[0] : undefined
    if (actual && actual !== type)
      return `One or more parameter values were invalid: Type mismatch for Index Key ${name} Expected: ${type} Actual: ${actual} IndexName: ${index}`
  }
  return 'One or more parameter values were invalid: Type mismatch for Index Key'
}

const MESSAGE_RULES: MessageRule[] = [
  {
    id: 'msg-duplicate-index',
    ops: ['CreateTable'],
    local: /^Two (global|local) secondary indices have the same name$/,
    real: (req) => {
      const names = [
        ...((req.GlobalSecondaryIndexes ?? []) as Json[]),
        ...((req.LocalSecondaryIndexes ?? []) as Json[]),
      ].map((i) => String(i.IndexName))
      return `One or more parameter values were invalid: Duplicate index name: ${names.find((n, i) => names.indexOf(n) !== i) ?? ''}`
    },
  },
  {
    id: 'msg-projection',
    ops: ['CreateTable', 'UpdateTable'],
    local:
      /^If Projection type INCLUDE is specified, some non-key attributes to include in the projection must be specified as well$/,
    real: () =>
      'One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified',
  },
  {
    id: 'msg-projection',
    ops: ['CreateTable', 'UpdateTable'],
    local: /^No attributes should be specified to be projected unless projection type is INCLUDE$/,
    real: (req) => {
      const all = [
        ...((req.GlobalSecondaryIndexes ?? []) as Json[]),
        ...((req.LocalSecondaryIndexes ?? []) as Json[]),
      ]
      const bad = all
        .map((i) => i.Projection as Json)
        .find((p) => p.ProjectionType !== 'INCLUDE' && p.NonKeyAttributes !== undefined)
      return `One or more parameter values were invalid: ProjectionType is ${String(bad?.ProjectionType)}, but NonKeyAttributes is specified`
    },
  },
  {
    id: 'msg-key-schema',
    ops: ['GetItem', 'DeleteItem', 'UpdateItem', 'BatchGetItem', 'BatchWriteItem'],
    // A key missing its range part, or a key attribute of the wrong type.
    local:
      /^(The number of conditions on the keys is invalid|One or more parameter values were invalid: Type mismatch for key)$/,
    real: () => 'The provided key element does not match the schema',
  },
  {
    id: 'msg-transact-payload',
    ops: ['TransactWriteItems'],
    local: /^Transaction payload size cannot exceed 4MB\. Payload Size: \d+$/,
    real: () => 'Transaction item size has exceeded the 4 MB limit',
  },
  {
    id: 'msg-segment-pair',
    ops: ['Scan'],
    local:
      /^(If segment is specified, total segment must also be specified|If total segments is specified, a particular segment must also be specified for this request)$/,
    real: (req) =>
      req.TotalSegments === undefined
        ? 'The TotalSegments parameter is required but was not present in the request when Segment parameter is present'
        : 'The Segment parameter is required but was not present in the request when parameter TotalSegments is present',
  },
  {
    id: 'msg-segment',
    ops: ['Scan'],
    local:
      /^1 validation error detected: Value '\d+' at 'segment' failed to satisfy constraint: Member must have value less than or equal to \d+$/,
    applies: (req) =>
      typeof req.Segment === 'number' &&
      typeof req.TotalSegments === 'number' &&
      req.Segment >= req.TotalSegments,
    real: (req) =>
      `The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${String(req.Segment)} is not less than TotalSegments: ${String(req.TotalSegments)}`,
  },
  {
    id: 'msg-number-precision',
    ops: ['PutItem', 'UpdateItem', 'GetItem', 'Query', 'Scan', 'DeleteItem', 'BatchWriteItem'],
    local: /^DynamoDB only supports precision up to 38 digits$/,
    real: () => 'Attempting to store more than 38 significant digits in a Number',
  },
  {
    // The same rewrite as the Expressions section's expr-number-invalid, for numbers in items and keys.
    id: 'msg-number-invalid',
    ops: [
      'PutItem',
      'UpdateItem',
      'GetItem',
      'DeleteItem',
      'BatchWriteItem',
      'BatchGetItem',
      'Query',
      'Scan',
    ],
    local: /^A value provided cannot be converted into a number$/,
    real: (req) => {
      // expr-number-exponent: an exponent beyond a 32-bit int is no number to real DynamoDB either, and is named.
      const bad = numbersIn(req).find(
        (n) =>
          !/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(n) ||
          (/[eE][+-]?0*\d{10,}$/.test(n.trim()) && Math.abs(Number(n.trim().split(/[eE]/)[1])) > 2147483647),
      )
      return bad
        ? `The parameter cannot be converted to a numeric value: ${bad}`
        : 'The parameter cannot be converted to a numeric value'
    },
  },
  {
    id: 'msg-index-type-mismatch',
    ops: ['PutItem', 'UpdateItem', 'BatchWriteItem'],
    local: /^One or more parameter values were invalid: Type mismatch for Index Key$/,
    real: (req) => indexTypeMismatch(req),
  },
  {
    id: 'msg-batch-write-size',
    ops: ['BatchWriteItem'],
    local: /^Too many items requested for the BatchWriteItem call$/,
    real: () =>
      "1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]",
  },
  {
    id: 'msg-batch-write-size',
    ops: ['BatchWriteItem'],
    local: /^BatchWriteItem cannot have a null or no requests set$/,
    real: () =>
      "1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
  },
  {
    id: 'msg-key-not-defined',
    ops: ['CreateTable'],
    local: /^(Range|Hash) Key not specified in Attribute Definitions\. {2}Type unknown\.$/,
    real: (req) =>
      `One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [${keyNames(
        req,
      )
        .filter((k) => !definedNames(req).includes(k))
        .join(', ')}], AttributeDefinitions: [${definedNames(req).join(', ')}]`,
  },
  {
    id: 'msg-key-count',
    ops: ['CreateTable'],
    local:
      /^The number of attributes in key schema must match the number of attributes defined in attribute definitions\.$/,
    real: () =>
      'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
  },
  {
    id: 'msg-attribute-type-enum',
    ops: ['CreateTable'],
    local: /^Member must satisfy enum value set: \[B, N, S\]$/,
    real: (req) => {
      const bad = ((req.AttributeDefinitions ?? []) as Json[]).find(
        (d) => !['S', 'N', 'B'].includes(String(d.AttributeType)),
      )
      return `1 validation error detected: Value '${String(bad?.AttributeType)}' at 'attributeType' failed to satisfy constraint: Member must satisfy enum value set: [S, N, B]`
    },
  },
  {
    id: 'msg-table-name',
    ops: ['*'],
    local: /^Invalid table\/index name\. {2}Table\/index names must be between 3 and 255 characters long/,
    real: (req) => {
      const [member, value] =
        req.ExclusiveStartTableName !== undefined
          ? ['exclusiveStartTableName', String(req.ExclusiveStartTableName)]
          : ['tableName', tableName(req)]
      return value.length < 3
        ? `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have length greater than or equal to 3`
        : `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`
    },
  },
  {
    // Real DynamoDB names which key is too large (KNOWN-DIFFERENCES.md, msg-key-size).
    id: 'msg-key-size',
    ops: ['PutItem', 'GetItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'BatchGetItem', 'Query'],
    local:
      /^Hash primary key values must be under 2048 bytes, and range primary key values must be under 1024 bytes$/,
    real: (req) => {
      const values = Object.values((req.Item ?? req.Key ?? {}) as Record<string, Json>)
      const bytes = (v: Json) =>
        'S' in v ? Buffer.byteLength(String(v.S)) : 'B' in v ? Buffer.from(String(v.B), 'base64').length : 0
      return values.some((v) => bytes(v) > 2048)
        ? 'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes'
        : 'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes'
    },
  },
  {
    id: 'msg-key-order',
    ops: ['CreateTable'],
    local: /^Invalid key order\./,
    real: () => 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type',
    // A multi-attribute GSI key with a HASH after a RANGE starts with HASH: Local's own words then stand.
    applies: (req) => {
      const schemas = [
        req.KeySchema,
        ...((req.GlobalSecondaryIndexes ?? []) as Json[]).map((g) => g.KeySchema),
        ...((req.LocalSecondaryIndexes ?? []) as Json[]).map((l) => l.KeySchema),
      ]
      return schemas.some((s) => Array.isArray(s) && (s[0] as Json | undefined)?.KeyType !== 'HASH')
    },
  },
  {
    id: 'msg-null-member',
    ops: ['CreateTable'],
    local: /^No defined key schema\./,
    real: () =>
      "1 validation error detected: Value null at 'keySchema' failed to satisfy constraint: Member must not be null",
  },
  {
    id: 'msg-transact-items-length',
    ops: ['TransactWriteItems', 'TransactGetItems'],
    // TransactGetItems: Local calls an empty list null.
    local:
      /^Value (\[\]|null) at 'transactItems' failed to satisfy constraint: Member must (have length greater than or equal to 1|not be null)$/,
    applies: (req) => Array.isArray(req.TransactItems) && req.TransactItems.length === 0,
    real: () =>
      "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
  },
  {
    id: 'msg-null-member',
    ops: ['TransactWriteItems', 'TransactGetItems'],
    local: /^(Value null at '[A-Za-z0-9.]+' failed to satisfy constraint: Member must not be null)$/,
    real: (_req, m) => `1 validation error detected: ${m[1]}`,
  },
  {
    id: 'msg-transact-token-length',
    ops: ['TransactWriteItems'],
    local: /^Value (.*) at 'clientRequestToken' failed to satisfy constraint: (.*)$/,
    real: (_req, m) =>
      `1 validation error detected: Value '${m[1]}' at 'clientRequestToken' failed to satisfy constraint: ${m[2]}`,
  },
  {
    id: 'msg-ttl-null-member',
    ops: ['UpdateTimeToLive'],
    local: /^TimeToLiveSpecification cannot be null$/,
    real: () =>
      "1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null",
  },
  {
    id: 'msg-ttl-null-member',
    ops: ['UpdateTimeToLive'],
    local: /^AttributeName cannot be null when time to live is being enabled$/,
    applies: (req) => (req.TimeToLiveSpecification as Json | undefined)?.Enabled !== undefined,
    real: () =>
      "1 validation error detected: Value null at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must not be null",
  },
  {
    id: 'msg-ttl-attribute-name-length',
    ops: ['UpdateTimeToLive'],
    local:
      /^Names of key attributes and attributes projected into an index must be between 1 and 255 characters, inclusive$/,
    real: (req) => {
      const name = String((req.TimeToLiveSpecification as Json | undefined)?.AttributeName ?? '')
      return `1 validation error detected: Value '${name}' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length ${name.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 255'}`
    },
  },
  {
    id: 'msg-null-member',
    ops: [
      'GetItem',
      'PutItem',
      'UpdateItem',
      'DeleteItem',
      'Query',
      'Scan',
      'DescribeTable',
      'UpdateTimeToLive',
    ],
    local: /^(Value null at '[A-Za-z]+' failed to satisfy constraint: Member must not be null)$/,
    real: (_req, m) => `1 validation error detected: ${m[1]}`,
  },
  {
    id: 'msg-provisioned-needs-throughput',
    ops: ['CreateTable'],
    local: /^No provisioned throughput specified for the table$/,
    real: () =>
      'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
  },
  {
    id: 'msg-stream-view-type',
    ops: ['CreateTable'],
    local: /^Invalid StreamViewType: Stream ViewType must not be null or empty when enabling streams\.$/,
    real: () =>
      'One or more parameter values were invalid: You must specify a StreamViewType when enabling a stream',
  },
  {
    id: 'msg-lsi-on-hash-table',
    ops: ['CreateTable'],
    local: /^Local Secondary indices are not allowed on hash tables, only hash and range tables$/,
    real: () =>
      'One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex',
  },
  {
    id: 'msg-empty-gsi-list',
    ops: ['CreateTable'],
    local: /^GSI list is empty\/invalid$/,
    real: () => 'One or more parameter values were invalid: List of GlobalSecondaryIndexes is empty',
  },
  {
    id: 'msg-limit',
    ops: ['ListTables', 'Query', 'Scan'],
    local: /^(Limit must be greater than or equal to 1|Limit in ListTables must be <= 100)$/,
    real: (req) =>
      Number(req.Limit) < 1
        ? `1 validation error detected: Value '${String(req.Limit)}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`
        : `1 validation error detected: Value '${String(req.Limit)}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100`,
  },
  {
    id: 'msg-return-values-enum',
    ops: ['PutItem', 'DeleteItem', 'UpdateItem'],
    local: /^Return values set to invalid value$/,
    // Only for values outside the enum: a listed value the operation does not take (ALL_NEW on PutItem) gets
    // this same message from real DynamoDB.
    applies: (req) =>
      !['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'].includes(String(req.ReturnValues)),
    real: (req) =>
      `1 validation error detected: Value '${String(req.ReturnValues)}' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [NONE, ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW]`,
  },
  {
    id: 'msg-attributes-to-get-duplicate',
    ops: ['GetItem', 'Query', 'Scan'],
    local: /^Cannot have two attributes with the same name$/,
    real: (req) => {
      const names = Array.isArray(req.AttributesToGet) ? req.AttributesToGet.map(String) : []
      return `One or more parameter values were invalid: Duplicate value in attribute name: ${names.find((n, i) => names.indexOf(n) !== i) ?? ''}`
    },
  },
  {
    id: 'msg-missed-key',
    ops: ['Query'],
    local: /^Query condition missed key schema element$/,
    // Names the missing hash key of the harness's tables: singleTable (pk; its GSI gpk) or keyTable (h).
    real: (req) => {
      if (req.KeyConditions && typeof req.KeyConditions === 'object') {
        // Legacy KeyConditions: the hash key if it is missing, else the sort key (singleTable, else keyTable's h/r).
        const names = Object.keys(req.KeyConditions)
        const single =
          req.IndexName !== undefined || names.some((k) => ['pk', 'sk', 'gpk', 'gsk', 'lsk'].includes(k))
        const [hash, range] =
          req.IndexName === 'gsi'
            ? ['gpk', 'gsk']
            : req.IndexName === 'lsi'
              ? ['pk', 'lsk']
              : single
                ? ['pk', 'sk']
                : ['h', 'r']
        return `Query condition missed key schema element: ${names.includes(hash) ? range : hash}`
      }
      const hash =
        req.IndexName === 'gsi'
          ? 'gpk'
          : /\b(sk|lsk|gsk)\b/.test(String(req.KeyConditionExpression))
            ? 'pk'
            : 'h'
      return `Query condition missed key schema element: ${hash}`
    },
  },
  {
    // A start key from another partition, on a Query with no range condition.
    id: 'msg-start-key-outside',
    ops: ['Query'],
    local: /^The provided starting key does not match the range key predicate$/,
    applies: (req) => !/\bAND\b/i.test(String(req.KeyConditionExpression ?? '')),
    real: () => 'The provided starting key is outside query boundaries based on provided conditions',
  },
  {
    // As expr-ss-duplicates in the Expressions section, for sets in items.
    id: 'msg-set-duplicates',
    // Query, Scan and DeleteItem: sets in legacy conditions (QueryFilter, ScanFilter, Expected).
    ops: ['PutItem', 'UpdateItem', 'BatchWriteItem', 'Query', 'Scan', 'DeleteItem'],
    local: /^(One or more parameter values were invalid: Input collection \[.*\] contains duplicates)$/,
    real: (_req, m) => `${m[1]}.`,
  },
  {
    id: 'msg-missing-key',
    ops: ['PutItem', 'BatchWriteItem', 'TransactWriteItems'],
    local: /^One of the required keys was not given a value$/,
    real: (req) => {
      const transactPut = ((req.TransactItems ?? []) as Json[])
        .map((a) => a.Put as Json | undefined)
        .find((p) => p?.Item)
      const item = (req.Item ?? transactPut?.Item ?? {}) as Json
      const missing = ['pk', 'sk', 'h', 'r'].find((k) => !(k in item)) ?? '?'
      return `One or more parameter values were invalid: Missing the key ${missing} in the item`
    },
  },
  {
    id: 'msg-nothing-to-update',
    ops: ['UpdateTable'],
    local: /^Nothing to update$/,
    real: () =>
      'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required',
  },
  {
    id: 'msg-table-not-found',
    ops: ['DescribeTable', 'DeleteTable', 'UpdateTable', 'DescribeTimeToLive', 'UpdateTimeToLive'],
    local: /^Cannot do operations on a non-existent table$/,
    real: (req) => `Requested resource not found: Table: ${tableName(req)} not found`,
  },
  {
    id: 'msg-table-not-found',
    ops: [
      'GetItem',
      'PutItem',
      'UpdateItem',
      'DeleteItem',
      'Query',
      'Scan',
      'BatchGetItem',
      'BatchWriteItem',
      'TransactWriteItems',
      'TransactGetItems',
    ],
    local: /^Cannot do operations on a non-existent table$/,
    real: () => 'Requested resource not found',
  },
  {
    id: 'msg-table-exists',
    ops: ['CreateTable'],
    local: /^Cannot create preexisting table$/,
    real: (req) => `Table already exists: ${tableName(req)}`,
  },
]

function messageRule(wire: Wire, op: string | undefined, req: Json | undefined): Wire | undefined {
  if (!op || !req || wire.status < 400) return undefined
  const message = wire.body.message ?? wire.body.Message
  if (typeof message !== 'string') return undefined
  for (const rule of MESSAGE_RULES) {
    if (!(rule.ops.includes(op) || rule.ops.includes('*')) || (rule.applies && !rule.applies(req))) continue
    const m = message.match(rule.local)
    if (!m) continue
    const { Message: _m, message: _n, ...rest } = wire.body
    return {
      status: wire.status,
      body: { ...rest, ...(rule.type ? { __type: rule.type } : {}), message: rule.real(req, m) },
    }
  }
  return undefined
}

interface Rule {
  id: string
  /** Returns the corrected answer, or undefined when the rule does not apply. */
  fix(wire: Wire, op: string | undefined, req: Json | undefined): Wire | undefined
}

const RULES: Rule[] = [
  {
    // Real DynamoDB's TableDescription carries TableId; DynamoDB Local omits it.
    id: 'table-id',
    fix: (wire) =>
      mapTableDescriptions(wire, (t) => ('TableId' in t ? undefined : { ...t, TableId: '<table-id>' })),
  },
  {
    // DynamoDB Local reports LastIncreaseDateTime/LastDecreaseDateTime as 0 (1970) on tables whose throughput never
    // changed; real DynamoDB leaves them out.
    id: 'throughput-epoch-dates',
    fix: (wire) =>
      mapTableDescriptions(wire, (t) => {
        const p = t.ProvisionedThroughput as Json | undefined
        if (!p || (p.LastIncreaseDateTime !== 0 && p.LastDecreaseDateTime !== 0)) return undefined
        const { LastIncreaseDateTime, LastDecreaseDateTime, ...rest } = p
        return {
          ...t,
          ProvisionedThroughput: {
            ...rest,
            ...(LastIncreaseDateTime !== 0 && LastIncreaseDateTime !== undefined
              ? { LastIncreaseDateTime }
              : {}),
            ...(LastDecreaseDateTime !== 0 && LastDecreaseDateTime !== undefined
              ? { LastDecreaseDateTime }
              : {}),
          },
        }
      }),
  },
  {
    // Real DynamoDB describes an on-demand table's GSIs with zero throughput; DynamoDB Local leaves it out.
    id: 'on-demand-gsi-throughput',
    fix: (wire) =>
      mapTableDescriptions(wire, (t) => {
        const gsis = t.GlobalSecondaryIndexes as Json[] | undefined
        if (!gsis || (t.BillingModeSummary as Json | undefined)?.BillingMode !== 'PAY_PER_REQUEST')
          return undefined
        if (gsis.every((g) => g.ProvisionedThroughput)) return undefined
        return {
          ...t,
          GlobalSecondaryIndexes: gsis.map((g) =>
            g.ProvisionedThroughput
              ? g
              : {
                  ...g,
                  ProvisionedThroughput: {
                    NumberOfDecreasesToday: 0,
                    ReadCapacityUnits: 0,
                    WriteCapacityUnits: 0,
                  },
                },
          ),
        }
      }),
  },
  {
    // Real DynamoDB describes a GSI's throughput with NumberOfDecreasesToday, as the table's; Local leaves it out.
    id: 'gsi-throughput-decreases',
    fix: (wire) =>
      mapTableDescriptions(wire, (t) => {
        const gsis = t.GlobalSecondaryIndexes as Json[] | undefined
        if (
          !gsis?.some(
            (g) =>
              g.ProvisionedThroughput && !('NumberOfDecreasesToday' in (g.ProvisionedThroughput as Json)),
          )
        )
          return undefined
        return {
          ...t,
          GlobalSecondaryIndexes: gsis.map((g) =>
            g.ProvisionedThroughput
              ? {
                  ...g,
                  ProvisionedThroughput: { NumberOfDecreasesToday: 0, ...(g.ProvisionedThroughput as Json) },
                }
              : g,
          ),
        }
      }),
  },
  {
    // DeleteTable answers with the table DELETING; DynamoDB Local says ACTIVE.
    id: 'delete-table-status',
    fix: (wire, op) =>
      op === 'DeleteTable' && wire.status === 200
        ? mapTableDescriptions(wire, (t) =>
            t.TableStatus === 'ACTIVE' ? { ...t, TableStatus: 'DELETING' } : undefined,
          )
        : undefined,
  },
  {
    // DynamoDB Local returns ConsumedCapacity from a DeleteItem that found no item even when it was not asked for.
    id: 'delete-missing-capacity',
    fix: (wire, op, req) => {
      if (op !== 'DeleteItem' || wire.status !== 200 || !('ConsumedCapacity' in wire.body)) return undefined
      const mode = req?.ReturnConsumedCapacity
      if (mode === 'TOTAL' || mode === 'INDEXES') return undefined
      const { ConsumedCapacity: _c, ...rest } = wire.body
      return { status: 200, body: rest }
    },
  },
  {
    // DynamoDB Local 3.3.1 accepts PAY_PER_REQUEST with ProvisionedThroughput; real DynamoDB rejects it.
    id: 'on-demand-with-throughput',
    fix: (wire, op, req) =>
      op === 'CreateTable' &&
      wire.status === 200 &&
      req?.BillingMode === 'PAY_PER_REQUEST' &&
      req.ProvisionedThroughput !== undefined
        ? {
            status: 400,
            body: {
              __type: 'com.amazon.coral.validate#ValidationException',
              message:
                'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
            },
          }
        : undefined,
  },
  {
    // DynamoDB Local fails with 500 InternalFailure on a ShardIteratorType outside the enum; real DynamoDB's
    // request validator answers 400 with the enum (the coral format of every other enum check).
    id: 'shard-iterator-type-enum',
    fix: (wire, op, req) =>
      op === 'GetShardIterator' &&
      wire.status === 500 &&
      !['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'].includes(
        String(req?.ShardIteratorType),
      )
        ? {
            status: 400,
            body: {
              __type: 'com.amazon.coral.validate#ValidationException',
              message: `1 validation error detected: Value '${String(req?.ShardIteratorType)}' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_SEQUENCE_NUMBER, TRIM_HORIZON]`,
            },
          }
        : undefined,
  },
  {
    // DynamoDB Local answers an empty AttributesToGet as if it were absent; real DynamoDB's request validator
    // refuses a list shorter than 1 (API_GetItem: AttributesToGet, Minimum number of 1 item).
    id: 'empty-attributes-to-get',
    fix: (wire, op, req) =>
      (op === 'GetItem' || op === 'Query' || op === 'Scan') &&
      wire.status === 200 &&
      Array.isArray(req?.AttributesToGet) &&
      req.AttributesToGet.length === 0
        ? {
            status: 400,
            body: {
              __type: 'com.amazon.coral.validate#ValidationException',
              message:
                "1 validation error detected: Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have length greater than or equal to 1",
            },
          }
        : undefined,
  },
  {
    // An AttributeUpdates entry without Action is a PUT (API_AttributeValueUpdate: "PUT (default)"); DynamoDB
    // Local 3.3.1 skips that entry and every entry after it. Rewritten for ReturnValues UPDATED_NEW.
    id: 'attribute-updates-default-put',
    fix: (wire, op, req) => {
      const updates = req?.AttributeUpdates as Record<string, Json> | undefined
      if (op !== 'UpdateItem' || wire.status !== 200 || req?.ReturnValues !== 'UPDATED_NEW' || !updates)
        return undefined
      const entries = Object.entries(updates)
      if (entries.length === 0 || entries.some(([, u]) => u.Action !== undefined || u.Value === undefined))
        return undefined
      return {
        status: 200,
        body: { ...wire.body, Attributes: Object.fromEntries(entries.map(([name, u]) => [name, u.Value])) },
      }
    },
  },
  {
    // A Query whose legacy KeyConditions put NE on the sort key: DynamoDB Local 3.3.1 fails with 500 InternalFailure.
    id: 'key-conditions-sort-ne',
    fix: (wire, op, req) => {
      const conditions = req?.KeyConditions as Record<string, Json> | undefined
      if (op !== 'Query' || wire.status !== 500 || !conditions) return undefined
      if (!Object.values(conditions).some((c) => c.ComparisonOperator === 'NE')) return undefined
      return {
        status: 400,
        body: {
          __type: 'com.amazon.coral.validate#ValidationException',
          message: 'Attempted conditional constraint is not an indexable operation',
        },
      }
    },
  },
  {
    // A ConditionalOperator outside AND/OR with two or more conditions: DynamoDB Local 3.3.1 fails with 500.
    id: 'conditional-operator-enum',
    fix: (wire, op, req) => {
      const value = req?.ConditionalOperator
      if (wire.status !== 500 || typeof value !== 'string' || value === 'AND' || value === 'OR')
        return undefined
      if (!['Query', 'Scan', 'PutItem', 'UpdateItem', 'DeleteItem'].includes(String(op))) return undefined
      return {
        status: 400,
        body: {
          __type: 'com.amazon.coral.validate#ValidationException',
          message: `1 validation error detected: Value '${value}' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]`,
        },
      }
    },
  },
  {
    // PartiQL INSERT of an existing key: the developer guide names DuplicateItemException
    // (docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.insert.html); Local answers `DuplicateItem`.
    id: 'partiql-duplicate-item-type',
    fix: (wire, op) => {
      const type = wire.body.__type
      if (op !== 'ExecuteStatement' || typeof type !== 'string' || !type.endsWith('#DuplicateItem'))
        return undefined
      return {
        status: wire.status,
        body: { ...wire.body, __type: 'com.amazonaws.dynamodb.v20120810#DuplicateItemException' },
      }
    },
  },
  {
    // Local answers a PartiQL request without its required statement list with HTTP 500; real DynamoDB's model
    // validation names the missing member.
    id: 'partiql-missing-statement',
    fix: (wire, op, req) => {
      const member = (
        {
          ExecuteStatement: 'Statement',
          BatchExecuteStatement: 'Statements',
          ExecuteTransaction: 'TransactStatements',
        } as Record<string, string>
      )[String(op)]
      if (
        wire.status !== 500 ||
        member === undefined ||
        (req && req[member] !== undefined && req[member] !== null)
      )
        return undefined
      return {
        status: 400,
        body: {
          __type: 'com.amazon.coral.validate#ValidationException',
          message: `1 validation error detected: Value null at '${member.charAt(0).toLowerCase()}${member.slice(1)}' failed to satisfy constraint: Member must not be null`,
        },
      }
    },
  },
  {
    // Local words the reason of a failed Put, Update or Delete without the period (a ConditionCheck's has it).
    id: 'txn-condition-message',
    fix: (wire, op) => {
      const reasons = wire.body.CancellationReasons
      if (op !== 'TransactWriteItems' || !Array.isArray(reasons)) return undefined
      const fixed = (reasons as Json[]).map((r) => {
        const { Message: _m, message: _n, ...rest } = r
        const message = r.Message ?? r.message
        return message === 'The conditional request failed'
          ? { ...rest, Message: 'The conditional request failed.' }
          : r
      })
      return { status: wire.status, body: { ...wire.body, CancellationReasons: fixed } }
    },
  },
  { id: 'validation-messages', fix: messageRule },
]

/** DynamoDB Local's answer, corrected where it is known to differ from real DynamoDB. */
export function asRealDynamoDb(wire: Wire, op?: string, req?: Json): Wire {
  let out = wire
  for (const rule of RULES) out = rule.fix(out, op, req) ?? out
  return out
}

/** Every rule id, for the check that KNOWN-DIFFERENCES.md lists each one. */
export const KNOWN_DIFFERENCE_IDS = [
  ...new Set([
    ...RULES.filter((r) => r.id !== 'validation-messages').map((r) => r.id),
    ...MESSAGE_RULES.map((r) => r.id),
  ]),
]
