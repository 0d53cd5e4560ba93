import type { Handlers } from '../../shared/contract/contract'
import type { Workbench } from './workbench'
import { listAwsProfiles } from './aws-credentials'
import { createCheckHandlers } from './check.handlers'
import { createModelHandlers } from './model.handlers'
import { createModelLiveHandlers } from './model-live.handlers'
import { createOperationHandlers } from './operation.handlers'
import { createDataHandlers } from './data.handlers'
import { createTable, dropTable, listTables } from './tables.service'
import { createWorkbenchHandlers } from './workbench.handlers'
import { writeAccessPreview } from './write-access'

/** One function per contract channel: validation already happened in dispatch(). */
export function createHandlers(wb: Workbench): Handlers {
  return {
    ...createWorkbenchHandlers(wb),
    ...createModelHandlers(wb),
    ...createModelLiveHandlers(wb),
    ...createOperationHandlers(wb),
    ...createCheckHandlers(wb),
    ...createDataHandlers(wb),
    'app:info': async () => ({ name: 'Tablewright', version: wb.version, host: wb.host }),
    'connections:list': async () => wb.connections.list(),
    'connections:connect': async ({ connectionId }) => wb.connections.connect(connectionId),
    'connections:save': async (profile) => wb.connections.save(profile),
    'connections:remove': async ({ connectionId }) => ({
      removed: await wb.connections.remove(connectionId),
    }),
    'connections:awsProfiles': async () => listAwsProfiles(),
    'connections:test': async (profile) => wb.connections.test(profile),
    'connections:writeAccess': async ({ connectionId }) => writeAccessPreview(wb.connections, connectionId),
    'engine:storage': async ({ connectionId }) => wb.connections.storage(connectionId),
    'engine:setStorage': async ({ connectionId, action, confirm }) =>
      wb.connections.setStorage(connectionId, action, confirm ?? false),
    'tables:list': async ({ connectionId }) => listTables(await wb.connections.client(connectionId)),
    'tables:create': async ({ connectionId, spec }) => {
      const table = await createTable(await wb.writableClient(connectionId), spec)
      wb.bus.emit('tables:changed', { connectionId })
      return table
    },
    'tables:drop': async ({ connectionId, tableName, confirm }) => {
      const result = await dropTable(await wb.writableClient(connectionId), tableName, confirm)
      wb.bus.emit('tables:changed', { connectionId })
      return result
    },
  }
}
