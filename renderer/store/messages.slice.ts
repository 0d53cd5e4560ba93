import type { StateCreator } from 'zustand'
import type { FlowStep, ItemJson, SendMessageResult } from '../../shared/contract/channels/workbench'
import type { Model } from '../../shared/domain/model'
import { highlightsFor } from '../../shared/domain/diff'
import { call } from '../bridge/bridge'
import { toUiError, type UiError } from './connections.slice'
import { tableKeys } from './workbench.slice'
import type { AppState } from './store'

export type RandomResult = Awaited<ReturnType<typeof call<'messages:sendRandom'>>>

export interface MessageDraft {
  fromHandle: string
  mode: 'new' | 'existing'
  toHandle: string
  groupUuid: string
  text: string
}

export interface MessagesSlice {
  draft: MessageDraft
  flow?: { title: string; message?: ItemJson; steps: FlowStep[]; mode?: SendMessageResult['mode'] }
  /** How many steps of the timeline are revealed (play/step). */
  flowShown: number
  recordsProcessed: number
  messageBusy?: string
  messageError?: UiError
  randomResult?: RandomResult
  setDraft(patch: Partial<MessageDraft>): void
  sendMessage(): Promise<void>
  sendRandom(count: number): Promise<void>
  replay(sequenceNumber: string): Promise<void>
  showSteps(n: number): void
}

/** The open model's first table with a stream: where a replayed record comes from when no table is selected. */
const streamTableOf = (model: Model | undefined) =>
  (model?.tables.find((t) => t.stream) ?? model?.tables[0])?.name ?? ''

export const createMessagesSlice: StateCreator<AppState, [], [], MessagesSlice> = (set, get) => {
  const afterFlow = async (
    title: string,
    steps: FlowStep[],
    extra: Partial<NonNullable<MessagesSlice['flow']>> = {},
  ) => {
    set({ flow: { title, steps, ...extra }, flowShown: 1 })
    const detail = get().detail
    if (detail) {
      const { highlights, ghosts } = highlightsFor(steps, tableKeys(detail))
      get().setHighlights(title, highlights, ghosts)
    }
    await get().loadItems()
  }
  return {
    draft: { fromHandle: '', mode: 'existing', toHandle: '', groupUuid: '', text: '' },
    flowShown: 0,
    recordsProcessed: 0,
    setDraft(patch) {
      set({ draft: { ...get().draft, ...patch } })
    },
    async sendMessage() {
      const { activeConnectionId: connectionId, modelId, draft } = get()
      if (!connectionId) return
      set({ messageBusy: 'Sending…', messageError: undefined })
      try {
        const result = await call('messages:send', {
          connectionId,
          modelId,
          fromHandle: draft.fromHandle,
          text: draft.text,
          ...(draft.mode === 'existing' ? { groupUuid: draft.groupUuid } : { toHandle: draft.toHandle }),
        })
        set({
          recordsProcessed: get().recordsProcessed + result.recordsProcessed,
          draft: { ...get().draft, text: '' },
        })
        await afterFlow(`Message from @${draft.fromHandle}`, result.steps, {
          message: result.message,
          mode: result.mode,
        })
        void get().loadParticipants()
      } catch (err) {
        set({ messageError: toUiError(err) })
      } finally {
        set({ messageBusy: undefined })
      }
    },
    async sendRandom(count) {
      const { activeConnectionId: connectionId, modelId } = get()
      if (!connectionId) return
      set({
        messageBusy: `Sending ${count} random messages…`,
        messageError: undefined,
        randomResult: undefined,
      })
      try {
        const result = await call('messages:sendRandom', { connectionId, modelId, count })
        set({ randomResult: result, recordsProcessed: get().recordsProcessed + result.recordsProcessed })
        await get().loadItems()
        void get().loadParticipants()
      } catch (err) {
        set({ messageError: toUiError(err) })
      } finally {
        set({ messageBusy: undefined })
      }
    },
    async replay(sequenceNumber) {
      const { activeConnectionId: connectionId, modelId } = get()
      if (!connectionId) return
      const tableName = get().detail?.name ?? streamTableOf(get().model)
      set({ messageBusy: 'Replaying the stream record…', messageError: undefined })
      try {
        const result = await call('stream:replay', { connectionId, modelId, tableName, sequenceNumber })
        set({ recordsProcessed: get().recordsProcessed + 1 })
        await afterFlow(`Replay of record ${sequenceNumber}`, result.steps)
      } catch (err) {
        set({ messageError: toUiError(err) })
      } finally {
        set({ messageBusy: undefined })
      }
    },
    showSteps(n) {
      const total = get().flow?.steps.length ?? 0
      set({ flowShown: Math.max(0, Math.min(total, n)) })
    },
  }
}
