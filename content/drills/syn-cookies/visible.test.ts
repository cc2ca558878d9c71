import assert from 'node:assert/strict'
import { test } from 'retransmit:test'
import { MSS_TABLE, mssIndex, makeCookie, checkAck, type Connection } from './solution'

const PERIOD = 64_000
const secret = Buffer.from('a3f1c2d4e5b6978812233445566778899aabbccddeeff00112233445566778', 'hex')
const conn: Connection = { clientAddr: '192.0.2.10', clientPort: 51514, serverAddr: '198.51.100.7', serverPort: 443 }

function clockAt(t: number) {
  const clock = { t, now: () => clock.t }
  return clock
}

const hex = (n: number) => '0x' + (n >>> 0).toString(16).padStart(8, '0')

test('mssIndex picks the largest table entry that fits', () => {
  assert.equal(MSS_TABLE.length, 8, 'MSS_TABLE must keep its 8 entries: 3 bits select one of 8')
  const cases: Array<[number, number]> = [
    [1460, 7],
    [9000, 7],
    [1400, 4],
    [1450, 5],
    [1220, 1],
    [1000, 0],
    [300, 0]
  ]
  for (const [mss, expected] of cases) {
    assert.equal(
      mssIndex(mss),
      expected,
      `mssIndex(${mss}) should be ${expected} (${MSS_TABLE[expected]}), the largest entry <= ${mss}; got ${mssIndex(mss)}`
    )
  }
})

test('the cookie has the classic layout: 5 bits of counter, 3 bits of MSS index, 24 bits of hash', () => {
  const clock = clockAt(37 * PERIOD + 1234) // counter 37, so the cookie carries 37 % 32 = 5
  const cookie = makeCookie({ secret, now: clock.now }, conn, 0x12345678, 1400)
  assert.ok(
    Number.isInteger(cookie) && cookie >= 0 && cookie <= 0xffffffff,
    `a cookie must be an unsigned 32-bit integer, got ${cookie} (did you forget >>> 0?)`
  )
  assert.equal(
    cookie >>> 27,
    5,
    `top 5 bits should be the counter mod 32 = 5 (now = ${clock.t} ms, counter = floor(now / 64000) = 37); cookie ${hex(cookie)} has ${cookie >>> 27}`
  )
  assert.equal(
    (cookie >>> 24) & 7,
    4,
    `bits 24..26 should be the MSS index 4 (1400); cookie ${hex(cookie)} has ${(cookie >>> 24) & 7}`
  )
  const again = makeCookie({ secret, now: clock.now }, conn, 0x12345678, 1400)
  assert.equal(
    again,
    cookie,
    `the same SYN at the same time must give the same cookie (pure function): ${hex(cookie)} then ${hex(again)}`
  )
  const otherIsn = makeCookie({ secret, now: clock.now }, conn, 0x12345679, 1400)
  assert.notEqual(
    otherIsn & 0xffffff,
    cookie & 0xffffff,
    'changing the client ISN did not change the 24 hash bits: hash the client ISN too'
  )
})

test('a genuine ACK passes and gives back the MSS and the client ISN', () => {
  const clock = clockAt(1_000_000)
  const options = { secret, now: clock.now }
  const clientIsn = 0x0badf00d
  const cookie = makeCookie(options, conn, clientIsn, 1460)
  clock.t += 2_000 // the ACK arrives a round trip later
  const result = checkAck(options, conn, { seq: (clientIsn + 1) >>> 0, ack: (cookie + 1) >>> 0 })
  assert.deepEqual(
    result,
    { ok: true, mss: 1460, clientIsn },
    `checkAck on seq = ISN + 1, ack = cookie + 1 should succeed with mss 1460 and the client ISN; got ${JSON.stringify(result)}`
  )
})

test('a cookie with a changed hash bit is forged', () => {
  const clock = clockAt(5 * PERIOD)
  const options = { secret, now: clock.now }
  const cookie = makeCookie(options, conn, 1000, 1460)
  const tampered = (cookie ^ 1) >>> 0
  const result = checkAck(options, conn, { seq: 1001, ack: (tampered + 1) >>> 0 })
  assert.deepEqual(
    result,
    { ok: false, reason: 'forged' },
    `flipping the lowest hash bit of ${hex(cookie)} must be rejected as 'forged'; got ${JSON.stringify(result)}`
  )
})

test('a cookie three periods old is stale', () => {
  const clock = clockAt(10 * PERIOD)
  const options = { secret, now: clock.now }
  const cookie = makeCookie(options, conn, 42, 536)
  clock.t += 3 * PERIOD
  const result = checkAck(options, conn, { seq: 43, ack: (cookie + 1) >>> 0 })
  assert.deepEqual(
    result,
    { ok: false, reason: 'stale' },
    `a cookie made at counter 10 and returned at counter 13 (age 3, only 0 or 1 allowed) must be 'stale'; got ${JSON.stringify(result)}`
  )
})
