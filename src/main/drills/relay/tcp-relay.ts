// TCP relay on 127.0.0.1: every accepted connection gets its own upstream connection; each
// direction is a Pump that delays, paces, splits or gathers bytes but never reorders them.
import net from 'node:net'
import { streamRandom, type Random } from './prng'
import { emptyStats, type Relay, type RelayFaults } from './types'

interface Target {
  host: string
  port: number
}

export async function createTcpRelay(target: Target, initial: RelayFaults): Promise<Relay> {
  let faults: RelayFaults = { ...initial }
  const stats = emptyStats()
  const open = new Set<net.Socket>()
  const pumps = new Set<Pump>()

  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    stats.connections += 1
    const upstream = net.connect({ host: target.host, port: target.port, allowHalfOpen: true })
    open.add(client)
    open.add(upstream)
    let passed = 0
    const onBytes = (n: number) => {
      stats.forwardedBytes += n
      passed += n
      if (faults.resetAfterBytes !== undefined && passed >= faults.resetAfterBytes) reset()
    }
    const reset = () => {
      stats.resets += 1
      for (const s of [client, upstream]) if (!s.destroyed) s.resetAndDestroy()
    }
    const onSegment = () => (stats.segments += 1)
    const seed = faults.seed ?? 1
    const connection = stats.connections - 1
    const up = new Pump(client, upstream, () => faults, streamRandom(seed, connection, 0), onBytes, onSegment)
    const down = new Pump(upstream, client, () => faults, streamRandom(seed, connection, 1), onBytes, onSegment)
    pumps.add(up).add(down)
    const cleanup = () => {
      up.stop()
      down.stop()
      pumps.delete(up)
      pumps.delete(down)
      open.delete(client)
      open.delete(upstream)
    }
    // An error on one side ends the other: a reset upstream resets the client too.
    client.on('error', () => {
      if (!upstream.destroyed) upstream.resetAndDestroy()
    })
    upstream.on('error', () => {
      if (!client.destroyed) client.resetAndDestroy()
    })
    // Clean up once both sides have closed: when one side closes first, the pump towards the
    // other may still hold delayed bytes and the FIN that must follow them.
    let closed = 0
    const onClose = () => {
      if (++closed === 2) cleanup()
    }
    client.on('close', onClose)
    upstream.on('close', onClose)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as net.AddressInfo).port
  return {
    protocol: 'tcp',
    host: '127.0.0.1',
    port,
    address: `127.0.0.1:${port}`,
    stats,
    setFaults(next) {
      faults = { ...faults, ...next }
    },
    resetAll() {
      for (const s of open) {
        if (!s.destroyed) {
          stats.resets += 1
          s.resetAndDestroy()
        }
      }
    },
    close() {
      for (const s of open) s.destroy()
      return new Promise((resolve) => server.close(() => resolve()))
    }
  }
}

/** One direction: reads from `from`, schedules writes to `to`. */
class Pump {
  private queue: Array<{ at: number; bytes: Buffer }> = []
  private gathering: Buffer[] = []
  private gatherTimer: NodeJS.Timeout | null = null
  private timer: NodeJS.Timeout | null = null
  /** When the last scheduled piece leaves, ms since epoch (order is never broken). */
  private lastAt = 0
  private ended = false

  constructor(
    private readonly from: net.Socket,
    private readonly to: net.Socket,
    private readonly faults: () => RelayFaults,
    private readonly random: Random,
    private readonly onBytes: (n: number) => void,
    private readonly onSegment: () => void
  ) {
    from.on('data', (chunk: Buffer) => this.take(chunk))
    from.on('end', () => {
      this.flushGather()
      this.ended = true
      this.drain()
    })
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer)
    if (this.gatherTimer) clearTimeout(this.gatherTimer)
    this.queue = []
  }

  private take(chunk: Buffer): void {
    const coalesceMs = this.faults().coalesceMs ?? 0
    if (coalesceMs > 0) {
      this.gathering.push(chunk)
      this.gatherTimer ??= setTimeout(() => this.flushGather(), coalesceMs)
      return
    }
    this.schedule(chunk)
  }

  private flushGather(): void {
    if (this.gatherTimer) clearTimeout(this.gatherTimer)
    this.gatherTimer = null
    if (this.gathering.length === 0) return
    const all = Buffer.concat(this.gathering)
    this.gathering = []
    this.schedule(all)
  }

  private schedule(chunk: Buffer): void {
    const f = this.faults()
    const pieces: Buffer[] = []
    const max = f.maxSegmentBytes ?? 0
    if (max > 0) {
      for (let at = 0; at < chunk.length;) {
        const size = 1 + Math.floor(this.random() * max)
        pieces.push(chunk.subarray(at, at + size))
        at += size
      }
    } else pieces.push(chunk)
    const now = Date.now()
    for (const bytes of pieces) {
      const delay = (f.latencyMs ?? 0) + (f.jitterMs ? this.random() * f.jitterMs : 0)
      const pacing = f.bandwidthBytesPerSec ? (bytes.length * 1000) / f.bandwidthBytesPerSec : 0
      // Separate pieces get at least 1 ms between them so the reader sees them as separate reads.
      const gap = max > 0 ? 1 : 0
      const at = Math.max(now + delay, this.lastAt + Math.max(pacing, gap))
      this.lastAt = at
      this.queue.push({ at, bytes })
    }
    this.drain()
  }

  private drain(): void {
    if (this.timer) return
    const now = Date.now()
    // When cutting, one piece per timer tick: pieces written together would merge again in the
    // receiver's socket buffer.
    const onePerTick = (this.faults().maxSegmentBytes ?? 0) > 0
    while (this.queue.length > 0 && (this.queue[0]?.at ?? 0) <= now) {
      const next = this.queue.shift()
      if (!next || this.to.destroyed) continue
      this.to.write(next.bytes)
      this.onBytes(next.bytes.length)
      this.onSegment()
      if (onePerTick) break
    }
    const head = this.queue[0]
    if (head) {
      this.timer = setTimeout(
        () => {
          this.timer = null
          this.drain()
        },
        Math.max(onePerTick ? 1 : 0, head.at - now)
      )
    } else if (this.ended && this.gathering.length === 0 && !this.to.destroyed) this.to.end()
  }
}
