#!/usr/bin/env node
// The CLI ships inside the electron-vite build (out/main/cli.js); this launcher only finds it. Two paths skip the full
// CLI, whose modules (AWS SDK, services, zod schemas) take most of its start-up: `--version` reads package.json here,
// and `engine` loads its own small entry (out/main/cli-engine.js) with only the engine in it.
import { existsSync, readFileSync } from 'node:fs'
import module from 'node:module'
import { fileURLToPath } from 'node:url'

// Node 22.1+ keeps V8's compiled code between runs (in the OS temp folder), which spares most of the compile work on
// every later start; on Node 20 the function does not exist and nothing changes.
module.enableCompileCache?.()

const args = process.argv.slice(2)
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  console.log(pkg.version)
  process.exit(0)
}

const entry = args[0] === 'engine' ? 'cli-engine.js' : 'cli.js'
const built = fileURLToPath(new URL(`../out/main/${entry}`, import.meta.url))
if (!existsSync(built)) {
  console.error('tablewright: not built yet. Run `npm run build` in the project folder first.')
  process.exit(1)
}
await import(built)
