// Test-side helpers, independent of the learner's code: ClientHellos made by hand (well-formed or
// broken on purpose), a real one captured from Node's TLS client, and backends that say who they are.
import net from 'node:net'
import tls from 'node:tls'

const u16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff])
const u24 = (n: number) => Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff])
export const vec8 = (b: Buffer) => Buffer.concat([Buffer.from([b.length]), b])
export const vec16 = (b: Buffer) => Buffer.concat([u16(b.length), b])

/** One extension: type, then its data with a 2-byte length. */
export const extension = (type: number, data: Buffer) => Buffer.concat([u16(type), vec16(data)])
/** A server_name extension holding one host_name (RFC 6066 §3). */
export const serverName = (name: string) =>
  extension(0, vec16(Buffer.concat([Buffer.from([0]), vec16(Buffer.from(name, 'latin1'))])))
/** supported_versions offering TLS 1.3 (RFC 8446 §4.2.1). */
export const supportedVersions = extension(43, vec8(Buffer.from([3, 4])))

export interface HelloParts {
  sessionId?: Buffer
  suites?: Buffer
  compression?: Buffer
  /** The extension block's content; null leaves the block out entirely. */
  extensions?: Buffer | null
  /** Replace the extensions block's 2-byte length with this value. */
  extensionsLength?: number
}

/** A ClientHello body (RFC 8446 §4.1.2). */
export function helloBody(parts: HelloParts = {}): Buffer {
  const ext =
    parts.extensions === undefined ? Buffer.concat([serverName('a.test'), supportedVersions]) : parts.extensions
  const block = ext === null ? Buffer.alloc(0) : Buffer.concat([u16(parts.extensionsLength ?? ext.length), ext])
  return Buffer.concat([
    Buffer.from([3, 3]),
    Buffer.alloc(32, 0x42),
    vec8(parts.sessionId ?? Buffer.alloc(32, 0x07)),
    vec16(parts.suites ?? Buffer.from([0x13, 0x01, 0x13, 0x02])),
    vec8(parts.compression ?? Buffer.from([0])),
    block
  ])
}

/** A handshake message: type, 3-byte length, body. */
export const handshake = (body: Buffer, type = 1) => Buffer.concat([Buffer.from([type]), u24(body.length), body])

/** Handshake bytes in TLS records of at most `size` bytes each (type 22, version 0x0301). */
export function records(message: Buffer, size = 16384, header: { type?: number; version?: number } = {}): Buffer {
  const out: Buffer[] = []
  for (let at = 0; at < message.length; at += size) {
    const fragment = message.subarray(at, at + size)
    out.push(Buffer.from([header.type ?? 22]), u16(header.version ?? 0x0301), u16(fragment.length), fragment)
  }
  return Buffer.concat(out)
}

/** A whole hand-made ClientHello record asking for `name`. */
export const helloFor = (name: string) =>
  records(handshake(helloBody({ extensions: Buffer.concat([serverName(name), supportedVersions]) })))

/** The first TLS record Node's own client sends (its real ClientHello) for `servername`. */
export async function captureClientHello(servername?: string): Promise<Buffer> {
  let bytes = Buffer.alloc(0)
  let done: (b: Buffer) => void = () => {}
  const captured = new Promise<Buffer>((resolve) => (done = resolve))
  const catcher = net.createServer((socket) => {
    socket.on('data', (chunk: Buffer) => {
      bytes = Buffer.concat([bytes, chunk])
      if (bytes.length >= 5 && bytes.length >= 5 + bytes.readUInt16BE(3)) {
        done(bytes.subarray(0, 5 + bytes.readUInt16BE(3)))
        socket.destroy()
      }
    })
    socket.on('error', () => {})
  })
  await new Promise<void>((resolve) => catcher.listen(0, '127.0.0.1', resolve))
  const client = tls.connect({
    host: '127.0.0.1',
    port: (catcher.address() as net.AddressInfo).port,
    ...(servername ? { servername } : {}),
    rejectUnauthorized: false
  })
  client.on('error', () => {})
  const hello = await captured
  client.destroy()
  catcher.close()
  return hello
}

export interface Backend {
  name: string
  port: number
  /** Connections accepted so far. */
  connections: number
  /** Every byte received, per connection. */
  received: Buffer[]
  close(): void
}

/** A real TLS server that greets each client with "I am <name>\n", then echoes. */
export async function tlsBackend(name: string, certs: { key: string; cert: string }): Promise<Backend> {
  const backend: Backend = { name, port: 0, connections: 0, received: [], close: () => server.close() }
  const server = tls.createServer({ key: certs.key, cert: certs.cert, allowHalfOpen: true }, (socket) => {
    socket.write(`I am ${name}\n`)
    socket.pipe(socket)
    socket.on('error', () => socket.destroy())
  })
  server.on('connection', () => (backend.connections += 1))
  server.on('tlsClientError', () => {})
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  backend.port = (server.address() as net.AddressInfo).port
  return backend
}

/** A plain TCP backend that records what it receives; `onConnection` may answer. */
export async function rawBackend(name: string, onConnection?: (socket: net.Socket) => void): Promise<Backend> {
  const backend: Backend = { name, port: 0, connections: 0, received: [], close: () => server.close() }
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    const index = backend.received.push(Buffer.alloc(0)) - 1
    backend.connections += 1
    socket.on(
      'data',
      (chunk: Buffer) => (backend.received[index] = Buffer.concat([backend.received[index] ?? Buffer.alloc(0), chunk]))
    )
    socket.on('error', () => socket.destroy())
    onConnection?.(socket)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  backend.port = (server.address() as net.AddressInfo).port
  return backend
}

/** A real TLS 1.3 client through the router: resolves the greeting line, or rejects with the TLS error. */
export function greetingVia(
  port: number,
  servername: string | undefined,
  ca: string
): Promise<{ socket: tls.TLSSocket; greeting: string }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: '127.0.0.1',
      port,
      ca,
      minVersion: 'TLSv1.3',
      ...(servername === undefined ? { servername: '' } : { servername })
    })
    let text = ''
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1')
      if (text.includes('\n')) resolve({ socket, greeting: text.slice(0, text.indexOf('\n')) })
    })
    socket.once('error', reject)
    socket.once('end', () =>
      reject(new Error(`the connection ended before any greeting (got ${JSON.stringify(text)})`))
    )
  })
}

/** What a raw client sees: every byte until the router closes, and how it closed. */
export function rawExchange(
  port: number,
  send: Buffer[],
  opts: { gapMs?: number; waitMs?: number } = {}
): Promise<{ received: Buffer; closed: 'end' | 'reset' | 'open' }> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true })
    let received = Buffer.alloc(0)
    const finish = (closed: 'end' | 'reset' | 'open') => {
      clearTimeout(timer)
      socket.destroy()
      resolve({ received, closed })
    }
    const timer = setTimeout(() => finish('open'), opts.waitMs ?? 1000)
    socket.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])))
    socket.on('end', () => finish('end'))
    socket.on('error', () => finish('reset'))
    socket.on('close', () => finish('end'))
    socket.once('connect', async () => {
      for (const piece of send) {
        if (socket.destroyed) return
        socket.write(piece)
        if (opts.gapMs) await new Promise((r) => setTimeout(r, opts.gapMs))
      }
    })
  })
}
