// Bug: destroys the socket on the client's 'end', so echo bytes still queued for writing are dropped and the client sees no clean FIN.
import net from 'node:net'

export function startEchoServer(): Promise<net.Server> {
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.on('error', () => {})
    socket.on('data', (chunk) => socket.write(chunk))
    socket.on('end', () => socket.destroy())
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}
