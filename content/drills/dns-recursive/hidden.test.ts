import assert from 'node:assert/strict'
import { test } from 'retransmit:test'
import { FLAG, RCODE, TYPE, parseMessage } from './solution'
import { expectCounts, nodeResolver, rawQuery, setup, show, stubQuery } from './walk'

test(
  'past its TTL the zone server is asked again, but the root and test. are not: their NS records still live',
  async () => {
    const s = await setup()
    try {
      await s.resolve('www.shop.test', TYPE.A)
      await s.resolve('alias.shop.test', TYPE.A)
      expectCounts(
        s,
        { root: 1, test: 1, shop: 2 },
        'a second name in shop.test goes straight to its server: the referral (NS and glue) was cached on the first walk'
      )
      s.advance(301)
      const again = await s.resolve('www.shop.test', TYPE.A)
      expectCounts(
        s,
        { root: 1, test: 1, shop: 3 },
        'after 301 s the 300 s A records are gone from the cache (ask shop.test again) while the NS records (3600 s and more) are not'
      )
      assert.deepEqual(
        again.answers.map((r) => r.ttl),
        [300, 300],
        `fresh records carry their full TTL again; got ${show(again.answers)}`
      )
    } finally {
      await s.close()
    }
  },
  { timeoutMs: 8000 }
)

test(
  "past the delegation's TTL, test. is asked again but the root is not",
  async () => {
    const s = await setup()
    try {
      await s.resolve('www.shop.test', TYPE.A)
      s.advance(3601)
      await s.resolve('www.shop.test', TYPE.A)
      expectCounts(
        s,
        { root: 1, test: 2, shop: 2 },
        "after 3601 s shop.test's NS and glue (TTL 3600) have expired, test.'s (172800 s, from the root) have not: the walk restarts at the closest servers still known"
      )
    } finally {
      await s.close()
    }
  },
  { timeoutMs: 8000 }
)

test(
  'NXDOMAIN is cached for min(SOA TTL, MINIMUM) = 60 s (RFC 2308 §5)',
  async () => {
    const s = await setup()
    try {
      const nx = await s.resolve('nope.shop.test', TYPE.A)
      assert.equal(
        nx.rcode,
        RCODE.NXDOMAIN,
        `the shop.test server says NXDOMAIN for nope.shop.test; pass rcode 3 on, got ${nx.rcode}`
      )
      s.advance(30)
      await s.resolve('nope.shop.test', TYPE.A)
      expectCounts(s, { shop: 1 }, 'a negative answer is cached too: 30 s later, no new query')
      s.advance(31)
      await s.resolve('nope.shop.test', TYPE.A)
      expectCounts(
        s,
        { shop: 2 },
        "after 61 s it has expired: its lifetime is the lesser of the SOA record's TTL (3600) and its MINIMUM field (60)"
      )
      const err = await nodeResolver(s.r.port)
        .resolve4('nope.shop.test')
        .then(
          () => null,
          (e: NodeJS.ErrnoException) => e
        )
      assert.equal(err?.code, 'ENOTFOUND', `Node reports NXDOMAIN as ENOTFOUND; got ${err?.code}`)
    } finally {
      await s.close()
    }
  },
  { timeoutMs: 8000 }
)

test(
  'NODATA: the name exists, the type does not (NOERROR, no answers), cached as well',
  async () => {
    const s = await setup()
    try {
      const got = await s.resolve('www.shop.test', TYPE.AAAA)
      assert.deepEqual(
        [got.rcode, got.answers.length],
        [RCODE.NOERROR, 0],
        `www.shop.test has A records but no AAAA: NOERROR with an empty answer (RFC 2308 §2.2), not NXDOMAIN; got rcode ${got.rcode}, ${show(got.answers)}`
      )
      const err = await nodeResolver(s.r.port)
        .resolve6('www.shop.test')
        .then(
          () => null,
          (e: NodeJS.ErrnoException) => e
        )
      assert.equal(err?.code, 'ENODATA', `Node reports NODATA as ENODATA; got ${err?.code}`)
      expectCounts(s, { shop: 1 }, 'the second AAAA question (from Node) is answered from the negative cache')
    } finally {
      await s.close()
    }
  },
  { timeoutMs: 8000 }
)

test(
  'a CNAME into another zone, a delegation without glue, and glue the test. servers have no say over',
  async () => {
    const s = await setup()
    try {
      const got = await s.resolve('cdn-alias.shop.test', TYPE.A)
      assert.deepEqual(
        got.answers.map((r) => [r.name, r.type, r.target ?? r.address]),
        [
          ['cdn-alias.shop.test', TYPE.CNAME, 'edge.cdn.test'],
          ['edge.cdn.test', TYPE.A, '198.51.100.7']
        ],
        `cdn-alias.shop.test is a CNAME to edge.cdn.test, served by ns.dnshost.example; got ${show(got.answers)}`
      )
      expectCounts(
        s,
        { evil: 0, example: 1 },
        "test.'s referral for cdn.test names ns.dnshost.example and adds an A record for it: test. is not authoritative for example., so that record must not be believed (the bailiwick rule). Resolve ns.dnshost.example yourself, from the root through example."
      )
    } finally {
      await s.close()
    }
  },
  { timeoutMs: 8000 }
)

test(
  'a CNAME loop ends in SERVFAIL, to the caller and over UDP',
  async () => {
    const s = await setup()
    try {
      const got = await s.resolve('loop1.shop.test', TYPE.A)
      assert.equal(
        got.rcode,
        RCODE.SERVFAIL,
        `loop1 -> loop2 -> loop1...: stop after a bounded chain and answer SERVFAIL (rcode 2); got ${got.rcode}`
      )
      const reply = parseMessage(await rawQuery(s.r.port, stubQuery(0x4242, 'loop2.shop.test')))
      assert.equal(reply.rcode, RCODE.SERVFAIL, `over UDP too: rcode 2, got ${reply.rcode}`)
    } finally {
      await s.close()
    }
  },
  { timeoutMs: 8000 }
)

test(
  'a forged reply with the wrong ID is ignored (RFC 5452 §9.1)',
  async () => {
    const s = await setup()
    try {
      const got = await s.resolve('spoofed.shop.test', TYPE.A)
      assert.deepEqual(
        got.answers.map((r) => r.address),
        ['192.0.2.99'],
        `just before the real reply, a forger sent one from the right address and port with another ID (address 203.0.113.99): accept only a reply to the ID you sent; got ${show(got.answers)}`
      )
    } finally {
      await s.close()
    }
  },
  { timeoutMs: 8000 }
)

test(
  'the reply header: same ID, QR, RD copied, RA set, AA clear, the question as asked',
  async () => {
    const s = await setup()
    try {
      const query = stubQuery(0xbeef, 'WwW.Shop.TEST')
      const raw = await rawQuery(s.r.port, query)
      const reply = parseMessage(raw)
      assert.equal(reply.id, 0xbeef, `the reply's ID must be the query's (0xbeef), got 0x${reply.id.toString(16)}`)
      assert.ok(reply.flags & FLAG.QR, 'QR must be set: this is a response')
      assert.ok(reply.flags & FLAG.RD, 'RD is copied from the query (RFC 1035 §4.1.1)')
      assert.ok(reply.flags & FLAG.RA, 'RA must be set: this server offers recursion (RFC 1035 §4.1.1)')
      assert.equal(
        reply.flags & FLAG.AA,
        0,
        'AA must be clear: a resolver answering from what it learned is not the authority'
      )
      assert.ok(
        raw.subarray(12, query.length).equals(query.subarray(12)),
        `the question is repeated as asked, case included (WwW.Shop.TEST): got ${raw.subarray(12, query.length).toString('hex')}`
      )
      assert.deepEqual(
        reply.answers.map((r) => r.address).sort(),
        ['192.0.2.10', '192.0.2.11'],
        `names compare case-insensitively (RFC 4343); got ${show(reply.answers)}`
      )
    } finally {
      await s.close()
    }
  },
  { timeoutMs: 8000 }
)

test(
  'an unknown top-level domain: NXDOMAIN straight from the root',
  async () => {
    const s = await setup()
    try {
      const got = await s.resolve('host.invalid', TYPE.A)
      assert.equal(
        got.rcode,
        RCODE.NXDOMAIN,
        `the root has no delegation for invalid.: NXDOMAIN, got rcode ${got.rcode}`
      )
      expectCounts(s, { root: 1, test: 0, example: 0 }, 'only the root is asked')
    } finally {
      await s.close()
    }
  },
  { timeoutMs: 8000 }
)

test(
  'a server that never answers: after timeoutMs, ask the next one',
  async () => {
    const s = await setup()
    try {
      const got = await s.resolve('www.backup.test', TYPE.A)
      assert.deepEqual(
        got.answers.map((r) => r.address),
        ['192.0.2.77'],
        `backup.test has two servers and the first, ns-a (127.0.0.31), is down: it takes queries and never answers. Stop waiting after timeoutMs and ask ns-b; got rcode ${got.rcode}, ${show(got.answers)}`
      )
    } finally {
      await s.close()
    }
  },
  { timeoutMs: 8000 }
)
