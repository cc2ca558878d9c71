// Bug: writes and reads the length prefix little-endian; the protocol says big-endian (network byte order).
import net from 'node:net'

/** Bytes in the length prefix. */
const HEADER_BYTES = 4

/** 4-byte big-endian length, then the payload. */
export function encodeFrame(payload: Uint8Array): Buffer {
  const header = Buffer.alloc(HEADER_BYTES)
  header.writeUInt32LE(payload.length, 0)
  return Buffer.concat([header, payload])
}

export class FrameDecoder {
  private buffer: Buffer = Buffer.alloc(0)

  /** Returns the payloads of all frames completed by this chunk; keeps the rest. */
  push(chunk: Uint8Array): Buffer[] {
    this.buffer = Buffer.concat([this.buffer, chunk])
    const frames: Buffer[] = []
    while (this.buffer.length >= HEADER_BYTES) {
      const length = this.buffer.readUInt32LE(0)
      if (this.buffer.length < HEADER_BYTES + length) break
      frames.push(this.buffer.subarray(HEADER_BYTES, HEADER_BYTES + length))
      this.buffer = this.buffer.subarray(HEADER_BYTES + length)
    }
    return frames
  }
}

export function startEchoServer(): Promise<net.Server> {
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    const decoder = new FrameDecoder()
    let sequence = 0
    socket.on('data', (chunk) => {
      for (const payload of decoder.push(chunk)) {
        const seq = Buffer.alloc(4)
        seq.writeUInt32BE(sequence++, 0)
        socket.write(encodeFrame(Buffer.concat([seq, payload])))
      }
    })
    socket.on('end', () => socket.end())
    socket.on('error', () => socket.destroy())
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}
