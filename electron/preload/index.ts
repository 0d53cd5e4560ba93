import { contextBridge, ipcRenderer } from 'electron'
// Names only: the contract's zod schemas stay out of this bundle (main validates every input anyway).
import { CHANNEL_NAMES, EVENT_CHANNEL, EVENT_NAMES } from '../../shared/contract/names'

const known = new Set<string>(CHANNEL_NAMES)
const knownEvents = new Set<string>(EVENT_NAMES)

/**
 * window.tablewright: exactly the contract's channels and events. ipcRenderer itself never crosses the bridge, and an
 * unknown channel name is refused here before it reaches main.
 */
contextBridge.exposeInMainWorld('tablewright', {
  host: 'desktop',
  channels: [...CHANNEL_NAMES],
  invoke: (channel: string, input: unknown) => {
    if (!known.has(channel)) {
      return Promise.resolve({ ok: false, code: 'channel.unknown', message: `Unknown channel "${channel}".` })
    }
    return ipcRenderer.invoke(channel, input)
  },
  on: (event: string, listener: (payload: unknown) => void) => {
    if (!knownEvents.has(event)) return () => undefined
    const wrapped = (_e: unknown, name: string, payload: unknown) => {
      if (name === event) listener(payload)
    }
    ipcRenderer.on(EVENT_CHANNEL, wrapped)
    return () => ipcRenderer.off(EVENT_CHANNEL, wrapped)
  },
})
