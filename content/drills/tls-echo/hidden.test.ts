import assert from 'node:assert/strict'
import type net from 'node:net'
import tls from 'node:tls'
import { test, createTestCertificates } from 'retransmit:test'
import { connectTls, startTlsEchoServer } from './solution'
import { echoOf } from './echo-client'

const portOf = (s: net.Server) => (s.address() as net.AddressInfo).port

test('a server certified by another CA is rejected', async () => {
  const ours = await createTestCertificates()
  const impostor = await createTestCertificates()
  const server = await startTlsEchoServer(impostor)
  const outcome = await connectTls({ port: portOf(server), ca: ours.ca, servername: 'localhost' }).then(
    (socket) => {
      socket.destroy()
      return 'connected'
    },
    () => 'rejected'
  )
  server.close()
  assert.equal(
    outcome,
    'rejected',
    'connectTls accepted a certificate from a CA it was not given: that is what a man in the middle presents'
  )
})

test('a certificate for another name is rejected', async () => {
  const certs = await createTestCertificates({ commonName: 'other.test', altNames: ['other.test'] })
  const server = await startTlsEchoServer(certs)
  const outcome = await connectTls({ port: portOf(server), ca: certs.ca, servername: 'localhost' }).then(
    (socket) => {
      socket.destroy()
      return 'connected'
    },
    () => 'rejected'
  )
  server.close()
  assert.equal(
    outcome,
    'rejected',
    'the certificate names other.test but the client asked for localhost: the name check must fail'
  )
})

test('the server refuses TLS 1.2', async () => {
  const certs = await createTestCertificates()
  const server = await startTlsEchoServer(certs)
  const outcome = await new Promise<string>((resolve) => {
    const socket = tls.connect(
      { host: '127.0.0.1', port: portOf(server), ca: certs.ca, servername: 'localhost', maxVersion: 'TLSv1.2' },
      () => {
        socket.destroy()
        resolve('connected')
      }
    )
    socket.once('error', () => resolve('refused'))
  })
  server.close()
  assert.equal(outcome, 'refused', "a TLS 1.2 client got in: set minVersion: 'TLSv1.3' on the server")
})

test('256 KB echoed, then the server ends after the client does', async () => {
  const certs = await createTestCertificates()
  const server = await startTlsEchoServer(certs)
  const socket = await connectTls({ port: portOf(server), ca: certs.ca, servername: 'localhost' })
  const data = Buffer.alloc(256 * 1024, 0x5a)
  const ended = new Promise<boolean>((resolve) => {
    socket.once('end', () => resolve(true))
    setTimeout(() => resolve(false), 2500)
  })
  const reply = await echoOf(socket, data, 3000)
  socket.end()
  const serverEnded = await ended
  socket.destroy()
  server.close()
  assert.equal(reply.length, data.length, 'the echo was short')
  assert.equal(serverEnded, true, 'after the client ended, the server never ended its side')
})

test('connectTls refuses a server that only speaks TLS 1.2', async () => {
  const certs = await createTestCertificates()
  const old = tls.createServer({ key: certs.key, cert: certs.cert, maxVersion: 'TLSv1.2' }, (s) => s.pipe(s))
  old.on('tlsClientError', () => {})
  await new Promise<void>((resolve) => old.listen(0, '127.0.0.1', resolve))
  const outcome = await connectTls({ port: portOf(old), ca: certs.ca, servername: 'localhost' }).then(
    (socket) => {
      const version = socket.getProtocol()
      socket.destroy()
      return `connected with ${version}`
    },
    () => 'refused'
  )
  old.close()
  assert.equal(
    outcome,
    'refused',
    `connectTls ${outcome} to a server whose highest version is TLS 1.2: the client must insist on TLS 1.3 too (minVersion: 'TLSv1.3'), or a downgrade goes unnoticed`
  )
})

test('a strict tls.connect client (TLS 1.3 only, CA pinned, name checked) echoes through the server', async () => {
  const certs = await createTestCertificates()
  const server = await startTlsEchoServer(certs)
  try {
    const socket = await new Promise<tls.TLSSocket>((resolve, reject) => {
      const s = tls.connect(
        {
          host: '127.0.0.1',
          port: portOf(server),
          ca: certs.ca,
          servername: 'localhost',
          minVersion: 'TLSv1.3',
          maxVersion: 'TLSv1.3',
          rejectUnauthorized: true
        },
        () => resolve(s)
      )
      s.once('error', (e) =>
        reject(new Error(`a strict TLS 1.3 client could not connect to your server: ${e.message}`))
      )
    })
    assert.equal(socket.authorized, true, 'the server certificate should verify against the test CA')
    assert.equal(socket.getProtocol(), 'TLSv1.3', `expected TLS 1.3, got ${socket.getProtocol()}`)
    const reply = await echoOf(socket, Buffer.from('strict hello'))
    socket.destroy()
    assert.equal(reply.toString(), 'strict hello', 'the echo through a strict client came back different')
  } finally {
    server.close()
  }
})

test(
  "4 MiB and the client's close_notify/FIN sent before it reads: every byte still comes back",
  async () => {
    const certs = await createTestCertificates()
    const server = await startTlsEchoServer(certs)
    const socket = await connectTls({ port: portOf(server), ca: certs.ca, servername: 'localhost' })
    const data = Buffer.alloc(4 * 1024 * 1024, 0x33)
    try {
      socket.pause() // the echo piles up in the server's send buffer
      socket.end(data)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 500) // a server with backpressure leaves the writes unfinished
        socket.once('finish', () => (clearTimeout(timer), resolve()))
      })
      let received = 0
      socket.on('data', (c: Buffer) => (received += c.length))
      const ended = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 5000)
        socket.once('end', () => (clearTimeout(timer), resolve(true)))
        socket.once('close', () => (clearTimeout(timer), resolve(false)))
      })
      socket.resume()
      const sawEnd = await ended
      assert.equal(
        received,
        data.length,
        `${received} of ${data.length} bytes came back: when the client ends, echo still queued behind a full buffer must go out first; end() (or pipe()) waits for it, destroy() drops it`
      )
      assert.equal(
        sawEnd,
        true,
        'all bytes came back, but the server closed without ending cleanly: end your side with end()'
      )
    } finally {
      socket.destroy()
      server.close()
    }
  },
  { timeoutMs: 8000 }
)
