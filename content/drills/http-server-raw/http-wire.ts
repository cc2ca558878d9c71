// Raw HTTP client pieces for the tests: a socket that buffers everything the server sends and
// hands out whole responses (framed by Content-Length), in order.
import net from 'node:net'

export interface RawResponse {
  status: number
  statusLine: string
  headers: Map<string, string>
  body: Buffer
}

export class RawClient {
  private buffer = Buffer.alloc(0)
  private waiters: Array<() => void> = []
  ended = false

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk])
      this.wake()
    })
    const end = () => {
      this.ended = true
      this.wake()
    }
    socket.on('end', end)
    socket.on('close', end)
    socket.on('error', end)
  }

  static async connect(port: number): Promise<RawClient> {
    const socket = net.connect({ host: '127.0.0.1', port })
    socket.setNoDelay(true)
    const client = new RawClient(socket)
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('error', reject)
    })
    return client
  }

  write(data: string | Buffer): void {
    this.socket.write(data)
  }

  destroy(): void {
    this.socket.destroy()
  }

  private wake(): void {
    const waiters = this.waiters
    this.waiters = []
    for (const w of waiters) w()
  }

  private async waitFor<T>(take: () => T | null, timeoutMs: number): Promise<T | null> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const got = take()
      if (got !== null) return got
      if (this.ended) return null
      const left = deadline - Date.now()
      if (left <= 0) return null
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  /**
   * The next whole response, or null if none arrived in time. `head: true` for a response to HEAD
   * (no body whatever Content-Length says). Throws if a response has no Content-Length.
   */
  response(options: { head?: boolean; timeoutMs?: number } = {}): Promise<RawResponse | null> {
    return this.waitFor(() => {
      const end = this.buffer.indexOf('\r\n\r\n')
      if (end === -1) return null
      const [statusLine = '', ...lines] = this.buffer.subarray(0, end).toString('latin1').split('\r\n')
      // Strict, as a real client is: anything before "HTTP/1.1 200 ..." (say, body bytes a HEAD
      // response leaked) is an error, not something to skip over.
      const status = /^HTTP\/1\.[01] ([1-5]\d\d) [^\r\n]*$/.exec(statusLine)?.[1]
      if (status === undefined)
        throw new Error(
          `expected a status line like "HTTP/1.1 200 OK", got ${JSON.stringify(statusLine.slice(0, 80))}: bytes left over from an earlier response (a body after HEAD, or more bytes than Content-Length) read as the start of the next one`
        )
      const headers = new Map<string, string>()
      for (const line of lines) {
        const colon = line.indexOf(':')
        headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
      }
      const cl = headers.get('content-length')
      if (cl === undefined)
        throw new Error(
          `the response "${statusLine}" has no Content-Length: on a persistent connection every response must say where its body ends (RFC 9112 §6.3)`
        )
      const length = options.head ? 0 : Number(cl)
      if (this.buffer.length < end + 4 + length) return null
      const body = Buffer.from(this.buffer.subarray(end + 4, end + 4 + length))
      this.buffer = this.buffer.subarray(end + 4 + length)
      return { status: Number(status), statusLine, headers, body }
    }, options.timeoutMs ?? 1500)
  }

  /** Bytes received but not part of a response read so far. */
  leftover(): Buffer {
    return this.buffer
  }

  /** True once the server has closed the connection (within timeoutMs). */
  closed(timeoutMs = 1500): Promise<boolean> {
    return this.waitFor(() => (this.ended ? true : null), timeoutMs).then((v) => v === true)
  }
}

export function describe(res: RawResponse | null): string {
  if (!res) return 'no complete response'
  return `"${res.statusLine}" with ${res.body.length} body bytes ${JSON.stringify(res.body.toString('latin1').slice(0, 60))}`
}
