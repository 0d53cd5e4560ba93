import { Option, type Command } from 'commander'
import { stringifyExactJson } from '../../../shared/domain/attribute-json'
import { WorkbenchError } from '../../services/errors'
import { describeEntry, loadModelCommand, runModelCommand } from '../../services/model-command.service'
import { getRecipe } from '../../services/recipe.builder'
import { runRecipe, type RecipeRunResult } from '../../services/recipe.service'
import { printJson } from '../output'
import {
  addConnectionOptions,
  loadModel,
  reportedFailure,
  run,
  toFailure,
  withContext,
  type CliContext,
  type ConnectionOptions,
} from './context'
import { collectParam } from './params'

/** Handlers write with their own SDK client (as on Lambda), past the connection's write guard. */
function refuseHandlersOnReadOnlyAws(ctx: CliContext, opts: ConnectionOptions) {
  if (ctx.isAws && !opts.allowWrites)
    throw new WorkbenchError(
      'connection.readOnly',
      'a recipe writes, and its stream handler writes with its own client; on AWS that needs --allow-writes',
    )
}

function printRun(r: RecipeRunResult): void {
  console.log(
    `Recipe ${r.recipe.id}: ${r.recipe.name} — ${r.mode === 'transaction' ? 'one TransactWriteItems' : 'one request per step'}; handler via ${r.process === 'stream' ? 'the DynamoDB Streams API' : r.process === 'direct' ? 'in-process (direct)' : 'nothing'}`,
  )
  console.log(
    `Parameters: ${Object.entries(r.params)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ')}`,
  )
  for (const note of r.notes) console.error(`note: ${note}`)
  r.timeline.forEach((e, i) => {
    console.log(`${i + 1}. ${describeEntry(e)}`)
    if (e.source === 'recipe' && e.kind !== 'skip') console.log(stringifyExactJson(e.request, 2))
  })
}

export function registerRecipeCommands(program: Command): void {
  addConnectionOptions(
    program
      .command('run')
      .description(
        "run one of the model's write recipes (one TransactWriteItems, or step by step), then its stream handler; prints each step",
      )
      .argument('<recipe>', 'recipe id (`tablewright model show` lists them; a wrong one lists them too)')
      .option('--param <name=value>', 'a recipe parameter (repeatable)', collectParam, {})
      .addOption(
        new Option('--mode <mode>', "override the recipe's mode").choices(['auto', 'transaction', 'steps']),
      )
      .option(
        '--direct',
        'run the stream handler in-process on the written items instead of reading the stream',
      ),
  ).action(
    async (
      id: string,
      opts: ConnectionOptions & {
        param: Record<string, string>
        mode?: 'auto' | 'transaction' | 'steps'
        direct?: boolean
      },
    ) => {
      await run(opts.json, async () => {
        const { model } = await loadModel(opts.model)
        getRecipe(model, id)
        await withContext(opts, async (ctx) => {
          refuseHandlersOnReadOnlyAws(ctx, opts)
          const r = await runRecipe(
            { ddb: ctx.client, streams: await ctx.streams() },
            model,
            id,
            opts.param,
            {
              ...(opts.mode ? { mode: opts.mode } : {}),
              process: opts.direct ? 'direct' : 'stream',
            },
          )
          const failed = !r.ok
          if (opts.json) {
            const { transactRequest, writes, ok, ...rest } = r
            printJson({
              ok,
              ...(r.failure ? { code: r.failure.code, message: r.failure.message } : {}),
              ...rest,
              request: transactRequest ?? null,
              writes: writes.map(({ write, ...w }) => ({
                op: write.op,
                table: write.table,
                key: write.key,
                ...w,
              })),
            })
          } else printRun(r)
          // Under --json the document above already says why.
          if (failed) throw reportedFailure(`recipe ${id}: ${r.failure!.message}`, r.failure!.code, opts.json)
        })
      })
    },
  )
}

/** `--model X` or `--model=X` in raw arguments (the command's own options are not known yet). */
function modelRef(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === '--model') return args[i + 1]
    if (a.startsWith('--model=')) return a.slice('--model='.length)
  }
  return undefined
}

/**
 * A model's own CLI commands (`commands` in the model, each a module beside it): when the command named in `argv`
 * is not one of Tablewright's, the model given by --model (or the default sample) is asked for it, and its module
 * declares the options: a model's shortcuts live beside the model, and the CLI names no sample.
 */
export async function registerModelCommands(program: Command, argv: string[]): Promise<void> {
  const args = argv.slice(2)
  const name = args[0]
  if (
    !name ||
    name.startsWith('-') ||
    program.commands.some((c) => c.name() === name || c.aliases().includes(name))
  )
    return
  let loaded
  try {
    loaded = await loadModel(modelRef(args))
  } catch {
    return // commander then reports the unknown command; a bad --model is reported by the commands that use it
  }
  const model = loaded.model
  if (!model.commands.some((c) => c.name === name)) return
  let mod
  try {
    mod = await loadModelCommand(model, name)
  } catch (err) {
    throw toFailure(err, args.includes('--json'))
  }
  const cmd = program.command(name).description(`${mod.description ?? ''} (from model ${model.name})`)
  for (const o of mod.options ?? []) {
    const option = new Option(o.flags, o.description)
    if (o.required) option.makeOptionMandatory()
    if (o.default !== undefined) option.default(o.default)
    cmd.addOption(option)
  }
  addConnectionOptions(cmd).action(async (opts: ConnectionOptions & Record<string, unknown>) => {
    await run(opts.json, async () => {
      const { model: m } = await loadModel(opts.model)
      await withContext(opts, async (ctx) => {
        refuseHandlersOnReadOnlyAws(ctx, opts)
        const result = await runModelCommand(
          { ddb: ctx.client, streams: await ctx.streams() },
          m,
          name,
          opts,
          {
            log: (line) => {
              if (!opts.json) console.log(line)
            },
          },
        )
        if (opts.json) printJson({ ok: true, ...(result as Record<string, unknown>) })
      })
    })
  })
}
