import { randomUUID } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import zlib from 'node:zlib'
import { ADMIN_PREFIX, handleAdmin } from './admin'
import type { Engine, Service } from './engine'
import { type EncodedBody, encodeBody } from './response-body'
import { DynamoError, type DynamoErrorType } from './types'

export interface EngineServerOptions {
  /** 0 (default) picks a free port. */
  port?: number
  /** Loopback only by default. */
  host?: string
  /** When set, requests must be signed with this access key id (read from the Authorization header, not verified). */
  requireAccessKeyId?: string
  /** Answer browsers' CORS preflights and add CORS headers (off by default). */
  cors?: boolean
  /**
   * Refuse (403) any request whose Host header is not 127.0.0.1, localhost or [::1] with this server's port. A page
   * on another site can point its own name at 127.0.0.1 (DNS rebinding) and then talk to the engine as same-origin;
   * its requests still carry that name in Host. Off by default; for a server bound to loopback only.
   */
  loopbackHostOnly?: boolean
}

export interface EngineServer {
  endpoint: string
  port: number
  close(): Promise<void>
}

/** DynamoDB rejects request bodies above 16 MB. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html */
export const MAX_BODY_BYTES = 16 * 1024 * 1024

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

const TARGET = /^(DynamoDB_20120810|DynamoDBStreams_20120810)\.([A-Za-z]+)$/

/**
 * Error namespaces as DynamoDB Local 3.3.1 answers them (checked against it): validation errors come from the
 * coral validator, serialization and unknown-operation errors from the coral service, the rest from DynamoDB's
 * own namespace (the Streams service included).
 */
function errorType(type: DynamoErrorType): string {
  switch (type) {
    case 'ValidationException':
      return 'com.amazon.coral.validate#ValidationException'
    case 'SerializationException':
      return 'com.amazon.coral.service#SerializationException'
    default:
      return `com.amazonaws.dynamodb.v20120810#${type}`
  }
}

/** Whether a Host header names this loopback server: a rebinding page's requests carry its own name instead. */
export function isLoopbackHost(hostHeader: string | undefined, port: number): boolean {
  const host = (hostHeader ?? '').toLowerCase()
  const names = ['127.0.0.1', 'localhost', '[::1]']
  return names.some((name) => host === `${name}:${port}` || (port === 80 && host === name))
}

function accessKeyId(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined
  const m = /Credential=([^/,\s]+)\//.exec(authorization)
  return m?.[1]
}

/**
 * The HTTP door: DynamoDB's JSON 1.0 protocol (what the AWS SDKs, boto3 and the AWS CLI speak), on loopback.
 * Signatures are accepted without verification. Any failure inside an operation becomes a 500
 * InternalServerError answer; the server keeps serving.
 */
export async function startEngineServer(
  engine: Engine,
  options: EngineServerOptions = {},
): Promise<EngineServer> {
  const host = options.host ?? '127.0.0.1'
  const server = http.createServer((req, res) => {
    const requestId = randomUUID()
    const send = (status: number, payload: unknown) => {
      let body: EncodedBody
      try {
        body = encodeBody(payload)
      } catch {
        status = 500
        body = encodeBody({ __type: errorType('InternalServerError'), message: 'Internal server error' })
      }
      const buf = body.bytes
      // The buffer may be reused once written; an aborted answer leaves it to the garbage collector instead.
      res.once('finish', body.release)
      const headers: Record<string, string | number> = {
        'Content-Type': 'application/x-amz-json-1.0',
        'Content-Length': buf.length,
        'x-amzn-RequestId': requestId,
      }
      // boto3 checks this header when present; zlib.crc32 needs Node 20.15+ (older runtimes just go without).
      if (typeof zlib.crc32 === 'function') headers['x-amz-crc32'] = zlib.crc32(buf) >>> 0
      if (options.cors) Object.assign(headers, corsHeaders(req))
      res.writeHead(status, headers)
      res.end(buf)
    }
    const fail = (err: DynamoError) => {
      const payload: Record<string, unknown> = {
        __type: errorType(err.type),
        message: err.message,
        ...err.extra,
      }
      send(err.statusCode, payload)
    }

    const afterDurable = (answer: () => void) => {
      const pending = engine.settled()
      if (pending === undefined) answer()
      else
        pending.then(answer, (err: unknown) =>
          fail(
            err instanceof DynamoError
              ? err
              : new DynamoError('InternalServerError', 'Internal server error'),
          ),
        )
    }

    const failed = (err: unknown) => {
      if (err instanceof DynamoError) afterDurable(() => fail(err))
      else {
        // An engine bug: answer like DynamoDB's internal error and keep serving.
        afterDurable(() => fail(new DynamoError('InternalServerError', 'Internal server error')))
        if (process.env.TABLEWRIGHT_ENGINE_DEBUG) console.error(err)
      }
    }

    if (
      options.loopbackHostOnly &&
      !isLoopbackHost(req.headers.host, (server.address() as AddressInfo).port)
    ) {
      send(403, {
        __type: 'com.amazonaws.dynamodb.v20120810#AccessDeniedException',
        message: `Host "${req.headers.host ?? ''}" is not a loopback name: this endpoint only answers requests addressed to 127.0.0.1, localhost or [::1] (a guard against DNS rebinding).`,
      })
      return
    }

    if (options.cors && req.method === 'OPTIONS') {
      res.writeHead(200, { ...corsHeaders(req), 'Content-Length': 0 })
      res.end()
      return
    }

    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        tooLarge = true
        chunks.length = 0
        return
      }
      chunks.push(chunk)
    })
    req.on('error', () => res.destroy())
    req.on('end', () => {
      try {
        if (req.url?.startsWith(ADMIN_PREFIX)) {
          if (
            options.requireAccessKeyId !== undefined &&
            accessKeyId(req.headers.authorization) !== options.requireAccessKeyId
          ) {
            fail(
              new DynamoError(
                'UnrecognizedClientException',
                'The security token included in the request is invalid.',
              ),
            )
            return
          }
          const admin = () => {
            const answer = handleAdmin(
              engine,
              req.method,
              req.url ?? '',
              req.headers.origin,
              tooLarge ? '' : Buffer.concat(chunks).toString('utf8'),
            )
            send(answer.status, answer.body)
          }
          if (!engine.loading) admin()
          // Moving the clock sweeps expired items: that waits until every table is loaded.
          else
            engine
              .loaded()
              .then(admin, (err: unknown) =>
                fail(
                  err instanceof DynamoError
                    ? err
                    : new DynamoError('InternalServerError', 'Internal server error'),
                ),
              )
          return
        }
        if (req.method !== 'POST') {
          // Real DynamoDB answers a GET of its endpoint with this text, which health checks look for (recorded
          // against AWS by dynalite's test/connection.js; DynamoDB Local 3.3.1 answers 400 MissingAuthenticationToken).
          if (req.method === 'GET' && (req.url === '/' || req.url === '')) {
            const text = Buffer.from(`healthy: dynamodb.${engine.region}.amazonaws.com `, 'utf8')
            res.writeHead(200, {
              'Content-Type': 'text/plain',
              'Content-Length': text.length,
              'x-amzn-RequestId': requestId,
            })
            res.end(text)
            return
          }
          fail(new DynamoError('UnknownOperationException', 'An unknown operation was requested.'))
          return
        }
        if (options.requireAccessKeyId !== undefined) {
          const id = accessKeyId(req.headers.authorization)
          if (id === undefined) {
            fail(
              new DynamoError(
                'MissingAuthenticationTokenException',
                'Request is missing Authentication Token',
              ),
            )
            return
          }
          if (id !== options.requireAccessKeyId) {
            fail(
              new DynamoError(
                'UnrecognizedClientException',
                'The security token included in the request is invalid.',
              ),
            )
            return
          }
        }
        const target = TARGET.exec(String(req.headers['x-amz-target'] ?? ''))
        if (!target) {
          fail(new DynamoError('UnknownOperationException', 'An unknown operation was requested.'))
          return
        }
        if (tooLarge) {
          // 413 Payload Too Large, keeping DynamoDB's error shape so SDKs still read a ValidationException.
          const err = new DynamoError(
            'ValidationException',
            `Request size ${size} exceeded ${MAX_BODY_BYTES} bytes`,
          )
          send(413, { __type: errorType(err.type), message: err.message })
          return
        }
        let text: string
        try {
          // Invalid UTF-8 is refused rather than read as U+FFFD, which would make two different keys one.
          text = UTF8.decode(Buffer.concat(chunks))
        } catch {
          fail(new DynamoError('SerializationException', 'The request body is not valid UTF-8'))
          return
        }
        let body: unknown
        try {
          body = text.trim() === '' ? {} : JSON.parse(text)
        } catch {
          fail(
            new DynamoError('SerializationException', 'Start of structure or map found where not expected.'),
          )
          return
        }
        const service: Service = target[1] === 'DynamoDB_20120810' ? 'DynamoDB' : 'DynamoDBStreams'
        const operation = target[2] as string
        const run = () => {
          try {
            const answer = engine.handle(operation, body, service)
            // A durable engine answers only once what the answer saw is on disk (stored items are never
            // changed in place, so the answer can wait).
            afterDurable(() => send(200, answer))
          } catch (err) {
            failed(err)
          }
        }
        // The operation's code is loaded on its first use (operations.ts), and while a data directory loads in
        // the background a request for tables not yet in waits for them.
        const loading = engine.prepare(operation, service)
        const ready = engine.whenReady(operation, body)
        if (loading || ready) Promise.all([loading, ready]).then(run, failed)
        else run()
      } catch (err) {
        failed(err)
      }
    })
  })
  server.keepAliveTimeout = 5_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  return {
    endpoint,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()))
        server.closeAllConnections()
      }),
  }
}

function corsHeaders(req: http.IncomingMessage): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': req.headers.origin ?? '*',
    'Access-Control-Allow-Methods': 'POST, GET, OPTIONS',
    'Access-Control-Allow-Headers':
      req.headers['access-control-request-headers'] ??
      'content-type, x-amz-target, authorization, x-amz-date, x-amz-security-token, x-amz-user-agent',
    'Access-Control-Expose-Headers': 'x-amzn-RequestId, x-amz-crc32',
    'Access-Control-Max-Age': '86400',
  }
}
