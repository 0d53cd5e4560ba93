import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { describe, expect, test } from 'vitest'
import {
  checkHeader,
  crc32,
  crc32Fallback,
  encodeFrames,
  fileHeader,
  FORMAT_VERSION,
  HEADER_BYTES,
  readFrames,
  readFramesFromFile,
} from './wal-format'

function frames(buf: Buffer, from = 0) {
  const payloads: string[] = []
  const out = readFrames(buf, from, (p) => payloads.push(p.toString('utf8')))
  return { payloads, ...out }
}

describe('log format', () => {
  test('CRC-32 is the standard polynomial (zlib agrees)', () => {
    const data = Buffer.from('The quick brown fox jumps over the lazy dog')
    expect(crc32(data)).toBe(0x414fa339)
    expect(crc32(data)).toBe(zlib.crc32(data) >>> 0)
    // The table-driven one, for runtimes without zlib.crc32, gives the same sums.
    expect(crc32Fallback(data)).toBe(0x414fa339)
    expect(crc32Fallback(Buffer.alloc(0))).toBe(0)
  })

  test('frames read back as written, multi-byte text included', () => {
    const payloads = ['[["p","t",{"a":{"S":"é€😀"}}]]', '[]', `[${'"x",'.repeat(1000)}"y"]`]
    const got = frames(encodeFrames(payloads))
    expect(got.payloads).toEqual(payloads)
    expect(got.problem).toBeUndefined()
  })

  test('a cut anywhere in the last frame drops exactly that frame and says where', () => {
    const buf = encodeFrames(['[1]', '[2]', '[3,4,5]'])
    const lastStart = buf.length - (8 + 7)
    for (let cut = lastStart + 1; cut < buf.length; cut++) {
      const got = frames(buf.subarray(0, cut))
      expect(got.payloads).toEqual(['[1]', '[2]'])
      expect(got.end).toBe(lastStart)
      expect(got.problem).toMatchObject({ offset: lastStart, droppedBytes: cut - lastStart })
      expect(got.problem!.reason).toContain('torn write')
    }
  })

  test('a flipped bit is a checksum mismatch; the frames before it are kept', () => {
    const buf = encodeFrames(['[1]', '[2]'])
    buf.writeUInt8(buf.readUInt8(buf.length - 2) ^ 0x01, buf.length - 2)
    const got = frames(buf)
    expect(got.payloads).toEqual(['[1]'])
    expect(got.problem?.reason).toBe('a checksum mismatch')
  })

  test('headers: the current version is accepted; a newer one, another kind or another file is refused', () => {
    expect(() => checkHeader(fileHeader('log'), 'log', 'f')).not.toThrow()
    expect(fileHeader('log').length).toBe(HEADER_BYTES)
    expect(() => checkHeader(fileHeader('log', FORMAT_VERSION + 1), 'log', 'f')).toThrow(/newer Tablewright/)
    expect(() => checkHeader(fileHeader('snapshot'), 'log', 'f')).toThrow(/not a Tablewright log file/)
    expect(() => checkHeader(Buffer.from('PK\x03\x04zip!'), 'log', 'f')).toThrow(
      /not a Tablewright data file/,
    )
  })

  test('reading a file a block at a time gives what reading it whole gives, frames across blocks and larger than one included', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-frames-'))
    try {
      const payloads = Array.from({ length: 40 }, (_, i) => `[${'"é",'.repeat(i * 7)}${i}]`)
      const whole = encodeFrames(payloads)
      // Intact, torn in the last frame, and with a flipped bit in the middle.
      const flipped = Buffer.from(whole)
      flipped.writeUInt8(flipped.readUInt8(whole.length >> 1) ^ 0x10, whole.length >> 1)
      for (const buf of [whole, whole.subarray(0, whole.length - 5), flipped]) {
        const file = path.join(dir, 'f')
        fs.writeFileSync(file, buf)
        const expected = frames(buf)
        for (const block of [8, 13, 64, 1 << 20]) {
          const got: string[] = []
          const fd = fs.openSync(file, 'r')
          // At most 7 bytes per read: short reads must be carried on, not taken for the end of the file.
          const out = readFramesFromFile(
            fd,
            buf.length,
            0,
            (p) => got.push(p.toString('utf8')),
            (f, b, at, length, position) => fs.readSync(f, b, at, Math.min(length, 7), position),
            block,
          )
          fs.closeSync(fd)
          expect(got).toEqual(expected.payloads)
          expect(out).toEqual({ end: expected.end, problem: expected.problem })
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
