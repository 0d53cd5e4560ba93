import http from 'node:http'
import { expect, test } from './support/fixtures'

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

  test('answers unknown channels and malformed input with coded errors, and keeps serving', async ({ host, request }) => {
    const headers = { 'x-tablewright-token': host.token! }
    const unknown = await request.post(`${host.origin}/api/tables:explode`, { data: {}, headers })
    expect(unknown.status()).toBe(404)
    expect(await unknown.json()).toMatchObject({ ok: false, code: 'channel.unknown' })

    const badInput = await request.post(`${host.origin}/api/tables:list`, { data: { connectionId: 42 }, headers })
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
          headers: { 'x-tablewright-token': host.token!, host: 'evil.example', 'content-type': 'application/json' },
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
})
