import assert from 'node:assert/strict'
import { test, createRelay } from 'retransmit:test'
import { startReceiver, sendReliable } from './solution'
import { rawPeer, dataPacket, ackPacket, describe, numbered, waitFor } from './peer'

const texts = (list: Buffer[]) => list.map((b) => b.toString())

test(
  'delivers five messages in order over clean loopback',
  async () => {
    const delivered: Buffer[] = []
    const receiver = await startReceiver((m) => delivered.push(m))
    try {
      const messages = numbered(5)
      await sendReliable(receiver.port, messages)
      await waitFor(
        () => delivered.length >= 5,
        1000,
        () => `expected 5 messages delivered, got ${delivered.length}`
      )
      assert.deepEqual(
        texts(delivered),
        texts(messages),
        `onMessage must get each payload (without your 5-byte header) once, in order.\n expected ${JSON.stringify(texts(messages))}\n got      ${JSON.stringify(texts(delivered))}`
      )
    } finally {
      await receiver.close()
    }
  },
  { timeoutMs: 3000 }
)

test(
  'the receiver ACKs a DATA datagram with its sequence number and delivers the payload',
  async () => {
    const delivered: Buffer[] = []
    const receiver = await startReceiver((m) => delivered.push(m))
    const peer = await rawPeer()
    try {
      peer.send(dataPacket(0, 'hello'), receiver.port)
      const reply = await peer.next(1000)
      assert.ok(
        reply,
        "no reply to DATA seq=0: the receiver must send an ACK (0x41, then the seq as uint32 BE) back to the sender's address and port"
      )
      assert.deepEqual(
        reply.msg,
        ackPacket(0),
        `expected the 5-byte ACK 41 00 00 00 00, got ${describe(reply)} (${reply.msg.toString('hex')})`
      )
      assert.deepEqual(
        texts(delivered),
        ['hello'],
        `expected onMessage('hello') once, got ${JSON.stringify(texts(delivered))}`
      )
    } finally {
      await peer.close()
      await receiver.close()
    }
  },
  { timeoutMs: 3000 }
)

test(
  'the sender retransmits a message whose ACK never came',
  async () => {
    const peer = await rawPeer()
    const seen: number[] = []
    // A receiver that ignores the first copy of every message and ACKs the second.
    peer.onDatagram((d) => {
      if (d.msg[0] !== 0x44) return
      const seq = d.msg.readUInt32BE(1)
      seen.push(seq)
      if (seen.filter((s) => s === seq).length >= 2) peer.send(ackPacket(seq), d.port)
    })
    try {
      const stats = await sendReliable(peer.port, numbered(3), { rtoMs: 30 })
      for (const seq of [0, 1, 2]) {
        const copies = seen.filter((s) => s === seq).length
        assert.ok(
          copies >= 2,
          `message seq=${seq} was sent ${copies} time(s); its first copy got no ACK, so after the timeout it must be sent again`
        )
      }
      assert.ok(
        stats.retransmissions >= 3,
        `stats.retransmissions: at least 3 messages were resent, you reported ${stats.retransmissions}`
      )
    } finally {
      await peer.close()
    }
  },
  { timeoutMs: 4000 }
)

test(
  '30 messages through a relay that drops 20% of datagrams: all arrive once, in order',
  async () => {
    const delivered: Buffer[] = []
    const receiver = await startReceiver((m) => delivered.push(m))
    const relay = await createRelay({ protocol: 'udp', target: receiver.port, lossRate: 0.2, seed: 7 })
    try {
      const messages = numbered(30)
      await sendReliable(relay.port, messages, { rtoMs: 40 })
      await waitFor(
        () => delivered.length >= 30,
        1000,
        () => `sendReliable resolved but only ${delivered.length} of 30 messages were delivered`
      )
      assert.ok(relay.stats.dropped > 0, 'the relay should have dropped some datagrams (test setup)')
      assert.deepEqual(
        texts(delivered),
        texts(messages),
        `with ${relay.stats.dropped} datagrams dropped (DATA or ACK), every message must still be delivered exactly once and in order.\n got ${JSON.stringify(texts(delivered))}`
      )
    } finally {
      await relay.close()
      await receiver.close()
    }
  },
  { timeoutMs: 8000 }
)
