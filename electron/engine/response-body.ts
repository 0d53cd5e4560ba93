/**
 * Encodes an answer's JSON into bytes for the HTTP door. Small answers take the plain path. A large page (a Scan
 * or Query answer near its 1 MB limit) is written a slice of items at a time into a reusable buffer: building it
 * as one 1+ MB string and then one fresh 1+ MB Buffer cost more than the page itself (new memory on every
 * page; profiled with node --cpu-prof on bench/engine.ts), while the encoding alone is cheap.
 */

/** Items serialized per slice: small enough that each slice string stays in V8's young generation. */
const SLICE = 128
/** Below this many items the whole answer is stringified at once. */
const MIN_ITEMS = 512
/** A larger buffer is not kept for reuse: one huge answer should not pin its memory. */
const MAX_POOLED_BYTES = 8 * 1024 * 1024
const INITIAL_BYTES = 2 * 1024 * 1024

export interface EncodedBody {
  readonly bytes: Buffer
  /** Hands the buffer back for reuse; call once the bytes are written to the socket, never before. */
  release(): void
}

const noop = () => {}
let pooled: Buffer | undefined

/** Serializes payload as JSON.stringify would (same text, member order kept). Throws what JSON.stringify throws. */
export function encodeBody(payload: unknown): EncodedBody {
  const items = largeItems(payload)
  if (!items) return { bytes: Buffer.from(JSON.stringify(payload) ?? 'null', 'utf8'), release: noop }
  const { Items: _items, ...rest } = payload as { Items: unknown[] }
  const restJson = JSON.stringify(rest)
  const writer = new BodyWriter()
  writer.write('{"Items":[')
  for (let i = 0; i < items.length; i += SLICE) {
    const slice = JSON.stringify(items.slice(i, i + SLICE))
    if (i > 0) writer.write(',')
    // Drop the slice's own brackets; substring shares the characters rather than copying them.
    writer.write(slice.substring(1, slice.length - 1))
  }
  writer.write(restJson === '{}' ? ']}' : `],${restJson.substring(1)}`)
  return writer.finish()
}

/** The Items array of an answer that starts with it, when it is large enough to be worth the slicing. */
function largeItems(payload: unknown): unknown[] | undefined {
  if (payload === null || typeof payload !== 'object') return undefined
  const items = (payload as { Items?: unknown }).Items
  if (!Array.isArray(items) || items.length < MIN_ITEMS) return undefined
  // The slicing writes Items first, so it applies only when Items is the first member (as data-plane.ts builds it).
  for (const k in payload) return k === 'Items' ? items : undefined
  return undefined
}

class BodyWriter {
  private buf: Buffer
  private length = 0

  constructor() {
    // Taken out of the pool while in use, so two answers in flight never share it.
    this.buf = pooled ?? Buffer.allocUnsafe(INITIAL_BYTES)
    pooled = undefined
  }

  write(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit; count exactly only when that bound does not fit.
    if (this.length + text.length * 3 > this.buf.length) {
      const needed = this.length + Buffer.byteLength(text, 'utf8')
      if (needed > this.buf.length) this.grow(needed)
    }
    this.length += this.buf.write(text, this.length, 'utf8')
  }

  private grow(needed: number): void {
    const next = Buffer.allocUnsafe(Math.max(needed, this.buf.length * 2))
    this.buf.copy(next, 0, 0, this.length)
    this.buf = next
  }

  finish(): EncodedBody {
    const buf = this.buf
    let released = false
    return {
      bytes: buf.subarray(0, this.length),
      release: () => {
        if (released) return
        released = true
        if (buf.length <= MAX_POOLED_BYTES) pooled = buf
      },
    }
  }
}
