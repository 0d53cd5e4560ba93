import type { Channel, ChannelInput, ChannelOutput } from '../../shared/contract/contract'
import type { ErrorResult, Result } from '../../shared/contract/errors'
import type { EventName, EventPayload } from '../../shared/contract/events'
import { TOKEN_HEADER, TOKEN_META } from '../../shared/contract/security'

/** What the desktop preload exposes; the browser transport below implements the same shape over HTTP + SSE. */
export interface Transport {
  host: 'desktop' | 'browser'
  invoke(channel: string, input: unknown): Promise<Result<unknown>>
  on(event: string, listener: (payload: unknown) => void): () => void
}

declare global {
  interface Window {
    tablewright?: Transport
  }
}

function browserTransport(): Transport {
  const meta = document.querySelector<HTMLMetaElement>(`meta[name="${TOKEN_META}"]`)
  const token = meta?.content ?? new URLSearchParams(location.search).get('token') ?? ''
  // The token stays in memory; take it out of the address bar so it is not shared by a copied URL or screenshot.
  if (location.search.includes('token=')) history.replaceState(null, '', location.pathname + location.hash)
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  let source: EventSource | undefined
  const ensureSource = () => {
    if (source) return
    source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`)
  }
  const headers = { 'content-type': 'application/json', [TOKEN_HEADER]: token }
  const unavailable = (err: unknown): ErrorResult => ({
    ok: false,
    code: 'connection.unavailable',
    message: `The Tablewright host did not answer: ${err instanceof Error ? err.message : String(err)}`,
  })
  const invoke = async (channel: string, input: unknown): Promise<Result<unknown>> => {
    try {
      const res = await fetch(`/api/${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(input ?? {}),
      })
      return (await res.json()) as Result<unknown>
    } catch (err) {
      return unavailable(err)
    }
  }
  return {
    host: 'browser',
    invoke,
    on(event, listener) {
      ensureSource()
      let set = listeners.get(event)
      if (!set) {
        const group = new Set<(payload: unknown) => void>()
        listeners.set(event, group)
        set = group
        source!.addEventListener(event, (e) => {
          const payload: unknown = JSON.parse((e as MessageEvent<string>).data)
          for (const l of group) l(payload)
        })
      }
      set.add(listener)
      return () => set.delete(listener)
    },
  }
}

const transport: Transport = window.tablewright ?? browserTransport()

export const hostKind = transport.host

/** A failed call, carrying its code so the UI can show it. */
export class BridgeError extends Error {
  readonly code: ErrorResult['code']
  readonly details?: Record<string, unknown>
  constructor(result: ErrorResult) {
    super(result.message)
    this.code = result.code
    this.details = result.details
  }
}

/** Calls a contract channel; resolves with its output or rejects with a BridgeError. */
export async function call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = await transport.invoke(channel, input)
  if (!result.ok) throw new BridgeError(result)
  return result.value as ChannelOutput<C>
}

export function subscribe<E extends EventName>(
  event: E,
  listener: (payload: EventPayload<E>) => void,
): () => void {
  return transport.on(event, listener as (payload: unknown) => void)
}
