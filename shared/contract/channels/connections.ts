import { z } from 'zod'
import { endpointProblem } from '../../domain/endpoint'

/**
 * `custom`: any DynamoDB-compatible endpoint (ScyllaDB Alternator, LocalStack, a DynamoDB Local elsewhere), signed
 * with a named AWS profile or with an access key id only.
 */
export const ConnectionKind = z.enum(['embedded', 'dynamodb-local', 'aws', 'custom'])
export type ConnectionKind = z.infer<typeof ConnectionKind>

export const ConnectionStatus = z.enum(['idle', 'starting', 'connected', 'error'])

/** What the renderer may know of a connection: never credentials. */
export const ConnectionView = z.object({
  id: z.string(),
  name: z.string(),
  kind: ConnectionKind,
  endpoint: z.string().optional(),
  region: z.string(),
  profile: z.string().optional(),
  color: z.string().optional(),
  status: ConnectionStatus,
  statusMessage: z.string().optional(),
  /** Something the user must know about this connection's safety, shown plainly (e.g. a database open to the network). */
  warning: z.string().optional(),
  /** AWS connections open read-only; writes need the per-connection switch. */
  readOnly: z.boolean(),
  /** AWS: the account id, once known (from STS, or a table ARN behind an endpoint override). */
  account: z.string().optional(),
  active: z.boolean(),
  /** DynamoDB Local and custom endpoints: the access key id they sign with (an id, not a secret). */
  accessKeyId: z.string().optional(),
  /** One of the app's own connections (embedded engine, bundled DynamoDB Local): it cannot be removed. */
  builtIn: z.boolean().optional(),
})
export type ConnectionView = z.infer<typeof ConnectionView>

export const ConnectionId = z.object({ connectionId: z.string().min(1) })

/**
 * A connection profile as saved. Strict, so an input carrying a secret key (or any other unknown field) is
 * refused rather than silently dropped: secrets stay in the AWS shared files or the environment.
 */
export const ConnectionProfileInput = z
  .object({
    /** Omit to create a profile (an id is derived from the name); give an existing id to update it. */
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lowercase letters, digits and dashes')
      .optional(),
    name: z.string().trim().min(1).max(80),
    kind: ConnectionKind,
    /** dynamodb-local: the endpoint URL or `launch` (start the bundled DynamoDB Local); aws: an optional endpoint override. */
    endpoint: z
      .union([
        z.literal('launch'),
        z.string().superRefine((v, ctx) => {
          const problem = endpointProblem(v)
          if (problem) ctx.addIssue({ code: 'custom', message: problem })
        }),
      ])
      .optional(),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'an AWS region like us-east-1')
      .default('us-east-1'),
    /** DynamoDB Local keeps one database per access key id + region (without -sharedDb), so it is part of the profile. */
    accessKeyId: z
      .string()
      .regex(/^[A-Za-z0-9]{1,128}$/)
      .optional(),
    /** AWS named profile (from ~/.aws/config or ~/.aws/credentials). */
    profile: z.string().min(1).max(128).optional(),
    color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #22c55e')
      .optional(),
  })
  .strict()
export type ConnectionProfileInput = z.input<typeof ConnectionProfileInput>

/** A named profile found in the AWS shared config/credentials files: names, regions and how it signs in. */
export const AwsProfileSummary = z.object({
  name: z.string(),
  region: z.string().optional(),
  /** Signs in through IAM Identity Center (sso_session or sso_start_url): `aws sso login --profile NAME`. */
  sso: z.boolean().optional(),
})
export type AwsProfileSummary = z.infer<typeof AwsProfileSummary>

export const ConnectionTestResult = z.object({
  ok: z.boolean(),
  /** Plain words: "Connected: 3 tables." or what went wrong and what to do. */
  message: z.string(),
  code: z.string().optional(),
  /** How many tables ListTables returned (up to its first page). */
  tables: z.number().optional(),
  durationMs: z.number(),
})
export type ConnectionTestResult = z.infer<typeof ConnectionTestResult>

/**
 * What allowing writes on a connection would unlock, for the typed confirmation: the account and region, and the
 * text to type back (`expected`). `accountSource` says where the account id came from.
 */
export const WriteAccessPreview = z.object({
  connectionId: z.string(),
  name: z.string(),
  kind: ConnectionKind,
  region: z.string(),
  account: z.string().optional(),
  accountSource: z.enum(['sts', 'table-arn', 'none']),
  /** Why the account id is missing or came from somewhere other than STS. */
  note: z.string().optional(),
  color: z.string().optional(),
  /** Empty when the connection needs no confirmation (not AWS, or going back to read-only). */
  expected: z.string(),
})
export type WriteAccessPreview = z.infer<typeof WriteAccessPreview>

/** Where an embedded engine keeps its tables: its data folder ('disk') or nowhere ('memory', an in-memory session). */
export const EngineStorageView = z.object({
  connectionId: z.string(),
  mode: z.enum(['disk', 'memory']),
  dataDir: z.string().optional(),
  /** Bytes of the engine's files in dataDir. */
  bytes: z.number().int().nonnegative().optional(),
  /** What start-up recovery reported (a torn log tail dropped, say). */
  warnings: z.array(z.string()),
})
export type EngineStorageView = z.infer<typeof EngineStorageView>

export const EngineStorageAction = z.enum(['disk', 'memory', 'reset'])
export type EngineStorageAction = z.infer<typeof EngineStorageAction>

export const connectionChannels = {
  'connections:list': { input: z.object({}).strict(), output: z.array(ConnectionView) },
  'connections:connect': { input: ConnectionId.strict(), output: ConnectionView },
  'connections:save': { input: ConnectionProfileInput, output: ConnectionView },
  'connections:remove': { input: ConnectionId.strict(), output: z.object({ removed: z.boolean() }) },
  'connections:awsProfiles': { input: z.object({}).strict(), output: z.array(AwsProfileSummary) },
  /**
   * Tries a connection as typed (saved or not) with one ListTables, bounded by a timeout; nothing is saved and no
   * engine is started. Failures are a result (ok: false, with a code and plain words), not an error.
   */
  'connections:test': { input: ConnectionProfileInput, output: ConnectionTestResult },
  /** What allowing writes would unlock (account, region) and the text to type back to confirm it. */
  'connections:writeAccess': { input: ConnectionId.strict(), output: WriteAccessPreview },
  'engine:storage': { input: ConnectionId.strict(), output: EngineStorageView },
  /** 'reset' deletes the data folder's tables and needs confirm: true (else confirm.required). */
  'engine:setStorage': {
    input: ConnectionId.extend({ action: EngineStorageAction, confirm: z.boolean().optional() }).strict(),
    output: EngineStorageView,
  },
} as const
