import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import net from 'node:net'
import { test, createRelay } from 'retransmit:test'
import { startProxy } from './solution'
import { collect, connect, sleep, startBackend, until, whoAnswers, type TestBackend } from './l4-lab'

const FAST = { healthCheckIntervalMs: 50, healthCheckTimeoutMs: 300, fall: 1, rise: 1 }
const backendsOf = (list: TestBackend[]) => list.map((b) => ({ host: '127.0.0.1', port: b.port }))

test(
  '200 KiB through a fragmenting relay arrives intact',
  async () => {
    const b = await startBackend('b1')
    const proxy = await startProxy({ backends: backendsOf([b]), ...FAST })
    const relay = await createRelay({ target: proxy.port, maxSegmentBytes: 4096, seed: 5 })
    try {
      const payload = randomBytes(200 * 1024)
      const expected = Buffer.concat([Buffer.from('b1\n'), payload])
      const socket = await connect(relay.port)
      const received: Buffer[] = []
      let total = 0
      socket.on('data', (c: Buffer) => {
        received.push(c)
        total += c.length
      })
      socket.write(payload)
      await until(
        () => total >= expected.length,
        8000,
        () =>
          `expected ${expected.length} bytes back (greeting + the 200 KiB echo), got ${total} after 8 s: forward every chunk as it arrives (the relay cuts the stream into pieces of 1-4096 bytes) and respect backpressure (pipe() does)`
      )
      socket.destroy()
      const data = Buffer.concat(received)
      assert.equal(data.length, expected.length, `got ${data.length - expected.length} byte(s) more than were sent`)
      assert.ok(
        data.equals(expected),
        'the bytes came back changed or reordered: an L4 proxy must forward the stream byte for byte'
      )
    } finally {
      await relay.close()
      await proxy.close()
      await b.close()
    }
  },
  { timeoutMs: 12000 }
)

test(
  'a backend found dead at startup is never used',
  async () => {
    const bs = [await startBackend('b1'), await startBackend('b2')]
    await bs[1]!.kill()
    const proxy = await startProxy({ backends: backendsOf(bs), ...FAST, healthCheckIntervalMs: 60000 })
    try {
      assert.deepEqual(
        proxy.healthy(),
        [true, false],
        `run one round of checks before startProxy resolves: b2 is down, healthy() says ${JSON.stringify(proxy.healthy())}`
      )
      const order = [await whoAnswers(proxy.port), await whoAnswers(proxy.port)]
      assert.deepEqual(
        order,
        ['b1', 'b1'],
        `b2 was never up, so both connections must reach b1, got ${order.map((o) => o || '(nothing)').join(' ')}`
      )
    } finally {
      await proxy.close()
      for (const b of bs) await b.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'when a backend dies mid-connection the client is closed',
  async () => {
    const b = await startBackend('b1')
    const proxy = await startProxy({ backends: backendsOf([b]), ...FAST })
    try {
      const socket = await connect(proxy.port)
      const result = collect(socket, 4000)
      socket.write('still there?')
      await sleep(100)
      await b.kill()
      const { ended } = await result
      assert.notEqual(
        ended,
        'timeout',
        'the backend went away but the client connection stayed open for 4 s: when the upstream ends or fails, end or destroy the client side too'
      )
    } finally {
      await proxy.close()
      await b.close()
    }
  },
  { timeoutMs: 6000 }
)

test(
  'with every backend down, clients are closed at once, and service resumes',
  async () => {
    const bs = [await startBackend('b1'), await startBackend('b2')]
    const proxy = await startProxy({ backends: backendsOf(bs), ...FAST })
    try {
      await bs[0]!.kill()
      await bs[1]!.kill()
      await until(
        () => proxy.healthy().every((h) => !h),
        2000,
        () => `both backends were killed, healthy() still says ${JSON.stringify(proxy.healthy())}`
      )
      const socket = net.connect(proxy.port, '127.0.0.1')
      socket.on('error', () => {})
      const { ended, data } = await collect(socket, 2000)
      assert.notEqual(
        ended,
        'timeout',
        'no backend is healthy: close (or reset) the client right away instead of leaving it hanging'
      )
      assert.equal(data.length, 0, 'no backend answered, so the client should get no bytes')
      await bs[0]!.revive()
      await until(
        () => proxy.healthy()[0] === true,
        2000,
        () => `b1 is back but healthy() says ${JSON.stringify(proxy.healthy())}`
      )
      assert.equal(await whoAnswers(proxy.port), 'b1', 'once b1 is healthy again, connections must reach it')
    } finally {
      await proxy.close()
      for (const b of bs) await b.close()
    }
  },
  { timeoutMs: 9000 }
)

test(
  'rise: a backend needs several good probes in a row to come back',
  async () => {
    const bs = [await startBackend('b1'), await startBackend('b2')]
    const proxy = await startProxy({
      backends: backendsOf(bs),
      healthCheckIntervalMs: 40,
      healthCheckTimeoutMs: 300,
      fall: 1,
      rise: 3
    })
    try {
      await bs[1]!.kill()
      await until(
        () => proxy.healthy()[1] === false,
        2000,
        () => `b2 was killed, healthy() still says ${JSON.stringify(proxy.healthy())}`
      )
      const before = bs[1]!.accepted
      await bs[1]!.revive()
      await until(
        () => proxy.healthy()[1] === true,
        3000,
        () => `b2 is back, but healthy() says ${JSON.stringify(proxy.healthy())} after 4 s`
      )
      await sleep(30)
      const probes = bs[1]!.accepted - before
      assert.ok(
        probes >= 3,
        `with rise = 3, b2 must pass 3 probes in a row before it is marked up; it was marked up after ${probes} probe connection(s)`
      )
    } finally {
      await proxy.close()
      for (const b of bs) await b.close()
    }
  },
  { timeoutMs: 9000 }
)

test(
  'a failed connect to a backend not yet marked down closes the client',
  async () => {
    const bs = [await startBackend('b1'), await startBackend('b2')]
    const proxy = await startProxy({
      backends: backendsOf(bs),
      healthCheckIntervalMs: 60000,
      healthCheckTimeoutMs: 300
    })
    try {
      await bs[0]!.kill() // the next probe is a minute away: the proxy still thinks b1 is fine
      const socket = await connect(proxy.port)
      const { ended } = await collect(socket, 2000)
      assert.notEqual(
        ended,
        'timeout',
        'the connect to b1 failed (ECONNREFUSED) but the client was left hanging: on an upstream error, destroy the client socket'
      )
      assert.equal(await whoAnswers(proxy.port), 'b2', 'the cursor moved on, so the next connection goes to b2')
    } finally {
      await proxy.close()
      for (const b of bs) await b.close()
    }
  },
  { timeoutMs: 6000 }
)

test(
  'twenty concurrent connections are split evenly and kept apart',
  async () => {
    const bs = [await startBackend('b1'), await startBackend('b2')]
    const proxy = await startProxy({ backends: backendsOf(bs), ...FAST })
    try {
      const runs = Array.from({ length: 20 }, async (_, i) => {
        const socket = await connect(proxy.port)
        const result = collect(socket, 5000)
        socket.end(`message number ${i}`)
        const text = (await result).data.toString()
        return { i, text }
      })
      const results = await Promise.all(runs)
      const counts: Record<string, number> = {}
      for (const { i, text } of results) {
        const [name, rest] = [text.split('\n')[0] ?? '', text.slice(text.indexOf('\n') + 1)]
        assert.equal(
          rest,
          `message number ${i}bye ${`message number ${i}`.length}\n`,
          `connection ${i} got ${JSON.stringify(text)}: each client must be paired with its own upstream connection`
        )
        counts[name] = (counts[name] ?? 0) + 1
      }
      assert.deepEqual(
        counts,
        { b1: 10, b2: 10 },
        `round robin over two backends should give 10 connections each, got ${JSON.stringify(counts)}`
      )
    } finally {
      await proxy.close()
      for (const b of bs) await b.close()
    }
  },
  { timeoutMs: 8000 }
)

test(
  'PROXY protocol v1 tells the backend who the client is',
  async () => {
    const lines: string[] = []
    const backend = net.createServer((socket) => {
      socket.on('error', () => {})
      let buffered = ''
      socket.on('data', (c: Buffer) => {
        buffered += c.toString('latin1')
        const end = buffered.indexOf('\r\n')
        if (end >= 0 && lines.length === 0) {
          lines.push(buffered.slice(0, end))
          socket.end('ok\n')
        }
      })
    })
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', () => r()))
    const port = (backend.address() as net.AddressInfo).port
    const proxy = await startProxy({ backends: [{ host: '127.0.0.1', port }], ...FAST, proxyProtocol: true })
    try {
      const socket = await connect(proxy.port)
      const clientPort = socket.localPort
      const result = collect(socket, 2000)
      socket.write('GET / HTTP/1.0\r\n\r\n')
      await result
      const expected = `PROXY TCP4 127.0.0.1 127.0.0.1 ${clientPort} ${proxy.port}`
      assert.equal(
        lines[0],
        expected,
        `the backend's first line should be '${expected}' (source address, destination address, source port, destination port, then CRLF), got ${JSON.stringify(lines[0] ?? '(nothing)')}`
      )
    } finally {
      await proxy.close()
      await new Promise<void>((r) => backend.close(() => r()))
    }
  },
  { timeoutMs: 5000 }
)

test(
  'idleTimeoutMs closes a silent connection, but not one where only the backend talks',
  async () => {
    const quiet = await startBackend('quiet')
    // This backend sends a tick every 100 ms to a client that never writes.
    const ticker = net.createServer((socket) => {
      const t = setInterval(() => socket.write('tick\n'), 100)
      socket.on('close', () => clearInterval(t))
      socket.on('error', () => {})
    })
    await new Promise<void>((r) => ticker.listen(0, '127.0.0.1', r))
    const tickerPort = (ticker.address() as net.AddressInfo).port
    const silentProxy = await startProxy({ backends: backendsOf([quiet]), ...FAST, idleTimeoutMs: 300 })
    const tickProxy = await startProxy({
      backends: [{ host: '127.0.0.1', port: tickerPort }],
      ...FAST,
      idleTimeoutMs: 300
    })
    try {
      const silent = await connect(silentProxy.port)
      const idle = await collect(silent, 2500)
      assert.notEqual(
        idle.ended,
        'timeout',
        'after the greeting nothing moved either way for 2.5 s, with idleTimeoutMs 300: close both sides of an idle connection (socket.setTimeout fires after that long without reads or writes)'
      )
      const listener = await connect(tickProxy.port)
      const heard = await collect(listener, 1200)
      listener.destroy()
      const ticks = heard.data.toString().split('tick').length - 1
      assert.equal(
        heard.ended,
        'timeout',
        `the backend sent a tick every 100 ms and the proxy closed the connection after ${ticks} tick(s), with idleTimeoutMs 300: bytes from the backend to the client are activity too`
      )
      assert.ok(ticks >= 5, `expected the ticks to flow for 1.2 s, got ${ticks}`)
    } finally {
      await silentProxy.close()
      await tickProxy.close()
      await quiet.close()
      ticker.close()
    }
  },
  { timeoutMs: 6000, stretch: true }
)
