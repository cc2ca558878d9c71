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
      assert.fail(`client ${n} of 20: ${mismatch(g, sent[n]!)}; every connection needs its own echo, independent of the others`)
    }
    assert.ok(g.ended, `client ${n} of 20 got its bytes back but never saw 'end' after its FIN: when a socket's 'end' fires, call socket.end() (pipe() does it for you)`)
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
    assert.fail(`${mismatch(got, sent)}. Many small writes reach your server glued into a few 'data' events (TCP keeps no write boundaries): echo every event, whatever its size`)
  }
  assert.ok(got.ended, "all the bytes came back, but the server never ended its side after the client's FIN: when 'end' fires, call socket.end() (pipe() does it for you)")
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
    assert.fail(`${mismatch(got, sent)}. Echo every 'data' event; on the client's FIN end your side with end(), which sends your FIN after the writes already queued (destroy() drops them)`)
  }
  assert.ok(got.ended, `the client never saw 'end'${got.error ? ` (the connection failed: ${got.error})` : ''}: after the echo, end your side with socket.end() (pipe() does it for you)`)
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
    if (!got.data.equals(sent)) assert.fail(`after one client reset its connection, a new client was not served: ${mismatch(got, sent)}`)
  } finally {
    for (const s of sockets) s.destroy()
    server.close()
  }
})
