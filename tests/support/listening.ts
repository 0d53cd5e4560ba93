import { readFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'

/** One 32-bit word of /proc/net/tcp*, which the kernel prints in host (little-endian here) byte order. */
const word = (hex: string) => hex.match(/../g)!.reverse().join('')

function decode(hex: string): string {
  if (hex.length === 8)
    return word(hex)
      .match(/../g)!
      .map((b) => parseInt(b, 16))
      .join('.')
  const full = [0, 8, 16, 24].map((i) => word(hex.slice(i, i + 8))).join('')
  const groups = full.match(/.{4}/g)!.map((g) => parseInt(g, 16).toString(16))
  if (groups.slice(0, 5).every((g) => g === '0') && groups[5] === 'ffff') {
    const v4 = full
      .slice(24)
      .match(/../g)!
      .map((b) => parseInt(b, 16))
      .join('.')
    return `::ffff:${v4}`
  }
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::')
}

/**
 * The local addresses of the sockets listening on `port`, read from the kernel's own table (Linux), without
 * sending anything: '0.0.0.0' or '::' (0:0:…) means every interface.
 */
export function listeningAddresses(port: number): string[] {
  const out: string[] = []
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch {
      continue
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/)
      const [local, , state] = [cols[1], cols[2], cols[3]]
      if (!local || state !== '0A') continue
      const [addr, p] = local.split(':')
      if (addr && p && parseInt(p, 16) === port) out.push(decode(addr))
    }
  }
  return out
}

export const isLoopback = (address: string) =>
  /^(127\.|::ffff:127\.)/.test(address) || address === '0:0:0:0:0:0:0:1' || address === '::1'

/** This machine's own non-loopback IPv4 addresses (a connection to one of them never leaves the machine). */
export function ownExternalAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a): a is os.NetworkInterfaceInfo => Boolean(a) && a!.family === 'IPv4' && !a!.internal)
    .map((a) => a.address)
}

/** Resolves 'connected' or the socket error code for a TCP connection attempt. */
export function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port })
    socket.setTimeout(5000, () => {
      socket.destroy()
      resolve('timeout')
    })
    socket.once('connect', () => {
      socket.destroy()
      resolve('connected')
    })
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message))
  })
}
