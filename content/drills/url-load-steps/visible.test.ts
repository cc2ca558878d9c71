import assert from 'node:assert/strict'
import { test, createTestCertificates } from 'retransmit:test'
import { loadUrl } from './solution'
import { startDnsServer, startWebServer, okResponse, type EventLog } from './servers'

const HOST = 'shop.retransmit.test'
const PAGE = '<!doctype html><title>cart</title><p>3 items</p>'

async function httpsSite(log: EventLog) {
  const certs = await createTestCertificates({ commonName: HOST, altNames: [HOST] })
  const dns = await startDnsServer({ [HOST]: ['127.0.0.1'] }, log)
  const web = await startWebServer({ tls: { cert: certs.cert, key: certs.key }, respond: () => okResponse(PAGE) }, log)
  return {
    certs,
    dns,
    web,
    close: async () => {
      await web.close()
      await dns.close()
    }
  }
}

test(
  'asks the given DNS server for the name and gets the address',
  async () => {
    const log: EventLog = []
    const site = await httpsSite(log)
    try {
      const result = await loadUrl(`https://${HOST}:${site.web.port}/cart`, {
        dnsServer: site.dns.address,
        ca: site.certs.ca
      })
      assert.ok(
        log.includes(`dns-query ${HOST} A`),
        `the DNS server at ${site.dns.address} should have been asked for the A record of ${HOST}; it saw: ${JSON.stringify(log.filter((e) => e.startsWith('dns')))}. Use a Resolver with setServers([options.dnsServer]) and resolve4().`
      )
      assert.equal(
        result.address,
        '127.0.0.1',
        `address: the A record the server returned is 127.0.0.1, got ${result.address}`
      )
    } finally {
      await site.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'loads the page over HTTPS: status, headers, body, TLS version',
  async () => {
    const log: EventLog = []
    const site = await httpsSite(log)
    try {
      const result = await loadUrl(`https://${HOST}:${site.web.port}/cart`, {
        dnsServer: site.dns.address,
        ca: site.certs.ca
      })
      assert.equal(result.status, 200, `status: expected 200, got ${result.status}`)
      assert.equal(
        result.headers['content-type'],
        'text/html; charset=utf-8',
        `headers['content-type'] (names lower-cased): got ${JSON.stringify(result.headers)}`
      )
      assert.equal(result.body, PAGE, `body: expected the ${PAGE.length}-byte page, got ${JSON.stringify(result.body)}`)
      assert.equal(
        result.tlsProtocol,
        'TLSv1.3',
        `tlsProtocol: Node negotiates TLS 1.3 here (socket.getProtocol()), got ${result.tlsProtocol}`
      )
    } finally {
      await site.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'the phases run in order: dns, tcp, tls, http',
  async () => {
    const log: EventLog = []
    const site = await httpsSite(log)
    try {
      const result = await loadUrl(`https://${HOST}:${site.web.port}/cart`, {
        dnsServer: site.dns.address,
        ca: site.certs.ca
      })
      const names = result.phases.map((p) => p.name)
      assert.deepEqual(
        names,
        ['dns', 'tcp', 'tls', 'http'],
        `phases: expected dns, tcp, tls, http, got ${JSON.stringify(names)}`
      )
      result.phases.forEach((p, i) => {
        assert.ok(
          Number.isFinite(p.startMs) && p.startMs >= 0 && Number.isFinite(p.durationMs) && p.durationMs >= 0,
          `phase ${p.name}: startMs and durationMs must be numbers >= 0 (milliseconds), got ${JSON.stringify(p)}`
        )
        const prev = result.phases[i - 1]
        if (prev)
          assert.ok(
            p.startMs >= prev.startMs + prev.durationMs - 0.5,
            `phase ${p.name} starts at ${p.startMs.toFixed(2)} ms, before ${prev.name} ended at ${(prev.startMs + prev.durationMs).toFixed(2)} ms: each step needs the one before it`
          )
      })
      const seen = log.map((e) => e.split(' ')[0])
      assert.deepEqual(
        seen,
        ['dns-query', 'tcp-accept', 'tls-established', 'http-request'],
        `what the servers saw, in order: expected dns-query, tcp-accept, tls-established, http-request, got ${JSON.stringify(log)}`
      )
    } finally {
      await site.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'the request: GET with the path, a Host header, and SNI naming the host',
  async () => {
    const log: EventLog = []
    const site = await httpsSite(log)
    try {
      await loadUrl(`https://${HOST}:${site.web.port}/cart`, { dnsServer: site.dns.address, ca: site.certs.ca })
      const request = site.web.requests[0]
      assert.ok(request, 'the web server received no request')
      assert.equal(
        request.requestLine,
        'GET /cart HTTP/1.1',
        `request line: expected 'GET /cart HTTP/1.1', got '${request.requestLine}'`
      )
      assert.equal(
        request.headers.host,
        `${HOST}:${site.web.port}`,
        `Host header: HTTP/1.1 requires it (RFC 9112 §3.2); with a non-default port it is host:port. Got ${request.headers.host}`
      )
      assert.equal(
        request.servername,
        HOST,
        `SNI: the ClientHello must name ${HOST} (servername option) so the server can choose its certificate; got ${request.servername}`
      )
    } finally {
      await site.close()
    }
  },
  { timeoutMs: 5000 }
)
