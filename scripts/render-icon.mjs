// `node scripts/render-icon.mjs`: draws renderer/public/icon.svg into renderer/public/icon.png (512 × 512) with
// Chromium. Electron's window icon must be a bitmap (nativeImage reads PNG, not SVG); the browser tab uses the SVG.
// Run it after changing the SVG and commit both files.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const svg = readFileSync(path.join(root, 'renderer', 'public', 'icon.svg'), 'utf8')
const size = 512
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' })
try {
  const page = await browser.newPage({ viewport: { width: size, height: size } })
  await page.setContent(
    `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg style="display:block;width:${size}px;height:${size}px" `)}</body></html>`,
  )
  await page.screenshot({ path: path.join(root, 'renderer', 'public', 'icon.png'), omitBackground: true })
} finally {
  await browser.close()
}
