import net from 'node:net'

export function startEchoServer(): Promise<net.Server> {
  // allowHalfOpen: true keeps our side open after the client's FIN, so the connection ends when
  // *we* say so: below, pipe() ends it once every byte that came before the FIN is echoed.
  // (With the default, false, Node would end it for us at the same point.)
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    // A reset (ECONNRESET) or a write to a vanished peer (EPIPE) arrives as 'error'. Without a
    // listener it would be thrown and crash the server for everyone. Node destroys the socket
    // after the event, so there is nothing else to clean up.
    socket.on('error', () => {})
    // The whole echo. pipe() writes each Buffer back unchanged (no decoding), pauses reading
    // while write() reports a full buffer and resumes on 'drain' (backpressure), and calls
    // socket.end() after the readable side ends (the client's FIN), so the client sees 'end'.
    socket.pipe(socket)
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}
