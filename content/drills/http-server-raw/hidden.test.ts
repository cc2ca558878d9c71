import assert from 'node:assert/strict'
import http from 'node:http'
import net from 'node:net'
import { test, createRelay } from 'retransmit:test'
import { startHttpServer } from './solution'
import { RawClient, describe } from './http-wire'

const req = (method: string, path: string, headers: string[] = [], body = '') =>
  `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers.map((h) => h + '\r\n').join('')}\r\n${body}`

test(
  'a request arriving a few bytes at a time is buffered until complete (relay)',
  async () => {
    const server = await startHttpServer()
    const relay = await createRelay({ target: server.port, seed: 9112, maxSegmentBytes: 3 })
    const client = await RawClient.connect(relay.port)
    try {
      const body = '5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n'
      client.write(req('POST', '/echo', ['Transfer-Encoding: chunked'], body))
      const r = await client.response({ timeoutMs: 4000 })
      assert.equal(
        r?.status,
        200,
        `the request came through a relay in 1-3 byte pieces; expected 200, got ${describe(r)}. A read can end anywhere: in the request line, a header, a chunk size or chunk data`
      )
      assert.equal(
        r?.body.toString(),
        'hello, world',
        `expected the decoded chunked body "hello, world", got ${describe(r)}`
      )
    } finally {
      client.destroy()
      await relay.close()
      await server.close()
    }
  },
  { timeoutMs: 8000 }
)

test(
  'pipelined requests in one write are answered in order',
  async () => {
    const server = await startHttpServer()
    const client = await RawClient.connect(server.port)
    try {
      client.write(
        req('GET', '/') +
          req('POST', '/echo', ['Content-Length: 5'], 'abcde') +
          req('GET', '/missing') +
          req('POST', '/echo', ['Content-Length: 2'], 'zz')
      )
      const expected: Array<[number, string]> = [
        [200, 'hello\n'],
        [200, 'abcde'],
        [404, ''],
        [200, 'zz']
      ]
      for (const [i, [status, body]] of expected.entries()) {
        const r = await client.response()
        assert.equal(
          r?.status,
          status,
          `pipelined request ${i + 1} of 4 (all sent in one write): expected status ${status}, got ${describe(r)}. Keep the bytes after each request in the buffer: they are the next request (RFC 9112 §9.3.2)`
        )
        if (body)
          assert.equal(
            r?.body.toString(),
            body,
            `pipelined response ${i + 1}: expected body ${JSON.stringify(body)}, got ${describe(r)}`
          )
      }
    } finally {
      client.destroy()
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'an oversized header section gets 431 and the connection closes',
  async () => {
    const server = await startHttpServer({ maxHeaderBytes: 4096 })
    const client = await RawClient.connect(server.port)
    try {
      client.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${'a'.repeat(6000)}\r\n`) // and the blank line never comes
      const r = await client.response()
      assert.equal(
        r?.status,
        431,
        `6000 bytes of headers against maxHeaderBytes 4096 (and no end in sight) should get 431 Request Header Fields Too Large (RFC 6585 §5) without waiting for the blank line; got ${describe(r)}`
      )
      assert.equal(await client.closed(), true, 'after a 431 the server should close the connection')
    } finally {
      client.destroy()
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'a body over the limit gets 413 at once, for Content-Length and for chunked',
  async () => {
    const server = await startHttpServer({ maxBodyBytes: 1000 })
    try {
      const a = await RawClient.connect(server.port)
      a.write(req('POST', '/echo', ['Content-Length: 10000000'])) // the body is never sent
      const r1 = await a.response()
      a.destroy()
      assert.equal(
        r1?.status,
        413,
        `Content-Length 10000000 over maxBodyBytes 1000 should get 413 Content Too Large (RFC 9110 §15.5.14) as soon as the headers are in, without waiting for the body; got ${describe(r1)}`
      )

      const b = await RawClient.connect(server.port)
      b.write(req('POST', '/echo', ['Transfer-Encoding: chunked'], `400\r\n${'x'.repeat(1024)}\r\n`)) // one 1 KiB chunk, more would follow
      const r2 = await b.response()
      assert.equal(
        r2?.status,
        413,
        `a chunked body that passes maxBodyBytes (1000) should get 413; got ${describe(r2)}`
      )
      assert.equal(
        await b.closed(),
        true,
        'after a 413 the server should close the connection (the rest of the body would be read as a request)'
      )
      b.destroy()
    } finally {
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'malformed requests get 400, 501 or 505',
  async () => {
    const server = await startHttpServer()
    try {
      const cases: Array<[string, string, number, string]> = [
        [
          'a request line without a version',
          'GET /\r\nHost: x\r\n\r\n',
          400,
          'method SP target SP version (RFC 9112 §3)'
        ],
        [
          'HTTP/2.0 in the request line',
          'GET / HTTP/2.0\r\nHost: x\r\n\r\n',
          505,
          '505 HTTP Version Not Supported for a major version other than 1 (RFC 9110 §15.6.6)'
        ],
        [
          'no Host header in HTTP/1.1',
          'GET / HTTP/1.1\r\nAccept: */*\r\n\r\n',
          400,
          'HTTP/1.1 requests need exactly one Host (RFC 9112 §3.2)'
        ],
        [
          'two Host headers',
          'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n',
          400,
          'HTTP/1.1 requests need exactly one Host (RFC 9112 §3.2)'
        ],
        [
          'whitespace before a colon',
          'GET / HTTP/1.1\r\nHost : x\r\n\r\n',
          400,
          'whitespace between a field name and the colon must be rejected (RFC 9112 §5.1)'
        ],
        [
          'a method nobody knows',
          'BREW / HTTP/1.1\r\nHost: x\r\n\r\n',
          501,
          'an unrecognised method gets 501 Not Implemented (RFC 9110 §15.6.2)'
        ],
        [
          'a lowercase method',
          'get / HTTP/1.1\r\nHost: x\r\n\r\n',
          501,
          'methods are case-sensitive (RFC 9110 §9.1): "get" is not GET'
        ]
      ]
      for (const [what, raw, status, why] of cases) {
        const c = await RawClient.connect(server.port)
        c.write(raw)
        const r = await c.response()
        c.destroy()
        assert.equal(r?.status, status, `${what}: expected ${status} (${why}); got ${describe(r)}`)
      }
    } finally {
      await server.close()
    }
  },
  { timeoutMs: 8000 }
)

test(
  'ambiguous body framing is refused and the connection closed',
  async () => {
    const server = await startHttpServer()
    try {
      const cases: Array<[string, string[], number, string]> = [
        [
          'Content-Length and Transfer-Encoding together',
          ['Content-Length: 3', 'Transfer-Encoding: chunked'],
          400,
          'a possible smuggling attempt: reject with 400 and close (RFC 9112 §6.1)'
        ],
        [
          'Content-Length: abc',
          ['Content-Length: abc'],
          400,
          'an invalid Content-Length is unrecoverable: 400 and close (RFC 9112 §6.3)'
        ],
        [
          'two different Content-Length values',
          ['Content-Length: 3', 'Content-Length: 4'],
          400,
          'conflicting lengths: 400 and close (RFC 9112 §6.3)'
        ],
        [
          'Transfer-Encoding: gzip',
          ['Transfer-Encoding: gzip'],
          400,
          'when chunked is not the final coding the length cannot be known: 400 and close (RFC 9112 §6.3)'
        ],
        [
          'Transfer-Encoding: gzip, chunked',
          ['Transfer-Encoding: gzip, chunked'],
          501,
          'a transfer coding the server does not implement: 501 (RFC 9112 §6.1)'
        ]
      ]
      for (const [what, headers, status, why] of cases) {
        const c = await RawClient.connect(server.port)
        c.write(req('POST', '/echo', headers, '0\r\n\r\n'))
        const r = await c.response()
        const closed = await c.closed()
        c.destroy()
        assert.equal(r?.status, status, `${what}: expected ${status} (${why}); got ${describe(r)}`)
        assert.equal(
          closed,
          true,
          `${what}: after the error response the server must close the connection, because it cannot know where the next request starts`
        )
      }
    } finally {
      await server.close()
    }
  },
  { timeoutMs: 8000 }
)

test(
  'chunk extensions, hex sizes and trailers are handled, and the next request still parses',
  async () => {
    const server = await startHttpServer()
    const client = await RawClient.connect(server.port)
    try {
      const body = 'A;name=value\r\n0123456789\r\n1a\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Checksum: 42\r\n\r\n'
      client.write(req('POST', '/echo', ['Transfer-Encoding: chunked'], body) + req('GET', '/'))
      const r = await client.response()
      assert.equal(
        r?.body.toString(),
        '0123456789abcdefghijklmnopqrstuvwxyz',
        `chunk sizes are hex (A = 10, 1a = 26), ";name=value" is an extension to skip, and a trailer may follow the 0 chunk (RFC 9112 §7.1); got ${describe(r)}`
      )
      const next = await client.response()
      assert.equal(
        next?.status,
        200,
        `the GET / after the trailer section was not answered: the chunked body ends only after the trailers and an empty line; got ${describe(next)}`
      )
    } finally {
      client.destroy()
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'HEAD has headers but no body; Connection: close ends the connection',
  async () => {
    const server = await startHttpServer()
    const client = await RawClient.connect(server.port)
    try {
      client.write(req('HEAD', '/') + req('GET', '/', ['Connection: close']))
      const head = await client.response({ head: true })
      assert.equal(head?.status, 200, `HEAD / should be 200, got ${describe(head)}`)
      assert.equal(
        head?.headers.get('content-length'),
        '6',
        `HEAD should send the Content-Length a GET would (6), got ${JSON.stringify(head?.headers.get('content-length'))}`
      )
      const get = await client.response()
      assert.equal(
        get?.status,
        200,
        `the GET after HEAD got ${describe(get)}: a HEAD response must have no body bytes, or they are read as the next response`
      )
      assert.equal(
        get?.body.toString(),
        'hello\n',
        `the GET after HEAD should return "hello\\n"; got ${describe(get)} (body bytes after a HEAD response shift everything)`
      )
      assert.equal(
        get?.headers.get('connection')?.toLowerCase(),
        'close',
        'answer a request with "Connection: close" with "Connection: close" too'
      )
      assert.equal(
        await client.closed(),
        true,
        'after answering a request with "Connection: close" the server must close the connection (RFC 9112 §9.6)'
      )
    } finally {
      client.destroy()
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'HTTP/1.0: the request is answered, then the connection closes',
  async () => {
    const server = await startHttpServer()
    const client = await RawClient.connect(server.port)
    try {
      client.write('GET / HTTP/1.0\r\n\r\n')
      const r = await client.response()
      assert.equal(r?.status, 200, `GET / HTTP/1.0 (no Host needed in 1.0) should be 200, got ${describe(r)}`)
      assert.equal(
        await client.closed(),
        true,
        'an HTTP/1.0 connection without keep-alive closes after the response (RFC 9112 §9.3): the server must close it, the client is waiting for that'
      )
    } finally {
      client.destroy()
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'fetch (undici) gets GET, HEAD, a 64 KiB POST and a 404 right',
  async () => {
    const server = await startHttpServer()
    const base = `http://127.0.0.1:${server.port}`
    try {
      const get = await fetch(`${base}/`)
      assert.equal(get.status, 200, `fetch GET / got ${get.status}`)
      assert.equal(await get.text(), 'hello\n', 'fetch GET / should read "hello\\n"')
      const head = await fetch(`${base}/`, { method: 'HEAD' })
      assert.equal(head.status, 200, `fetch HEAD / got ${head.status}`)
      assert.equal(head.headers.get('content-length'), '6', 'HEAD should carry the Content-Length a GET would (6)')
      const big = Buffer.alloc(65536, 'z')
      const post = await fetch(`${base}/echo`, { method: 'POST', body: big })
      assert.equal(post.status, 200, `fetch POST /echo with 65536 bytes (exactly maxBodyBytes) got ${post.status}`)
      assert.equal(
        Buffer.from(await post.arrayBuffer()).equals(big),
        true,
        'the 64 KiB echo came back different: the body arrives in many reads; wait for all Content-Length bytes'
      )
      const missing = await fetch(`${base}/nope`)
      assert.equal(missing.status, 404, `fetch GET /nope got ${missing.status}`)
      await missing.arrayBuffer()
    } catch (err) {
      const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : ''
      throw new Error(
        `fetch, a real HTTP client, failed against your server: ${err instanceof Error ? err.message : String(err)}${cause}`
      )
    } finally {
      await server.close()
    }
  },
  { timeoutMs: 6000 }
)

test(
  'node:http on one kept-alive socket: HEAD, then GET, then a chunked POST',
  async () => {
    const server = await startHttpServer()
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    const one = (method: string, path: string, chunks: string[] = []) =>
      new Promise<{ status: number; body: string; socket: unknown }>((resolve, reject) => {
        const r = http.request({ host: '127.0.0.1', port: server.port, method, path, agent }, (res) => {
          let body = ''
          res.setEncoding('utf8')
          res.on('data', (c: string) => (body += c))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, socket: res.socket }))
        })
        r.setTimeout(2000, () => r.destroy(new Error(`no complete response to ${method} ${path} within 2 s`)))
        r.on('error', (e) =>
          reject(
            new Error(
              `node:http ${method} ${path} failed: ${e.message} (after a HEAD response, body bytes on the connection make the next response unparseable)`
            )
          )
        )
        for (const c of chunks) r.write(c)
        r.end()
      })
    try {
      const head = await one('HEAD', '/')
      assert.equal(head.status, 200, `HEAD / got ${head.status}`)
      const get = await one('GET', '/')
      assert.equal(
        get.body,
        'hello\n',
        `GET / after HEAD on the same socket should read "hello\\n", got ${JSON.stringify(get.body)}`
      )
      const post = await one('POST', '/echo', ['ab', 'cd', 'ef'])
      assert.equal(
        post.body,
        'abcdef',
        `a chunked POST (three writes) should echo "abcdef", got ${JSON.stringify(post.body)}`
      )
      assert.equal(
        post.socket,
        head.socket,
        'the three requests should share one kept-alive connection (HTTP/1.1 connections persist, RFC 9112 §9.3)'
      )
    } finally {
      agent.destroy()
      await server.close()
    }
  },
  { timeoutMs: 6000 }
)

/** Reads from a raw socket until `done(text)` says so or `ms` pass; resolves what arrived. */
function readUntil(socket: net.Socket, done: (text: string) => boolean, ms: number): Promise<string> {
  return new Promise((resolve) => {
    let text = ''
    const finish = () => {
      clearTimeout(timer)
      socket.off('data', onData)
      resolve(text)
    }
    const onData = (c: Buffer) => {
      text += c.toString('latin1')
      if (done(text)) finish()
    }
    const timer = setTimeout(finish, ms)
    socket.on('data', onData)
  })
}

test(
  'Expect: 100-continue gets "100 Continue" before the body is sent (curl waits a second without it)',
  async () => {
    const server = await startHttpServer()
    const socket = net.connect(server.port, '127.0.0.1')
    try {
      await new Promise((resolve) => socket.once('connect', resolve))
      socket.write('POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n')
      const interim = await readUntil(socket, (t) => t.includes('\r\n\r\n'), 800)
      assert.match(
        interim,
        /^HTTP\/1\.1 100 [^\r\n]*\r\n\r\n$/,
        `a client that sends "Expect: 100-continue" waits for "HTTP/1.1 100 Continue" before sending the body (RFC 9110 §10.1.1); got ${JSON.stringify(interim.slice(0, 60))}`
      )
      socket.write('hello')
      const final = await readUntil(socket, (t) => t.endsWith('hello'), 1000)
      assert.match(
        final,
        /^HTTP\/1\.1 200 /,
        `after the body, the final response should be the 200 echo; got ${JSON.stringify(final.slice(0, 60))}`
      )
    } finally {
      socket.destroy()
      await server.close()
    }
  },
  { timeoutMs: 4000, stretch: true }
)

test(
  'an absolute-form target (http://host/path, as sent to proxies) is served like its path',
  async () => {
    const server = await startHttpServer()
    const client = await RawClient.connect(server.port)
    try {
      client.write(`GET http://127.0.0.1:${server.port}/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`)
      const r = await client.response()
      assert.equal(
        r?.status,
        200,
        `a server must accept the absolute-form "GET http://host/ HTTP/1.1" (RFC 9112 §3.2.2) and serve "/"; got ${describe(r)}`
      )
      assert.equal(
        r?.body.toString(),
        'hello\n',
        `absolute-form GET http://host/ should return "hello\\n", got ${describe(r)}`
      )
    } finally {
      client.destroy()
      await server.close()
    }
  },
  { timeoutMs: 4000, stretch: true }
)

test(
  'a slowloris client, dribbling its request head a header at a time, gets 408 and is closed',
  async () => {
    const server = await startHttpServer({ headersTimeoutMs: 300 })
    const socket = net.connect({ host: '127.0.0.1', port: server.port })
    let received = ''
    let sent = 0
    const closed = new Promise<boolean>((resolve) => {
      socket.on('data', (c: Buffer) => (received += c.toString('latin1')))
      socket.on('close', () => resolve(true))
      socket.on('error', () => resolve(true))
      setTimeout(() => resolve(false), 2500)
    })
    // A new header line every 50 ms, never the blank line that ends the head: the connection is
    // never idle, so only a timer on the whole head catches it.
    const dribble = setInterval(() => {
      if (socket.writable)
        socket.write(sent++ === 0 ? 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n' : `X-Slow-${sent}: 1\r\n`)
    }, 50)
    try {
      const wasClosed = await closed
      assert.equal(
        wasClosed,
        true,
        `after 2.5 s and ${sent} header lines the server still held the connection open, with headersTimeoutMs 300: time the whole head from its first byte (a timer reset by each read never fires for a client that sends something every 50 ms)`
      )
      assert.match(
        received,
        /^HTTP\/1\.1 408 /,
        `the server closed the connection; it should first say why, with "408 Request Timeout" (RFC 9110 §15.5.9); it sent ${JSON.stringify(received.slice(0, 60))}`
      )
    } finally {
      clearInterval(dribble)
      socket.destroy()
      await server.close()
    }
  },
  { timeoutMs: 4000, stretch: true }
)
