// A layer 4 (TCP) load balancer: round robin over healthy backends, active TCP health checks.
import net from 'node:net'

export interface Backend {
  host: string
  port: number
}

export interface ProxyOptions {
  backends: Backend[]
  /** Time between health-check rounds, ms (default 1000). */
  healthCheckIntervalMs?: number
  /** A probe that has not connected within this long fails, ms (default 500). */
  healthCheckTimeoutMs?: number
  /** Consecutive failed probes before a healthy backend is marked down (default 2). */
  fall?: number
  /** Consecutive successful probes before a down backend is marked up (default 2). */
  rise?: number
  /** Send a PROXY protocol v1 line to the backend first, so it learns the client's address. */
  proxyProtocol?: boolean
  /** Stretch: close both sides after this long without a byte in either direction, ms (default: never). */
  idleTimeoutMs?: number
}

export interface L4Proxy {
  port: number
  /** Health of each backend, in the order given. */
  healthy(): boolean[]
  close(): Promise<void>
}

/** One active probe: resolve true if a TCP connection to the backend completes within timeoutMs. */
export async function checkBackend(backend: Backend, timeoutMs: number): Promise<boolean> {
  throw new Error('checkBackend: not implemented yet')
}

export async function startProxy(options: ProxyOptions): Promise<L4Proxy> {
  // This forwards every connection to the first backend, with no health checks and no half-close.
  const first = options.backends[0]!
  const server = net.createServer((client) => {
    const upstream = net.connect(first.port, first.host)
    client.pipe(upstream)
    upstream.pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return {
    port: (server.address() as net.AddressInfo).port,
    healthy: () => options.backends.map(() => true),
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}
