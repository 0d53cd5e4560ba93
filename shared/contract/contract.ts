import type { z } from 'zod'
import { appChannels } from './channels/app'
import { checkChannels } from './channels/check'
import { connectionChannels } from './channels/connections'
import { dataChannels } from './channels/data'
import { modelLiveChannels } from './channels/model-live'
import { modelChannels } from './channels/models'
import { operationChannels } from './channels/operations'
import { tableChannels } from './channels/tables'
import { workbenchChannels } from './channels/workbench'
import { CHANNEL_NAMES, type ChannelName, type SameNames } from './names'

/**
 * Every channel the renderer can call: `domain:verb` → zod input and output. Electron IPC, the browser host and the
 * renderer bridge are all generated from this object, so they cannot drift.
 */
export const contract = {
  ...appChannels,
  ...connectionChannels,
  ...tableChannels,
  ...workbenchChannels,
  ...dataChannels,
  ...modelChannels,
  ...modelLiveChannels,
  ...operationChannels,
  ...checkChannels,
} as const

export type Contract = typeof contract
export type Channel = keyof Contract
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>
export type ChannelOutput<C extends Channel> = z.infer<Contract[C]['output']>

// A channel added to the contract but not to names.ts (or the reverse) fails the typecheck here.
const channelNamesMatch: SameNames<ChannelName, Channel> = true
void channelNamesMatch

/** The channel names, from the zod-free list the preload also uses. */
export const channels: readonly Channel[] = CHANNEL_NAMES

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(contract, name)
}

/** Services implement one function per channel; hosts call them after validating input. */
export type Handlers = { [C in Channel]: (input: z.infer<Contract[C]['input']>) => Promise<ChannelOutput<C>> }
