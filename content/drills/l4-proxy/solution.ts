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

/** One active probe: can we complete a TCP handshake with the backend in time? */
export function checkBackend(backend: Backend, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: backend.host, port: backend.port })
    const done = (ok: boolean) => {
      clearTimeout(timer)
      socket.destroy()
      resolve(ok)
    }
    const timer = setTimeout(() => done(false), timeoutMs)
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

/**
 * PROXY protocol v1 (HAProxy's spec): one text line before any client byte,
 * `PROXY TCP4 <client ip> <address the client connected to> <client port> <that port>\r\n`.
 */
export function proxyLine(client: net.Socket): string {
  const family = client.remoteFamily === 'IPv6' ? 'TCP6' : 'TCP4'
  return `PROXY ${family} ${client.remoteAddress} ${client.localAddress} ${client.remotePort} ${client.localPort}\r\n`
}

interface BackendState {
  backend: Backend
  healthy: boolean
  /** Consecutive probe results that disagree with `healthy`. */
  streak: number
}

export async function startProxy(options: ProxyOptions): Promise<L4Proxy> {
  const interval = options.healthCheckIntervalMs ?? 1000
  const timeout = options.healthCheckTimeoutMs ?? 500
  const fall = options.fall ?? 2
  const rise = options.rise ?? 2
  const states: BackendState[] = options.backends.map((backend) => ({ backend, healthy: false, streak: 0 }))
  let next = 0
  let closed = false

  // The first round decides the starting state directly; later rounds need `fall`/`rise` in a row.
  const firstRound = await Promise.all(states.map((s) => checkBackend(s.backend, timeout)))
  firstRound.forEach((ok, i) => (states[i]!.healthy = ok))

  let timer: NodeJS.Timeout | undefined
  const checkRound = async () => {
    const results = await Promise.all(states.map((s) => checkBackend(s.backend, timeout)))
    results.forEach((ok, i) => {
      const s = states[i]!
      if (ok === s.healthy) {
        s.streak = 0
        return
      }
      s.streak += 1
      if (s.streak >= (s.healthy ? fall : rise)) {
        s.healthy = ok
        s.streak = 0
      }
    })
    if (!closed) timer = setTimeout(checkRound, interval)
  }
  timer = setTimeout(checkRound, interval)

  /** Round robin over the backends, skipping those marked down. */
  const pick = (): BackendState | null => {
    for (let tried = 0; tried < states.length; tried++) {
      const s = states[next % states.length]!
      next = (next + 1) % states.length
      if (s.healthy) return s
    }
    return null
  }

  const sockets = new Set<net.Socket>()
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    const chosen = pick()
    if (!chosen) {
      client.resetAndDestroy() // no healthy backend: refuse fast rather than hang
      return
    }
    const upstream = net.connect({ host: chosen.backend.host, port: chosen.backend.port, allowHalfOpen: true })
    sockets.add(upstream)
    if (options.proxyProtocol) upstream.write(proxyLine(client))
    upstream.on('close', () => sockets.delete(upstream))
    // pipe() forwards bytes with backpressure and ends the other side on FIN (half-close kept).
    client.pipe(upstream)
    upstream.pipe(client)
    // A reset or failure on one side (including a failed connect) tears down the other.
    client.on('error', () => upstream.destroy())
    upstream.on('error', () => client.destroy())
    // Idle timeout (HAProxy's "timeout client"/"timeout server"): a socket's timer restarts on every
    // read and every write, and every byte the backend sends is written to the client, so the
    // client socket's timer sees both directions.
    if (options.idleTimeoutMs) {
      client.setTimeout(options.idleTimeoutMs, () => {
        client.destroy()
        upstream.destroy()
      })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))

  return {
    port: (server.address() as net.AddressInfo).port,
    healthy: () => states.map((s) => s.healthy),
    close: () =>
      new Promise<void>((resolve) => {
        closed = true
        clearTimeout(timer)
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      })
  }
}
