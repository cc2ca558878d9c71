import assert from 'node:assert/strict'
import http from 'node:http'
import { test } from 'retransmit:test'
import { TokenBucket, startRateLimitedServer } from './solution'

function fakeClock(start = 0) {
  const clock = { t: start, now: () => clock.t }
  return clock
}

function get(
  port: number,
  options: { headers?: Record<string, string>; agent?: http.Agent | false } = {}
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/',
        method: 'GET',
        headers: options.headers ?? {},
        agent: options.agent ?? false
      },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (body += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      }
    )
    req.on('error', reject)
    req.end()
  })
}

test('refill is exact: no drift however often the bucket is asked', () => {
  const clock = fakeClock()
  const bucket = new TokenBucket({ capacity: 1, refillIntervalMs: 300, now: clock.now })
  assert.equal(bucket.tryTake(), true, 'the first take from a full bucket was refused')
  for (clock.t = 1; clock.t < 300; clock.t++) {
    assert.equal(bucket.tryTake(), false, `a token came back early, at t = ${clock.t} ms (one token per 300 ms)`)
  }
  clock.t = 300
  assert.equal(
    bucket.tryTake(),
    true,
    'polled every millisecond, the token was still missing at t = 300 ms. Adding elapsed/300 to a float each call drifts (1/300 added 300 times is 0.9999999999999961): keep the balance in integer units'
  )
})

test('tryTake(n) is all or nothing', () => {
  const clock = fakeClock()
  const bucket = new TokenBucket({ capacity: 5, refillIntervalMs: 1000, now: clock.now })
  assert.equal(bucket.tryTake(3), true, 'tryTake(3) on a full bucket of 5 was refused')
  assert.equal(bucket.tryTake(3), false, 'tryTake(3) succeeded with only 2 tokens left')
  assert.equal(
    bucket.available(),
    2,
    `a refused tryTake(3) must take nothing; expected 2 tokens left, got ${bucket.available()}`
  )
  assert.equal(bucket.tryTake(2), true, 'tryTake(2) with exactly 2 tokens left was refused')
})

test('over any window T it admits at most capacity + T / interval', () => {
  const clock = fakeClock()
  // capacity 10, 5 tokens per second: in the first 2 s, 10 + 5 * 2 = 20.
  const bucket = new TokenBucket({ capacity: 10, refillIntervalMs: 200, now: clock.now })
  let admitted = 0
  for (clock.t = 0; clock.t <= 2000 && admitted <= 1000; clock.t++) {
    // (the guard stops a bucket that never says no from looping forever)
    for (let i = 0; i < 50 && bucket.tryTake(); i++) admitted++
  }
  assert.equal(
    admitted,
    20,
    `greedy client over 0..2000 ms, capacity 10, one token per 200 ms: expected b + r*T = 10 + 10 = 20 admitted, got ${admitted}`
  )
})

test('a clock that stands still adds nothing', () => {
  const clock = fakeClock(5_000)
  const bucket = new TokenBucket({ capacity: 2, refillIntervalMs: 50, now: clock.now })
  bucket.tryTake(2)
  for (let i = 0; i < 1000; i++) bucket.available()
  assert.equal(
    bucket.tryTake(),
    false,
    'the bucket refilled although now() never changed: only elapsed clock time may add tokens (and the bucket must use the injected clock, not Date.now())'
  )
  clock.t += 50
  assert.equal(bucket.tryTake(), true, '50 ms later (one token per 50 ms) the token was missing')
})

test('a clock that steps backwards takes nothing away', () => {
  const clock = fakeClock(5_000)
  const bucket = new TokenBucket({ capacity: 2, refillIntervalMs: 50, now: clock.now })
  bucket.tryTake(1)
  clock.t = 4_000 // wall clocks get corrected backwards (NTP); elapsed time is never negative
  assert.equal(
    bucket.tryTake(1),
    true,
    'one token was left, then the clock stepped back 1 s and the token was gone: treat a negative elapsed time as 0'
  )
})

test(
  'Retry-After counts whole seconds, rounded up',
  async () => {
    const clock = fakeClock()
    const server = await startRateLimitedServer({ capacity: 1, refillIntervalMs: 2500, now: clock.now })
    try {
      const first = await get(server.port)
      assert.equal(first.status, 200, `first request on a fresh bucket got ${first.status}, expected 200`)
      const cases: Array<[number, string]> = [
        [0, '3'],
        [200, '3'], // 2300 ms: to the nearest second that is 2, and a client back after 2 s is early
        [600, '2'],
        [1300, '2'], // 1200 ms: rounding to nearest says 1
        [1600, '1'],
        [2499, '1']
      ]
      for (const [t, expected] of cases) {
        clock.t = t
        const r = await get(server.port)
        assert.equal(
          r.status,
          429,
          `at t = ${t} ms the bucket (one token per 2500 ms) is still empty; expected 429, got ${r.status}`
        )
        assert.equal(
          r.headers['retry-after'],
          expected,
          `at t = ${t} ms the next token is ${2500 - t} ms away, so Retry-After should be ${expected} (seconds, rounded up, RFC 9110 §10.2.3); got ${JSON.stringify(r.headers['retry-after'])}`
        )
      }
      clock.t = 2500
      const again = await get(server.port)
      assert.equal(again.status, 200, `at t = 2500 ms a token is back; expected 200, got ${again.status}`)
    } finally {
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'each key has its own bucket',
  async () => {
    const clock = fakeClock()
    const server = await startRateLimitedServer({
      capacity: 2,
      refillIntervalMs: 1000,
      now: clock.now,
      keyOf: (req) => String(req.headers['x-api-key'] ?? 'anonymous')
    })
    try {
      const a = { headers: { 'x-api-key': 'alice' } }
      const b = { headers: { 'x-api-key': 'bob' } }
      const aliceStatuses = [await get(server.port, a), await get(server.port, a), await get(server.port, a)].map(
        (r) => r.status
      )
      assert.deepEqual(
        aliceStatuses,
        [200, 200, 429],
        `alice (capacity 2) should see 200, 200, 429; saw ${aliceStatuses.join(', ')}`
      )
      const bobStatus = (await get(server.port, b)).status
      assert.equal(
        bobStatus,
        200,
        `bob got ${bobStatus} after alice emptied her bucket: use options.keyOf(req) to pick a bucket per key`
      )
    } finally {
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'by default all requests from one address share a bucket, and it recovers as the clock moves',
  async () => {
    const clock = fakeClock()
    const server = await startRateLimitedServer({ capacity: 4, refillIntervalMs: 100, now: clock.now })
    const agent = new http.Agent({ keepAlive: true, maxSockets: 3 })
    try {
      const burst = await Promise.all(Array.from({ length: 7 }, () => get(server.port, { agent })))
      const ok = burst.filter((r) => r.status === 200).length
      assert.equal(
        ok,
        4,
        `7 requests over 3 keep-alive connections from 127.0.0.1 against capacity 4 gave ${ok} 200s: the default key is the client address, not the connection`
      )
      clock.t = 250
      const later = [
        await get(server.port, { agent }),
        await get(server.port, { agent }),
        await get(server.port, { agent })
      ].map((r) => r.status)
      assert.deepEqual(
        later,
        [200, 200, 429],
        `250 ms later (one token per 100 ms) two tokens have accrued; expected 200, 200, 429, got ${later.join(', ')}`
      )
    } finally {
      agent.destroy()
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)
