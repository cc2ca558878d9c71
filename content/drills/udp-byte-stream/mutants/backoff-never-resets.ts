// Bug: keeps the backed-off retransmission timeout after an ACK moves forward, so one bad spell slows every later retransmission on the session.
// A reliable, ordered byte stream over UDP, with a line-reversing application on top.
//
// Datagrams (ASCII header, numbers in decimal, fields separated by one space):
//   O <session>                      open
//   D <session> <offset> <payload>   data: the payload is every byte after the third space
//   A <session> <length>             ack: every byte before <length> has arrived
//   C <session>                      close
import dgram from 'node:dgram'

export interface LineServerOptions {
  /** First retransmission timeout, ms (default 100); doubles while nothing new is acknowledged. */
  retransmitMs?: number
  /** A session whose peer has sent nothing for this long is forgotten, ms (default 60000). */
  expiryMs?: number
}

export interface LineServer {
  port: number
  close(): Promise<void>
}

/** No datagram we send is longer than this, bytes: far under any path MTU (RFC 8085 §3.2). */
export const MAX_DATAGRAM = 1000
/** Largest session id, offset or length: 2^31 - 1. */
const MAX_NUMBER = 2147483647
const NUMBER = /^(0|[1-9][0-9]{0,9})$/

type Message =
  | { type: 'O'; session: number }
  | { type: 'C'; session: number }
  | { type: 'A'; session: number; length: number }
  | { type: 'D'; session: number; offset: number; payload: Buffer }

function number(text: string | undefined): number | undefined {
  if (text === undefined || !NUMBER.test(text)) return undefined
  const n = Number(text)
  return n <= MAX_NUMBER ? n : undefined
}

/** Parses one datagram, or undefined when it is not exactly one of the four messages. */
export function parse(msg: Buffer): Message | undefined {
  const type = String.fromCharCode(msg[0] ?? 0)
  if (msg[1] !== 0x20) return undefined
  if (type === 'D') {
    // The payload may contain spaces: only the first three separate fields.
    const s1 = msg.indexOf(0x20, 2)
    const s2 = s1 < 0 ? -1 : msg.indexOf(0x20, s1 + 1)
    if (s2 < 0) return undefined
    const session = number(msg.subarray(2, s1).toString('latin1'))
    const offset = number(msg.subarray(s1 + 1, s2).toString('latin1'))
    if (session === undefined || offset === undefined) return undefined
    return { type, session, offset, payload: msg.subarray(s2 + 1) }
  }
  const fields = msg.subarray(2).toString('latin1').split(' ')
  if (type === 'O' || type === 'C') {
    const session = number(fields[0])
    if (fields.length !== 1 || session === undefined) return undefined
    return type === 'O' ? { type: 'O', session } : { type: 'C', session }
  }
  if (type === 'A') {
    const session = number(fields[0])
    const length = number(fields[1])
    return fields.length === 2 && session !== undefined && length !== undefined
      ? { type: 'A', session, length }
      : undefined
  }
  return undefined
}

interface Session {
  address: string
  port: number
  id: number
  /** Bytes of the peer's stream received in order. */
  received: number
  /** Received bytes after the last newline, waiting for the rest of their line. */
  partial: Buffer
  /** Everything we have sent on this session, from offset 0. */
  outgoing: Buffer
  /** The peer has acknowledged every byte before this offset. */
  acked: number
  rtoMs: number
  retransmitTimer?: NodeJS.Timeout
  expiryTimer?: NodeJS.Timeout
}

export async function startLineServer(options: LineServerOptions = {}): Promise<LineServer> {
  const baseRtoMs = options.retransmitMs ?? 100
  const expiryMs = options.expiryMs ?? 60000
  const socket = dgram.createSocket('udp4')
  // One session per (address, port, session id): two programs on one host may pick the same id.
  const sessions = new Map<string, Session>()

  const send = (text: string, payload: Buffer | undefined, port: number, address: string) => {
    const head = Buffer.from(text, 'latin1')
    socket.send(payload ? Buffer.concat([head, payload]) : head, port, address)
  }

  const forget = (key: string, s: Session) => {
    clearTimeout(s.retransmitTimer)
    clearTimeout(s.expiryTimer)
    sessions.delete(key)
  }

  /** Sends our bytes from `from` to the end, in datagrams of at most MAX_DATAGRAM bytes. */
  const transmit = (s: Session, from: number) => {
    for (let offset = from; offset < s.outgoing.length;) {
      const head = `D ${s.id} ${offset} `
      const chunk = s.outgoing.subarray(offset, offset + MAX_DATAGRAM - head.length)
      send(head, chunk, s.port, s.address)
      offset += chunk.length
    }
  }

  const armRetransmit = (s: Session) => {
    clearTimeout(s.retransmitTimer)
    if (s.acked >= s.outgoing.length) return
    s.retransmitTimer = setTimeout(() => {
      // Nothing new was acknowledged within the timeout: resend all that is outstanding and
      // wait twice as long next time (exponential backoff, RFC 8085 §3.1.1, RFC 6298 §5.5).
      transmit(s, s.acked)
      s.rtoMs *= 2
      armRetransmit(s)
    }, s.rtoMs)
  }

  const heardFrom = (key: string, s: Session) => {
    clearTimeout(s.expiryTimer)
    s.expiryTimer = setTimeout(() => forget(key, s), expiryMs)
  }

  const deliver = (s: Session, bytes: Buffer) => {
    let data = Buffer.concat([s.partial, bytes])
    const replies: Buffer[] = []
    for (let nl = data.indexOf(0x0a); nl >= 0; nl = data.indexOf(0x0a)) {
      replies.push(Buffer.from(data.subarray(0, nl)).reverse(), Buffer.from([0x0a]))
      data = data.subarray(nl + 1)
    }
    s.partial = Buffer.from(data)
    if (replies.length === 0) return
    const from = s.outgoing.length
    s.outgoing = Buffer.concat([s.outgoing, ...replies])
    transmit(s, from)
    // Nothing was outstanding, so no timer runs yet; otherwise the running one covers these bytes too.
    if (from === s.acked) armRetransmit(s)
  }

  socket.on('message', (msg, rinfo) => {
    const m = parse(msg)
    if (!m) return // not our protocol: ignore it, never crash on it
    const key = `${rinfo.address} ${rinfo.port} ${m.session}`
    let s = sessions.get(key)
    if (m.type === 'C') {
      if (s) forget(key, s)
      return send(`C ${m.session}`, undefined, rinfo.port, rinfo.address)
    }
    if (m.type === 'O' && !s) {
      s = {
        address: rinfo.address,
        port: rinfo.port,
        id: m.session,
        received: 0,
        partial: Buffer.alloc(0),
        outgoing: Buffer.alloc(0),
        acked: 0,
        rtoMs: baseRtoMs
      }
      sessions.set(key, s)
    }
    if (!s) return send(`C ${m.session}`, undefined, rinfo.port, rinfo.address) // no such session
    heardFrom(key, s)
    if (m.type === 'O') return send(`A ${s.id} ${s.received}`, undefined, s.port, s.address)
    if (m.type === 'D') {
      // Bytes we already have are skipped; bytes past a gap are not kept: the ACK says what is missing.
      if (m.offset <= s.received && m.offset + m.payload.length > s.received) {
        const fresh = m.payload.subarray(s.received - m.offset)
        s.received += fresh.length
        deliver(s, fresh)
      }
      return send(`A ${s.id} ${s.received}`, undefined, s.port, s.address)
    }
    // An ACK.
    if (m.length > s.outgoing.length) {
      // The peer claims bytes we never sent: it is broken, so end the session.
      forget(key, s)
      return send(`C ${s.id}`, undefined, s.port, s.address)
    }
    if (m.length <= s.acked) return // a duplicate or a late, reordered ACK
    s.acked = m.length
    armRetransmit(s)
  })

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject)
    socket.bind(0, '127.0.0.1', () => resolve())
  })
  return {
    port: socket.address().port,
    close: () =>
      new Promise((resolve) => {
        for (const [key, s] of sessions) forget(key, s)
        socket.close(() => resolve())
      })
  }
}
