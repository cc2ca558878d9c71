// Bug: no 'error' listener on the accepted socket, so one client's reset (ECONNRESET) is an uncaught exception that takes the whole server down.
import net from 'node:net'

export function startEchoServer(): Promise<net.Server> {
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.pipe(socket)
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}
