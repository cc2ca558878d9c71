import http from 'node:http'

export interface BucketOptions {
  /** Most tokens the bucket can hold; it starts full. */
  capacity: number
  /** One token is added every refillIntervalMs milliseconds, continuously. */
  refillIntervalMs: number
  /** The clock, milliseconds. Use it instead of Date.now(). */
  now: () => number
}

export class TokenBucket {
  constructor(private readonly options: BucketOptions) {}

  /** Take n tokens if they are all there (and return true); otherwise take nothing. */
  tryTake(n = 1): boolean {
    // TODO: refill from the clock, then take n tokens if there are enough.
    return true
  }

  /** Tokens in the bucket now (may be fractional). */
  available(): number {
    // TODO
    return this.options.capacity
  }

  /** Milliseconds until n tokens are there: 0 if they already are, Infinity if n > capacity. */
  msUntil(n = 1): number {
    // TODO
    return 0
  }
}

export interface ServerOptions extends BucketOptions {
  /** Which bucket a request uses; default: the client's address. */
  keyOf?: (req: http.IncomingMessage) => string
}

export function startRateLimitedServer(options: ServerOptions): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    // TODO: one TokenBucket per key; 200 "ok\n" with a token, 429 + Retry-After without one.
    res.writeHead(200, { 'Content-Type': 'text/plain' })
    res.end('ok\n')
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections()
            server.close(() => done())
          })
      })
    })
  })
}
