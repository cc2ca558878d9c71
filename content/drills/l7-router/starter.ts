// An HTTP reverse proxy (layer 7): routes each request by header or path prefix to a backend pool.
import http from 'node:http'
import net from 'node:net'

export interface Target {
  host: string
  port: number
}

export interface Route {
  pool: string
  /** Matches this path and everything below it: '/api' matches /api, /api/x, /api?q, not /apix. */
  pathPrefix?: string
  /** Matches when this request header (name case-insensitive) has exactly this value. */
  header?: { name: string; value: string }
}

export interface RouterOptions {
  /** Checked in order; the first route whose conditions all hold wins. */
  routes: Route[]
  pools: Record<string, Target[]>
  defaultPool: string
}

export interface Router {
  port: number
  close(): Promise<void>
}

type Headers = Record<string, string | string[] | number | undefined>

/** The pool for a request (`url` may carry a query string; `headers` have lowercase names). */
export function matchRoute(routes: Route[], defaultPool: string, url: string, headers: Headers): string {
  throw new Error('matchRoute: not implemented yet')
}

/** A copy of `headers` without hop-by-hop fields. */
export function stripHopByHop(headers: Headers): Headers {
  throw new Error('stripHopByHop: not implemented yet')
}

/** One RFC 7239 Forwarded element: for=...;host=...;proto=... */
export function forwardedElement(clientAddress: string, host: string | undefined, proto: string): string {
  throw new Error('forwardedElement: not implemented yet')
}

export async function startRouter(options: RouterOptions): Promise<Router> {
  // This answers every request itself instead of proxying it.
  const server = http.createServer((req, res) => {
    res.writeHead(501, { 'content-type': 'text/plain' })
    res.end('not proxied yet\n')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}
