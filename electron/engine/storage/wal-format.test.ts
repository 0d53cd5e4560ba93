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
})
