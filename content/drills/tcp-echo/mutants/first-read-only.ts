// Bug: echoes only the first 'data' event, as if one read were one message; TCP is a byte stream and the rest arrives in later reads.
import net from 'node:net'

export function startEchoServer(): Promise<net.Server> {
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.on('error', () => {})
    socket.once('data', (chunk) => socket.write(chunk))
    socket.on('end', () => socket.end())
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}
