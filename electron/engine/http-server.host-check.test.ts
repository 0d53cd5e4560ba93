import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine } from '.'
import { isLoopbackHost, startEngineServer, type EngineServer } from './http-server'

/** ListTables with the Host header given, sent raw: a browser under DNS rebinding sends its page's name there. */
function listTables(server: EngineServer, host: string | undefined) {
  return new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    const headers: Record<string, string> = {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'DynamoDB_20120810.ListTables',
    }
    if (host !== undefined) headers.host = host
    const req = http.request(
      { host: '127.0.0.1', port: server.port, path: '/', method: 'POST', headers },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
          }),
        )
      },
    )
    req.on('error', reject)
    req.end('{}')
  })
}

describe('the engine endpoint with loopbackHostOnly', () => {
  let guarded: EngineServer
  let open: EngineServer
  beforeAll(async () => {
    guarded = await startEngineServer(createEngine(), { port: 0, loopbackHostOnly: true })
    open = await startEngineServer(createEngine(), { port: 0 })
  })
  afterAll(async () => {
    await guarded.close()
    await open.close()
  })

  it('answers requests that name it by a loopback name and its port', async () => {
    for (const host of [
      `127.0.0.1:${guarded.port}`,
      `localhost:${guarded.port}`,
      `[::1]:${guarded.port}`,
      `LOCALHOST:${guarded.port}`,
    ]) {
      const answer = await listTables(guarded, host)
      expect(answer.status, host).toBe(200)
      expect(answer.body).toEqual({ TableNames: [] })
    }
  })

  it('refuses any other Host (a DNS-rebinding page) with 403 AccessDeniedException, and keeps serving', async () => {
    for (const host of [
      `evil.example:${guarded.port}`,
      'evil.example',
      '127.0.0.1',
      `127.0.0.1:${guarded.port + 1}`,
      `localhost.evil.example:${guarded.port}`,
    ]) {
      const answer = await listTables(guarded, host)
      expect(answer.status, host).toBe(403)
      expect(answer.body.__type).toBe('com.amazonaws.dynamodb.v20120810#AccessDeniedException')
      expect(String(answer.body.message)).toContain('DNS rebinding')
    }
    expect((await listTables(guarded, `127.0.0.1:${guarded.port}`)).status).toBe(200)
  })

  it('is off unless asked for: an engine started with other options answers any Host', async () => {
    expect((await listTables(open, 'evil.example')).status).toBe(200)
  })
})

describe('isLoopbackHost', () => {
  it('accepts a loopback name without a port only on port 80, where browsers leave it out', () => {
    expect(isLoopbackHost('localhost', 80)).toBe(true)
    expect(isLoopbackHost('localhost', 8000)).toBe(false)
    expect(isLoopbackHost(undefined, 8000)).toBe(false)
  })
})
