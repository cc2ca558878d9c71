import assert from 'node:assert/strict'
import { test } from 'retransmit:test'
import { makeCookie, checkAck, type Connection } from './solution'

const PERIOD = 64_000
const secret = Buffer.from('0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0', 'hex')
const conn: Connection = { clientAddr: '203.0.113.5', clientPort: 40000, serverAddr: '198.51.100.1', serverPort: 80 }

function clockAt(t: number) {
  const clock = { t, now: () => clock.t }
  return clock
}

const hex = (n: number) => '0x' + (n >>> 0).toString(16).padStart(8, '0')
const ackFor = (cookie: number, isn: number) => ({ seq: (isn + 1) >>> 0, ack: (cookie + 1) >>> 0 })

/** Small seeded PRNG (mulberry32) so the forgery test is the same every run. */
function prng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

test('the hash covers every field of the 4-tuple, the client ISN and the secret', () => {
  const clock = clockAt(7 * PERIOD)
  const options = { secret, now: clock.now }
  const isn = 777
  const cookie = makeCookie(options, conn, isn, 1460)
  const variants: Array<[string, Connection, number]> = [
    ['client address', { ...conn, clientAddr: '203.0.113.6' }, isn],
    ['client port', { ...conn, clientPort: 40001 }, isn],
    ['server address', { ...conn, serverAddr: '198.51.100.2' }, isn],
    ['server port', { ...conn, serverPort: 8080 }, isn],
    ['client ISN', conn, isn + 5]
  ]
  for (const [what, c, i] of variants) {
    const result = checkAck(options, c, ackFor(cookie, i))
    assert.deepEqual(
      result,
      { ok: false, reason: 'forged' },
      `a cookie made for one connection was accepted when the ${what} changed; got ${JSON.stringify(result)}. Put the ${what} into the HMAC input`
    )
  }
  const otherServer = { secret: Buffer.alloc(32, 7), now: clock.now }
  const result = checkAck(otherServer, conn, ackFor(cookie, isn))
  assert.deepEqual(
    result,
    { ok: false, reason: 'forged' },
    `a server with a different secret accepted the cookie (${JSON.stringify(result)}): the hash must be keyed with options.secret`
  )
})

test('a cookie from the previous period is still accepted; two periods old is stale', () => {
  const clock = clockAt(20 * PERIOD + 63_999) // the last millisecond of counter 20
  const options = { secret, now: clock.now }
  const cookie = makeCookie(options, conn, 99, 1300)
  clock.t = 21 * PERIOD + 63_999 // counter 21: age 1
  const aged = checkAck(options, conn, ackFor(cookie, 99))
  assert.deepEqual(
    aged,
    { ok: true, mss: 1300, clientIsn: 99 },
    `a cookie from counter 20 returned during counter 21 (age 1) must be accepted; got ${JSON.stringify(aged)}. Did you hash with the current counter instead of current - age?`
  )
  clock.t = 22 * PERIOD // counter 22: age 2
  const old = checkAck(options, conn, ackFor(cookie, 99))
  assert.deepEqual(old, { ok: false, reason: 'stale' }, `age 2 must be 'stale'; got ${JSON.stringify(old)}`)
})

test('the 5-bit counter wraps: counter 31 then 32 is age 1, not stale', () => {
  const clock = clockAt(31 * PERIOD + 500) // counter 31, carried as 31
  const options = { secret, now: clock.now }
  const cookie = makeCookie(options, conn, 5, 1460)
  assert.equal(cookie >>> 27, 31, `counter 31 should appear as 31 in the top 5 bits; cookie ${hex(cookie)}`)
  clock.t = 32 * PERIOD + 500 // counter 32, carried as 0
  const result = checkAck(options, conn, ackFor(cookie, 5))
  assert.deepEqual(
    result,
    { ok: true, mss: 1460, clientIsn: 5 },
    `cookie bits say 31, the current counter is 32 (bits 0): the age is (0 - 31) mod 32 = 1, so it must pass; got ${JSON.stringify(result)}`
  )
})

test('a cookie exactly 32 periods old is rejected although its 5 counter bits match', () => {
  const clock = clockAt(3 * PERIOD)
  const options = { secret, now: clock.now }
  const cookie = makeCookie(options, conn, 1234, 1460)
  clock.t += 32 * PERIOD
  const result = checkAck(options, conn, ackFor(cookie, 1234))
  assert.equal(
    result.ok,
    false,
    `a cookie from counter 3 was accepted at counter 35 (both are 3 mod 32): hash the full counter, not just its 5 bits, so old cookies cannot be replayed; got ${JSON.stringify(result)}`
  )
})

test('sequence numbers wrap modulo 2^32', () => {
  const clock = clockAt(9 * PERIOD)
  const options = { secret, now: clock.now }
  const isn = 0xffffffff
  const cookie = makeCookie(options, conn, isn, 1440)
  const result = checkAck(options, conn, { seq: 0, ack: (cookie + 1) >>> 0 })
  assert.deepEqual(
    result,
    { ok: true, mss: 1440, clientIsn: 0xffffffff },
    `client ISN 0xffffffff makes the ACK's seq 0 (mod 2^32): subtract 1 with >>> 0 to get 0xffffffff back; got ${JSON.stringify(result)}`
  )
})

test('rewriting the MSS bits or the counter bits is detected', () => {
  const clock = clockAt(40 * PERIOD)
  const options = { secret, now: clock.now }
  const cookie = makeCookie(options, conn, 2024, 536) // MSS index 0
  const biggerMss = (cookie | (7 << 24)) >>> 0
  const r1 = checkAck(options, conn, ackFor(biggerMss, 2024))
  assert.deepEqual(
    r1,
    { ok: false, reason: 'forged' },
    `an attacker changed the MSS index from 0 to 7 and kept the hash; that must be 'forged' (put the MSS index into the HMAC), got ${JSON.stringify(r1)}`
  )
  const previousCounter = ((cookie & 0x07ffffff) | (((40 - 1) & 31) << 27)) >>> 0
  const r2 = checkAck(options, conn, ackFor(previousCounter, 2024))
  assert.deepEqual(
    r2,
    { ok: false, reason: 'forged' },
    `changing the counter bits to the previous period must fail the hash check ('forged'), got ${JSON.stringify(r2)}`
  )
})

test('random guesses with a valid counter are all rejected', () => {
  const clock = clockAt(50 * PERIOD + 10)
  const options = { secret, now: clock.now }
  const random = prng(2026)
  const genuine = makeCookie(options, conn, 31337, 1460)
  let accepted = 0
  for (let i = 0; i < 1000; i++) {
    const guess = (((50 & 31) << 27) | Math.floor(random() * 0x08000000)) >>> 0
    if (guess === genuine) continue
    const result = checkAck(options, conn, ackFor(guess, 31337))
    if (result.ok) accepted++
    else
      assert.equal(
        result.reason,
        'forged',
        `guess ${hex(guess)} has a current counter, so it should be 'forged', not '${result.reason}'`
      )
  }
  assert.equal(
    accepted,
    0,
    `${accepted} of 1000 random cookies with the right counter bits were accepted: compare all 24 hash bits`
  )
})

test('the hash fills all 24 bits: its top byte varies across connections', () => {
  const options = { secret, now: clockAt(50 * PERIOD).now }
  const topBytes = new Set<number>()
  for (let port = 40000; port < 40064; port++)
    topBytes.add((makeCookie(options, { ...conn, clientPort: port }, 31337, 1460) >>> 16) & 0xff)
  // 64 cookies from a 24-bit hash share a top hash byte by chance only rarely; all zero means 16 bits.
  assert.ok(
    topBytes.size > 8,
    `across 64 connections the hash's top byte took only ${topBytes.size} value(s) (${[...topBytes].map((b) => b.toString(16)).join(', ')}): keep 24 bits of the MAC, not fewer, or a blind forger's odds grow 256-fold per byte dropped`
  )
})
