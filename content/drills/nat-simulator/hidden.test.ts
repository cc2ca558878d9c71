import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import { test } from 'retransmit:test'
import { createNat, type Behaviour } from './solution'
import { holePunch, internalHost, reflector, reflexiveAddress, show, sleep } from './nat-lab'

const FULL_CONE = { mapping: 'endpoint-independent', filtering: 'endpoint-independent' } as const
const RESTRICTED_CONE = { mapping: 'endpoint-independent', filtering: 'address-dependent' } as const
const PORT_RESTRICTED_CONE = { mapping: 'endpoint-independent', filtering: 'address-and-port-dependent' } as const
const SYMMETRIC = { mapping: 'address-and-port-dependent', filtering: 'address-and-port-dependent' } as const

async function stranger(host: string) {
  const s = dgram.createSocket('udp4')
  s.on('error', () => {})
  await new Promise<void>((r) => s.bind(0, host, () => r()))
  return s
}

test(
  'address-dependent mapping: a new IP gets a new port, a new port on the same IP does not',
  async () => {
    const nat = await createNat({
      mapping: 'address-dependent',
      filtering: 'endpoint-independent',
      externalHost: '127.0.0.2'
    })
    const r1 = await reflector('127.0.0.1')
    const r2 = await reflector('127.0.0.1')
    const r3 = await reflector('127.0.0.4')
    const host = await internalHost(nat)
    try {
      const s1 = await reflexiveAddress(host, r1, 'ADM, reflector 127.0.0.1 #1')
      const s2 = await reflexiveAddress(host, r2, 'ADM, reflector 127.0.0.1 #2')
      const s3 = await reflexiveAddress(host, r3, 'ADM, reflector 127.0.0.4')
      assert.equal(
        s2.port,
        s1.port,
        `ADM: same destination IP (127.0.0.1), so the same mapping; saw ports ${s1.port} and ${s2.port}`
      )
      assert.notEqual(
        s3.port,
        s1.port,
        `ADM: destination 127.0.0.4 is a new IP and needs a new mapping, but it saw the same port ${s3.port}`
      )
      assert.equal(
        nat.mappingCount(),
        2,
        `expected 2 mappings (one per destination IP), mappingCount() says ${nat.mappingCount()}`
      )
    } finally {
      host.close()
      r1.close()
      r2.close()
      r3.close()
      await nat.close()
    }
  },
  { timeoutMs: 6000 }
)

test(
  'two internal hosts get separate mappings and their own replies',
  async () => {
    const nat = await createNat({ ...FULL_CONE, externalHost: '127.0.0.2' })
    const refl = await reflector('127.0.0.1')
    const h1 = await internalHost(nat)
    const h2 = await internalHost(nat)
    try {
      const s1 = await reflexiveAddress(h1, refl, 'first internal host')
      const s2 = await reflexiveAddress(h2, refl, 'second internal host')
      assert.notEqual(
        s1.port,
        s2.port,
        `two internal endpoints behind one NAT must get different external ports, both got ${s1.port}: key mappings by the internal address AND port`
      )
      assert.equal(
        h1.got.length,
        1,
        `host 1 should get exactly its own reply, it got ${h1.got.length}: deliver inbound packets to the internal endpoint that owns the mapping`
      )
      assert.equal(h2.got.length, 1, `host 2 should get exactly its own reply, it got ${h2.got.length}`)
    } finally {
      h1.close()
      h2.close()
      refl.close()
      await nat.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'filtering: who gets through an existing mapping',
  async () => {
    const expectations: Record<Behaviour, { sameIpOtherPort: boolean; otherIp: boolean }> = {
      'endpoint-independent': { sameIpOtherPort: true, otherIp: true },
      'address-dependent': { sameIpOtherPort: true, otherIp: false },
      'address-and-port-dependent': { sameIpOtherPort: false, otherIp: false }
    }
    for (const [filtering, expected] of Object.entries(expectations) as [
      Behaviour,
      (typeof expectations)[Behaviour]
    ][]) {
      const nat = await createNat({ mapping: 'endpoint-independent', filtering, externalHost: '127.0.0.2' })
      const refl = await reflector('127.0.0.1')
      const host = await internalHost(nat)
      const sameIp = await stranger('127.0.0.1')
      const otherIp = await stranger('127.0.0.4')
      try {
        const mapped = await reflexiveAddress(host, refl, `${filtering} filtering`)
        sameIp.send('from 127.0.0.1, another port', mapped.port, mapped.address)
        otherIp.send('from 127.0.0.4', mapped.port, mapped.address)
        const wantAny = expected.sameIpOtherPort || expected.otherIp
        if (wantAny)
          await host.waitFor((r) => r.text.startsWith('from 127.0.0.1') || r.text.startsWith('from 127.0.0.4'), 1500)
        await sleep(300)
        const gotSame = host.got.some((r) => r.text === 'from 127.0.0.1, another port')
        const gotOther = host.got.some((r) => r.text === 'from 127.0.0.4')
        assert.equal(
          gotSame,
          expected.sameIpOtherPort,
          `${filtering} filtering, the host only ever sent to ${show(refl.endpoint)}; a packet from 127.0.0.1:${sameIp.address().port} should be ${expected.sameIpOtherPort ? 'delivered' : 'dropped'} but was ${gotSame ? 'delivered' : 'dropped'}`
        )
        assert.equal(
          gotOther,
          expected.otherIp,
          `${filtering} filtering: a packet from 127.0.0.4 (never contacted) should be ${expected.otherIp ? 'delivered' : 'dropped'} but was ${gotOther ? 'delivered' : 'dropped'}`
        )
      } finally {
        host.close()
        refl.close()
        sameIp.close()
        otherIp.close()
        await nat.close()
      }
    }
  },
  { timeoutMs: 10000 }
)

test(
  'outbound traffic opens the filter for that peer',
  async () => {
    const nat = await createNat({ ...PORT_RESTRICTED_CONE, externalHost: '127.0.0.2' })
    const refl = await reflector('127.0.0.1')
    const host = await internalHost(nat)
    const peer = await stranger('127.0.0.4')
    try {
      const mapped = await reflexiveAddress(host, refl, 'port-restricted cone')
      peer.send('too early', mapped.port, mapped.address)
      await sleep(300)
      assert.ok(
        !host.got.some((r) => r.text === 'too early'),
        'an unsolicited packet from 127.0.0.4 must be dropped: the host has not sent to it yet'
      )
      host.send({ address: '127.0.0.4', port: peer.address().port }, 'hello peer')
      await sleep(100)
      peer.send('now welcome', mapped.port, mapped.address)
      const hit = await host.waitFor((r) => r.text === 'now welcome', 1500)
      assert.ok(
        hit,
        "after the host sent to 127.0.0.4:<port> through the same (endpoint-independent) mapping, that peer's packets must be let in: record every destination as it goes out"
      )
      assert.equal(hit.from.address, '127.0.0.4', 'the inside header must name the peer as the sender')
    } finally {
      host.close()
      refl.close()
      peer.close()
      await nat.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'junk on the inside link is ignored',
  async () => {
    const nat = await createNat({ ...FULL_CONE, externalHost: '127.0.0.2' })
    const refl = await reflector('127.0.0.1')
    const host = await internalHost(nat)
    try {
      host.socket.send(Buffer.from([1, 2, 3]), nat.insidePort, nat.insideHost)
      host.socket.send(Buffer.alloc(0), nat.insidePort, nat.insideHost)
      await sleep(50)
      const seen = await reflexiveAddress(host, refl, 'after two datagrams shorter than the 6-byte header')
      assert.equal(seen.address, '127.0.0.2')
      assert.equal(
        refl.seen.length,
        1,
        `the reflector should have received only the one well-formed packet, it got ${refl.seen.length}: drop inside datagrams shorter than 6 bytes`
      )
    } finally {
      host.close()
      refl.close()
      await nat.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  'hole punching between two port-restricted cones succeeds',
  async () => {
    const natA = await createNat({ ...PORT_RESTRICTED_CONE, externalHost: '127.0.0.2' })
    const natB = await createNat({ ...PORT_RESTRICTED_CONE, externalHost: '127.0.0.3' })
    try {
      const r = await holePunch(natA, natB)
      assert.ok(
        r.aGot.length > 0 && r.bGot.length > 0,
        `A got ${r.aGot.length} and B got ${r.bGot.length} punches. With endpoint-independent mapping the address each peer advertised is the one the other hits; the first punches are dropped, but once both have sent, each NAT has state for the other`
      )
    } finally {
      await natA.close()
      await natB.close()
    }
  },
  { timeoutMs: 6000 }
)

test(
  'hole punching between two symmetric NATs fails',
  async () => {
    const natA = await createNat({ ...SYMMETRIC, externalHost: '127.0.0.2' })
    const natB = await createNat({ ...SYMMETRIC, externalHost: '127.0.0.3' })
    try {
      const r = await holePunch(natA, natB)
      assert.equal(
        r.aGot.length + r.bGot.length,
        0,
        `no punch should get through (A got ${r.aGot.length}, B got ${r.bGot.length}). Each peer's punches leave from a NEW mapping (its NAT maps per destination), so they come from a port the other side never sent to, and address-and-port-dependent filtering drops them`
      )
    } finally {
      await natA.close()
      await natB.close()
    }
  },
  { timeoutMs: 6000 }
)

test(
  'symmetric NAT against each cone type',
  async () => {
    const cases = [
      { name: 'full cone', b: FULL_CONE, aHearsB: true, bHearsA: true },
      { name: 'restricted cone', b: RESTRICTED_CONE, aHearsB: true, bHearsA: true },
      { name: 'port-restricted cone', b: PORT_RESTRICTED_CONE, aHearsB: true, bHearsA: false }
    ]
    for (const c of cases) {
      const natA = await createNat({ ...SYMMETRIC, externalHost: '127.0.0.2' })
      const natB = await createNat({ ...c.b, externalHost: '127.0.0.3' })
      try {
        const r = await holePunch(natA, natB)
        assert.equal(
          r.bGot.length > 0,
          c.bHearsA,
          `symmetric A vs ${c.name} B: B should ${c.bHearsA ? '' : 'NOT '}receive A's punches (got ${r.bGot.length}). A's punches come from a new port; B's filter ${c.bHearsA ? 'ignores the source port, so they pass' : 'checks the exact port, so they are dropped'}`
        )
        assert.equal(
          r.aGot.length > 0,
          c.aHearsB,
          `symmetric A vs ${c.name} B: A should receive B's punches (got ${r.aGot.length}): B's NAT keeps one port, and A has sent to exactly that address`
        )
      } finally {
        await natA.close()
        await natB.close()
      }
    }
  },
  { timeoutMs: 10000 }
)

test(
  'two packets sent back to back share one mapping (no race while the first bind is pending)',
  async () => {
    // A host name makes the external bind wait for a lookup (off the main thread), so the second
    // packet arrives while the first mapping is still being made, as on a busy NAT.
    const nat = await createNat({
      mapping: 'endpoint-independent',
      filtering: 'endpoint-independent',
      externalHost: 'localhost'
    })
    const refl = await reflector('127.0.0.1')
    const host = await internalHost(nat)
    try {
      // Same tick, same destination: the NAT gets both before its first external bind completes.
      host.send(refl.endpoint, 'first')
      host.send(refl.endpoint, 'second')
      const deadline = Date.now() + 1500
      while (refl.seen.length < 2 && Date.now() < deadline) await sleep(10)
      assert.equal(refl.seen.length, 2, `both packets should reach the peer; it saw ${refl.seen.length}`)
      const ports = refl.seen.map((s) => s.port)
      assert.equal(
        ports[0],
        ports[1],
        `two packets sent back to back left from ports ${ports.join(' and ')}: both started their own mapping because the first bind had not finished. Remember the pending mapping (its promise), not only finished ones`
      )
      assert.equal(
        nat.mappingCount(),
        1,
        `one internal endpoint, one destination, endpoint-independent mapping: expected 1 mapping, mappingCount() says ${nat.mappingCount()}`
      )
    } finally {
      host.close()
      refl.close()
      await nat.close()
    }
  },
  { timeoutMs: 5000 }
)

test(
  "one host's outbound traffic opens the filter for that host only",
  async () => {
    const nat = await createNat({ ...PORT_RESTRICTED_CONE, externalHost: '127.0.0.2' })
    const reflA = await reflector('127.0.0.1')
    const reflB = await reflector('127.0.0.4')
    const a = await internalHost(nat)
    const b = await internalHost(nat)
    try {
      await reflexiveAddress(a, reflA, 'host A')
      const mappedB = await reflexiveAddress(b, reflB, 'host B')
      // Host A has talked to reflA; host B never has. reflA now aims at B's mapping.
      reflA.socket.send('not for you', mappedB.port, mappedB.address)
      reflB.socket.send('control', mappedB.port, mappedB.address)
      await b.waitFor((r) => r.text === 'control', 1500)
      await sleep(200)
      assert.ok(
        b.got.some((r) => r.text === 'control'),
        "host B's own peer could not reach it through its mapping"
      )
      assert.ok(
        !b.got.some((r) => r.text === 'not for you'),
        `a packet from ${show(reflA.endpoint)} reached host B, which never sent to it (only host A did): keep the filter state per internal endpoint, not one list for the whole NAT`
      )
    } finally {
      a.close()
      b.close()
      reflA.close()
      reflB.close()
      await nat.close()
    }
  },
  { timeoutMs: 6000 }
)
