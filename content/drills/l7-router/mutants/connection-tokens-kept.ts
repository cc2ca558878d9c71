// Bug: strips the fixed hop-by-hop fields but not the ones the Connection header names (RFC 9110 §7.6.1).
// An HTTP reverse proxy (layer 7): routes each request by header or path prefix to a backend pool,
// round robin within the pool, adds forwarding headers and strips hop-by-hop ones.
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

export function matchRoute(routes: Route[], defaultPool: string, url: string, headers: Headers): string {
  const path = url.split('?')[0] ?? url
  for (const route of routes) {
    if (route.pathPrefix !== undefined) {
      const prefix = route.pathPrefix.replace(/\/$/, '')
      if (!(prefix === '' || path === prefix || path.startsWith(`${prefix}/`))) continue
    }
    if (route.header) {
      const value = headers[route.header.name.toLowerCase()]
      if (value === undefined || String(value) !== route.header.value) continue
    }
    return route.pool
  }
  return defaultPool
}

/** Fields that describe one connection, never the message (RFC 9110 §7.6.1). */
const HOP_BY_HOP = ['connection', 'proxy-connection', 'keep-alive', 'te', 'transfer-encoding', 'upgrade']

/** A copy of `headers` without hop-by-hop fields, including those named in Connection. */
export function stripHopByHop(headers: Headers): Headers {
  const named = String(headers.connection ?? '')
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter(Boolean)
  const drop = new Set([...HOP_BY_HOP, ...named.filter(() => false)])
  const out: Headers = {}
  for (const [name, value] of Object.entries(headers)) {
    if (!drop.has(name.toLowerCase()) && value !== undefined) out[name] = value
  }
  return out
}

/** RFC 7239 §4: a value that is not a token must be a quoted-string; IPv6 goes in brackets (§6). */
function forwardedValue(value: string): string {
  return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(value) ? value : `"${value.replace(/["\\]/g, '\\$&')}"`
}

/** One Forwarded element: `for=...;host=...;proto=...` (host left out when unknown). */
export function forwardedElement(clientAddress: string, host: string | undefined, proto: string): string {
  const client = net.isIPv6(clientAddress) ? `[${clientAddress}]` : clientAddress
  const pairs = [`for=${forwardedValue(client)}`]
  if (host) pairs.push(`host=${forwardedValue(host)}`)
  pairs.push(`proto=${forwardedValue(proto)}`)
  return pairs.join(';')
}

const append = (existing: string | string[] | number | undefined, value: string) =>
  existing === undefined ? value : `${Array.isArray(existing) ? existing.join(', ') : String(existing)}, ${value}`

export async function startRouter(options: RouterOptions): Promise<Router> {
  const cursors = new Map<string, number>()
  const pick = (pool: string): Target | undefined => {
    const targets = options.pools[pool] ?? []
    if (targets.length === 0) return undefined
    const i = cursors.get(pool) ?? 0
    cursors.set(pool, (i + 1) % targets.length)
    return targets[i % targets.length]
  }

  const badGateway = (res: http.ServerResponse, why: string) => {
    if (res.headersSent) return void res.destroy()
    res.writeHead(502, { 'content-type': 'text/plain' })
    res.end(`502 Bad Gateway: ${why}\n`)
  }

  const server = http.createServer((req, res) => {
    const pool = matchRoute(options.routes, options.defaultPool, req.url ?? '/', req.headers)
    const target = pick(pool)
    if (!target) return badGateway(res, `pool '${pool}' has no backends`)

    const client = req.socket.remoteAddress ?? 'unknown'
    const headers = stripHopByHop(req.headers)
    headers['x-forwarded-for'] = append(req.headers['x-forwarded-for'], client)
    headers['x-forwarded-proto'] = 'http'
    headers.forwarded = append(req.headers.forwarded, forwardedElement(client, req.headers.host, 'http'))

    const upstream = http.request(
      {
        host: target.host,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: headers as http.OutgoingHttpHeaders
      },
      (backendRes) => {
        res.writeHead(
          backendRes.statusCode ?? 502,
          backendRes.statusMessage,
          stripHopByHop(backendRes.headers) as http.OutgoingHttpHeaders
        )
        backendRes.pipe(res)
        backendRes.on('error', () => res.destroy())
      }
    )
    upstream.on('error', (err) => badGateway(res, `${target.host}:${target.port} ${err.message}`))
    req.pipe(upstream)
    req.on('error', () => upstream.destroy())
  })

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
