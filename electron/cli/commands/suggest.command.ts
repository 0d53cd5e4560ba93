import type { Command } from 'commander'
import { suggestParamValues } from '../../services/suggest.service'
import { CliFailure, EXIT, printJson, printTable } from '../output'
import { addConnectionOptions, loadModel, run, withContext, type ConnectionOptions } from './context'
import { wholeNumber } from './params'

/**
 * `tablewright suggest --pattern A --param message_group_uuid`: the values a bound parameter can take, drawn from
 * the table's items, with their labels and the companion parameters they fill. Nobody types raw uuids.
 */
export function registerSuggestCommand(program: Command): void {
  addConnectionOptions(
    program
      .command('suggest')
      .description(
        "values for a pattern's or recipe's parameter bound to an attribute, drawn from the table's items",
      )
      .option('--pattern <id>', 'the access pattern whose parameter it is')
      .option('--recipe <id>', 'the write recipe whose parameter it is')
      .requiredOption('--param <name>', 'the parameter')
      .option('--query <text>', 'keep values whose text or label contains this')
      .option('--limit <n>', 'at most this many values (default 50)', wholeNumber('--limit', 1, 1000)),
  ).action(
    async (
      opts: ConnectionOptions & {
        pattern?: string
        recipe?: string
        param: string
        query?: string
        limit?: number
      },
    ) => {
      await run(opts.json, async () => {
        if ((opts.pattern === undefined) === (opts.recipe === undefined))
          throw new CliFailure('give exactly one of --pattern and --recipe', EXIT.usage, 'input.invalid')
        const { model } = await loadModel(opts.model)
        await withContext(opts, async (ctx) => {
          const result = await suggestParamValues(
            ctx.client,
            model,
            opts.pattern !== undefined ? { patternId: opts.pattern } : { recipeId: opts.recipe! },
            opts.param,
            { query: opts.query, limit: opts.limit },
          )
          if (opts.json) {
            printJson({ ok: true, ...result })
            return
          }
          printTable(
            result.suggestions.map((s) => ({
              value: s.value,
              label: s.label ?? '',
              fills: Object.entries(s.companions ?? {})
                .map(([k, v]) => `${k}=${v}`)
                .join(' '),
            })),
            ['value', 'label', 'fills'],
          )
          if (result.suggestions.length === 0)
            console.log(`no values of ${result.attribute} in ${result.table} (${result.scanned} items read)`)
          else if (result.truncated)
            console.log(
              `(read the first ${result.scanned} items of ${result.table}; rarer values may be missing)`,
            )
        })
      })
    },
  )
}
