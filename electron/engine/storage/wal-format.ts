import zlib from 'node:zlib'

/**
 * The byte layout shared by the log segments and the snapshots of a data directory.
 *
 *   file   = header frame*
 *   header = "TWDB" (4 bytes) · format version (u16 LE) · file kind (u16 LE: 1 log, 2 snapshot)
 *   frame  = payload length (u32 LE) · CRC-32 of the payload (u32 LE) · payload (UTF-8 JSON array of entries)
 *
 * A frame is the unit of atomicity: replay applies all of a frame's entries or none of them. A frame whose length
 * runs past the end of the file, or whose checksum does not match, ends the readable part of the file.
 */
export const MAGIC = 'TWDB'
/** Bumped whenever the layout or the meaning of an entry changes; a store with a higher number is refused. */
export const FORMAT_VERSION = 1
export const HEADER_BYTES = 8
export const FRAME_HEADER_BYTES = 8
/** Far above any record the engine writes (a 16 MB request makes one); a larger length is corruption, not data. */
export const MAX_FRAME_BYTES = 1 << 30

export type FileKind = 'log' | 'snapshot'
const KIND_CODES: Record<FileKind, number> = { log: 1, snapshot: 2 }

/** Errors opening a data directory, each with a code the CLI and the app can act on. */
export type StoreErrorCode = 'store.inUse' | 'store.newerFormat' | 'store.notAStore' | 'store.io'

export class DurableStoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'DurableStoreError'
  }
}

// zlib.crc32 arrived in Node 20.15 / 22.2; older runtimes get the same polynomial from a table.
let table: Uint32Array | undefined
export function crc32Fallback(buf: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256)
    for (let n = 0; n < 256; n++) {
      let c = n
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
      table[n] = c >>> 0
    }
  }
  let crc = 0xffffffff
  for (const byte of buf) crc = (table[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

export const crc32: (buf: Uint8Array) => number =
  typeof zlib.crc32 === 'function' ? (buf) => zlib.crc32(buf) >>> 0 : crc32Fallback

export function fileHeader(kind: FileKind, version = FORMAT_VERSION): Buffer {
  const buf = Buffer.alloc(HEADER_BYTES)
  buf.write(MAGIC, 0, 'latin1')
  buf.writeUInt16LE(version, 4)
  buf.writeUInt16LE(KIND_CODES[kind], 6)
  return buf
}

/** Checks a file's header; a newer format or a foreign file is refused with a message naming the file. */
export function checkHeader(buf: Buffer, kind: FileKind, file: string): void {
  if (buf.length < HEADER_BYTES || buf.toString('latin1', 0, 4) !== MAGIC) {
    throw new DurableStoreError('store.notAStore', `${file} is not a Tablewright data file (no TWDB header)`)
  }
  const version = buf.readUInt16LE(4)
  if (version > FORMAT_VERSION) {
    throw new DurableStoreError(
      'store.newerFormat',
      `${file} was written by a newer Tablewright (storage format ${version}; this version reads up to ${FORMAT_VERSION}). ` +
        'Open it with that version, or start this one with another --data-dir or --in-memory.',
    )
  }
  if (buf.readUInt16LE(6) !== KIND_CODES[kind]) {
    throw new DurableStoreError('store.notAStore', `${file} is not a Tablewright ${kind} file`)
  }
}

/** Frames payloads (already JSON text) into one buffer, so a batch of records is one write. */
export function encodeFrames(payloads: readonly string[]): Buffer {
  let total = 0
  const lengths = new Array<number>(payloads.length)
  for (let i = 0; i < payloads.length; i++) {
    const n = Buffer.byteLength(payloads[i] as string)
    lengths[i] = n
    total += FRAME_HEADER_BYTES + n
  }
  const buf = Buffer.allocUnsafe(total)
  let at = 0
  for (let i = 0; i < payloads.length; i++) {
    const n = lengths[i] as number
    buf.writeUInt32LE(n, at)
    buf.write(payloads[i] as string, at + FRAME_HEADER_BYTES, n, 'utf8')
    buf.writeUInt32LE(crc32(buf.subarray(at + FRAME_HEADER_BYTES, at + FRAME_HEADER_BYTES + n)), at + 4)
    at += FRAME_HEADER_BYTES + n
  }
  return buf
}

export interface FrameProblem {
  /** Byte offset of the first frame that could not be read. */
  offset: number
  /** Bytes from there to the end of the file, all of which are dropped. */
  droppedBytes: number
  reason: string
}

/**
 * Calls onFrame with each intact frame's payload from offset on, and returns where the intact part ends and, if
 * the file goes on past it, why the rest was not readable.
 */
export function readFrames(
  buf: Buffer,
  offset: number,
  onFrame: (payload: Buffer, offset: number) => void,
): { end: number; problem: FrameProblem | undefined } {
  let at = offset
  while (at < buf.length) {
    const problem = (reason: string) => ({
      end: at,
      problem: { offset: at, droppedBytes: buf.length - at, reason },
    })
    if (buf.length - at < FRAME_HEADER_BYTES) return problem('a frame header cut short (torn write)')
    const length = buf.readUInt32LE(at)
    if (length > MAX_FRAME_BYTES) return problem(`an impossible frame length (${length} bytes)`)
    if (at + FRAME_HEADER_BYTES + length > buf.length) {
      return problem(
        `a frame of ${length} bytes cut short after ${buf.length - at - FRAME_HEADER_BYTES} (torn write)`,
      )
    }
    const payload = buf.subarray(at + FRAME_HEADER_BYTES, at + FRAME_HEADER_BYTES + length)
    if (crc32(payload) !== buf.readUInt32LE(at + 4)) return problem('a checksum mismatch')
    onFrame(payload, at)
    at += FRAME_HEADER_BYTES + length
  }
  return { end: at, problem: undefined }
}

/** Bytes read per system call when replaying a file; a frame larger than this gets a buffer of its own size. */
const READ_BLOCK_BYTES = 4 * 1024 * 1024

/**
 * readFrames over an open file, read a block at a time into one reused buffer. Reading a 100 MB snapshot whole
 * (readFileSync) first costs an allocation of that size and its page faults; in the start-up profile that was a
 * visible share of a restart, and it doubled the memory a restart peaks at. Frames are handed over as views of
 * the buffer, valid only during the call. Same results as readFrames on the whole file.
 */
export function readFramesFromFile(
  fd: number,
  fileBytes: number,
  offset: number,
  onFrame: (payload: Buffer, offset: number) => void,
  read: (fd: number, buf: Buffer, at: number, length: number, position: number) => number,
  blockBytes = READ_BLOCK_BYTES,
): { end: number; problem: FrameProblem | undefined } {
  const frames = iterateFramesFromFile(fd, fileBytes, offset, read, blockBytes)
  for (;;) {
    const step = frames.next()
    if (step.done) return step.value
    onFrame(step.value.payload, step.value.offset)
  }
}

/**
 * readFramesFromFile as a generator, so a caller can stop between frames (a start-up that loads in the background
 * yields to the event loop every few milliseconds). A payload is valid only until the next step.
 */
export function* iterateFramesFromFile(
  fd: number,
  fileBytes: number,
  offset: number,
  read: (fd: number, buf: Buffer, at: number, length: number, position: number) => number,
  blockBytes = READ_BLOCK_BYTES,
): Generator<{ payload: Buffer; offset: number }, { end: number; problem: FrameProblem | undefined }> {
  let buf = Buffer.allocUnsafe(Math.min(blockBytes, Math.max(fileBytes - offset, FRAME_HEADER_BYTES)))
  /** File offset of buf[0], and how many bytes of buf are filled. */
  let base = offset
  let filled = 0
  /** Makes buf hold [at, at + bytes) of the file (or as much of it as the file has); returns the bytes held from at. */
  const ensure = (at: number, bytes: number): number => {
    const want = Math.min(bytes, fileBytes - at)
    if (at - base + want <= filled) return want
    // Keep the unread part, move it to the front, and read after it.
    const keep = base + filled - at
    if (want > buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(want, blockBytes))
      buf.copy(bigger, 0, at - base, at - base + keep)
      buf = bigger
    } else if (keep > 0) {
      buf.copy(buf, 0, at - base, at - base + keep)
    }
    base = at
    filled = keep
    while (filled < buf.length && base + filled < fileBytes) {
      const n = read(fd, buf, filled, Math.min(buf.length - filled, fileBytes - base - filled), base + filled)
      if (n <= 0) break
      filled += n
    }
    return Math.min(want, filled)
  }
  let at = offset
  while (at < fileBytes) {
    const problem = (reason: string) => ({
      end: at,
      problem: { offset: at, droppedBytes: fileBytes - at, reason },
    })
    if (ensure(at, FRAME_HEADER_BYTES) < FRAME_HEADER_BYTES)
      return problem('a frame header cut short (torn write)')
    const length = buf.readUInt32LE(at - base)
    if (length > MAX_FRAME_BYTES) return problem(`an impossible frame length (${length} bytes)`)
    if (at + FRAME_HEADER_BYTES + length > fileBytes) {
      return problem(
        `a frame of ${length} bytes cut short after ${fileBytes - at - FRAME_HEADER_BYTES} (torn write)`,
      )
    }
    if (ensure(at, FRAME_HEADER_BYTES + length) < FRAME_HEADER_BYTES + length)
      return problem('a frame cut short while reading (the file shrank)')
    const start = at - base
    const payload = buf.subarray(start + FRAME_HEADER_BYTES, start + FRAME_HEADER_BYTES + length)
    if (crc32(payload) !== buf.readUInt32LE(start + 4)) return problem('a checksum mismatch')
    yield { payload, offset: at }
    at += FRAME_HEADER_BYTES + length
  }
  return { end: at, problem: undefined }
}
