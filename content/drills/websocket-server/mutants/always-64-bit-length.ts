// Bug: encodes every payload over 125 bytes with the 64-bit length form; the shortest form is required (RFC 6455 §5.2).
import net from 'node:net'
import { createHash } from 'node:crypto'
import { isUtf8 } from 'node:buffer'

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'
const MAX_HEAD_BYTES = 8 * 1024
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024

const OP = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const

/** Close codes a peer may send (RFC 6455 §7.4.1 and the IANA registry); 1005, 1006 and 1015 never go on the wire. */
function isSendableCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999)
}

/** Sec-WebSocket-Accept: base64(SHA-1(key + GUID)), RFC 6455 §4.2.2. */
export function acceptKey(key: string): string {
  return createHash('sha1')
    .update(key + GUID)
    .digest('base64')
}

/** An unmasked server frame with the shortest length encoding (RFC 6455 §5.2). */
export function encodeFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const first = (fin ? 0x80 : 0) | opcode
  let head: Buffer
  if (payload.length < 126) {
    head = Buffer.from([first, payload.length])
  } else if (payload.length < 0) {
    head = Buffer.alloc(4)
    head[0] = first
    head[1] = 126
    head.writeUInt16BE(payload.length, 2)
  } else {
    head = Buffer.alloc(10)
    head[0] = first
    head[1] = 127
    head.writeBigUInt64BE(BigInt(payload.length), 2)
  }
  return Buffer.concat([head, payload])
}

class ProtocolError extends Error {
  constructor(
    readonly code: number,
    message: string
  ) {
    super(message)
  }
}

function httpError(socket: net.Socket, status: string, extra = ''): void {
  const body = `${status}\n`
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`
  )
}

/** Validate the upgrade request (RFC 6455 §4.2.1) and send 101, or send an HTTP error and return false. */
function handshake(socket: net.Socket, head: string): boolean {
  const [requestLine = '', ...lines] = head.split('\r\n')
  const [method, , version] = requestLine.split(' ')
  const headers = new Map<string, string>()
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon <= 0) {
      httpError(socket, '400 Bad Request')
      return false
    }
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value)
  }
  const tokens = (name: string) =>
    (headers.get(name) ?? '')
      .toLowerCase()
      .split(',')
      .map((t) => t.trim())
  const key = headers.get('sec-websocket-key') ?? ''
  if (
    method !== 'GET' ||
    version !== 'HTTP/1.1' ||
    !tokens('upgrade').includes('websocket') ||
    !tokens('connection').includes('upgrade') ||
    Buffer.from(key, 'base64').length !== 16
  ) {
    httpError(socket, '400 Bad Request')
    return false
  }
  if (headers.get('sec-websocket-version') !== '13') {
    httpError(socket, '426 Upgrade Required', 'Sec-WebSocket-Version: 13\r\n')
    return false
  }
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`
  )
  return true
}

function serve(socket: net.Socket): void {
  let buffer = Buffer.alloc(0)
  let upgraded = false
  let closing = false
  // The message being reassembled from fragments, if any.
  let message: { opcode: number; parts: Buffer[]; size: number } | null = null

  const fail = (code: number) => {
    if (closing) return
    closing = true
    const payload = Buffer.alloc(2)
    payload.writeUInt16BE(code)
    socket.end(encodeFrame(OP.close, payload))
  }

  const onFrame = (fin: boolean, opcode: number, payload: Buffer) => {
    if (opcode >= 0x8) {
      if (opcode === OP.ping) socket.write(encodeFrame(OP.pong, payload))
      else if (opcode === OP.close) {
        if (payload.length === 1) throw new ProtocolError(1002, 'close payload of 1 byte')
        if (payload.length >= 2 && !isSendableCode(payload.readUInt16BE(0)))
          throw new ProtocolError(1002, 'bad close code')
        if (payload.length > 2 && !isUtf8(payload.subarray(2)))
          throw new ProtocolError(1007, 'close reason is not UTF-8')
        // Echo the status code back, then close the TCP connection: the server closes first (§7.1.1).
        closing = true
        socket.end(encodeFrame(OP.close, payload.subarray(0, Math.min(2, payload.length))))
      }
      return // pong: nothing to do
    }
    if (opcode === OP.continuation) {
      if (!message) throw new ProtocolError(1002, 'continuation without a message')
    } else {
      if (message) throw new ProtocolError(1002, 'new message inside a fragmented one')
      message = { opcode, parts: [], size: 0 }
    }
    message.parts.push(payload)
    message.size += payload.length
    if (message.size > MAX_MESSAGE_BYTES) throw new ProtocolError(1009, 'message too big')
    if (!fin) return
    const whole = Buffer.concat(message.parts)
    const kind = message.opcode
    message = null
    if (kind === OP.text && !isUtf8(whole)) throw new ProtocolError(1007, 'text is not UTF-8')
    socket.write(encodeFrame(kind, whole))
  }

  /** Parse as many whole frames as the buffer holds (RFC 6455 §5.2). */
  const parseFrames = () => {
    while (!closing && buffer.length >= 2) {
      const b0 = buffer[0] ?? 0
      const b1 = buffer[1] ?? 0
      const fin = (b0 & 0x80) !== 0
      const opcode = b0 & 0x0f
      const masked = (b1 & 0x80) !== 0
      let length = b1 & 0x7f
      if (b0 & 0x70) throw new ProtocolError(1002, 'reserved bits set')
      if (![0x0, 0x1, 0x2, 0x8, 0x9, 0xa].includes(opcode)) throw new ProtocolError(1002, 'unknown opcode')
      if (!masked) throw new ProtocolError(1002, 'client frames must be masked')
      if (opcode >= 0x8 && (!fin || length > 125)) throw new ProtocolError(1002, 'bad control frame')
      let offset = 2
      if (length === 126) {
        if (buffer.length < 4) return
        length = buffer.readUInt16BE(2)
        offset = 4
      } else if (length === 127) {
        if (buffer.length < 10) return
        const big = buffer.readBigUInt64BE(2)
        if (big >> 63n) throw new ProtocolError(1002, '64-bit length with the top bit set')
        if (big > BigInt(MAX_MESSAGE_BYTES)) throw new ProtocolError(1009, 'frame too big')
        length = Number(big)
        offset = 10
      }
      if ((message?.size ?? 0) + length > MAX_MESSAGE_BYTES) throw new ProtocolError(1009, 'message too big')
      if (buffer.length < offset + 4 + length) return
      const mask = buffer.subarray(offset, offset + 4)
      const payload = Buffer.from(buffer.subarray(offset + 4, offset + 4 + length))
      for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i & 3] ?? 0)
      buffer = buffer.subarray(offset + 4 + length)
      onFrame(fin, opcode, payload)
    }
  }

  socket.on('data', (chunk: Buffer) => {
    if (closing) return
    buffer = Buffer.concat([buffer, chunk])
    if (!upgraded) {
      const end = buffer.indexOf('\r\n\r\n')
      if (end === -1) {
        if (buffer.length > MAX_HEAD_BYTES) httpError(socket, '431 Request Header Fields Too Large')
        return
      }
      const head = buffer.subarray(0, end).toString('latin1')
      buffer = buffer.subarray(end + 4) // frames may follow the request in the same read
      if (!handshake(socket, head)) {
        closing = true
        return
      }
      upgraded = true
    }
    try {
      parseFrames()
    } catch (err) {
      if (err instanceof ProtocolError) fail(err.code)
      else throw err
    }
  })
  socket.on('error', () => socket.destroy())
}

export function startWebSocketServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    serve(socket)
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy()
            server.close(() => done())
          })
      })
    })
  })
}
