import { BrowserWindow, shell, type WebContents } from 'electron'
import path from 'node:path'

/** The only way external links leave the app: https URLs, opened in the system browser. */
export function openExternal(url: string): void {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return
  }
  if (parsed.protocol === 'https:') void shell.openExternal(parsed.toString())
}

function isAppUrl(url: string, appUrl: string): boolean {
  try {
    const target = new URL(url)
    const app = new URL(appUrl)
    return target.protocol === app.protocol && target.host === app.host && target.pathname === app.pathname
  } catch {
    return false
  }
}

function guardNavigation(contents: WebContents, appUrl: string): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appUrl)) {
      event.preventDefault()
      openExternal(url)
    }
  })
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, appUrl)) event.preventDefault()
  })
  contents.setWindowOpenHandler(({ url }) => {
    openExternal(url)
    return { action: 'deny' }
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

/** The one window factory: every window is isolated, sandboxed and guarded. */
export function createSecureWindow(options: {
  preload: string
  url: string
  title?: string
  /** A PNG: the window and taskbar icon on Linux and Windows (macOS takes the dock's). */
  icon?: string
}): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: options.title ?? 'Tablewright',
    show: false,
    backgroundColor: '#0f172a',
    ...(options.icon ? { icon: options.icon } : {}),
    webPreferences: {
      preload: path.resolve(options.preload),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  })
  guardNavigation(win.webContents, options.url)
  win.once('ready-to-show', () => win.show())
  void win.loadURL(options.url)
  return win
}
