import assert from 'node:assert/strict'
import { note, test } from 'retransmit:test'
import { ConnectionReader, FrameReader, HpackDecoder, decodeHuffman, decodeInteger } from './solution'
import { checkBlock, describeEvent, frame, hex, spaced } from './h2-check'

test('prefixed integers: RFC 7541 C.1', () => {
  const cases: Array<[string, number, number, string]> = [
    ['0a', 5, 10, 'C.1.1: 10 fits in a 5-bit prefix'],
    [
      '1f9a0a',
      5,
      1337,
      'C.1.2: 1337 = 31 (prefix full) + 26 + 10 * 128; continuation octets are 7 bits each, least significant first'
    ],
    ['2a', 8, 42, 'C.1.3: 42 in a whole octet']
  ]
  for (const [bytes, prefix, value, why] of cases) {
    const got = decodeInteger(hex(bytes), 0, prefix)
    note(`integer ${bytes} with a ${prefix}-bit prefix -> ${got.value}`)
    assert.deepEqual(got, { value, next: hex(bytes).length }, `${why}; got ${JSON.stringify(got)}`)
  }
  const flagged = decodeInteger(hex('e0'), 0, 5)
  assert.equal(
    flagged.value,
    0,
    'only the low prefixBits of the first octet are the integer: 0xe0 with a 5-bit prefix is 0 (the top 3 bits belong to the representation)'
  )
})

test('a literal with incremental indexing enters the dynamic table: RFC 7541 C.2.1, then C.2.4', () => {
  const d = new HpackDecoder()
  checkBlock(
    'C.2.1',
    d,
    '400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572',
    [['custom-key', 'custom-header']],
    [['custom-key', 'custom-header']],
    55
  )
  checkBlock('C.2.4', d, '82', [[':method', 'GET']], [['custom-key', 'custom-header']], 55)
  checkBlock(
    'index 62 is the newest dynamic entry',
    d,
    'be',
    [['custom-key', 'custom-header']],
    [['custom-key', 'custom-header']],
    55
  )
})

test('three requests share one dynamic table: RFC 7541 C.3 (no Huffman)', () => {
  const d = new HpackDecoder()
  checkBlock(
    'C.3.1',
    d,
    '8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d',
    [
      [':method', 'GET'],
      [':scheme', 'http'],
      [':path', '/'],
      [':authority', 'www.example.com']
    ],
    [[':authority', 'www.example.com']],
    57
  )
  checkBlock(
    'C.3.2',
    d,
    '8286 84be 5808 6e6f 2d63 6163 6865',
    [
      [':method', 'GET'],
      [':scheme', 'http'],
      [':path', '/'],
      [':authority', 'www.example.com'],
      ['cache-control', 'no-cache']
    ],
    [
      ['cache-control', 'no-cache'],
      [':authority', 'www.example.com']
    ],
    110
  )
  checkBlock(
    'C.3.3',
    d,
    '8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65',
    [
      [':method', 'GET'],
      [':scheme', 'https'],
      [':path', '/index.html'],
      [':authority', 'www.example.com'],
      ['custom-key', 'custom-value']
    ],
    [
      ['custom-key', 'custom-value'],
      ['cache-control', 'no-cache'],
      [':authority', 'www.example.com']
    ],
    164
  )
})

test('Huffman strings: RFC 7541 C.4.1', () => {
  const got = decodeHuffman(hex('f1e3 c2e5 f23a 6ba0 ab90 f4ff'))
  assert.equal(
    got,
    'www.example.com',
    `f1e3 c2e5 f23a 6ba0 ab90 f4ff is www.example.com in the Appendix B code ('w' is 1111000, 7 bits), the last 7 bits padding of ones; got '${got}'`
  )
  const d = new HpackDecoder()
  checkBlock(
    'C.4.1',
    d,
    '8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff',
    [
      [':method', 'GET'],
      [':scheme', 'http'],
      [':path', '/'],
      [':authority', 'www.example.com']
    ],
    [[':authority', 'www.example.com']],
    57
  )
})

test('frames: a SETTINGS frame and a HEADERS frame, fed one octet at a time', () => {
  const settings = frame(4, 0, 0, hex('0001 0000 1000 0004 0000 ffff'))
  const headers = frame(1, 0x05, 1, hex('8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d'))
  const bytes = Buffer.concat([settings, headers])
  const reader = new FrameReader()
  const frames = []
  for (let i = 0; i < bytes.length; i++) frames.push(...reader.push(bytes.subarray(i, i + 1)))
  for (const f of frames)
    note(
      `frame type ${f.type} flags 0x${f.flags.toString(16)} stream ${f.streamId}, ${f.length} octets: ${spaced(f.payload)}`
    )
  assert.equal(
    frames.length,
    2,
    `two frames went in (${spaced(bytes)}), got ${frames.length} out: keep partial bytes until a whole frame (9-octet header + Length) has arrived`
  )
  assert.deepEqual(
    frames.map((f) => [f.length, f.type, f.flags, f.streamId]),
    [
      [12, 4, 0, 0],
      [20, 1, 5, 1]
    ],
    'frame header (RFC 9113 §4.1): Length (24 bits), Type (8), Flags (8), R (1) + Stream Identifier (31)'
  )
  assert.deepEqual(
    frames[1]!.payload,
    hex('8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d'),
    'the payload is the Length octets after the 9-octet header'
  )
})

test('a connection: preface, SETTINGS, then a request decoded to its header list', () => {
  const reader = new ConnectionReader()
  const bytes = Buffer.concat([
    Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1'),
    frame(4, 0, 0, hex('0003 0000 0064')),
    frame(1, 0x05, 1, hex('8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d'))
  ])
  const events = [...reader.push(bytes.subarray(0, 20)), ...reader.push(bytes.subarray(20))]
  for (const e of events) note(describeEvent(e))
  assert.deepEqual(
    events,
    [
      { type: 'settings', ack: false, settings: [[3, 100]] },
      {
        type: 'headers',
        streamId: 1,
        endStream: true,
        headers: [
          [':method', 'GET'],
          [':scheme', 'http'],
          [':path', '/'],
          [':authority', 'www.example.com']
        ]
      }
    ],
    'after the 24-octet preface (RFC 9113 §3.4): a SETTINGS event (MAX_CONCURRENT_STREAMS=100), then the HEADERS frame (END_STREAM | END_HEADERS) decoded by HPACK'
  )
})
