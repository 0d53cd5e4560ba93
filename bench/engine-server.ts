/**
 * A DynamoDB-compatible server in its own process, so the benchmark can read its resident memory without the
 * benchmark itself (and the other servers) in the number. `node engine-server.mjs ours|dynalite`, started with
 * fork(): it sends { endpoint } when listening and answers { cmd: 'memory' } with its memory after a full GC.
 */
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { createEngine, startEngineServer } from '../electron/engine'

type Message = { cmd: 'memory' } | { cmd: 'exit' }

async function start(kind: string): Promise<string> {
  if (kind === 'ours') {
    const server = await startEngineServer(createEngine(), { port: 0 })
    return server.endpoint
  }
  if (kind === 'dynalite') {
    const require = createRequire(import.meta.url)
    const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server
    // Tables become ACTIVE at once, as in ours and DynamoDB Local.
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  }
  throw new Error(`unknown server kind ${kind}`)
}

const endpoint = await start(process.argv[2] ?? 'ours')
process.send?.({ endpoint })
process.on('message', (m: Message) => {
  if (m.cmd === 'exit') process.exit(0)
  if (m.cmd === 'memory') {
    const gc = (globalThis as { gc?: () => void }).gc
    gc?.()
    gc?.()
    process.send?.({ memory: process.memoryUsage() })
  }
})
process.on('disconnect', () => process.exit(0))
