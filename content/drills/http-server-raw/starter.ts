import net from 'node:net'

export interface ServerOptions {
  /** Most bytes for the request line plus header lines (default 8192). Over it: 431. */
  maxHeaderBytes?: number
  /** Most bytes for a request body (default 65536). Over it: 413. */
  maxBodyBytes?: number
  /** Stretch: a request head must be whole this long after its first byte, ms (default 10000). Late: 408. */
  headersTimeoutMs?: number
}

export function startHttpServer(options: ServerOptions = {}): Promise<{ port: number; close(): Promise<void> }> {
  const maxHeader = options.maxHeaderBytes ?? 8192
  const maxBody = options.maxBodyBytes ?? 65536
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
    socket.on('data', (chunk: Buffer) => {
      // TODO: buffer bytes, parse every complete request (head, then body by Content-Length or
      // chunked), route it, and answer in order. This placeholder assumes one read = one request.
      void [chunk, maxHeader, maxBody]
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nhello\n')
    })
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy()
            server.close(() => done())
          })
      })
    })
  })
}
