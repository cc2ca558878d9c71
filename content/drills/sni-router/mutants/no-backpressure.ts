// Bug: copies bytes with 'data' handlers and write() without pausing, so a backend that stops reading makes the router buffer everything the client sends.
// An SNI router: reads the TLS ClientHello a client sends first, picks a backend by its
// server_name, and from then on copies bytes both ways without decrypting anything.
import net from 'node:net'

export type HelloParse =
  /** More bytes are needed before the ClientHello is complete. */
  | { status: 'incomplete' }
  /** A whole ClientHello; serverName is its host_name, lowercased, or null without SNI. */
  | { status: 'ok'; serverName: string | null }
  /** Not a well-formed ClientHello; `reason` says what is wrong. */
  | { status: 'invalid'; reason: string }

export interface SniRouterOptions {
  /** server_name -> port of the backend on 127.0.0.1. Names match without regard to case. */
  routes: Record<string, number>
  /** Backend for a ClientHello without server_name; without it, such a client is refused. */
  defaultPort?: number
  /** Close a client whose ClientHello is not complete after this long, ms (default 5000). */
  helloTimeoutMs?: number
}

/** Largest record fragment, bytes (RFC 8446 §5.1). */
const MAX_RECORD = 16384
/** Largest ClientHello this router waits for, bytes: real ones are under 2 KB. */
export const MAX_HELLO = 16384
const HANDSHAKE = 22
const CLIENT_HELLO = 1
const SERVER_NAME = 0
const HOST_NAME = 0
/** Alert level fatal (2), description unrecognized_name (112), RFC 6066 §3; record version 0x0303. */
const UNRECOGNIZED_NAME_ALERT = Buffer.from([21, 3, 3, 0, 2, 2, 112])

class Malformed extends Error {}

/** Reads fields from a buffer, throwing Malformed past its end. */
class Cursor {
  at = 0
  constructor(private readonly b: Buffer) {}
  get left(): number {
    return this.b.length - this.at
  }
  take(n: number, what: string): Buffer {
    if (n > this.left) throw new Malformed(`${what} runs past the end of its enclosing field`)
    const out = this.b.subarray(this.at, this.at + n)
    this.at += n
    return out
  }
  u8(what: string): number {
    return this.take(1, what)[0] ?? 0
  }
  u16(what: string): number {
    return this.take(2, what).readUInt16BE(0)
  }
  /** A vector with a 1- or 2-byte length prefix (RFC 8446 §3.4). */
  vector(prefixBytes: 1 | 2, what: string): Buffer {
    return this.take(prefixBytes === 1 ? this.u8(what) : this.u16(what), what)
  }
}

export function parseClientHello(bytes: Buffer): HelloParse {
  // 1. Records (RFC 8446 §5.1): a handshake message may be split over several records.
  const fragments: Buffer[] = []
  let have = 0
  let need: number | undefined
  for (let at = 0; need === undefined || have < need;) {
    if (bytes.length - at < 5) return { status: 'incomplete' }
    if (bytes[at] !== HANDSHAKE)
      return {
        status: 'invalid',
        reason: `record type ${bytes[at]}, not handshake (22): this is not a TLS ClientHello`
      }
    if (bytes[at + 1] !== 3)
      return { status: 'invalid', reason: `record version ${bytes[at + 1]}.${bytes[at + 2]} is not TLS` }
    const length = bytes.readUInt16BE(at + 3)
    if (length === 0 || length > MAX_RECORD)
      return { status: 'invalid', reason: `record length ${length}: a handshake record holds 1 to 16384 bytes` }
    if (bytes.length - at - 5 < length) return { status: 'incomplete' }
    fragments.push(bytes.subarray(at + 5, at + 5 + length))
    have += length
    at += 5 + length
    if (need === undefined && have >= 4) {
      const handshake = Buffer.concat(fragments)
      if (handshake[0] !== CLIENT_HELLO)
        return { status: 'invalid', reason: `handshake type ${handshake[0]}, not ClientHello (1)` }
      need = 4 + handshake.readUIntBE(1, 3)
      if (need > MAX_HELLO)
        return {
          status: 'invalid',
          reason: `a ClientHello of ${need - 4} bytes is over this router's ${MAX_HELLO}-byte limit`
        }
    }
  }
  const handshake = Buffer.concat(fragments)
  if (handshake.length > need) return { status: 'invalid', reason: 'bytes after the ClientHello in its last record' }
  // 2. The ClientHello (RFC 8446 §4.1.2).
  try {
    return { status: 'ok', serverName: serverNameOf(handshake.subarray(4)) }
  } catch (e) {
    if (e instanceof Malformed) return { status: 'invalid', reason: e.message }
    throw e
  }
}

function serverNameOf(body: Buffer): string | null {
  const hello = new Cursor(body)
  hello.take(2 + 32, 'legacy_version and random')
  if (hello.vector(1, 'legacy_session_id').length > 32) throw new Malformed('legacy_session_id is longer than 32 bytes')
  const suites = hello.vector(2, 'cipher_suites')
  if (suites.length < 2 || suites.length % 2 !== 0)
    throw new Malformed('cipher_suites must hold at least one 2-byte suite')
  if (hello.vector(1, 'legacy_compression_methods').length < 1)
    throw new Malformed('legacy_compression_methods is empty')
  if (hello.left === 0) return null // no extensions at all (a TLS 1.2 client may do that)
  const extensions = new Cursor(hello.vector(2, 'extensions'))
  if (hello.left !== 0) throw new Malformed('bytes after the extensions')
  const seen = new Set<number>()
  let name: string | null = null
  while (extensions.left > 0) {
    const type = extensions.u16('extension type')
    const data = extensions.vector(2, `extension ${type}`)
    // RFC 8446 §4.2: at most one extension of each type, or a router and a server could disagree.
    if (seen.has(type)) throw new Malformed(`extension ${type} appears twice`)
    seen.add(type)
    if (type === SERVER_NAME) name = hostNameOf(data)
  }
  return name
}

/** The host_name in a server_name extension's ServerNameList (RFC 6066 §3). */
function hostNameOf(data: Buffer): string {
  const outer = new Cursor(data)
  const list = new Cursor(outer.vector(2, 'server_name_list'))
  if (outer.left !== 0) throw new Malformed('bytes after server_name_list')
  let host: string | undefined
  while (list.left > 0) {
    const type = list.u8('name_type')
    const name = list.vector(2, 'server name')
    if (type !== HOST_NAME) continue
    if (host !== undefined) throw new Malformed('two host_name entries in server_name')
    if (name.length === 0 || !/^[\x21-\x7e]+$/.test(name.toString('latin1')))
      throw new Malformed('host_name must be non-empty printable ASCII')
    host = name.toString('latin1').toLowerCase()
  }
  if (host === undefined) throw new Malformed('server_name holds no host_name')
  return host
}

export function startSniRouter(options: SniRouterOptions): Promise<net.Server> {
  const routes = new Map(Object.entries(options.routes).map(([name, port]) => [name.toLowerCase(), port]))
  const helloTimeoutMs = options.helloTimeoutMs ?? 5000

  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    let buffered = Buffer.alloc(0)
    let decided = false
    // A client that never finishes its ClientHello would hold the socket forever (slowloris).
    const timer = setTimeout(() => client.destroy(), helloTimeoutMs)
    client.on('error', () => client.destroy())
    client.on('close', () => clearTimeout(timer))

    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk])
      const hello = parseClientHello(buffered)
      if (hello.status === 'incomplete') return
      decided = true
      clearTimeout(timer)
      client.off('data', onData)
      client.pause()
      if (hello.status === 'invalid') return void client.destroy()
      const port = hello.serverName === null ? options.defaultPort : routes.get(hello.serverName)
      if (port === undefined) return void client.end(UNRECOGNIZED_NAME_ALERT)
      forward(client, port, buffered)
    }
    client.on('data', onData)
    // The client sent FIN before a whole ClientHello: there is nothing to route.
    client.on('end', () => {
      if (!decided) client.destroy()
    })
  })

  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}

/** Connects to the backend, replays the ClientHello bytes as they came, then splices the two. */
function forward(client: net.Socket, port: number, first: Buffer): void {
  const backend = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true })
  // One side failing (reset, refused) ends both: a half-dead pair would leak.
  backend.on('error', () => {
    backend.destroy()
    client.destroy()
  })
  client.on('error', () => backend.destroy())
  // A clean close needs nothing here: pipe() ends each side after the last byte it carried
  // (destroy() on close would drop bytes still queued for the other side).
  backend.once('connect', () => {
    backend.write(first)
    client.on('data', (chunk: Buffer) => backend.write(chunk))
    backend.on('data', (chunk: Buffer) => client.write(chunk))
    if (client.readableEnded) backend.end()
    else client.on('end', () => backend.end())
    backend.on('end', () => client.end())
    client.resume()
  })
}
