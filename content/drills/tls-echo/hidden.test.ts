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
  assert.equal(outcome, 'rejected', 'connectTls accepted a certificate from a CA it was not given: that is what a man in the middle presents')
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
  assert.equal(outcome, 'rejected', 'the certificate names other.test but the client asked for localhost: the name check must fail')
})

test('the server refuses TLS 1.2', async () => {
  const certs = await createTestCertificates()
  const server = await startTlsEchoServer(certs)
  const outcome = await new Promise<string>((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port: portOf(server), ca: certs.ca, servername: 'localhost', maxVersion: 'TLSv1.2' }, () => {
      socket.destroy()
      resolve('connected')
    })
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
