// Test-side framing, independent of the learner's code: a client that sends frames and collects
// the server's replies.
import net from 'node:net'
import { withTimeout } from 'retransmit:test'

export interface Reply {
  seq: number
  payload: Buffer
}

export function frame(payload: Uint8Array): Buffer {
  const header = Buffer.alloc(4)
  header.writeUInt32BE(payload.length, 0)
  return Buffer.concat([header, payload])
}

export function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => resolve(socket))
    socket.once('error', reject)
  })
}

/** Collects reply frames as they arrive, whatever the chunking. */
export function collectReplies(socket: net.Socket): {
  replies: Reply[]
  ended: Promise<void>
  waitFor(count: number, ms?: number): Promise<Reply[]>
} {
  const replies: Reply[] = []
  let buffer = Buffer.alloc(0)
  const waiters: Array<() => void> = []
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk])
    while (buffer.length >= 4 && buffer.length >= 4 + buffer.readUInt32BE(0)) {
      const body = buffer.subarray(4, 4 + buffer.readUInt32BE(0))
      buffer = buffer.subarray(4 + body.length)
      replies.push({ seq: body.length >= 4 ? body.readUInt32BE(0) : -1, payload: body.subarray(4) })
    }
    waiters.splice(0).forEach((w) => w())
  })
  const ended = new Promise<void>((resolve) => socket.once('end', () => resolve()))
  const waitFor = async (count: number, ms = 1500): Promise<Reply[]> => {
    const deadline = Date.now() + ms
    while (replies.length < count && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        waiters.push(resolve)
        setTimeout(resolve, Math.max(1, deadline - Date.now()))
      })
    }
    return replies
  }
  const endedInTime = withTimeout(ended, 3000, 'the server never ended its side after the client sent FIN')
  // Only a test that awaits `ended` cares; in the others the timer must not fail a later test.
  endedInTime.catch(() => {})
  return { replies, ended: endedInTime, waitFor }
}
