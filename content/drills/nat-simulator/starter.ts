// A UDP NAT on loopback with RFC 4787 mapping and filtering behaviours.
//
// Inside link: internal hosts send every datagram to the NAT's inside socket with a 6-byte header
// naming the destination (4-byte IPv4 address, 2-byte port). Inbound packets go back to the
// internal host over the inside socket, with the header naming the original sender.
import dgram from 'node:dgram'

export type Behaviour = 'endpoint-independent' | 'address-dependent' | 'address-and-port-dependent'

export interface Endpoint {
  address: string
  port: number
}

export interface NatOptions {
  mapping: Behaviour
  filtering: Behaviour
  /** The NAT's public address: every mapping is a UDP socket bound here. */
  externalHost: string
  /** Where the inside socket listens (default 127.0.0.1). */
  insideHost?: string
}

export interface Nat {
  insideHost: string
  insidePort: number
  externalHost: string
  /** How many mappings (external sockets) exist right now. */
  mappingCount(): number
  close(): Promise<void>
}

const HEADER_BYTES = 6

// The inside-link format is done for you.
export function encodeInside(peer: Endpoint, payload: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_BYTES)
  peer.address.split('.').forEach((octet, i) => header.writeUInt8(Number(octet), i))
  header.writeUInt16BE(peer.port, 4)
  return Buffer.concat([header, payload])
}

export function decodeInside(buf: Buffer): { peer: Endpoint; payload: Buffer } | null {
  if (buf.length < HEADER_BYTES) return null
  const address = [...buf.subarray(0, 4)].join('.')
  return { peer: { address, port: buf.readUInt16BE(4) }, payload: buf.subarray(HEADER_BYTES) }
}

/** A string that is equal for exactly the outbound packets that must share one mapping. */
export function mappingKey(mapping: Behaviour, internal: Endpoint, destination: Endpoint): string {
  throw new Error('mappingKey: not implemented yet')
}

/** May a packet from `source` come in, given every endpoint the internal host has sent to? */
export function filterAllows(filtering: Behaviour, contacted: Endpoint[], source: Endpoint): boolean {
  throw new Error('filterAllows: not implemented yet')
}

export async function createNat(options: NatOptions): Promise<Nat> {
  const inside = dgram.createSocket('udp4')
  // TODO: on each inside datagram, find or create the mapping socket (bound on
  // options.externalHost) and send the payload on; on each datagram a mapping socket receives,
  // apply the filter and deliver it to the internal host with encodeInside(source, payload).
  throw new Error('createNat: not implemented yet')
}
