import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'retransmit:test'
import { matchRoute, startRouter, type Route } from './solution'
import { deadPort, request, startBackend } from './l7-lab'

const ROUTES: Route[] = [
  { header: { name: 'x-canary', value: '1' }, pool: 'canary' },
  { pathPrefix: '/api', pool: 'api' }
]

test(
  'round robin inside each pool, independently',
  async () => {
    const a1 = await startBackend('api-1')
    const a2 = await startBackend('api-2')
    const w1 = await startBackend('web-1')
    const router = await startRouter({
      routes: ROUTES,
      pools: { api: [a1.target, a2.target], web: [w1.target], canary: [] },
      defaultPool: 'web'
    })
    try {
      const order: string[] = []
      for (let i = 0; i < 4; i++) {
        order.push((await request(router.port, { path: '/api/x' })).json?.backend ?? '?')
        await request(router.port, { path: '/home' }) // other pools must not move the api cursor
      }
      assert.deepEqual(
        order,
        ['api-1', 'api-2', 'api-1', 'api-2'],
        `requests to /api should alternate api-1, api-2, ... got ${order.join(' ')}: keep one cursor per pool`
      )
    } finally {
      await router.close()
      for (const b of [a1, a2, w1]) await b.close()
    }
  },
  { timeoutMs: 6000 }
)

test(
  'a header route takes precedence over the path',
  async () => {
    const api = await startBackend('api-1')
    const canary = await startBackend('canary-1')
    const web = await startBackend('web-1')
    const router = await startRouter({
      routes: ROUTES,
      pools: { api: [api.target], canary: [canary.target], web: [web.target] },
      defaultPool: 'web'
    })
    try {
      const r1 = await request(router.port, { path: '/api/x', headers: { 'X-Canary': '1' } })
      assert.equal(
        r1.json?.backend,
        'canary-1',
        `X-Canary: 1 matches the first route, so http://router/api/x goes to the canary pool; got ${r1.json?.backend}`
      )
      const r2 = await request(router.port, { path: '/home', headers: { 'X-Canary': '1' } })
      assert.equal(
        r2.json?.backend,
        'canary-1',
        `the header route has no path condition: /home goes to canary too; got ${r2.json?.backend}`
      )
      const r3 = await request(router.port, { path: '/api/x', headers: { 'X-Canary': 'yes' } })
      assert.equal(
        r3.json?.backend,
        'api-1',
        `X-Canary: yes is not the configured value '1', so the /api route applies; got ${r3.json?.backend}`
      )
    } finally {
      await router.close()
      for (const b of [api, canary, web]) await b.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'X-Forwarded-For, X-Forwarded-Proto and Forwarded are added (appended to what came in)',
  async () => {
    const web = await startBackend('web-1')
    const router = await startRouter({ routes: [], pools: { web: [web.target] }, defaultPool: 'web' })
    try {
      const fresh = await request(router.port, { path: '/' })
      const h1 = fresh.json?.headers ?? {}
      assert.equal(
        h1['x-forwarded-for'],
        '127.0.0.1',
        `with no X-Forwarded-For from the client, send just the client's address; got ${h1['x-forwarded-for']}`
      )
      assert.equal(
        h1['x-forwarded-proto'],
        'http',
        `the client spoke plain HTTP to you: X-Forwarded-Proto: http; got ${h1['x-forwarded-proto']}`
      )
      assert.equal(
        h1.forwarded,
        `for=127.0.0.1;host="127.0.0.1:${router.port}";proto=http`,
        `expected Forwarded: for=127.0.0.1;host="127.0.0.1:${router.port}";proto=http (the Host value has a ':' so it must be quoted), got ${h1.forwarded}`
      )
      const chained = await request(router.port, {
        path: '/',
        headers: {
          host: 'shop.example.test',
          'x-forwarded-for': '203.0.113.7',
          forwarded: 'for=203.0.113.7;proto=https'
        }
      })
      const h2 = chained.json?.headers ?? {}
      assert.equal(
        h2['x-forwarded-for'],
        '203.0.113.7, 127.0.0.1',
        `append your client's address to the existing list: expected '203.0.113.7, 127.0.0.1', got ${h2['x-forwarded-for']}`
      )
      assert.equal(
        h2.forwarded,
        'for=203.0.113.7;proto=https, for=127.0.0.1;host=shop.example.test;proto=http',
        `append a new element after ', ' and keep the earlier proxies' elements; got ${h2.forwarded}`
      )
    } finally {
      await router.close()
      await web.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'hop-by-hop request fields stop at the proxy, end-to-end ones pass',
  async () => {
    const web = await startBackend('web-1')
    const router = await startRouter({ routes: [], pools: { web: [web.target] }, defaultPool: 'web' })
    try {
      const reply = await request(router.port, {
        path: '/',
        headers: {
          connection: 'close, X-Trace-Hop',
          'x-trace-hop': 'for-the-proxy-only',
          'keep-alive': 'timeout=30',
          'proxy-connection': 'keep-alive',
          te: 'trailers',
          authorization: 'Bearer abc',
          'x-request-id': 'r-1'
        }
      })
      const h = reply.json?.headers ?? {}
      for (const name of ['x-trace-hop', 'keep-alive', 'proxy-connection', 'te']) {
        assert.equal(
          h[name],
          undefined,
          `the backend received '${name}: ${h[name]}'. It is hop-by-hop (listed in Connection, or always per RFC 9110 §7.6.1) and must be removed before forwarding`
        )
      }
      assert.ok(
        !String(h.connection ?? '')
          .toLowerCase()
          .includes('x-trace-hop'),
        `the client's Connection header must not be forwarded; the backend saw 'connection: ${h.connection}'`
      )
      assert.equal(h.authorization, 'Bearer abc', 'end-to-end fields like Authorization must reach the backend')
      assert.equal(h['x-request-id'], 'r-1', 'end-to-end fields like X-Request-Id must reach the backend')
    } finally {
      await router.close()
      await web.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'hop-by-hop response fields are stripped too',
  async () => {
    const web = await startBackend('web-1')
    const router = await startRouter({ routes: [], pools: { web: [web.target] }, defaultPool: 'web' })
    try {
      const reply = await request(router.port, { path: '/' })
      assert.equal(reply.headers['x-backend'], 'web-1', 'ordinary response headers (X-Backend) must reach the client')
      assert.equal(
        reply.headers['x-backend-hop'],
        undefined,
        "the backend's response said 'Connection: x-backend-hop', which makes X-Backend-Hop hop-by-hop: strip it from the response as well"
      )
    } finally {
      await router.close()
      await web.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'a request body is streamed through unchanged',
  async () => {
    const web = await startBackend('web-1')
    const router = await startRouter({ routes: [], pools: { web: [web.target] }, defaultPool: 'web' })
    try {
      const body = randomBytes(48 * 1024).toString('hex')
      const reply = await request(router.port, {
        method: 'PUT',
        path: '/upload',
        headers: { 'content-type': 'text/plain' },
        body
      })
      assert.equal(reply.json?.method, 'PUT', `the method must be kept, backend saw ${reply.json?.method}`)
      assert.equal(
        reply.json?.body.length,
        body.length,
        `the backend got ${reply.json?.body.length} body bytes of ${body.length}: pipe the request into the upstream request`
      )
      assert.ok(reply.json?.body === body, 'the body arrived changed')
    } finally {
      await router.close()
      await web.close()
    }
  },
  { timeoutMs: 6000 }
)

test(
  'one dead backend in a pool: 502 for its turn, the router keeps serving',
  async () => {
    const live = await startBackend('web-1')
    const router = await startRouter({
      routes: [],
      pools: { web: [live.target, { host: '127.0.0.1', port: await deadPort() }] },
      defaultPool: 'web'
    })
    try {
      const statuses: number[] = []
      for (let i = 0; i < 4; i++) statuses.push((await request(router.port, { path: `/r${i}` })).status)
      assert.deepEqual(
        statuses,
        [200, 502, 200, 502],
        `round robin over [live, dead] should give 200 502 200 502, got ${statuses.join(' ')}: an upstream connect error becomes a 502 for that request only`
      )
    } finally {
      await router.close()
      await live.close()
    }
  },
  { timeoutMs: 6000 }
)

test('a path prefix matches the path alone: a query right after it still matches', () => {
  const routes: Route[] = [{ pathPrefix: '/api', pool: 'api' }]
  for (const [url, pool] of [
    ['/api?limit=2', 'api'],
    ['/api/?x=1', 'api'],
    ['/apix?limit=2', 'web'],
    ['/?to=/api', 'web']
  ] as const) {
    assert.equal(
      matchRoute(routes, 'web', url, {}),
      pool,
      `matchRoute for ${url} should give '${pool}': compare the prefix with the path only (the part before '?'), and match it whole or followed by '/'`
    )
  }
})
