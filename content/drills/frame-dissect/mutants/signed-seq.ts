// Bug: reads sequence and acknowledgment numbers as signed 32-bit integers, so values past 2^31 come out negative.
// Dissect a captured Ethernet II frame: Ethernet -> IPv4 -> TCP -> HTTP request head.
// Every multi-byte field is big-endian (network byte order).

export interface EthernetInfo {
  dst: string
  src: string
  /** 802.1Q VLAN ID if the frame carries a tag, else null. */
  vlanId: number | null
  etherType: number
}

export interface Ipv4Info {
  version: number
  ihl: number
  headerLength: number
  totalLength: number
  ttl: number
  protocol: number
  src: string
  dst: string
  checksum: number
  checksumValid: boolean
}

export type TcpFlag = 'CWR' | 'ECE' | 'URG' | 'ACK' | 'PSH' | 'RST' | 'SYN' | 'FIN'

export interface TcpInfo {
  srcPort: number
  dstPort: number
  seq: number
  ack: number
  dataOffset: number
  headerLength: number
  flags: TcpFlag[]
  window: number
}

export interface HttpRequestInfo {
  method: string
  target: string
  version: string
  headers: Record<string, string>
}

export interface Dissection {
  ethernet: EthernetInfo
  ipv4: Ipv4Info | null
  tcp: TcpInfo | null
  payload: Buffer
  http: HttpRequestInfo | null
}

const ETHERTYPE_IPV4 = 0x0800
const ETHERTYPE_VLAN = 0x8100
const PROTOCOL_TCP = 6
const FLAG_NAMES: TcpFlag[] = ['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN']

export function dissectFrame(frame: Buffer): Dissection {
  // Ethernet II: dst MAC (6), src MAC (6), EtherType (2); an 802.1Q tag (4) may sit before the type.
  need(frame, 14, 'Ethernet header')
  let offset = 12
  let vlanId: number | null = null
  let etherType = frame.readUInt16BE(offset)
  if (etherType === ETHERTYPE_VLAN) {
    need(frame, 18, '802.1Q tag')
    vlanId = frame.readUInt16BE(14) & 0x0fff
    offset += 4
    etherType = frame.readUInt16BE(offset)
  }
  offset += 2
  const ethernet: EthernetInfo = { dst: macText(frame, 0), src: macText(frame, 6), vlanId, etherType }
  if (etherType !== ETHERTYPE_IPV4)
    return { ethernet, ipv4: null, tcp: null, payload: frame.subarray(offset), http: null }

  // IPv4 (RFC 791 §3.1): IHL is in 32-bit words; Total Length covers header + data, not padding.
  const ip = frame.subarray(offset)
  need(ip, 20, 'IPv4 header')
  const version = ip[0]! >> 4
  const ihl = ip[0]! & 0x0f
  if (version !== 4) throw new RangeError(`EtherType 0x0800 but IP version ${version}`)
  if (ihl < 5) throw new RangeError(`IHL ${ihl} is below the minimum of 5 words`)
  const headerLength = ihl * 4
  const totalLength = ip.readUInt16BE(2)
  need(ip, headerLength, 'IPv4 header with options')
  if (totalLength < headerLength)
    throw new RangeError(`IPv4 Total Length ${totalLength} is shorter than the header (${headerLength})`)
  need(ip, totalLength, 'IPv4 packet (Total Length)')
  const ipv4: Ipv4Info = {
    version,
    ihl,
    headerLength,
    totalLength,
    ttl: ip[8]!,
    protocol: ip[9]!,
    src: ip.subarray(12, 16).join('.'),
    dst: ip.subarray(16, 20).join('.'),
    checksum: ip.readUInt16BE(10),
    checksumValid: onesComplementSum(ip.subarray(0, headerLength)) === 0xffff
  }
  const ipPayload = ip.subarray(headerLength, totalLength)
  if (ipv4.protocol !== PROTOCOL_TCP) return { ethernet, ipv4, tcp: null, payload: ipPayload, http: null }

  // TCP (RFC 9293 §3.1): Data Offset is the high nibble of byte 12, in 32-bit words; flags in byte 13.
  need(ipPayload, 20, 'TCP header')
  const dataOffset = ipPayload[12]! >> 4
  if (dataOffset < 5) throw new RangeError(`TCP Data Offset ${dataOffset} is below the minimum of 5 words`)
  need(ipPayload, dataOffset * 4, 'TCP header with options')
  const flagByte = ipPayload[13]!
  const tcp: TcpInfo = {
    srcPort: ipPayload.readUInt16BE(0),
    dstPort: ipPayload.readUInt16BE(2),
    seq: ipPayload.readInt32BE(4),
    ack: ipPayload.readInt32BE(8),
    dataOffset,
    headerLength: dataOffset * 4,
    flags: FLAG_NAMES.filter((_, i) => flagByte & (0x80 >> i)),
    window: ipPayload.readUInt16BE(14)
  }
  const payload = ipPayload.subarray(tcp.headerLength)
  return { ethernet, ipv4, tcp, payload, http: parseRequestHead(payload) }
}

function need(bytes: Buffer, length: number, what: string): void {
  if (bytes.length < length) throw new RangeError(`truncated ${what}: need ${length} bytes, have ${bytes.length}`)
}

function macText(bytes: Buffer, at: number): string {
  return [...bytes.subarray(at, at + 6)].map((b) => b.toString(16).padStart(2, '0')).join(':')
}

/** RFC 1071: add 16-bit words with end-around carry. A valid header (checksum included) sums to 0xffff. */
function onesComplementSum(bytes: Buffer): number {
  let sum = 0
  for (let i = 0; i < bytes.length; i += 2) {
    sum += bytes.readUInt16BE(i)
    sum = (sum & 0xffff) + (sum >>> 16)
  }
  return sum
}

/** An HTTP/1.x request head (RFC 9112 §2-§5), or null when the payload does not hold a whole one. */
function parseRequestHead(payload: Buffer): HttpRequestInfo | null {
  const end = payload.indexOf('\r\n\r\n')
  if (end < 0) return null
  const [requestLine = '', ...fieldLines] = payload.subarray(0, end).toString('latin1').split('\r\n')
  const match = /^([A-Z]+) (\S+) (HTTP\/\d\.\d)$/.exec(requestLine)
  if (!match) return null
  const headers: Record<string, string> = {}
  for (const line of fieldLines) {
    const colon = line.indexOf(':')
    if (colon <= 0) return null
    const name = line.slice(0, colon).toLowerCase()
    const value = line.slice(colon + 1).trim()
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value
  }
  return { method: match[1]!, target: match[2]!, version: match[3]!, headers }
}
