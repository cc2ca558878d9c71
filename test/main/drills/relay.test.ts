// The fault-injecting relay, driven directly on 127.0.0.1. Faults are asserted through what
// arrives (pieces, order, counts), never through elapsed time.
import { afterEach, describe, expect, it } from 'vitest'
import net from 'node:net'
import dgram from 'node:dgram'
import { createRelay, type Relay } from '../../../src/main/drills/index'
import { seededRandom } from '../../../src/main/drills/relay/prng'

const cleanup: Array<() => unknown> = []
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn()
})

async function tcpSink(): Promise<{ port: number; chunks: Buffer[]; ended: Promise<void> }> {
  const chunks: Buffer[] = []
  let resolveEnded: () => void = () => {}
  const ended = new Promise<void>((r) => (resolveEnded = r))
  const server = net.createServer((s) => {
    s.on('data', (d) => chunks.push(d))
    s.on('end', () => {
      s.end()
      resolveEnded()
    })
    s.on('error', () => {})
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  cleanup.push(() => new Promise((r) => server.close(r)))
  return { port: (server.address() as net.AddressInfo).port, chunks, ended }
}

async function relayTo(options: Parameters<typeof createRelay>[0]): Promise<Relay> {
  const relay = await createRelay(options)
  cleanup.push(() => relay.close())
  return relay
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s))
    s.on('error', reject)
  })
}

describe('TCP relay', () => {
  it('cuts the stream into pieces no bigger than maxSegmentBytes, bytes intact', async () => {
    const sink = await tcpSink()
    const relay = await relayTo({ target: sink.port, maxSegmentBytes: 5, seed: 42 })
    const client = await connect(relay.port)
    const data = Buffer.from('the quick brown fox jumps over the lazy dog')
    client.end(data)
    await sink.ended
    expect(Buffer.concat(sink.chunks).toString()).toBe(data.toString())
    // The relay wrote at least length/5 pieces; the reader saw more than one read (the kernel
    // may still merge pieces the reader was slow to pick up, so no exact count here).
    expect(relay.stats.segments).toBeGreaterThanOrEqual(Math.ceil(data.length / 5))
    expect(sink.chunks.length).toBeGreaterThan(1)
    expect(relay.stats.forwardedBytes).toBe(data.length)
  })

  it('the same seed cuts the same way', async () => {
    const segments: number[] = []
    for (const seed of [1234, 1234, 99]) {
      const sink = await tcpSink()
      const relay = await relayTo({ target: sink.port, maxSegmentBytes: 40, seed })
      const client = await connect(relay.port)
      client.end(Buffer.alloc(400, 1))
      await sink.ended
      segments.push(relay.stats.segments)
    }
    expect(segments[0]).toBe(segments[1])
    expect(seededRandom(1234)()).toBe(seededRandom(1234)())
    expect(seededRandom(1234)()).not.toBe(seededRandom(99)())
  })

  it('glues separate writes into one delivery with coalesceMs', async () => {
    const sink = await tcpSink()
    const relay = await relayTo({ target: sink.port, coalesceMs: 40 })
    const client = await connect(relay.port)
    client.write('one|')
    client.write('two|')
    client.write('three|')
    client.end()
    await sink.ended
    expect(sink.chunks.map(String)).toEqual(['one|two|three|'])
  })

  it('resetAll sends RST to the client', async () => {
    const sink = await tcpSink()
    const relay = await relayTo({ target: sink.port })
    const client = await connect(relay.port)
    const error = new Promise<string>((resolve) =>
      client.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? ''))
    )
    client.write('x')
    // Reset once the relay holds both legs: the byte has reached the sink.
    await expect.poll(() => Buffer.concat(sink.chunks).length, { timeout: 10_000 }).toBe(1)
    relay.resetAll()
    expect(await error).toBe('ECONNRESET')
    expect(relay.stats.resets).toBeGreaterThan(0)
  })

  it('resetAfterBytes resets once that many bytes have passed', async () => {
    const sink = await tcpSink()
    const relay = await relayTo({ target: sink.port, resetAfterBytes: 10 })
    const client = await connect(relay.port)
    const error = new Promise<string>((resolve) =>
      client.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? ''))
    )
    client.write(Buffer.alloc(32, 7))
    expect(await error).toBe('ECONNRESET')
  })

  it('keeps every byte under a bandwidth cap and latency', async () => {
    const sink = await tcpSink()
    const relay = await relayTo({ target: sink.port, bandwidthBytesPerSec: 200_000, latencyMs: 5, jitterMs: 5 })
    const client = await connect(relay.port)
    const data = Buffer.from(Array.from({ length: 20_000 }, (_, i) => i % 251))
    client.end(data)
    await sink.ended
    expect(Buffer.concat(sink.chunks).equals(data)).toBe(true)
  })

  it('refuses a non-loopback target without opening anything', async () => {
    await expect(createRelay({ target: { host: '192.0.2.1', port: 80 } })).rejects.toThrow(/not a loopback address/)
    await expect(createRelay({ target: 1, lossRate: 2 })).rejects.toThrow(RangeError)
  })
})

describe('UDP relay', () => {
  /** An echo server on 127.0.0.1 that counts what reached it. */
  async function udpEcho(): Promise<{ port: number; received: () => number }> {
    const s = dgram.createSocket('udp4')
    let received = 0
    s.on('message', (m, r) => {
      received += 1
      s.send(m, r.port, r.address)
    })
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', r))
    cleanup.push(() => new Promise<void>((r) => s.close(() => r())))
    return { port: s.address().port, received: () => received }
  }

  /**
   * Sends `count` numbered datagrams through the relay to `echo` and collects the echoes, until
   * nothing is left anywhere: the relay has handled every datagram both ways (`count` up plus one
   * per echo), holds none back, and everything it sent has arrived (at the echo server or here).
   */
  async function exchange(relay: Relay, echo: { received: () => number }, count: number): Promise<number[]> {
    const client = dgram.createSocket('udp4')
    await new Promise<void>((r) => client.bind(0, '127.0.0.1', r))
    cleanup.push(() => new Promise<void>((r) => client.close(() => r())))
    const got: number[] = []
    client.on('message', (m) => got.push(m.readUInt32BE(0)))
    for (let i = 0; i < count; i++) {
      const b = Buffer.alloc(4)
      b.writeUInt32BE(i)
      client.send(b, relay.port, '127.0.0.1')
    }
    const settled = () =>
      relay.stats.datagrams === count + echo.received() &&
      relay.stats.pending === 0 &&
      relay.stats.forwardedBytes / 4 === echo.received() + got.length
    await expect.poll(settled, { timeout: 10_000 }).toBe(true)
    return got
  }

  it('drops the same datagrams for the same seed', async () => {
    const runs: number[][] = []
    for (let i = 0; i < 2; i++) {
      const echo = await udpEcho()
      const relay = await relayTo({ protocol: 'udp', target: echo.port, lossRate: 0.3, seed: 99 })
      runs.push((await exchange(relay, echo, 40)).sort((a, b) => a - b))
      expect(relay.stats.dropped).toBeGreaterThan(0)
    }
    expect(runs[0]).toEqual(runs[1])
    expect(runs[0]?.length).toBeLessThan(40)
  })

  it('duplicates every datagram at duplicateRate 1', async () => {
    const echo = await udpEcho()
    const relay = await relayTo({ protocol: 'udp', target: echo.port, duplicateRate: 1 })
    const got = await exchange(relay, echo, 5)
    // Duplicated on the way out and again on the way back: 4 copies of each.
    expect(got.sort((a, b) => a - b)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4])
  })

  it('counts a delayed datagram as pending until it is sent, and none once closed', async () => {
    const echo = await udpEcho()
    // Closed by the test itself (a second close would fail on the closed socket).
    const relay = await createRelay({ protocol: 'udp', target: echo.port, latencyMs: 3_600_000 })
    let closed = false
    cleanup.push(() => closed || relay.close())
    const client = dgram.createSocket('udp4')
    await new Promise<void>((r) => client.bind(0, '127.0.0.1', r))
    cleanup.push(() => new Promise<void>((r) => client.close(() => r())))
    expect(relay.stats.pending).toBe(0)
    client.send(Buffer.from('late'), relay.port, '127.0.0.1')
    client.send(Buffer.from('later'), relay.port, '127.0.0.1')
    await expect.poll(() => relay.stats.datagrams).toBe(2)
    expect(relay.stats.pending).toBe(2)
    expect({ ...relay.stats }).toMatchObject({ pending: 2 }) // a copy of the stats carries it too
    // Faster from now on: the next datagram goes out while the first two still wait.
    relay.setFaults({ latencyMs: 0 })
    client.send(Buffer.from('now'), relay.port, '127.0.0.1')
    await expect.poll(() => echo.received()).toBe(1)
    await expect.poll(() => relay.stats.datagrams).toBe(4) // its echo came back through the relay
    await expect.poll(() => relay.stats.pending).toBe(2)
    await relay.close()
    closed = true
    expect(relay.stats.pending).toBe(0)
    expect(echo.received()).toBe(1)
  })

  it('reorders but delivers everything at reorderRate 0.5', async () => {
    const echo = await udpEcho()
    const relay = await relayTo({ protocol: 'udp', target: echo.port, reorderRate: 0.5, seed: 3 })
    const got = await exchange(relay, echo, 20)
    expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i))
    expect(got).not.toEqual([...got].sort((a, b) => a - b))
    expect(relay.stats.reordered).toBeGreaterThan(0)
  })
})
