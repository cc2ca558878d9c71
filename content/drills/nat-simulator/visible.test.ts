import assert from 'node:assert/strict'
import { test } from 'retransmit:test'
import { createNat, filterAllows, mappingKey } from './solution'
import { holePunch, internalHost, reflector, reflexiveAddress, show } from './nat-lab'

const X = { address: '127.0.0.1', port: 40000 }
const R1 = { address: '198.51.100.7', port: 3478 }
const R1b = { address: '198.51.100.7', port: 9999 }
const R2 = { address: '203.0.113.9', port: 3478 }

test('mappingKey: which destinations share a mapping', () => {
  const eim = (d: typeof R1) => mappingKey('endpoint-independent', X, d)
  assert.equal(
    eim(R1),
    eim(R2),
    'endpoint-independent mapping: the same internal X:x keeps ONE mapping whatever the destination (RFC 4787 §4.1)'
  )
  const adm = (d: typeof R1) => mappingKey('address-dependent', X, d)
  assert.equal(adm(R1), adm(R1b), 'address-dependent mapping: same destination IP, different port -> same mapping')
  assert.notEqual(adm(R1), adm(R2), 'address-dependent mapping: a new destination IP needs a new mapping')
  const apdm = (d: typeof R1) => mappingKey('address-and-port-dependent', X, d)
  assert.notEqual(
    apdm(R1),
    apdm(R1b),
    'address-and-port-dependent mapping: a new destination port alone needs a new mapping'
  )
  assert.notEqual(
    mappingKey('endpoint-independent', X, R1),
    mappingKey('endpoint-independent', { address: '127.0.0.1', port: 40001 }, R1),
    'two different internal endpoints never share a mapping'
  )
})

test('filterAllows: who may send in', () => {
  const contacted = [R1]
  const cases: [Parameters<typeof filterAllows>[0], typeof R1, boolean, string][] = [
    ['endpoint-independent', R2, true, 'endpoint-independent filtering lets anyone in once a mapping exists'],
    [
      'address-dependent',
      R1b,
      true,
      'address-dependent filtering: X:x sent to 198.51.100.7, so any port of that IP may answer'
    ],
    ['address-dependent', R2, false, 'address-dependent filtering: X:x never sent to 203.0.113.9, so drop it'],
    [
      'address-and-port-dependent',
      R1,
      true,
      'address-and-port-dependent filtering: the exact IP:port X:x sent to may answer'
    ],
    [
      'address-and-port-dependent',
      R1b,
      false,
      'address-and-port-dependent filtering: same IP but another port was never contacted, so drop it'
    ]
  ]
  for (const [filtering, source, expected, why] of cases) {
    assert.equal(
      filterAllows(filtering, contacted, source),
      expected,
      `${filtering}, packet from ${show(source)}: expected ${expected ? 'allow' : 'drop'}. ${why}`
    )
  }
})

test(
  'a packet goes out from the external address and the reply comes back',
  async () => {
    const nat = await createNat({
      mapping: 'endpoint-independent',
      filtering: 'endpoint-independent',
      externalHost: '127.0.0.2'
    })
    const refl = await reflector('127.0.0.1')
    const host = await internalHost(nat)
    try {
      const seen = await reflexiveAddress(host, refl, 'one round trip')
      assert.equal(
        seen.address,
        '127.0.0.2',
        `the reflector should see the NAT's external address 127.0.0.2, it saw ${show(seen)}: bind each mapping socket on options.externalHost`
      )
      assert.notEqual(
        seen.port,
        nat.insidePort,
        'the packet must leave from a mapping socket, not from the inside socket'
      )
      const reply = host.got[0]!
      assert.deepEqual(
        reply.from,
        refl.endpoint,
        `the inside header of a reply must name the original sender ${show(refl.endpoint)}, got ${show(reply.from)}`
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
  'endpoint-independent mapping keeps one port; address-and-port-dependent does not',
  async () => {
    for (const mapping of ['endpoint-independent', 'address-and-port-dependent'] as const) {
      const nat = await createNat({ mapping, filtering: 'endpoint-independent', externalHost: '127.0.0.2' })
      const r1 = await reflector('127.0.0.1')
      const r2 = await reflector('127.0.0.1')
      const host = await internalHost(nat)
      try {
        const seen1 = await reflexiveAddress(host, r1, `${mapping}, first reflector`)
        const seen2 = await reflexiveAddress(host, r2, `${mapping}, second reflector`)
        if (mapping === 'endpoint-independent') {
          assert.equal(
            seen2.port,
            seen1.port,
            `EIM: both reflectors must see the same external port, saw ${seen1.port} and ${seen2.port}`
          )
        } else {
          assert.notEqual(
            seen2.port,
            seen1.port,
            `APDM: a new destination port gets a new mapping, but both reflectors saw port ${seen1.port}`
          )
        }
      } finally {
        host.close()
        r1.close()
        r2.close()
        await nat.close()
      }
    }
  },
  { timeoutMs: 6000 }
)

test(
  'hole punching between two full-cone NATs succeeds',
  async () => {
    const natA = await createNat({
      mapping: 'endpoint-independent',
      filtering: 'endpoint-independent',
      externalHost: '127.0.0.2'
    })
    const natB = await createNat({
      mapping: 'endpoint-independent',
      filtering: 'endpoint-independent',
      externalHost: '127.0.0.3'
    })
    try {
      const r = await holePunch(natA, natB)
      assert.ok(
        r.aGot.length > 0 && r.bGot.length > 0,
        `both peers should hear each other (A got ${r.aGot.length}, B got ${r.bGot.length} punches): each NAT must deliver inbound packets on an existing mapping to its internal host`
      )
    } finally {
      await natA.close()
      await natB.close()
    }
  },
  { timeoutMs: 6000 }
)
