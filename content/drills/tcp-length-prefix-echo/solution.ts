import net from 'node:net'

/** Bytes in the length prefix. */
const HEADER_BYTES = 4

/** 4-byte big-endian length, then the payload. */
export function encodeFrame(payload: Uint8Array): Buffer {
  const header = Buffer.alloc(HEADER_BYTES)
  header.writeUInt32BE(payload.length, 0)
  return Buffer.concat([header, payload])
}

export class FrameDecoder {
  private buffer: Buffer = Buffer.alloc(0)

  /** Returns the payloads of all frames completed by this chunk; keeps the rest. */
  push(chunk: Uint8Array): Buffer[] {
    this.buffer = Buffer.concat([this.buffer, chunk])
    const frames: Buffer[] = []
    while (this.buffer.length >= HEADER_BYTES) {
      const length = this.buffer.readUInt32BE(0)
      if (this.buffer.length < HEADER_BYTES + length) break
      frames.push(this.buffer.subarray(HEADER_BYTES, HEADER_BYTES + length))
      this.buffer = this.buffer.subarray(HEADER_BYTES + length)
    }
    return frames
  }
}

export interface EchoOptions {
  /** Stretch: drop a client that has taken none of our replies for this long, ms (default 30000). */
  stallTimeoutMs?: number
}

export function startEchoServer(options: EchoOptions = {}): Promise<net.Server> {
  const stallTimeoutMs = options.stallTimeoutMs ?? 30000
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    const decoder = new FrameDecoder()
    let sequence = 0
    socket.on('data', (chunk) => {
      let full = false
      for (const payload of decoder.push(chunk)) {
        const seq = Buffer.alloc(4)
        seq.writeUInt32BE(sequence++, 0)
        full = !socket.write(encodeFrame(Buffer.concat([seq, payload]))) || full
      }
      // Backpressure: a client that does not read its replies must not make us buffer them
      // without limit. Stop reading it until what we wrote has gone out.
      if (full) {
        socket.pause()
        socket.once('drain', () => socket.resume())
      }
    })
    // 'timeout' fires after stallTimeoutMs without a read or a finished write. With replies
    // still queued that means the client stopped reading: drop it (nginx's send_timeout). An
    // idle client with nothing queued is left alone.
    socket.setTimeout(stallTimeoutMs, () => {
      if (socket.writableLength > 0) socket.destroy()
    })
    socket.on('end', () => socket.end())
    socket.on('error', () => socket.destroy())
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}
