import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type net from 'node:net'
import { test } from 'retransmit:test'
import { startEchoServer } from './solution'
import { connect, mismatch, PATIENCE_MS, portOf, receive } from './echo-client'

/** Resolves true when `emitter` emits `event`, false after PATIENCE_MS. */
function waitFor(emitter: NodeJS.EventEmitter, event: string): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), PATIENCE_MS)
    emitter.once(event, () => {
      clearTimeout(timer)
      resolve(true)
    })
  })
}

test('twenty clients at once, each with its own bytes', async () => {
  const server = await startEchoServer()
  const clients = await Promise.all(Array.from({ length: 20 }, () => connect(portOf(server))))
  const sent = clients.map((_, n) => Buffer.from(`client ${n}: `.repeat(50 + n)))
  const replies = Promise.all(clients.map((c, n) => receive(c, sent[n]!.length, true)))
  for (const [n, c] of clients.entries()) c.write(sent[n]!.subarray(0, 100))
  for (const [n, c] of clients.entries()) c.end(sent[n]!.subarray(100))
  const got = await replies
  for (const c of clients) c.destroy()
  server.close()
  for (const [n, g] of got.entries()) {
    if (!g.data.equals(sent[n]!)) {
      assert.fail(
        `client ${n} of 20: ${mismatch(g, sent[n]!)}; every connection needs its own echo, independent of the others`
      )
    }
    assert.ok(
      g.ended,
      `client ${n} of 20 got its bytes back but never saw 'end' after its FIN: when a socket's 'end' fires, call socket.end() (pipe() does it for you)`
    )
  }
})

test('a burst of 2,000 tiny writes comes back in order', async () => {
  const server = await startEchoServer()
  const client = await connect(portOf(server))
  const pieces = Array.from({ length: 2000 }, (_, i) => Buffer.from(`${i},`))
  const sent = Buffer.concat(pieces)
  const reply = receive(client, sent.length, true)
  for (const piece of pieces) client.write(piece)
  client.end()
  const got = await reply
  client.destroy()
  server.close()
  if (!got.data.equals(sent)) {
    assert.fail(
      `${mismatch(got, sent)}. Many small writes reach your server glued into a few 'data' events (TCP keeps no write boundaries): echo every event, whatever its size`
    )
  }
  assert.ok(
    got.ended,
    "all the bytes came back, but the server never ended its side after the client's FIN: when 'end' fires, call socket.end() (pipe() does it for you)"
  )
})

test("1 MiB then FIN: every byte comes back, then 'end'", async () => {
  const server = await startEchoServer()
  const client = await connect(portOf(server))
  const sent = randomBytes(1024 * 1024)
  const reply = receive(client, sent.length, true)
  client.end(sent)
  const got = await reply
  client.destroy()
  server.close()
  if (!got.data.equals(sent)) {
    assert.fail(
      `${mismatch(got, sent)}. Echo every 'data' event; on the client's FIN end your side with end(), which sends your FIN after the writes already queued (destroy() drops them)`
    )
  }
  assert.ok(
    got.ended,
    `the client never saw 'end'${got.error ? ` (the connection failed: ${got.error})` : ''}: after the echo, end your side with socket.end() (pipe() does it for you)`
  )
})

test("a client's reset (RST) does not crash the server: it emits 'error' on that socket", async () => {
  const server = await startEchoServer()
  const sockets: net.Socket[] = []
  try {
    const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve))
    const rude = await connect(portOf(server))
    sockets.push(rude)
    const serverSide = await accepted
    const serverSideClosed = waitFor(serverSide, 'close')
    // Get an echo going, so the server is reading and writing when the reset arrives.
    const burst = Buffer.alloc(64 * 1024, 0x42)
    const first = receive(rude, 1)
    rude.write(burst)
    const echoed = await first
    rude.resetAndDestroy() // an RST instead of a FIN (RFC 9293 section 3.5.3)
    const closed = await serverSideClosed
    // Had the server's socket no 'error' listener, the reset would already have failed this test
    // as an uncaught exception.
    if (echoed.data.length === 0) assert.fail(`before the reset, 64 KiB went unechoed: ${mismatch(echoed, burst)}`)
    assert.ok(closed, `the client reset the connection, but the server's socket did not close within ${PATIENCE_MS} ms`)
    assert.ok(server.listening, 'the server stopped listening after one client reset its connection')

    const polite = await connect(portOf(server))
    sockets.push(polite)
    const sent = Buffer.from('anyone still there?')
    const reply = receive(polite, sent.length)
    polite.write(sent)
    const got = await reply
    if (!got.data.equals(sent))
      assert.fail(`after one client reset its connection, a new client was not served: ${mismatch(got, sent)}`)
  } finally {
    for (const s of sockets) s.destroy()
    server.close()
  }
})

/**
 * Writes `total` bytes (1 MiB at a time, waiting for 'drain' as a client should) to a socket that
 * reads nothing back. Resolves how many bytes the socket took before it stalled, that is, before a
 * 'drain' failed to come within STALL_MS: a server with backpressure stops reading, so TCP's
 * windows close and the writes stop. A stall is the expected outcome, so this wait is a bound.
 */
const STALL_MS = 500
async function writeUntilStalled(socket: net.Socket, total: number): Promise<number> {
  const chunk = Buffer.alloc(1024 * 1024, 0x61)
  let written = 0
  while (written < total) {
    written += chunk.length
    if (!socket.write(chunk) && !(await waitFor(socket, 'drain', STALL_MS))) return written
  }
  return written
}

test(
  'a client that stops reading: the server stops reading too (backpressure), and loses nothing',
  async () => {
    const server = await startEchoServer()
    const client = await connect(portOf(server))
    const total = 64 * 1024 * 1024
    try {
      client.pause() // the client reads nothing back for now
      const taken = await writeUntilStalled(client, total)
      assert.ok(
        taken < total,
        `the client sent all ${total / 1048576} MiB while reading none of the echo: your server kept reading and queued every reply in memory. When socket.write() returns false, pause() until 'drain' (pipe() does this), so TCP's window closes and the client has to wait (RFC 9293 §3.8.6)`
      )
      // The stalled writes are still queued in the client; reading now lets everything through.
      const got = receive(client, taken)
      client.resume()
      const echoed = await got
      assert.equal(
        echoed.data.length,
        taken,
        `after the client started reading again, ${echoed.data.length} of the ${taken} bytes it had sent came back`
      )
    } finally {
      client.destroy()
      server.close()
    }
  },
  { timeoutMs: 8000 }
)

test(
  "a client that sends 8 MiB and its FIN before reading anything still gets all 8 MiB, then 'end'",
  async () => {
    const server = await startEchoServer()
    const client = await connect(portOf(server))
    const sent = randomBytes(8 * 1024 * 1024)
    try {
      client.pause()
      client.end(sent)
      // A server that reads without backpressure has all of it, and the FIN, almost at once; one
      // with backpressure leaves the client's writes unfinished until it reads. Either way, go on.
      await waitFor(client, 'finish')
      const reply = receive(client, sent.length, true)
      client.resume()
      const got = await reply
      if (!got.data.equals(sent)) {
        assert.fail(
          `${mismatch(got, sent)}. When the client's FIN arrives, replies can still be queued behind a full send buffer: end your side with end(), which sends the FIN after them; destroy() throws them away`
        )
      }
      assert.ok(
        got.ended,
        "all the bytes came back but the client never saw 'end': after the echo, end your side with socket.end()"
      )
    } finally {
      client.destroy()
      server.close()
    }
  },
  { timeoutMs: 8000 }
)
