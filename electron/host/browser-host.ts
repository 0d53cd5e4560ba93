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
/** Where the app and its assets live: `/app/<secret>/`. The token cookie is scoped to this path (see serveEntry). */
const APP_ROOT = '/app/'

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

/** A request the host answers with a 400 (or `status`) and a coded input.invalid, without reaching a handler. */
class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message)
  }
}

/** decodeURIComponent, with malformed %-encoding answered as the client's mistake (400) rather than a crash (500). */
function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    throw new BadRequest(`Malformed %-encoding in the ${what}.`)
  }
}

/** Every value of our cookie: a browser may hold several with the same name under different paths. */
function cookieTokens(req: IncomingMessage): string[] {
  const header = req.headers.cookie
  if (!header) return []
  const values: string[] = []
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0 || part.slice(0, eq).trim() !== COOKIE) continue
    const value = part.slice(eq + 1).trim()
    if (value) values.push(decode(value, 'token cookie'))
  }
  return values
}

function securityHeaders(res: ServerResponse) {
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Referrer-Policy', 'no-referrer')
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin')
  res.setHeader('Cache-Control', 'no-store')
}

const NON_ASCII = /[\u0080-\uffff]/g
const escapeChar = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`

function sendJson(res: ServerResponse, status: number, body: unknown) {
  // Encoded once here: ending a response with a string of megabytes (a view's outline) cost about twice the CPU time of
  // ending it with its bytes, measured on Node 20. Characters outside ASCII are sent as JSON escapes, so the page
  // decodes and parses one-byte text (a single dash in 100k items made the whole answer two-byte text).
  const bytes = Buffer.from(JSON.stringify(body).replace(NON_ASCII, escapeChar), 'latin1')
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': bytes.length,
  })
  res.end(bytes)
}

const TOO_LARGE = `The request body is larger than ${MAX_BODY / (1024 * 1024)} MB.`

/**
 * The body, up to MAX_BODY bytes. A declared Content-Length over the limit is refused before a byte is read; a
 * chunked body is refused as soon as it passes the limit. Either way the caller answers 413 at once while the rest of
 * the body is read and dropped (not destroyed: a reset connection would lose the answer).
 */
function readBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > MAX_BODY) return Promise.reject(new BadRequest(TOO_LARGE, 413))
  return new Promise((resolve, reject) => {
    let size = 0
    let refused = false
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => {
      if (refused) return
      size += chunk.length
      if (size > MAX_BODY) {
        refused = true
        chunks.length = 0
        reject(new BadRequest(TOO_LARGE, 413))
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
 * Every request needs the per-launch token: in the printed URL on first load, then in an HttpOnly cookie for the app
 * and its assets, and in the x-tablewright-token header for the API. No CORS headers are ever sent, and the Host
 * header must name this server, which stops DNS-rebinding pages from reaching it.
 *
 * Browsers send a cookie to every port of a host, so a cookie on `Path=/` would reach any other server on 127.0.0.1
 * the user visits (and a second host would overwrite it). The app therefore lives under `/app/<secret>/` and the
 * cookie's Path is that prefix: another server only gets it by asking for a path it cannot know, and two hosts keep
 * two cookies side by side.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const { workbench, rendererDir } = options
  const bindHost = options.host ?? '127.0.0.1'
  const token = options.token ?? randomBytes(24).toString('hex')
  const appPath = `${APP_ROOT}${randomBytes(16).toString('hex')}/`
  const log = options.log ?? (() => undefined)
  const indexPath = path.join(rendererDir, 'index.html')
  const root = path.resolve(rendererDir)
  let allowedHosts = new Set<string>()
  const sseClients = new Set<ServerResponse>()

  const unsubscribe = workbench.bus.subscribe((name, payload) => {
    const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`
    for (const client of sseClients) client.write(frame)
  })

  const authorized = (req: IncomingMessage, url: URL, via: 'header' | 'query' | 'cookie'): boolean => {
    const presented =
      via === 'header'
        ? [req.headers[TOKEN_HEADER]]
        : via === 'query'
          ? [url.searchParams.get('token')]
          : cookieTokens(req)
    return presented.some((p) => typeof p === 'string' && sameSecret(p, token))
  }

  /** The printed URL: trade its token for the cookie, scoped to the app's secret path, and go there. */
  const serveEntry = (res: ServerResponse) => {
    res.setHeader('Set-Cookie', `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=${appPath}`)
    res.writeHead(303, { Location: appPath, 'Content-Length': 0 })
    res.end()
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
    res.writeHead(200, { 'Content-Type': MIME['.html']! })
    res.end(html)
  }

  const serveStatic = (res: ServerResponse, pathname: string) => {
    const file = path.resolve(root, '.' + decode(pathname, 'path'))
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
    let url: URL
    try {
      url = new URL(req.url ?? '/', 'http://localhost')
    } catch {
      throw new BadRequest('Malformed request target.')
    }
    const isApi = url.pathname.startsWith('/api/')

    if (isApi && url.pathname === '/api/events' && req.method === 'GET') {
      if (!authorized(req, url, 'query'))
        return sendJson(res, 401, fail('auth.required', 'Missing or wrong token.'))
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
      if (!authorized(req, url, 'header'))
        return sendJson(res, 401, fail('auth.required', 'Missing or wrong token.'))
      if (req.method !== 'POST') return sendJson(res, 405, fail('input.invalid', 'Use POST for API calls.'))
      const channel = decode(url.pathname.slice('/api/'.length), 'channel name')
      const body = await readBody(req)
      let input: unknown
      try {
        input = body.trim() === '' ? {} : JSON.parse(body)
      } catch {
        return sendJson(res, 400, fail('input.invalid', 'The request body is not valid JSON.'))
      }
      const result: Result<unknown> = await dispatch(workbench.handlers, channel, input, (err) =>
        log(
          `unexpected error in ${channel}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
        ),
      )
      return sendJson(res, result.ok ? 200 : (STATUS_FOR[result.code] ?? 200), result)
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendJson(res, 405, fail('input.invalid', 'Method not allowed.'))
    }
    const entry = url.pathname === '/' || url.pathname === '/index.html'
    const inApp = url.pathname.startsWith(appPath)
    if (!(entry && authorized(req, url, 'query')) && !(inApp && authorized(req, url, 'cookie'))) {
      res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' })
      res.end('Tablewright: open the URL printed in the terminal (it carries the access token).')
      return
    }
    if (entry) return serveEntry(res)
    const inside = url.pathname.slice(appPath.length - 1)
    if (inside === '/' || inside === '/index.html') return serveIndex(res)
    return serveStatic(res, inside)
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof BadRequest) {
        if (!res.headersSent) sendJson(res, err.status, fail('input.invalid', err.message))
        else res.end()
        return
      }
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
