// Dissect a captured Ethernet II frame: Ethernet -> IPv4 -> TCP -> HTTP request head.
// The Ethernet part is done for you; the IPv4, TCP and HTTP parts are yours.

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

export function dissectFrame(frame: Buffer): Dissection {
  const ethernet: EthernetInfo = {
    dst: macText(frame, 0),
    src: macText(frame, 6),
    vlanId: null, // TODO: an EtherType of 0x8100 is an 802.1Q tag, and the real EtherType follows it
    etherType: frame.readUInt16BE(12)
  }
  // TODO: if etherType is 0x0800, parse the IPv4 header (RFC 791 §3.1) that starts at byte 14,
  // then the TCP header (RFC 9293 §3.1) if Protocol is 6, then the HTTP request head in the payload.
  return { ethernet, ipv4: null, tcp: null, payload: frame.subarray(14), http: null }
}

function macText(bytes: Buffer, at: number): string {
  return [...bytes.subarray(at, at + 6)].map((b) => b.toString(16).padStart(2, '0')).join(':')
}
