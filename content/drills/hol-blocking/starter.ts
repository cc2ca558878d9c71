// Several independent message streams, carried two ways:
//  (a) multiplexed over ONE TCP connection, as HTTP/2 does;
//  (b) as datagrams over UDP, ordered per stream, as QUIC streams are.
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

export async function startTcpMuxReceiver(deliver: Deliver): Promise<ReceiverHandle> {
  const server = net.createServer((socket) => {
    socket.on('data', (chunk: Buffer) => {
      // TODO: a 'data' event is not a frame. This treats it as exactly one.
      deliver({ stream: chunk.readUInt16BE(0), seq: chunk.readUInt32BE(2), payload: chunk.subarray(10) })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve()))
  }
}

export function sendTcpMux(port: number, messages: StreamMessage[]): Promise<void> {
  // TODO: one connection, one frame per message, in the order given.
  return Promise.reject(new Error('sendTcpMux is not implemented yet'))
}

export async function startUdpStreamsReceiver(deliver: Deliver): Promise<ReceiverHandle> {
  const socket = dgram.createSocket('udp4')
  socket.on('message', (msg) => {
    // TODO: order per stream (hold early arrivals, drop duplicates). This delivers on arrival.
    deliver({ stream: msg.readUInt16BE(0), seq: msg.readUInt32BE(2), payload: msg.subarray(6) })
  })
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))
  return {
    port: socket.address().port,
    close: () => new Promise((resolve) => socket.close(() => resolve()))
  }
}

export async function sendUdpStreams(port: number, messages: StreamMessage[]): Promise<void> {
  // TODO: one datagram per message.
  throw new Error('sendUdpStreams is not implemented yet')
}

export function completionReport(log: StreamMessage[], expected: Record<number, number>): StreamReport[] {
  // TODO: per stream, how many messages were delivered and where in the log the last one landed.
  return []
}
