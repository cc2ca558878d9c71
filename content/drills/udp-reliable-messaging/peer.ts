// A raw UDP peer for tests: sends hand-made DATA/ACK datagrams and queues what comes back.
import dgram from 'node:dgram'

export interface Datagram {
  msg: Buffer
  port: number
}

export interface RawPeer {
  port: number
  send(bytes: Buffer, port: number): void
  /** The next datagram that arrives, or null after `timeoutMs`. */
  next(timeoutMs?: number): Promise<Datagram | null>
  /** Everything received so far (including what next() already returned). */
  received: Datagram[]
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
  return {
    port: socket.address().port,
    send: (bytes, port) => socket.send(bytes, port, '127.0.0.1'),
    next(timeoutMs = 500) {
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
    },
    received,
    onDatagram: (h) => handlers.push(h),
    close: () => new Promise((resolve) => socket.close(() => resolve()))
  }
}

export function dataPacket(seq: number, payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload
  const packet = Buffer.alloc(5 + body.length)
  packet[0] = 0x44
  packet.writeUInt32BE(seq, 1)
  body.copy(packet, 5)
  return packet
}

export function ackPacket(seq: number): Buffer {
  const packet = Buffer.alloc(5)
  packet[0] = 0x41
  packet.writeUInt32BE(seq, 1)
  return packet
}

export function describe(d: Datagram | null): string {
  if (!d) return 'nothing (no datagram within the wait)'
  const kind = d.msg[0] === 0x41 ? 'ACK' : d.msg[0] === 0x44 ? 'DATA' : `type 0x${(d.msg[0] ?? 0).toString(16)}`
  return `${kind} of ${d.msg.length} bytes${d.msg.length >= 5 ? ` seq=${d.msg.readUInt32BE(1)}` : ''}`
}

/** Messages "msg-0" ... "msg-(n-1)". */
export function numbered(n: number, prefix = 'msg'): Buffer[] {
  return Array.from({ length: n }, (_, i) => Buffer.from(`${prefix}-${i}`))
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
