import { contextBridge, ipcRenderer } from 'electron'
import { channels } from '../../shared/contract/contract'
import { eventNames } from '../../shared/contract/events'

const EVENT_CHANNEL = 'tablewright:event'
const known = new Set<string>(channels)
const knownEvents = new Set<string>(eventNames)

/**
 * window.tablewright: exactly the contract's channels and events. ipcRenderer itself never crosses the bridge, and an
 * unknown channel name is refused here before it reaches main.
 */
contextBridge.exposeInMainWorld('tablewright', {
  host: 'desktop',
  channels: [...channels],
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
