import assert from 'node:assert/strict'
import net from 'node:net'
import { test, createRelay } from 'retransmit:test'
import { startEchoServer } from './solution'
import { collectReplies, connect, frame } from './frames'

const portOf = (s: net.Server) => (s.address() as net.AddressInfo).port

test('writes glued together by a relay', async () => {
  const server = await startEchoServer()
  const relay = await createRelay({ target: portOf(server), coalesceMs: 30, seed: 3 })
  const socket = await connect(relay.port)
  const { waitFor } = collectReplies(socket)
  for (const word of ['x', 'yy', 'zzz', 'wwww']) socket.write(frame(Buffer.from(word)))
  const replies = await waitFor(4)
  socket.destroy()
  await relay.close()
  server.close()
  assert.deepEqual(
    replies.map((r) => `${r.seq}:${r.payload.toString()}`),
    ['0:x', '1:yy', '2:zzz', '3:wwww'],
    'four frames reached your server in one read: reply to each of them, in order'
  )
})

test('an empty frame is a frame', async () => {
  const server = await startEchoServer()
  const socket = await connect(portOf(server))
  const { waitFor } = collectReplies(socket)
  socket.write(frame(Buffer.alloc(0)))
  socket.write(frame(Buffer.from('after')))
  const replies = await waitFor(2)
  socket.destroy()
  server.close()
  assert.deepEqual(
    replies.map((r) => `${r.seq}:${r.payload.toString()}`),
    ['0:', '1:after'],
    'a length of 0 is valid: reply with just the sequence number'
  )
})

test('a 200 KB frame through a relay that cuts it into pieces of up to 4 KB', async () => {
  const server = await startEchoServer()
  const relay = await createRelay({ target: portOf(server), maxSegmentBytes: 4096, seed: 11 })
  const socket = await connect(relay.port)
  const { waitFor } = collectReplies(socket)
  const big = Buffer.alloc(200 * 1024, 0x61)
  socket.write(frame(big))
  const replies = await waitFor(1, 4000)
  socket.destroy()
  await relay.close()
  server.close()
  assert.equal(replies.length, 1, 'a big frame arrives in many reads; keep buffering until all of it is there')
  assert.equal(replies[0]?.payload.length, big.length)
})

test('two connections keep separate buffers and sequence numbers', async () => {
  const server = await startEchoServer()
  const relay = await createRelay({ target: portOf(server), maxSegmentBytes: 2, seed: 5 })
  const a = await connect(relay.port)
  const b = await connect(relay.port)
  const ra = collectReplies(a)
  const rb = collectReplies(b)
  a.write(Buffer.concat([frame(Buffer.from('a1')), frame(Buffer.from('a2'))]))
  b.write(Buffer.concat([frame(Buffer.from('b1')), frame(Buffer.from('b2'))]))
  const [gotA, gotB] = await Promise.all([ra.waitFor(2), rb.waitFor(2)])
  a.destroy()
  b.destroy()
  await relay.close()
  server.close()
  const show = (r: { seq: number; payload: Buffer }[]) => r.map((x) => `${x.seq}:${x.payload.toString()}`)
  assert.deepEqual(
    show(gotA),
    ['0:a1', '1:a2'],
    'connection A got the wrong replies: each connection needs its own buffer and counter'
  )
  assert.deepEqual(
    show(gotB),
    ['0:b1', '1:b2'],
    'connection B got the wrong replies: each connection needs its own buffer and counter'
  )
})

test('FIN from the client: reply, then end', async () => {
  const server = await startEchoServer()
  const socket = await connect(portOf(server))
  const { waitFor, ended } = collectReplies(socket)
  socket.end(frame(Buffer.from('last words')))
  await ended
  const replies = await waitFor(1, 100)
  server.close()
  assert.deepEqual(
    replies.map((r) => r.payload.toString()),
    ['last words'],
    'reply to frames that arrived with the FIN before ending your side'
  )
})

test('an empty frame at the very end of a read is still a frame', async () => {
  const server = await startEchoServer()
  const socket = await connect(portOf(server))
  const { waitFor } = collectReplies(socket)
  socket.write(Buffer.concat([frame(Buffer.from('x')), frame(Buffer.alloc(0))]))
  const replies = await waitFor(2)
  socket.destroy()
  server.close()
  assert.deepEqual(
    replies.map((r) => `${r.seq}:${r.payload.toString()}`),
    ['0:x', '1:'],
    'the read ended with a 4-byte header saying length 0: that is a whole frame already (check `buffer.length >= 4 + length`, not `> 4`)'
  )
})

test(
  "8 MiB of frames and the FIN sent before the client reads: every reply comes back, then 'end'",
  async () => {
    const server = await startEchoServer()
    const socket = await connect(portOf(server))
    const count = 64
    const payload = Buffer.alloc(128 * 1024, 0x62)
    try {
      socket.pause() // replies pile up in the server's send buffer while the client is not reading
      socket.end(Buffer.concat(Array.from({ length: count }, () => frame(payload))))
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 500) // a server with backpressure leaves the writes unfinished
        socket.once('finish', () => (clearTimeout(timer), resolve()))
      })
      // Count reply bytes (each reply: 4-byte length, 4-byte sequence, the payload) until the FIN.
      const expected = count * (8 + payload.length)
      let received = 0
      socket.on('data', (chunk: Buffer) => (received += chunk.length))
      const ended = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 6000)
        socket.once('end', () => (clearTimeout(timer), resolve(true)))
        socket.once('close', () => (clearTimeout(timer), resolve(false)))
      })
      socket.resume()
      const sawEnd = await ended
      assert.equal(
        received,
        expected,
        `${received} of the ${expected} reply bytes came back: when the client's FIN arrives, replies may still be queued behind a full send buffer. end() sends the FIN after them; destroy() throws them away`
      )
      assert.equal(
        sawEnd,
        true,
        "every reply came back, but the connection closed without the server's FIN ('end'): end your side with socket.end()"
      )
    } finally {
      socket.destroy()
      server.close()
    }
  },
  { timeoutMs: 10000 }
)

/** A client that writes `total` bytes of 64 KiB frames and never reads a reply. */
function floodWithoutReading(port: number, total: number): { socket: net.Socket; closed: () => boolean } {
  const socket = net.connect({ port, host: '127.0.0.1' }, () => {
    const chunk = frame(Buffer.alloc(64 * 1024 - 4, 0x6b))
    for (let sent = 0; sent < total; sent += chunk.length) socket.write(chunk)
  })
  socket.pause() // never read a reply
  let closed = false
  socket.on('error', () => {})
  socket.on('close', () => (closed = true))
  return { socket, closed: () => closed }
}

test(
  'a client that stops reading is pushed back on, not buffered without limit',
  async () => {
    const server = await startEchoServer()
    const { socket } = floodWithoutReading((server.address() as net.AddressInfo).port, 48 * 1024 * 1024)
    try {
      // With backpressure the client's unsent bytes stop going down and stay well above zero (the
      // buffers on the way hold a few MiB at most); without it they reach zero, because the server
      // read all 48 MiB and holds the replies in memory. Watched for 4 s.
      for (const started = Date.now(); Date.now() - started < 4000;) {
        await new Promise((r) => setTimeout(r, 50))
        assert.ok(
          socket.writableLength > 0 || socket.connecting,
          'the client sent 48 MiB and read nothing, and the server took all of it: it must be holding 48 MiB of replies in memory. When socket.write() returns false, pause() reading until "drain"'
        )
      }
    } finally {
      socket.destroy()
      server.close()
    }
  },
  { timeoutMs: 7000, stretch: true }
)

test(
  'a client stuck for stallTimeoutMs is dropped; an idle one is not',
  async () => {
    const server = await startEchoServer({ stallTimeoutMs: 300 })
    const port = (server.address() as net.AddressInfo).port
    const idle = await connect(port)
    const flood = floodWithoutReading(port, 48 * 1024 * 1024)
    try {
      const replies = collectReplies(idle)
      idle.write(frame(Buffer.from('first')))
      await replies.waitFor(1)
      for (const started = Date.now(); !flood.closed() && Date.now() - started < 3000;) {
        await new Promise((r) => setTimeout(r, 50))
      }
      assert.equal(
        flood.closed(),
        true,
        'a client that read none of its replies was still connected 3 s later with stallTimeoutMs 300: after that long with replies queued and none taken, destroy the socket'
      )
      idle.write(frame(Buffer.from('second')))
      const both = await replies.waitFor(2)
      assert.equal(
        both[1]?.payload.toString(),
        'second',
        'a client that was idle with nothing queued for it must still be served: only a stalled client is dropped'
      )
    } finally {
      idle.destroy()
      flood.socket.destroy()
      server.close()
    }
  },
  { timeoutMs: 6000, stretch: true }
)
