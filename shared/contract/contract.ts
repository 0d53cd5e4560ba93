import type { z } from 'zod'
import { appChannels } from './channels/app'
import { connectionChannels } from './channels/connections'
import { tableChannels } from './channels/tables'
import { workbenchChannels } from './channels/workbench'

/**
 * Every channel the renderer can call: `domain:verb` → zod input and output. Electron IPC, the browser host and the
 * renderer bridge are all generated from this object, so they cannot drift.
 */
export const contract = {
  ...appChannels,
  ...connectionChannels,
  ...tableChannels,
  ...workbenchChannels,
} as const

export type Contract = typeof contract
export type Channel = keyof Contract
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>
export type ChannelOutput<C extends Channel> = z.infer<Contract[C]['output']>

export const channels = Object.keys(contract) as Channel[]

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(contract, name)
}

/** Services implement one function per channel; hosts call them after validating input. */
export type Handlers = { [C in Channel]: (input: z.infer<Contract[C]['input']>) => Promise<ChannelOutput<C>> }
