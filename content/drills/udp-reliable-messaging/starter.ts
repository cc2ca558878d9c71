// Reliable, ordered messages over UDP.
//
// Wire format (all integers big-endian):
//   DATA  = 0x44 ('D') | seq (uint32) | payload
//   ACK   = 0x41 ('A') | seq (uint32)          acknowledges exactly that DATA
import dgram from 'node:dgram'

export const DATA = 0x44
export const ACK = 0x41
/** Largest payload: keeps every datagram well under a 1500-byte MTU, so IP never fragments it. */
export const MAX_PAYLOAD = 1200

export interface ReceiverHandle {
  port: number
  close(): Promise<void>
}

export interface SendOptions {
  /** Default '127.0.0.1'. */
  host?: string
  /** Messages in flight at once (default 8; 1 is stop-and-wait). */
  window?: number
  /** Retransmission timeout before any RTT sample, ms (default 100). */
  rtoMs?: number
  /** Retransmissions of one message before giving up (default 20). */
  maxRetries?: number
}

export interface SendStats {
  /** DATA datagrams sent, first copies and retransmissions. */
  transmissions: number
  retransmissions: number
}

export async function startReceiver(onMessage: (payload: Buffer) => void): Promise<ReceiverHandle> {
  const socket = dgram.createSocket('udp4')
  socket.on('message', (msg) => {
    // TODO: check the type byte, read the sequence number, send an ACK, drop duplicates and
    // deliver in order. For now every datagram is delivered as it comes, header and all.
    onMessage(msg)
  })
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))
  return {
    port: socket.address().port,
    close: () => new Promise((resolve) => socket.close(() => resolve()))
  }
}

export async function sendReliable(port: number, messages: Buffer[], options: SendOptions = {}): Promise<SendStats> {
  const socket = dgram.createSocket('udp4')
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))
  // TODO: sequence numbers, wait for ACKs, retransmit on timeout. For now: fire and forget.
  for (const [seq, payload] of messages.entries()) {
    const packet = Buffer.alloc(5 + payload.length)
    packet[0] = DATA
    packet.writeUInt32BE(seq, 1)
    payload.copy(packet, 5)
    socket.send(packet, port, options.host ?? '127.0.0.1')
  }
  await new Promise((resolve) => setTimeout(resolve, 20))
  socket.close()
  return { transmissions: messages.length, retransmissions: 0 }
}
