import type { Handlers } from '../../shared/contract/contract'
import type { checkChannels } from '../../shared/contract/channels/check'
import { mergeTraffic } from '../../shared/domain/traffic'
import { checkOnThrowawayEngine, checkPrefix, runCheck } from './check.service'
import { estimateCost } from './cost.service'
import type { Workbench } from './workbench'

/** The app's doors to `check` and `cost`: the same services functions the CLI commands call. */
export function createCheckHandlers(wb: Workbench): Pick<Handlers, keyof typeof checkChannels> {
  return {
    'check:run': async ({ modelId, connectionId }) => {
      const entry = wb.models.entry(modelId)
      if (!connectionId) return checkOnThrowawayEngine(entry.model, await entry.items())
      const client = await wb.writableClient(connectionId)
      try {
        return await runCheck(client, entry.model, await entry.items(), {
          target: wb.connections.profile(connectionId).name,
          prefix: checkPrefix(),
        })
      } finally {
        wb.bus.emit('tables:changed', { connectionId })
      }
    },
    'cost:estimate': async ({ modelId, rates, utilisation }) => {
      const entry = wb.models.entry(modelId)
      const traffic = mergeTraffic(entry.model.traffic, {
        rates,
        ...(utilisation !== undefined ? { utilisation } : {}),
      })
      return estimateCost(entry.model, await entry.items(), traffic)
    },
  }
}
