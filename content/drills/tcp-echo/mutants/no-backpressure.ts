// Bug: writes every chunk back without checking write()'s return value, so a client that sends without reading makes the server buffer without limit (no backpressure).
import net from 'node:net'

export function startEchoServer(): Promise<net.Server> {
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.on('error', () => {})
    socket.on('data', (chunk) => {
      socket.write(chunk)
    })
    socket.on('end', () => socket.end())
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}
