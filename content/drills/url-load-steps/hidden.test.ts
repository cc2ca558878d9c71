import assert from 'node:assert/strict'
import { test, createTestCertificates } from 'retransmit:test'
import { loadUrl } from './solution'
import { startDnsServer, startWebServer, okResponse, type EventLog } from './servers'

const HOST = 'api.retransmit.test'

test(
  'an http:// URL has no TLS phase',
  async () => {
    const log: EventLog = []
    const dns = await startDnsServer({ [HOST]: ['127.0.0.1'] }, log)
    const web = await startWebServer({ respond: () => okResponse('{"ok":true}', 'application/json') }, log)
    try {
      const result = await loadUrl(`http://${HOST}:${web.port}/health`, { dnsServer: dns.address })
      assert.deepEqual(
        result.phases.map((p) => p.name),
        ['dns', 'tcp', 'http'],
        `plain http: expected phases dns, tcp, http, got ${JSON.stringify(result.phases.map((p) => p.name))}`
      )
      assert.equal(result.tlsProtocol, null, `tlsProtocol must be null without TLS, got ${result.tlsProtocol}`)
      assert.equal(result.body, '{"ok":true}', `body: got ${JSON.stringify(result.body)}`)
      assert.equal(
        web.requests[0]?.requestLine,
        'GET /health HTTP/1.1',
        `request line: got ${web.requests[0]?.requestLine}`
      )
    } finally {
      await web.close()
      await dns.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'a chunked response is decoded, and the query string is sent',
  async () => {
    const log: EventLog = []
    const certs = await createTestCertificates({ commonName: HOST, altNames: [HOST] })
    const dns = await startDnsServer({ [HOST]: ['127.0.0.1'] }, log)
    const chunked =
      'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n7\r\nresults\r\n1\r\n:\r\na\r\n tcp, udp.\r\n0\r\n\r\n'
    const web = await startWebServer({ tls: { cert: certs.cert, key: certs.key }, respond: () => chunked }, log)
    try {
      const result = await loadUrl(`https://${HOST}:${web.port}/search?q=tcp&page=2`, {
        dnsServer: dns.address,
        ca: certs.ca
      })
      assert.equal(
        web.requests[0]?.requestLine,
        'GET /search?q=tcp&page=2 HTTP/1.1',
        `the request target is the path plus the query string; got ${web.requests[0]?.requestLine}`
      )
      assert.equal(
        result.body,
        'results: tcp, udp.',
        `Transfer-Encoding: chunked (RFC 9112 §7.1): join the chunk data (hex sizes 7, 1, a) and drop the size lines; got ${JSON.stringify(result.body)}`
      )
    } finally {
      await web.close()
      await dns.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'NXDOMAIN: the load fails at DNS and never opens a connection',
  async () => {
    const log: EventLog = []
    const dns = await startDnsServer({ [HOST]: ['127.0.0.1'] }, log)
    const web = await startWebServer({ respond: () => okResponse('unreachable') }, log)
    try {
      await assert.rejects(
        loadUrl(`http://missing.retransmit.test:${web.port}/`, { dnsServer: dns.address }),
        (err: unknown) => err instanceof Error,
        'a name the DNS server does not know (NXDOMAIN) must reject loadUrl with an Error'
      )
      assert.ok(
        log.some((e) => e.startsWith('dns-query missing.retransmit.test')),
        `the DNS server should have been asked; it saw ${JSON.stringify(log)}`
      )
      assert.ok(
        !log.includes('tcp-accept'),
        `no TCP connection may be opened without an address; the web server saw ${JSON.stringify(log)}`
      )
    } finally {
      await web.close()
      await dns.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'a certificate from a CA you were not given is refused before any HTTP',
  async () => {
    const log: EventLog = []
    const trusted = await createTestCertificates({ commonName: HOST, altNames: [HOST] })
    const impostor = await createTestCertificates({ commonName: HOST, altNames: [HOST] })
    const dns = await startDnsServer({ [HOST]: ['127.0.0.1'] }, log)
    const web = await startWebServer(
      { tls: { cert: impostor.cert, key: impostor.key }, respond: () => okResponse('secret') },
      log
    )
    try {
      await assert.rejects(
        loadUrl(`https://${HOST}:${web.port}/`, { dnsServer: dns.address, ca: trusted.ca }),
        (err: unknown) => err instanceof Error,
        "the server's certificate chains to a different CA: trust only options.ca (the ca option), keep rejectUnauthorized on, and reject"
      )
      assert.ok(
        log.includes('tcp-accept'),
        `the TCP phase still happens before TLS fails; the server saw ${JSON.stringify(log)}`
      )
      assert.ok(
        !log.some((e) => e.startsWith('http-request')),
        `no HTTP request may be sent over an unverified connection; the server saw ${JSON.stringify(log)}`
      )
    } finally {
      await web.close()
      await dns.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'a trusted certificate for another name is refused too',
  async () => {
    const log: EventLog = []
    const certs = await createTestCertificates({
      commonName: 'other.retransmit.test',
      altNames: ['other.retransmit.test']
    })
    const dns = await startDnsServer({ [HOST]: ['127.0.0.1'] }, log)
    const web = await startWebServer(
      { tls: { cert: certs.cert, key: certs.key }, respond: () => okResponse('wrong site') },
      log
    )
    try {
      await assert.rejects(
        loadUrl(`https://${HOST}:${web.port}/`, { dnsServer: dns.address, ca: certs.ca }),
        (err: unknown) => err instanceof Error,
        `the certificate is valid but names other.retransmit.test, not ${HOST}: the client must check the name (servername: the URL's host) and reject`
      )
      assert.ok(
        log.includes('tcp-accept'),
        `DNS and TCP should succeed before the name check fails in TLS; the server saw ${JSON.stringify(log)}`
      )
      assert.ok(
        !log.some((e) => e.startsWith('http-request')),
        `no HTTP request may be sent to the wrong site; the server saw ${JSON.stringify(log)}`
      )
    } finally {
      await web.close()
      await dns.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'Content-Length counts bytes, not characters; a 404 is a result, not an error',
  async () => {
    const log: EventLog = []
    const dns = await startDnsServer({ [HOST]: ['127.0.0.1'] }, log)
    const body = 'introuvable: café, naïve, ✓ '.repeat(3000)
    const web = await startWebServer(
      { respond: () => okResponse(body, 'text/plain; charset=utf-8', '404 Not Found') },
      log
    )
    try {
      const result = await loadUrl(`http://${HOST}:${web.port}/nope`, { dnsServer: dns.address })
      assert.equal(result.status, 404, `status: a 404 response still loads; return it (got ${result.status})`)
      assert.equal(
        result.body.length,
        body.length,
        `body: ${Buffer.byteLength(body)} bytes of UTF-8 (${body.length} characters) arrive in many reads; read exactly Content-Length bytes, then decode. Got ${result.body.length} characters`
      )
      assert.equal(
        result.body,
        body,
        'body: the text must match exactly after UTF-8 decoding of the whole body (decode once, not per read: a character can straddle two reads)'
      )
    } finally {
      await web.close()
      await dns.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'no Content-Length and no chunking: the body ends when the server closes',
  async () => {
    const log: EventLog = []
    const dns = await startDnsServer({ [HOST]: ['127.0.0.1'] }, log)
    const web = await startWebServer(
      { respond: () => 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nuntil the end' },
      log
    )
    try {
      const result = await loadUrl(`http://${HOST}:${web.port}/`, { dnsServer: dns.address })
      assert.equal(
        result.body,
        'until the end',
        `with neither Content-Length nor chunked, the body is everything up to the server's FIN (RFC 9112 §6.3); got ${JSON.stringify(result.body)}`
      )
    } finally {
      await web.close()
      await dns.close()
    }
  },
  { timeoutMs: 5000 }
)
