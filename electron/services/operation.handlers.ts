import type { Handlers } from '../../shared/contract/contract'
import type { operationChannels } from '../../shared/contract/channels/operations'
import { runOperation } from './operation.service'
import type { Workbench } from './workbench'

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem'])

/** The operation builder: each channel adapts one services call. */
export function createOperationHandlers(wb: Workbench): Pick<Handlers, keyof typeof operationChannels> {
  return {
    'ops:run': async ({ connectionId, spec, exclusiveStartKey, nextToken }) => {
      // A later page of a run: the table's keys are as the first page read them, and the run is in the history.
      const continuing = exclusiveStartKey !== undefined || nextToken !== undefined
      const client = await wb.connections.client(connectionId)
      // The connection's write guard refuses writes (and non-SELECT PartiQL) on a read-only connection.
      const result = await runOperation(client, spec, { exclusiveStartKey, nextToken }, (table) =>
        wb.tableDescriptions.describe(client, connectionId, table, { fresh: !continuing }),
      )
      wb.operationHistory.record(spec, { continuing })
      if (
        WRITES.has(spec.operation) ||
        (spec.operation === 'PartiQL' && !/^\s*select\b/i.test(spec.statement ?? ''))
      )
        wb.bus.emit('tables:changed', { connectionId })
      return result
    },
    'ops:history': async () => wb.operationHistory.list(),
    'ops:save': async ({ name, spec }) => wb.operationHistory.save(name, spec),
    'ops:forget': async ({ id }) => {
      wb.operationHistory.forget(id)
      return {}
    },
  }
}
