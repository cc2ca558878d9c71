import assert from 'node:assert/strict'
import { test, note } from 'retransmit:test'
import { ForwardingTable, contains, formatAddress, parseAddress, subnetInfo } from './solution'

test('subnetInfo for 192.168.10.77/26: network, broadcast, mask, size and hosts', () => {
  const info = subnetInfo('192.168.10.77/26')
  note(
    `192.168.10.77/26 -> ${info.prefix}: mask ${info.mask}, broadcast ${info.broadcast}, hosts ${info.firstHost} to ${info.lastHost}`
  )
  assert.deepEqual(
    { ...info, addresses: String(info.addresses) },
    {
      family: 4,
      prefix: '192.168.10.64/26',
      network: '192.168.10.64',
      broadcast: '192.168.10.127',
      mask: '255.255.255.192',
      addresses: '64',
      firstHost: '192.168.10.65',
      lastHost: '192.168.10.126'
    },
    'a /26 holds 2^(32-26) = 64 addresses; clear the 6 host bits of .77 to get .64; the last address .127 is the broadcast (RFC 4632 §3.1, RFC 1122 §3.2.1.3)'
  )
})

test('contains: AND with the mask, compare with the network', () => {
  assert.equal(contains('10.0.0.0/8', '10.255.1.1'), true, '10.255.1.1 is inside 10.0.0.0/8')
  assert.equal(contains('10.0.0.0/8', '11.0.0.1'), false, '11.0.0.1 is outside 10.0.0.0/8')
  assert.equal(
    contains('192.168.10.64/26', '192.168.10.128'),
    false,
    '.128 is the first address after the /26 block 64-127'
  )
  assert.equal(contains('2001:db8::/32', '2001:db8:ffff::1'), true, '2001:db8:ffff::1 is inside 2001:db8::/32')
})

test('longest prefix wins, not the first route added', () => {
  const table = new ForwardingTable()
  table.add('0.0.0.0/0', 'isp')
  table.add('10.0.0.0/8', 'core')
  table.add('10.1.0.0/16', 'branch')
  for (const [address, hop] of [
    ['10.1.5.5', 'branch'],
    ['10.2.0.1', 'core'],
    ['192.0.2.1', 'isp']
  ] as const) {
    const hit = table.lookup(address)
    note(`lookup ${address} -> ${hit ? `${hit.prefix} via ${hit.nextHop}` : 'no route'}`)
    assert.equal(
      hit?.nextHop,
      hop,
      `${address} should go via ${hop} (the longest matching prefix, RFC 1812 §5.2.4.3); got ${JSON.stringify(hit)}`
    )
  }
})

test('IPv6 text in and out: "::" and RFC 5952 canonical form', () => {
  const p = parseAddress('2001:0DB8:0000:0000:0000:0000:0000:0001')
  assert.equal(p.family, 6, 'an address with colons is IPv6')
  assert.equal(
    formatAddress(6, p.value),
    '2001:db8::1',
    'RFC 5952: lower case, no leading zeros, the longest run of zero groups as "::"'
  )
  assert.equal(formatAddress(4, parseAddress('192.0.2.1').value), '192.0.2.1', 'IPv4 round-trips as a dotted quad')
})
