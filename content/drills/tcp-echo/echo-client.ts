// Test-side client helpers, independent of the learner's code: connect, collect the echo, and
// describe in words what came back instead of what was sent.
import net from 'node:net'

/** How long a test waits for bytes that do not come, ms. A working server needs a few. */
export const PATIENCE_MS = 1000

export const portOf = (server: net.Server) => (server.address() as net.AddressInfo).port

/** A client that may half-close: after its FIN it keeps reading until the server ends too. */
export function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true }, () => {
      socket.off('error', reject)
      resolve(socket)
    })
    socket.once('error', reject)
  })
}

export interface Received {
  data: Buffer
  /** The server ended its side: the client saw 'end' (a FIN). */
  ended: boolean
  /** The connection failed, e.g. 'ECONNRESET' when the server reset it. */
  error: string | null
  timedOut: boolean
}

/**
 * Collects what the server sends back until `expected` bytes are in (or, with `untilEnd`, until
 * the server ends its side), the connection ends or fails, or PATIENCE_MS pass. Never rejects:
 * the test's assertions say what went wrong.
 */
export function receive(socket: net.Socket, expected: number, untilEnd = false): Promise<Received> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let length = 0
    let settled = false
    const settle = (outcome: Partial<Received>) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve({ data: Buffer.concat(chunks, length), ended: false, error: null, timedOut: false, ...outcome })
    }
    const timer = setTimeout(() => settle({ timedOut: true }), PATIENCE_MS)
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      length += chunk.length
      if (!untilEnd && length >= expected) settle({})
    })
    socket.once('end', () => settle({ ended: true }))
    socket.once('close', () => settle({}))
    socket.on('error', (err: NodeJS.ErrnoException) => settle({ error: err.code ?? err.message }))
  })
}

/** One client, one write: start a server with `start`, send `sent`, read as many bytes back, close both. */
export async function echoOnce(start: () => Promise<net.Server>, sent: Buffer): Promise<Received> {
  const server = await start()
  const client = await connect(portOf(server))
  const reply = receive(client, sent.length)
  client.write(sent)
  const got = await reply
  client.destroy()
  server.close()
  return got
}

/** What came back instead of `sent`, in words. */
export function mismatch(got: Received, sent: Buffer): string {
  if (got.error)
    return `the connection failed (${got.error}) after ${got.data.length} of ${sent.length} bytes came back`
  if (got.data.length === 0) {
    return got.ended
      ? 'the server ended the connection without sending anything back'
      : `nothing came back within ${PATIENCE_MS} ms: write each chunk you read back to the same socket`
  }
  let at = 0
  while (at < got.data.length && at < sent.length && got.data[at] === sent[at]) at++
  if (at < got.data.length && at < sent.length) {
    return `the bytes differ from offset ${at}: sent 0x${sent[at]!.toString(16).padStart(2, '0')}, got back 0x${got.data[at]!.toString(16).padStart(2, '0')}`
  }
  if (got.data.length > sent.length)
    return `${got.data.length - sent.length} byte(s) more came back than were sent: echo each chunk once`
  const why = got.ended ? 'then the server ended the connection' : `then nothing more within ${PATIENCE_MS} ms`
  return `only ${got.data.length} of ${sent.length} bytes came back, ${why}`
}
