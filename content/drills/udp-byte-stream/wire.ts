// Test-side helpers, independent of the learner's code: a raw UDP peer that sends hand-made
// datagrams and queues what comes back, and the four messages of the protocol.
import dgram from 'node:dgram'

export interface Datagram {
  msg: Buffer
  port: number
}

export interface RawPeer {
  port: number
  send(bytes: Buffer | string, port: number): void
  /** The next datagram that arrives, or null after `timeoutMs`. */
  next(timeoutMs?: number): Promise<Datagram | null>
  /** The next datagram whose text starts with `prefix` (others are skipped), or null. */
  nextStarting(prefix: string, timeoutMs?: number): Promise<Datagram | null>
  /** Everything received so far. */
  received: Datagram[]
  /** Forget the datagrams queued for next(): the next one read is one that arrives after this. */
  drain(): void
  onDatagram(handler: (d: Datagram) => void): void
  close(): Promise<void>
}

export async function rawPeer(): Promise<RawPeer> {
  const socket = dgram.createSocket('udp4')
  const received: Datagram[] = []
  const queue: Datagram[] = []
  const waiters: ((d: Datagram) => void)[] = []
  const handlers: ((d: Datagram) => void)[] = []
  socket.on('message', (msg, rinfo) => {
    const d = { msg, port: rinfo.port }
    received.push(d)
    for (const h of handlers) h(d)
    const waiter = waiters.shift()
    if (waiter) waiter(d)
    else queue.push(d)
  })
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))
  const next = (timeoutMs = 500): Promise<Datagram | null> => {
    const ready = queue.shift()
    if (ready) return Promise.resolve(ready)
    return new Promise((resolve) => {
      const waiter = (d: Datagram) => {
        clearTimeout(timer)
        resolve(d)
      }
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(waiter), 1)
        resolve(null)
      }, timeoutMs)
      waiters.push(waiter)
    })
  }
  return {
    port: socket.address().port,
    send: (bytes, port) =>
      socket.send(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes, port, '127.0.0.1'),
    next,
    async nextStarting(prefix, timeoutMs = 500) {
      const until = Date.now() + timeoutMs
      for (;;) {
        const left = until - Date.now()
        if (left <= 0) return null
        const d = await next(left)
        if (!d || d.msg.toString('latin1').startsWith(prefix)) return d
      }
    },
    received,
    drain: () => void queue.splice(0),
    onDatagram: (h) => handlers.push(h),
    close: () => new Promise((resolve) => socket.close(() => resolve()))
  }
}

export const open = (session: number) => `O ${session}`
export const close = (session: number) => `C ${session}`
export const ack = (session: number, length: number) => `A ${session} ${length}`
export function data(session: number, offset: number, payload: string | Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`D ${session} ${offset} `, 'latin1'),
    typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload
  ])
}

/** A DATA datagram taken apart, or null when `d` is not one. */
export function dataOf(d: Datagram | null): { session: number; offset: number; payload: Buffer } | null {
  if (!d) return null
  const m = /^D (\d+) (\d+) /.exec(d.msg.subarray(0, 32).toString('latin1'))
  if (!m) return null
  return { session: Number(m[1]), offset: Number(m[2]), payload: d.msg.subarray(m[0].length) }
}

/** A datagram in words, for assertion messages. */
export function show(d: Datagram | null): string {
  if (!d) return 'nothing (no datagram within the wait)'
  const text = d.msg.toString('latin1')
  return (
    JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}...` : text) +
    (text.length > 60 ? ` (${text.length} bytes)` : '')
  )
}

/** `line` with its bytes in reverse order, plus the newline: what the server must send back. */
export function reversed(line: string): string {
  return `${[...Buffer.from(line, 'latin1')]
    .reverse()
    .map((b) => String.fromCharCode(b))
    .join('')}\n`
}

/** Resolves once `done()` is true, checking every few ms; rejects after `timeoutMs`. */
export function waitFor(done: () => boolean, timeoutMs: number, message: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now()
    const tick = () => {
      if (done()) return resolve()
      if (Date.now() - started > timeoutMs) return reject(new Error(message()))
      setTimeout(tick, 5)
    }
    tick()
  })
}

export const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
