import type { StateCreator } from 'zustand'
import type { CheckReportView } from '../../shared/contract/channels/check'
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
}

export const createCheckSlice: StateCreator<AppState, [], [], CheckSlice> = (set, get) => ({
  checkRunning: false,
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
