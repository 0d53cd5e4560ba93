import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import { channels } from '../../shared/contract/contract'
import { dispatch } from '../../shared/contract/dispatch'
import { fail } from '../../shared/contract/errors'
import { EVENT_CHANNEL } from '../../shared/contract/names'
import type { Workbench } from '../services/workbench'

/** Registers one IPC handler per contract channel (validate → service → coded result), and forwards push events. */
export function registerIpc(workbench: Workbench, win: BrowserWindow, appUrl: string): () => void {
  const fromApp = (event: IpcMainInvokeEvent) => {
    const url = event.senderFrame?.url ?? ''
    return url.startsWith(appUrl.split('#')[0]!.split('?')[0]!)
  }
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, input: unknown) => {
      if (!fromApp(event)) return fail('auth.required', 'IPC call from an unexpected frame.')
      return dispatch(workbench.handlers, channel, input, (err) => console.error(`[${channel}]`, err))
    })
  }
  const unsubscribe = workbench.bus.subscribe((name, payload) => {
    if (!win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, name, payload)
  })
  return () => {
    unsubscribe()
    for (const channel of channels) ipcMain.removeHandler(channel)
  }
}
