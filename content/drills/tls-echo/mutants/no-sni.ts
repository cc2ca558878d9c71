// Bug: sends no SNI (no servername) and checks the certificate against a name the caller did not ask for.
import tls from 'node:tls'

export function startTlsEchoServer(credentials: { key: string; cert: string }): Promise<tls.Server> {
  const server = tls.createServer({ key: credentials.key, cert: credentials.cert, minVersion: 'TLSv1.3' }, (socket) => {
    // pipe() ends our side once the client's FIN arrives and every byte is echoed.
    socket.pipe(socket)
    socket.on('error', () => socket.destroy())
  })
  // A client refused during the handshake (old version, bad certificate) is not a server error.
  server.on('tlsClientError', () => {})
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}

export function connectTls(options: { port: number; ca: string; servername: string }): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      {
        host: '127.0.0.1',
        port: options.port,
        // `ca` replaces the system trust store for this connection: only our CA is trusted.
        ca: options.ca,
        // SNI, and the name the certificate must carry (checked by checkServerIdentity).
        checkServerIdentity: (_host, cert) => tls.checkServerIdentity('localhost', cert),
        minVersion: 'TLSv1.3'
      },
      () => resolve(socket)
    )
    socket.once('error', reject)
  })
}
