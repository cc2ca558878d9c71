// Bug: retransmits at a fixed RTO instead of doubling it each time (RFC 8489 §6.2.1).
// STUN Binding (RFC 8489): message codec, XOR-MAPPED-ADDRESS, a UDP server and a retransmitting client.
import dgram from 'node:dgram'
import net from 'node:net'
import { randomBytes } from 'node:crypto'

export const MAGIC_COOKIE = 0x2112a442
export const BINDING_REQUEST = 0x0001
export const BINDING_SUCCESS = 0x0101
export const XOR_MAPPED_ADDRESS = 0x0020
const HEADER_BYTES = 20

export interface StunAddress {
  family: 4 | 6
  address: string
  port: number
}

export interface StunAttribute {
  type: number
  value: Buffer
}

export interface StunMessage {
  type: number
  transactionId: Buffer
  attributes: StunAttribute[]
}

export interface StunServer {
  host: string
  port: number
  close(): Promise<void>
}

export interface BindingOptions {
  /** First retransmission timeout, ms (RFC 8489 suggests 500 or more on the Internet). */
  rtoMs?: number
  /** Rc: total requests sent, the first one included (default 7). */
  maxTransmissions?: number
  /** Rm: after the last request, wait rtoMs * lastWaitFactor before giving up (default 16). */
  lastWaitFactor?: number
}

export interface BindingResult {
  mapped: StunAddress
  /** How many copies of the request were sent (1 = no retransmission was needed). */
  transmissions: number
}

function header(type: number, bodyLength: number, transactionId: Buffer): Buffer {
  if (transactionId.length !== 12) throw new RangeError('a STUN transaction ID is 96 bits (12 bytes)')
  const buf = Buffer.alloc(HEADER_BYTES)
  buf.writeUInt16BE(type, 0)
  buf.writeUInt16BE(bodyLength, 2)
  buf.writeUInt32BE(MAGIC_COOKIE, 4)
  transactionId.copy(buf, 8)
  return buf
}

export function encodeBindingRequest(transactionId: Buffer): Buffer {
  return header(BINDING_REQUEST, 0, transactionId)
}

/** Returns null for anything that is not a well-formed STUN message (RFC 8489 §5, §14). */
export function parseStunMessage(buf: Buffer): StunMessage | null {
  if (buf.length < HEADER_BYTES) return null
  const type = buf.readUInt16BE(0)
  if ((type & 0xc000) !== 0) return null // the two most significant bits are always zero
  const length = buf.readUInt16BE(2)
  if (length % 4 !== 0 || HEADER_BYTES + length !== buf.length) return null
  if (buf.readUInt32BE(4) !== MAGIC_COOKIE) return null
  const attributes: StunAttribute[] = []
  let offset = HEADER_BYTES
  while (offset < buf.length) {
    if (offset + 4 > buf.length) return null
    const attrType = buf.readUInt16BE(offset)
    const attrLength = buf.readUInt16BE(offset + 2)
    const start = offset + 4
    if (start + attrLength > buf.length) return null
    attributes.push({ type: attrType, value: buf.subarray(start, start + attrLength) })
    offset = start + Math.ceil(attrLength / 4) * 4 // values are padded to a multiple of 4 bytes
  }
  return { type, transactionId: Buffer.from(buf.subarray(8, 20)), attributes }
}

/** The XOR key for the address: the cookie, then (IPv6) the transaction ID (RFC 8489 §14.2). */
function xorKey(transactionId: Buffer): Buffer {
  const key = Buffer.alloc(16)
  key.writeUInt32BE(MAGIC_COOKIE, 0)
  transactionId.copy(key, 4)
  return key
}

function ipv6ToBytes(address: string): Buffer {
  let text = address
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (dotted?.[1]) {
    const [a, b, c, d] = dotted[1].split('.').map(Number) as [number, number, number, number]
    text = text.slice(0, -dotted[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head = '', tail] = text.split('::')
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const zeros = tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0')
  const groups = [...left, ...zeros, ...right]
  const out = Buffer.alloc(16)
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2))
  return out
}

function bytesToIpv6(bytes: Buffer): string {
  const groups: string[] = []
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16))
  // Compress the longest run of zero groups (RFC 5952), so '::1' comes back as '::1'.
  let bestStart = -1
  let bestLength = 0
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === '0') j++
    if (j - i > bestLength && j - i > 1) {
      bestStart = i
      bestLength = j - i
    }
    i = j
  }
  if (bestStart < 0) return groups.join(':')
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLength).join(':')}`
}

/** The value of an XOR-MAPPED-ADDRESS attribute (without its 4-byte type/length). */
export function encodeXorMappedAddress(addr: StunAddress, transactionId: Buffer): Buffer {
  const raw = addr.family === 4 ? Buffer.from(addr.address.split('.').map(Number)) : ipv6ToBytes(addr.address)
  const key = xorKey(transactionId)
  const value = Buffer.alloc(4 + raw.length)
  value.writeUInt8(0, 0)
  value.writeUInt8(addr.family === 4 ? 0x01 : 0x02, 1)
  value.writeUInt16BE(addr.port ^ (MAGIC_COOKIE >>> 16), 2)
  for (let i = 0; i < raw.length; i++) value[4 + i] = (raw[i] ?? 0) ^ (key[i] ?? 0)
  return value
}

export function decodeXorMappedAddress(value: Buffer, transactionId: Buffer): StunAddress {
  const familyByte = value.readUInt8(1)
  const port = value.readUInt16BE(2) ^ (MAGIC_COOKIE >>> 16)
  const key = xorKey(transactionId)
  const size = familyByte === 0x01 ? 4 : familyByte === 0x02 ? 16 : 0
  if (size === 0 || value.length < 4 + size)
    throw new Error(`bad XOR-MAPPED-ADDRESS (family 0x${familyByte.toString(16)}, ${value.length} bytes)`)
  const raw = Buffer.alloc(size)
  for (let i = 0; i < size; i++) raw[i] = (value[4 + i] ?? 0) ^ (key[i] ?? 0)
  return size === 4 ? { family: 4, address: [...raw].join('.'), port } : { family: 6, address: bytesToIpv6(raw), port }
}

export function encodeBindingSuccess(transactionId: Buffer, mapped: StunAddress): Buffer {
  const value = encodeXorMappedAddress(mapped, transactionId)
  const attr = Buffer.alloc(4)
  attr.writeUInt16BE(XOR_MAPPED_ADDRESS, 0)
  attr.writeUInt16BE(value.length, 2) // 8 or 20: already a multiple of 4, no padding
  return Buffer.concat([header(BINDING_SUCCESS, attr.length + value.length, transactionId), attr, value])
}

/** A STUN server on UDP that answers every Binding request with the source address it came from. */
export function startStunServer(host = '127.0.0.1'): Promise<StunServer> {
  const socket = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4')
  socket.on('message', (msg, rinfo) => {
    const request = parseStunMessage(msg)
    if (!request || request.type !== BINDING_REQUEST) return // not for us: stay silent
    const family = rinfo.family === 'IPv6' ? 6 : 4
    socket.send(
      encodeBindingSuccess(request.transactionId, { family, address: rinfo.address, port: rinfo.port }),
      rinfo.port,
      rinfo.address
    )
  })
  socket.on('error', () => {})
  return new Promise((resolve) => {
    socket.bind(0, host, () => {
      resolve({
        host,
        port: socket.address().port,
        close: () => new Promise<void>((done) => socket.close(() => done()))
      })
    })
  })
}

/**
 * Send a Binding request from `socket` (bound by the caller) to `server`, retransmitting with a
 * doubling RTO until a success response with the same transaction ID arrives (RFC 8489 §6.2.1).
 */
export function stunBindingRequest(
  socket: dgram.Socket,
  server: { host: string; port: number },
  options: BindingOptions = {}
): Promise<BindingResult> {
  const rtoMs = options.rtoMs ?? 500
  const maxTransmissions = options.maxTransmissions ?? 7
  const lastWaitFactor = options.lastWaitFactor ?? 16
  const transactionId = randomBytes(12)
  const request = encodeBindingRequest(transactionId)

  return new Promise((resolve, reject) => {
    let transmissions = 0
    let timer: NodeJS.Timeout | undefined
    const finish = () => {
      clearTimeout(timer)
      socket.off('message', onMessage)
    }
    const onMessage = (msg: Buffer) => {
      const response = parseStunMessage(msg)
      if (!response || response.type !== BINDING_SUCCESS || !response.transactionId.equals(transactionId)) return
      const attr = response.attributes.find((a) => a.type === XOR_MAPPED_ADDRESS)
      if (!attr) return
      finish()
      resolve({ mapped: decodeXorMappedAddress(attr.value, transactionId), transmissions })
    }
    const transmit = (rto: number) => {
      transmissions += 1
      socket.send(request, server.port, server.host)
      if (transmissions < maxTransmissions) timer = setTimeout(() => transmit(rto), rto)
      else
        timer = setTimeout(() => {
          finish()
          reject(new Error(`STUN transaction timed out after ${transmissions} requests`))
        }, rtoMs * lastWaitFactor)
    }
    socket.on('message', onMessage)
    transmit(rtoMs)
  })
}
