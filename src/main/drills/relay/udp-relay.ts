// UDP relay on 127.0.0.1: one front socket for clients; per client address, one upstream socket
// towards the target, so replies find their way back. Datagrams may be dropped, duplicated,
// delayed (and so reordered by jitter) or held back and sent after the next one.
import dgram from 'node:dgram'
import { isIP } from 'node:net'
import { streamRandom } from './prng'
import { emptyStats, type Relay, type RelayFaults } from './types'

/** A held-back datagram is released after this long if no later one comes to overtake it, ms. */
const REORDER_HOLD_MS = 50

export async function createUdpRelay(target: { host: string; port: number }, initial: RelayFaults): Promise<Relay> {
  let faults: RelayFaults = { ...initial }
  // One stream per direction: replies interleave with requests differently from run to run.
  const random = { up: streamRandom(faults.seed ?? 1, 0, 0), down: streamRandom(faults.seed ?? 1, 0, 1) }
  /** Armed timers: a datagram delayed, or held back for reordering. */
  const timers = new Set<NodeJS.Timeout>()
  // `pending` is read from the timers themselves, so no arming, firing or clearing can leave it stale.
  const stats = Object.defineProperty(emptyStats(), 'pending', { get: () => timers.size, enumerable: true })
  const upstreams = new Map<string, dgram.Socket>()
  const family = isIP(target.host) === 6 ? 'udp6' : 'udp4'
  const bindHost = family === 'udp6' ? '::1' : '127.0.0.1'
  const front = dgram.createSocket(family)

  /** Per direction: time the link is busy until (bandwidth cap), ms since epoch. */
  const busyUntil = { up: 0, down: 0 }
  const held: { up: (() => void) | null; down: (() => void) | null } = { up: null, down: null }

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t)
      fn()
    }, ms)
    timers.add(t)
  }

  function forward(direction: 'up' | 'down', msg: Buffer, send: () => void): void {
    stats.datagrams += 1
    const f = faults
    const rnd = random[direction]
    if (f.lossRate && rnd() < f.lossRate) {
      stats.dropped += 1
      return
    }
    const copies = f.duplicateRate && rnd() < f.duplicateRate ? 2 : 1
    if (copies === 2) stats.duplicated += 1
    const deliver = () => {
      for (let i = 0; i < copies; i++) {
        const now = Date.now()
        const pacing = f.bandwidthBytesPerSec ? (msg.length * 1000) / f.bandwidthBytesPerSec : 0
        const start = Math.max(now, busyUntil[direction])
        busyUntil[direction] = start + pacing
        const delay = start + pacing - now + (f.latencyMs ?? 0) + (f.jitterMs ? rnd() * f.jitterMs : 0)
        later(delay, () => {
          stats.forwardedBytes += msg.length
          send()
        })
      }
    }
    const release = held[direction]
    if (f.reorderRate && !release && rnd() < f.reorderRate) {
      stats.reordered += 1
      held[direction] = deliver
      later(REORDER_HOLD_MS, () => {
        if (held[direction] === deliver) {
          held[direction] = null
          deliver()
        }
      })
      return
    }
    deliver()
    if (release) {
      held[direction] = null
      release()
    }
  }

  front.on('message', (msg, rinfo) => {
    const key = `${rinfo.address}:${rinfo.port}`
    let upstream = upstreams.get(key)
    if (!upstream) {
      stats.connections += 1
      const socket = dgram.createSocket(family)
      upstream = socket
      upstreams.set(key, socket)
      socket.bind(0, bindHost)
      socket.on('message', (reply) => forward('down', reply, () => front.send(reply, rinfo.port, rinfo.address)))
      socket.on('error', () => {})
    }
    const socket = upstream
    forward('up', msg, () => socket.send(msg, target.port, target.host))
  })
  front.on('error', () => {})
  await new Promise<void>((resolve) => front.bind(0, bindHost, () => resolve()))
  const port = front.address().port
  return {
    protocol: 'udp',
    host: bindHost,
    port,
    address: family === 'udp6' ? `[::1]:${port}` : `127.0.0.1:${port}`,
    stats,
    setFaults(next) {
      faults = { ...faults, ...next }
    },
    resetAll() {
      // UDP has no connections to reset; forget the client mappings instead.
      for (const s of upstreams.values()) s.close()
      upstreams.clear()
    },
    async close() {
      for (const t of timers) clearTimeout(t)
      timers.clear()
      for (const s of upstreams.values()) s.close()
      upstreams.clear()
      await new Promise<void>((resolve) => front.close(() => resolve()))
    }
  }
}
