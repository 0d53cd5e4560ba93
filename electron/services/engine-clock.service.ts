import { WorkbenchError } from './errors'

/** The engine clock as the engine server's admin door reports it (electron/engine/admin.ts). */
export interface EngineClockView {
  /** Epoch milliseconds. */
  now: number
  iso: string
  frozen: boolean
  /** After an advance: how far it moved and how many items TTL deleted on the way. */
  advancedMs?: number
  expired?: number
}

/**
 * Reads the clock of a Tablewright engine at `endpoint`, or moves it forward by `advance` (`90s`, `15m`, `1h`, `2d`,
 * or milliseconds) first. Other endpoints (DynamoDB Local, AWS) have no such clock: that is `engine.unavailable`.
 */
export async function engineClock(endpoint: string, advance?: string): Promise<EngineClockView> {
  const url = new URL('/tablewright/clock', endpoint)
  let res: Response
  try {
    res = await fetch(url, {
      method: advance === undefined ? 'GET' : 'POST',
      headers: { 'Content-Type': 'application/json' },
      body:
        advance === undefined
          ? undefined
          : JSON.stringify({ advance: /^\d+$/.test(advance) ? Number(advance) : advance }),
      signal: AbortSignal.timeout(10_000),
    })
  } catch (err) {
    throw new WorkbenchError(
      'engine.unavailable',
      `nothing answers at ${endpoint}: ${(err as Error).message}`,
      { endpoint },
    )
  }
  const text = await res.text()
  let body: Record<string, unknown>
  try {
    body = JSON.parse(text) as Record<string, unknown>
  } catch {
    body = {}
  }
  if (res.status === 400 && body.code === 'clock.invalid')
    throw new WorkbenchError('input.invalid', String(body.message), { endpoint })
  if (!res.ok || typeof body.now !== 'number')
    throw new WorkbenchError(
      'engine.unavailable',
      `${endpoint} has no engine clock (HTTP ${res.status}); only \`tablewright engine\` and the app's embedded engine have one`,
      { endpoint, status: res.status },
    )
  return body as unknown as EngineClockView
}
