import assert from 'node:assert/strict'
import { test } from 'retransmit:test'
import { RCODE, TYPE } from './solution'
import { expectCounts, nodeResolver, setup, show } from './walk'

test(
  'www.shop.test from the root down: one query to the root, one to test., one to shop.test',
  async () => {
    const s = await setup()
    try {
      const got = await s.resolve('www.shop.test', TYPE.A)
      assert.equal(got.rcode, RCODE.NOERROR, `expected NOERROR, got rcode ${got.rcode}`)
      assert.deepEqual(
        got.answers.map((r) => [r.name, r.type, r.ttl, r.address]).sort(),
        [
          ['www.shop.test', 1, 300, '192.0.2.10'],
          ['www.shop.test', 1, 300, '192.0.2.11']
        ],
        `both A records with their TTL of 300 s; got ${show(got.answers)}`
      )
      expectCounts(
        s,
        { root: 1, test: 1, shop: 1 },
        'RFC 1034 §5.3.3: ask the root (the hints), follow its referral to test. using the glue address for ns1.nic.test, then the referral to shop.test, whose server answers'
      )
    } finally {
      await s.close()
    }
  },
  { timeoutMs: 8000 }
)

test(
  'a second query comes from the cache, its TTL counting down',
  async () => {
    const s = await setup()
    try {
      await s.resolve('www.shop.test', TYPE.A)
      s.advance(100)
      const again = await s.resolve('www.shop.test', TYPE.A)
      expectCounts(
        s,
        { root: 1, test: 1, shop: 1 },
        'the RRset is 100 s old with a TTL of 300 s: answer it from the cache, asking no server'
      )
      assert.deepEqual(
        again.answers.map((r) => r.ttl),
        [200, 200],
        `a cached record is handed out with the time it has left (RFC 1035 §3.2.1: TTL counts down in caches): 300 - 100 = 200; got ${show(again.answers)}`
      )
    } finally {
      await s.close()
    }
  },
  { timeoutMs: 8000 }
)

test(
  'a CNAME is followed, and goes first in the answer',
  async () => {
    const s = await setup()
    try {
      const got = await s.resolve('alias.shop.test', TYPE.A)
      assert.deepEqual(
        got.answers.map((r) => [r.name, r.type, r.target ?? r.address]),
        [
          ['alias.shop.test', TYPE.CNAME, 'www.shop.test'],
          ['www.shop.test', TYPE.A, '192.0.2.10'],
          ['www.shop.test', TYPE.A, '192.0.2.11']
        ],
        `the CNAME record, then the A records of its target (RFC 1034 §3.6.2, §4.3.2 step 3a); got ${show(got.answers)}`
      )
    } finally {
      await s.close()
    }
  },
  { timeoutMs: 8000 }
)

test(
  "Node's dns.Resolver asks your resolver over UDP",
  async () => {
    const s = await setup()
    try {
      const records = await nodeResolver(s.r.port).resolve4('www.shop.test', { ttl: true })
      assert.deepEqual(
        records.map((r) => r.address).sort(),
        ['192.0.2.10', '192.0.2.11'],
        `resolve4 through your resolver's UDP port: answer with RA set and the A records; got ${JSON.stringify(records)}`
      )
      const viaAlias = await nodeResolver(s.r.port).resolve4('alias.shop.test')
      assert.deepEqual(
        viaAlias.sort(),
        ['192.0.2.10', '192.0.2.11'],
        `alias.shop.test is a CNAME to www.shop.test: Node reads the chain in your answer; got ${JSON.stringify(viaAlias)}`
      )
    } finally {
      await s.close()
    }
  },
  { timeoutMs: 8000 }
)
