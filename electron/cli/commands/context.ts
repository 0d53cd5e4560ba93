import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { Option, type Command } from 'commander'
import type { Model } from '../../../shared/domain/model'
import {
  ConnectionManager,
  defaultProfiles,
  LAUNCH_LOCAL,
  type ConnectionProfile,
} from '../../services/connections.service'
import { toWorkbenchError, WorkbenchError } from '../../services/errors'
import { EventBus } from '../../services/event-bus'
import { ModelRegistry } from '../../services/model.registry'
import type { SampleItems } from '../../services/model.service'
import { listSamples, loadModelSource, resolveModelRef } from '../../services/open-model.service'
import { ProfilesStore } from '../../services/profiles.store'
import { CliFailure, EXIT, flushOutput, printJson } from '../output'

/** DynamoDB Local's default port, and `tablewright engine`'s. */
export const DEFAULT_ENDPOINT = 'http://localhost:8000'
export const DEFAULT_REGION = 'us-east-1'

export interface ConnectionOptions {
  connection?: string
  endpoint?: string
  region?: string
  profile?: string
  aws?: boolean
  accessKeyId?: string
  allowWrites?: boolean
  model?: string
  json?: boolean
}

/** The options every data command shares: where to connect, which model, and output form. */
export function addConnectionOptions(cmd: Command): Command {
  return cmd
    .option('--connection <name>', 'a saved connection profile (name or id)')
    .option(
      '--endpoint <url>',
      `endpoint URL (default ${DEFAULT_ENDPOINT}: DynamoDB Local or \`tablewright engine\`)`,
    )
    .option('--region <region>', `region (default ${DEFAULT_REGION}, or the saved profile's)`)
    .option('--profile <name>', 'AWS named profile: connects to AWS (or to --endpoint with AWS rules)')
    .option(
      '--aws',
      'connect to AWS with the default credential chain (environment variables, default profile)',
    )
    .addOption(
      new Option(
        '--access-key-id <id>',
        'access key id for DynamoDB Local (it keeps one database per key id and region)',
      ),
    )
    .option('--allow-writes', 'allow writes on an AWS connection (read-only otherwise)')
    .option(
      '--model <file|name>',
      'a model file, or a built-in sample by name (`tablewright models`; default: the first sample)',
    )
    .option('--json', 'print one JSON document on stdout')
}

const LOOPBACK = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?\/?$/

/** Which connection the options describe; `implicit` when nothing was given and the default endpoint is used. */
export function resolveProfile(
  opts: ConnectionOptions,
  store: () => ProfilesStore = () => new ProfilesStore(),
): {
  profile: ConnectionProfile
  implicit: boolean
} {
  if (opts.connection && (opts.profile || opts.aws))
    throw new CliFailure(
      '--connection cannot be combined with --profile or --aws',
      EXIT.usage,
      'input.invalid',
    )
  if (opts.connection) {
    const loaded = store().load()
    if (loaded.error) throw loaded.error
    const all = [
      ...defaultProfiles().filter((d) => !loaded.profiles.some((p) => p.id === d.id)),
      ...loaded.profiles,
    ]
    const want = opts.connection.toLowerCase()
    const found = all.find((p) => p.id === opts.connection) ?? all.find((p) => p.name.toLowerCase() === want)
    if (!found)
      throw new WorkbenchError(
        'connection.notFound',
        `no saved connection "${opts.connection}" (saved: ${all.map((p) => p.name).join(', ')})`,
      )
    const profile: ConnectionProfile = { ...found }
    if (opts.endpoint) profile.endpoint = opts.endpoint
    if (opts.region) profile.region = opts.region
    if (opts.accessKeyId) profile.accessKeyId = opts.accessKeyId
    if (profile.kind === 'embedded')
      throw new WorkbenchError(
        'input.invalid',
        `"${profile.name}" is the app's in-process engine; from the command line start one with \`tablewright engine\` and pass --endpoint`,
      )
    if (profile.kind === 'dynamodb-local' && (!profile.endpoint || profile.endpoint === LAUNCH_LOCAL))
      throw new WorkbenchError(
        'input.invalid',
        `"${profile.name}" launches an in-memory DynamoDB Local inside the app; from the command line pass --endpoint to a running one`,
      )
    return { profile, implicit: false }
  }
  const region = opts.region ?? DEFAULT_REGION
  if (opts.profile || opts.aws) {
    const name = opts.profile ? `aws:${opts.profile}` : 'aws'
    return {
      profile: { id: 'cli', name, kind: 'aws', region, endpoint: opts.endpoint, profile: opts.profile },
      implicit: false,
    }
  }
  const endpoint = opts.endpoint ?? DEFAULT_ENDPOINT
  return {
    profile: {
      id: 'cli',
      name: endpoint,
      kind: 'dynamodb-local',
      endpoint,
      region,
      accessKeyId: opts.accessKeyId ?? 'local',
    },
    implicit: !opts.endpoint,
  }
}

export interface LoadedModel {
  model: Model
  file?: string
  sample(): Promise<SampleItems>
}

/**
 * The model named by --model: a built-in sample by name, or a model file (any supported format, checked with its
 * sample items at load). Without --model, the first built-in sample.
 */
export async function loadModel(ref: string | undefined): Promise<LoadedModel> {
  const registry = new ModelRegistry()
  const first = listSamples(registry)[0]
  if (ref === undefined && !first)
    throw new WorkbenchError('model.notFound', 'no built-in sample was found: pass --model FILE')
  const target = await resolveModelRef(ref ?? first!.id, registry)
  if (target.kind === 'builtin') {
    const entry = registry.entry(target.modelId)
    return { model: entry.model, sample: () => entry.items() }
  }
  const source = await loadModelSource(target.file)
  return { model: source.model, file: source.file, sample: async () => source.items }
}

/** One open connection for one command run. */
export class CliContext {
  private streamsClient?: DynamoDBStreamsClient

  private constructor(
    readonly manager: ConnectionManager,
    readonly profile: ConnectionProfile,
    readonly client: DynamoDBClient,
    readonly opts: ConnectionOptions,
  ) {}

  static async open(opts: ConnectionOptions): Promise<CliContext> {
    const { profile, implicit } = resolveProfile(opts)
    const manager = new ConnectionManager(new EventBus(), [profile])
    if (opts.allowWrites) manager.allowWrites(profile.id, true)
    try {
      const client = await manager.client(profile.id)
      return new CliContext(manager, profile, client, opts)
    } catch (err) {
      await manager.dispose()
      const e = toWorkbenchError(err)
      if (e.code === 'connection.unavailable' && profile.endpoint && LOOPBACK.test(profile.endpoint))
        throw new WorkbenchError(
          'connection.unavailable',
          `nothing answers at ${profile.endpoint}${implicit ? ' (the default endpoint)' : ''}. Start the embedded engine with ` +
            `\`tablewright engine${implicit ? '' : ` --port ${new URL(profile.endpoint).port || 80}`}\` (or DynamoDB Local), or pass --endpoint / --connection.`,
          { endpoint: profile.endpoint },
        )
      throw e
    }
  }

  get isAws(): boolean {
    return this.profile.kind === 'aws'
  }

  get endpoint(): string | undefined {
    return this.manager.view(this.profile).endpoint
  }

  /** The connection's status message once connected (e.g. DynamoDB Local's no-tables hint). */
  get statusMessage(): string | undefined {
    return this.manager.view(this.profile).statusMessage
  }

  async streams(): Promise<DynamoDBStreamsClient> {
    this.streamsClient ??= await this.manager.streamsClient(this.profile.id)
    return this.streamsClient
  }

  async close(): Promise<void> {
    await this.manager.dispose()
  }
}

const reported = new WeakSet<CliFailure>()

/** Turns anything thrown into a CliFailure, printing the JSON failure document (once) under --json. */
export function toFailure(err: unknown, json: boolean | undefined): CliFailure {
  let failure: CliFailure
  if (err instanceof CliFailure) {
    if (reported.has(err)) return err
    failure = err
  } else {
    const e = toWorkbenchError(err)
    // Parameters the user typed are usage errors: exit 2 like any other bad argument.
    const usage = e.code === 'pattern.invalidParams'
    let message = e.message
    if (e.code === 'connection.readOnly' && !/--allow-writes/.test(message))
      message += ' (pass --allow-writes to allow them)'
    failure = new CliFailure(message, usage ? EXIT.usage : EXIT.failed, e.code)
  }
  if (json)
    printJson({
      ok: false,
      code: failure.code ?? (failure.exitCode === EXIT.usage ? 'input.invalid' : 'internal'),
      message: failure.detail,
    })
  reported.add(failure)
  return failure
}

/** A failure whose JSON document the command printed itself (with more than code and message). */
export function reportedFailure(message: string, code: string, json: boolean | undefined): CliFailure {
  const failure = new CliFailure(message, EXIT.failed, code)
  if (json) reported.add(failure)
  return failure
}

/** Runs a command body and reports any failure uniformly (coded message, JSON document under --json). */
export async function run(json: boolean | undefined, body: () => Promise<void>): Promise<void> {
  try {
    await body()
  } catch (err) {
    throw toFailure(err, json)
  } finally {
    await flushOutput()
  }
}

/** Runs a data command: opens the connection, runs the body, always closes, and reports failures uniformly. */
export async function withContext(
  opts: ConnectionOptions,
  body: (ctx: CliContext) => Promise<void>,
): Promise<void> {
  let ctx: CliContext | undefined
  try {
    ctx = await CliContext.open(opts)
    await body(ctx)
  } catch (err) {
    throw toFailure(err, opts.json)
  } finally {
    await ctx?.close()
    await flushOutput()
  }
}
