// Bug: sets rejectUnauthorized: false on the TLS connection, so a certificate from any CA, for any name, is accepted.
// Load a URL the way a browser does, one visible step at a time:
// DNS lookup -> TCP connect -> TLS handshake (https only) -> HTTP/1.1 GET.
import net from 'node:net'
import tls from 'node:tls'
import { Resolver } from 'node:dns/promises'

export type PhaseName = 'dns' | 'tcp' | 'tls' | 'http'

export interface Phase {
  name: PhaseName
  /** Milliseconds since loadUrl was called. */
  startMs: number
  durationMs: number
}

export interface LoadOptions {
  /** The DNS server to ask, `host:port` (e.g. '127.0.0.1:53535'). */
  dnsServer: string
  /** PEM of the one CA to trust for https URLs. */
  ca?: string
}

export interface LoadResult {
  /** The IPv4 address DNS returned (the first A record). */
  address: string
  phases: Phase[]
  /** The negotiated TLS version, e.g. 'TLSv1.3'; null for http URLs. */
  tlsProtocol: string | null
  status: number
  /** Response header fields, names lower-cased. */
  headers: Record<string, string>
  body: string
}

export async function loadUrl(url: string, options: LoadOptions): Promise<LoadResult> {
  const target = new URL(url)
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    throw new Error(`unsupported scheme ${target.protocol}`)
  const secure = target.protocol === 'https:'
  const port = Number(target.port || (secure ? 443 : 80))
  const origin = performance.now()
  const phases: Phase[] = []
  /** Runs one step and records when it started and how long it took. */
  const timed = async <T>(name: PhaseName, step: () => Promise<T>): Promise<T> => {
    const start = performance.now()
    const value = await step()
    phases.push({ name, startMs: start - origin, durationMs: performance.now() - start })
    return value
  }

  // 1. DNS: ask the given server for the A records (RFC 1035), not the system resolver.
  const address = await timed('dns', async () => {
    const resolver = new Resolver({ timeout: 1000, tries: 2 })
    resolver.setServers([options.dnsServer])
    try {
      const [first] = await resolver.resolve4(target.hostname)
      if (!first) throw new Error('no A records')
      return first
    } catch (err) {
      throw new Error(`DNS lookup of ${target.hostname} failed: ${(err as Error).message}`)
    }
  })

  // 2. TCP: the three-way handshake is done when 'connect' fires (one round trip).
  const socket = await timed('tcp', () => connectTcp(address, port))

  // 3. TLS: SNI names the host we want; only the given CA is trusted; the certificate must match the host.
  let stream: net.Socket = socket
  let tlsProtocol: string | null = null
  if (secure) {
    const secured = await timed('tls', () => startTls(socket, target.hostname, options.ca))
    stream = secured
    tlsProtocol = secured.getProtocol()
  }

  // 4. HTTP/1.1: one GET, then read the whole response.
  const hostHeader = target.port ? `${target.hostname}:${target.port}` : target.hostname
  const request =
    `GET ${target.pathname}${target.search} HTTP/1.1\r\n` +
    `Host: ${hostHeader}\r\n` +
    'Accept: */*\r\n' +
    'Connection: close\r\n' +
    '\r\n'
  const response = await timed('http', () => exchange(stream, request))
  stream.destroy()
  return { address, phases, tlsProtocol, ...response }
}

function connectTcp(host: string, port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port })
    socket.once('connect', () => {
      socket.off('error', reject)
      resolve(socket)
    })
    socket.once('error', (err) => reject(new Error(`TCP connect to ${host}:${port} failed: ${err.message}`)))
  })
}

function startTls(socket: net.Socket, servername: string, ca: string | undefined): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const secured = tls.connect({
      socket,
      servername,
      ca: ca ? [ca] : undefined,
      ALPNProtocols: ['http/1.1'],
      rejectUnauthorized: false
    })
    secured.once('secureConnect', () => {
      secured.off('error', onError)
      resolve(secured)
    })
    const onError = (err: Error) => {
      socket.destroy()
      reject(new Error(`TLS handshake with ${servername} failed: ${err.message}`))
    }
    secured.once('error', onError)
  })
}

interface Response {
  status: number
  headers: Record<string, string>
  body: string
}

/** Sends the request and reads one HTTP/1.1 response (RFC 9112 §6.3 for where the body ends). */
function exchange(stream: net.Socket, request: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0)
    let head: { status: number; headers: Record<string, string>; bodyStart: number } | null = null
    let settled = false
    const done = (result: Response | Error) => {
      if (settled) return
      settled = true
      stream.off('data', onData)
      if (result instanceof Error) reject(result)
      else resolve(result)
    }
    const tryFinish = (ended: boolean) => {
      if (!head) {
        const end = buffered.indexOf('\r\n\r\n')
        if (end < 0) return ended && done(new Error('connection closed before a complete response head'))
        const [statusLine = '', ...lines] = buffered.subarray(0, end).toString('latin1').split('\r\n')
        const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)
        if (!match) return done(new Error(`bad status line: ${statusLine}`))
        const headers: Record<string, string> = {}
        for (const line of lines) {
          const colon = line.indexOf(':')
          if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
        }
        head = { status: Number(match[1]), headers, bodyStart: end + 4 }
      }
      const body = buffered.subarray(head.bodyStart)
      const finish = (bytes: Buffer) =>
        done({ status: head!.status, headers: head!.headers, body: bytes.toString('utf8') })
      if (/\bchunked\b/i.test(head.headers['transfer-encoding'] ?? '')) {
        const decoded = decodeChunked(body)
        if (decoded) return finish(decoded)
        if (ended) done(new Error('connection closed in the middle of a chunked body'))
      } else if (head.headers['content-length'] !== undefined) {
        const length = Number(head.headers['content-length'])
        if (body.length >= length) return finish(body.subarray(0, length))
        if (ended) done(new Error(`connection closed after ${body.length} of ${length} body bytes`))
      } else if (ended) {
        finish(body) // no length given: the body runs until the server closes
      }
    }
    const step = (ended: boolean) => {
      try {
        tryFinish(ended)
      } catch (err) {
        done(err as Error)
      }
    }
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk])
      step(false)
    }
    stream.on('data', onData)
    stream.once('end', () => step(true))
    stream.once('error', (err) => done(err))
    stream.write(request)
  })
}

/** The body of a complete chunked message (RFC 9112 §7.1), or null if more bytes are needed. */
function decodeChunked(bytes: Buffer): Buffer | null {
  const parts: Buffer[] = []
  let at = 0
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at)
    if (lineEnd < 0) return null
    const size = parseInt(bytes.subarray(at, lineEnd).toString('latin1').split(';')[0]!.trim(), 16)
    if (Number.isNaN(size)) throw new Error('bad chunk size')
    // The last chunk has size 0; optional trailer fields follow, then an empty line.
    if (size === 0) return bytes.indexOf('\r\n\r\n', lineEnd) >= 0 ? Buffer.concat(parts) : null
    if (bytes.length < lineEnd + 2 + size + 2) return null
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size))
    at = lineEnd + 2 + size + 2
  }
}
