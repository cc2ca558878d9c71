import assert from 'node:assert/strict'
import { test, createRelay } from 'retransmit:test'
import { startWebSocketServer } from './solution'
import { clientFrame, closePayload, describeFrame, openRaw, rawConnect, upgradeRequest } from './ws-client'

const closeCode = (f: { opcode: number; payload: Buffer } | null) =>
  f && f.opcode === 0x8 && f.payload.length >= 2 ? f.payload.readUInt16BE(0) : null

test('an unmasked client frame fails the connection with 1002', async () => {
  const server = await startWebSocketServer()
  const { socket, reader } = await openRaw(server.port)
  try {
    socket.write(clientFrame(0x1, 'not masked', { mask: false }))
    const frame = await reader.frame()
    assert.equal(
      closeCode(frame),
      1002,
      `a client frame without the mask bit must be answered with close 1002 (protocol error, RFC 6455 §5.1); got ${describeFrame(frame)}`
    )
    assert.equal(await reader.closed(), true, 'after sending close 1002 the server must close the TCP connection')
  } finally {
    socket.destroy()
    await server.close()
  }
})

test('a fragmented message is reassembled, and a ping between fragments is answered first', async () => {
  const server = await startWebSocketServer()
  const { socket, reader } = await openRaw(server.port)
  try {
    socket.write(clientFrame(0x1, 'frag', { fin: false }))
    socket.write(clientFrame(0x0, 'men', { fin: false }))
    socket.write(clientFrame(0x9, 'mid-message ping'))
    socket.write(clientFrame(0x0, 'ted ✓', { fin: true }))
    const first = await reader.frame()
    assert.equal(
      first?.opcode,
      0xa,
      `control frames may arrive between fragments (RFC 6455 §5.4); the ping should be answered with a pong before the message completes, got ${describeFrame(first)}`
    )
    assert.equal(first?.payload.toString(), 'mid-message ping', 'the pong must carry the ping payload')
    const second = await reader.frame()
    assert.equal(
      second?.opcode,
      0x1,
      `expected the reassembled message as one text frame, got ${describeFrame(second)}`
    )
    assert.equal(second?.fin, true, 'echo the whole message in one frame with FIN = 1')
    assert.equal(
      second?.payload.toString(),
      'fragmented ✓',
      `expected "fragmented ✓" (3 frames: text FIN=0, continuation FIN=0, continuation FIN=1), got ${JSON.stringify(second?.payload.toString())}`
    )
  } finally {
    socket.destroy()
    await server.close()
  }
})

test(
  'frames split into tiny pieces, or glued to the handshake, still work (relay)',
  async () => {
    const server = await startWebSocketServer()
    const relay = await createRelay({ target: server.port, seed: 6455, maxSegmentBytes: 3 })
    const { socket, reader } = await rawConnect(relay.port)
    try {
      // The request head and two frames in one write: bytes after "\r\n\r\n" are already frames.
      socket.write(
        Buffer.concat([
          Buffer.from(upgradeRequest(server.port)),
          clientFrame(0x1, 'glued to the handshake'),
          clientFrame(0x2, Buffer.alloc(300, 7))
        ])
      )
      const head = await reader.head(2000)
      assert.match(
        head ?? '',
        /^HTTP\/1\.1 101 /,
        `the request arrived 1-3 bytes at a time; expected a 101 once the head was complete, got ${JSON.stringify(head?.split('\r\n')[0] ?? null)}`
      )
      const a = await reader.frame(2000)
      assert.equal(
        a?.payload.toString(),
        'glued to the handshake',
        `the frame that followed the request head in the same write was lost or garbled: keep the bytes after "\\r\\n\\r\\n" in your buffer; got ${describeFrame(a)}`
      )
      const b = await reader.frame(2000)
      assert.ok(
        b && b.opcode === 0x2 && b.payload.equals(Buffer.alloc(300, 7)),
        `expected the 300-byte binary message back with its 16-bit length read across several reads, got ${describeFrame(b)}`
      )
    } finally {
      socket.destroy()
      await relay.close()
      await server.close()
    }
  },
  { timeoutMs: 8000 }
)

test(
  'server frames are unmasked and use the shortest length encoding',
  async () => {
    const server = await startWebSocketServer()
    const { socket, reader } = await openRaw(server.port)
    try {
      const cases: Array<[number, number]> = [
        [125, 125],
        [126, 126],
        [65535, 126],
        [65536, 127]
      ]
      for (const [size, code] of cases) {
        socket.write(clientFrame(0x2, Buffer.alloc(size, 0x5a)))
        const f = await reader.frame()
        assert.ok(f, `no echo for a ${size}-byte binary message`)
        assert.equal(f.masked, false, 'server-to-client frames must not be masked (RFC 6455 §5.1)')
        assert.equal(
          f.lengthCode,
          code,
          `a ${size}-byte payload should use length code ${code} (0-125 inline, 126 = 16-bit, 127 = 64-bit; the shortest that fits, RFC 6455 §5.2), got ${f.lengthCode}`
        )
        assert.equal(f.payload.length, size, `expected ${size} payload bytes, got ${f.payload.length}`)
      }
    } finally {
      socket.destroy()
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'bad upgrade requests get HTTP errors, not a 101',
  async () => {
    const server = await startWebSocketServer()
    try {
      const cases: Array<[string, Record<string, string | undefined>, RegExp, string]> = [
        [
          'Sec-WebSocket-Version: 8',
          { 'Sec-WebSocket-Version': '8' },
          /^HTTP\/1\.1 426 /,
          'an unsupported version must get 426 Upgrade Required (RFC 6455 §4.4)'
        ],
        [
          'no Sec-WebSocket-Key',
          { 'Sec-WebSocket-Key': undefined },
          /^HTTP\/1\.1 400 /,
          'a request without Sec-WebSocket-Key must get 400 Bad Request (RFC 6455 §4.2.1)'
        ],
        [
          'no Upgrade header',
          { Upgrade: undefined },
          /^HTTP\/1\.1 400 /,
          'a request without "Upgrade: websocket" is not a WebSocket handshake: 400'
        ]
      ]
      for (const [what, headers, expected, why] of cases) {
        const { socket, reader } = await rawConnect(server.port)
        socket.write(upgradeRequest(server.port, headers))
        const head = await reader.head()
        socket.destroy()
        assert.match(
          head ?? '',
          expected,
          `${what}: ${why}; got ${JSON.stringify(head?.split('\r\n')[0] ?? 'no response')}`
        )
        if (what.startsWith('Sec-WebSocket-Version')) {
          assert.match(
            head ?? '',
            /\r\nsec-websocket-version:\s*13\r\n/i,
            'a 426 should carry "Sec-WebSocket-Version: 13" so the client knows what to use'
          )
        }
      }
    } finally {
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)

test('a text message that is not UTF-8 fails with 1007', async () => {
  const server = await startWebSocketServer()
  const { socket, reader } = await openRaw(server.port)
  try {
    socket.write(clientFrame(0x1, Buffer.from([0x68, 0x69, 0xc3, 0x28])))
    const frame = await reader.frame()
    assert.equal(
      closeCode(frame),
      1007,
      `text frames must be valid UTF-8 (RFC 6455 §5.6, §8.1): 0xC3 0x28 is not, so close with 1007; got ${describeFrame(frame)}`
    )
  } finally {
    socket.destroy()
    await server.close()
  }
})

test('on a close frame the server replies with the same code and closes TCP first', async () => {
  const server = await startWebSocketServer()
  const { socket, reader } = await openRaw(server.port)
  try {
    socket.write(clientFrame(0x8, closePayload(1000, 'bye')))
    const frame = await reader.frame()
    assert.equal(closeCode(frame), 1000, `expected a close frame with code 1000 back, got ${describeFrame(frame)}`)
    assert.equal(
      await reader.closed(),
      true,
      'after the close frames are exchanged the server must close the TCP connection itself (RFC 6455 §7.1.1), the client waited in vain'
    )
  } finally {
    socket.destroy()
    await server.close()
  }
})

test(
  'protocol violations: a stray continuation gets 1002, an absurd length gets 1009',
  async () => {
    const server = await startWebSocketServer()
    try {
      const a = await openRaw(server.port)
      a.socket.write(clientFrame(0x0, 'continuation of nothing'))
      const f1 = await a.reader.frame()
      a.socket.destroy()
      assert.equal(
        closeCode(f1),
        1002,
        `a continuation frame with no message in progress is a protocol error (1002); got ${describeFrame(f1)}`
      )

      const b = await openRaw(server.port)
      // A masked binary frame header announcing 2^40 bytes (1 TiB), and no payload.
      const header = Buffer.from([0x82, 0xff, 0, 0, 0x01, 0, 0, 0, 0, 0, 1, 2, 3, 4])
      b.socket.write(header)
      const f2 = await b.reader.frame()
      b.socket.destroy()
      assert.equal(
        closeCode(f2),
        1009,
        `a frame announcing 1 TiB should be refused at once with 1009 (message too big) instead of waiting to buffer it; got ${describeFrame(f2)}`
      )
    } finally {
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'the upgrade request and a first frame in one write, straight to the server (no relay)',
  async () => {
    const server = await startWebSocketServer()
    const { socket, reader } = await rawConnect(server.port)
    try {
      // One write, one segment on loopback: the read that completes the head also holds a frame.
      socket.write(Buffer.concat([Buffer.from(upgradeRequest(server.port)), clientFrame(0x1, 'right behind the head')]))
      const head = await reader.head(2000)
      assert.match(
        head ?? '',
        /^HTTP\/1\.1 101 /,
        `expected a 101 for the upgrade request, got ${JSON.stringify(head?.split('\r\n')[0] ?? null)}`
      )
      const frame = await reader.frame(2000)
      assert.equal(
        frame?.payload.toString(),
        'right behind the head',
        `the frame that came in the same read as the request head was lost: keep the bytes after "\\r\\n\\r\\n" in your buffer and parse them as frames; got ${describeFrame(frame)}`
      )
    } finally {
      socket.destroy()
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'the built-in WebSocket client: 1 MiB binary and three texts in a row come back in order, then close 4000',
  async () => {
    const server = await startWebSocketServer()
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/`)
    ws.binaryType = 'arraybuffer'
    try {
      const got: Array<string | number> = []
      const done = new Promise<{ code: number; reason: string }>((resolve, reject) => {
        ws.onerror = () =>
          reject(new Error('the WebSocket client reported an error (a bad handshake, or a frame it could not parse)'))
        ws.onclose = (e) => resolve({ code: e.code, reason: e.reason })
        ws.onmessage = (e) => {
          got.push(typeof e.data === 'string' ? e.data : (e.data as ArrayBuffer).byteLength)
          if (got.length === 4) ws.close(4000, 'bye')
        }
      })
      await new Promise<void>((resolve, reject) => {
        ws.onopen = () => resolve()
        ws.onerror = () => reject(new Error('the built-in WebSocket client could not open a connection to your server'))
      })
      ws.send(new Uint8Array(1024 * 1024).fill(9))
      for (const t of ['one', 'two', 'three ✓']) ws.send(t)
      const closed = await done
      assert.deepEqual(
        got,
        [1048576, 'one', 'two', 'three ✓'],
        `messages must come back whole and in order; got ${JSON.stringify(got)}`
      )
      assert.equal(
        closed.code,
        4000,
        `the client closed with 4000; the server should echo that code, and the client saw ${closed.code}`
      )
    } finally {
      ws.close()
      await server.close()
    }
  },
  { timeoutMs: 6000 }
)
