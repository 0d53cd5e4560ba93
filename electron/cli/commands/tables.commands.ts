import { DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import type { Command } from 'commander'
import { localNoTablesHint } from '../../services/connections.service'
import { toWorkbenchError, WorkbenchError } from '../../services/errors'
import { dropTable, schemaLoad } from '../../services/schema.service'
import { listTables } from '../../services/tables.service'
import { describeDestructive } from '../../services/write-guard'
import { printJson, printTable, Progress } from '../output'
import { addConnectionOptions, loadModel, run, withContext, type ConnectionOptions } from './context'

export function registerTableCommands(program: Command): void {
  addConnectionOptions(
    program
      .command('schema-load')
      .description(
        "create the model's tables and wait until ACTIVE; idempotent: existing tables are reported with their differences",
      ),
  ).action(async (opts: ConnectionOptions) => {
    await run(opts.json, async () => {
      // The model is checked before connecting, so a bad file is reported even with nothing running.
      const { model } = await loadModel(opts.model)
      await withContext(opts, async (ctx) => {
        const progress = new Progress()
        let done = 0
        const result = await schemaLoad(ctx.client, model, {
          onProgress: (p) => {
            if (p.phase === 'created' || p.phase === 'exists') done++
            progress.update(`${p.phase} ${p.table}`, done, model.tables.length)
          },
        })
        progress.finish()
        if (opts.json) {
          printJson({
            ok: true,
            endpoint: ctx.endpoint,
            tables: result.tables.map(({ table, status, differences }) => ({ table, status, differences })),
          })
          return
        }
        printTable(
          result.tables.map((t) => ({
            table: t.table,
            status: t.status,
            differences:
              t.status === 'created'
                ? ''
                : t.differences.length === 0
                  ? 'matches the model'
                  : `${t.differences.length} difference(s)`,
          })),
        )
        for (const t of result.tables)
          for (const d of t.differences)
            console.log(
              `  ${t.table}: ${d.field}: model ${JSON.stringify(d.expected)}, table ${JSON.stringify(d.actual)}`,
            )
      })
    })
  })

  addConnectionOptions(
    program
      .command('drop')
      .description('delete a table (shows what it holds; needs --yes)')
      .argument('<table>', 'table name')
      .option('--yes', 'really delete it'),
  ).action(async (table: string, opts: ConnectionOptions & { yes?: boolean }) => {
    await withContext(opts, async (ctx) => {
      const preview = await describeDestructive(ctx.client, table, 'dropTable')
      if (!opts.yes)
        throw new WorkbenchError(
          'confirm.required',
          `dropping ${table} deletes its ${preview.itemCount} item(s) (${preview.sizeBytes} bytes${preview.indexes.length ? `, indexes ${preview.indexes.join(', ')}` : ''}; ` +
            `estimated write units: ${preview.estimatedWriteUnits}, DeleteTable consumes none) and cannot be undone. Run again with --yes.`,
          { ...preview },
        )
      const dropped = await dropTable(ctx.client, table)
      if (opts.json) printJson({ ok: true, table, dropped, itemCount: preview.itemCount })
      else
        console.log(dropped ? `dropped ${table} (${preview.itemCount} item(s))` : `${table} was already gone`)
    })
  })

  addConnectionOptions(
    program.command('list-tables').description('list the tables at the connection with item counts'),
  ).action(async (opts: ConnectionOptions) => {
    await withContext(opts, async (ctx) => {
      const tables = await listTables(ctx.client)
      // DynamoDB Local keeps one database per key id + region: an empty list usually means a mismatch.
      const hint =
        tables.length === 0 && ctx.profile.kind === 'dynamodb-local'
          ? localNoTablesHint(ctx.endpoint, ctx.profile.accessKeyId ?? 'local', ctx.profile.region)
          : undefined
      if (opts.json) {
        printJson({
          ok: true,
          endpoint: ctx.endpoint,
          region: ctx.profile.region,
          tables,
          ...(hint ? { hint } : {}),
        })
        return
      }
      if (hint) {
        console.log(hint)
        return
      }
      printTable(
        tables.map((t) => ({
          name: t.name,
          status: t.status,
          items: t.itemCount,
          bytes: t.sizeBytes,
          keys: [t.partitionKey?.name, t.sortKey?.name].filter(Boolean).join(' / '),
          indexes: t.indexCount,
          stream: t.streamEnabled ? 'on' : '',
        })),
      )
    })
  })

  addConnectionOptions(
    program
      .command('describe')
      .description("a table's keys, indexes, stream and counts")
      .argument('<table>', 'table name'),
  ).action(async (table: string, opts: ConnectionOptions) => {
    await withContext(opts, async (ctx) => {
      let t
      try {
        t = (await ctx.client.send(new DescribeTableCommand({ TableName: table }))).Table
      } catch (err) {
        throw toWorkbenchError(err, { table })
      }
      if (!t) throw new WorkbenchError('table.notFound', `no table ${table}`, { table })
      if (opts.json) {
        printJson({ ok: true, table: t })
        return
      }
      const keys = (ks?: { AttributeName?: string; KeyType?: string }[]) =>
        (ks ?? []).map((k) => `${k.AttributeName} (${k.KeyType})`).join(', ')
      const types = new Map((t.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType]))
      console.log(`${t.TableName}  ${t.TableStatus}`)
      console.log(
        `  keys:      ${(t.KeySchema ?? []).map((k) => `${k.AttributeName} ${types.get(k.AttributeName) ?? ''} ${k.KeyType}`).join(', ')}`,
      )
      console.log(
        `  items:     ${t.ItemCount ?? 0} (${t.TableSizeBytes ?? 0} bytes; on AWS refreshed about every six hours)`,
      )
      const billing = t.BillingModeSummary?.BillingMode ?? 'PROVISIONED'
      const pt = t.ProvisionedThroughput
      console.log(
        `  billing:   ${billing}${billing === 'PROVISIONED' && pt ? ` (${pt.ReadCapacityUnits} RCU, ${pt.WriteCapacityUnits} WCU)` : ''}`,
      )
      console.log(
        `  stream:    ${t.StreamSpecification?.StreamEnabled ? `${t.StreamSpecification.StreamViewType} ${t.LatestStreamArn ?? ''}` : 'off'}`,
      )
      const indexes = [
        ...(t.GlobalSecondaryIndexes ?? []).map((g) => ({
          index: g.IndexName,
          type: 'GSI',
          keys: keys(g.KeySchema),
          projection: g.Projection?.ProjectionType,
          status: g.IndexStatus,
          items: g.ItemCount,
        })),
        ...(t.LocalSecondaryIndexes ?? []).map((l) => ({
          index: l.IndexName,
          type: 'LSI',
          keys: keys(l.KeySchema),
          projection: l.Projection?.ProjectionType,
          status: '',
          items: l.ItemCount,
        })),
      ]
      if (indexes.length) {
        console.log('')
        printTable(indexes)
      }
    })
  })
}
