import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'retransmit:test'
import { startEchoServer } from './solution'
import { connect, echoOnce, mismatch, portOf, receive } from './echo-client'

test('echoes what a client sends', async () => {
  const sent = Buffer.from('hello, echo')
  const got = await echoOnce(startEchoServer, sent)
  if (!got.data.equals(sent)) assert.fail(`sent "${sent}": ${mismatch(got, sent)}`)
})

test('binary bytes, 0x00 to 0xff, come back unchanged', async () => {
  // Every byte value, then sequences that are not valid UTF-8.
  const sent = Buffer.concat([
    Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
    Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0x00, 0xe2, 0x82])
  ])
  const got = await echoOnce(startEchoServer, sent)
  if (!got.data.equals(sent)) {
    assert.fail(
      `${mismatch(got, sent)}. A Buffer is raw bytes: write it back as it is, never through toString() (UTF-8 decoding replaces bytes it cannot read)`
    )
  }
})

test('two clients at once each get back only their own bytes', async () => {
  const server = await startEchoServer()
  const [a, b] = await Promise.all([connect(portOf(server)), connect(portOf(server))])
  const sentA = Buffer.from('AAAA-first-from-a|AAAA-second-from-a')
  const sentB = Buffer.from('bbbb-first-from-b|bbbb-second-from-b')
  const replies = Promise.all([receive(a, sentA.length), receive(b, sentB.length)])
  // Interleaved, so both connections are open and busy at the same time.
  a.write(sentA.subarray(0, 18))
  b.write(sentB.subarray(0, 18))
  a.end(sentA.subarray(18))
  b.end(sentB.subarray(18))
  const [gotA, gotB] = await replies
  a.destroy()
  b.destroy()
  server.close()
  const crossed = gotA.data.includes('bbbb') || gotB.data.includes('AAAA')
  const why = crossed
    ? ': bytes went to the wrong client. Write back to the socket the bytes came from, not to a shared or "last" one'
    : ''
  if (!gotA.data.equals(sentA)) assert.fail(`client A: ${mismatch(gotA, sentA)} (got "${gotA.data}")${why}`)
  if (!gotB.data.equals(sentB)) assert.fail(`client B: ${mismatch(gotB, sentB)} (got "${gotB.data}")${why}`)
})

test("after the client's FIN: every byte comes back, then the server ends", async () => {
  const server = await startEchoServer()
  const client = await connect(portOf(server))
  const sent = Buffer.from('last words before my FIN')
  const reply = receive(client, sent.length, true)
  client.end(sent) // write, then half-close: "I have no more data to send" (RFC 9293 section 3.6)
  const got = await reply
  client.destroy()
  server.close()
  if (got.timedOut && got.data.equals(sent)) {
    assert.fail(
      `all ${sent.length} bytes came back, but the server never ended its side after the client's FIN: when 'end' fires, call socket.end() (pipe() does it for you)`
    )
  }
  if (!got.data.equals(sent))
    assert.fail(
      `the client sent ${sent.length} bytes and a FIN: ${mismatch(got, sent)}. Echo everything that arrived before the FIN, then end`
    )
  assert.equal(
    got.ended,
    true,
    `the client never saw 'end'${got.error ? ` (the connection failed: ${got.error})` : ''}: end your side with socket.end(), not destroy()`
  )
})

test('256 KiB comes back intact', async () => {
  // Random bytes: a lost, doubled or reordered chunk shows as a difference.
  const sent = randomBytes(256 * 1024)
  const got = await echoOnce(startEchoServer, sent)
  if (!got.data.equals(sent)) {
    assert.fail(
      `${mismatch(got, sent)}. 256 KiB arrives in many 'data' events: echo every one of them, unchanged and in order (and respect backpressure: pipe() does)`
    )
  }
})
