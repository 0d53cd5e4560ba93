import { app, BrowserWindow, dialog } from 'electron'
import { fileURLToPath, pathToFileURL } from 'node:url'
import pkg from '../../package.json'
import { Workbench } from '../services/workbench'
import { registerIpc } from './ipc'
import { createSecureWindow } from './window'

const preload = fileURLToPath(new URL('../preload/index.cjs', import.meta.url))
// Drawn in renderer/public/icon.svg (the browser tab's favicon); Electron needs the PNG that scripts/render-icon.mjs
// makes from it.
const icon = fileURLToPath(new URL('../renderer/icon.png', import.meta.url))
const appUrl =
  process.env.ELECTRON_RENDERER_URL ??
  pathToFileURL(fileURLToPath(new URL('../renderer/index.html', import.meta.url))).toString()

app.enableSandbox()

let workbench: Workbench | undefined

/** `--model FILE|NAME` on the command line (`npm start -- --model FILE`), opened before the window loads. */
function modelArgument(argv: string[]): string | undefined {
  const i = argv.indexOf('--model')
  if (i >= 0) return argv[i + 1]
  return argv.find((a) => a.startsWith('--model='))?.slice('--model='.length)
}

async function pickModelFile(): Promise<string | undefined> {
  const win = BrowserWindow.getFocusedWindow()
  const options = {
    title: 'Open a model',
    properties: ['openFile' as const],
    filters: [{ name: 'Model files (Tablewright, NoSQL Workbench, create-table)', extensions: ['json'] }],
  }
  const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options)
  return r.canceled ? undefined : r.filePaths[0]
}

async function openMainWindow() {
  if (!workbench) {
    workbench = new Workbench({ version: pkg.version, host: 'desktop', pickModelFile })
    const ref = modelArgument(process.argv)
    if (ref) {
      // The window still opens on the default sample; the reason shows on the terminal that passed --model.
      await workbench.openModels.openRef(ref).catch((err: unknown) => {
        console.error(
          `Tablewright: cannot open model ${ref}: ${err instanceof Error ? err.message : String(err)}`,
        )
      })
    }
  }
  if (process.platform === 'darwin') app.dock?.setIcon(icon)
  const win = createSecureWindow({ preload, url: appUrl, icon })
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
