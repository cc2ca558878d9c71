// Bug: keeps its side open after the client's FIN (allowHalfOpen without ever calling end()), so a client waiting for 'end' waits forever.
import net from 'node:net'

export function startEchoServer(): Promise<net.Server> {
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.on('error', () => {})
    socket.pipe(socket, { end: false })
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}
