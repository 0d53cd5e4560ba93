/**
 * A DynamoDB-compatible server in its own process, so the benchmark can read its resident memory without the
 * benchmark itself (and the other servers) in the number. `node engine-server.mjs ours|dynalite|canned`, started with
 * fork(): it sends { endpoint } when listening and answers { cmd: 'memory' } with its memory after a full GC.
 */
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import http, { type Server } from 'node:http'
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
  if (kind === 'canned') {
    // Answers every request at once with a fixed body: what the client side alone costs (SDK, signing, HTTP).
    const items = Array.from({ length: 20 }, (_, i) => ({ pk: { S: 'GROUP#000' }, sk: { S: `MSG#${i}` }, author: { S: 'user-1' }, body: { S: 'x'.repeat(110) }, sentAt: { N: '1700000000000' }, kind: { S: 'text' } }))
    const answers: Record<string, string> = {
      BatchWriteItem: JSON.stringify({ UnprocessedItems: {} }),
      Query: JSON.stringify({ Items: items, Count: 20, ScannedCount: 20, LastEvaluatedKey: { pk: { S: 'GROUP#000' }, sk: { S: 'MSG#19' } } }),
    }
    const server = http.createServer((req, res) => {
      req.resume()
      req.on('end', () => {
        const op = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? ''
        const body = answers[op] ?? '{}'
        res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.0', 'Content-Length': Buffer.byteLength(body) })
        res.end(body)
      })
    })
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
