import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http'
import { api, createPkSkTable } from './support/api'
import type { RunningHost } from './support/fixtures'
import { expect, test } from './support/fixtures'

interface Answer {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

async function readAnswer(res: IncomingMessage): Promise<Answer> {
  const chunks: Buffer[] = []
  for await (const chunk of res) chunks.push(chunk as Buffer)
  return { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }
}

/** A raw request: node:http sends paths, cookies and bodies exactly as given, which a browser or fetch() would not. */
function raw(
  host: RunningHost,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  const origin = new URL(host.origin!)
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request(
      {
        host: origin.hostname,
        port: Number(origin.port),
        path,
        method: options.method ?? 'GET',
        headers: options.headers,
      },
      (res) => readAnswer(res).then(resolve, reject),
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

/** Trades the printed URL's token for the app path and its cookie, as a browser does on first load. */
async function enterApp(host: RunningHost): Promise<{ appPath: string; cookie: string }> {
  const entry = await raw(host, `/?token=${host.token!}`)
  expect(entry.status).toBe(303)
  const cookie = (entry.headers['set-cookie'] ?? [])[0]!.split(';')[0]!
  return { appPath: entry.headers.location!, cookie }
}

test.describe('browser host API', () => {
  test('refuses requests without the per-launch token', async ({ host, request }) => {
    const noToken = await request.post(`${host.origin}/api/app:info`, { data: {} })
    expect(noToken.status()).toBe(401)
    expect(await noToken.json()).toMatchObject({ ok: false, code: 'auth.required' })

    const wrongToken = await request.post(`${host.origin}/api/app:info`, {
      data: {},
      headers: { 'x-tablewright-token': 'not-the-token' },
    })
    expect(wrongToken.status()).toBe(401)

    const page = await request.get(`${host.origin}/`)
    expect(page.status()).toBe(401)
    expect(page.headers()['access-control-allow-origin']).toBeUndefined()
  })

  test('answers unknown channels and malformed input with coded errors, and keeps serving', async ({
    host,
    request,
  }) => {
    const headers = { 'x-tablewright-token': host.token! }
    const unknown = await request.post(`${host.origin}/api/tables:explode`, { data: {}, headers })
    expect(unknown.status()).toBe(404)
    expect(await unknown.json()).toMatchObject({ ok: false, code: 'channel.unknown' })

    const badInput = await request.post(`${host.origin}/api/tables:list`, {
      data: { connectionId: 42 },
      headers,
    })
    expect(badInput.status()).toBe(400)
    const badBody = (await badInput.json()) as { code: string; message: string }
    expect(badBody.code).toBe('input.invalid')
    expect(badBody.message).toContain('connectionId')

    const badJson = await request.post(`${host.origin}/api/tables:list`, {
      data: '{"connectionId": ',
      headers: { ...headers, 'content-type': 'application/json' },
    })
    expect(badJson.status()).toBe(400)
    expect(await badJson.json()).toMatchObject({ ok: false, code: 'input.invalid' })

    const info = await request.post(`${host.origin}/api/app:info`, { data: {}, headers })
    expect(info.status()).toBe(200)
    expect(await info.json()).toMatchObject({ ok: true, value: { name: 'Tablewright', host: 'browser' } })
  })

  test('rejects a request whose Host header names another site (DNS rebinding)', async ({ host }) => {
    // fetch() may not set Host, so use node:http directly, as a rebinding page's browser would send it.
    const origin = new URL(host.origin!)
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: origin.hostname,
          port: Number(origin.port),
          path: '/api/app:info',
          method: 'POST',
          headers: {
            'x-tablewright-token': host.token!,
            host: 'evil.example',
            'content-type': 'application/json',
          },
        },
        (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        },
      )
      req.on('error', reject)
      req.end('{}')
    })
    expect(status).toBe(403)
  })

  test('answers malformed %-encoding in the channel name, the path or the cookie with 400, not 500', async ({
    host,
  }) => {
    const channel = await raw(host, '/api/tables%E0%A4%A', {
      method: 'POST',
      headers: { 'x-tablewright-token': host.token!, 'content-type': 'application/json' },
      body: '{}',
    })
    expect(channel.status).toBe(400)
    expect(JSON.parse(channel.body)).toMatchObject({ ok: false, code: 'input.invalid' })

    const { appPath, cookie } = await enterApp(host)
    expect(appPath).toMatch(/^\/app\/[0-9a-f]{32}\/$/)
    expect(cookie.startsWith('tablewright_token=')).toBe(true)
    const index = await raw(host, appPath, { headers: { cookie } })
    expect(index.status).toBe(200)
    expect(index.body).toContain(host.token!)

    const path = await raw(host, `${appPath}assets/%E0%A4%A.js`, { headers: { cookie } })
    expect(path.status).toBe(400)
    expect(JSON.parse(path.body)).toMatchObject({ ok: false, code: 'input.invalid' })

    const badCookie = await raw(host, appPath, { headers: { cookie: 'tablewright_token=%E0%A4%A' } })
    expect(badCookie.status).toBe(400)
    expect(JSON.parse(badCookie.body)).toMatchObject({ ok: false, code: 'input.invalid' })

    // The app path alone, without the cookie, opens nothing.
    expect((await raw(host, appPath)).status).toBe(401)
  })

  test('answers input nested 1,000 levels deep with 400 and keeps serving', async ({ host }) => {
    let value = '{"S":"leaf"}'
    for (let i = 0; i < 1000; i++) value = `{"M":{"a":${value}}}`
    const headers = { 'x-tablewright-token': host.token!, 'content-type': 'application/json' }
    const deep = await raw(host, '/api/items:put', {
      method: 'POST',
      headers,
      body: `{"connectionId":"embedded","tableName":"deep-table","item":{"pk":{"S":"p"},"deep":${value}}}`,
    })
    expect(deep.status).toBe(400)
    expect(JSON.parse(deep.body)).toMatchObject({ ok: false, code: 'input.invalid' })
    expect((await raw(host, '/api/app:info', { method: 'POST', headers, body: '{}' })).status).toBe(200)
  })

  test('answers a declared body over 10 MB with 413 before reading it', async ({ host }) => {
    const origin = new URL(host.origin!)
    // Only 1 KB of the declared 11 MB is ever sent: the answer can only come if the host does not wait for the rest.
    const answer = await new Promise<Answer>((resolve, reject) => {
      const req = http.request({
        host: origin.hostname,
        port: Number(origin.port),
        path: '/api/app:info',
        method: 'POST',
        headers: {
          'x-tablewright-token': host.token!,
          'content-type': 'application/json',
          'content-length': String(11 * 1024 * 1024),
        },
      })
      req.on('response', (res) => {
        readAnswer(res).then((a) => {
          req.destroy()
          resolve(a)
        }, reject)
      })
      req.on('error', reject)
      req.write(Buffer.alloc(1024, 0x20))
    })
    expect(answer.status).toBe(413)
    expect(JSON.parse(answer.body)).toMatchObject({ ok: false, code: 'input.invalid' })
  })

  test('answers a chunked body that grows past 10 MB with 413, without resetting the connection', async ({
    host,
  }) => {
    const origin = new URL(host.origin!)
    const chunk = Buffer.alloc(1024 * 1024, 0x20)
    const answer = await new Promise<Answer & { sentMb: number }>((resolve, reject) => {
      let sentMb = 0
      let answered = false
      const req = http.request({
        host: origin.hostname,
        port: Number(origin.port),
        path: '/api/app:info',
        method: 'POST',
        headers: {
          'x-tablewright-token': host.token!,
          'content-type': 'application/json',
          'transfer-encoding': 'chunked',
        },
      })
      req.on('response', (res) => {
        answered = true
        readAnswer(res).then((a) => resolve({ ...a, sentMb }), reject)
        req.end()
      })
      req.on('error', reject)
      const pump = () => {
        while (!answered && sentMb < 64) {
          sentMb++
          if (!req.write(chunk)) return void req.once('drain', pump)
        }
        if (!answered) req.end()
      }
      pump()
    })
    expect(answer.status).toBe(413)
    expect(JSON.parse(answer.body)).toMatchObject({ ok: false, code: 'input.invalid' })
    // The host answered once the body passed the limit, not after reading everything the client had to send.
    expect(answer.sentMb).toBeLessThan(64)
  })
})

test('a large answer goes in ASCII (other characters as JSON escapes) and parses to the stored text', async ({
  host,
  request,
}) => {
  const tableName = await createPkSkTable(request, host, 'ascii')
  const connections = await api<{ id: string; endpoint?: string }[]>(request, host, 'connections:list', {})
  const client = new DynamoDBClient({
    endpoint: connections.find((c) => c.id === 'embedded')!.endpoint!,
    region: 'us-east-1',
    credentials: { accessKeyId: 'e2e', secretAccessKey: 'e2e' },
  })
  // About 150 KB of items, with text outside ASCII (an accent, a dash, an emoji).
  for (let i = 0; i < 1000; i += 25) {
    const batch = Array.from({ length: 25 }, (_, j) => ({
      PutRequest: {
        Item: {
          pk: { S: `P#${(i + j) % 9}` },
          sk: { S: `${String(i + j).padStart(5, '0')}` },
          note: { S: `café — item ${i + j} 😀 ${'x'.repeat(100)}` },
        },
      },
    }))
    await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: batch } }))
  }
  client.destroy()
  // The visualizer's view of it: groups and the first rows, through the same handlers the app calls.
  const snapshot = await api<{ snapshotId: string; done: boolean; loaded: number }>(
    request,
    host,
    'items:load',
    {
      connectionId: 'embedded',
      tableName,
    },
  )
  expect(snapshot).toMatchObject({ done: true, loaded: 1000 })
  const answer = await request.post(`${host.origin}/api/items:view`, {
    data: { snapshotId: snapshot.snapshotId, count: 2000 },
    headers: { 'x-tablewright-token': host.token! },
  })
  const bytes = await answer.body()
  expect(bytes.some((b) => b > 0x7e)).toBe(false)
  const view = JSON.parse(bytes.toString('latin1')) as {
    ok: true
    value: { itemCount: number; groups: unknown[]; rows: { item: { note: { S: string } } }[] }
  }
  expect(view.value).toMatchObject({ itemCount: 1000 })
  expect(view.value.groups).toHaveLength(9)
  expect(view.value.rows).toHaveLength(1000)
  expect(view.value.rows.map((r) => r.item.note.S)).toContain('café — item 7 😀 ' + 'x'.repeat(100))
  await api(request, host, 'tables:drop', { connectionId: 'embedded', tableName, confirm: tableName })
})
