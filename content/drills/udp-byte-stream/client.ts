// Test-side reliable client (not the learner's code): opens a session, sends its stream with
// retransmission, and reassembles the server's stream by offset, ACKing what it holds.
import dgram from 'node:dgram'
import { data, dataOf } from './wire'

/** How often the client resends what the server has not acknowledged, ms. */
const RESEND_MS = 40
/** Payload bytes per DATA datagram from the client. */
const CHUNK = 400

export interface StreamClient {
  /** Bytes of the server's stream received in order so far. */
  readonly text: string
  /** Queue bytes for sending (they go out at once and are resent until acknowledged). */
  write(text: string): void
  /** Resolves once the server's stream holds `lines` newline-terminated lines; rejects after timeoutMs. */
  lines(count: number, timeoutMs: number): Promise<string[]>
  /** Datagrams the server sent that were not DATA or ACK for this session (a CLOSE, junk). */
  readonly other: string[]
  close(): Promise<void>
}

export async function streamClient(port: number, session: number): Promise<StreamClient> {
  const socket = dgram.createSocket('udp4')
  let outgoing = Buffer.alloc(0)
  let acked = 0
  let opened = false
  let incoming = Buffer.alloc(0)
  const other: string[] = []
  const send = (bytes: Buffer | string) =>
    socket.send(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes, port, '127.0.0.1')

  const flush = () => {
    if (!opened) return send(`O ${session}`)
    for (let offset = acked; offset < outgoing.length; offset += CHUNK)
      send(data(session, offset, outgoing.subarray(offset, offset + CHUNK)))
  }
  const timer = setInterval(flush, RESEND_MS)

  socket.on('message', (msg) => {
    const text = msg.subarray(0, 32).toString('latin1')
    const a = /^A (\d+) (\d+)$/.exec(msg.toString('latin1'))
    if (a && Number(a[1]) === session) {
      if (!opened) {
        opened = true
        flush()
      }
      acked = Math.max(acked, Number(a[2]))
      return
    }
    const d = dataOf({ msg, port: 0 })
    if (d && d.session === session) {
      if (d.offset <= incoming.length && d.offset + d.payload.length > incoming.length) {
        incoming = Buffer.concat([incoming, d.payload.subarray(incoming.length - d.offset)])
      }
      send(`A ${session} ${incoming.length}`)
      return
    }
    other.push(text)
  })
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))
  flush()

  return {
    get text() {
      return incoming.toString('latin1')
    },
    write(text) {
      const from = outgoing.length
      outgoing = Buffer.concat([outgoing, Buffer.from(text, 'latin1')])
      if (opened)
        for (let offset = from; offset < outgoing.length; offset += CHUNK)
          send(data(session, offset, outgoing.subarray(offset, offset + CHUNK)))
    },
    lines(count, timeoutMs) {
      return new Promise((resolve, reject) => {
        const started = Date.now()
        const tick = () => {
          const all = incoming.toString('latin1').split('\n').slice(0, -1)
          if (all.length >= count) return resolve(all)
          if (Date.now() - started > timeoutMs) {
            return reject(
              new Error(
                `session ${session}: after ${timeoutMs} ms the server had sent ${all.length} of ${count} lines (${acked} of our ${outgoing.length} bytes acknowledged${other.length ? `; it also sent ${JSON.stringify(other.slice(0, 3))}` : ''})`
              )
            )
          }
          setTimeout(tick, 10)
        }
        tick()
      })
    },
    other,
    close: () =>
      new Promise((resolve) => {
        clearInterval(timer)
        socket.close(() => resolve())
      })
  }
}
