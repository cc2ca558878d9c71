import assert from 'node:assert/strict'
import { test } from 'retransmit:test'
import { dissectFrame } from './solution'
import { ethernet, ipv4, tcp, udp, ROUTER_ALERT, TIMESTAMP_OPTIONS, SYN_OPTIONS } from './frames'

const REQUEST =
  'POST /api/cart HTTP/1.1\r\nHost: shop.example\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"item":"42"}'

test('IPv4 and TCP options move the payload: 14 + 24 + 32 = 70', () => {
  const frame = ethernet({
    payload: ipv4({
      options: ROUTER_ALERT,
      payload: tcp({ options: TIMESTAMP_OPTIONS, flags: 0x18, payload: Buffer.from(REQUEST) })
    })
  })
  const result = dissectFrame(frame)
  assert.ok(result.ipv4 && result.tcp, 'expected both an IPv4 and a TCP header')
  assert.equal(result.ipv4.ihl, 6, `IHL: first IPv4 byte is 0x46, so IHL is 6, got ${result.ipv4.ihl}`)
  assert.equal(
    result.ipv4.headerLength,
    24,
    `IPv4 headerLength: 6 x 4 = 24 (4 bytes of options), got ${result.ipv4.headerLength}`
  )
  assert.equal(
    result.ipv4.checksumValid,
    true,
    'checksumValid: the checksum covers the whole header, options included (IHL x 4 bytes), and this one is correct'
  )
  assert.equal(result.tcp.dataOffset, 8, `TCP dataOffset: byte 12 is 0x80, so 8 words, got ${result.tcp.dataOffset}`)
  assert.equal(
    result.tcp.headerLength,
    32,
    `TCP headerLength: 8 x 4 = 32 (20 fixed + 12 of NOP, NOP, timestamps), got ${result.tcp.headerLength}`
  )
  assert.ok(
    result.payload.equals(Buffer.from(REQUEST)),
    `payload should start at 70 (14 + IHL x 4 + Data Offset x 4); got bytes starting ${JSON.stringify(result.payload.subarray(0, 16).toString('latin1'))}`
  )
  assert.equal(result.http?.method, 'POST', `http.method: expected POST, got ${result.http?.method}`)
  assert.equal(
    result.http?.headers['content-length'],
    '13',
    `http.headers['content-length']: expected '13', got ${result.http?.headers['content-length']}`
  )
})

test('a corrupted IPv4 checksum is reported, not thrown', () => {
  const good = ethernet({
    payload: ipv4({ payload: tcp({ payload: Buffer.from('GET / HTTP/1.1\r\nHost: a\r\n\r\n') }) })
  })
  const bad = ethernet({
    payload: ipv4({
      corruptChecksum: true,
      payload: tcp({ payload: Buffer.from('GET / HTTP/1.1\r\nHost: a\r\n\r\n') })
    })
  })
  const g = dissectFrame(good)
  const b = dissectFrame(bad)
  assert.equal(
    g.ipv4?.checksumValid,
    true,
    'the intact header must verify (sum of all header words with end-around carry = 0xffff)'
  )
  assert.equal(
    b.ipv4?.checksumValid,
    false,
    'checksumValid must be false when the header checksum does not verify; are you summing the header with the checksum field included and folding carries back in?'
  )
  assert.equal(
    b.ipv4?.checksum,
    bad.readUInt16BE(24),
    `checksum: report the value found in the header (0x${bad.readUInt16BE(24).toString(16)}), even when it is wrong`
  )
  assert.equal(
    b.tcp?.dstPort,
    80,
    'a bad IP checksum should not stop the dissection: still parse TCP (a capture tool shows the error and carries on)'
  )
})

test('a UDP datagram (protocol 17) has no TCP header and no HTTP', () => {
  const dnsQuery = Buffer.from('abcd01000001000000000000076578616d706c6503636f6d0000010001', 'hex')
  const datagram = udp(53535, 53, dnsQuery)
  const frame = ethernet({ payload: ipv4({ protocol: 17, dst: '192.168.1.1', payload: datagram }) })
  const result = dissectFrame(frame)
  assert.equal(result.ipv4?.protocol, 17, `protocol: expected 17 (UDP), got ${result.ipv4?.protocol}`)
  assert.equal(result.tcp, null, 'tcp must be null when the IPv4 protocol is not 6: do not read a UDP header as TCP')
  assert.equal(result.http, null, 'http must be null for a UDP datagram')
  assert.ok(
    result.payload.equals(datagram),
    `payload: for a non-TCP protocol, return the IPv4 payload (here the ${datagram.length}-byte UDP datagram), got ${result.payload.length} bytes`
  )
})

test('Ethernet padding is not payload: stop at 14 + Total Length', () => {
  // A 1-byte keepalive-style segment: 14 + 20 + 20 + 1 = 55 bytes, padded to the 60-byte minimum.
  const frame = ethernet({ payload: ipv4({ payload: tcp({ flags: 0x10, payload: Buffer.from('x') }) }), padTo: 60 })
  const result = dissectFrame(frame)
  assert.equal(result.ipv4?.totalLength, 41, `totalLength: expected 41, got ${result.ipv4?.totalLength}`)
  assert.ok(
    result.payload.equals(Buffer.from('x')),
    `payload: expected exactly 1 byte ('x'), got ${result.payload.length} bytes; the 5 zero bytes after it are Ethernet padding, outside the IPv4 Total Length`
  )
})

test('an 802.1Q VLAN tag shifts everything by 4 bytes', () => {
  const frame = ethernet({
    vlanId: 42,
    payload: ipv4({ payload: tcp({ srcPort: 443, dstPort: 60000, flags: 0x02, options: SYN_OPTIONS }) })
  })
  const result = dissectFrame(frame)
  assert.equal(
    result.ethernet.vlanId,
    42,
    `vlanId: bytes 12-13 are 0x8100 (a VLAN tag); the low 12 bits of the next 2 bytes are the VLAN ID (42), got ${result.ethernet.vlanId}`
  )
  assert.equal(
    result.ethernet.etherType,
    0x0800,
    `etherType: after the 4-byte tag comes the real EtherType 0x0800, got 0x${result.ethernet.etherType.toString(16)}`
  )
  assert.equal(result.ipv4?.ihl, 5, 'the IPv4 header starts at byte 18 in a tagged frame')
  assert.deepEqual(result.tcp?.flags, ['SYN'], `flags: expected ['SYN'], got ${JSON.stringify(result.tcp?.flags)}`)
  assert.equal(
    result.tcp?.dataOffset,
    10,
    `dataOffset: a SYN with 20 bytes of options has Data Offset 10, got ${result.tcp?.dataOffset}`
  )
})

test('a non-IPv4 EtherType leaves the rest undecoded', () => {
  const ipv6ish = Buffer.alloc(40, 0x60)
  const frame = ethernet({ etherType: 0x86dd, payload: ipv6ish })
  const result = dissectFrame(frame)
  assert.equal(
    result.ethernet.etherType,
    0x86dd,
    `etherType: expected 0x86dd (IPv6), got 0x${result.ethernet.etherType.toString(16)}`
  )
  assert.equal(result.ipv4, null, 'ipv4 must be null unless the EtherType is 0x0800')
  assert.equal(result.tcp, null, 'tcp must be null when there is no IPv4 header')
  assert.ok(
    result.payload.equals(ipv6ish),
    'payload: for a non-IPv4 frame, return everything after the Ethernet header'
  )
})

test('sequence numbers near 2^32, all eight flags, and a non-HTTP payload', () => {
  const tlsRecord = Buffer.from('1603010200010001fc0303', 'hex')
  const frame = ethernet({
    payload: ipv4({ payload: tcp({ seq: 0xfffffff0, ack: 0x80000000, flags: 0xff, payload: tlsRecord }) })
  })
  const result = dissectFrame(frame)
  assert.equal(result.tcp?.seq, 0xfffffff0, `seq: expected 4294967280 (read unsigned), got ${result.tcp?.seq}`)
  assert.equal(result.tcp?.ack, 0x80000000, `ack: expected 2147483648 (read unsigned), got ${result.tcp?.ack}`)
  assert.deepEqual(
    result.tcp?.flags,
    ['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN'],
    `flag byte 0xff sets all eight, high bit first; got ${JSON.stringify(result.tcp?.flags)}`
  )
  assert.equal(
    result.http,
    null,
    'http must be null when the payload is not an HTTP request head (here it is a TLS record)'
  )
})

test('a frame cut short is an error, not garbage', () => {
  const whole = ethernet({ payload: ipv4({ payload: tcp({ payload: Buffer.from('GET / HTTP/1.1\r\n\r\n') }) }) })
  assert.throws(
    () => dissectFrame(whole.subarray(0, 40)),
    RangeError,
    'a frame that ends inside the TCP header (IPv4 Total Length says more bytes follow) must throw a RangeError'
  )
  assert.throws(
    () => dissectFrame(whole.subarray(0, 10)),
    RangeError,
    'a frame shorter than the 14-byte Ethernet header must throw a RangeError'
  )
  assert.throws(
    () => dissectFrame(whole.subarray(0, whole.length - 5)),
    RangeError,
    'a frame cut inside the TCP payload (IPv4 Total Length counts 5 more bytes than arrived) must throw a RangeError, not return a shorter payload'
  )
})
