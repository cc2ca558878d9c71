import assert from 'node:assert/strict'
import { test, createRelay, note } from 'retransmit:test'
import { startLineServer } from './solution'
import { streamClient } from './client'
import { rawPeer, open, close, data, ack, dataOf, show, reversed, settle, waitFor, type RawPeer } from './wire'

/** Opens `session` from `peer` and waits for the server's "A <session> 0". */
async function opened(peer: RawPeer, port: number, session: number): Promise<void> {
  peer.send(open(session), port)
  const reply = await peer.nextStarting(`A ${session} `, 1000)
  assert.equal(
    reply?.msg.toString('latin1'),
    `A ${session} 0`,
    `"O ${session}" must be answered with "A ${session} 0", got ${show(reply)}`
  )
}

/** The server's stream on `session` once it holds `length` bytes, or as it is after `ms`. */
async function streamWithin(peer: RawPeer, session: number, length: number, ms = 1500): Promise<string> {
  for (const started = Date.now(); streamOf(peer, session).length < length && Date.now() - started < ms;)
    await settle(10)
  return streamOf(peer, session)
}

/** Everything the server sent on `session` as DATA, reassembled by offset. */
function streamOf(peer: RawPeer, session: number): string {
  let text = ''
  for (const d of peer.received) {
    const m = dataOf(d)
    if (!m || m.session !== session || m.offset > text.length) continue
    text += m.payload.subarray(text.length - m.offset).toString('latin1')
  }
  return text
}

test(
  'a duplicated DATA is ACKed again but its bytes are kept once',
  async () => {
    const server = await startLineServer()
    const peer = await rawPeer()
    try {
      await opened(peer, server.port, 1)
      peer.send(data(1, 0, 'ab'), server.port)
      const first = await peer.nextStarting('A ', 1000)
      note('the same DATA again, as a duplicating network or a client retransmission would deliver it')
      peer.send(data(1, 0, 'ab'), server.port)
      const second = await peer.nextStarting('A ', 1000)
      assert.equal(first?.msg.toString('latin1'), 'A 1 2', `expected "A 1 2", got ${show(first)}`)
      assert.equal(
        second?.msg.toString('latin1'),
        'A 1 2',
        `a duplicate must be ACKed again with the same length (the client resends when an ACK is lost and must hear one), got ${show(second)}`
      )
      peer.send(data(1, 2, 'c\n'), server.port)
      const reply = dataOf(await peer.nextStarting('D ', 1000))
      assert.equal(
        reply?.payload.toString('latin1'),
        'cba\n',
        `the stream is "abc\\n", so "cba\\n" must come back; got ${JSON.stringify(reply?.payload.toString('latin1'))}: bytes at offsets you already hold must not be appended again`
      )
    } finally {
      await peer.close()
      await server.close()
    }
  },
  { timeoutMs: 3000 }
)

test(
  'a retransmission that overlaps what arrived adds only the new bytes',
  async () => {
    const server = await startLineServer()
    const peer = await rawPeer()
    try {
      await opened(peer, server.port, 2)
      peer.send(data(2, 0, 'abc'), server.port)
      await peer.nextStarting('A ', 1000)
      note('offset 0 again, now with more bytes: only "def\\n" (offsets 3..6) is new')
      peer.send(data(2, 0, 'abcdef\n'), server.port)
      const acked = await peer.nextStarting('A ', 1000)
      assert.equal(
        acked?.msg.toString('latin1'),
        'A 2 7',
        `"abc" then "abcdef\\n" at offset 0 is a stream of 7 bytes; expected "A 2 7", got ${show(acked)}`
      )
      const stream = await streamWithin(peer, 2, 7)
      assert.equal(stream, 'fedcba\n', `expected the single line "fedcba\\n" back, got ${JSON.stringify(stream)}`)
    } finally {
      await peer.close()
      await server.close()
    }
  },
  { timeoutMs: 3000 }
)

test(
  'DATA past a gap is not kept, and the ACK says what is missing',
  async () => {
    const server = await startLineServer()
    const peer = await rawPeer()
    try {
      await opened(peer, server.port, 3)
      note('offset 4 arrives before offsets 0..3: a cumulative ACK can only say "A 3 0"')
      peer.send(data(3, 4, 'efg\n'), server.port)
      const gapAck = await peer.nextStarting('A ', 1000)
      assert.equal(
        gapAck?.msg.toString('latin1'),
        'A 3 0',
        `bytes at offset 4 with nothing before them: the ACK must still say 0 bytes received, got ${show(gapAck)}`
      )
      peer.send(data(3, 0, 'xy\n'), server.port)
      await peer.nextStarting('A ', 1000)
      const stream = await streamWithin(peer, 3, 3)
      await settle(30) // room for bytes that should not come
      assert.equal(
        streamOf(peer, 3),
        'yx\n',
        `the stream is "xy\\n" (the bytes at offset 4 came before their gap was filled and were not kept), so "yx\\n" only; got ${JSON.stringify(streamOf(peer, 3) || stream)}`
      )
    } finally {
      await peer.close()
      await server.close()
    }
  },
  { timeoutMs: 3000 }
)

test(
  'a reply the client never ACKs is sent again',
  async () => {
    const server = await startLineServer({ retransmitMs: 50 })
    const peer = await rawPeer()
    try {
      await opened(peer, server.port, 4)
      peer.send(data(4, 0, 'ping\n'), server.port)
      note('the client does not ACK the reply: the server must retransmit it after about 50 ms')
      const first = dataOf(await peer.nextStarting('D ', 1000))
      const again = dataOf(await peer.nextStarting('D ', 1500))
      assert.equal(
        first?.payload.toString('latin1'),
        'gnip\n',
        `expected "D 4 0 gnip\\n", got ${JSON.stringify(first?.payload.toString('latin1'))}`
      )
      assert.ok(
        again,
        'the reply was never sent again: without an ACK the server cannot know it arrived, so it must retransmit after retransmitMs'
      )
      assert.equal(again.offset, 0, `the retransmission must carry the same offset, 0; got ${again.offset}`)
      assert.equal(again.payload.toString('latin1'), 'gnip\n', 'the retransmission must carry the same bytes')
      peer.send(ack(4, 5), server.port)
    } finally {
      await peer.close()
      await server.close()
    }
  },
  { timeoutMs: 3000 }
)

test(
  'retransmissions back off: each wait about twice the one before (RFC 8085 §3.1.1)',
  async () => {
    const server = await startLineServer({ retransmitMs: 30, expiryMs: 5000 })
    const peer = await rawPeer()
    const at: number[] = []
    peer.onDatagram((d) => {
      if (dataOf(d)) at.push(performance.now())
    })
    try {
      await opened(peer, server.port, 5)
      peer.send(data(5, 0, 'anyone?\n'), server.port)
      note('nobody ACKs: copies should go out after about 30, 60, 120, 240 and 480 ms')
      await settle(2000)
      assert.ok(
        at.length >= 6,
        `in 2 s with no ACK the server sent its reply ${at.length} time(s); with retransmitMs 30 and doubling it should be at least 6`
      )
      const gaps = at.slice(1, 6).map((t, i) => Math.round(t - (at[i] ?? t)))
      // Doubling gives about 30, 60, 120, 240, 480; a fixed timeout gives 30 each time. The fifth
      // wait must reach 8 x retransmitMs (240 ms, half of what doubling gives). Timers never fire
      // early, so a busy machine only lengthens waits: no stall can fail a correct server (a ratio
      // to the first wait could, when the stall hit that one).
      assert.ok(
        (gaps[4] ?? 0) >= 8 * 30,
        `the waits between copies were ${gaps.join(', ')} ms: double the timeout each time nothing new is ACKed, so a dead or congested path is not hammered`
      )
      note('now the client ACKs all 8 bytes and sends another line: its reply is retransmitted after about 30 ms again')
      const fresh: number[] = []
      peer.onDatagram((d) => {
        if (dataOf(d)?.offset === 8) fresh.push(performance.now())
      })
      peer.send(ack(5, 8), server.port)
      peer.send(data(5, 8, 'again\n'), server.port)
      await waitFor(
        () => fresh.length >= 2,
        1500,
        () =>
          `after the ACK for every byte, the next reply (offset 8) was not retransmitted within 1.5 s; the waits had grown to ${gaps.join(', ')} ms. An ACK that moves forward shows the path works again: bring the timeout back to retransmitMs`
      )
    } finally {
      await peer.close()
      await server.close()
    }
  },
  { timeoutMs: 6000 }
)

test(
  'a silent session expires: retransmissions stop and its DATA is answered with CLOSE',
  async () => {
    const server = await startLineServer({ retransmitMs: 40, expiryMs: 300 })
    const peer = await rawPeer()
    try {
      await opened(peer, server.port, 6)
      peer.send(data(6, 0, 'bye\n'), server.port)
      note('the client goes silent; after expiryMs (300 ms) of silence the session must be gone')
      await settle(700)
      const before = peer.received.length
      await settle(600)
      const late = peer.received.slice(before).map((d) => d.msg.toString('latin1'))
      assert.deepEqual(
        late.filter((t) => t.startsWith('D ')),
        [],
        `from 0.7 s to 1.3 s after the client fell silent, the server still retransmitted: ${JSON.stringify(late.slice(0, 3))}. Forget a session after expiryMs without a word from its peer, and stop its timers`
      )
      peer.drain()
      peer.send(data(6, 4, 'more\n'), server.port)
      const answer = await peer.nextStarting('', 1000)
      assert.equal(
        answer?.msg.toString('latin1'),
        'C 6',
        `DATA for an expired session must be answered with "C 6", got ${show(answer)}`
      )
    } finally {
      await peer.close()
      await server.close()
    }
  },
  { timeoutMs: 3000 }
)

test(
  'expiry counts from the last datagram, not from the OPEN',
  async () => {
    const server = await startLineServer({ expiryMs: 800 })
    const peer = await rawPeer()
    try {
      await opened(peer, server.port, 8)
      note('the client sends a line every 150 ms for 1.5 s: never 800 ms of silence, so the session lives')
      let stream = ''
      for (let i = 0; i < 10; i++) {
        await settle(150)
        const line = `tick ${i}\n`
        peer.send(data(8, stream.length, line), server.port)
        stream += line
        const reply = await peer.nextStarting('A ', 1000)
        assert.equal(
          reply?.msg.toString('latin1'),
          `A 8 ${stream.length}`,
          `${150 * (i + 1)} ms after the OPEN, with a datagram every 150 ms, expected "A 8 ${stream.length}"; got ${show(reply)}. A session expires after expiryMs of silence, counted from the last datagram its peer sent`
        )
        for (const d of peer.received) {
          const m = dataOf(d)
          if (m) peer.send(ack(8, m.offset + m.payload.length), server.port)
        }
      }
    } finally {
      await peer.close()
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'two clients on one host with the same session id each get their own stream',
  async () => {
    const server = await startLineServer()
    const a = await rawPeer()
    const b = await rawPeer()
    try {
      note(`two sockets on 127.0.0.1 (ports ${a.port} and ${b.port}) both open session 9`)
      await opened(a, server.port, 9)
      b.send(open(9), server.port)
      const openB = await b.nextStarting('A ', 1000)
      assert.equal(
        openB?.msg.toString('latin1'),
        'A 9 0',
        `client B (port ${b.port}) sent "O 9" after client A (port ${a.port}) had opened its own session 9, and got ${show(openB)} at its port instead of "A 9 0": a session is (address, port, session id), and replies go to the port the session belongs to`
      )
      a.send(data(9, 0, 'from A\n'), server.port)
      const ackA = await a.nextStarting('A ', 1000)
      b.send(data(9, 0, 'from B\n'), server.port)
      const ackB = await b.nextStarting('A ', 1000)
      assert.equal(ackA?.msg.toString('latin1'), 'A 9 7', `client A: expected "A 9 7", got ${show(ackA)}`)
      assert.equal(
        ackB?.msg.toString('latin1'),
        'A 9 7',
        `client B sent its own 7 bytes at offset 0 of its own session 9 and got ${show(ackB)}: a session is (address, port, session id), not the id alone`
      )
      await Promise.all([streamWithin(a, 9, 7), streamWithin(b, 9, 7)])
      assert.equal(
        streamOf(a, 9),
        'A morf\n',
        `client A should get only "A morf\\n", got ${JSON.stringify(streamOf(a, 9))}`
      )
      assert.equal(
        streamOf(b, 9),
        'B morf\n',
        `client B should get "B morf\\n" at its own port, got ${JSON.stringify(streamOf(b, 9))}`
      )
    } finally {
      await a.close()
      await b.close()
      await server.close()
    }
  },
  { timeoutMs: 3000 }
)

test(
  'DATA or ACK for a session that was never opened gets CLOSE; CLOSE ends a session',
  async () => {
    const server = await startLineServer()
    const peer = await rawPeer()
    try {
      peer.send(data(11, 0, 'hi\n'), server.port)
      const unknownData = await peer.next(1000)
      assert.equal(
        unknownData?.msg.toString('latin1'),
        'C 11',
        `DATA for session 11, never opened, must get "C 11", got ${show(unknownData)}`
      )
      peer.send(ack(12, 0), server.port)
      const unknownAck = await peer.next(1000)
      assert.equal(
        unknownAck?.msg.toString('latin1'),
        'C 12',
        `an ACK for session 12, never opened, must get "C 12", got ${show(unknownAck)}`
      )
      await opened(peer, server.port, 13)
      peer.send(close(13), server.port)
      const closed = await peer.next(1000)
      assert.equal(closed?.msg.toString('latin1'), 'C 13', `"C 13" must be answered with "C 13", got ${show(closed)}`)
      peer.send(data(13, 0, 'late\n'), server.port)
      const after = await peer.next(1000)
      assert.equal(
        after?.msg.toString('latin1'),
        'C 13',
        `after CLOSE the session is gone: its DATA must get "C 13", got ${show(after)}`
      )
    } finally {
      await peer.close()
      await server.close()
    }
  },
  { timeoutMs: 3000 }
)

test(
  'an OPEN sent again does not reset the session',
  async () => {
    const server = await startLineServer()
    const peer = await rawPeer()
    try {
      await opened(peer, server.port, 14)
      peer.send(data(14, 0, 'abc'), server.port)
      await peer.nextStarting('A ', 1000)
      note('a retransmitted OPEN (its first ACK was lost) must not throw away the 3 bytes received')
      peer.send(open(14), server.port)
      const reply = await peer.nextStarting('A ', 1000)
      assert.equal(
        reply?.msg.toString('latin1'),
        'A 14 3',
        `a second "O 14" must be answered with what the session holds, "A 14 3"; got ${show(reply)}`
      )
    } finally {
      await peer.close()
      await server.close()
    }
  },
  { timeoutMs: 3000 }
)

test(
  'an ACK for bytes never sent closes the session',
  async () => {
    const server = await startLineServer()
    const peer = await rawPeer()
    try {
      await opened(peer, server.port, 15)
      peer.send(data(15, 0, 'ok\n'), server.port)
      await settle(30)
      note('the server has sent 3 bytes; an ACK for 100 means the peer is broken (or lying)')
      peer.send(ack(15, 100), server.port)
      const reply = await peer.nextStarting('C ', 1000)
      assert.equal(
        reply?.msg.toString('latin1'),
        'C 15',
        `"A 15 100" acknowledges 97 bytes the server never sent: close the session with "C 15"; got ${show(reply)}`
      )
    } finally {
      await peer.close()
      await server.close()
    }
  },
  { timeoutMs: 3000 }
)

test(
  'malformed datagrams are ignored and the server keeps working',
  async () => {
    const server = await startLineServer()
    const peer = await rawPeer()
    try {
      const junk = [
        'hello',
        'O',
        'O 1 2',
        'O -1',
        'O 01',
        'O 2147483648',
        'D 1',
        'D 1 0',
        'A 1',
        'A 1 x',
        'X 1',
        'o 1',
        'O  1',
        ''
      ]
      note(`junk first: ${junk.map((j) => JSON.stringify(j)).join(' ')}`)
      for (const j of junk) peer.send(j, server.port)
      await settle(80)
      assert.deepEqual(
        peer.received.map((d) => d.msg.toString('latin1')),
        [],
        `none of these is a valid message, so none may be answered; the server replied ${JSON.stringify(peer.received.map((d) => d.msg.toString('latin1')))}`
      )
      await opened(peer, server.port, 2147483647)
      peer.send(data(2147483647, 0, 'top id\n'), server.port)
      const reply = dataOf(await peer.nextStarting('D ', 1000))
      assert.equal(
        reply?.payload.toString('latin1'),
        'di pot\n',
        'after the junk, session 2147483647 (the largest id) must still work'
      )
    } finally {
      await peer.close()
      await server.close()
    }
  },
  { timeoutMs: 3000 }
)

test(
  'bytes are bytes: 0xff and spaces in a line are reversed, not decoded',
  async () => {
    const server = await startLineServer()
    const peer = await rawPeer()
    try {
      await opened(peer, server.port, 16)
      peer.send(data(16, 0, Buffer.from([0x61, 0x20, 0xff, 0xfe, 0x20, 0x62, 0x0a])), server.port)
      const reply = dataOf(await peer.nextStarting('D ', 1000))
      assert.deepEqual(
        [...(reply?.payload ?? [])],
        [0x62, 0x20, 0xfe, 0xff, 0x20, 0x61, 0x0a],
        `the line 61 20 ff fe 20 62 must come back as 62 20 fe ff 20 61 0a; got ${reply ? reply.payload.toString('hex') : 'nothing'}. Reverse bytes, never decode them as text`
      )
    } finally {
      await peer.close()
      await server.close()
    }
  },
  { timeoutMs: 3000 }
)

test(
  'a 2500-byte line comes back in datagrams of at most 1000 bytes (RFC 8085 §3.2)',
  async () => {
    const server = await startLineServer()
    const client = await streamClient(server.port, 17)
    try {
      const line = Array.from({ length: 2500 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('')
      client.write(`${line}\n`)
      const [got] = await client.lines(1, 3000)
      assert.equal(
        `${got}\n`,
        reversed(line),
        `the 2500-byte line must come back whole and reversed (got ${got?.length} bytes)`
      )
    } finally {
      await client.close()
      await server.close()
    }
    const peer = await rawPeer()
    const server2 = await startLineServer()
    try {
      await opened(peer, server2.port, 18)
      const line = 'x'.repeat(1800) + 'y'.repeat(600)
      for (let off = 0; off < line.length; off += 800)
        peer.send(data(18, off, line.slice(off, off + 800)), server2.port)
      peer.send(data(18, line.length, '\n'), server2.port)
      await streamWithin(peer, 18, line.length + 1, 3000)
      const sizes = peer.received.filter((d) => dataOf(d)).map((d) => d.msg.length)
      assert.ok(sizes.length > 0, 'no DATA came back for a 2400-byte line')
      assert.ok(
        Math.max(...sizes) <= 1000,
        `the server sent DATA datagrams of ${sizes.join(', ')} bytes: keep each under 1000 so IP never fragments it (one lost fragment loses the whole datagram)`
      )
      assert.equal(streamOf(peer, 18), reversed(line), 'the pieces must reassemble into the reversed line')
    } finally {
      await peer.close()
      await server2.close()
    }
  },
  { timeoutMs: 6000 }
)

test(
  'heavy weather: three clients through loss, duplication and reordering',
  async () => {
    const server = await startLineServer({ retransmitMs: 30 })
    const relay = await createRelay({
      protocol: 'udp',
      target: server.port,
      lossRate: 0.15,
      duplicateRate: 0.2,
      reorderRate: 0.3,
      jitterMs: 5,
      seed: 23
    })
    const clients = await Promise.all([
      streamClient(relay.port, 1),
      streamClient(relay.port, 1),
      streamClient(relay.port, 2)
    ])
    try {
      const sent = clients.map((c, k) => {
        const lines = Array.from({ length: 15 }, (_, i) => `client ${k} says ${i} ${'.'.repeat(i * 7)}`)
        for (const l of lines) c.write(`${l}\n`)
        return lines
      })
      const got = await Promise.all(clients.map((c) => c.lines(15, 8000)))
      assert.ok(
        relay.stats.dropped > 0 && relay.stats.duplicated > 0 && relay.stats.reordered > 0,
        'the relay should have dropped, duplicated and reordered datagrams (test setup)'
      )
      got.forEach((lines, k) => {
        assert.deepEqual(
          lines.map((l) => `${l}\n`),
          (sent[k] ?? []).map(reversed),
          `client ${k}: with ${relay.stats.dropped} dropped, ${relay.stats.duplicated} duplicated and ${relay.stats.reordered} reordered datagrams, every line must come back reversed, once, in order`
        )
      })
    } finally {
      await Promise.all(clients.map((c) => c.close()))
      await relay.close()
      await server.close()
    }
  },
  { timeoutMs: 12000 }
)
