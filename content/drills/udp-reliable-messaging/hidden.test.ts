import assert from 'node:assert/strict'
import { test, createRelay } from 'retransmit:test'
import { startReceiver, sendReliable } from './solution'
import { rawPeer, dataPacket, ackPacket, describe, numbered, waitFor } from './peer'

const texts = (list: Buffer[]) => list.map((b) => b.toString())
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
/** 'resolved', 'rejected', or 'pending' if `promise` has not settled within `ms` (a bound, not a timing check). */
function settleWithin(promise: Promise<unknown>, ms: number): Promise<'resolved' | 'rejected' | 'pending'> {
  let timer: NodeJS.Timeout | undefined
  const pending = new Promise<'pending'>((resolve) => (timer = setTimeout(() => resolve('pending'), ms)))
  const settled = promise.then(
    () => 'resolved' as const,
    () => 'rejected' as const
  )
  return Promise.race([settled, pending]).finally(() => clearTimeout(timer))
}

test(
  'a duplicate DATA is ACKed again but delivered only once',
  async () => {
    const delivered: Buffer[] = []
    const receiver = await startReceiver((m) => delivered.push(m))
    const peer = await rawPeer()
    try {
      peer.send(dataPacket(0, 'once'), receiver.port)
      const first = await peer.next(1000)
      peer.send(dataPacket(0, 'once'), receiver.port)
      const second = await peer.next(1000)
      assert.deepEqual(first?.msg, ackPacket(0), `first copy: expected ACK seq=0, got ${describe(first)}`)
      assert.deepEqual(
        second?.msg,
        ackPacket(0),
        `second copy: expected ACK seq=0 again (the sender resends when our ACK is lost, and must hear it), got ${describe(second)}`
      )
      await settle(30)
      assert.deepEqual(
        texts(delivered),
        ['once'],
        `a duplicate must not be delivered twice: got ${JSON.stringify(texts(delivered))}. Remember which sequence numbers you already delivered.`
      )
    } finally {
      await peer.close()
      await receiver.close()
    }
  },
  { timeoutMs: 3000 }
)

test(
  'out-of-order DATA is held until the gap is filled',
  async () => {
    const delivered: Buffer[] = []
    const receiver = await startReceiver((m) => delivered.push(m))
    const peer = await rawPeer()
    try {
      peer.send(dataPacket(2, 'c'), receiver.port)
      peer.send(dataPacket(1, 'b'), receiver.port)
      const acks = [await peer.next(1000), await peer.next(1000)]
      const ackSeqs = acks.map((a) => (a && a.msg[0] === 0x41 ? a.msg.readUInt32BE(1) : -1)).sort()
      assert.deepEqual(
        ackSeqs,
        [1, 2],
        `seq 1 and 2 arrived ahead of 0: still ACK each one (so the sender stops resending them); got ${acks.map(describe).join(', ')}`
      )
      await settle(30)
      assert.deepEqual(
        texts(delivered),
        [],
        `nothing may be delivered while seq 0 is missing; got ${JSON.stringify(texts(delivered))}`
      )
      peer.send(dataPacket(0, 'a'), receiver.port)
      await peer.next(1000)
      await waitFor(
        () => delivered.length >= 3,
        500,
        () => `after seq 0 arrived, expected a, b, c delivered; got ${JSON.stringify(texts(delivered))}`
      )
      assert.deepEqual(
        texts(delivered),
        ['a', 'b', 'c'],
        `deliver in sequence order: got ${JSON.stringify(texts(delivered))}`
      )
    } finally {
      await peer.close()
      await receiver.close()
    }
  },
  { timeoutMs: 3000 }
)

test(
  'the sender ignores junk, stray ACKs and duplicate ACKs',
  async () => {
    const peer = await rawPeer()
    const seen: number[] = []
    peer.onDatagram((d) => {
      if (d.msg[0] !== 0x44) return
      const seq = d.msg.readUInt32BE(1)
      seen.push(seq)
      peer.send(Buffer.from('not a protocol message'), d.port)
      peer.send(Buffer.from([0x41]), d.port) // an 'A' with no sequence number
      peer.send(Buffer.from([0x41, 0, 0]), d.port)
      peer.send(ackPacket(999), d.port)
      peer.send(ackPacket(seq), d.port)
      peer.send(ackPacket(seq), d.port)
    })
    try {
      const stats = await sendReliable(peer.port, numbered(4), { rtoMs: 200 })
      assert.deepEqual(
        [...new Set(seen)].sort(),
        [0, 1, 2, 3],
        `every message must be sent; the peer saw seqs ${JSON.stringify(seen)}`
      )
      assert.equal(
        stats.transmissions,
        4,
        `every DATA was ACKed at once, so 4 transmissions and no retransmission; you reported ${JSON.stringify(stats)}. Junk and unknown ACKs must not count or crash.`
      )
    } finally {
      await peer.close()
    }
  },
  { timeoutMs: 3000 }
)

test(
  'reordering and duplication on the path: 40 messages, each once, in order',
  async () => {
    const delivered: Buffer[] = []
    const receiver = await startReceiver((m) => delivered.push(m))
    const relay = await createRelay({
      protocol: 'udp',
      target: receiver.port,
      reorderRate: 0.3,
      duplicateRate: 0.3,
      jitterMs: 5,
      seed: 11
    })
    try {
      const messages = numbered(40)
      await sendReliable(relay.port, messages, { rtoMs: 60 })
      await waitFor(
        () => delivered.length >= 40,
        1000,
        () => `only ${delivered.length} of 40 delivered`
      )
      await settle(60)
      assert.ok(
        relay.stats.duplicated > 0 && relay.stats.reordered > 0,
        'the relay should have duplicated and reordered some datagrams (test setup)'
      )
      assert.deepEqual(
        texts(delivered),
        texts(messages),
        `${relay.stats.duplicated} duplicated and ${relay.stats.reordered} reordered datagrams: each message must still come out exactly once, in order. Got ${delivered.length}: ${JSON.stringify(texts(delivered))}`
      )
    } finally {
      await relay.close()
      await receiver.close()
    }
  },
  { timeoutMs: 8000 }
)

test(
  'heavy weather: 20% loss both ways plus duplicates, 50 messages',
  async () => {
    const delivered: Buffer[] = []
    const receiver = await startReceiver((m) => delivered.push(m))
    const relay = await createRelay({
      protocol: 'udp',
      target: receiver.port,
      lossRate: 0.2,
      duplicateRate: 0.1,
      jitterMs: 3,
      seed: 2
    })
    try {
      const messages = numbered(50, 'event')
      const stats = await sendReliable(relay.port, messages, { rtoMs: 40 })
      await waitFor(
        () => delivered.length >= 50,
        1000,
        () => `only ${delivered.length} of 50 delivered`
      )
      await settle(60)
      assert.ok(
        stats.retransmissions > 0,
        `with ${relay.stats.dropped} datagrams lost there must have been retransmissions; you reported ${stats.retransmissions}`
      )
      assert.deepEqual(
        texts(delivered),
        texts(messages),
        `every message exactly once, in order; got ${delivered.length}: ${JSON.stringify(texts(delivered))}`
      )
    } finally {
      await relay.close()
      await receiver.close()
    }
  },
  { timeoutMs: 15000 }
)

test(
  'payloads are kept byte for byte, from empty to 1200 bytes; bigger is refused',
  async () => {
    const delivered: Buffer[] = []
    const receiver = await startReceiver((m) => delivered.push(m))
    try {
      const big = Buffer.alloc(1200, 0xab)
      big.write('\x00\xff\r\n', 0, 'latin1')
      const messages = [Buffer.alloc(0), Buffer.from([0x44, 0x41, 0x00]), big]
      await sendReliable(receiver.port, messages)
      await waitFor(
        () => delivered.length >= 3,
        1000,
        () => `expected 3 messages, got ${delivered.length}`
      )
      assert.equal(
        delivered[0]?.length,
        0,
        `an empty message is still a message: expected 0 bytes, got ${delivered[0]?.length}`
      )
      assert.deepEqual(
        delivered[1],
        messages[1],
        'a payload that looks like a header (44 41 00) must come through unchanged'
      )
      assert.ok(
        delivered[2]?.equals(big),
        `the 1200-byte payload must arrive whole and unchanged, got ${delivered[2]?.length} bytes`
      )
      await assert.rejects(
        sendReliable(receiver.port, [Buffer.alloc(1201)]),
        RangeError,
        'a 1201-byte message must be rejected with a RangeError: keep datagrams under the path MTU so IP never has to fragment them'
      )
    } finally {
      await receiver.close()
    }
  },
  { timeoutMs: 3000 }
)

test(
  'the sender gives up after maxRetries when nobody answers',
  async () => {
    const silent = await rawPeer()
    try {
      // Backing off from 20 ms, 3 retransmissions and the last wait take about 300 ms.
      const outcome = await settleWithin(sendReliable(silent.port, numbered(2), { rtoMs: 20, maxRetries: 3 }), 2500)
      assert.equal(
        outcome,
        'rejected',
        `with nobody ACKing, sendReliable must reject with an Error after maxRetries retransmissions (backing off each time); it ${outcome === 'pending' ? 'was still retrying after 2.5 s' : 'resolved'}`
      )
      const copiesOf0 = silent.received.filter((d) => d.msg[0] === 0x44 && d.msg.readUInt32BE(1) === 0).length
      assert.equal(
        copiesOf0,
        4,
        `maxRetries 3 means 1 first copy + 3 retransmissions of seq 0 = 4 copies; the peer saw ${copiesOf0}`
      )
    } finally {
      await silent.close()
    }
  },
  { timeoutMs: 4000 }
)

test(
  'two senders on one host (same address, different ports) each get their own sequence',
  async () => {
    const delivered: string[] = []
    const receiver = await startReceiver((m) => delivered.push(m.toString()))
    const a = await rawPeer()
    const b = await rawPeer()
    try {
      a.send(dataPacket(0, 'from A'), receiver.port)
      const ackA = await a.next(1000)
      b.send(dataPacket(0, 'from B'), receiver.port)
      const ackB = await b.next(1000)
      assert.deepEqual(ackA?.msg, ackPacket(0), `sender A should get ACK seq=0 at its own port, got ${describe(ackA)}`)
      assert.deepEqual(ackB?.msg, ackPacket(0), `sender B should get ACK seq=0 at its own port, got ${describe(ackB)}`)
      await waitFor(
        () => delivered.length >= 2,
        500,
        () =>
          `two senders on 127.0.0.1 (ports ${a.port} and ${b.port}) each sent seq 0; expected both delivered, got ${JSON.stringify(delivered)}. Keep the state per sender address AND port: a host runs many sockets`
      )
      assert.deepEqual(delivered.sort(), ['from A', 'from B'])
    } finally {
      await a.close()
      await b.close()
      await receiver.close()
    }
  },
  { timeoutMs: 3000 }
)

test(
  'the window option caps the messages in flight',
  async () => {
    const peer = await rawPeer()
    const seen = new Set<number>()
    let acking = false
    let senderPort = 0
    peer.onDatagram((d) => {
      if (d.msg[0] !== 0x44) return
      const seq = d.msg.readUInt32BE(1)
      seen.add(seq)
      senderPort = d.port
      if (acking) peer.send(ackPacket(seq), d.port)
    })
    try {
      // rtoMs is long, so in the first 150 ms only first copies go out, and nothing is ACKed yet.
      const sending = sendReliable(peer.port, numbered(12), { window: 4, rtoMs: 400 })
      await waitFor(
        () => seen.size >= 4,
        1000,
        () =>
          `with window: 4 the first 4 messages should go out at once; the peer saw ${[...seen].join(', ') || 'nothing'}`
      )
      await settle(150)
      assert.deepEqual(
        [...seen].sort((x, y) => x - y),
        [0, 1, 2, 3],
        `with window: 4 and no ACK yet, at most 4 messages may be in flight; the peer saw seq ${[...seen].sort((x, y) => x - y).join(', ')}. Send the next message only when an ACK frees a slot`
      )
      acking = true
      for (const seq of seen) peer.send(ackPacket(seq), senderPort)
      await sending
      assert.equal(seen.size, 12, `all 12 messages should go out once ACKs free the window; saw ${seen.size}`)
    } finally {
      await peer.close()
    }
  },
  { timeoutMs: 6000 }
)

test(
  'retransmissions back off: each wait is about twice the one before (RFC 6298 §5.5)',
  async () => {
    const peer = await rawPeer()
    const at: number[] = []
    peer.onDatagram((d) => {
      if (d.msg[0] === 0x44) at.push(performance.now())
    })
    try {
      const outcome = await settleWithin(
        sendReliable(peer.port, [Buffer.from('anyone?')], { rtoMs: 30, maxRetries: 5 }),
        4000
      )
      assert.equal(
        outcome,
        'rejected',
        `nobody ACKed, so the sender should give up after maxRetries; it ${outcome === 'pending' ? 'was still retrying after 4 s' : 'resolved'}`
      )
      assert.equal(
        at.length,
        6,
        `maxRetries: 5 means the first copy plus 5 retransmissions, 6 in all; the peer saw ${at.length}`
      )
      const gaps = at.slice(1).map((t, i) => Math.round(t - (at[i] ?? t)))
      // Doubling from 30 ms gives about 30, 60, 120, 240, 480; a fixed timeout gives 30 each time.
      // The fifth wait must reach 8 x rtoMs (240 ms, half of what doubling gives). Timers never fire
      // early, so a busy machine can only lengthen waits: a stall on the first wait (which a ratio to
      // it would punish) cannot fail a correct sender.
      assert.ok(
        (gaps[4] ?? 0) >= 8 * 30,
        `the waits between retransmissions were ${gaps.join(', ')} ms: they should grow, doubling the timeout each time the same message is resent (exponential backoff), so a dead or congested path is not hammered`
      )
    } finally {
      await peer.close()
    }
  },
  { timeoutMs: 6000 }
)
