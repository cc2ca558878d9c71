// Bug: reports a stream complete at its first delivery instead of the delivery that brought it to the expected count.
// Several independent message streams, carried two ways:
//  (a) multiplexed over ONE TCP connection, as HTTP/2 does: one byte stream, one order for all;
//  (b) as datagrams over UDP, ordered per stream, as QUIC streams are: a gap in one stream
//      holds back only that stream.
//
// Wire formats (integers big-endian):
//   TCP frame = stream (uint16) | seq (uint32) | length (uint32) | payload
//   UDP datagram = stream (uint16) | seq (uint32) | payload
// seq counts from 0 within each stream.
import net from 'node:net'
import dgram from 'node:dgram'

export interface StreamMessage {
  stream: number
  seq: number
  payload: Buffer
}

export type Deliver = (message: StreamMessage) => void

export interface ReceiverHandle {
  port: number
  close(): Promise<void>
}

export interface StreamReport {
  stream: number
  /** Messages of this stream in the log. */
  delivered: number
  /** 1-based position in the log of the delivery that completed the stream, or null. */
  completedAt: number | null
}

const TCP_HEADER = 10
const UDP_HEADER = 6

// ---- (a) TCP: one connection, frames in one shared order -------------------------------------

export async function startTcpMuxReceiver(deliver: Deliver): Promise<ReceiverHandle> {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
    let buffered: Buffer = Buffer.alloc(0)
    socket.on('data', (chunk: Buffer) => {
      // A read can end inside a frame or hold several: keep the rest for next time.
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk])
      while (buffered.length >= TCP_HEADER) {
        const length = buffered.readUInt32BE(6)
        if (buffered.length < TCP_HEADER + length) break
        deliver({
          stream: buffered.readUInt16BE(0),
          seq: buffered.readUInt32BE(2),
          payload: Buffer.from(buffered.subarray(TCP_HEADER, TCP_HEADER + length))
        })
        buffered = buffered.subarray(TCP_HEADER + length)
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      })
  }
}

export function sendTcpMux(port: number, messages: StreamMessage[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      for (const m of messages) {
        const header = Buffer.alloc(TCP_HEADER)
        header.writeUInt16BE(m.stream, 0)
        header.writeUInt32BE(m.seq, 2)
        header.writeUInt32BE(m.payload.length, 6)
        socket.write(Buffer.concat([header, m.payload]))
      }
      socket.end(() => resolve())
    })
    socket.on('error', reject)
    socket.resume() // nothing comes back, but let the peer's FIN be read
  })
}

// ---- (b) UDP: each stream ordered on its own --------------------------------------------------

export async function startUdpStreamsReceiver(deliver: Deliver): Promise<ReceiverHandle> {
  const socket = dgram.createSocket('udp4')
  const streams = new Map<number, { next: number; early: Map<number, Buffer> }>()
  socket.on('message', (msg) => {
    if (msg.length < UDP_HEADER) return
    const stream = msg.readUInt16BE(0)
    const seq = msg.readUInt32BE(2)
    let state = streams.get(stream)
    if (!state) streams.set(stream, (state = { next: 0, early: new Map() }))
    if (seq < state.next || state.early.has(seq)) return // duplicate
    state.early.set(seq, msg.subarray(UDP_HEADER))
    // Only this stream waits for its gap; other streams are untouched.
    let payload: Buffer | undefined
    while ((payload = state.early.get(state.next)) !== undefined) {
      state.early.delete(state.next)
      deliver({ stream, seq: state.next, payload })
      state.next += 1
    }
  })
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))
  return {
    port: socket.address().port,
    close: () => new Promise((resolve) => socket.close(() => resolve()))
  }
}

export async function sendUdpStreams(port: number, messages: StreamMessage[]): Promise<void> {
  const socket = dgram.createSocket('udp4')
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))
  for (const m of messages) {
    const datagram = Buffer.alloc(UDP_HEADER + m.payload.length)
    datagram.writeUInt16BE(m.stream, 0)
    datagram.writeUInt32BE(m.seq, 2)
    m.payload.copy(datagram, UDP_HEADER)
    await new Promise<void>((resolve, reject) =>
      socket.send(datagram, port, '127.0.0.1', (err) => (err ? reject(err) : resolve()))
    )
  }
  await new Promise<void>((resolve) => socket.close(() => resolve()))
}

// ---- Measuring: when did each stream complete? ------------------------------------------------

export function completionReport(log: StreamMessage[], expected: Record<number, number>): StreamReport[] {
  const counts = new Map<number, number>()
  const completedAt = new Map<number, number>()
  log.forEach((m, index) => {
    const count = (counts.get(m.stream) ?? 0) + 1
    counts.set(m.stream, count)
    if (!completedAt.has(m.stream)) completedAt.set(m.stream, index + 1)
  })
  return Object.keys(expected)
    .map(Number)
    .sort((a, b) => a - b)
    .map((stream) => ({ stream, delivered: counts.get(stream) ?? 0, completedAt: completedAt.get(stream) ?? null }))
}
