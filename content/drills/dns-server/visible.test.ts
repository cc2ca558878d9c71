import assert from 'node:assert/strict'
import dns from 'node:dns'
import dgram from 'node:dgram'
import { test, withTimeout } from 'retransmit:test'
import { encodeQuery, parseMessage, readName, startDnsServer } from './solution'

const hex = (b: Buffer) => b.toString('hex').replace(/(..)/g, '$1 ').trim()
const ZONE = {
  'www.example.test': { addresses: ['192.0.2.1', '192.0.2.2', '192.0.2.3'], ttl: 60 },
  'api.example.test': { addresses: ['198.51.100.10'], ttl: 5 }
}

function resolverFor(port: number) {
  const r = new dns.promises.Resolver({ timeout: 500, tries: 2 })
  r.setServers([`127.0.0.1:${port}`])
  return r
}

async function rawQuery(port: number, query: Buffer): Promise<Buffer> {
  const s = dgram.createSocket('udp4')
  try {
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()))
    const reply = new Promise<Buffer>((r) => s.once('message', (m) => r(m)))
    s.send(query, port, '127.0.0.1')
    return await withTimeout(reply, 1500, `no answer to a raw query within 1.5 s (query: ${hex(query)})`)
  } finally {
    s.close()
  }
}

test('encodeQuery builds the header and one question', () => {
  const q = encodeQuery(0x1234, 'example.com')
  const expected = Buffer.from('123401000001000000000000' + '076578616d706c6503636f6d00' + '00010001', 'hex')
  assert.deepEqual(
    q,
    expected,
    `expected ${hex(expected)}\n  got      ${hex(q)}\nHeader: ID, flags 0x0100 (RD), QDCOUNT=1, three zero counts. Then the name as length-prefixed labels ending in a 0 byte, QTYPE=1 (A), QCLASS=1 (IN).`
  )
})

test('readName follows a compression pointer', () => {
  // offset 12: 'example.com'; offset 25: 'www' + pointer to offset 12.
  const msg = Buffer.concat([
    Buffer.alloc(12),
    Buffer.from('076578616d706c6503636f6d00', 'hex'),
    Buffer.from('03777777c00c', 'hex'),
    Buffer.from('ffff', 'hex')
  ])
  const plain = readName(msg, 12)
  assert.deepEqual(
    plain,
    { name: 'example.com', next: 25 },
    `a plain name: labels joined by dots, next = the byte after the terminating 0 (25); got ${JSON.stringify(plain)}`
  )
  const pointed = readName(msg, 25)
  assert.equal(
    pointed.name,
    'www.example.com',
    `'www' then a pointer (0xC0 0x0C) to offset 12 should read as www.example.com, got '${pointed.name}'`
  )
  assert.equal(
    pointed.next,
    31,
    `after a pointer the name ends: next must be the byte after the 2-byte pointer (31), not where the pointer led; got ${pointed.next}`
  )
})

test('parseMessage reads answers whose names are pointers', () => {
  const msg = Buffer.from(
    'beef81800001000200000000' + // ID, QR RD RA, 1 question, 2 answers
      '03777777076578616d706c650474657374000001' +
      '0001' + // www.example.test A IN
      'c00c000100010000003c0004c0000201' + // pointer, A, IN, TTL 60, 192.0.2.1
      'c00c000100010000003c0004c0000202',
    'hex'
  )
  const parsed = parseMessage(msg)
  assert.equal(parsed.id, 0xbeef, 'id is the first 16 bits')
  assert.equal(parsed.rcode, 0, 'rcode is the low 4 bits of the flags word')
  assert.deepEqual(
    parsed.questions,
    [{ name: 'www.example.test', type: 1, class: 1 }],
    'one question: www.example.test, A, IN'
  )
  assert.equal(parsed.answers.length, 2, `expected 2 answers, got ${parsed.answers.length}`)
  assert.deepEqual(
    parsed.answers.map((a) => [a.name, a.ttl, a.address]),
    [
      ['www.example.test', 60, '192.0.2.1'],
      ['www.example.test', 60, '192.0.2.2']
    ],
    'each answer: name (here a pointer to offset 12), TYPE, CLASS, 32-bit TTL, RDLENGTH, RDATA (4 bytes for A)'
  )
})

test(
  'a resolver gets every A record with its TTL',
  async () => {
    const server = await startDnsServer(ZONE)
    try {
      const records = await withTimeout(
        resolverFor(server.port).resolve4('www.example.test', { ttl: true }),
        3000,
        'the resolver got no answer in 3 s'
      )
      assert.deepEqual(
        records.map((r) => r.address).sort(),
        ['192.0.2.1', '192.0.2.2', '192.0.2.3'],
        `expected all three A records, got ${JSON.stringify(records)}`
      )
      assert.ok(
        records.every((r) => r.ttl === 60),
        `every record should carry the zone's TTL of 60, got ${records.map((r) => r.ttl).join(', ')}`
      )
      const one = await resolverFor(server.port).resolve4('api.example.test', { ttl: true })
      assert.deepEqual(
        one,
        [{ address: '198.51.100.10', ttl: 5 }],
        `api.example.test has one record with TTL 5, got ${JSON.stringify(one)}`
      )
    } finally {
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'an unknown name gets NXDOMAIN',
  async () => {
    const server = await startDnsServer(ZONE)
    try {
      const err = await resolverFor(server.port)
        .resolve4('nope.example.test')
        .then(
          () => null,
          (e: NodeJS.ErrnoException) => e
        )
      assert.ok(err, 'resolving an unknown name must fail')
      assert.equal(err.code, 'ENOTFOUND', `Node reports NXDOMAIN as ENOTFOUND; got ${err.code}: answer with RCODE 3`)
      const reply = parseMessage(await rawQuery(server.port, encodeQuery(7, 'nope.example.test')))
      assert.equal(reply.rcode, 3, `RCODE should be 3 (NXDOMAIN), got ${reply.rcode}`)
      assert.ok(
        reply.flags & 0x0400,
        'set AA: this server is the authority for its zone, so its "no such name" is authoritative'
      )
      assert.deepEqual(
        reply.questions,
        [{ name: 'nope.example.test', type: 1, class: 1 }],
        'a response repeats the question section'
      )
    } finally {
      await server.close()
    }
  },
  { timeoutMs: 5000 }
)
