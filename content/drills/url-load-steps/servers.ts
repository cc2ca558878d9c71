// Local stand-ins for the Internet: a tiny authoritative DNS server over UDP and a web server
// (HTTP/1.1, optionally over TLS). Both write what they see into a shared event log, so tests
// can check the order in which things happened without looking at the clock.
import dgram from 'node:dgram'
import net from 'node:net'
import tls from 'node:tls'

export type EventLog = string[]

export interface DnsServer {
  port: number
  /** `127.0.0.1:<port>`, ready for Resolver.setServers(). */
  address: string
  queries: number
  close(): Promise<void>
}

/** Answers A queries for the names in `records` (name -> IPv4 addresses); NXDOMAIN for others. */
export async function startDnsServer(records: Record<string, string[]>, log: EventLog): Promise<DnsServer> {
  const socket = dgram.createSocket('udp4')
  const server = { queries: 0 }
  socket.on('message', (query, from) => {
    if (query.length < 12) return
    server.queries += 1
    // Question: labels, then QTYPE and QCLASS (RFC 1035 §4.1.2).
    const labels: string[] = []
    let at = 12
    while (at < query.length && query[at] !== 0) {
      const len = query[at]!
      labels.push(query.subarray(at + 1, at + 1 + len).toString('latin1'))
      at += 1 + len
    }
    const questionEnd = at + 5
    if (questionEnd > query.length) return
    const name = labels.join('.').toLowerCase()
    const qtype = query.readUInt16BE(at + 1)
    const typeName = qtype === 1 ? 'A' : qtype === 28 ? 'AAAA' : `TYPE${qtype}`
    log.push(`dns-query ${name} ${typeName}`)
    const known = Object.prototype.hasOwnProperty.call(records, name)
    const addresses = known && qtype === 1 ? records[name]! : []
    const header = Buffer.alloc(12)
    query.copy(header, 0, 0, 2) // same ID
    const rd = query[2]! & 0x01
    header[2] = 0x84 | rd // QR=1, AA=1, RD copied
    header[3] = known ? 0x00 : 0x03 // RCODE 3 = NXDOMAIN
    header.writeUInt16BE(1, 4)
    header.writeUInt16BE(addresses.length, 6)
    const answers = addresses.map((address) => {
      const rr = Buffer.alloc(16)
      rr.writeUInt16BE(0xc00c, 0) // pointer to the name in the question
      rr.writeUInt16BE(1, 2) // TYPE A
      rr.writeUInt16BE(1, 4) // CLASS IN
      rr.writeUInt32BE(60, 6) // TTL
      rr.writeUInt16BE(4, 10)
      address.split('.').forEach((part, i) => (rr[12 + i] = Number(part)))
      return rr
    })
    socket.send(Buffer.concat([header, query.subarray(12, questionEnd), ...answers]), from.port, from.address)
  })
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))
  const port = socket.address().port
  return {
    port,
    address: `127.0.0.1:${port}`,
    get queries() {
      return server.queries
    },
    close: () => new Promise((resolve) => socket.close(() => resolve()))
  }
}

export interface SeenRequest {
  requestLine: string
  headers: Record<string, string>
  servername: string | null
}

export interface WebServer {
  port: number
  requests: SeenRequest[]
  close(): Promise<void>
}

export interface WebServerOptions {
  /** Serve HTTPS with this certificate and key; plain HTTP without. */
  tls?: { cert: string; key: string }
  /** The raw HTTP response bytes for a request. The connection is closed after sending them. */
  respond: (request: SeenRequest) => string | Buffer
}

export async function startWebServer(options: WebServerOptions, log: EventLog): Promise<WebServer> {
  const requests: SeenRequest[] = []
  const sockets = new Set<net.Socket>()
  const handle = (socket: net.Socket, servername: string | null) => {
    let buffered = Buffer.alloc(0)
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk])
      const end = buffered.indexOf('\r\n\r\n')
      if (end < 0) return
      const [requestLine = '', ...lines] = buffered.subarray(0, end).toString('latin1').split('\r\n')
      const headers: Record<string, string> = {}
      for (const line of lines) {
        const colon = line.indexOf(':')
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
      }
      const request = { requestLine, headers, servername }
      requests.push(request)
      log.push(`http-request ${requestLine}`)
      socket.removeAllListeners('data')
      socket.end(options.respond(request))
    })
    socket.on('error', () => {})
  }
  const server = options.tls
    ? tls.createServer({ cert: options.tls.cert, key: options.tls.key }, (socket) => {
        log.push(`tls-established ${socket.servername || '(no SNI)'}`)
        handle(socket, socket.servername || null)
      })
    : net.createServer((socket) => handle(socket, null))
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    log.push('tcp-accept')
  })
  server.on('tlsClientError', (err: Error) => log.push(`tls-failed ${err.message}`))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return {
    port: (server.address() as net.AddressInfo).port,
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      })
  }
}

/** An HTTP/1.1 response with Content-Length. */
export function okResponse(body: string, type = 'text/html; charset=utf-8', status = '200 OK'): string {
  return `HTTP/1.1 ${status}\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
}
