// Bug: refuses a 1200-byte payload (>= instead of >): 1200 bytes is the largest allowed, not the first refused.
// Reliable, ordered messages over UDP: sequence numbers, per-message ACKs, a sliding window with
// retransmission on timeout (selective repeat), and a receiver that reorders and drops duplicates.
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

/** Longest wait before one retransmission, ms. RFC 6298 §2.5 allows a cap of 60 s or more on real
 *  networks; on loopback a second is already forever. */
const MAX_BACKOFF_MS = 1000
/** How far ahead of the next expected message the receiver buffers. */
const RECEIVE_WINDOW = 1024

export async function startReceiver(onMessage: (payload: Buffer) => void): Promise<ReceiverHandle> {
  const socket = dgram.createSocket('udp4')
  // One ordered sequence per sender address: a new sender socket starts again at seq 0.
  const peers = new Map<string, { next: number; pending: Map<number, Buffer> }>()

  socket.on('message', (msg, from) => {
    if (msg.length < 5 || msg[0] !== DATA) return // not ours: ignore
    const seq = msg.readUInt32BE(1)
    const key = `${from.address}:${from.port}`
    let peer = peers.get(key)
    if (!peer) peers.set(key, (peer = { next: 0, pending: new Map() }))
    if (seq >= peer.next + RECEIVE_WINDOW) return // too far ahead: no room, no ACK; it will come again
    // ACK everything else, duplicates too: the sender may have lost our first ACK.
    const ack = Buffer.alloc(5)
    ack[0] = ACK
    ack.writeUInt32BE(seq, 1)
    socket.send(ack, from.port, from.address)
    if (seq < peer.next || peer.pending.has(seq)) return // duplicate: delivered or waiting already
    peer.pending.set(seq, msg.subarray(5))
    // Deliver the run of consecutive messages that is now complete.
    let payload: Buffer | undefined
    while ((payload = peer.pending.get(peer.next)) !== undefined) {
      peer.pending.delete(peer.next)
      peer.next += 1
      onMessage(payload)
    }
  })

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject)
    socket.bind(0, '127.0.0.1', () => resolve())
  })
  return {
    port: socket.address().port,
    close: () => new Promise((resolve) => socket.close(() => resolve()))
  }
}

export async function sendReliable(port: number, messages: Buffer[], options: SendOptions = {}): Promise<SendStats> {
  for (const m of messages) {
    if (m.length >= MAX_PAYLOAD)
      throw new RangeError(`message of ${m.length} bytes is over the ${MAX_PAYLOAD}-byte limit`)
  }
  const host = options.host ?? '127.0.0.1'
  const windowSize = Math.max(1, options.window ?? 8)
  const maxRetries = options.maxRetries ?? 20
  const stats: SendStats = { transmissions: 0, retransmissions: 0 }
  if (messages.length === 0) return stats

  const socket = dgram.createSocket('udp4')
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))

  // RTT estimation per RFC 6298 §2, with a floor suited to loopback instead of 1 s.
  let rto = options.rtoMs ?? 100
  let srtt: number | undefined
  let rttvar = 0
  const sample = (rtt: number) => {
    if (srtt === undefined) {
      srtt = rtt
      rttvar = rtt / 2
    } else {
      rttvar = 0.75 * rttvar + 0.25 * Math.abs(srtt - rtt)
      srtt = 0.875 * srtt + 0.125 * rtt
    }
    rto = Math.min(Math.max(srtt + Math.max(1, 4 * rttvar), 20), 2000)
  }

  interface InFlight {
    sentAt: number
    tries: number
    timer: NodeJS.Timeout
  }
  const inFlight = new Map<number, InFlight>()
  const acked = new Set<number>()
  let nextToSend = 0

  return new Promise<SendStats>((resolve, reject) => {
    const finish = (err?: Error) => {
      for (const f of inFlight.values()) clearTimeout(f.timer)
      inFlight.clear()
      socket.close()
      if (err) reject(err)
      else resolve(stats)
    }

    const transmit = (seq: number, tries: number) => {
      const packet = Buffer.alloc(5 + messages[seq]!.length)
      packet[0] = DATA
      packet.writeUInt32BE(seq, 1)
      messages[seq]!.copy(packet, 5)
      socket.send(packet, port, host)
      stats.transmissions += 1
      if (tries > 0) stats.retransmissions += 1
      // Exponential backoff per message (RFC 6298 §5.5): each retry waits twice as long.
      const timer = setTimeout(() => onTimeout(seq), Math.min(rto * 2 ** tries, MAX_BACKOFF_MS))
      inFlight.set(seq, { sentAt: performance.now(), tries, timer })
    }

    const onTimeout = (seq: number) => {
      const f = inFlight.get(seq)
      if (!f) return
      if (f.tries >= maxRetries)
        return finish(new Error(`message ${seq} was not acknowledged after ${maxRetries} retransmissions`))
      transmit(seq, f.tries + 1)
    }

    const fillWindow = () => {
      while (inFlight.size < windowSize && nextToSend < messages.length) transmit(nextToSend++, 0)
    }

    socket.on('message', (msg) => {
      if (msg.length !== 5 || msg[0] !== ACK) return
      const seq = msg.readUInt32BE(1)
      const f = inFlight.get(seq)
      if (!f) return // duplicate ACK or not ours
      clearTimeout(f.timer)
      inFlight.delete(seq)
      acked.add(seq)
      if (f.tries === 0) sample(performance.now() - f.sentAt) // Karn: only unambiguous samples
      if (acked.size === messages.length) return finish()
      fillWindow()
    })
    socket.on('error', (err) => finish(err))
    fillWindow()
  })
}
