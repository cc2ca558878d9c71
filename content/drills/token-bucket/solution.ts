import http from 'node:http'

export interface BucketOptions {
  /** Most tokens the bucket can hold; it starts full. */
  capacity: number
  /** One token is added every refillIntervalMs milliseconds, continuously. */
  refillIntervalMs: number
  /** The clock, milliseconds. */
  now: () => number
}

/**
 * A token bucket kept in integer units: one token is `refillIntervalMs` units and each elapsed
 * millisecond adds one unit, so the arithmetic is exact however often it is called.
 */
export class TokenBucket {
  private readonly max: number
  private units: number
  private last: number

  constructor(private readonly options: BucketOptions) {
    if (!(options.capacity > 0) || !(options.refillIntervalMs > 0))
      throw new RangeError('capacity and refillIntervalMs must be positive')
    this.max = options.capacity * options.refillIntervalMs
    this.units = this.max
    this.last = options.now()
  }

  private refill(): void {
    const now = this.options.now()
    const elapsed = Math.max(0, now - this.last)
    this.units = Math.min(this.max, this.units + elapsed)
    this.last = now
  }

  tryTake(n = 1): boolean {
    this.refill()
    const cost = n * this.options.refillIntervalMs
    if (this.units < cost) return false
    this.units -= cost
    return true
  }

  available(): number {
    this.refill()
    return this.units / this.options.refillIntervalMs
  }

  msUntil(n = 1): number {
    if (n > this.options.capacity) return Infinity
    this.refill()
    return Math.max(0, n * this.options.refillIntervalMs - this.units)
  }
}

export interface ServerOptions extends BucketOptions {
  /** Which bucket a request uses; default: the client's address. */
  keyOf?: (req: http.IncomingMessage) => string
}

export function startRateLimitedServer(options: ServerOptions): Promise<{ port: number; close(): Promise<void> }> {
  const buckets = new Map<string, TokenBucket>()
  const keyOf = options.keyOf ?? ((req: http.IncomingMessage) => req.socket.remoteAddress ?? 'unknown')

  const server = http.createServer((req, res) => {
    const key = keyOf(req)
    let bucket = buckets.get(key)
    if (!bucket) {
      bucket = new TokenBucket(options)
      buckets.set(key, bucket)
    }
    if (bucket.tryTake(1)) {
      res.writeHead(200, { 'Content-Type': 'text/plain' })
      res.end('ok\n')
      return
    }
    // RFC 9110 §10.2.3: delay-seconds is a whole number; round up so the client is never early.
    const seconds = Math.max(1, Math.ceil(bucket.msUntil(1) / 1000))
    res.writeHead(429, { 'Content-Type': 'text/plain', 'Retry-After': String(seconds) })
    res.end(`rate limited: retry in ${seconds} s\n`)
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
