/**
 * A DynamoDB-compatible server in its own process, so the benchmark can read its resident memory without the
 * benchmark itself (and the other servers) in the number.
 * `node engine-server.mjs ours|ours-disk|dynalite|dynalite-disk|canned [items hot [data dir]]`,
 * started with fork(): it sends { endpoint } when listening and answers { cmd: 'memory' } with its memory after a
 * full GC.
 */
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import http, { type Server } from 'node:http'
import { createEngine, startEngineServer } from '../electron/engine'
import { itemSizeBytes } from '../electron/engine/values'
import { groupOfFor, message, wireItem } from './engine-data'

type Message = { cmd: 'memory' } | { cmd: 'exit' }

async function start(kind: string): Promise<string> {
  if (kind === 'ours') {
    const server = await startEngineServer(createEngine(), { port: 0 })
    return server.endpoint
  }
  if (kind === 'ours-disk') {
    // The data directory comes after [items hot]. As the CLI and the app do, the server listens at once and the
    // store is read back in the background (a request waits for the tables it names).
    const server = await startEngineServer(
      createEngine({ dataDir: process.argv[5], loadInBackground: true }),
      {
        port: 0,
      },
    )
    return server.endpoint
  }
  if (kind === 'dynalite' || kind === 'dynalite-disk') {
    const require = createRequire(import.meta.url)
    const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server
    // Tables become ACTIVE at once, as in ours and DynamoDB Local. With a path, dynalite keeps them in LevelDB.
    const server = dynalite({
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0,
      path: kind === 'dynalite-disk' ? process.argv[5] : undefined,
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  }
  if (kind === 'canned') {
    // Answers every request at once with a prepared body: what the client side alone costs (SDK, signing, HTTP).
    const items = Array.from({ length: 20 }, (_, i) => ({
      pk: { S: 'GROUP#000' },
      sk: { S: `MSG#${i}` },
      author: { S: 'user-1' },
      body: { S: 'x'.repeat(110) },
      sentAt: { N: '1700000000000' },
      kind: { S: 'text' },
    }))
    const answers: Record<string, Buffer> = {
      BatchWriteItem: Buffer.from(JSON.stringify({ UnprocessedItems: {} })),
      Query: Buffer.from(
        JSON.stringify({
          Items: items,
          Count: 20,
          ScannedCount: 20,
          LastEvaluatedKey: { pk: { S: 'GROUP#000' }, sk: { S: 'MSG#19' } },
        }),
      ),
    }
    const pages = scanPages(Number(process.argv[3] ?? 0), Number(process.argv[4] ?? 0))
    const server = http.createServer((req, res) => {
      const op = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? ''
      const chunks: Buffer[] = []
      // Only a Scan's body is read (its ExclusiveStartKey names the next page); the rest is drained unread.
      req.on('data', (c: Buffer) => op === 'Scan' && chunks.push(c))
      req.on('end', () => {
        let body = answers[op] ?? Buffer.from('{}')
        if (op === 'Scan') {
          const start = (
            JSON.parse(Buffer.concat(chunks).toString()) as { ExclusiveStartKey?: { sk?: { S?: string } } }
          ).ExclusiveStartKey?.sk?.S
          body =
            pages[start === undefined ? 0 : Number(start.slice('PAGE#'.length)) + 1] ??
            Buffer.from('{"Items":[],"Count":0,"ScannedCount":0}')
        }
        res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.0', 'Content-Length': body.length })
        res.end(body)
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  }
  throw new Error(`unknown server kind ${kind}`)
}

/**
 * The benchmark's items as full Scan pages, cut where a server cuts them (at 1 MB of item size, DynamoDB's page
 * limit), each page but the last with a LastEvaluatedKey naming it.
 */
function scanPages(count: number, hot: number): Buffer[] {
  const groupOf = groupOfFor(hot)
  const pages: Buffer[] = []
  let page: Record<string, unknown>[] = []
  let bytes = 0
  const flush = (last: boolean) => {
    const answer: Record<string, unknown> = { Items: page, Count: page.length, ScannedCount: page.length }
    if (!last) answer.LastEvaluatedKey = { pk: { S: 'GROUP#000' }, sk: { S: `PAGE#${pages.length}` } }
    pages.push(Buffer.from(JSON.stringify(answer)))
    page = []
    bytes = 0
  }
  for (let i = 0; i < count; i++) {
    const item = wireItem(message(i, groupOf))
    page.push(item)
    bytes += itemSizeBytes(item as Parameters<typeof itemSizeBytes>[0])
    if (bytes >= 1024 * 1024 && i + 1 < count) flush(false)
  }
  if (count > 0) flush(true)
  return pages
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
