import net from 'node:net'

/** 4-byte big-endian length, then the payload. */
export function encodeFrame(payload: Uint8Array): Buffer {
  const header = Buffer.alloc(4)
  header.writeUInt32BE(payload.length, 0)
  return Buffer.concat([header, payload])
}

export class FrameDecoder {
  /** Returns the payloads of all frames completed by this chunk. */
  push(chunk: Uint8Array): Buffer[] {
    // TODO: this assumes every chunk is exactly one whole frame. TCP promises no such thing.
    const bytes = Buffer.from(chunk)
    return [bytes.subarray(4, 4 + bytes.readUInt32BE(0))]
  }
}

export interface EchoOptions {
  /** Stretch: drop a client that has taken none of our replies for this long, ms (default 30000). */
  stallTimeoutMs?: number
}

export function startEchoServer(options: EchoOptions = {}): Promise<net.Server> {
  void options // stretch: stallTimeoutMs
  const server = net.createServer((socket) => {
    const decoder = new FrameDecoder()
    socket.on('data', (chunk) => {
      for (const payload of decoder.push(chunk)) {
        // TODO: prefix each reply payload with this connection's sequence number.
        socket.write(encodeFrame(payload))
      }
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}
