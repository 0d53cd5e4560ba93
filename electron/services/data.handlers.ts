import { randomUUID } from 'node:crypto'
import type { Handlers } from '../../shared/contract/contract'
import type { dataChannels } from '../../shared/contract/channels/data'
import { checkImport, detectDataFormat, importTableText, tableHasItems } from './data-transfer.service'
import { deleteItems, planDeleteItems } from './items.service'
import type { Workbench } from './workbench'

type DataHandlers = Pick<Handlers, keyof typeof dataChannels>

/** Data import and bulk delete: the handlers only map input, progress events and results. */
export function createDataHandlers(wb: Workbench): DataHandlers {
  const progress = (operationId: string, label: string, done: number, total: number, finished = false) =>
    wb.bus.emit('progress', { operationId, label, done, total, finished })

  return {
    'data:importCheck': async ({ connectionId, tableName, fileName, text, format }) => {
      const client = await wb.connections.client(connectionId)
      const check = await checkImport(client, tableName, text, format ?? detectDataFormat(fileName, text))
      return {
        format: check.format,
        items: check.items.length,
        errors: check.errors,
        tableHasItems: await tableHasItems(client, tableName),
      }
    },

    'data:import': async ({ connectionId, tableName, fileName, text, format, confirm, operationId }) => {
      const client = await wb.writableClient(connectionId)
      const op = operationId ?? randomUUID()
      const r = await importTableText(
        client,
        tableName,
        { fileName, text, format, confirm },
        { onProgress: (p) => progress(op, `importing into ${tableName}`, p.written, p.total) },
      )
      progress(op, `imported into ${tableName}`, r.written, r.items, true)
      wb.bus.emit('tables:changed', { connectionId })
      return r
    },

    'items:deleteMany': async ({ connectionId, tableName, items, dryRun, operationId }) => {
      if (dryRun) {
        const plan = await planDeleteItems(await wb.connections.client(connectionId), tableName, items)
        return { dryRun: true, plan, deleted: 0 }
      }
      const client = await wb.writableClient(connectionId)
      const plan = await planDeleteItems(client, tableName, items)
      const op = operationId ?? randomUUID()
      const r = await deleteItems(client, plan, {
        onProgress: (p) => progress(op, `deleting from ${tableName}`, p.deleted, p.total),
      })
      progress(op, `deleted from ${tableName}`, r.deleted, r.deleted, true)
      wb.bus.emit('tables:changed', { connectionId })
      return { dryRun: false, plan, deleted: r.deleted }
    },
  }
}
