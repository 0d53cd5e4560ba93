import type { StateCreator } from 'zustand'
import type { CheckReportView, CostReportView } from '../../shared/contract/channels/check'
import { call } from '../bridge/bridge'
import { toUiError, type UiError } from './connections.slice'
import type { AppState } from './store'

export interface CheckSlice {
  /** The last check of the open model (its id in `checkModelId`), shown in the Check tab and the pattern matrix. */
  checkReport?: CheckReportView
  checkModelId?: string
  checkRunning: boolean
  checkError?: UiError
  /** Checks the open model: on a throwaway engine, or on `connectionId` under a prefix of the run's own. */
  runCheck(connectionId?: string): Promise<void>
  /**
   * The last cost estimate of the open model (its id in `costModelId`): the Check tab's charts, and the traffic
   * the visualizer's heat strip spreads over partitions.
   */
  costReport?: CostReportView
  costModelId?: string
  costRunning: boolean
  costError?: UiError
  /** Estimates the open model's cost at these rates over its declared traffic (none: the declared traffic alone). */
  estimateCost(rates?: Record<string, number>, utilisation?: number): Promise<void>
}

export const createCheckSlice: StateCreator<AppState, [], [], CheckSlice> = (set, get) => ({
  checkRunning: false,
  costRunning: false,
  async estimateCost(rates = {}, utilisation) {
    const modelId = get().modelId
    set({ costRunning: true, costError: undefined })
    try {
      const report = await call('cost:estimate', {
        modelId,
        rates,
        ...(utilisation !== undefined ? { utilisation } : {}),
      })
      set({ costReport: report, costModelId: modelId })
    } catch (err) {
      set({ costError: toUiError(err) })
    } finally {
      set({ costRunning: false })
    }
  },
  async runCheck(connectionId) {
    const modelId = get().modelId
    set({ checkRunning: true, checkError: undefined })
    try {
      const report = await call('check:run', connectionId ? { modelId, connectionId } : { modelId })
      set({ checkReport: report, checkModelId: modelId })
    } catch (err) {
      set({ checkError: toUiError(err) })
    } finally {
      set({ checkRunning: false })
    }
  },
})
