import http, { type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Page } from '@playwright/test'
import { startExtraHost } from './support/extra-host'
import { expect, test } from './support/fixtures'

/** Another web server on 127.0.0.1, as any local dev server would be: it records what the browser sends it. */
async function startThirdServer() {
  const seen: { url: string; headers: IncomingHttpHeaders }[] = []
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers })
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    res.end('<!doctype html><title>third</title><p>another local server</p>')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { origin, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

async function expectConnected(page: Page) {
  const overview = page.getByRole('region', { name: 'Connection overview' })
  await expect(overview.getByLabel('connection status')).toHaveText('connected', { timeout: 60_000 })
}

test('two hosts in one browser both keep working, and another local server never receives either token', async ({
  host,
}) => {
  const extra = await startExtraHost({})
  const third = await startThirdServer()
  const context = await host.browser!.newContext({ viewport: { width: 1400, height: 900 } })
  try {
    const first = await context.newPage()
    await first.goto(host.url!)
    await expectConnected(first)
    const second = await context.newPage()
    await second.goto(extra.url!)
    await expectConnected(second)

    // Reloading sends the cookie again (the token is no longer in the address bar): opening the second host left the
    // first one's cookie alone.
    for (const page of [first, second]) {
      const reloaded = await page.reload()
      expect(reloaded?.status()).toBe(200)
      await expectConnected(page)
    }

    // The user then visits another page on 127.0.0.1 in the same browser, including paths like the hosts' own.
    const visitor = await context.newPage()
    for (const p of ['/', '/app/', '/api/events', '/index.html']) {
      const response = await visitor.goto(`${third.origin}${p}`)
      expect(response?.status()).toBe(200)
    }
    await visitor.evaluate(async () => {
      await fetch('/api/app:info', { method: 'POST', credentials: 'include', body: '{}' })
    })

    expect(third.seen.length).toBeGreaterThanOrEqual(5)
    for (const request of third.seen) {
      expect(request.headers.cookie).toBeUndefined()
      const sent = JSON.stringify(request)
      expect(sent).not.toContain(host.token!)
      expect(sent).not.toContain(extra.token!)
    }
    // Each host's cookie lives under its own path, none on the whole host.
    const paths = (await context.cookies()).map((c) => c.path)
    expect(paths).toHaveLength(2)
    expect(paths).not.toContain('/')
    expect(new Set(paths).size).toBe(2)
  } finally {
    await context.close()
    await third.close()
    await extra.stop()
  }
})
