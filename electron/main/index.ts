import { app, BrowserWindow } from 'electron'
import { fileURLToPath, pathToFileURL } from 'node:url'
import pkg from '../../package.json'
import { Workbench } from '../services/workbench'
import { registerIpc } from './ipc'
import { createSecureWindow } from './window'

const preload = fileURLToPath(new URL('../preload/index.cjs', import.meta.url))
const appUrl = process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(fileURLToPath(new URL('../renderer/index.html', import.meta.url))).toString()

app.enableSandbox()

let workbench: Workbench | undefined

async function openMainWindow() {
  workbench ??= new Workbench({ version: pkg.version, host: 'desktop' })
  const win = createSecureWindow({ preload, url: appUrl })
  const unregister = registerIpc(workbench, win, appUrl)
  win.on('closed', unregister)
}

app.whenReady().then(openMainWindow, (err: unknown) => {
  console.error('Tablewright failed to start:', err)
  app.exit(1)
})

app.on('activate', () => {
  if (BrowserWindow.getAllWindows().length === 0) void openMainWindow()
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})

app.on('will-quit', () => {
  void workbench?.dispose()
})
