import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import { test, withTimeout, createRelay } from 'retransmit:test'
import {
  encodeBindingRequest,
  encodeBindingSuccess,
  decodeXorMappedAddress,
  parseStunMessage,
  startStunServer,
  stunBindingRequest
} from './solution'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function udpSocket(type: 'udp4' | 'udp6' = 'udp4'): Promise<dgram.Socket> {
  const s = dgram.createSocket(type)
  await new Promise<void>((r) => s.bind(0, type === 'udp4' ? '127.0.0.1' : '::1', () => r()))
  return s
}

/** A fake STUN server that records every request and lets the test decide what to answer. */
async function fakeServer(
  onRequest: (msg: Buffer, rinfo: dgram.RemoteInfo, socket: dgram.Socket, count: number) => void
) {
  const socket = await udpSocket()
  const arrivals: { at: number; msg: Buffer }[] = []
  socket.on('message', (msg, rinfo) => {
    arrivals.push({ at: performance.now(), msg })
    onRequest(msg, rinfo, socket, arrivals.length)
  })
  return { socket, port: socket.address().port, arrivals }
}

test('parseStunMessage skips attribute padding and rejects malformed headers', () => {
  const txid = Buffer.from('0102030405060708090a0b0c', 'hex')
  // SOFTWARE (0x8022) with a 5-byte value, padded to 8, then XOR-MAPPED-ADDRESS.
  const software = Buffer.concat([Buffer.from('80220005', 'hex'), Buffer.from('abcde'), Buffer.alloc(3)])
  const success = encodeBindingSuccess(txid, { family: 4, address: '127.0.0.1', port: 5000 })
  const xorAttr = success.subarray(20)
  const body = Buffer.concat([software, xorAttr])
  const header = Buffer.from('0101' + body.length.toString(16).padStart(4, '0') + '2112a442', 'hex')
  const parsed = parseStunMessage(Buffer.concat([header, txid, body]))
  assert.ok(parsed, 'a message with a padded 5-byte attribute must parse')
  assert.equal(
    parsed.attributes.length,
    2,
    `expected 2 attributes, got ${parsed.attributes.length}: after a value of length L, skip L rounded up to a multiple of 4`
  )
  assert.equal(
    parsed.attributes[0]?.value.toString(),
    'abcde',
    'the SOFTWARE value is the 5 bytes its length says, without the padding'
  )
  assert.equal(parsed.attributes[1]?.type, 0x0020, 'the second attribute (after the padding) is XOR-MAPPED-ADDRESS')
  assert.deepEqual(decodeXorMappedAddress(parsed.attributes[1]!.value, txid), {
    family: 4,
    address: '127.0.0.1',
    port: 5000
  })

  const good = encodeBindingRequest(txid)
  const topBits = Buffer.from(good)
  topBits[0] = 0x40
  assert.equal(
    parseStunMessage(topBits),
    null,
    'the two most significant bits of a STUN message are always 0: reject 0x40..'
  )
  const cookie = Buffer.from(good)
  cookie.writeUInt32BE(0xdeadbeef, 4)
  assert.equal(
    parseStunMessage(cookie),
    null,
    'a wrong magic cookie means this is not an RFC 8489 STUN message: return null'
  )
  const lying = Buffer.from(good)
  lying.writeUInt16BE(8, 2)
  assert.equal(
    parseStunMessage(lying),
    null,
    'the length field says 8 bytes of attributes but none follow: return null'
  )
  const odd = Buffer.concat([good, Buffer.alloc(2)])
  odd.writeUInt16BE(2, 2)
  assert.equal(parseStunMessage(odd), null, 'the message length is always a multiple of 4: return null for 2')
})

test(
  'the server ignores junk and non-requests, then still answers',
  async () => {
    const server = await startStunServer()
    const client = await udpSocket()
    try {
      const got: Buffer[] = []
      client.on('message', (m) => got.push(m))
      const txid = Buffer.from('aaaaaaaaaaaaaaaaaaaaaaaa', 'hex')
      client.send(Buffer.from('hello, not stun'), server.port, '127.0.0.1')
      client.send(Buffer.alloc(3), server.port, '127.0.0.1')
      client.send(encodeBindingSuccess(txid, { family: 4, address: '1.2.3.4', port: 1 }), server.port, '127.0.0.1')
      await sleep(100)
      const txid2 = Buffer.from('bbbbbbbbbbbbbbbbbbbbbbbb', 'hex')
      client.send(encodeBindingRequest(txid2), server.port, '127.0.0.1')
      await withTimeout(
        (async () => {
          while (got.length === 0) await sleep(10)
        })(),
        1500,
        'after junk datagrams the server stopped answering: did a parse error throw inside the message handler?'
      )
      await sleep(50)
      assert.equal(
        got.length,
        1,
        `expected exactly one reply (to the Binding request), got ${got.length}: answer only Binding requests (type 0x0001), stay silent for everything else`
      )
      const parsed = parseStunMessage(got[0]!)
      assert.ok(
        parsed && parsed.transactionId.equals(txid2),
        'the one reply must answer the Binding request, with its transaction ID'
      )
    } finally {
      client.close()
      await server.close()
    }
  },
  { timeoutMs: 4000 }
)

test(
  'over IPv6 the mapped address is family 6',
  async () => {
    const server = await startStunServer('::1')
    const client = await udpSocket('udp6')
    try {
      const result = await withTimeout(
        stunBindingRequest(client, { host: '::1', port: server.port }, { rtoMs: 100, maxTransmissions: 4 }),
        3000,
        'no Binding result over IPv6 within 3 s: does the server bind a udp6 socket when given ::1?'
      )
      assert.deepEqual(
        result.mapped,
        { family: 6, address: '::1', port: client.address().port },
        'the server saw [::1]:<client port>; XOR-MAPPED-ADDRESS for IPv6 XORs 16 address bytes with cookie + transaction ID'
      )
      assert.equal(result.transmissions, 1, 'on a clean loopback path, one request should be enough')
    } finally {
      client.close()
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'the client ignores a response with another transaction ID',
  async () => {
    const fake = await fakeServer((msg, rinfo, socket, count) => {
      if (count > 1) return
      const request = parseStunMessage(msg)
      if (!request) return
      const stranger = Buffer.from('cccccccccccccccccccccccc', 'hex')
      socket.send(
        encodeBindingSuccess(stranger, { family: 4, address: '10.9.8.7', port: 1111 }),
        rinfo.port,
        rinfo.address
      )
      setTimeout(
        () =>
          socket.send(
            encodeBindingSuccess(request.transactionId, { family: 4, address: '192.0.2.44', port: 4444 }),
            rinfo.port,
            rinfo.address
          ),
        30
      )
    })
    const client = await udpSocket()
    try {
      const result = await withTimeout(
        stunBindingRequest(client, { host: '127.0.0.1', port: fake.port }, { rtoMs: 1000, maxTransmissions: 2 }),
        3000,
        'no result: the right response arrived 30 ms after a stray one; keep listening after a mismatch'
      )
      assert.deepEqual(
        result.mapped,
        { family: 4, address: '192.0.2.44', port: 4444 },
        'the first response had a different transaction ID and must be ignored; only a response echoing your ID answers your request'
      )
    } finally {
      client.close()
      fake.socket.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'retransmits the same request with a doubling RTO, then gives up',
  async () => {
    const fake = await fakeServer(() => {}) // a black hole
    const client = await udpSocket()
    try {
      const rtoMs = 25
      const outcome = await withTimeout(
        stunBindingRequest(
          client,
          { host: '127.0.0.1', port: fake.port },
          { rtoMs, maxTransmissions: 5, lastWaitFactor: 4 }
        ).then(
          () => 'resolved',
          (err: unknown) => `rejected: ${err instanceof Error ? err.message : String(err)}`
        ),
        5000,
        'with no answer, the client must give up after the last request plus rtoMs * lastWaitFactor (here about 1 s), and reject'
      )
      assert.match(outcome, /^rejected/, 'with no server reply, stunBindingRequest must reject')
      await sleep(100)
      const n = fake.arrivals.length
      assert.equal(n, 5, `expected exactly maxTransmissions = 5 requests, the server saw ${n}`)
      const first = fake.arrivals[0]!.msg
      for (const a of fake.arrivals)
        assert.deepEqual(a.msg, first, 'a retransmission is the same request: same transaction ID, same bytes')
      const gaps = fake.arrivals.slice(1).map((a, i) => Math.round(a.at - fake.arrivals[i]!.at))
      console.log(
        `RETRANSMIT_SERIES ${JSON.stringify({ name: 'STUN wait before each retransmission', x: 'retransmission', y: 'ms', points: gaps.map((g, i) => [i + 1, g]) })}`
      )
      const expected = gaps.map((_, i) => rtoMs * 2 ** i) // 25, 50, 100, 200
      const seen = `${gaps.join(', ')} ms seen, about ${expected.join(', ')} expected`
      // Timers never fire early, but a busy machine can delay one arrival and shorten the next gap,
      // so check each gap loosely and the whole span (where delays cancel out) tightly.
      gaps.forEach((gap, i) => {
        assert.ok(
          gap >= expected[i]! / 2,
          `gap ${i + 1} between requests was ${gap} ms: the RTO starts at rtoMs and doubles after every retransmission (${seen})`
        )
      })
      const span = gaps.reduce((a, b) => a + b, 0)
      const minSpan = expected.reduce((a, b) => a + b, 0) - 40
      assert.ok(
        span >= minSpan,
        `the 5 requests spanned ${span} ms, expected at least ${minSpan} ms: wait rtoMs, then 2x, 4x, 8x (${seen})`
      )
    } finally {
      client.close()
      fake.socket.close()
    }
  },
  { timeoutMs: 7000 }
)

test(
  'recovers when the first requests are lost',
  async () => {
    const server = await startStunServer()
    const relay = await createRelay({ protocol: 'udp', target: server.port, lossRate: 1, seed: 7 })
    const client = await udpSocket()
    try {
      const pending = stunBindingRequest(
        client,
        { host: '127.0.0.1', port: relay.port },
        { rtoMs: 30, maxTransmissions: 7 }
      )
      pending.catch(() => {})
      await withTimeout(
        (async () => {
          while (relay.stats.dropped < 3) await sleep(5)
        })(),
        3000,
        `only ${relay.stats.dropped} request(s) reached the lossy relay: after each RTO without an answer, send the request again`
      )
      relay.setFaults({ lossRate: 0 })
      const result = await withTimeout(
        pending,
        4000,
        'the relay stopped dropping, yet no Binding result came: keep retransmitting (up to maxTransmissions)'
      )
      assert.ok(
        result.transmissions >= 4,
        `3 copies were dropped, so at least 4 transmissions were needed; you report ${result.transmissions}`
      )
      assert.equal(result.mapped.address, '127.0.0.1')
      assert.notEqual(
        result.mapped.port,
        client.address().port,
        "through the relay the server sees the relay's own socket, not yours: that is exactly what a NAT does to a STUN client"
      )
    } finally {
      client.close()
      await relay.close()
      await server.close()
    }
  },
  { timeoutMs: 8000 }
)

test(
  'five transactions through a lossy, reordering, duplicating relay',
  async () => {
    const server = await startStunServer()
    const relay = await createRelay({
      protocol: 'udp',
      target: server.port,
      lossRate: 0.15,
      reorderRate: 0.2,
      duplicateRate: 0.2,
      seed: 42
    })
    const client = await udpSocket()
    try {
      const ports = new Set<number>()
      for (let i = 0; i < 5; i++) {
        const result = await withTimeout(
          stunBindingRequest(client, { host: '127.0.0.1', port: relay.port }, { rtoMs: 40, maxTransmissions: 7 }),
          4500,
          `transaction ${i + 1} of 5 did not complete: retransmit on every RTO, and match responses by transaction ID (duplicates and late answers to earlier requests will arrive too)`
        )
        assert.equal(result.mapped.family, 4)
        ports.add(result.mapped.port)
      }
      assert.equal(
        ports.size,
        1,
        `the relay keeps one upstream socket for your client, so every answer should report the same mapped port; saw ${[...ports].join(', ')}`
      )
    } finally {
      client.close()
      await relay.close()
      await server.close()
    }
  },
  { timeoutMs: 15000 }
)
