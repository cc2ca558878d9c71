import tls from 'node:tls'

export function startTlsEchoServer(credentials: { key: string; cert: string }): Promise<tls.Server> {
  const server = tls.createServer({ key: credentials.key, cert: credentials.cert }, (socket) => {
    // TODO: echo what the client sends, and end when the client ends.
    socket.on('data', () => {})
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

export function connectTls(options: { port: number; ca: string; servername: string }): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    // TODO: this trusts any certificate from anyone. Trust only options.ca and check the name.
    const socket = tls.connect({ host: '127.0.0.1', port: options.port, rejectUnauthorized: false }, () =>
      resolve(socket)
    )
    socket.once('error', reject)
  })
}
