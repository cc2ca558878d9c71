import assert from 'node:assert/strict'
import { test } from 'retransmit:test'
import { dissectFrame } from './solution'
import { ethernet, ipv4, tcp } from './frames'

const REQUEST = 'GET /index.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: retransmit/1.0\r\nAccept: */*\r\n\r\n'

/** A PSH+ACK segment from 192.168.1.10:51514 to 93.184.216.34:80 carrying an HTTP GET. */
function httpGetFrame(): Buffer {
  return ethernet({
    dst: '3c:22:fb:9a:01:7e',
    src: 'a4:83:e7:12:34:56',
    payload: ipv4({
      src: '192.168.1.10',
      dst: '93.184.216.34',
      ttl: 64,
      payload: tcp({
        srcPort: 51514,
        dstPort: 80,
        seq: 2_000_000_001,
        ack: 3_141_592_653,
        flags: 0x18,
        window: 502,
        payload: Buffer.from(REQUEST)
      })
    })
  })
}

test('reads the Ethernet II header: destination MAC, source MAC, EtherType', () => {
  const { ethernet: eth } = dissectFrame(httpGetFrame())
  assert.equal(eth.dst, '3c:22:fb:9a:01:7e', `destination MAC: expected 3c:22:fb:9a:01:7e (bytes 0-5), got ${eth.dst}`)
  assert.equal(eth.src, 'a4:83:e7:12:34:56', `source MAC: expected a4:83:e7:12:34:56 (bytes 6-11), got ${eth.src}`)
  assert.equal(
    eth.etherType,
    0x0800,
    `EtherType: expected 0x0800 (IPv4) from bytes 12-13 read big-endian, got 0x${eth.etherType.toString(16)}`
  )
})

test('reads the IPv4 header: IHL, lengths, TTL, protocol, addresses, checksum', () => {
  const frame = httpGetFrame()
  const { ipv4: ip } = dissectFrame(frame)
  assert.ok(ip, 'ipv4 is null: EtherType 0x0800 means an IPv4 header starts at byte 14')
  assert.equal(ip.version, 4, `version: the high nibble of the first IPv4 byte (0x45) is 4, got ${ip.version}`)
  assert.equal(ip.ihl, 5, `IHL: the low nibble of 0x45 is 5, got ${ip.ihl}`)
  assert.equal(
    ip.headerLength,
    20,
    `headerLength: IHL counts 32-bit words, so 5 x 4 = 20 bytes, got ${ip.headerLength}`
  )
  assert.equal(
    ip.totalLength,
    frame.length - 14,
    `totalLength: bytes 2-3 of the IPv4 header should be ${frame.length - 14} (header + TCP segment), got ${ip.totalLength}`
  )
  assert.equal(ip.ttl, 64, `ttl: byte 8, expected 64, got ${ip.ttl}`)
  assert.equal(ip.protocol, 6, `protocol: byte 9, expected 6 (TCP), got ${ip.protocol}`)
  assert.equal(ip.src, '192.168.1.10', `src: bytes 12-15 as dotted quad, expected 192.168.1.10, got ${ip.src}`)
  assert.equal(ip.dst, '93.184.216.34', `dst: bytes 16-19 as dotted quad, expected 93.184.216.34, got ${ip.dst}`)
  assert.equal(
    ip.checksum,
    frame.readUInt16BE(14 + 10),
    `checksum: report the 16-bit value at bytes 10-11, got ${ip.checksum}`
  )
  assert.equal(
    ip.checksumValid,
    true,
    "checksumValid: this header is intact; the one's complement sum of all ten 16-bit words (checksum included) must be 0xffff (RFC 1071)"
  )
})

test('reads the TCP header: ports, sequence and ACK numbers, data offset, flags, window', () => {
  const { tcp: seg } = dissectFrame(httpGetFrame())
  assert.ok(seg, 'tcp is null: IPv4 protocol 6 means a TCP header follows the IPv4 header (at 14 + IHL x 4)')
  assert.equal(seg.srcPort, 51514, `srcPort: bytes 0-1 of the TCP header, expected 51514, got ${seg.srcPort}`)
  assert.equal(seg.dstPort, 80, `dstPort: bytes 2-3, expected 80, got ${seg.dstPort}`)
  assert.equal(
    seg.seq,
    2_000_000_001,
    `seq: bytes 4-7 as an unsigned 32-bit number, expected 2000000001, got ${seg.seq}`
  )
  assert.equal(
    seg.ack,
    3_141_592_653,
    `ack: bytes 8-11, unsigned (it is above 2^31: readInt32BE would go negative), expected 3141592653, got ${seg.ack}`
  )
  assert.equal(seg.dataOffset, 5, `dataOffset: the high nibble of byte 12, expected 5 words, got ${seg.dataOffset}`)
  assert.equal(seg.headerLength, 20, `headerLength: Data Offset x 4 = 20 bytes, got ${seg.headerLength}`)
  assert.deepEqual(
    seg.flags,
    ['ACK', 'PSH'],
    `flags: byte 13 is 0x18 = ACK (0x10) + PSH (0x08); list set flags from high bit to low (CWR ECE URG ACK PSH RST SYN FIN), got ${JSON.stringify(seg.flags)}`
  )
  assert.equal(seg.window, 502, `window: bytes 14-15, expected 502, got ${seg.window}`)
})

test('finds the payload and parses the HTTP request head', () => {
  const result = dissectFrame(httpGetFrame())
  assert.ok(
    result.payload.equals(Buffer.from(REQUEST)),
    `payload: expected the ${REQUEST.length} request bytes that start at 14 + 20 + 20 = 54, got ${result.payload.length} bytes starting ${JSON.stringify(result.payload.subarray(0, 16).toString('latin1'))}`
  )
  assert.ok(result.http, 'http is null: the payload holds a complete request head (request line, fields, empty line)')
  assert.equal(result.http.method, 'GET', `method: expected GET, got ${result.http.method}`)
  assert.equal(result.http.target, '/index.html', `target: expected /index.html, got ${result.http.target}`)
  assert.equal(result.http.version, 'HTTP/1.1', `version: expected HTTP/1.1, got ${result.http.version}`)
  assert.deepEqual(
    result.http.headers,
    { host: 'example.com', 'user-agent': 'retransmit/1.0', accept: '*/*' },
    `headers: field names lower-cased, values trimmed; got ${JSON.stringify(result.http.headers)}`
  )
})

test('decodes the flags of a SYN-ACK with no payload', () => {
  const frame = ethernet({
    payload: ipv4({
      src: '93.184.216.34',
      dst: '192.168.1.10',
      payload: tcp({ srcPort: 80, dstPort: 51514, flags: 0x12, ack: 1001 })
    }),
    padTo: 60
  })
  const result = dissectFrame(frame)
  assert.ok(result.tcp, 'tcp is null for a TCP segment')
  assert.deepEqual(
    result.tcp.flags,
    ['ACK', 'SYN'],
    `flag byte 0x12 = ACK (0x10) + SYN (0x02), high bit first; got ${JSON.stringify(result.tcp.flags)}`
  )
  assert.equal(
    result.payload.length,
    0,
    `a SYN-ACK carries no data, but got ${result.payload.length} payload bytes: did you read to the end of the frame instead of to 14 + Total Length? (short frames are padded to 60 bytes)`
  )
  assert.equal(result.http, null, 'http must be null when there is no payload')
})
