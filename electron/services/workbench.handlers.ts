import { DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import { randomUUID } from 'node:crypto'
import type { Handlers } from '../../shared/contract/contract'
import type { workbenchChannels } from '../../shared/contract/channels/workbench'
import { generateCode, type Operation } from '../../shared/domain/codegen'
import { itemSizeOf, type Item } from '../engine'
import { WorkbenchError } from './errors'
import { rowFromJson, rowToJson } from './item-json'
import { exportTableTo } from './data-transfer.service'
import { deleteItem, putItem, scanPage, scanPageInProcess } from './items.service'
import { getPattern } from './pattern.builder'
import { runPattern } from './pattern.service'
import { validateModelText } from './open-model.service'
import { describeTable, schemaLoad } from './schema.service'
import { generateSampleItems, seedItems } from './seed.service'
import { runRecipe } from './recipe.service'
import { replayRecord } from './stream-replay.service'
import { suggestParamValues } from './suggest.service'
import { recordJson, recordToContract, toFlowSteps } from './timeline'
import { toTableDetail } from './table-detail'
import type { Workbench } from './workbench'
import { setWriteAccess } from './write-access'

type WorkbenchHandlers = Pick<Handlers, keyof typeof workbenchChannels>

/**
 * One page of a Scan; the embedded engine runs in this process and is read directly (see scanPageInProcess), where
 * `fill` gathers up to `limit` items over several Scan pages.
 */
async function itemsPage(
  wb: Workbench,
  connectionId: string,
  input: Parameters<typeof scanPageInProcess>[1],
) {
  const engine = wb.connections.engine(connectionId)
  if (engine) return scanPageInProcess(engine, input)
  const { fill: _fill, ...request } = input
  return scanPage(await wb.connections.client(connectionId), request)
}

const toJsonItem = rowToJson

async function keyAttributes(wb: Workbench, connectionId: string, tableName: string): Promise<string[]> {
  const table = await describeTable(await wb.connections.client(connectionId), tableName)
  if (!table)
    throw new WorkbenchError('table.notFound', `Table ${tableName} was not found.`, { table: tableName })
  return (table.KeySchema ?? []).map((k) => k.AttributeName ?? '')
}

/** Handlers for the workbench channels: models, schema, data, items, patterns, messages and streams. */
export function createWorkbenchHandlers(wb: Workbench): WorkbenchHandlers {
  return {
    'connections:allowWrites': async ({ connectionId, allow, confirm }) => {
      const view = await setWriteAccess(wb.connections, connectionId, allow, confirm)
      return { connectionId, readOnly: view.readOnly }
    },

    'tables:describe': async ({ connectionId, tableName }) => {
      const table = await describeTable(await wb.connections.client(connectionId), tableName)
      if (!table)
        throw new WorkbenchError('table.notFound', `Table ${tableName} was not found.`, { table: tableName })
      return toTableDetail(table)
    },

    'models:list': async () => wb.models.list(),
    'models:get': async ({ modelId }) => wb.models.get(modelId),
    'models:validate': async ({ text }) => validateModelText(text),

    'schema:load': async ({ connectionId, modelId, operationId }) => {
      const model = wb.models.get(modelId)
      const client = await wb.writableClient(connectionId)
      const op = operationId ?? randomUUID()
      const total = model.tables.length
      let done = 0
      const result = await schemaLoad(client, model, {
        onProgress: (p) => {
          if (p.phase === 'created' || p.phase === 'exists') done++
          wb.bus.emit('progress', {
            operationId: op,
            label: `${p.phase} ${p.table}`,
            done,
            total,
            finished: false,
          })
        },
      })
      wb.bus.emit('progress', { operationId: op, label: 'schema loaded', done: total, total, finished: true })
      wb.bus.emit('tables:changed', { connectionId })
      return {
        tables: result.tables.map((t) => ({
          name: t.table,
          status: t.status,
          differences: t.differences.map((d) => (typeof d === 'string' ? d : JSON.stringify(d))),
        })),
      }
    },

    'data:seed': async ({ connectionId, modelId, operationId, generator, confirm }) => {
      const entry = wb.models.entry(modelId)
      const model = entry.model
      const client = await wb.writableClient(connectionId)
      const started = Date.now()
      const sample = generator ? generateSampleItems(model, generator) : await entry.items()
      // Seeding into a non-empty AWS table overwrites items that share keys: make the user say so.
      if (wb.connections.profile(connectionId).kind === 'aws') {
        for (const table of Object.keys(sample)) {
          const detail = await client.send(new DescribeTableCommand({ TableName: table }))
          const count = detail.Table?.ItemCount ?? 0
          if (count > 0 && confirm !== table) {
            throw new WorkbenchError(
              'confirm.required',
              `${table} already holds about ${count} items; seeding writes ${sample[table]!.length} items over them. Type the table name to confirm.`,
              { table, itemCount: count, writes: sample[table]!.length },
            )
          }
        }
      }
      const op = operationId ?? randomUUID()
      const total = Object.values(sample).reduce((n, items) => n + items.length, 0)
      let written = 0
      for (const [table, items] of Object.entries(sample)) {
        const spec = model.tables.find((t) => t.name === table)
        if (!spec) throw new WorkbenchError('model.invalid', `The model has no table "${table}".`, { table })
        const before = written
        await seedItems(
          client,
          table,
          spec.keySchema.map((k) => k.attributeName),
          items,
          {
            onProgress: (p) => {
              written = before + p.written
              wb.bus.emit('progress', {
                operationId: op,
                label: `seeding ${table}`,
                done: written,
                total,
                finished: false,
              })
            },
          },
        )
      }
      wb.bus.emit('progress', { operationId: op, label: 'seeded', done: total, total, finished: true })
      wb.bus.emit('tables:changed', { connectionId })
      return { written: total, tables: Object.keys(sample), durationMs: Date.now() - started }
    },

    'params:suggest': async ({ connectionId, modelId, patternId, recipeId, param, query, limit }) =>
      suggestParamValues(
        await wb.connections.client(connectionId),
        wb.models.get(modelId),
        patternId !== undefined ? { patternId } : { recipeId: recipeId! },
        param,
        { query, limit },
      ),

    'items:page': async ({ connectionId, ...input }) => itemsPage(wb, connectionId, input),

    'items:load': async ({ connectionId, tableName, ...input }) => {
      const engine = wb.connections.engine(connectionId)
      const client = engine ? undefined : await wb.connections.client(connectionId)
      return wb.itemSnapshots.load(
        input,
        async () => {
          const table = await describeTable(client ?? (await wb.connections.client(connectionId)), tableName)
          if (!table)
            throw new WorkbenchError('table.notFound', `Table ${tableName} was not found.`, {
              table: tableName,
            })
          return { connectionId, tableName, detail: toTableDetail(table) }
        },
        async (request) => {
          const page = await itemsPage(wb, connectionId, { ...request, fill: true })
          return engine ? { ...page, sizes: page.items.map((item) => itemSizeOf(item as Item)) } : page
        },
        engine !== undefined,
      )
    },

    'items:view': async ({ snapshotId, options, from, count, locate }) =>
      wb.itemSnapshots.view(
        { snapshotId, options, from, count, locate },
        options.modelId ? wb.models.get(options.modelId) : undefined,
      ),

    'items:viewRows': async (input) => ({ rows: wb.itemSnapshots.rows(input) }),

    'items:put': async ({ connectionId, tableName, item, expected, replacesKey, create }) => {
      const client = await wb.writableClient(connectionId)
      const saved = await putItem(client, {
        tableName,
        keyAttributes: await keyAttributes(wb, connectionId, tableName),
        item,
        expected,
        replacesKey,
        create,
      })
      wb.bus.emit('tables:changed', { connectionId })
      return { item: saved }
    },

    'items:delete': async ({ connectionId, tableName, key, expected }) => {
      const deleted = await deleteItem(await wb.writableClient(connectionId), { tableName, key, expected })
      wb.bus.emit('tables:changed', { connectionId })
      return { deleted }
    },

    'data:export': async ({ connectionId, tableName, format, operationId }) => {
      const client = await wb.connections.client(connectionId)
      const op = operationId ?? randomUUID()
      const chunks: string[] = []
      const r = await exportTableTo(client, tableName, format, (chunk) => void chunks.push(chunk), {
        onProgress: (p) =>
          wb.bus.emit('progress', {
            operationId: op,
            label: `exporting ${tableName}`,
            done: p.items,
            finished: false,
          }),
      })
      wb.bus.emit('progress', {
        operationId: op,
        label: `exported ${tableName}`,
        done: r.items,
        total: r.items,
        finished: true,
      })
      return { fileName: `${tableName}.${format}`, content: chunks.join(''), itemCount: r.items }
    },

    'patterns:run': async ({ connectionId, modelId, patternId, params, exclusiveStartKey, limit }) => {
      const model = wb.models.get(modelId)
      const pattern = getPattern(model, patternId)
      const writes = pattern.operation === 'PutItem' || pattern.operation === 'DeleteItem'
      const client = writes
        ? await wb.writableClient(connectionId)
        : await wb.connections.client(connectionId)
      const started = performance.now()
      const result = await runPattern(client, model, patternId, params, {
        exclusiveStartKey: exclusiveStartKey ? rowFromJson(exclusiveStartKey) : undefined,
        limit,
      })
      const durationMs = performance.now() - started
      if (writes) wb.bus.emit('tables:changed', { connectionId })
      const request = result.request as unknown as Record<string, unknown>
      const operation = result.operation as Operation
      const capacity = result.consumedCapacity
      return {
        patternId: result.patternId,
        operation: pattern.operation,
        servedBy: result.operation,
        request,
        code: generateCode(operation, request),
        items: result.items.map(toJsonItem),
        presented: result.presented.map(toJsonItem),
        count: result.count,
        scannedCount: result.scannedCount,
        consumedCapacity: capacity
          ? {
              capacityUnits: capacity.CapacityUnits,
              readCapacityUnits: capacity.ReadCapacityUnits,
              writeCapacityUnits: capacity.WriteCapacityUnits,
              table: capacity.Table?.CapacityUnits,
              indexes: capacity.GlobalSecondaryIndexes
                ? Object.fromEntries(
                    Object.entries(capacity.GlobalSecondaryIndexes).map(([k, v]) => [
                      k,
                      v.CapacityUnits ?? 0,
                    ]),
                  )
                : undefined,
            }
          : undefined,
        lastEvaluatedKey: result.lastEvaluatedKey ? toJsonItem(result.lastEvaluatedKey) : undefined,
        expectations: result.expectations.map((e) => ({ name: e.name, held: e.held, detail: e.detail })),
        durationMs,
      }
    },

    'recipes:run': async ({ connectionId, modelId, recipeId, params, mode }) => {
      const model = wb.models.get(modelId)
      const ddb = await wb.writableClient(connectionId)
      const streams = await streamsFor(wb, connectionId)
      const result = await runRecipe({ ddb, streams }, model, recipeId, params, {
        ...(mode ? { mode } : {}),
        onRecord: (tableName, record) =>
          wb.bus.emit('stream:record', {
            connectionId,
            tableName,
            record: recordToContract(recordJson(record)),
          }),
      })
      wb.bus.emit('tables:changed', { connectionId })
      const out = {
        recipeId: result.recipe.id,
        name: result.recipe.name,
        params: Object.fromEntries(Object.entries(result.params).map(([k, v]) => [k, String(v)])),
        mode: result.mode,
        process: result.process,
        ok: result.ok,
        ...(result.failure ? { error: result.failure } : {}),
        steps: toFlowSteps(result.timeline),
        recordsProcessed: result.records.length,
        notes: result.notes,
      }
      const { steps, ...run } = out
      wb.runHistory.record(modelId, { kind: 'recipe', title: out.name, ok: out.ok, steps, run })
      return out
    },

    'stream:replay': async ({ connectionId, modelId, tableName, sequenceNumber }) => {
      const model = wb.models.get(modelId)
      const ddb = await wb.writableClient(connectionId)
      const streams = await streamsFor(wb, connectionId)
      if (!streams)
        throw new WorkbenchError('stream.unavailable', 'This connection has no DynamoDB Streams endpoint.')
      const steps = await replayRecord({ ddb, streams }, model, tableName, sequenceNumber)
      wb.bus.emit('tables:changed', { connectionId })
      const flow = toFlowSteps(steps)
      wb.runHistory.record(modelId, {
        kind: 'replay',
        title: `Replay of record ${sequenceNumber}`,
        steps: flow,
      })
      return { steps: flow }
    },

    'recipes:history': async ({ modelId }) => wb.runHistory.list(modelId),
    'recipes:historyGet': async ({ modelId, id }) => {
      const entry = wb.runHistory.get(modelId, id)
      if (!entry) throw new WorkbenchError('input.invalid', `No earlier run "${id}" for this model.`, { id })
      return entry
    },
  }
}

/** Embedded and DynamoDB Local both serve the Streams API; AWS does too, with the same credentials. */
async function streamsFor(wb: Workbench, connectionId: string) {
  try {
    return await wb.connections.streamsClient(connectionId)
  } catch {
    return undefined
  }
}
