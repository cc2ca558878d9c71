// Bug: address-and-port-dependent filtering checks only the source address, so another port on a contacted host gets in (RFC 4787 §5).
// A UDP NAT on loopback with RFC 4787 mapping (§4.1) and filtering (§5) behaviours.
//
// Inside link: internal hosts send every datagram to the NAT's inside socket with a 6-byte header
// naming the destination (4-byte IPv4 address, 2-byte port), the way an IP header would. The NAT
// sends it on from one of its external sockets (the mapping) and delivers replies back over the
// inside link with the header naming the original sender.
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

const key = (e: Endpoint) => `${e.address}:${e.port}`

/** Which outbound packets share one external mapping (RFC 4787 §4.1). */
export function mappingKey(mapping: Behaviour, internal: Endpoint, destination: Endpoint): string {
  switch (mapping) {
    case 'endpoint-independent':
      return key(internal)
    case 'address-dependent':
      return `${key(internal)}->${destination.address}`
    case 'address-and-port-dependent':
      return `${key(internal)}->${key(destination)}`
  }
}

/** May a packet from `source` come in, given whom the internal endpoint has sent to (RFC 4787 §5)? */
export function filterAllows(filtering: Behaviour, contacted: Endpoint[], source: Endpoint): boolean {
  switch (filtering) {
    case 'endpoint-independent':
      return true
    case 'address-dependent':
      return contacted.some((c) => c.address === source.address)
    case 'address-and-port-dependent':
      return contacted.some((c) => c.address === source.address)
  }
}

export async function createNat(options: NatOptions): Promise<Nat> {
  const insideHost = options.insideHost ?? '127.0.0.1'
  const inside = dgram.createSocket('udp4')
  const mappings = new Map<string, dgram.Socket>()
  /** Per internal endpoint: every destination it has sent to, for filtering. */
  const contacted = new Map<string, Endpoint[]>()

  const bindExternal = (internal: Endpoint): Promise<dgram.Socket> =>
    new Promise((resolve) => {
      const socket = dgram.createSocket('udp4')
      socket.on('error', () => {})
      socket.on('message', (msg, rinfo) => {
        const source = { address: rinfo.address, port: rinfo.port }
        if (!filterAllows(options.filtering, contacted.get(key(internal)) ?? [], source)) return // dropped: no state admits it
        inside.send(encodeInside(source, msg), internal.port, internal.address)
      })
      socket.bind(0, options.externalHost, () => resolve(socket))
    })

  // Creating a mapping is asynchronous (bind), so remember the promise: two packets sent back to
  // back must share one mapping, not race to make two.
  const pending = new Map<string, Promise<dgram.Socket>>()
  const mappingFor = (internal: Endpoint, destination: Endpoint): Promise<dgram.Socket> => {
    const k = mappingKey(options.mapping, internal, destination)
    let socket = pending.get(k)
    if (!socket) {
      socket = bindExternal(internal).then((s) => {
        mappings.set(k, s)
        return s
      })
      pending.set(k, socket)
    }
    return socket
  }

  inside.on('error', () => {})
  inside.on('message', (msg, rinfo) => {
    const packet = decodeInside(msg)
    if (!packet) return
    const internal = { address: rinfo.address, port: rinfo.port }
    const list = contacted.get(key(internal)) ?? []
    if (!list.some((c) => key(c) === key(packet.peer))) list.push(packet.peer)
    contacted.set(key(internal), list)
    void mappingFor(internal, packet.peer).then((socket) =>
      socket.send(packet.payload, packet.peer.port, packet.peer.address)
    )
  })
  await new Promise<void>((resolve) => inside.bind(0, insideHost, () => resolve()))

  return {
    insideHost,
    insidePort: inside.address().port,
    externalHost: options.externalHost,
    mappingCount: () => mappings.size,
    async close() {
      const sockets = [inside, ...(await Promise.all(pending.values()))]
      await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))))
    }
  }
}
