import assert from 'node:assert/strict'
import dns from 'node:dns'
import dgram from 'node:dgram'
import { test, withTimeout, createRelay } from 'retransmit:test'
import { encodeQuery, parseMessage, readName, startDnsServer } from './solution'

const hex = (b: Buffer) => b.toString('hex').replace(/(..)/g, '$1 ').trim()
const ZONE = {
  'www.example.test': { addresses: ['192.0.2.1', '192.0.2.2', '192.0.2.3'], ttl: 60 },
  'api.example.test': { addresses: ['198.51.100.10', '198.51.100.11'], ttl: 30 }
}

function resolverFor(
  port: number,
  options: { timeout: number; tries: number; maxTimeout?: number } = { timeout: 500, tries: 2 }
) {
  const r = new dns.promises.Resolver(options)
  r.setServers([`127.0.0.1:${port}`])
  return r
}

async function udpClient() {
  const s = dgram.createSocket('udp4')
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()))
  const got: Buffer[] = []
  s.on('message', (m) => got.push(m))
  return { s, got }
}

async function rawQuery(port: number, query: Buffer): Promise<Buffer> {
  const { s, got } = await udpClient()
  try {
    s.send(query, port, '127.0.0.1')
    await withTimeout(
      (async () => {
        while (got.length === 0) await new Promise((r) => setTimeout(r, 5))
      })(),
      1500,
      `no answer to a raw query within 1.5 s (query: ${hex(query)})`
    )
    return got[0]!
  } finally {
    s.close()
  }
}

test(
  'round robin: each query rotates the order by one',
  async () => {
    const server = await startDnsServer(ZONE)
    try {
      const r = resolverFor(server.port)
      const orders: string[][] = []
      for (let i = 0; i < 4; i++) orders.push(await r.resolve4('www.example.test'))
      const seen = orders.map((o) => o.join(' ')).join('\n    ')
      assert.deepEqual(
        orders[0],
        ['192.0.2.1', '192.0.2.2', '192.0.2.3'],
        `the first answer should list the records in zone order, got:\n    ${seen}`
      )
      assert.deepEqual(
        orders[1],
        ['192.0.2.2', '192.0.2.3', '192.0.2.1'],
        `the second answer should start one further along (rotate, keep the cyclic order), got:\n    ${seen}`
      )
      assert.deepEqual(
        orders[2],
        ['192.0.2.3', '192.0.2.1', '192.0.2.2'],
        `the third answer starts with the third record, got:\n    ${seen}`
      )
      assert.deepEqual(orders[3], orders[0], `after n queries the rotation wraps around, got:\n    ${seen}`)
    } finally {
      await server.close()
    }
  },
  { timeoutMs: 6000 }
)

test(
  'rotation is kept per name',
  async () => {
    const server = await startDnsServer(ZONE)
    try {
      const r = resolverFor(server.port)
      const w1 = await r.resolve4('www.example.test')
      await r.resolve4('api.example.test')
      await r.resolve4('api.example.test')
      const w2 = await r.resolve4('www.example.test')
      assert.equal(w1[0], '192.0.2.1')
      assert.equal(
        w2[0],
        '192.0.2.2',
        `queries for api.example.test must not move www.example.test's rotation: its second answer should start with 192.0.2.2, got ${w2.join(' ')}`
      )
    } finally {
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'names match case-insensitively, and the question is echoed as asked',
  async () => {
    const server = await startDnsServer(ZONE)
    try {
      const reply = parseMessage(await rawQuery(server.port, encodeQuery(0x0a0b, 'WWW.Example.TEST')))
      assert.equal(
        reply.rcode,
        0,
        `DNS names compare case-insensitively (RFC 4343): WWW.Example.TEST exists; got RCODE ${reply.rcode}`
      )
      assert.equal(reply.answers.length, 3, `expected 3 answers, got ${reply.answers.length}`)
      assert.equal(
        reply.questions[0]?.name,
        'WWW.Example.TEST',
        `echo the question exactly as it came (resolvers may check the case they sent), got '${reply.questions[0]?.name}'`
      )
      const dotted = await resolverFor(server.port).resolve4('api.example.test.')
      assert.equal(dotted.length, 2, 'a fully qualified name with a trailing dot is the same name')
    } finally {
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'a name without the asked type is NODATA, not NXDOMAIN',
  async () => {
    const server = await startDnsServer(ZONE)
    try {
      const reply = parseMessage(await rawQuery(server.port, encodeQuery(9, 'www.example.test', 28)))
      assert.equal(
        reply.rcode,
        0,
        `www.example.test exists but has no AAAA: RCODE must be 0 (NOERROR) with an empty answer section (RFC 2308 calls this NODATA), got ${reply.rcode}. NXDOMAIN would tell caches the whole name does not exist`
      )
      assert.equal(
        reply.answers.length,
        0,
        `no AAAA records exist, but ${reply.answers.length} answer(s) came back: only answer the type that was asked`
      )
      const err = await resolverFor(server.port)
        .resolve6('www.example.test')
        .then(
          () => null,
          (e: NodeJS.ErrnoException) => e
        )
      assert.equal(err?.code, 'ENODATA', `Node reports NOERROR-with-no-answers as ENODATA, got ${err?.code}`)
    } finally {
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'the response header: ID, QR, AA, RD copied, counts',
  async () => {
    const server = await startDnsServer(ZONE)
    try {
      const query = encodeQuery(0xfeed, 'api.example.test')
      const raw = await rawQuery(server.port, query)
      const flags = raw.readUInt16BE(2)
      assert.equal(raw.readUInt16BE(0), 0xfeed, 'the response must carry the query ID, or the client cannot match it')
      assert.ok(flags & 0x8000, `QR (bit 15) must be 1 in a response; flags were 0x${flags.toString(16)}`)
      assert.ok(flags & 0x0400, `AA (bit 10) must be 1: you are authoritative; flags were 0x${flags.toString(16)}`)
      assert.ok(flags & 0x0100, `RD (bit 8) is copied from the query; flags were 0x${flags.toString(16)}`)
      assert.equal((flags >> 11) & 0xf, 0, 'opcode 0 (QUERY) is copied back')
      assert.equal(raw.readUInt16BE(4), 1, 'QDCOUNT: the question is repeated')
      assert.equal(raw.readUInt16BE(6), 2, `ANCOUNT should be 2 for api.example.test, got ${raw.readUInt16BE(6)}`)
      const parsed = parseMessage(raw)
      assert.deepEqual(parsed.answers.map((a) => a.address).sort(), ['198.51.100.10', '198.51.100.11'])
    } finally {
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'junk and responses are not answered, and the server keeps working',
  async () => {
    const server = await startDnsServer(ZONE)
    const { s, got } = await udpClient()
    try {
      s.send(Buffer.from([1, 2, 3]), server.port, '127.0.0.1')
      const response = Buffer.from(encodeQuery(5, 'www.example.test'))
      response.writeUInt16BE(0x8100, 2) // QR=1: a response, which a server must never answer
      s.send(response, server.port, '127.0.0.1')
      await new Promise((r) => setTimeout(r, 200))
      assert.equal(
        got.length,
        0,
        `a 3-byte datagram and a response (QR=1) got ${got.length} answer(s): answering responses lets two servers loop forever`
      )
      const after = await withTimeout(
        resolverFor(server.port).resolve4('www.example.test'),
        3000,
        'after junk the server no longer answers: catch parse errors inside the message handler'
      )
      assert.equal(after.length, 3)
    } finally {
      s.close()
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)

test('readName survives a pointer into a name and rejects a pointer loop', () => {
  const base = Buffer.concat([Buffer.alloc(12), Buffer.from('046d61696c076578616d706c6503636f6d00', 'hex')]) // mail.example.com at 12
  const msg = Buffer.concat([base, Buffer.from('03667470c011', 'hex')]) // ftp + pointer to 'example.com' at 17
  assert.equal(
    readName(msg, 30).name,
    'ftp.example.com',
    'a pointer may point into the middle of an earlier name (at its "example" label)'
  )
  const loop = Buffer.concat([Buffer.alloc(12), Buffer.from('c00c', 'hex')]) // a pointer to itself
  assert.throws(
    () => readName(loop, 12),
    'a pointer that points at itself must throw, not loop forever: cap the number of jumps, or require each pointer to go backwards'
  )
  assert.throws(
    () => readName(Buffer.concat([Buffer.alloc(12), Buffer.from('0561', 'hex')]), 12),
    'a label longer than the rest of the message must throw'
  )
})

test(
  'a resolver behind a lossy, duplicating relay still gets answers',
  async () => {
    const server = await startDnsServer(ZONE)
    const relay = await createRelay({
      protocol: 'udp',
      target: server.port,
      lossRate: 0.2,
      duplicateRate: 0.3,
      seed: 11
    })
    try {
      const r = resolverFor(relay.port, { timeout: 200, maxTimeout: 400, tries: 10 })
      for (let i = 0; i < 5; i++) {
        const got = await withTimeout(
          r.resolve4('www.example.test'),
          6000,
          `query ${i + 1} got no answer through the lossy relay`
        )
        assert.deepEqual(
          [...got].sort(),
          ['192.0.2.1', '192.0.2.2', '192.0.2.3'],
          `every answer must hold the whole RRset, got ${got.join(' ')}`
        )
      }
    } finally {
      await relay.close()
      await server.close()
    }
  },
  { timeoutMs: 15000 }
)

const BIG_ZONE = {
  'many.example.test': { addresses: Array.from({ length: 40 }, (_, i) => `203.0.113.${i + 1}`), ttl: 300 }
}

test(
  'an answer over 512 bytes: TC set over UDP, and the full answer over TCP on the same port',
  async () => {
    const server = await startDnsServer(BIG_ZONE)
    try {
      const raw = await rawQuery(server.port, encodeQuery(0x7c7d, 'many.example.test'))
      const udp = parseMessage(raw)
      assert.ok(
        raw.length <= 512,
        `40 A records make a ${12 + 21 + 40 * 16}-byte answer; over UDP without EDNS a DNS message is at most 512 bytes (RFC 1035 §2.3.4), but yours was ${raw.length}`
      )
      assert.ok(
        (udp.flags & 0x0200) !== 0,
        'an answer that does not fit in 512 bytes goes out with the TC bit set, so the client retries over TCP (RFC 1035 §4.1.1)'
      )
      // dns.Resolver (c-ares) sees TC and asks again over TCP, each message after a 2-byte length.
      const all = await resolverFor(server.port, { timeout: 1500, tries: 1 }).resolve4('many.example.test')
      assert.equal(all.length, 40, `over TCP (RFC 7766) the resolver should get all 40 records, got ${all.length}`)
    } catch (err) {
      if (err instanceof Error && 'code' in err)
        throw new Error(
          `dns.Resolver failed (${String((err as { code: unknown }).code)}): after a TC answer it asks the same port over TCP; listen there too and frame each message with a 2-byte length (RFC 1035 §4.2.2)`
        )
      throw err
    } finally {
      await server.close()
    }
  },
  { timeoutMs: 6000, stretch: true }
)
