import assert from 'node:assert/strict'
import http from 'node:http'
import { test } from 'retransmit:test'
import { TokenBucket, startRateLimitedServer } from './solution'

/** A clock the test moves by hand: no real sleeps anywhere. */
function fakeClock(start = 0) {
  const clock = { t: start, now: () => clock.t }
  return clock
}

function get(
  port: number,
  headers: Record<string, string> = {}
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/', method: 'GET', headers, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

test('a new bucket starts full and admits exactly `capacity` requests', () => {
  const clock = fakeClock()
  const bucket = new TokenBucket({ capacity: 3, refillIntervalMs: 1000, now: clock.now })
  for (let i = 1; i <= 3; i++) {
    assert.equal(
      bucket.tryTake(),
      true,
      `take #${i} of 3 from a full bucket (capacity 3) was refused: the bucket must start full`
    )
  }
  assert.equal(
    bucket.tryTake(),
    false,
    'a 4th take at the same instant succeeded: with the clock standing still the bucket (capacity 3) must be empty after 3 takes'
  )
})

test('refill is continuous: half an interval gives half a token', () => {
  const clock = fakeClock()
  const bucket = new TokenBucket({ capacity: 2, refillIntervalMs: 1000, now: clock.now })
  assert.ok(bucket.tryTake() && bucket.tryTake(), 'could not take 2 tokens from a full bucket of capacity 2')
  clock.t = 500
  assert.equal(
    bucket.available(),
    0.5,
    `after 500 ms with one token per 1000 ms, available() should be 0.5, got ${bucket.available()}: refill by elapsed / refillIntervalMs`
  )
  assert.equal(
    bucket.tryTake(),
    false,
    'took a whole token when only half a token had accrued (t = 500 ms, one token per 1000 ms)'
  )
  clock.t = 1000
  assert.equal(
    bucket.tryTake(),
    true,
    'at t = 1000 ms a whole token has accrued (one per 1000 ms) but tryTake() refused it'
  )
})

test('the bucket never holds more than its capacity', () => {
  const clock = fakeClock()
  const bucket = new TokenBucket({ capacity: 4, refillIntervalMs: 100, now: clock.now })
  bucket.tryTake()
  clock.t = 1_000_000
  assert.equal(
    bucket.available(),
    4,
    `after a long idle period available() should be capped at capacity 4, got ${bucket.available()}`
  )
  let taken = 0
  while (taken < 100 && bucket.tryTake()) taken++
  assert.equal(
    taken,
    4,
    `an idle bucket of capacity 4 admitted ${taken} requests in one burst: the cap must apply to the balance, not only to what available() reports`
  )
})

test('msUntil says how long until the next token', () => {
  const clock = fakeClock()
  const bucket = new TokenBucket({ capacity: 2, refillIntervalMs: 250, now: clock.now })
  assert.equal(bucket.msUntil(), 0, `msUntil() on a full bucket should be 0, got ${bucket.msUntil()}`)
  bucket.tryTake()
  bucket.tryTake()
  assert.equal(
    bucket.msUntil(),
    250,
    `empty bucket, one token per 250 ms: msUntil() should be 250, got ${bucket.msUntil()}`
  )
  clock.t = 100
  assert.equal(bucket.msUntil(), 150, `100 ms later msUntil() should be 150, got ${bucket.msUntil()}`)
  assert.equal(
    bucket.msUntil(2),
    400,
    `100 ms after emptying, two tokens are 400 ms away; msUntil(2) returned ${bucket.msUntil(2)}`
  )
  assert.equal(
    bucket.msUntil(3),
    Infinity,
    `msUntil(3) on a bucket of capacity 2 can never be satisfied and should be Infinity, got ${bucket.msUntil(3)}`
  )
})

test('a greedy client gets one burst, then the refill rate', () => {
  const clock = fakeClock()
  // capacity 10, one token per 200 ms (5 per second)
  const bucket = new TokenBucket({ capacity: 10, refillIntervalMs: 200, now: clock.now })
  const points: Array<[number, number]> = []
  let admitted = 0
  for (clock.t = 0; clock.t <= 2000; clock.t += 100) {
    // The client asks as often as it is allowed (the guard stops a bucket that never says no).
    for (let i = 0; i < 50 && bucket.tryTake(); i++) admitted++
    points.push([clock.t, admitted])
  }
  console.log(
    'RETRANSMIT_SERIES ' +
      JSON.stringify({ name: 'admitted (capacity 10, 5 tokens/s)', x: 'ms', y: 'requests admitted', points })
  )
  const at = (t: number) => points.find(([x]) => x === t)?.[1]
  assert.equal(at(0), 10, `at t = 0 a full bucket of 10 should admit a burst of 10, got ${at(0)}`)
  assert.equal(at(1000), 15, `by t = 1000 ms: 10 (burst) + 1000 / 200 = 15 admitted in total; got ${at(1000)}`)
  assert.equal(at(2000), 20, `by t = 2000 ms: b + r*T = 10 + 5 * 2 = 20 admitted in total; got ${at(2000)}`)
})

test(
  'the server answers a burst with 200s up to capacity, then 429 with Retry-After',
  async () => {
    const clock = fakeClock()
    const server = await startRateLimitedServer({ capacity: 5, refillIntervalMs: 1000, now: clock.now })
    try {
      const replies = await Promise.all(Array.from({ length: 8 }, () => get(server.port)))
      const ok = replies.filter((r) => r.status === 200)
      const limited = replies.filter((r) => r.status === 429)
      assert.equal(
        ok.length,
        5,
        `a burst of 8 requests against capacity 5 gave ${ok.length} 200s (statuses: ${replies.map((r) => r.status).join(', ')}); expected exactly 5`
      )
      assert.equal(
        limited.length,
        3,
        `expected the 3 requests over capacity to get 429 Too Many Requests, got statuses ${replies.map((r) => r.status).join(', ')}`
      )
      assert.equal(ok[0]?.body, 'ok\n', `a 200 should have the body "ok\\n", got ${JSON.stringify(ok[0]?.body)}`)
      for (const r of limited) {
        assert.equal(
          r.headers['retry-after'],
          '1',
          `a 429 one full second (1000 ms) before the next token should carry "Retry-After: 1", got ${JSON.stringify(r.headers['retry-after'])}`
        )
      }
    } finally {
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)
