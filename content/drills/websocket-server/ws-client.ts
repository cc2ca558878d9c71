// Raw WebSocket client pieces for the tests: a handshake over a plain socket, a client frame
// encoder that can break the rules on purpose, and a reader for the server's frames.
import net from 'node:net'
import { randomBytes } from 'node:crypto'

export interface Frame {
  fin: boolean
  rsv: number
  opcode: number
  masked: boolean
  /** The length field as sent: 7-bit value (0-127) */
  lengthCode: number
  payload: Buffer
}

/** Encode a client frame. Masked with a random key unless `mask: false`. */
export function clientFrame(
  opcode: number,
  payload: Buffer | string,
  options: { fin?: boolean; mask?: boolean; rsv?: number } = {}
): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload
  const fin = options.fin ?? true
  const mask = options.mask ?? true
  const first = (fin ? 0x80 : 0) | ((options.rsv ?? 0) << 4) | opcode
  let head: Buffer
  if (body.length < 126) head = Buffer.from([first, body.length])
  else if (body.length < 0x10000) {
    head = Buffer.alloc(4)
    head[0] = first
    head[1] = 126
    head.writeUInt16BE(body.length, 2)
  } else {
    head = Buffer.alloc(10)
    head[0] = first
    head[1] = 127
    head.writeBigUInt64BE(BigInt(body.length), 2)
  }
  if (!mask) return Buffer.concat([head, body])
  head[1] = (head[1] ?? 0) | 0x80
  const key = randomBytes(4)
  const masked = Buffer.from(body)
  for (let i = 0; i < masked.length; i++) masked[i] = (masked[i] ?? 0) ^ (key[i & 3] ?? 0)
  return Buffer.concat([head, key, masked])
}

/** A close frame payload: 2-byte code + UTF-8 reason. */
export function closePayload(code: number, reason = ''): Buffer {
  const b = Buffer.alloc(2)
  b.writeUInt16BE(code)
  return Buffer.concat([b, Buffer.from(reason)])
}

export function upgradeRequest(port: number, headers: Record<string, string | undefined> = {}): string {
  const all: Record<string, string | undefined> = {
    Host: `127.0.0.1:${port}`,
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version': '13',
    ...headers
  }
  let text = 'GET /chat HTTP/1.1\r\n'
  for (const [name, value] of Object.entries(all)) if (value !== undefined) text += `${name}: ${value}\r\n`
  return text + '\r\n'
}

/** Buffers everything the server sends; hands out the HTTP head, then frames, in order. */
export class ServerReader {
  private buffer = Buffer.alloc(0)
  private waiters: Array<() => void> = []
  ended = false

  constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk])
      this.wake()
    })
    const end = () => {
      this.ended = true
      this.wake()
    }
    socket.on('end', end)
    socket.on('close', end)
    socket.on('error', end)
  }

  private wake(): void {
    const waiters = this.waiters
    this.waiters = []
    for (const w of waiters) w()
  }

  private async waitFor<T>(take: () => T | null, timeoutMs: number): Promise<T | null> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const got = take()
      if (got !== null) return got
      if (this.ended) return null
      const left = deadline - Date.now()
      if (left <= 0) return null
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  /** The HTTP response head (up to the blank line), or null if none came. */
  head(timeoutMs = 800): Promise<string | null> {
    return this.waitFor(() => {
      const end = this.buffer.indexOf('\r\n\r\n')
      if (end === -1) return null
      const text = this.buffer.subarray(0, end + 4).toString('latin1')
      this.buffer = this.buffer.subarray(end + 4)
      return text
    }, timeoutMs)
  }

  /** The next whole frame from the server, or null if none came (timeout or connection closed). */
  frame(timeoutMs = 1500): Promise<Frame | null> {
    return this.waitFor(() => {
      const b = this.buffer
      if (b.length < 2) return null
      const b0 = b[0] ?? 0
      const b1 = b[1] ?? 0
      const masked = (b1 & 0x80) !== 0
      const lengthCode = b1 & 0x7f
      let offset = 2
      let length = lengthCode
      if (lengthCode === 126) {
        if (b.length < 4) return null
        length = b.readUInt16BE(2)
        offset = 4
      } else if (lengthCode === 127) {
        if (b.length < 10) return null
        length = Number(b.readBigUInt64BE(2))
        offset = 10
      }
      const keyBytes = masked ? 4 : 0
      if (b.length < offset + keyBytes + length) return null
      const payload = Buffer.from(b.subarray(offset + keyBytes, offset + keyBytes + length))
      if (masked) {
        const key = b.subarray(offset, offset + 4)
        for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (key[i & 3] ?? 0)
      }
      this.buffer = b.subarray(offset + keyBytes + length)
      return { fin: (b0 & 0x80) !== 0, rsv: (b0 >> 4) & 7, opcode: b0 & 0x0f, masked, lengthCode, payload }
    }, timeoutMs)
  }

  /** Resolves true once the server has closed (FIN or reset), false if it has not within timeoutMs. */
  closed(timeoutMs = 1500): Promise<boolean> {
    return this.waitFor(() => (this.ended ? true : null), timeoutMs).then((v) => v === true)
  }
}

/** Connect a raw socket to the server (or a relay), optionally send the upgrade, and read the 101. */
export async function rawConnect(port: number): Promise<{ socket: net.Socket; reader: ServerReader }> {
  const socket = net.connect({ host: '127.0.0.1', port })
  socket.setNoDelay(true)
  const reader = new ServerReader(socket)
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('error', reject)
  })
  return { socket, reader }
}

export async function openRaw(port: number): Promise<{ socket: net.Socket; reader: ServerReader }> {
  const conn = await rawConnect(port)
  conn.socket.write(upgradeRequest(port))
  const head = await conn.reader.head()
  if (!head || !head.startsWith('HTTP/1.1 101')) {
    conn.socket.destroy()
    throw new Error(
      `the upgrade was not accepted: expected "HTTP/1.1 101 Switching Protocols", got ${JSON.stringify(head?.split('\r\n')[0] ?? 'nothing')}`
    )
  }
  return conn
}

export function describeFrame(f: Frame | null): string {
  if (!f) return 'nothing (no frame arrived, or the connection closed)'
  const names: Record<number, string> = { 0: 'continuation', 1: 'text', 2: 'binary', 8: 'close', 9: 'ping', 10: 'pong' }
  const code = f.opcode === 8 && f.payload.length >= 2 ? ` code ${f.payload.readUInt16BE(0)}` : ''
  return `${names[f.opcode] ?? `opcode 0x${f.opcode.toString(16)}`} frame${code}, ${f.payload.length} bytes${f.fin ? '' : ', FIN=0'}${f.masked ? ', MASKED' : ''}`
}
