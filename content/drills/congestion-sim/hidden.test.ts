import assert from 'node:assert/strict'
import { test } from 'retransmit:test'
import { simulateReno, cubicK, cubicWindow, cubicOnCongestion, type RenoEvent, type RenoState } from './solution'

const ack = (count = 1): RenoEvent => ({ type: 'ack', count })
const dupack = (count = 1): RenoEvent => ({ type: 'dupack', count })
const timeout: RenoEvent = { type: 'timeout' }
const show = (s: RenoState | undefined) =>
  s ? `cwnd=${s.cwnd} ssthresh=${s.ssthresh} phase=${s.phase} dupAcks=${s.dupAcks}` : 'no state'
const near = (a: number | undefined, b: number) => a !== undefined && Math.abs(a - b) < 1e-9

test('duplicate ACKs must be three in a row: a new ACK resets the count', () => {
  const s = simulateReno([dupack(2), ack(), dupack(2)], { initialCwnd: 20, initialSsthresh: 16 })
  assert.equal(s[0]?.dupAcks, 2, `after 2 duplicate ACKs dupAcks = 2; got ${show(s[0])}`)
  assert.equal(s[1]?.dupAcks, 0, `an ACK of new data resets the duplicate count to 0; got ${show(s[1])}`)
  assert.equal(
    s[2]?.phase,
    'congestion-avoidance',
    `2 + 2 duplicates split by a new ACK are not 3 in a row: no fast retransmit; got ${show(s[2])}`
  )
  assert.equal(s[2]?.cwnd, 20, `cwnd must be unchanged without a loss signal; got ${show(s[2])}`)
})

test('ssthresh never goes below 2 segments', () => {
  const a = simulateReno([dupack(3)], { initialCwnd: 3, initialSsthresh: 2 })
  assert.equal(a[0]?.ssthresh, 2, `FlightSize 3: max(floor(3/2), 2) = 2; got ${show(a[0])}`)
  assert.equal(a[0]?.cwnd, 5, `cwnd = ssthresh + 3 = 5; got ${show(a[0])}`)
  const b = simulateReno([timeout, timeout], { initialCwnd: 2, initialSsthresh: 2 })
  assert.equal(
    b[0]?.ssthresh,
    2,
    `timeout at cwnd 2: ssthresh = max(1, 2) = 2 (RFC 5681 equation 4); got ${show(b[0])}`
  )
  assert.equal(
    b[1]?.ssthresh,
    2,
    `a second timeout at cwnd 1 keeps ssthresh at the floor of 2, not 0; got ${show(b[1])}`
  )
  assert.equal(b[1]?.cwnd, 1, `cwnd after a timeout is 1; got ${show(b[1])}`)
})

test('odd windows round down: 25 in flight -> ssthresh 12', () => {
  const s = simulateReno([dupack(3), ack()], { initialCwnd: 25, initialSsthresh: 20 })
  assert.equal(s[0]?.ssthresh, 12, `max(floor(25/2), 2) = 12; got ${show(s[0])}`)
  assert.equal(s[0]?.cwnd, 15, `cwnd = 12 + 3 = 15; got ${show(s[0])}`)
  assert.equal(s[1]?.cwnd, 12, `new ACK: cwnd = ssthresh = 12; got ${show(s[1])}`)
})

test('counts expand: {dupack, count: 5} and {ack, count: 11} act like 5 and 11 single events', () => {
  const grouped = simulateReno([dupack(5), ack(11)], { initialCwnd: 20, initialSsthresh: 16 })
  const single = simulateReno(
    [...Array(5).fill({ type: 'dupack' }), ...Array(11).fill({ type: 'ack' })] as RenoEvent[],
    { initialCwnd: 20, initialSsthresh: 16 }
  )
  assert.equal(grouped.length, 2, `one state per event even when the event has a count; got ${grouped.length}`)
  assert.equal(
    grouped[0]?.cwnd,
    15,
    `5 dupacks: 3rd -> cwnd 13 (ssthresh 10), 4th and 5th inflate to 15; got ${show(grouped[0])}`
  )
  assert.equal(
    grouped[1]?.cwnd,
    11,
    `11 ACKs: the 1st ends recovery (cwnd 10), the next 10 are a full window in congestion avoidance -> 11; got ${show(grouped[1])}`
  )
  assert.deepEqual(
    grouped[1],
    single[single.length - 1],
    `grouped and single events must end in the same state: ${show(grouped[1])} vs ${show(single[single.length - 1])}`
  )
})

test('a timeout during fast recovery: FlightSize is what was outstanding, not the inflated cwnd', () => {
  const s = simulateReno([dupack(3), dupack(5), timeout], { initialCwnd: 20, initialSsthresh: 16 })
  assert.equal(s[1]?.cwnd, 18, `inflated: 13 + 5 = 18; got ${show(s[1])}`)
  assert.equal(
    s[2]?.ssthresh,
    10,
    `20 segments were outstanding when recovery began and duplicate ACKs do not ACK them, so FlightSize is still 20: ssthresh = 10, not floor(18/2) = 9; got ${show(s[2])}`
  )
  assert.equal(s[2]?.cwnd, 1, `timeout: cwnd = 1; got ${show(s[2])}`)
  assert.equal(s[2]?.phase, 'slow-start', `a timeout ends fast recovery: slow-start; got ${s[2]?.phase}`)
  assert.equal(s[2]?.dupAcks, 0, `a timeout clears the duplicate ACK count; got ${show(s[2])}`)
})

test('CUBIC multiplicative decrease: beta 0.7, fast convergence and the 2-segment floor', () => {
  const first = cubicOnCongestion(100, 0)
  assert.ok(
    near(first.wMax, 100) && near(first.cwnd, 70) && near(first.ssthresh, 70),
    `loss at 100 with no earlier W_max: W_max = 100, ssthresh = cwnd = 0.7 x 100 = 70; got ${JSON.stringify(first)}`
  )
  assert.ok(near(first.k, Math.cbrt(75)), `K = cbrt((100 - 70) / 0.4) = cbrt(75); got ${first.k}`)
  const again = cubicOnCongestion(80, 100)
  assert.ok(
    near(again.wMax, 68),
    `loss at 80 below the previous W_max 100: fast convergence sets W_max = 80 x (1 + 0.7) / 2 = 68 (RFC 9438 §4.7); got ${again.wMax}`
  )
  assert.ok(near(again.cwnd, 56), `cwnd = 0.7 x 80 = 56; got ${again.cwnd}`)
  assert.ok(near(again.k, Math.cbrt(30)), `K = cbrt((68 - 56) / 0.4) = cbrt(30); got ${again.k}`)
  const higher = cubicOnCongestion(120, 100)
  assert.ok(
    near(higher.wMax, 120),
    `a loss above the previous W_max is no sign of lost share: W_max = cwnd = 120; got ${higher.wMax}`
  )
  const tiny = cubicOnCongestion(2, 0)
  assert.ok(
    near(tiny.ssthresh, 2) && near(tiny.cwnd, 2),
    `0.7 x 2 = 1.4 is below the floor: ssthresh and cwnd stay at 2 segments (RFC 9438 §4.6); got ${JSON.stringify(tiny)}`
  )
})

test('CUBIC is concave below W_max and convex above it (plotted)', () => {
  const k = cubicK(100, 70)
  const before = cubicWindow(k - 1, 100, 70)
  const after = cubicWindow(k + 1, 100, 70)
  assert.ok(
    near(before, 99.6),
    `one second before K: 100 - 0.4 = 99.6 (it slows down as it nears W_max); got ${before}`
  )
  assert.ok(
    near(after, 100.4),
    `one second after K: 100 + 0.4 = 100.4 (it probes slowly at first, then faster); got ${after}`
  )
  const points: [number, number][] = []
  for (let t = 0; t <= 8; t += 0.5) points.push([t, Math.round(cubicWindow(t, 100, 70) * 100) / 100])
  console.log(
    `RETRANSMIT_SERIES ${JSON.stringify({ name: 'W_cubic(t), W_max = 100', x: 'seconds', y: 'segments', points })}`
  )
  assert.ok(
    points.every(([, w], i) => i === 0 || w > points[i - 1]![1]),
    'W_cubic(t) must grow for every t: it is a cubic with a positive coefficient'
  )
})
