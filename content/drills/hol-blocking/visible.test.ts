import assert from 'node:assert/strict'
import { test } from 'retransmit:test'
import {
  startTcpMuxReceiver,
  sendTcpMux,
  startUdpStreamsReceiver,
  sendUdpStreams,
  completionReport,
  type StreamMessage
} from './solution'
import { createTcpHoleRelay, createUdpHoleRelay, roundRobin, waitFor, settle, label } from './hole-relays'

const labels = (log: StreamMessage[]) => log.map(label).join(' ')
const EXPECTED = { 1: 4, 2: 4, 3: 4 }
const FRAME = 10 + 24 // TCP frame header + payload, for the 24-byte payloads below

test(
  'TCP: all streams arrive over one connection, in the order sent',
  async () => {
    const log: StreamMessage[] = []
    const receiver = await startTcpMuxReceiver((m) => log.push(m))
    try {
      const messages = roundRobin([1, 2, 3], 3, 24)
      await sendTcpMux(receiver.port, messages)
      await waitFor(
        () => log.length >= 9,
        1000,
        () => `expected 9 messages, got ${log.length}: ${labels(log)}`
      )
      assert.equal(
        labels(log),
        labels(messages),
        `over one TCP connection everything arrives in the order it was sent.\n expected ${labels(messages)}\n got      ${labels(log)}`
      )
      assert.ok(
        log.every((m, i) => m.payload.equals(messages[i]!.payload)),
        'payloads must arrive byte for byte (without the 10-byte frame header)'
      )
    } finally {
      await receiver.close()
    }
  },
  { timeoutMs: 3000 }
)

test(
  'UDP: each stream is delivered in its own order',
  async () => {
    const log: StreamMessage[] = []
    const receiver = await startUdpStreamsReceiver((m) => log.push(m))
    try {
      const messages = roundRobin([1, 2, 3], 3, 24)
      await sendUdpStreams(receiver.port, messages)
      await waitFor(
        () => log.length >= 9,
        1000,
        () => `expected 9 messages, got ${log.length}: ${labels(log)}`
      )
      for (const stream of [1, 2, 3]) {
        const seqs = log.filter((m) => m.stream === stream).map((m) => m.seq)
        assert.deepEqual(
          seqs,
          [0, 1, 2],
          `stream ${stream}: expected seq 0, 1, 2 in order, got ${JSON.stringify(seqs)}`
        )
      }
      assert.ok(
        log.every((m) => m.payload.toString().startsWith(`s${m.stream}#${m.seq}:`)),
        'each payload must match its stream and seq (without the 6-byte datagram header)'
      )
    } finally {
      await receiver.close()
    }
  },
  { timeoutMs: 3000 }
)

test('completionReport counts deliveries and finds where each stream completed', () => {
  const m = (stream: number, seq: number): StreamMessage => ({ stream, seq, payload: Buffer.alloc(0) })
  const log = [m(1, 0), m(2, 0), m(2, 1), m(1, 1), m(3, 0)]
  const report = completionReport(log, { 1: 2, 2: 2, 3: 3 })
  assert.deepEqual(
    report,
    [
      { stream: 1, delivered: 2, completedAt: 4 },
      { stream: 2, delivered: 2, completedAt: 3 },
      { stream: 3, delivered: 1, completedAt: null }
    ],
    `one entry per expected stream, sorted by id; completedAt is the 1-based log position of the delivery that made the count reach the expected number (null if it never did). Got ${JSON.stringify(report)}`
  )
})

test(
  'TCP: one lost segment in stream 1 stalls every stream',
  async () => {
    const log: StreamMessage[] = []
    const receiver = await startTcpMuxReceiver((m) => log.push(m))
    const messages = roundRobin([1, 2, 3], 4, 24)
    const holeAt = 3 * FRAME // the segment carrying s1#1 is lost: s1#0 s2#0 s3#0 got through
    const relay = await createTcpHoleRelay(receiver.port, holeAt)
    try {
      await sendTcpMux(relay.port, messages)
      await relay.whenHeld(messages.length * FRAME - holeAt)
      await waitFor(
        () => log.length >= 3,
        1000,
        () => `the 3 frames before the hole should be delivered; got ${labels(log)}`
      )
      await settle(50)
      const during = completionReport(log, EXPECTED)
      assert.equal(
        relay.connections,
        1,
        `multiplex all streams over ONE TCP connection; the relay saw ${relay.connections}`
      )
      assert.deepEqual(
        during.map((r) => r.delivered),
        [1, 1, 1],
        `while stream 1's segment is missing, TCP holds every later byte: each stream has 1 message delivered. Got ${JSON.stringify(during)} (log: ${labels(log)})`
      )
      relay.release()
      await waitFor(
        () => log.length >= 12,
        1000,
        () => `after the retransmission all 12 should arrive; got ${labels(log)}`
      )
      const after = completionReport(log, EXPECTED)
      assert.deepEqual(
        after.map((r) => r.completedAt),
        [10, 11, 12],
        `the streams complete in send order at positions 10, 11, 12; got ${JSON.stringify(after)}`
      )
    } finally {
      await relay.close()
      await receiver.close()
    }
  },
  { timeoutMs: 4000 }
)

test(
  'UDP: one lost datagram in stream 1 stalls only stream 1',
  async () => {
    const log: StreamMessage[] = []
    const receiver = await startUdpStreamsReceiver((m) => log.push(m))
    const isS1Seq1 = (d: Buffer) => d.length >= 6 && d.readUInt16BE(0) === 1 && d.readUInt32BE(2) === 1
    const relay = await createUdpHoleRelay(receiver.port, isS1Seq1)
    try {
      await sendUdpStreams(relay.port, roundRobin([1, 2, 3], 4, 24))
      await waitFor(
        () => log.filter((m) => m.stream !== 1).length >= 8,
        1500,
        () =>
          `streams 2 and 3 lost nothing, so all their 8 messages should be delivered while s1#1 is missing; got ${labels(log)}. Is one stream's gap holding back the others?`
      )
      await settle(30)
      const during = completionReport(log, EXPECTED)
      assert.deepEqual(
        during.map((r) => r.delivered),
        [1, 4, 4],
        `during the loss: stream 1 has only s1#0 (s1#2 and s1#3 wait for s1#1), streams 2 and 3 are complete. Got ${JSON.stringify(during)} (log: ${labels(log)})`
      )
      relay.release()
      await waitFor(
        () => log.length >= 12,
        1000,
        () => `after the retransmission all 12 should arrive; got ${labels(log)}`
      )
      const after = completionReport(log, EXPECTED)
      assert.equal(
        after[0]?.completedAt,
        12,
        `stream 1 completes last, once s1#1 arrives and releases s1#2 and s1#3; got ${JSON.stringify(after)}`
      )
      assert.deepEqual(
        log.filter((m) => m.stream === 1).map((m) => m.seq),
        [0, 1, 2, 3],
        'stream 1 must still be delivered in order'
      )
    } finally {
      await relay.close()
      await receiver.close()
    }
  },
  { timeoutMs: 4000 }
)
