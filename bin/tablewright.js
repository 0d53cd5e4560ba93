#!/usr/bin/env node
// The CLI ships inside the electron-vite build (out/main/cli.js); this launcher only finds it.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const built = fileURLToPath(new URL('../out/main/cli.js', import.meta.url))
if (!existsSync(built)) {
  console.error('tablewright: not built yet. Run `npm run build` in the project folder first.')
  process.exit(1)
}
await import(built)
