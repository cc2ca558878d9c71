// Builders for test frames: Ethernet II, optional 802.1Q tag, IPv4 (with a correct checksum unless
// asked otherwise), TCP and UDP. Everything is written big-endian, as on the wire.

export function mac(text: string): Buffer {
  return Buffer.from(text.split(':').map((part) => parseInt(part, 16)))
}

export function ipBytes(text: string): Buffer {
  return Buffer.from(text.split('.').map(Number))
}

/** RFC 1071 Internet checksum: one's complement of the one's complement sum of 16-bit words. */
export function internetChecksum(bytes: Buffer): number {
  let sum = 0
  for (let i = 0; i < bytes.length; i += 2) {
    sum += (bytes[i]! << 8) | (bytes[i + 1] ?? 0)
    sum = (sum & 0xffff) + (sum >>> 16)
  }
  return ~sum & 0xffff
}

export interface EthernetSpec {
  dst?: string
  src?: string
  etherType?: number
  vlanId?: number
  payload: Buffer
  /** Pad the frame with zero bytes up to this length (Ethernet's minimum is 60 without the FCS). */
  padTo?: number
}

export function ethernet(spec: EthernetSpec): Buffer {
  const parts = [mac(spec.dst ?? '02:00:00:00:00:02'), mac(spec.src ?? '02:00:00:00:00:01')]
  if (spec.vlanId !== undefined) {
    const tag = Buffer.alloc(4)
    tag.writeUInt16BE(0x8100, 0)
    tag.writeUInt16BE(spec.vlanId & 0x0fff, 2)
    parts.push(tag)
  }
  const type = Buffer.alloc(2)
  type.writeUInt16BE(spec.etherType ?? 0x0800, 0)
  parts.push(type, spec.payload)
  const frame = Buffer.concat(parts)
  if (spec.padTo && frame.length < spec.padTo) return Buffer.concat([frame, Buffer.alloc(spec.padTo - frame.length)])
  return frame
}

export interface Ipv4Spec {
  src?: string
  dst?: string
  protocol?: number
  ttl?: number
  id?: number
  dontFragment?: boolean
  /** Options bytes; padded with zeros (End of Option List) to a multiple of 4. */
  options?: Buffer
  payload: Buffer
  /** Write a wrong checksum on purpose. */
  corruptChecksum?: boolean
}

export function ipv4(spec: Ipv4Spec): Buffer {
  const rawOptions = spec.options ?? Buffer.alloc(0)
  const options = Buffer.concat([rawOptions, Buffer.alloc((4 - (rawOptions.length % 4)) % 4)])
  const header = Buffer.alloc(20 + options.length)
  header[0] = 0x40 | (header.length / 4)
  header[1] = 0
  header.writeUInt16BE(header.length + spec.payload.length, 2)
  header.writeUInt16BE(spec.id ?? 0x1c46, 4)
  header.writeUInt16BE(spec.dontFragment === false ? 0 : 0x4000, 6)
  header[8] = spec.ttl ?? 64
  header[9] = spec.protocol ?? 6
  ipBytes(spec.src ?? '192.168.1.10').copy(header, 12)
  ipBytes(spec.dst ?? '93.184.216.34').copy(header, 16)
  options.copy(header, 20)
  let checksum = internetChecksum(header)
  if (spec.corruptChecksum) checksum = (checksum ^ 0x0101) & 0xffff
  header.writeUInt16BE(checksum, 10)
  return Buffer.concat([header, spec.payload])
}

export interface TcpSpec {
  srcPort?: number
  dstPort?: number
  seq?: number
  ack?: number
  /** Flag byte, e.g. 0x18 for PSH+ACK. */
  flags?: number
  window?: number
  options?: Buffer
  payload?: Buffer
}

export function tcp(spec: TcpSpec): Buffer {
  const rawOptions = spec.options ?? Buffer.alloc(0)
  const options = Buffer.concat([rawOptions, Buffer.alloc((4 - (rawOptions.length % 4)) % 4)])
  const header = Buffer.alloc(20 + options.length)
  header.writeUInt16BE(spec.srcPort ?? 51514, 0)
  header.writeUInt16BE(spec.dstPort ?? 80, 2)
  header.writeUInt32BE((spec.seq ?? 1000) >>> 0, 4)
  header.writeUInt32BE((spec.ack ?? 0) >>> 0, 8)
  header[12] = (header.length / 4) << 4
  header[13] = spec.flags ?? 0x18
  header.writeUInt16BE(spec.window ?? 64240, 14)
  options.copy(header, 20)
  return Buffer.concat([header, spec.payload ?? Buffer.alloc(0)])
}

export function udp(srcPort: number, dstPort: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8)
  header.writeUInt16BE(srcPort, 0)
  header.writeUInt16BE(dstPort, 2)
  header.writeUInt16BE(8 + payload.length, 4)
  return Buffer.concat([header, payload])
}

/** TCP options as a client sends them on a SYN: MSS 1460, SACK permitted, timestamps, NOP, window scale 7. */
export const SYN_OPTIONS = Buffer.from([
  0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a, 0x00, 0x01, 0x02, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07
])

/** NOP, NOP, timestamps: the 12 option bytes on most data segments (Data Offset 8). */
export const TIMESTAMP_OPTIONS = Buffer.from([0x01, 0x01, 0x08, 0x0a, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x0f, 0xff])

/** Router Alert (RFC 2113): a 4-byte IPv4 option, so IHL becomes 6. */
export const ROUTER_ALERT = Buffer.from([0x94, 0x04, 0x00, 0x00])
