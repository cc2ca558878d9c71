// Test-side helpers: send bytes over a TLS socket and collect the echo.
import type tls from 'node:tls'
import { withTimeout } from 'retransmit:test'

export function echoOf(socket: tls.TLSSocket, data: Buffer, timeoutMs = 2000): Promise<Buffer> {
  const chunks: Buffer[] = []
  let got = 0
  const done = new Promise<Buffer>((resolve) => {
    const finish = () => resolve(Buffer.concat(chunks))
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      got += chunk.length
      if (got >= data.length) finish()
    })
    socket.once('end', finish)
    socket.once('close', finish)
  })
  socket.write(data)
  return withTimeout(
    done,
    timeoutMs,
    `sent ${data.length} bytes, and after ${timeoutMs} ms the server had echoed ${got}: does your server write back what it reads?`
  )
}
