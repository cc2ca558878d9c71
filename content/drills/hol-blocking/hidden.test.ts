import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import { test, createRelay, note } from 'retransmit:test'
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

test(
  'TCP framing survives fragmentation and coalescing (1-7 byte pieces, gathered writes)',
  async () => {
    const log: StreamMessage[] = []
    const receiver = await startTcpMuxReceiver((m) => log.push(m))
    const relay = await createRelay({ target: receiver.port, maxSegmentBytes: 7, coalesceMs: 3, seed: 5 })
    try {
      const sizes = [0, 1, 9, 10, 11, 300, 0, 3000, 2]
      const messages: StreamMessage[] = sizes.map((size, i) => ({
        stream: (i % 3) + 1,
        seq: Math.floor(i / 3),
        payload: Buffer.alloc(size, 0x41 + i)
      }))
      await sendTcpMux(relay.port, messages)
      await waitFor(
        () => log.length >= messages.length,
        5000,
        () =>
          `expected ${messages.length} messages, got ${log.length}: ${labels(log)}. Are you keeping a partial frame until its remaining bytes arrive?`
      )
      assert.equal(labels(log), labels(messages), `order must be exactly the send order; got ${labels(log)}`)
      log.forEach((m, i) => {
        assert.ok(
          m.payload.equals(messages[i]!.payload),
          `message ${i} (${label(m)}): expected ${messages[i]!.payload.length} bytes of 0x${(0x41 + i).toString(16)}, got ${m.payload.length} bytes`
        )
      })
    } finally {
      await relay.close()
      await receiver.close()
    }
  },
  { timeoutMs: 8000 }
)

test(
  'TCP: a 70000-byte message (its length needs more than 16 bits), then a small one',
  async () => {
    const log: StreamMessage[] = []
    const receiver = await startTcpMuxReceiver((m) => log.push(m))
    try {
      const messages: StreamMessage[] = [
        { stream: 1, seq: 0, payload: Buffer.alloc(70000, 0x5a) },
        { stream: 2, seq: 0, payload: Buffer.from('after the big one') }
      ]
      await sendTcpMux(receiver.port, messages)
      await waitFor(
        () => log.length >= 2,
        3000,
        () =>
          `expected 2 messages, got ${log.length}: ${labels(log)}. The length field is 32 bits (offset 6): read all of it`
      )
      assert.equal(
        log[0]?.payload.length,
        70000,
        `the first message should be 70000 bytes, got ${log[0]?.payload.length}: is the 32-bit length read whole?`
      )
      assert.equal(
        log[1]?.payload.toString(),
        'after the big one',
        `the message after it came out as ${JSON.stringify(log[1]?.payload.toString().slice(0, 40))}`
      )
    } finally {
      await receiver.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'UDP streams through a reordering, duplicating path: each stream in order, each message once',
  async () => {
    const log: StreamMessage[] = []
    const receiver = await startUdpStreamsReceiver((m) => log.push(m))
    const relay = await createRelay({
      protocol: 'udp',
      target: receiver.port,
      reorderRate: 0.4,
      duplicateRate: 0.3,
      jitterMs: 4,
      seed: 9
    })
    try {
      await sendUdpStreams(relay.port, roundRobin([1, 2, 3, 4], 6, 16))
      await waitFor(
        () => log.length >= 24,
        2000,
        () => `expected 24 messages, got ${log.length}: ${labels(log)}`
      )
      await settle(80)
      assert.ok(
        relay.stats.duplicated > 0 && relay.stats.reordered > 0,
        'the relay should have duplicated and reordered datagrams (test setup)'
      )
      assert.equal(
        log.length,
        24,
        `${relay.stats.duplicated} datagrams were duplicated on the path; deliver each (stream, seq) once. Got ${log.length}: ${labels(log)}`
      )
      for (const stream of [1, 2, 3, 4]) {
        const seqs = log.filter((m) => m.stream === stream).map((m) => m.seq)
        assert.deepEqual(
          seqs,
          [0, 1, 2, 3, 4, 5],
          `stream ${stream} must come out in order 0..5 even though datagrams were reordered; got ${JSON.stringify(seqs)}`
        )
      }
    } finally {
      await relay.close()
      await receiver.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'UDP: a gap in one stream does not hold another, and duplicates are dropped',
  async () => {
    const log: StreamMessage[] = []
    const receiver = await startUdpStreamsReceiver((m) => log.push(m))
    const raw = dgram.createSocket('udp4')
    await new Promise<void>((resolve) => raw.bind(0, '127.0.0.1', () => resolve()))
    const send = (stream: number, seq: number, text: string) => {
      const d = Buffer.alloc(6 + text.length)
      d.writeUInt16BE(stream, 0)
      d.writeUInt32BE(seq, 2)
      d.write(text, 6)
      raw.send(d, receiver.port, '127.0.0.1')
    }
    try {
      send(5, 1, 'five-b')
      send(9, 0, 'nine-a')
      await waitFor(
        () => log.length >= 1,
        1000,
        () => `stream 9's seq 0 is next in its own stream and must be delivered at once; got ${labels(log)}`
      )
      await settle(30)
      assert.equal(labels(log), 's9#0', `only s9#0 can be delivered: s5#1 waits for s5#0. Got ${labels(log)}`)
      send(5, 0, 'five-a')
      send(5, 0, 'five-a')
      send(9, 0, 'nine-a')
      await waitFor(
        () => log.length >= 3,
        1000,
        () => `s5#0 fills the gap: expect s5#0 then s5#1; got ${labels(log)}`
      )
      await settle(30)
      assert.equal(
        labels(log),
        's9#0 s5#0 s5#1',
        `duplicates of delivered messages must be dropped; got ${labels(log)}`
      )
      assert.equal(
        log[2]?.payload.toString(),
        'five-b',
        `s5#1 must carry its own payload 'five-b', got '${log[2]?.payload.toString()}'`
      )
    } finally {
      await new Promise<void>((resolve) => raw.close(() => resolve()))
      await receiver.close()
    }
  },
  { timeoutMs: 3000 }
)

test(
  'TCP: a hole late in stream 3 stops all four streams at that byte',
  async () => {
    const log: StreamMessage[] = []
    const receiver = await startTcpMuxReceiver((m) => log.push(m))
    const messages = roundRobin([1, 2, 3, 4], 5, 40)
    const frame = 10 + 40
    const lostIndex = messages.findIndex((m) => m.stream === 3 && m.seq === 2) // the 11th frame
    const relay = await createTcpHoleRelay(receiver.port, lostIndex * frame)
    try {
      await sendTcpMux(relay.port, messages)
      await relay.whenHeld((messages.length - lostIndex) * frame)
      await waitFor(
        () => log.length >= lostIndex,
        1000,
        () => `the ${lostIndex} frames before the hole should arrive; got ${labels(log)}`
      )
      await settle(50)
      const expected = { 1: 5, 2: 5, 3: 5, 4: 5 }
      const during = completionReport(log, expected)
      assert.equal(
        log.length,
        lostIndex,
        `nothing after the hole can be delivered over TCP, whatever stream it belongs to: expected ${lostIndex} messages, got ${log.length}`
      )
      assert.deepEqual(
        during.map((r) => r.delivered),
        [3, 3, 2, 2],
        `delivered per stream while s3#2 is missing: expected [3, 3, 2, 2] (s4#2 was sent after s3#2, so it waits too), got ${JSON.stringify(during.map((r) => r.delivered))}`
      )
      relay.release()
      await waitFor(
        () => log.length >= 20,
        1000,
        () => `after the retransmission all 20 should arrive; got ${log.length}`
      )
      assert.deepEqual(
        completionReport(log, expected).map((r) => r.completedAt),
        [17, 18, 19, 20],
        'after the gap fills, the streams complete in send order'
      )
    } finally {
      await relay.close()
      await receiver.close()
    }
  },
  { timeoutMs: 4000 }
)

test(
  'side by side: messages of other streams delivered while one is lost (TCP 0, UDP all)',
  async () => {
    const messages = roundRobin([1, 2, 3], 6, 30)
    const lost = (m: { stream: number; seq: number }) => m.stream === 2 && m.seq === 1
    const lostIndex = messages.findIndex(lost)
    const othersDelivered = (log: StreamMessage[]) => log.filter((m) => m.stream !== 2).length

    const tcpLog: StreamMessage[] = []
    const tcpReceiver = await startTcpMuxReceiver((m) => tcpLog.push(m))
    const tcpRelay = await createTcpHoleRelay(tcpReceiver.port, lostIndex * 40)
    const udpLog: StreamMessage[] = []
    const udpReceiver = await startUdpStreamsReceiver((m) => udpLog.push(m))
    const udpRelay = await createUdpHoleRelay(
      udpReceiver.port,
      (d) => d.readUInt16BE(0) === 2 && d.readUInt32BE(2) === 1
    )
    try {
      await sendTcpMux(tcpRelay.port, messages)
      await sendUdpStreams(udpRelay.port, messages)
      await tcpRelay.whenHeld((messages.length - lostIndex) * 40)
      await waitFor(
        () => othersDelivered(udpLog) >= 12,
        1500,
        () => `UDP: streams 1 and 3 lost nothing and should complete during the loss; got ${labels(udpLog)}`
      )
      await waitFor(
        () => tcpLog.length >= lostIndex,
        1000,
        () => `TCP: the frames before the hole should arrive; got ${labels(tcpLog)}`
      )
      await settle(50)
      const beforeHole = messages.slice(0, lostIndex).filter((m) => m.stream !== 2).length
      const tcpOthers = othersDelivered(tcpLog) - beforeHole
      const udpOthers = othersDelivered(udpLog) - beforeHole
      note(
        `during the loss of s2#1: other streams got ${tcpOthers} more message(s) over TCP, ${udpOthers} over UDP streams`
      )
      assert.equal(
        tcpOthers,
        0,
        `TCP: after the hole, no message of streams 1 or 3 can be delivered (head-of-line blocking); got ${tcpOthers}`
      )
      assert.equal(
        udpOthers,
        12 - beforeHole,
        `UDP: every remaining message of streams 1 and 3 should be delivered while s2#1 is missing; got ${udpOthers} of ${12 - beforeHole}`
      )
      tcpRelay.release()
      udpRelay.release()
      await waitFor(
        () => tcpLog.length >= 18 && udpLog.length >= 18,
        1000,
        () => `after the retransmission both logs should hold 18 messages: TCP ${tcpLog.length}, UDP ${udpLog.length}`
      )
      const expected = { 1: 6, 2: 6, 3: 6 }
      const tcpDone = completionReport(tcpLog, expected).map((r) => r.completedAt)
      const udpDone = completionReport(udpLog, expected).map((r) => r.completedAt)
      note(`completion positions (streams 1, 2, 3): TCP ${JSON.stringify(tcpDone)}, UDP ${JSON.stringify(udpDone)}`)
      assert.equal(
        udpDone[1],
        18,
        `UDP: only the stream with the loss (2) finishes last; got ${JSON.stringify(udpDone)}`
      )
      assert.ok(
        (udpDone[0] ?? 99) < 18 && (udpDone[2] ?? 99) < 18,
        `UDP: streams 1 and 3 finish before stream 2; got ${JSON.stringify(udpDone)}`
      )
      assert.deepEqual(
        tcpDone,
        [16, 17, 18],
        `TCP: every stream waits for the retransmission, completing in send order; got ${JSON.stringify(tcpDone)}`
      )
    } finally {
      await tcpRelay.close()
      await udpRelay.close()
      await tcpReceiver.close()
      await udpReceiver.close()
    }
  },
  { timeoutMs: 5000 }
)

test('completionReport: empty logs, unexpected streams and extra deliveries', () => {
  const m = (stream: number, seq: number): StreamMessage => ({ stream, seq, payload: Buffer.alloc(0) })
  assert.deepEqual(
    completionReport([], { 7: 1, 3: 2 }),
    [
      { stream: 3, delivered: 0, completedAt: null },
      { stream: 7, delivered: 0, completedAt: null }
    ],
    'an empty log: every expected stream appears with 0 delivered and completedAt null, sorted by stream id (numerically)'
  )
  const report = completionReport([m(10, 0), m(4, 0), m(10, 1), m(2, 0)], { 10: 2, 2: 1 })
  assert.deepEqual(
    report,
    [
      { stream: 2, delivered: 1, completedAt: 4 },
      { stream: 10, delivered: 2, completedAt: 3 }
    ],
    `streams not in 'expected' (4) are left out; sort 2 before 10 numerically; got ${JSON.stringify(report)}`
  )
  const extra = completionReport([m(1, 0), m(1, 1), m(2, 0), m(1, 1)], { 1: 2 })
  assert.deepEqual(
    extra,
    [{ stream: 1, delivered: 3, completedAt: 2 }],
    `stream 1 was complete at delivery 2; a duplicate delivered later counts in 'delivered' but does not move completedAt; got ${JSON.stringify(extra)}`
  )
})
