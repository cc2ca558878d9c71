// Test helpers for the NAT drill: internal hosts that speak the inside-link format, reflectors
// that report the source address they saw (a tiny STUN), and the hole-punching procedure.
import dgram from 'node:dgram'
import { withTimeout } from 'retransmit:test'

export interface Endpoint {
  address: string
  port: number
}

export interface NatLike {
  insideHost: string
  insidePort: number
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
export const show = (e: Endpoint) => `${e.address}:${e.port}`

async function bound(host: string): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4')
  s.on('error', () => {})
  await new Promise<void>((r) => s.bind(0, host, () => r()))
  return s
}

/** The 6-byte inside-link header: destination (outbound) or original source (inbound). */
export function insidePacket(peer: Endpoint, payload: Buffer | string): Buffer {
  const header = Buffer.alloc(6)
  peer.address.split('.').forEach((o, i) => header.writeUInt8(Number(o), i))
  header.writeUInt16BE(peer.port, 4)
  return Buffer.concat([header, Buffer.from(payload)])
}

export interface Received {
  from: Endpoint
  text: string
}

/** A host behind `nat`: everything it sends goes to the NAT's inside socket. */
export async function internalHost(nat: NatLike) {
  const socket = await bound('127.0.0.1')
  const got: Received[] = []
  const junk: Buffer[] = []
  socket.on('message', (msg, rinfo) => {
    if (rinfo.port !== nat.insidePort || msg.length < 6) {
      junk.push(msg)
      return
    }
    got.push({
      from: { address: [...msg.subarray(0, 4)].join('.'), port: msg.readUInt16BE(4) },
      text: msg.subarray(6).toString()
    })
  })
  return {
    socket,
    got,
    junk,
    local: { address: '127.0.0.1', port: socket.address().port },
    send(to: Endpoint, text: string) {
      socket.send(insidePacket(to, text), nat.insidePort, nat.insideHost)
    },
    /** Wait until a message matching `pred` arrives; null after `ms`. */
    async waitFor(pred: (r: Received) => boolean, ms: number): Promise<Received | null> {
      const deadline = Date.now() + ms
      while (Date.now() < deadline) {
        const hit = got.find(pred)
        if (hit) return hit
        await sleep(10)
      }
      return got.find(pred) ?? null
    },
    close: () => socket.close()
  }
}

/** Replies to every datagram with the JSON of the source address it saw. */
export async function reflector(host: string) {
  const socket = await bound(host)
  const seen: Endpoint[] = []
  socket.on('message', (_msg, rinfo) => {
    const source = { address: rinfo.address, port: rinfo.port }
    seen.push(source)
    socket.send(JSON.stringify(source), rinfo.port, rinfo.address)
  })
  return { socket, seen, endpoint: { address: host, port: socket.address().port }, close: () => socket.close() }
}

/** Ask `refl` (through the NAT) which address it saw us come from: our reflexive address. */
export async function reflexiveAddress(
  host: Awaited<ReturnType<typeof internalHost>>,
  refl: { endpoint: Endpoint },
  what: string
): Promise<Endpoint> {
  const before = host.got.length
  host.send(refl.endpoint, 'what is my address?')
  const answer = await withTimeout(
    (async () => {
      for (;;) {
        const hit = host.got
          .slice(before)
          .find((r) => r.from.port === refl.endpoint.port && r.from.address === refl.endpoint.address)
        if (hit) return hit
        await sleep(10)
      }
    })(),
    1500,
    `${what}: no reply from the reflector at ${show(refl.endpoint)} came back through the NAT. Outbound: strip the 6-byte header and send the payload from a mapping socket bound on the external host. Inbound: prefix the sender's address and send it to the internal host over the inside socket.`
  )
  return JSON.parse(answer.text) as Endpoint
}

/**
 * The hole-punching procedure: both peers learn their reflexive address from a rendezvous
 * reflector, swap them (the test plays the signaling channel), then send punches to each other
 * for a while. The peers never learn peer-reflexive addresses: they only ever aim at what the
 * rendezvous reported.
 */
export async function holePunch(natA: NatLike, natB: NatLike, settleMs = 1000, rendezvousHost = '127.0.0.1') {
  const rendezvous = await reflector(rendezvousHost)
  const a = await internalHost(natA)
  const b = await internalHost(natB)
  try {
    const aPublic = await reflexiveAddress(a, rendezvous, 'peer A')
    const bPublic = await reflexiveAddress(b, rendezvous, 'peer B')
    for (let round = 0; round < 6; round++) {
      a.send(bPublic, `punch ${round} from A`)
      b.send(aPublic, `punch ${round} from B`)
      await sleep(25)
    }
    // Success returns as soon as both sides have heard each other; failure waits settleMs.
    const deadline = Date.now() + settleMs
    while (
      Date.now() < deadline &&
      !(a.got.some((r) => r.text.endsWith('from B')) && b.got.some((r) => r.text.endsWith('from A')))
    )
      await sleep(10)
    const aGot = a.got.filter((r) => r.text.endsWith('from B'))
    const bGot = b.got.filter((r) => r.text.endsWith('from A'))
    return { aPublic, bPublic, aGot, bGot }
  } finally {
    a.close()
    b.close()
    rendezvous.close()
  }
}
