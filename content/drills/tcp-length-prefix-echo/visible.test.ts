import assert from 'node:assert/strict'
import type net from 'node:net'
import { test, createRelay } from 'retransmit:test'
import { FrameDecoder, encodeFrame, startEchoServer } from './solution'
import { collectReplies, connect, frame } from './frames'

test('encodeFrame puts a 4-byte big-endian length in front', () => {
  const out = encodeFrame(Buffer.from('hi'))
  assert.deepEqual([...out], [0, 0, 0, 2, 0x68, 0x69], 'encodeFrame("hi") must be 00 00 00 02 68 69')
})

test('FrameDecoder waits for a frame split across two chunks', () => {
  const decoder = new FrameDecoder()
  const whole = frame(Buffer.from('hello'))
  const first = decoder.push(whole.subarray(0, 3))
  assert.equal(first.length, 0, 'after 3 bytes (not even the whole 4-byte header) no frame is complete yet: return []')
  const second = decoder.push(whole.subarray(3))
  assert.equal(second.length, 1, 'the second chunk completes the frame: return it')
  assert.equal(second[0]?.toString(), 'hello')
})

test('FrameDecoder returns every frame in one chunk', () => {
  const decoder = new FrameDecoder()
  const chunk = Buffer.concat([frame(Buffer.from('a')), frame(Buffer.from('bb')), frame(Buffer.from('ccc'))])
  const got = decoder.push(chunk).map((b) => b.toString())
  assert.deepEqual(
    got,
    ['a', 'bb', 'ccc'],
    'three frames arrived in one chunk: loop until the buffer holds no whole frame'
  )
})

test('the server replies with a sequence number and the payload', async () => {
  const server = await startEchoServer()
  const socket = await connect((server.address() as net.AddressInfo).port)
  const { waitFor } = collectReplies(socket)
  socket.write(frame(Buffer.from('ping')))
  const replies = await waitFor(1)
  socket.destroy()
  server.close()
  assert.equal(replies.length, 1, 'no reply frame came back for one frame')
  assert.equal(replies[0]?.seq, 0, 'the first reply on a connection carries sequence number 0 in its first 4 bytes')
  assert.equal(replies[0]?.payload.toString(), 'ping', 'after the sequence number comes the payload you received')
})

test('frames cut into 1-3 byte pieces by a relay', async () => {
  const server = await startEchoServer()
  const relay = await createRelay({ target: (server.address() as net.AddressInfo).port, maxSegmentBytes: 3, seed: 7 })
  const socket = await connect(relay.port)
  const { waitFor } = collectReplies(socket)
  socket.write(Buffer.concat([frame(Buffer.from('first')), frame(Buffer.from('second'))]))
  const replies = await waitFor(2)
  socket.destroy()
  await relay.close()
  server.close()
  assert.deepEqual(
    replies.map((r) => `${r.seq}:${r.payload.toString()}`),
    ['0:first', '1:second'],
    'the relay delivered your server the frames in pieces of 1-3 bytes; a frame is complete only when 4 + length bytes have arrived'
  )
})
