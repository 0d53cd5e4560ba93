import { randomUUID } from 'node:crypto'
import type { Handlers } from '../../shared/contract/contract'
import type { modelLiveChannels } from '../../shared/contract/channels/model-live'
import { stringifyExactJson } from '../../shared/domain/attribute-json'
import type { Model } from '../../shared/domain/model'
import { applyModelDiff, confirmsPlan, planModelDiff, stepLabel } from './model-diff.service'
import { parseModelText } from './model.service'
import { reverseEngineerTable } from './reverse-engineer.service'
import type { Workbench } from './workbench'

const describeValue = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v ?? null))

/**
 * Model ↔ live tables for the app: each channel adapts the services functions behind `tablewright model
 * from-table` and `model diff` (input, progress events, confirmation), and adds nothing of its own.
 */
export function createModelLiveHandlers(wb: Workbench): Pick<Handlers, keyof typeof modelLiveChannels> {
  const modelOf = (r: { modelId?: string | undefined; text?: string | undefined }): Model =>
    r.text !== undefined ? parseModelText(r.text, 'the model draft') : wb.models.get(r.modelId!)
  const readOnly = (connectionId: string) =>
    wb.connections.view(wb.connections.profile(connectionId)).readOnly

  return {
    'models:fromTable': async ({ connectionId, tableName, sampleSize, operationId }) => {
      // Reads only (DescribeTable, Scan): the plain client, so a read-only AWS connection works too.
      const client = await wb.connections.client(connectionId)
      const op = operationId ?? randomUUID()
      const r = await reverseEngineerTable(client, tableName, {
        sampleSize,
        onProgress: (p) =>
          wb.bus.emit('progress', {
            operationId: op,
            label: `sampling ${tableName}`,
            done: p.items,
            total: p.sampleSize,
            finished: false,
          }),
      })
      wb.bus.emit('progress', {
        operationId: op,
        label: `sampled ${r.sampled} item(s) of ${tableName}`,
        done: r.sampled,
        total: r.sampled,
        finished: true,
      })
      return {
        table: tableName,
        text: stringifyExactJson(r.model, 2) + '\n',
        sampled: r.sampled,
        truncated: r.truncated,
        entities: r.entities.map((e) => ({
          name: e.name,
          count: e.count,
          keys: e.keys,
          attributes: e.attributes.map((a) => ({ name: a.name, type: a.type, present: a.present })),
          indexes: e.indexes,
        })),
      }
    },

    'models:diff': async ({ connectionId, modelId, text }) => {
      const model = modelOf({ modelId, text })
      const plan = await planModelDiff(await wb.connections.client(connectionId), model)
      return {
        tables: plan.tables.map((t) => ({
          table: t.table,
          status: t.status,
          differences: t.differences.map(
            (d) =>
              `${d.field}: ${describeValue(d.actual)} on the table, ${describeValue(d.expected)} in the model`,
          ),
          unsupported: t.unsupported,
        })),
        steps: plan.steps.map((s) => ({
          kind: s.kind,
          table: s.table,
          summary: s.summary,
          request: { ...s.request },
        })),
        readOnly: readOnly(connectionId),
      }
    },

    'models:applyDiff': async ({ connectionId, modelId, text, confirmSteps, operationId }) => {
      const model = modelOf({ modelId, text })
      const client = await wb.connections.client(connectionId)
      // applyModelDiff refuses a read-only connection itself, before any request.
      const writable = !readOnly(connectionId)
      const plan = await planModelDiff(client, model)
      const op = operationId ?? randomUUID()
      try {
        const result = await applyModelDiff(client, plan, {
          writable,
          confirmed: confirmsPlan(plan, confirmSteps),
          onProgress: (p) =>
            wb.bus.emit('progress', {
              operationId: op,
              label: `${stepLabel(p.step)} (${p.phase === 'waiting' ? 'waiting until ACTIVE' : p.phase})`,
              done: p.index + (p.phase === 'done' ? 1 : 0),
              total: p.total,
              finished: false,
            }),
        })
        return { applied: result.applied.map((s) => ({ table: s.table, summary: s.summary })) }
      } finally {
        wb.bus.emit('progress', { operationId: op, label: 'diff applied', done: 1, total: 1, finished: true })
        wb.bus.emit('tables:changed', { connectionId })
      }
    },
  }
}
