// Bug: keeps one "current client" for the whole server, so with two clients connected every echo goes to whoever connected last.
import net from 'node:net'

let current: net.Socket | null = null

export function startEchoServer(): Promise<net.Server> {
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    current = socket
    socket.on('error', () => {})
    socket.on('data', (chunk) => current?.write(chunk))
    socket.on('end', () => socket.end())
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}
