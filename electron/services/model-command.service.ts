import type { DynamoDBClient, QueryCommandInput } from '@aws-sdk/client-dynamodb'
import { QueryCommand } from '@aws-sdk/client-dynamodb'
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { randomUUID } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import type { Model, ModelCommand } from '../../shared/domain/model'
import { toWorkbenchError, WorkbenchError } from './errors'
import { toRow, type Row } from './item-json'
import { buildPatternRequest, getPattern, resolveParams, type ParamValues } from './pattern.builder'
import { defaultGenerators } from './pattern.service'
import { runRecipe, type FollowMode, type RecipeRunResult, type RunRecipeOptions } from './recipe.service'
import { scanTable } from './scan.service'
import type { TransactionsMode } from './stream.service'
import { getStreamArn } from './stream.service'
import type { TimelineEntry } from './timeline'

/** One option a model command declares, in commander's `flags` form (`--from <handle>`, `--direct`). */
export interface CommandOptionSpec {
  flags: string
  description?: string
  required?: boolean
  default?: string | boolean
}

/**
 * What a command module exports: its options and `run(options, api)`. Whatever `run` returns is the command's
 * result (printed as JSON with --json); it prints readable output through `api.log`.
 */
export interface ModelCommandModule {
  description?: string
  options?: CommandOptionSpec[]
  run(options: Record<string, unknown>, api: CommandApi): Promise<unknown>
}

/** The small, generic API a model command runs over: the model's own recipes and patterns, and reads. */
export interface CommandApi {
  model: Model
  /** Runs one of the model's write recipes (see runRecipe); `process` says how the stream handler follows. */
  runRecipe(id: string, params: ParamValues, options?: RecipeCallOptions): Promise<RecipeRunResult>
  /** Runs an access pattern's read; `allPages` follows LastEvaluatedKey to the end and drops the page limit. */
  runPattern(
    id: string,
    params: ParamValues,
    options?: { allPages?: boolean },
  ): Promise<{ request: unknown; items: Row[] }>
  /** Every item of a table or index. */
  scan(table: string, options?: { index?: string }): Promise<Row[]>
  /** Whether the table's stream can be read on this connection (else handlers can only run in-process). */
  hasStream(table: string): Promise<boolean>
  newUuid(): string
  /** The current time, in a parameter's timestamp format when given. */
  now(format?: string): string
  /** Readable output (suppressed under --json). */
  log(line: string): void
  /** An error to throw for bad input: reported as `input.invalid` with the message. */
  fail(message: string, details?: Record<string, unknown>): Error
}

export interface RecipeCallOptions {
  process?: FollowMode
  mode?: RunRecipeOptions['mode']
  transactions?: TransactionsMode
}

export interface RunCommandOptions {
  log?: (line: string) => void
  /** Fixed by the caller over whatever the command asks (tests, the app): how handlers follow and transactions. */
  process?: FollowMode
  transactions?: TransactionsMode
}

export function getModelCommand(model: Model, name: string): ModelCommand {
  const c = model.commands.find((x) => x.name === name)
  if (!c) {
    const valid = model.commands.map((x) => x.name)
    throw new WorkbenchError(
      'input.invalid',
      `the model ${model.name} has no command "${name}" (commands: ${valid.join(', ') || 'none'})`,
      { command: name, valid },
    )
  }
  return c
}

/** Imports a command's module (its file was resolved and checked when the model was loaded). */
export async function loadModelCommand(model: Model, name: string): Promise<ModelCommandModule> {
  const spec = getModelCommand(model, name)
  let mod: Partial<ModelCommandModule>
  try {
    mod = (await import(/* @vite-ignore */ pathToFileURL(spec.file).href)) as Partial<ModelCommandModule>
  } catch (err) {
    throw new WorkbenchError(
      'model.invalid',
      `command ${name}: cannot load ${spec.file}: ${(err as Error).message}`,
      {
        file: spec.file,
      },
    )
  }
  if (typeof mod.run !== 'function')
    throw new WorkbenchError('model.invalid', `command ${name}: ${spec.file} exports no run(options, api)`, {
      file: spec.file,
    })
  return { description: mod.description ?? spec.description, options: mod.options ?? [], run: mod.run }
}

async function queryAll(client: DynamoDBClient, input: QueryCommandInput): Promise<Row[]> {
  const rows: Row[] = []
  let start = input.ExclusiveStartKey
  do {
    const out = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: start }))
    rows.push(...(out.Items ?? []).map((i) => toRow(i)))
    start = out.LastEvaluatedKey
  } while (start)
  return rows
}

export function commandApi(
  clients: { ddb: DynamoDBClient; streams?: DynamoDBStreamsClient | undefined },
  model: Model,
  options: RunCommandOptions = {},
): CommandApi {
  const client = clients.ddb
  return {
    model,
    runRecipe: (id, params, o = {}) =>
      runRecipe(clients, model, id, params, {
        ...o,
        ...(options.process ? { process: options.process } : {}),
        ...(options.transactions ? { transactions: options.transactions } : {}),
      }),
    async runPattern(id, params, o = {}) {
      const pattern = getPattern(model, id)
      const built = buildPatternRequest(model, pattern, resolveParams(pattern, params, defaultGenerators))
      const request = { ...(built.input as QueryCommandInput) }
      if (built.operation !== 'Query')
        throw new WorkbenchError(
          'input.invalid',
          `pattern ${id} is a ${built.operation}, not a read this API runs`,
        )
      if (o.allPages) delete request.Limit
      try {
        if (o.allPages) return { request, items: await queryAll(client, request) }
        const out = await client.send(new QueryCommand(request))
        return { request, items: (out.Items ?? []).map((i) => toRow(i)) }
      } catch (err) {
        throw toWorkbenchError(err, { pattern: id })
      }
    },
    scan: async (table, o = {}) => (await scanTable(client, table, { index: o.index })).items,
    async hasStream(table) {
      if (!clients.streams) return false
      try {
        await getStreamArn(client, clients.streams, table)
        return true
      } catch (err) {
        if (err instanceof WorkbenchError && err.code === 'stream.unavailable') return false
        throw err
      }
    },
    newUuid: () => randomUUID(),
    now: (format) => defaultGenerators.now(format),
    log: (line) => options.log?.(line),
    fail: (message, details) => new WorkbenchError('input.invalid', message, details),
  }
}

/** Runs a model's command with its options: one services function for the CLI and tests alike. */
export async function runModelCommand(
  clients: { ddb: DynamoDBClient; streams?: DynamoDBStreamsClient | undefined },
  model: Model,
  name: string,
  commandOptions: Record<string, unknown>,
  options: RunCommandOptions = {},
): Promise<unknown> {
  const mod = await loadModelCommand(model, name)
  return mod.run(commandOptions, commandApi(clients, model, options))
}

/** One readable line per timeline entry, for the CLI. */
export function describeEntry(e: TimelineEntry): string {
  const who = e.source === 'handler' ? 'handler: ' : ''
  const detail = e.kind === 'handler-log' || e.kind === 'skip' || e.kind === 'error' ? e.detail : undefined
  return `${who}${e.title}${detail ? `: ${detail}` : ''}`
}
