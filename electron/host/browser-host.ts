import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs'
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import path from 'node:path'
import { dispatch } from '../../shared/contract/dispatch'
import { fail, type Result } from '../../shared/contract/errors'
import { CONTENT_SECURITY_POLICY, TOKEN_HEADER, TOKEN_META } from '../../shared/contract/security'
import type { Workbench } from '../services/workbench'

export interface BrowserHostOptions {
  workbench: Workbench
  /** The built renderer (out/renderer). */
  rendererDir: string
  port?: number
  host?: string
  token?: string
  log?: (line: string) => void
}

export interface BrowserHost {
  url: string
  origin: string
  port: number
  token: string
  close(): Promise<void>
}

const MAX_BODY = 10 * 1024 * 1024
const COOKIE = 'tablewright_token'

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
}

const STATUS_FOR: Partial<Record<string, number>> = {
  'channel.unknown': 404,
  'input.invalid': 400,
  'auth.required': 401,
  internal: 500,
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

function cookieToken(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie
  if (!header) return undefined
  for (const part of header.split(';')) {
    const [k, v] = part.trim().split('=')
    if (k === COOKIE && v) return decodeURIComponent(v)
  }
  return undefined
}

function securityHeaders(res: ServerResponse) {
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Referrer-Policy', 'no-referrer')
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin')
  res.setHeader('Cache-Control', 'no-store')
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) })
  res.end(text)
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY) {
        reject(Object.assign(new Error('Request body is larger than 10 MB.'), { tooLarge: true }))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/**
 * The browser host: the built renderer and the same contract as the desktop app's IPC, over HTTP + SSE on loopback.
 * Every request needs the per-launch token (URL on first load, then an HttpOnly cookie for assets and the
 * x-tablewright-token header for the API). No CORS headers are ever sent, and the Host header must name this server,
 * which stops DNS-rebinding pages from reaching it.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const { workbench, rendererDir } = options
  const bindHost = options.host ?? '127.0.0.1'
  const token = options.token ?? randomBytes(24).toString('hex')
  const log = options.log ?? (() => undefined)
  const indexPath = path.join(rendererDir, 'index.html')
  const root = path.resolve(rendererDir)
  let allowedHosts = new Set<string>()
  const sseClients = new Set<ServerResponse>()

  const unsubscribe = workbench.bus.subscribe((name, payload) => {
    const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`
    for (const client of sseClients) client.write(frame)
  })

  const authorized = (req: IncomingMessage, url: URL, viaHeader: boolean): boolean => {
    const presented = viaHeader
      ? req.headers[TOKEN_HEADER]
      : (url.searchParams.get('token') ?? cookieToken(req) ?? undefined)
    return typeof presented === 'string' && sameSecret(presented, token)
  }

  const serveIndex = (res: ServerResponse) => {
    if (!existsSync(indexPath)) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' })
      res.end('The renderer is not built yet: run `npm run build`.')
      return
    }
    const html = readFileSync(indexPath, 'utf8').replace(
      '</head>',
      `<meta name="${TOKEN_META}" content="${token}"></head>`,
    )
    res.setHeader('Set-Cookie', `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`)
    res.writeHead(200, { 'Content-Type': MIME['.html']! })
    res.end(html)
  }

  const serveStatic = (res: ServerResponse, pathname: string) => {
    const file = path.resolve(root, '.' + decodeURIComponent(pathname))
    if (!file.startsWith(root + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      sendJson(res, 404, fail('input.invalid', `Not found: ${pathname}`))
      return
    }
    res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream' })
    createReadStream(file).pipe(res)
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    securityHeaders(res)
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    if (!allowedHosts.has(req.headers.host ?? '')) {
      sendJson(res, 403, fail('auth.required', 'Unexpected Host header.'))
      return
    }
    const url = new URL(req.url ?? '/', 'http://localhost')
    const isApi = url.pathname.startsWith('/api/')

    if (isApi && url.pathname === '/api/events' && req.method === 'GET') {
      if (!authorized(req, url, false)) return sendJson(res, 401, fail('auth.required', 'Missing or wrong token.'))
      res.writeHead(200, { 'Content-Type': 'text/event-stream', Connection: 'keep-alive' })
      res.write(': connected\n\n')
      sseClients.add(res)
      const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000)
      req.on('close', () => {
        clearInterval(keepAlive)
        sseClients.delete(res)
      })
      return
    }

    if (isApi) {
      if (!authorized(req, url, true)) return sendJson(res, 401, fail('auth.required', 'Missing or wrong token.'))
      if (req.method !== 'POST') return sendJson(res, 405, fail('input.invalid', 'Use POST for API calls.'))
      const channel = decodeURIComponent(url.pathname.slice('/api/'.length))
      let body: string
      try {
        body = await readBody(req)
      } catch (err) {
        const tooLarge = (err as { tooLarge?: boolean }).tooLarge
        return sendJson(res, tooLarge ? 413 : 400, fail('input.invalid', (err as Error).message))
      }
      let input: unknown
      try {
        input = body.trim() === '' ? {} : JSON.parse(body)
      } catch {
        return sendJson(res, 400, fail('input.invalid', 'The request body is not valid JSON.'))
      }
      const result: Result<unknown> = await dispatch(workbench.handlers, channel, input, (err) =>
        log(`unexpected error in ${channel}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
      )
      return sendJson(res, result.ok ? 200 : (STATUS_FOR[result.code] ?? 200), result)
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendJson(res, 405, fail('input.invalid', 'Method not allowed.'))
    }
    if (!authorized(req, url, false)) {
      res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' })
      res.end('Tablewright: open the URL printed in the terminal (it carries the access token).')
      return
    }
    if (url.pathname === '/' || url.pathname === '/index.html') return serveIndex(res)
    return serveStatic(res, url.pathname)
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`browser host error: ${err instanceof Error ? err.message : String(err)}`)
      if (!res.headersSent) sendJson(res, 500, fail('internal', 'Internal error.'))
      else res.end()
    })
  })
  server.headersTimeout = 30_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, bindHost, () => resolve())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const shownHost = bindHost === '0.0.0.0' || bindHost === '::' ? '127.0.0.1' : bindHost
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `${shownHost}:${port}`, `[::1]:${port}`])
  const origin = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe()
        for (const client of sseClients) client.end()
        sseClients.clear()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
