import assert from 'node:assert/strict'
import type net from 'node:net'
import { test, createTestCertificates, trace } from 'retransmit:test'
import { connectTls, startTlsEchoServer } from './solution'
import { echoOf } from './echo-client'

test('the client verifies the server against the CA it was given', async () => {
  const certs = await createTestCertificates()
  const server = await startTlsEchoServer(certs)
  const socket = await connectTls({
    port: (server.address() as net.AddressInfo).port,
    ca: certs.ca,
    servername: 'localhost'
  })
  const authorized = socket.authorized
  socket.destroy()
  server.close()
  assert.equal(
    authorized,
    true,
    'socket.authorized is false: the client accepted a certificate it did not verify. Pass the CA as `ca` and keep rejectUnauthorized on.'
  )
})

test('bytes come back unchanged', async () => {
  const certs = await createTestCertificates()
  const server = await startTlsEchoServer(certs)
  const socket = await connectTls({
    port: (server.address() as net.AddressInfo).port,
    ca: certs.ca,
    servername: 'localhost'
  })
  const reply = await echoOf(socket, Buffer.from('hello over TLS')).finally(() => {
    socket.destroy()
    server.close()
  })
  assert.equal(reply.toString(), 'hello over TLS')
})

test('the connection uses TLS 1.3', async () => {
  const certs = await createTestCertificates()
  const server = await startTlsEchoServer(certs)
  const socket = await connectTls({
    port: (server.address() as net.AddressInfo).port,
    ca: certs.ca,
    servername: 'localhost'
  })
  const protocol = socket.getProtocol()
  socket.destroy()
  server.close()
  assert.equal(protocol, 'TLSv1.3', `negotiated ${protocol}: set minVersion: 'TLSv1.3'`)
})

test('the trace shows the handshake and no plaintext', async () => {
  const certs = await createTestCertificates()
  const server = await startTlsEchoServer(certs)
  const socket = await connectTls({
    port: (server.address() as net.AddressInfo).port,
    ca: certs.ca,
    servername: 'localhost'
  })
  const secret = 'attack at dawn, port 4433'
  await echoOf(socket, Buffer.from(secret)).finally(() => {
    socket.destroy()
    server.close()
  })
  const events = trace()
  const hello = events.find((e) => e.kind === 'tls-record' && e.summary.startsWith('ClientHello'))
  assert.ok(hello, 'no ClientHello in the trace: is the client really speaking TLS?')
  assert.match(
    hello.summary,
    /SNI=localhost/,
    `the ClientHello carried no SNI for localhost (${hello.summary}): pass servername`
  )
  assert.ok(
    events.some((e) => e.kind === 'tls-record' && e.summary.startsWith('ServerHello')),
    'no ServerHello in the trace'
  )
  const wire = events
    .filter((e) => e.kind === 'tcp-data')
    .map((e) => Buffer.from(e.payloadBase64 ?? '', 'base64').toString('latin1'))
  assert.ok(!wire.some((w) => w.includes(secret)), 'the plaintext appeared on the wire')
})
