import assert from 'node:assert/strict'
import { test } from 'retransmit:test'
import { simulateReno, cubicK, cubicWindow, type RenoEvent, type RenoState } from './solution'

const ack = (count = 1): RenoEvent => ({ type: 'ack', count })
const dupack = (count = 1): RenoEvent => ({ type: 'dupack', count })
const timeout: RenoEvent = { type: 'timeout' }
const show = (s: RenoState | undefined) => (s ? `cwnd=${s.cwnd} ssthresh=${s.ssthresh} phase=${s.phase}` : 'no state')

test('slow start: one segment per ACK, from the RFC 6928 initial window of 10', () => {
  const states = simulateReno([ack(), ack(9)])
  assert.equal(states.length, 2, `return one state per event: 2 events in, got ${states.length} states`)
  assert.equal(
    states[0]?.cwnd,
    11,
    `after 1 ACK from the default initial window (10), cwnd should be 11; got ${show(states[0])}`
  )
  assert.equal(
    states[1]?.cwnd,
    20,
    `after 10 ACKs in slow start cwnd should double to 20 (one SMSS per ACK, RFC 5681 §3.1); got ${show(states[1])}`
  )
  assert.equal(
    states[1]?.ssthresh,
    Infinity,
    'ssthresh starts "arbitrarily high" (Infinity here) and only a loss lowers it'
  )
  assert.equal(states[1]?.phase, 'slow-start', `phase: cwnd below ssthresh means slow start; got ${states[1]?.phase}`)
})

test('congestion avoidance: one segment per window of ACKs once cwnd reaches ssthresh', () => {
  const states = simulateReno([ack(7), ack(8), ack(8), ack(1)], { initialCwnd: 1, initialSsthresh: 8 })
  assert.equal(states[0]?.cwnd, 8, `7 slow-start ACKs take cwnd from 1 to 8 = ssthresh; got ${show(states[0])}`)
  assert.equal(
    states[0]?.phase,
    'congestion-avoidance',
    `at cwnd = ssthresh this simulator uses congestion avoidance; got ${states[0]?.phase}`
  )
  assert.equal(
    states[1]?.cwnd,
    9,
    `8 ACKs (a full window of 8) add one segment: 8 -> 9; got ${show(states[1])}. Count ACKed segments and grow by 1 when the count reaches cwnd.`
  )
  assert.equal(
    states[2]?.cwnd,
    9,
    `8 more ACKs are not yet a full window of 9, so cwnd stays 9; got ${show(states[2])}`
  )
  assert.equal(states[3]?.cwnd, 10, `the 9th ACK completes the window of 9: 9 -> 10; got ${show(states[3])}`)
})

test('three duplicate ACKs: fast retransmit and fast recovery halve the window (RFC 5681 §3.2)', () => {
  const s = simulateReno([dupack(), dupack(), dupack(), dupack(), ack()], { initialCwnd: 20, initialSsthresh: 16 })
  assert.equal(s[0]?.cwnd, 20, `1 duplicate ACK changes nothing; got ${show(s[0])}`)
  assert.equal(s[1]?.cwnd, 20, `2 duplicate ACKs change nothing; got ${show(s[1])}`)
  assert.equal(
    s[2]?.ssthresh,
    10,
    `the 3rd duplicate ACK sets ssthresh = max(FlightSize/2, 2) = 20/2 = 10; got ${show(s[2])}`
  )
  assert.equal(
    s[2]?.cwnd,
    13,
    `... and cwnd = ssthresh + 3 = 13 (the 3 segments that left the network); got ${show(s[2])}`
  )
  assert.equal(s[2]?.phase, 'fast-recovery', `phase after the 3rd duplicate ACK: fast-recovery; got ${s[2]?.phase}`)
  assert.equal(s[3]?.cwnd, 14, `each further duplicate ACK inflates cwnd by 1: 14; got ${show(s[3])}`)
  assert.equal(
    s[4]?.cwnd,
    10,
    `the ACK of new data ends recovery: cwnd = ssthresh = 10 (halved, not reset); got ${show(s[4])}`
  )
  assert.equal(
    s[4]?.phase,
    'congestion-avoidance',
    `after recovery cwnd = ssthresh, so congestion avoidance; got ${s[4]?.phase}`
  )
})

test('a retransmission timeout drops cwnd to one segment and slow-starts again', () => {
  const s = simulateReno([timeout, ack(), ack(8), ack(1)], { initialCwnd: 20, initialSsthresh: 16 })
  assert.equal(s[0]?.ssthresh, 10, `timeout: ssthresh = max(FlightSize/2, 2) = 10; got ${show(s[0])}`)
  assert.equal(s[0]?.cwnd, 1, `timeout: cwnd = the loss window, 1 segment (RFC 5681 §3.1); got ${show(s[0])}`)
  assert.equal(s[0]?.phase, 'slow-start', `after a timeout the sender is in slow start; got ${s[0]?.phase}`)
  assert.equal(s[1]?.cwnd, 2, `slow start again: 1 -> 2; got ${show(s[1])}`)
  assert.equal(s[2]?.cwnd, 10, `8 more ACKs: 2 -> 10 = ssthresh; got ${show(s[2])}`)
  assert.equal(s[3]?.cwnd, 10, `at ssthresh growth becomes linear: 1 ACK does not add a segment; got ${show(s[3])}`)
})

test('CUBIC: K and W(t) for W_max = 100, cwnd_epoch = 70', () => {
  const k = cubicK(100, 70)
  assert.ok(
    Math.abs(k - Math.cbrt(75)) < 1e-9,
    `K = cbrt((W_max - cwnd_epoch) / C) = cbrt(30 / 0.4) = cbrt(75) = 4.2172 s; got ${k}`
  )
  const at = (t: number) => cubicWindow(t, 100, 70)
  assert.ok(
    Math.abs(at(0) - 70) < 1e-9,
    `W(0) must equal cwnd_epoch (70): the curve starts where the cut left the window; got ${at(0)}`
  )
  assert.ok(
    Math.abs(at(k) - 100) < 1e-9,
    `W(K) must equal W_max (100): K is when the window is back where the loss happened; got ${at(k)}`
  )
  assert.ok(
    Math.abs(at(2 * k) - 130) < 1e-9,
    `W(2K) = 0.4 K^3 + 100 = 0.4 * 75 + 100 = 130 (probing beyond W_max); got ${at(2 * k)}`
  )
})

test('the Reno sawtooth, event by event (plotted)', () => {
  const events: RenoEvent[] = [
    ack(1),
    ack(2),
    ack(4),
    ack(8),
    ack(16),
    dupack(3),
    ack(),
    ack(16),
    ack(17),
    ack(18),
    timeout,
    ack(1),
    ack(2),
    ack(4),
    ack(8),
    ack(9)
  ]
  const states = simulateReno(events, { initialCwnd: 1 })
  const cwnds = states.map((s) => s.cwnd)
  const points = [[0, 1], ...cwnds.map((c, i) => [i + 1, c])]
  console.log(`RETRANSMIT_SERIES ${JSON.stringify({ name: 'cwnd (Reno)', x: 'event', y: 'segments', points })}`)
  const expected = [2, 4, 8, 16, 32, 19, 16, 17, 18, 19, 1, 2, 4, 8, 9, 10]
  assert.deepEqual(
    cwnds,
    expected,
    `cwnd after each event: expected ${expected.join(' ')}\n got ${cwnds.join(' ')}\n(slow start doubles per window, 3 dupacks at 32 -> ssthresh 16, cwnd 19, new ACK -> 16, +1 per window, timeout at 19 -> ssthresh 9, cwnd 1)`
  )
})
