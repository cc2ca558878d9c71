// Ethernet, IPv4/IPv6, TCP and UDP headers around a payload, so the stream bytes a trace holds
// can be read by packet tools (RFC 791 §3.1, RFC 8200 §3, RFC 9293 §3.1, RFC 768).
import net from 'node:net'

export interface Endpoint {
  /** 4 bytes (IPv4) or 16 (IPv6). */
  ip: Buffer
  port: number
}

/** `host:port` or `[v6]:port` as the trace writes them; null when it is not an address. */
export function parseEndpoint(text: string): Endpoint | null {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text)
  if (!m) return null
  const host = m[1] ?? ''
  const port = Number(m[2])
  if (port > 0xffff) return null
  if (net.isIPv4(host)) return { ip: Buffer.from(host.split('.').map(Number)), port }
  if (net.isIPv6(host)) return { ip: ipv6Bytes(host), port }
  return null
}

function ipv6Bytes(text: string): Buffer {
  let host = text.split('%')[0] ?? ''
  // A trailing dotted IPv4 part becomes two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(host)
  if (v4) {
    const b = (v4[1] ?? '').split('.').map(Number)
    host =
      host.slice(0, -(v4[1] ?? '').length) +
      `${(((b[0] ?? 0) << 8) | (b[1] ?? 0)).toString(16)}:${(((b[2] ?? 0) << 8) | (b[3] ?? 0)).toString(16)}`
  }
  const [head, tail] = host.split('::') as [string, string | undefined]
  const groups = (s: string | undefined) => (s ? s.split(':').filter(Boolean) : [])
  const left = groups(head)
  const right = groups(tail)
  const all = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
  const out = Buffer.alloc(16)
  all.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2))
  return out
}

export const TCP_FIN = 0x01
export const TCP_SYN = 0x02
export const TCP_RST = 0x04
export const TCP_PSH = 0x08
export const TCP_ACK = 0x10

/** The Internet checksum: ones' complement of the ones' complement sum of 16-bit words (RFC 1071). */
function checksum(parts: Uint8Array[]): number {
  let sum = 0
  let odd: number | null = null
  for (const part of parts) {
    for (const byte of part) {
      if (odd === null) odd = byte
      else {
        sum += (odd << 8) | byte
        odd = null
      }
    }
  }
  if (odd !== null) sum += odd << 8
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16)
  return ~sum & 0xffff
}

function ipPacket(protocol: number, src: Endpoint, dst: Endpoint, transport: Buffer, ipId: number): Buffer {
  const v6 = src.ip.length === 16
  const pseudo = Buffer.alloc(v6 ? 40 : 12)
  if (v6) {
    src.ip.copy(pseudo, 0)
    dst.ip.copy(pseudo, 16)
    pseudo.writeUInt32BE(transport.length, 32)
    pseudo[39] = protocol
  } else {
    src.ip.copy(pseudo, 0)
    dst.ip.copy(pseudo, 4)
    pseudo[9] = protocol
    pseudo.writeUInt16BE(transport.length, 10)
  }
  // The transport checksum sits at byte 16 (TCP) or 6 (UDP) and covers the pseudo-header.
  const at = protocol === 6 ? 16 : 6
  transport.writeUInt16BE(0, at)
  const sum = checksum([pseudo, transport])
  transport.writeUInt16BE(protocol === 17 && sum === 0 ? 0xffff : sum, at)
  let header: Buffer
  if (v6) {
    header = Buffer.alloc(40)
    header.writeUInt32BE(0x60000000, 0)
    header.writeUInt16BE(transport.length, 4)
    header[6] = protocol
    header[7] = 64 // hop limit
    src.ip.copy(header, 8)
    dst.ip.copy(header, 24)
  } else {
    header = Buffer.alloc(20)
    header[0] = 0x45 // version 4, 5 words of header
    header.writeUInt16BE(20 + transport.length, 2)
    header.writeUInt16BE(ipId & 0xffff, 4)
    header.writeUInt16BE(0x4000, 6) // don't fragment
    header[8] = 64 // TTL
    header[9] = protocol
    src.ip.copy(header, 12)
    dst.ip.copy(header, 16)
    header.writeUInt16BE(checksum([header]), 10)
  }
  const ethernet = Buffer.alloc(14) // loopback: zero MAC addresses
  ethernet.writeUInt16BE(v6 ? 0x86dd : 0x0800, 12)
  return Buffer.concat([ethernet, header, transport])
}

export interface TcpSegment {
  seq: number
  ack: number
  flags: number
  payload: Uint8Array
}

export function tcpFrame(src: Endpoint, dst: Endpoint, segment: TcpSegment, ipId: number): Buffer {
  const tcp = Buffer.alloc(20 + segment.payload.length)
  tcp.writeUInt16BE(src.port, 0)
  tcp.writeUInt16BE(dst.port, 2)
  tcp.writeUInt32BE(segment.seq >>> 0, 4)
  tcp.writeUInt32BE(segment.flags & TCP_ACK ? segment.ack >>> 0 : 0, 8)
  tcp[12] = 5 << 4 // data offset: 5 words
  tcp[13] = segment.flags
  tcp.writeUInt16BE(0xffff, 14) // window
  Buffer.from(segment.payload).copy(tcp, 20)
  return ipPacket(6, src, dst, tcp, ipId)
}

export function udpFrame(src: Endpoint, dst: Endpoint, payload: Uint8Array, ipId: number): Buffer {
  const udp = Buffer.alloc(8 + payload.length)
  udp.writeUInt16BE(src.port, 0)
  udp.writeUInt16BE(dst.port, 2)
  udp.writeUInt16BE(udp.length, 4)
  Buffer.from(payload).copy(udp, 8)
  return ipPacket(17, src, dst, udp, ipId)
}
