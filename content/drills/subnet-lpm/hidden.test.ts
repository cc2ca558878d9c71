import assert from 'node:assert/strict'
import { test, note } from 'retransmit:test'
import { ForwardingTable, contains, formatAddress, parseAddress, subnetInfo } from './solution'

const info = (cidr: string) => {
  const i = subnetInfo(cidr)
  return { ...i, addresses: String(i.addresses) }
}

test('the edges: /0, /30, /31 (RFC 3021) and /32', () => {
  assert.deepEqual(
    [info('0.0.0.0/0').mask, info('0.0.0.0/0').addresses, info('0.0.0.0/0').broadcast],
    ['0.0.0.0', '4294967296', '255.255.255.255'],
    '/0 is every IPv4 address: mask 0.0.0.0 (a 32-bit shift by 32 is a shift by 0 in JavaScript, beware), 2^32 addresses'
  )
  const p30 = info('198.51.100.9/30')
  assert.deepEqual(
    [p30.network, p30.firstHost, p30.lastHost, p30.broadcast],
    ['198.51.100.8', '198.51.100.9', '198.51.100.10', '198.51.100.11'],
    `a /30 has 2 hosts between network and broadcast; got ${JSON.stringify(p30)}`
  )
  const p31 = info('198.51.100.9/31')
  assert.deepEqual(
    [p31.firstHost, p31.lastHost],
    ['198.51.100.8', '198.51.100.9'],
    `a /31 point-to-point link uses both addresses as hosts (RFC 3021); got ${p31.firstHost} to ${p31.lastHost}`
  )
  const p32 = info('198.51.100.9/32')
  assert.deepEqual(
    [p32.network, p32.firstHost, p32.lastHost, p32.addresses, p32.mask],
    ['198.51.100.9', '198.51.100.9', '198.51.100.9', '1', '255.255.255.255'],
    `a /32 is one host; got ${JSON.stringify(p32)}`
  )
})

test('IPv6 prefixes: no broadcast, no mask string, sizes past 2^53', () => {
  const p = info('2001:db8:abcd:12::1/64')
  assert.deepEqual(
    p,
    {
      family: 6,
      prefix: '2001:db8:abcd:12::/64',
      network: '2001:db8:abcd:12::',
      broadcast: null,
      mask: null,
      addresses: '18446744073709551616',
      firstHost: '2001:db8:abcd:12::',
      lastHost: '2001:db8:abcd:12:ffff:ffff:ffff:ffff'
    },
    'IPv6 has no broadcast (RFC 4291 §2); a /64 holds 2^64 addresses, which a JavaScript number cannot count exactly: use BigInt'
  )
  assert.equal(info('::/0').addresses, (1n << 128n).toString(), '::/0 holds 2^128 addresses')
  assert.equal(info('2001:db8::1/128').firstHost, '2001:db8::1', 'a /128 is one address')
})

test('RFC 5952 canonical text, and every IPv6 input form', () => {
  const cases: Array<[string, string, string]> = [
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1', 'two runs of two zero groups: compress the first (§4.2.3)'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1', 'never "::" for a single zero group (§4.2.2)'],
    ['fe80:0:0:0:1:0:0:0', 'fe80::1:0:0:0', 'runs of 3 and 3: the first wins'],
    ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1', 'the longest run is compressed'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1', 'a run of 2 comes first, a run of 3 later: compress the longest (§4.2.3)'],
    ['0:0:0:0:0:0:0:0', '::', 'all zeros'],
    ['::1', '::1', 'loopback'],
    ['1::', '1::', 'trailing "::"'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1', 'IPv4-mapped keeps the dotted quad (§5)'],
    ['::FFFF:C000:0201', '::ffff:192.0.2.1', 'IPv4-mapped written in hex is shown dotted too'],
    ['2001:DB8::A', '2001:db8::a', 'lower case (§4.3)']
  ]
  for (const [input, canonical, why] of cases) {
    const p = parseAddress(input)
    assert.equal(formatAddress(p.family, p.value), canonical, `${input} should print as ${canonical}: ${why}`)
  }
})

test('bad input is a RangeError, never a guess', () => {
  for (const bad of [
    '10.0.0.256',
    '10.0.0',
    '10.0.0.1.2',
    '01.2.3.4',
    '1.2.3.-4',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    '12345::',
    'g::1',
    '',
    'localhost'
  ]) {
    assert.throws(
      () => parseAddress(bad),
      RangeError,
      `${JSON.stringify(bad)} is not an address and must throw a RangeError (a leading zero is refused, not read as octal)`
    )
  }
  for (const bad of ['10.0.0.0/33', '2001:db8::/129', '10.0.0.0', '10.0.0.0/-1', '10.0.0.0/8/8', '10.0.0.0/ 8']) {
    assert.throws(
      () => subnetInfo(bad),
      RangeError,
      `${JSON.stringify(bad)} is not a prefix and must throw a RangeError`
    )
  }
})

test('contains never mixes families, and checks every bit of the prefix', () => {
  assert.equal(
    contains('::/0', '192.0.2.1'),
    false,
    'an IPv4 address is not inside ::/0: the families are separate address spaces'
  )
  assert.equal(contains('0.0.0.0/0', '::1'), false, 'an IPv6 address is not inside 0.0.0.0/0')
  assert.equal(contains('10.0.0.0/12', '10.15.255.255'), true, '/12 covers 10.0.0.0 to 10.15.255.255')
  assert.equal(
    contains('10.0.0.0/12', '10.16.0.0'),
    false,
    '10.16.0.0 is past the /12 (the prefix ends inside the second octet)'
  )
  assert.equal(contains('2001:db8::/33', '2001:db8:8000::1'), false, 'a /33 stops one bit into the third group')
})

test('the table: host bits cleared on add, a route replaced, removed, and families kept apart', () => {
  const table = new ForwardingTable()
  table.add('10.1.2.3/16', 'a') // host bits set: this is 10.1.0.0/16
  assert.deepEqual(
    table.lookup('10.1.200.200'),
    { prefix: '10.1.0.0/16', nextHop: 'a' },
    'a route added as 10.1.2.3/16 covers 10.1.0.0/16 and is reported that way'
  )
  table.add('10.1.0.0/16', 'b')
  assert.equal(table.lookup('10.1.0.9')?.nextHop, 'b', 'adding the same prefix again replaces its next hop')
  table.add('::/0', 'v6-default')
  assert.equal(table.lookup('192.0.2.1'), null, 'an IPv4 address must not match the IPv6 default route ::/0')
  table.add('0.0.0.0/0', 'v4-default')
  assert.equal(table.lookup('192.0.2.1')?.nextHop, 'v4-default')
  assert.equal(table.remove('10.1.9.9/16'), true, 'remove() clears host bits too, and says whether a route went')
  assert.equal(
    table.lookup('10.1.0.9')?.nextHop,
    'v4-default',
    'after removing 10.1.0.0/16, 10.1.0.9 falls back to the default'
  )
  assert.equal(table.remove('10.1.0.0/16'), false, 'removing a route that is not there returns false')
})

/** Seeded PRNG (mulberry32): the same table every run. */
function prng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

test('300 random routes, 2000 lookups: always the longest match (checked by brute force)', () => {
  const random = prng(1812)
  const ip = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')
  // Prefixes inside 10.0.0.0/8, so many of them nest and overlap.
  const routes = Array.from({ length: 300 }, (_, i) => {
    const length = 8 + Math.floor(random() * 25)
    const base = (0x0a000000 | Math.floor(random() * 0x1000000)) >>> 0
    const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0
    return { network: (base & mask) >>> 0, mask, length, hop: `r${i}` }
  })
  const table = new ForwardingTable()
  for (const r of routes) table.add(`${ip(r.network)}/${r.length}`, r.hop)
  let shown = 0
  for (let i = 0; i < 2000; i++) {
    const address = (0x0a000000 | Math.floor(random() * 0x1000000)) >>> 0
    let best: (typeof routes)[number] | undefined
    for (const r of routes) if ((address & r.mask) >>> 0 === r.network && (!best || r.length >= best.length)) best = r
    const got = table.lookup(ip(address))
    if (shown < 5 && best) {
      note(
        `lookup ${ip(address)} -> ${got?.prefix ?? 'no route'} (longest of the routes containing it: /${best.length})`
      )
      shown++
    }
    assert.equal(
      got?.prefix ?? null,
      best ? `${ip(best.network)}/${best.length}` : null,
      `lookup(${ip(address)}) gave ${JSON.stringify(got)}; the longest matching prefix is ${best ? `${ip(best.network)}/${best.length}` : 'none'}`
    )
  }
})
