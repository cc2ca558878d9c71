import net from 'node:net'

export function startEchoServer(): Promise<net.Server> {
  const server = net.createServer((socket) => {
    socket.on('data', (chunk: Buffer) => {
      // TODO: send `chunk` back to this client, unchanged.
    })
    // TODO: what happens to the whole server when a client resets its connection?
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}
