// Test helpers for the L7 router drill: backends that report what they received, and a client.
import http from 'node:http'
import net from 'node:net'

export interface Seen {
  backend: string
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  body: string
}

/**
 * An HTTP backend that answers with JSON describing the request it got. The response carries a
 * hop-by-hop header of its own (`X-Backend-Hop`, named in Connection) that must not reach clients.
 */
export async function startBackend(name: string) {
  const seen: Seen[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const entry = {
        backend: name,
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString()
      }
      seen.push(entry)
      res.writeHead(200, {
        'content-type': 'application/json',
        'x-backend': name,
        'x-backend-hop': 'secret',
        connection: 'x-backend-hop'
      })
      res.end(JSON.stringify(entry))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const port = (server.address() as net.AddressInfo).port
  return {
    name,
    port,
    seen,
    target: { host: '127.0.0.1', port },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      })
  }
}

export type TestBackend = Awaited<ReturnType<typeof startBackend>>

/** A port where nothing listens (a backend that is down). */
export async function deadPort(): Promise<number> {
  const s = net.createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))
  const port = (s.address() as net.AddressInfo).port
  await new Promise<void>((r) => s.close(() => r()))
  return port
}

export interface Reply {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
  json: Seen | null
}

export function request(
  port: number,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string } = {}
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers: options.headers,
        agent: false
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString()
          let json: Seen | null
          try {
            json = JSON.parse(body) as Seen
          } catch {
            json = null
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json })
        })
        res.on('error', reject)
      }
    )
    req.on('error', reject)
    req.end(options.body)
  })
}
