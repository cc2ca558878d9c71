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

export function parseClientHello(bytes: Buffer): HelloParse {
  // TODO: records (RFC 8446 §5.1), the ClientHello (§4.1.2), its extensions and server_name
  // (RFC 6066 §3). For now: anything of 5 bytes or more is a ClientHello without a name.
  if (bytes.length < 5) return { status: 'incomplete' }
  return { status: 'ok', serverName: null }
}

export function startSniRouter(options: SniRouterOptions): Promise<net.Server> {
  const server = net.createServer((client) => {
    client.once('data', (first: Buffer) => {
      // TODO: wait for a whole ClientHello, route by its name, refuse what cannot be routed.
      const port = options.defaultPort ?? Object.values(options.routes)[0] ?? 0
      const backend = net.connect({ host: '127.0.0.1', port }, () => {
        backend.write(first)
        client.pipe(backend)
        backend.pipe(client)
      })
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}
