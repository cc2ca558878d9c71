import assert from 'node:assert/strict'
import net from 'node:net'
import { test, createTestCertificates, note, withTimeout } from 'retransmit:test'
import { parseClientHello, startSniRouter } from './solution'
import {
  captureClientHello,
  extension,
  greetingVia,
  handshake,
  helloBody,
  helloFor,
  rawBackend,
  rawExchange,
  records,
  serverName,
  supportedVersions,
  tlsBackend,
  vec16
} from './hello'

const portOf = (s: net.Server) => (s.address() as net.AddressInfo).port
const UNRECOGNIZED_NAME = '15030300020270'
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

test(
  'a ClientHello dribbled in 1 to 7 bytes per segment is routed, and forwarded byte for byte',
  async () => {
    const hello = await captureClientHello('b.test')
    const a = await rawBackend('a')
    const b = await rawBackend('b')
    const router = await startSniRouter({ routes: { 'a.test': a.port, 'b.test': b.port } })
    try {
      const pieces: Buffer[] = []
      for (let at = 0, n = 1; at < hello.length; at += n, n = (n % 7) + 1) pieces.push(hello.subarray(at, at + n))
      note(`Node's ClientHello for b.test (${hello.length} bytes) sent in ${pieces.length} writes, a few ms apart`)
      await rawExchange(portOf(router), [...pieces, Buffer.from('after the hello')], {
        gapMs: 2,
        waitMs: 400 + pieces.length * 4
      })
      assert.equal(a.connections, 0, 'backend a got a connection: the name was b.test')
      assert.equal(
        b.connections,
        1,
        `backend b got ${b.connections} connections: a ClientHello can arrive in many TCP segments; keep reading until the whole record is in`
      )
      assert.ok(
        b.received[0]?.equals(Buffer.concat([hello, Buffer.from('after the hello')])),
        `backend b must receive exactly the client's bytes, ClientHello first, then what followed; got ${b.received[0]?.length ?? 0} bytes of ${hello.length + 15}`
      )
    } finally {
      router.close()
      a.close()
      b.close()
    }
  },
  { timeoutMs: 4000 }
)

test(
  'a ClientHello fragmented across three TLS records is reassembled (RFC 8446 §5.1)',
  async () => {
    const message = handshake(helloBody({ extensions: Buffer.concat([supportedVersions, serverName('b.test')]) }))
    const split = records(message, 40)
    note(
      `one ClientHello handshake message of ${message.length} bytes in records of 40: the name sits in the last record`
    )
    assert.deepEqual(
      parseClientHello(split),
      { status: 'ok', serverName: 'b.test' },
      `a handshake message may span records; got ${JSON.stringify(parseClientHello(split))}`
    )
    assert.deepEqual(
      parseClientHello(split.subarray(0, 45)),
      { status: 'incomplete' },
      'the first record alone is an incomplete ClientHello, not an invalid one'
    )
    const b = await rawBackend('b')
    const router = await startSniRouter({ routes: { 'b.test': b.port } })
    try {
      const early = Buffer.from([23, 3, 3, 0, 3, 1, 2, 3])
      note('the same write carries 8 more bytes after the ClientHello: they belong to the backend too')
      await rawExchange(portOf(router), [Buffer.concat([split, early])], { waitMs: 1000 })
      assert.equal(b.connections, 1, 'the router did not route a ClientHello split over records to b.test')
      assert.ok(
        b.received[0]?.equals(Buffer.concat([split, early])),
        `the backend must get every byte the client sent, as sent: all three records and the 8 bytes after them (${split.length + 8} bytes); it got ${b.received[0]?.length ?? 0}`
      )
    } finally {
      router.close()
      b.close()
    }
  },
  { timeoutMs: 3000 }
)

test(
  'names match without regard to case',
  async () => {
    assert.deepEqual(
      parseClientHello(helloFor('Api.Example.TEST')),
      { status: 'ok', serverName: 'api.example.test' },
      'DNS names are case-insensitive: report server_name lowercased'
    )
    const api = await rawBackend('api')
    const router = await startSniRouter({ routes: { 'API.example.test': api.port } })
    try {
      await rawExchange(portOf(router), [helloFor('api.EXAMPLE.test')], { waitMs: 1000 })
      assert.equal(api.connections, 1, 'a route for API.example.test must take a ClientHello for api.EXAMPLE.test')
    } finally {
      router.close()
      api.close()
    }
  },
  { timeoutMs: 3000 }
)

test(
  'no SNI goes to defaultPort; without one, the client gets an unrecognized_name alert',
  async () => {
    const certs = await createTestCertificates()
    const fallback = await tlsBackend('default', certs)
    const withDefault = await startSniRouter({ routes: {}, defaultPort: fallback.port })
    const without = await startSniRouter({ routes: { 'a.test': fallback.port } })
    try {
      const noSni = await captureClientHello()
      assert.deepEqual(
        parseClientHello(noSni),
        { status: 'ok', serverName: null },
        `Node's ClientHello to 127.0.0.1 carries no server_name: expected serverName null, got ${JSON.stringify(parseClientHello(noSni))}`
      )
      const via = await greetingVia(portOf(withDefault), undefined, certs.ca)
      via.socket.destroy()
      assert.equal(via.greeting, 'I am default', 'a ClientHello without SNI must go to defaultPort')
      const refused = await rawExchange(portOf(without), [noSni], { waitMs: 800 })
      assert.equal(
        refused.received.toString('hex'),
        UNRECOGNIZED_NAME,
        `with no SNI and no defaultPort, send the fatal alert unrecognized_name (15 03 03 00 02 02 70: level 2, description 112, RFC 6066 §3) and close; the client got ${refused.received.toString('hex') || 'nothing'}`
      )
      assert.equal(fallback.connections, 1, 'only the client routed to defaultPort reached the backend')
    } finally {
      withDefault.close()
      without.close()
      fallback.close()
    }
  },
  { timeoutMs: 4000 }
)

test(
  'an unknown name is refused with unrecognized_name: a real TLS client sees the alert',
  async () => {
    const certs = await createTestCertificates({ commonName: 'a.test', altNames: ['a.test'] })
    const a = await tlsBackend('a', certs)
    const router = await startSniRouter({ routes: { 'a.test': a.port }, defaultPort: a.port })
    try {
      const outcome = await greetingVia(portOf(router), 'nobody.test', certs.ca).then(
        (r) => (r.socket.destroy(), `reached "${r.greeting}"`),
        (e: NodeJS.ErrnoException) => `${e.code ?? ''} ${e.message}`
      )
      assert.match(
        outcome,
        /UNRECOGNIZED_NAME|unrecognized name/i,
        `a ClientHello for nobody.test (no route; defaultPort is only for a ClientHello without SNI) must be answered with the unrecognized_name alert; tls.connect said: ${outcome}`
      )
      assert.equal(a.connections, 0, 'no backend may see a connection for a name it does not serve')
    } finally {
      router.close()
      a.close()
    }
  },
  { timeoutMs: 3000 }
)

const broken: Array<[string, Buffer]> = [
  ['the extensions length runs past the ClientHello', records(handshake(helloBody({ extensionsLength: 500 })))],
  [
    'server_name_list is longer than its extension',
    records(
      handshake(
        helloBody({ extensions: extension(0, Buffer.concat([Buffer.from([0, 60, 0, 0, 6]), Buffer.from('a.test')])) })
      )
    )
  ],
  [
    'the host_name length runs past server_name_list',
    records(
      handshake(
        helloBody({ extensions: extension(0, vec16(Buffer.concat([Buffer.from([0, 0, 40]), Buffer.from('a.test')]))) })
      )
    )
  ],
  [
    'two server_name extensions (RFC 8446 §4.2)',
    records(handshake(helloBody({ extensions: Buffer.concat([serverName('a.test'), serverName('b.test')]) })))
  ],
  ['a 33-byte legacy_session_id', records(handshake(helloBody({ sessionId: Buffer.alloc(33) })))],
  ['an odd cipher_suites length', records(handshake(helloBody({ suites: Buffer.from([0x13, 0x01, 0x13]) })))],
  ['a ServerHello (type 2) where a ClientHello belongs', records(handshake(helloBody(), 2))],
  ['an application_data record (type 23)', records(handshake(helloBody()), 16384, { type: 23 })],
  [
    'a record length of 16385, over the 2^14 limit',
    Buffer.concat([Buffer.from([22, 3, 1, 0x40, 0x01]), Buffer.alloc(16385)])
  ],
  ['a handshake length of 16 MB', Buffer.concat([Buffer.from([22, 3, 1, 0, 8, 1, 0xff, 0xff, 0xff]), Buffer.alloc(4)])],
  ['an empty handshake record', Buffer.from([22, 3, 1, 0, 0])]
]

test('malformed ClientHellos are invalid, not a crash and not a guess', () => {
  for (const [what, bytes] of broken) {
    let parsed
    try {
      parsed = parseClientHello(bytes)
    } catch (e) {
      assert.fail(`${what}: parseClientHello threw ${(e as Error).message}; return { status: 'invalid' } instead`)
    }
    assert.equal(
      parsed.status,
      'invalid',
      `${what}: expected status 'invalid', got ${JSON.stringify(parsed)}. Check every length against the bytes that enclose it`
    )
  }
})

test(
  'the router closes malformed hellos at once and never contacts a backend',
  async () => {
    const a = await rawBackend('a')
    const router = await startSniRouter({
      routes: { 'a.test': a.port, 'b.test': a.port },
      defaultPort: a.port,
      helloTimeoutMs: 5000
    })
    try {
      for (const [what, bytes] of broken) {
        const { closed } = await rawExchange(portOf(router), [bytes], { waitMs: 1000 })
        assert.notEqual(
          closed,
          'open',
          `${what}: the router kept the connection open for a second; close it as soon as the bytes cannot be a ClientHello`
        )
      }
      assert.equal(a.connections, 0, `${a.connections} malformed ClientHello(s) reached a backend`)
    } finally {
      router.close()
      a.close()
    }
  },
  { timeoutMs: 15000 }
)

test(
  'a client that never finishes its ClientHello is dropped after helloTimeoutMs',
  async () => {
    const a = await rawBackend('a')
    const router = await startSniRouter({ routes: { 'a.test': a.port }, helloTimeoutMs: 200 })
    try {
      note(
        'one client sends 9 bytes of a ClientHello and stops; another sends nothing: each holds a socket until the router gives up'
      )
      const partial = rawExchange(portOf(router), [helloFor('a.test').subarray(0, 9)], { waitMs: 1500 })
      const silent = rawExchange(portOf(router), [], { waitMs: 1500 })
      const [p, s] = await Promise.all([partial, silent])
      assert.notEqual(
        p.closed,
        'open',
        'a client stuck halfway through its ClientHello was still connected 1.5 s later with helloTimeoutMs 200 (a slowloris holds sockets this way)'
      )
      assert.notEqual(
        s.closed,
        'open',
        'a client that sent nothing was still connected 1.5 s later with helloTimeoutMs 200'
      )
    } finally {
      router.close()
      a.close()
    }
  },
  { timeoutMs: 3000 }
)

test(
  'the timeout is for the hello only: a routed connection may stay quiet longer',
  async () => {
    const certs = await createTestCertificates({ commonName: 'a.test', altNames: ['a.test'] })
    const a = await tlsBackend('a', certs)
    const router = await startSniRouter({ routes: { 'a.test': a.port }, helloTimeoutMs: 150 })
    try {
      const { socket } = await greetingVia(portOf(router), 'a.test', certs.ca)
      await settle(400)
      const echo = await withTimeout(
        new Promise<string>((resolve, reject) => {
          socket.once('data', (c: Buffer) => resolve(c.toString()))
          socket.once('close', () => reject(new Error('the connection was closed')))
          socket.write('still here')
        }),
        1000,
        'no echo after a quiet spell'
      ).catch((e: Error) => e.message)
      socket.destroy()
      assert.equal(
        echo,
        'still here',
        `400 ms after the handshake, with helloTimeoutMs 150, the connection should still work, got: ${echo}. Clear the hello timer once the ClientHello is in`
      )
    } finally {
      router.close()
      a.close()
    }
  },
  { timeoutMs: 3000 }
)

test(
  '4 MiB from a backend that ends at once all reach a client that reads late',
  async () => {
    const payload = Buffer.alloc(4 * 1024 * 1024, 0x61)
    const a = await rawBackend('a', (socket) => socket.once('data', () => socket.end(payload)))
    const router = await startSniRouter({ routes: { 'a.test': a.port } })
    const client = net.connect({ host: '127.0.0.1', port: portOf(router) })
    try {
      client.pause() // the bytes pile up in the router while the client is not reading
      client.write(helloFor('a.test'))
      for (const started = Date.now(); a.connections === 0 && Date.now() - started < 2000;) await settle(20)
      assert.equal(a.connections, 1, 'the ClientHello for a.test never reached backend a')
      await settle(300) // the backend's 4 MiB fill the buffers towards the client, which is not reading
      let got = 0
      const ended = new Promise<boolean>((resolve) => {
        client.on('data', (c: Buffer) => (got += c.length))
        client.once('end', () => resolve(true))
        client.once('close', () => resolve(false))
        setTimeout(() => resolve(false), 4000)
      })
      client.resume()
      const cleanEnd = await ended
      assert.equal(
        got,
        payload.length,
        `the client got ${got} of ${payload.length} bytes: when the backend ends, bytes still queued for the client must go out first (end() after the last write, or pipe(); destroy() drops them)`
      )
      assert.equal(cleanEnd, true, "all bytes came, but the router did not end the client's side cleanly")
    } finally {
      client.destroy()
      router.close()
      a.close()
    }
  },
  { timeoutMs: 7000 }
)

test(
  'a client that half-closes still gets the reply its backend sends after the FIN',
  async () => {
    // This backend answers only once the client has finished sending (its FIN), as a request
    // with no length does.
    const a = await rawBackend('a', (socket) => {
      let got = 0
      socket.on('data', (c: Buffer) => (got += c.length))
      socket.on('end', () => socket.end(`you sent ${got} bytes`))
    })
    const router = await startSniRouter({ routes: { 'a.test': a.port } })
    try {
      const hello = helloFor('a.test')
      note('the client sends its ClientHello and a FIN; the backend replies after the FIN reaches it')
      const reply = await new Promise<string>((resolve) => {
        const client = net.connect({ host: '127.0.0.1', port: portOf(router), allowHalfOpen: true })
        let text = ''
        client.on('data', (c: Buffer) => (text += c.toString('latin1')))
        client.on('end', () => resolve(text))
        client.on('error', (e) => resolve(`${text} (${e.message})`))
        client.end(hello)
        setTimeout(() => (client.destroy(), resolve(`${text} (nothing more within 1.5 s)`)), 1500)
      })
      assert.equal(
        reply,
        `you sent ${hello.length} bytes`,
        `got ${JSON.stringify(reply)}: when the client ends its side, end() the backend's side (half-close) and keep carrying the backend's answer; destroying the backend loses it`
      )
    } finally {
      router.close()
      a.close()
    }
  },
  { timeoutMs: 3000 }
)

test(
  'a backend that stops reading pushes back on the client, through the router',
  async () => {
    const a = await rawBackend('a', (socket) => socket.pause()) // accepts, then reads nothing
    const router = await startSniRouter({ routes: { 'a.test': a.port } })
    const client = net.connect({ host: '127.0.0.1', port: portOf(router) }, () => {
      client.write(helloFor('a.test'))
      const chunk = Buffer.alloc(64 * 1024, 0x2e)
      for (let sent = 0; sent < 48 * 1024 * 1024; sent += chunk.length) client.write(chunk)
    })
    client.on('error', () => {})
    try {
      note(
        'the backend reads nothing: with backpressure the router stops reading the client, whose 48 MiB stay mostly unsent'
      )
      // With backpressure the client's unsent bytes stop going down and stay well above zero (the
      // buffers on the way hold a few MiB at most); without it they reach zero, because the router
      // read all 48 MiB and holds them in memory. Watched for 4 s from the backend's connection.
      for (const started = Date.now(); a.connections === 0 && Date.now() - started < 2000;) await settle(20)
      assert.equal(a.connections, 1, 'the router never connected to backend a for a ClientHello naming a.test')
      for (const started = Date.now(); Date.now() - started < 4000;) {
        await settle(50)
        assert.ok(
          client.writableLength > 0,
          'the backend read nothing, yet the router took all 48 MiB from the client: it is holding them in memory. Copy with backpressure: pause the client while the backend socket is full (pipe() does it)'
        )
      }
    } finally {
      client.destroy()
      router.close()
      a.close()
    }
  },
  { timeoutMs: 8000 }
)

test(
  'a backend that refuses the connection does not take the router down',
  async () => {
    const gone = await rawBackend('gone')
    gone.close()
    const a = await rawBackend('a')
    const router = await startSniRouter({ routes: { 'gone.test': gone.port, 'a.test': a.port } })
    try {
      const failed = await rawExchange(portOf(router), [helloFor('gone.test')], { waitMs: 1000 })
      assert.notEqual(
        failed.closed,
        'open',
        'the backend for gone.test refused the connection: close the client too instead of leaving it hanging'
      )
      await rawExchange(portOf(router), [helloFor('a.test')], { waitMs: 1000 })
      assert.equal(
        a.connections,
        1,
        'after one backend refused, the router must still route other clients (handle the error event on the backend socket)'
      )
    } finally {
      router.close()
      a.close()
    }
  },
  { timeoutMs: 4000 }
)

test(
  'twelve real TLS clients at once, each to the backend of its name, echo intact',
  async () => {
    const names = ['a', 'b', 'c']
    const certs = await Promise.all(
      names.map((n) => createTestCertificates({ commonName: `${n}.test`, altNames: [`${n}.test`] }))
    )
    const backends = await Promise.all(names.map((n, i) => tlsBackend(n, certs[i]!)))
    const router = await startSniRouter({
      routes: Object.fromEntries(names.map((n, i) => [`${n}.test`, backends[i]!.port]))
    })
    try {
      const results = await Promise.all(
        Array.from({ length: 12 }, async (_, k) => {
          const i = k % 3
          const { socket, greeting } = await greetingVia(portOf(router), `${names[i]}.test`, certs[i]!.ca)
          const message = `client ${k} `.repeat(2000)
          const echo = await withTimeout(
            new Promise<string>((resolve) => {
              let text = ''
              socket.on('data', (c: Buffer) => {
                text += c.toString('latin1')
                if (text.length >= message.length) resolve(text)
              })
              socket.write(message)
            }),
            3000,
            `client ${k}: the echo through the router did not come back`
          )
          socket.destroy()
          return { greeting, ok: echo === message, want: `I am ${names[i]}` }
        })
      )
      results.forEach((r, k) => {
        assert.equal(r.greeting, r.want, `client ${k} reached the wrong backend: ${r.greeting}`)
        assert.equal(r.ok, true, `client ${k}: its echo came back altered`)
      })
    } finally {
      router.close()
      for (const b of backends) b.close()
    }
  },
  { timeoutMs: 8000 }
)
