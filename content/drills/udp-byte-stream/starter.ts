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

export async function startLineServer(options: LineServerOptions = {}): Promise<LineServer> {
  void options // TODO: retransmitMs and expiryMs
  const socket = dgram.createSocket('udp4')
  // TODO: this keeps one buffer per session id, trusts every offset, never retransmits and never
  // forgets a session. See the task for what each message must do.
  const streams = new Map<number, string>()

  socket.on('message', (msg, rinfo) => {
    const m = parse(msg)
    if (!m) return
    const reply = (text: string) => socket.send(Buffer.from(text, 'latin1'), rinfo.port, rinfo.address)
    if (m.type === 'O') {
      streams.set(m.session, '')
      return reply(`A ${m.session} 0`)
    }
    if (m.type === 'D') {
      const text = (streams.get(m.session) ?? '') + m.payload.toString('latin1')
      streams.set(m.session, text)
      reply(`A ${m.session} ${text.length}`)
      const line = text.split('\n').at(-2)
      if (text.endsWith('\n') && line !== undefined) reply(`D ${m.session} 0 ${[...line].reverse().join('')}\n`)
    }
  })

  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))
  return {
    port: socket.address().port,
    close: () => new Promise((resolve) => socket.close(() => resolve()))
  }
}
