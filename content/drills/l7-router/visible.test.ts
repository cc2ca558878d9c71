import assert from 'node:assert/strict'
import { test } from 'retransmit:test'
import { forwardedElement, matchRoute, startRouter, stripHopByHop, type Route } from './solution'
import { deadPort, request, startBackend } from './l7-lab'

const ROUTES: Route[] = [
  { header: { name: 'X-Canary', value: '1' }, pool: 'canary' },
  { pathPrefix: '/api', pool: 'api' },
  { pathPrefix: '/static/', pool: 'static' }
]

test('matchRoute: path prefixes, headers, first match wins', () => {
  const cases: [string, Record<string, string>, string, string][] = [
    ['/api', {}, 'api', "'/api' itself matches the prefix /api"],
    ['/api/users?id=7', {}, 'api', 'everything below /api matches; the query string is not part of the path'],
    ['/apiary', {}, 'web', "'/apiary' is not under /api: match whole path segments, not just characters"],
    ['/static/app.js', {}, 'static', "a prefix written with a trailing slash ('/static/') works the same"],
    ['/', {}, 'web', 'no route matches, so the default pool'],
    [
      '/api/users',
      { 'x-canary': '1' },
      'canary',
      'the header route comes first in the list, so it wins over the /api route'
    ],
    ['/api/users', { 'x-canary': '0' }, 'api', 'the header must have exactly the configured value']
  ]
  for (const [url, headers, expected, why] of cases) {
    const got = matchRoute(ROUTES, 'web', url, headers)
    assert.equal(
      got,
      expected,
      `a request for http://router${url} with headers ${JSON.stringify(headers)} should go to '${expected}', got '${got}': ${why}`
    )
  }
  const byHost: Route[] = [{ header: { name: 'Host', value: 'admin.example.test' }, pool: 'admin' }]
  assert.equal(
    matchRoute(byHost, 'web', '/', { host: 'admin.example.test' }),
    'admin',
    "virtual hosting is a header route on Host; header names are case-insensitive and Node gives them lowercased ('host')"
  )
  assert.equal(
    matchRoute(byHost, 'web', '/', { host: 'shop.example.test' }),
    'web',
    'another Host falls through to the default pool'
  )
})

test('stripHopByHop removes connection-scoped fields', () => {
  const input = {
    host: 'example.test',
    connection: 'keep-alive, X-Trace-Hop',
    'x-trace-hop': 'abc',
    'keep-alive': 'timeout=5',
    'proxy-connection': 'keep-alive',
    te: 'trailers',
    'transfer-encoding': 'chunked',
    upgrade: 'h2c',
    authorization: 'Bearer t',
    'x-request-id': '42'
  }
  const copy = { ...input }
  const out = stripHopByHop(input)
  assert.deepEqual(input, copy, 'stripHopByHop must return a new object and leave its argument alone')
  assert.deepEqual(
    Object.keys(out).sort(),
    ['authorization', 'host', 'x-request-id'],
    `expected only host, authorization and x-request-id to survive, got ${Object.keys(out).sort().join(', ')}. Drop Connection, every field it names (x-trace-hop), and Proxy-Connection, Keep-Alive, TE, Transfer-Encoding, Upgrade (RFC 9110 §7.6.1)`
  )
})

test('forwardedElement follows RFC 7239 syntax', () => {
  assert.equal(
    forwardedElement('192.0.2.60', 'example.test', 'http'),
    'for=192.0.2.60;host=example.test;proto=http',
    'tokens go in as they are, pairs separated by ;'
  )
  assert.equal(
    forwardedElement('2001:db8:cafe::17', 'example.test:8080', 'http'),
    'for="[2001:db8:cafe::17]";host="example.test:8080";proto=http',
    "an IPv6 address goes in brackets, and any value with characters outside a token (like ':' or '[') must be a quoted-string (RFC 7239 §4, §6)"
  )
})

test(
  'requests reach the pool their path selects',
  async () => {
    const api = await startBackend('api-1')
    const stat = await startBackend('static-1')
    const web = await startBackend('web-1')
    const router = await startRouter({
      routes: ROUTES,
      pools: { api: [api.target], static: [stat.target], web: [web.target], canary: [] },
      defaultPool: 'web'
    })
    try {
      for (const [path, expected] of [
        ['/api/orders?limit=2', 'api-1'],
        ['/static/logo.png', 'static-1'],
        ['/index.html', 'web-1']
      ] as const) {
        const reply = await request(router.port, { path, headers: { host: 'shop.example.test' } })
        assert.equal(
          reply.status,
          200,
          `GET http://127.0.0.1:${router.port}${path} should be proxied (200), got ${reply.status}: ${reply.body.slice(0, 200)}`
        )
        assert.equal(
          reply.json?.backend,
          expected,
          `GET http://127.0.0.1:${router.port}${path} should reach ${expected}, reached ${reply.json?.backend ?? reply.body.slice(0, 100)}`
        )
        assert.equal(
          reply.json?.url,
          path,
          `the backend must get the path and query the client sent: the client asked for http://127.0.0.1:${router.port}${path}, the backend was asked for http://backend${reply.json?.url}`
        )
        assert.equal(
          reply.json?.headers.host,
          'shop.example.test',
          `keep the client's Host header: the backend saw ${reply.json?.headers.host}`
        )
      }
    } finally {
      await router.close()
      for (const b of [api, stat, web]) await b.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'a backend that is down gives 502 Bad Gateway',
  async () => {
    const router = await startRouter({
      routes: [],
      pools: { web: [{ host: '127.0.0.1', port: await deadPort() }] },
      defaultPool: 'web'
    })
    try {
      const reply = await request(router.port, { path: '/' })
      assert.equal(
        reply.status,
        502,
        `nothing listens on the backend's port (ECONNREFUSED): answer 502 Bad Gateway, got ${reply.status}`
      )
    } finally {
      await router.close()
    }
  },
  { timeoutMs: 5000 }
)
