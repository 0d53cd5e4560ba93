import type { Handlers } from '../../shared/contract/contract'
import type { modelChannels } from '../../shared/contract/channels/models'
import type { Workbench } from './workbench'

/** Opening models: each channel adapts one call on the workbench's OpenModels. */
export function createModelHandlers(wb: Workbench): Pick<Handlers, keyof typeof modelChannels> {
  return {
    'models:open': async (request) => wb.openModels.open(request),
    'models:current': async () => wb.openModels.current(),
    'models:recent': async () => wb.openModels.recent(),
    'models:openDialog': async () => wb.openModels.openDialog(),
    'models:source': async ({ modelId }) => wb.openModels.source(modelId),
    'models:save': async (request) => wb.openModels.save(request),
  }
}
