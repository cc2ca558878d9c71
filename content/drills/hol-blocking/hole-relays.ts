// Test relays that model one lost packet and its later retransmission, without timing:
// the lost bytes (and, for TCP, everything after them) are held until the test calls release().
import net from 'node:net'
import dgram from 'node:dgram'

export interface TcpHoleRelay {
  port: number
  connections: number
  /** Client-to-server bytes forwarded so far. */
  forwarded(): number
  /** Client-to-server bytes held back behind the hole so far. */
  held(): number
  /** Resolves once `bytes` bytes are held (the sender has sent everything up to there). */
  whenHeld(bytes: number): Promise<void>
  /** The "retransmission" arrives: forward what was held, then pass everything through. */
  release(): void
  close(): Promise<void>
}

/**
 * A TCP proxy whose client-to-server stream loses the segment starting at byte `holeAt`. The
 * receiving TCP would hold every later byte until the retransmission fills the gap, so this relay
 * forwards bytes before `holeAt` at once and holds the rest until release().
 */
export async function createTcpHoleRelay(targetPort: number, holeAt: number): Promise<TcpHoleRelay> {
  let released = false
  let forwarded = 0
  const heldChunks: Buffer[] = []
  let heldBytes = 0
  let upstreamOf: net.Socket | null = null
  let clientEnded = false
  const waiters: { bytes: number; resolve: () => void }[] = []
  const sockets = new Set<net.Socket>()
  const relay = { connections: 0 }
  const checkWaiters = () => {
    for (const w of [...waiters])
      if (heldBytes >= w.bytes) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve()
      }
  }

  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    relay.connections += 1
    const upstream = net.connect({ host: '127.0.0.1', port: targetPort, allowHalfOpen: true })
    upstreamOf = upstream
    sockets.add(client).add(upstream)
    client.on('data', (chunk: Buffer) => {
      if (released) {
        upstream.write(chunk)
        forwarded += chunk.length
        return
      }
      const room = Math.max(0, holeAt - forwarded)
      if (room > 0) {
        const before = chunk.subarray(0, room)
        upstream.write(before)
        forwarded += before.length
      }
      const after = chunk.subarray(room)
      if (after.length > 0) {
        heldChunks.push(Buffer.from(after))
        heldBytes += after.length
        checkWaiters()
      }
    })
    client.on('end', () => {
      clientEnded = true
      if (released) upstream.end()
    })
    upstream.on('data', (chunk: Buffer) => client.write(chunk))
    upstream.on('end', () => client.end())
    for (const s of [client, upstream]) s.on('error', () => {})
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return {
    port: (server.address() as net.AddressInfo).port,
    get connections() {
      return relay.connections
    },
    forwarded: () => forwarded,
    held: () => heldBytes,
    whenHeld: (bytes) =>
      new Promise((resolve) => {
        waiters.push({ bytes, resolve })
        checkWaiters()
      }),
    release() {
      released = true
      const upstream = upstreamOf
      if (!upstream) return
      for (const chunk of heldChunks.splice(0)) {
        upstream.write(chunk)
        forwarded += chunk.length
      }
      if (clientEnded) upstream.end()
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      })
  }
}

export interface UdpHoleRelay {
  port: number
  /** Datagrams forwarded so far. */
  forwarded(): number
  /** Datagrams held as "lost" so far. */
  held(): number
  /** The "retransmissions" arrive: forward the held datagrams, and stop holding. */
  release(): void
  close(): Promise<void>
}

/** A UDP proxy that holds (as lost, until release()) every datagram for which `lose` returns true. */
export async function createUdpHoleRelay(
  targetPort: number,
  lose: (datagram: Buffer) => boolean
): Promise<UdpHoleRelay> {
  const front = dgram.createSocket('udp4')
  const upstream = dgram.createSocket('udp4')
  const heldDatagrams: Buffer[] = []
  let released = false
  let forwarded = 0
  const forward = (msg: Buffer) => {
    forwarded += 1
    upstream.send(msg, targetPort, '127.0.0.1')
  }
  front.on('message', (msg) => {
    if (!released && lose(msg)) heldDatagrams.push(msg)
    else forward(msg)
  })
  await new Promise<void>((resolve) => upstream.bind(0, '127.0.0.1', () => resolve()))
  await new Promise<void>((resolve) => front.bind(0, '127.0.0.1', () => resolve()))
  return {
    port: front.address().port,
    forwarded: () => forwarded,
    held: () => heldDatagrams.length,
    release() {
      released = true
      for (const msg of heldDatagrams.splice(0)) forward(msg)
    },
    close: async () => {
      await new Promise<void>((resolve) => front.close(() => resolve()))
      await new Promise<void>((resolve) => upstream.close(() => resolve()))
    }
  }
}

/** Streams `streams` (ids), `perStream` messages each, interleaved round-robin: s0#0, s1#0, s2#0, s0#1, ... */
export function roundRobin(
  streams: number[],
  perStream: number,
  payloadBytes: number
): { stream: number; seq: number; payload: Buffer }[] {
  const out: { stream: number; seq: number; payload: Buffer }[] = []
  for (let seq = 0; seq < perStream; seq++) {
    for (const stream of streams) {
      const label = Buffer.from(`s${stream}#${seq}:`)
      const payload = Buffer.alloc(Math.max(payloadBytes, label.length), 0x2e)
      label.copy(payload)
      out.push({ stream, seq, payload })
    }
  }
  return out
}

/** Resolves once `done()` is true, checking every few ms; rejects with `message()` after `timeoutMs`. */
export function waitFor(done: () => boolean, timeoutMs: number, message: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now()
    const tick = () => {
      if (done()) return resolve()
      if (Date.now() - started > timeoutMs) return reject(new Error(message()))
      setTimeout(tick, 5)
    }
    tick()
  })
}

export const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export const label = (m: { stream: number; seq: number }) => `s${m.stream}#${m.seq}`
