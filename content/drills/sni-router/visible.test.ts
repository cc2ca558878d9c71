import assert from 'node:assert/strict'
import type net from 'node:net'
import { test, createTestCertificates, note, trace } from 'retransmit:test'
import { parseClientHello, startSniRouter } from './solution'
import { captureClientHello, greetingVia, helloFor, tlsBackend } from './hello'

const portOf = (s: net.Server) => (s.address() as net.AddressInfo).port

test("parseClientHello reads server_name from Node's real ClientHello", async () => {
  const hello = await captureClientHello('api.example.test')
  note(
    `a real ClientHello from tls.connect: ${hello.length} bytes, record header ${hello.subarray(0, 5).toString('hex')}`
  )
  const parsed = parseClientHello(hello)
  assert.deepEqual(
    parsed,
    { status: 'ok', serverName: 'api.example.test' },
    `expected { status: 'ok', serverName: 'api.example.test' }, got ${JSON.stringify(parsed)}`
  )
})

test('parseClientHello waits for the rest of a cut ClientHello and refuses what is not TLS', () => {
  const hello = helloFor('a.test')
  for (const cut of [0, 3, 5, 40, hello.length - 1]) {
    const parsed = parseClientHello(hello.subarray(0, cut))
    assert.deepEqual(
      parsed,
      { status: 'incomplete' },
      `the first ${cut} of ${hello.length} bytes are a ClientHello still arriving: expected { status: 'incomplete' }, got ${JSON.stringify(parsed)}`
    )
  }
  const http = parseClientHello(Buffer.from('GET / HTTP/1.1\r\nHost: a.test\r\n\r\n'))
  assert.equal(
    http.status,
    'invalid',
    `an HTTP request is not a TLS record (its first byte is 'G', 0x47, not 22): expected status 'invalid', got ${JSON.stringify(http)}`
  )
})

test('real TLS clients reach the backend named by their SNI, and it is the backend that answers', async () => {
  const certsA = await createTestCertificates({ commonName: 'a.test', altNames: ['a.test'] })
  const certsB = await createTestCertificates({ commonName: 'b.test', altNames: ['b.test'] })
  const a = await tlsBackend('a', certsA)
  const b = await tlsBackend('b', certsB)
  const router = await startSniRouter({ routes: { 'a.test': a.port, 'b.test': b.port } })
  try {
    note(`backend a on port ${a.port}, backend b on port ${b.port}, router on ${portOf(router)}`)
    // A handshake that fails means the client met a certificate its CA did not sign: the wrong backend.
    const explain = (name: string) => (e: Error) => {
      throw new Error(
        `tls.connect with SNI ${name} failed through the router (${e.message}): did its ClientHello reach the backend for ${name}?`
      )
    }
    const viaA = await greetingVia(portOf(router), 'a.test', certsA.ca).catch(explain('a.test'))
    const viaB = await greetingVia(portOf(router), 'b.test', certsB.ca).catch(explain('b.test'))
    const authorized = [viaA.socket.authorized, viaB.socket.authorized]
    viaA.socket.destroy()
    viaB.socket.destroy()
    assert.equal(viaA.greeting, 'I am a', `SNI a.test should reach backend a, got ${JSON.stringify(viaA.greeting)}`)
    assert.equal(viaB.greeting, 'I am b', `SNI b.test should reach backend b, got ${JSON.stringify(viaB.greeting)}`)
    assert.deepEqual(
      authorized,
      [true, true],
      "each client verified its backend's own certificate: the router only passes bytes, it holds no key"
    )
  } finally {
    router.close()
    a.close()
    b.close()
  }
})

test('the trace shows one ClientHello on both legs, then only encrypted records', async () => {
  const certs = await createTestCertificates({ commonName: 'a.test', altNames: ['a.test'] })
  const a = await tlsBackend('a', certs)
  const router = await startSniRouter({ routes: { 'a.test': a.port } })
  try {
    const { socket } = await greetingVia(portOf(router), 'a.test', certs.ca)
    socket.destroy()
    const legs = [`:${portOf(router)}`, `:${a.port}`]
    const hellos = trace().filter(
      (e) => e.kind === 'tls-record' && e.summary.startsWith('ClientHello') && legs.some((leg) => e.to.endsWith(leg))
    )
    note(`ClientHello seen ${hellos.length} times: client -> router, and router -> backend a, byte for byte the same`)
    assert.equal(
      hellos.length,
      2,
      `expected the ClientHello on two legs (client to router, router to backend), saw it ${hellos.length} time(s)`
    )
    assert.ok(
      hellos.every((h) => h.summary.includes('SNI=a.test')),
      'both copies should carry SNI=a.test: forward the bytes you read, unchanged'
    )
  } finally {
    router.close()
    a.close()
  }
})
