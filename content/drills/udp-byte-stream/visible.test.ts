import assert from 'node:assert/strict'
import { test, createRelay, note } from 'retransmit:test'
import { startLineServer } from './solution'
import { streamClient } from './client'
import { rawPeer, open, data, ack, dataOf, show, reversed } from './wire'

test(
  'open a session, send one line, get it back reversed',
  async () => {
    const server = await startLineServer()
    const peer = await rawPeer()
    try {
      note('client: O 7 opens session 7; the server answers A 7 0 (nothing received yet)')
      peer.send(open(7), server.port)
      const opened = await peer.next(1000)
      assert.equal(opened?.msg.toString('latin1'), 'A 7 0', `after "O 7" expected "A 7 0", got ${show(opened)}`)
      note(
        'client: D 7 0 hello\\n, 6 bytes at offset 0; the server ACKs 6 and sends the reversed line on its own stream'
      )
      peer.send(data(7, 0, 'hello\n'), server.port)
      const first = await peer.next(1000)
      const second = await peer.next(1000)
      const got = [first, second].map((d) => d?.msg.toString('latin1'))
      assert.ok(
        got.includes('A 7 6'),
        `after 6 bytes at offset 0 the server must ACK "A 7 6" (every byte before 6 received); got ${show(first)} and ${show(second)}`
      )
      assert.ok(
        got.includes('D 7 0 olleh\n'),
        `the line "hello" must come back as "D 7 0 olleh\\n" (the server's own stream starts at offset 0); got ${show(first)} and ${show(second)}`
      )
      peer.send(ack(7, 6), server.port)
    } finally {
      await peer.close()
      await server.close()
    }
  },
  { timeoutMs: 3000 }
)

test(
  'a line split across two DATA datagrams is answered once, whole',
  async () => {
    const server = await startLineServer()
    const peer = await rawPeer()
    try {
      peer.send(open(1), server.port)
      await peer.nextStarting('A 1 0', 1000)
      note('the stream is bytes, not datagrams: "abc" then "def\\n" make one line')
      peer.send(data(1, 0, 'abc'), server.port)
      const ack3 = await peer.nextStarting('A ', 1000)
      assert.equal(ack3?.msg.toString('latin1'), 'A 1 3', `3 bytes received: expected "A 1 3", got ${show(ack3)}`)
      peer.send(data(1, 3, 'def\n'), server.port)
      const reply = dataOf(await peer.nextStarting('D ', 1000))
      assert.equal(
        reply?.payload.toString('latin1'),
        'fedcba\n',
        `"abc" + "def\\n" is one line, "abcdef": expected "fedcba\\n" back, got ${JSON.stringify(reply?.payload.toString('latin1'))}. Keep the bytes after the last newline until the rest of their line arrives`
      )
      assert.equal(reply?.offset, 0, 'the first reply byte is offset 0 of the server stream')
    } finally {
      await peer.close()
      await server.close()
    }
  },
  { timeoutMs: 3000 }
)

test(
  'two lines in one datagram come back as two reversed lines',
  async () => {
    const server = await startLineServer()
    const client = await streamClient(server.port, 3)
    try {
      client.write('one\ntwo\n')
      const lines = await client.lines(2, 1500)
      assert.deepEqual(lines, ['eno', 'owt'], `expected "eno" and "owt", got ${JSON.stringify(lines)}`)
    } finally {
      await client.close()
      await server.close()
    }
  },
  { timeoutMs: 3000 }
)

test(
  '20 lines through a relay that drops 20% of datagrams both ways',
  async () => {
    const server = await startLineServer({ retransmitMs: 40 })
    const relay = await createRelay({ protocol: 'udp', target: server.port, lossRate: 0.2, seed: 5 })
    const client = await streamClient(relay.port, 42)
    try {
      note('the relay drops datagrams in both directions: your server must resend what the client has not ACKed')
      const lines = Array.from({ length: 20 }, (_, i) => `line number ${i}`)
      for (const line of lines) client.write(`${line}\n`)
      const got = await client.lines(20, 5000)
      assert.ok(relay.stats.dropped > 0, 'the relay should have dropped some datagrams (test setup)')
      assert.deepEqual(
        got.map((l) => `${l}\n`),
        lines.map(reversed),
        `with ${relay.stats.dropped} datagrams dropped, every line must still come back reversed, in order, once`
      )
    } finally {
      await client.close()
      await relay.close()
      await server.close()
    }
  },
  { timeoutMs: 8000 }
)
