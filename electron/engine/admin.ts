/**
 * The engine server's admin door: reads and advances the engine clock (clock.ts), for simulations and tests that
 * expire items or tokens deterministically. Not part of DynamoDB's protocol.
 *
 *   GET  /tablewright/clock                       → { now, iso, frozen }
 *   POST /tablewright/clock  {"advance":"1h"}     → { now, iso, frozen, advancedMs, expired }
 *
 * `advance` takes a duration (`90s`, `15m`, `1h`, `2d`, `1h30m`) or a number of milliseconds. Advancing runs the TTL
 * sweeper at once, so the answer counts the items that expired.
 */
import { parseDuration } from './clock'
import type { Engine } from './engine'

export const ADMIN_PREFIX = '/tablewright/'
const CLOCK_PATH = '/tablewright/clock'
/** More than a century in one step is a typo, not a simulation. */
const MAX_ADVANCE_MS = 100 * 365 * 86_400_000

export interface AdminAnswer {
  status: number
  body: Record<string, unknown>
}

const fail = (status: number, code: string, message: string): AdminAnswer => ({
  status,
  body: { code, message },
})

function clockState(engine: Engine): Record<string, unknown> {
  const now = engine.clock.now()
  return { now, iso: new Date(now).toISOString(), frozen: engine.clock.isFrozen }
}

/**
 * Answers one admin request. A browser page must not move the clock of an engine it happens to reach (a simple
 * cross-origin POST needs no preflight), so any request carrying an Origin header is refused.
 */
export function handleAdmin(
  engine: Engine,
  method: string | undefined,
  url: string,
  origin: string | undefined,
  body: string,
): AdminAnswer {
  if (origin !== undefined) return fail(403, 'admin.forbidden', 'the admin endpoint does not answer browsers')
  const path = url.split('?')[0]
  if (path !== CLOCK_PATH)
    return fail(404, 'admin.notFound', `no admin resource ${path}; try GET or POST ${CLOCK_PATH}`)
  if (method === 'GET') return { status: 200, body: clockState(engine) }
  if (method !== 'POST') return fail(405, 'admin.method', `${CLOCK_PATH} takes GET or POST`)
  let request: unknown
  try {
    request = body.trim() === '' ? {} : JSON.parse(body)
  } catch {
    return fail(400, 'clock.invalid', 'the body is not JSON; send {"advance":"1h"}')
  }
  const advance =
    request !== null && typeof request === 'object' ? (request as Record<string, unknown>).advance : undefined
  let ms: number
  try {
    if (typeof advance === 'number') ms = advance
    else if (typeof advance === 'string') ms = parseDuration(advance)
    else return fail(400, 'clock.invalid', 'send {"advance": <duration such as "1h", or milliseconds>}')
  } catch (err) {
    return fail(400, 'clock.invalid', (err as Error).message)
  }
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_ADVANCE_MS)
    return fail(
      400,
      'clock.invalid',
      `the clock moves forward by 0 to ${MAX_ADVANCE_MS} ms at a time (got ${String(advance)})`,
    )
  const { expired } = engine.advanceClock(ms)
  return { status: 200, body: { ...clockState(engine), advancedMs: ms, expired } }
}
