import assert from 'node:assert/strict'
import { test, withTimeout } from 'retransmit:test'
import { startWebSocketServer } from './solution'
import { clientFrame, describeFrame, openRaw, rawConnect, upgradeRequest } from './ws-client'

/** Node's built-in WebSocket client (a global since Node 22), wrapped so a test can await messages. */
async function connectClient(
  port: number
): Promise<{ ws: WebSocket; next(): Promise<string | ArrayBuffer>; closed: Promise<CloseEvent> }> {
  assert.equal(
    typeof WebSocket,
    'function',
    'this run has no global WebSocket client (Node 22+ provides one, but the drill sandbox currently removes it), so this test cannot connect; the raw-socket tests still check your server'
  )
  const ws = new WebSocket(`ws://127.0.0.1:${port}/chat`)
  ws.binaryType = 'arraybuffer'
  const queue: Array<string | ArrayBuffer> = []
  const waiting: Array<(m: string | ArrayBuffer) => void> = []
  ws.addEventListener('message', (e: MessageEvent) => {
    const w = waiting.shift()
    if (w) w(e.data)
    else queue.push(e.data)
  })
  const closed = new Promise<CloseEvent>((resolve) => ws.addEventListener('close', (e: CloseEvent) => resolve(e)))
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      ws.addEventListener('open', () => resolve())
      ws.addEventListener('error', () =>
        reject(
          new Error(
            'the WebSocket client could not open the connection: check the 101 response and Sec-WebSocket-Accept'
          )
        )
      )
    }),
    1200,
    'the WebSocket handshake did not complete within 1.2 s: after the request head, send "HTTP/1.1 101 Switching Protocols" with Upgrade, Connection and Sec-WebSocket-Accept, ending with a blank line'
  )
  const next = () => {
    const m = queue.shift()
    if (m !== undefined) return Promise.resolve(m)
    return withTimeout(
      new Promise<string | ArrayBuffer>((resolve) => waiting.push(resolve)),
      2000,
      'no message came back within 2 s: is the frame parsed, unmasked and echoed as one unmasked frame?'
    )
  }
  return { ws, next, closed }
}

test('the handshake answers 101 with the right Sec-WebSocket-Accept', async () => {
  const server = await startWebSocketServer()
  const { socket, reader } = await rawConnect(server.port)
  try {
    socket.write(upgradeRequest(server.port)) // the sample key from RFC 6455 §1.3
    const head = await reader.head()
    assert.ok(head, 'no HTTP response to the upgrade request: read until "\\r\\n\\r\\n", then answer')
    const [statusLine, ...lines] = head.trim().split('\r\n')
    assert.match(
      statusLine ?? '',
      /^HTTP\/1\.1 101 /,
      `expected "HTTP/1.1 101 Switching Protocols", got ${JSON.stringify(statusLine)}`
    )
    const headers = new Map(
      lines.map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()])
    )
    assert.equal(
      headers.get('sec-websocket-accept'),
      's3pPLMBiTxaQ9kYGzzhZRbK+xOo=',
      `for the key dGhlIHNhbXBsZSBub25jZQ== RFC 6455 §1.3 gives s3pPLMBiTxaQ9kYGzzhZRbK+xOo= (base64 of SHA-1 of key + GUID); got ${JSON.stringify(headers.get('sec-websocket-accept'))}`
    )
    assert.equal(
      headers.get('upgrade')?.toLowerCase(),
      'websocket',
      `the 101 needs "Upgrade: websocket", got ${JSON.stringify(headers.get('upgrade'))}`
    )
    assert.equal(
      headers.get('connection')?.toLowerCase(),
      'upgrade',
      `the 101 needs "Connection: Upgrade", got ${JSON.stringify(headers.get('connection'))}`
    )
  } finally {
    socket.destroy()
    await server.close()
  }
})

test(
  'a text message comes back as the same text (WebSocket client)',
  async () => {
    const server = await startWebSocketServer()
    const client = await connectClient(server.port)
    try {
      client.ws.send('hello, frames')
      const reply = await client.next()
      assert.equal(
        typeof reply,
        'string',
        'a text message must be echoed as a text frame (opcode 0x1), but a binary one came back'
      )
      assert.equal(
        reply,
        'hello, frames',
        `expected the text echoed, got ${JSON.stringify(reply)}: unmask the payload with the 4-byte key (byte i XOR key[i % 4])`
      )
    } finally {
      client.ws.close()
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'binary messages with 16-bit and 64-bit lengths come back intact (WebSocket client)',
  async () => {
    const server = await startWebSocketServer()
    const client = await connectClient(server.port)
    try {
      for (const size of [5, 300, 70_000]) {
        const data = new Uint8Array(size).map((_, i) => (i * 31 + size) & 0xff)
        client.ws.send(data)
        const reply = await client.next()
        assert.ok(
          reply instanceof ArrayBuffer,
          `a ${size}-byte binary message must be echoed as binary (opcode 0x2), got ${typeof reply}`
        )
        const back = new Uint8Array(reply)
        const length = size < 126 ? '7-bit' : size < 65536 ? '16-bit (126)' : '64-bit (127)'
        assert.equal(back.length, size, `sent ${size} bytes (${length} length), got ${back.length} back`)
        assert.ok(
          Buffer.from(back).equals(Buffer.from(data)),
          `the ${size}-byte message came back with different bytes (${length} length): check the extended length and the unmasking`
        )
      }
    } finally {
      client.ws.close()
      await server.close()
    }
  },
  { timeoutMs: 8000 }
)

test('a ping is answered with a pong carrying the same data', async () => {
  const server = await startWebSocketServer()
  const { socket, reader } = await openRaw(server.port)
  try {
    socket.write(clientFrame(0x9, 'are you there?'))
    const frame = await reader.frame()
    assert.equal(frame?.opcode, 0xa, `expected a pong (opcode 0xA) after a ping, got ${describeFrame(frame)}`)
    assert.equal(
      frame?.payload.toString(),
      'are you there?',
      `the pong must carry the ping's application data (RFC 6455 §5.5.3), got ${JSON.stringify(frame?.payload.toString())}`
    )
    assert.equal(frame?.masked, false, 'server frames must not be masked (RFC 6455 §5.1)')
  } finally {
    socket.destroy()
    await server.close()
  }
})

test(
  'the close handshake echoes the status code (WebSocket client)',
  async () => {
    const server = await startWebSocketServer()
    const client = await connectClient(server.port)
    try {
      client.ws.close(4001, 'done for today')
      const event = await withTimeout(
        client.closed,
        2000,
        'the client sent a close frame but the connection never closed: reply with a close frame and then end the TCP connection'
      )
      assert.equal(
        event.code,
        4001,
        `the server should answer a close with the same status code, 4001; the client saw ${event.code} (1005 means your close frame had no code, 1006 that no close frame arrived)`
      )
      assert.equal(
        event.wasClean,
        true,
        'the close was not clean: reply with a close frame before ending the TCP connection'
      )
    } finally {
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)
