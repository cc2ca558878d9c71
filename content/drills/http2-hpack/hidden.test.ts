import assert from 'node:assert/strict'
import http2 from 'node:http2'
import net from 'node:net'
import { listen, note, test, withTimeout } from 'retransmit:test'
import {
  ConnectionReader,
  FrameReader,
  HpackDecoder,
  decodeHuffman,
  type ConnectionEvent,
  type HeaderField
} from './solution'
import { checkBlock, describeEvent, expectError, fields, frame, hex, noteTable } from './h2-check'

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1')
const SETTINGS = frame(4, 0, 0)
const C3_1 = '8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d'

test('literals without indexing and never indexed leave the table alone: RFC 7541 C.2.2, C.2.3', () => {
  const d = new HpackDecoder()
  checkBlock('C.2.2', d, '040c 2f73 616d 706c 652f 7061 7468', [[':path', '/sample/path']], [], 0)
  checkBlock(
    'C.2.3 (never indexed, RFC 7541 §6.2.3: for secrets no table may hold)',
    d,
    '1008 7061 7373 776f 7264 0673 6563 7265 74',
    [['password', 'secret']],
    [],
    0
  )
  checkBlock('index 61, the last static entry', d, 'bd', [['www-authenticate', '']], [], 0)
  checkBlock(
    'a literal without indexing, its name from the static table (index 4, :path)',
    d,
    '0408 2f69 6e64 6578 3f61',
    [[':path', '/index?a']],
    [],
    0
  )
})

test('three requests with Huffman: RFC 7541 C.4', () => {
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
  checkBlock(
    'C.4.2',
    d,
    '8286 84be 5886 a8eb 1064 9cbf',
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
    'C.4.3',
    d,
    '8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf',
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

const DATE1: HeaderField = ['date', 'Mon, 21 Oct 2013 20:13:21 GMT']
const DATE2: HeaderField = ['date', 'Mon, 21 Oct 2013 20:13:22 GMT']
const LOC: HeaderField = ['location', 'https://www.example.com']
const COOKIE: HeaderField = ['set-cookie', 'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1']

function responses(label: string, blocks: [string, string, string]): void {
  // A 256-octet table: the second response evicts the oldest entry, the third evicts three.
  const d = new HpackDecoder(256)
  checkBlock(
    `${label}.1`,
    d,
    blocks[0],
    [[':status', '302'], ['cache-control', 'private'], DATE1, LOC],
    [LOC, DATE1, ['cache-control', 'private'], [':status', '302']],
    222
  )
  checkBlock(
    `${label}.2 (adding :status 307, 42 octets, evicts :status 302)`,
    d,
    blocks[1],
    [[':status', '307'], ['cache-control', 'private'], DATE1, LOC],
    [[':status', '307'], LOC, DATE1, ['cache-control', 'private']],
    222
  )
  checkBlock(
    `${label}.3 (three entries evicted, oldest first)`,
    d,
    blocks[2],
    [[':status', '200'], ['cache-control', 'private'], DATE2, LOC, ['content-encoding', 'gzip'], COOKIE],
    [COOKIE, ['content-encoding', 'gzip'], DATE2],
    215
  )
}

test('responses in a 256-octet table, with eviction: RFC 7541 C.5', () => {
  responses('C.5', [
    `4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133
     2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d`,
    '4803 3330 37c1 c0bf',
    `88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d
     54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049
     5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31`
  ])
})

test('responses with Huffman, with eviction: RFC 7541 C.6', () => {
  responses('C.6', [
    `4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6
     2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3`,
    '4883 640e ffc1 c0bf',
    `88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab
     77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f
     9587 3160 65c0 03ed 4ee5 b106 3d50 07`
  ])
})

test('dynamic table size updates: evict, stay under the advertised limit, and come first', () => {
  const d = new HpackDecoder(4096)
  checkBlock(
    'fill the table',
    d,
    C3_1,
    [
      [':method', 'GET'],
      [':scheme', 'http'],
      [':path', '/'],
      [':authority', 'www.example.com']
    ],
    [[':authority', 'www.example.com']],
    57
  )
  // 0x20 = size update to 0 (001 prefix, 5-bit integer): everything goes (RFC 7541 §4.3).
  checkBlock(
    'a size update to 0 empties the table, then an indexed static field',
    d,
    '20 82',
    [[':method', 'GET']],
    [],
    0
  )
  assert.equal(d.maxSize, 0, `after an update to 0 the table's maximum size is 0, got ${d.maxSize}`)
  // 0x3f e1 1f = 31 + 0x61 + (0x1f << 7) = 4096: back up to the limit, then an entry fits again.
  checkBlock(
    'a size update back to 4096, then a literal with indexing',
    d,
    `3fe11f ${C3_1}`,
    [
      [':method', 'GET'],
      [':scheme', 'http'],
      [':path', '/'],
      [':authority', 'www.example.com']
    ],
    [[':authority', 'www.example.com']],
    57
  )
  expectError(
    'COMPRESSION_ERROR',
    'a size update to 4097, above the SETTINGS_HEADER_TABLE_SIZE of 4096 (RFC 7541 §6.3)',
    () => d.decode(hex('3fe21f'))
  )
  const late = new HpackDecoder(4096)
  expectError(
    'COMPRESSION_ERROR',
    'a size update after a header field in the same block (RFC 7541 §4.2: it comes at the beginning of a block)',
    () => late.decode(hex('82 20'))
  )
  const small = new HpackDecoder(4096)
  checkBlock(
    'two entries',
    small,
    '4003 6162 6303 7879 7a 4003 6465 6603 7576 77',
    [
      ['abc', 'xyz'],
      ['def', 'uvw']
    ],
    [
      ['def', 'uvw'],
      ['abc', 'xyz']
    ],
    76
  )
  checkBlock('a size update to 40 keeps only the newest entry (38 octets)', small, '3f09', [], [['def', 'uvw']], 38)
  // An entry bigger than the whole table empties it and is not added (RFC 7541 §4.4).
  checkBlock(
    'an entry larger than the table',
    small,
    '400a 6c6f 6e67 2d6e 616d 652d 0161',
    [['long-name-', 'a']],
    [],
    0
  )
})

test('Huffman decoding errors (RFC 7541 §5.2)', () => {
  assert.equal(
    decodeHuffman(hex('1f')),
    'a',
    `'a' is 00011 (5 bits) and 3 bits of ones pad the octet: 0x1f decodes to 'a'`
  )
  assert.equal(decodeHuffman(Buffer.alloc(0)), '', 'an empty string is no octets')
  // 'a' then padding of 11 bits of ones: longer than 7 bits.
  expectError(
    'COMPRESSION_ERROR',
    "'a' followed by 11 bits of ones: padding longer than 7 bits MUST be a decoding error",
    () => decodeHuffman(hex('1fff'))
  )
  // 'a' (00011) then 000: padding that is not the EOS prefix.
  expectError('COMPRESSION_ERROR', "'a' then padding 000: padding that is not all ones MUST be a decoding error", () =>
    decodeHuffman(hex('18'))
  )
  // EOS is 30 ones: a string containing it MUST be an error.
  expectError('COMPRESSION_ERROR', 'a string holding EOS (30 one bits) MUST be a decoding error', () =>
    decodeHuffman(hex('ffff fffc'))
  )
})

test('malformed header blocks are COMPRESSION_ERROR, not garbage', () => {
  expectError('COMPRESSION_ERROR', 'index 0 is not a field (RFC 7541 §6.1)', () => new HpackDecoder().decode(hex('80')))
  expectError('COMPRESSION_ERROR', 'index 62 with an empty dynamic table', () => new HpackDecoder().decode(hex('be')))
  expectError('COMPRESSION_ERROR', 'an integer whose continuation octets run out', () =>
    new HpackDecoder().decode(hex('ff 80'))
  )
  expectError('COMPRESSION_ERROR', 'a string length past the end of the block', () =>
    new HpackDecoder().decode(hex('40 0a 6162'))
  )
})

test('frames: 24-bit lengths, the reserved bit, and SETTINGS_MAX_FRAME_SIZE', () => {
  const big = Buffer.alloc(70000, 0x61)
  const bytes = frame(0, 0x01, 0x80000003, big)
  const reader = new FrameReader(2 ** 24 - 1)
  const frames = [...reader.push(bytes.subarray(0, 5000)), ...reader.push(bytes.subarray(5000))]
  assert.equal(frames.length, 1, `one 70000-octet DATA frame went in, got ${frames.length} frames`)
  note(`DATA frame: length ${frames[0]!.length}, stream ${frames[0]!.streamId}`)
  assert.equal(frames[0]!.length, 70000, `the Length is 24 bits (3 octets: 01 11 70 = 70000), got ${frames[0]!.length}`)
  assert.equal(
    frames[0]!.streamId,
    3,
    `the top bit of the stream field is reserved and MUST be ignored on receipt (RFC 9113 §4.1): 0x80000003 is stream 3, got ${frames[0]!.streamId}`
  )
  expectError('FRAME_SIZE_ERROR', 'a 16385-octet frame when SETTINGS_MAX_FRAME_SIZE is 16384 (RFC 9113 §4.2)', () =>
    new FrameReader().push(frame(0, 0, 1, Buffer.alloc(16385)))
  )
  const header = frame(0, 0, 1, Buffer.alloc(20000)).subarray(0, 9)
  expectError(
    'FRAME_SIZE_ERROR',
    'an oversized frame is refused from its header alone, before its payload arrives',
    () => new FrameReader().push(header)
  )
})

test('HEADERS with padding and priority, split into CONTINUATION frames', () => {
  const block = hex(C3_1)
  const padded = Buffer.concat([Buffer.from([3]), hex('8000 0001 0f'), block.subarray(0, 6), Buffer.alloc(3)])
  const bytes = Buffer.concat([
    PREFACE,
    SETTINGS,
    frame(1, 0x08 | 0x20 | 0x01, 1, padded), // PADDED | PRIORITY | END_STREAM, no END_HEADERS
    frame(9, 0, 1, block.subarray(6, 10)),
    frame(9, 0x04, 1, block.subarray(10)),
    frame(8, 0, 0, hex('0000 ffff')), // WINDOW_UPDATE
    frame(0xfa, 0, 0, hex('0102')) // an unknown type: ignored (RFC 9113 §4.1, §5.5)
  ])
  const reader = new ConnectionReader()
  const events: ConnectionEvent[] = []
  for (let i = 0; i < bytes.length; i += 7) events.push(...reader.push(bytes.subarray(i, i + 7)))
  for (const e of events) note(describeEvent(e))
  const headers = events.filter((e) => e.type === 'headers')
  assert.deepEqual(
    headers,
    [
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
    'one header block: strip the Pad Length octet and the padding (PADDED), skip the 5 priority octets (PRIORITY), and join the CONTINUATION fragments until END_HEADERS (RFC 9113 §6.2, §6.10)'
  )
  assert.deepEqual(
    events.filter((e) => e.type === 'frame').map((e) => (e.type === 'frame' ? e.frame.type : -1)),
    [8, 0xfa],
    'the WINDOW_UPDATE and the unknown frame type come out as plain frame events, in order'
  )
})

test('connection errors: a wrong preface, no SETTINGS first, an interrupted header block', () => {
  expectError('PROTOCOL_ERROR', 'an HTTP/1.1 request line instead of the preface (RFC 9113 §3.4)', () =>
    new ConnectionReader().push(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'))
  )
  expectError('PROTOCOL_ERROR', 'a HEADERS frame before the first SETTINGS (RFC 9113 §3.4)', () =>
    new ConnectionReader().push(Buffer.concat([PREFACE, frame(1, 0x05, 1, hex('82'))]))
  )
  expectError(
    'PROTOCOL_ERROR',
    'a PING between HEADERS and its CONTINUATION (RFC 9113 §6.10: the frames of a block are contiguous)',
    () =>
      new ConnectionReader().push(
        Buffer.concat([
          PREFACE,
          SETTINGS,
          frame(1, 0, 1, hex('82')),
          frame(6, 0, 0, Buffer.alloc(8)),
          frame(9, 0x04, 1, hex('84'))
        ])
      )
  )
  expectError('PROTOCOL_ERROR', 'a CONTINUATION on another stream than its HEADERS', () =>
    new ConnectionReader().push(
      Buffer.concat([PREFACE, SETTINGS, frame(1, 0, 1, hex('82')), frame(9, 0x04, 3, hex('84'))])
    )
  )
  expectError(
    'PROTOCOL_ERROR',
    'a Pad Length of 3 in a 3-octet HEADERS payload: padding as long as the payload (RFC 9113 §6.2)',
    () => new ConnectionReader().push(Buffer.concat([PREFACE, SETTINGS, frame(1, 0x0d, 1, hex('03 82 00'))]))
  )
  expectError('FRAME_SIZE_ERROR', 'a SETTINGS payload that is not a multiple of 6 octets (RFC 9113 §6.5)', () =>
    new ConnectionReader().push(Buffer.concat([PREFACE, frame(4, 0, 0, hex('0003 0000 64'))]))
  )
  expectError('FRAME_SIZE_ERROR', 'a SETTINGS ACK that carries a payload (RFC 9113 §6.5)', () =>
    new ConnectionReader().push(Buffer.concat([PREFACE, SETTINGS, frame(4, 0x01, 0, hex('0003 0000 0064'))]))
  )
  expectError('PROTOCOL_ERROR', 'HEADERS on stream 0 (RFC 9113 §6.2)', () =>
    new ConnectionReader().push(Buffer.concat([PREFACE, SETTINGS, frame(1, 0x05, 0, hex('82'))]))
  )
})

test(
  "Node's own HTTP/2 client (http2.connect): its header blocks decoded by your reader",
  async () => {
    // The server side advertises a 256-octet HPACK table, so nghttp2 (Node's encoder) opens its next
    // block with a size update and then evicts as it goes; a 20000-octet field needs CONTINUATION.
    const TABLE = 256
    const reader = new ConnectionReader({ headerTableSize: TABLE })
    const blocks = new Map<number, HeaderField[]>()
    let failure: Error | null = null
    let onBlock: () => void = () => {}
    const server = net.createServer((socket) => {
      socket.on('error', () => {})
      socket.write(frame(4, 0, 0, hex('0001 0000 0100'))) // SETTINGS HEADER_TABLE_SIZE=256
      socket.on('data', (chunk: Buffer) => {
        if (failure) return
        try {
          for (const e of reader.push(chunk)) {
            note(`your reader: ${describeEvent(e)}`)
            if (e.type === 'settings' && !e.ack) socket.write(frame(4, 0x01, 0)) // acknowledge the client's SETTINGS
            if (e.type === 'headers') blocks.set(e.streamId, e.headers)
          }
        } catch (err) {
          failure = err instanceof Error ? err : new Error(String(err))
        }
        onBlock()
      })
    })
    const port = await listen(server)
    const client = http2.connect(`http://127.0.0.1:${port}`)
    client.on('error', () => {})
    try {
      await withTimeout(
        new Promise((resolve) => client.once('remoteSettings', resolve)),
        5000,
        "Node's client did not take the server's SETTINGS within 5 s"
      )
      const authority = `127.0.0.1:${port}`
      const sent: Array<Record<string, string | string[]>> = [
        {
          ':path': '/index.html',
          'user-agent': 'retransmit-drill/1.0',
          accept: 'text/html',
          'x-request-id': 'a1b2c3d4e5'
        },
        {
          ':path': '/index.html',
          'user-agent': 'retransmit-drill/1.0',
          accept: 'text/html',
          'x-request-id': 'f6a7b8c9d0',
          authorization: 'Bearer s3cr3t-t0ken'
        },
        {
          ':method': 'POST',
          ':path': '/api/items?page=2',
          'content-type': 'application/json',
          'x-request-id': '0123456789',
          cookie: 'session=QWERTYUIOPASDFGHJKL0987654321'
        },
        { ':path': '/big', 'x-big': 'z'.repeat(20000) },
        {
          ':path': '/index.html',
          'user-agent': 'retransmit-drill/1.0',
          accept: 'text/html',
          'x-request-id': 'a1b2c3d4e5'
        }
      ]
      for (const headers of sent) {
        const sensitive = 'authorization' in headers ? { [http2.sensitiveHeaders]: ['authorization'] } : {}
        const stream = client.request({ ...headers, ...sensitive }, { endStream: true })
        stream.on('error', () => {})
      }
      const ids = sent.map((_, i) => 1 + 2 * i)
      await withTimeout(
        new Promise<void>((resolve) => {
          onBlock = () => {
            if (failure || ids.every((id) => blocks.has(id))) resolve()
          }
          onBlock()
        }),
        6000,
        `your reader decoded header blocks for streams [${[...blocks.keys()].join(', ')}] of [${ids.join(', ')}] within 6 s: did a CONTINUATION frame or a size update go unhandled?`
      )
      if (failure)
        throw new Error(`your reader threw on bytes from Node's HTTP/2 client: ${(failure as Error).message}`)
      sent.forEach((headers, i) => {
        const id = ids[i]!
        const expected: HeaderField[] = [
          [':method', String(headers[':method'] ?? 'GET')],
          [':authority', authority],
          [':scheme', 'http'],
          ...Object.entries(headers)
            .filter(([n]) => n !== ':method')
            .map(([n, v]) => [n, String(v)] as HeaderField)
        ]
        const sorted = (l: HeaderField[]) => [...l].sort((a, b) => (a[0] + '\n' + a[1] < b[0] + '\n' + b[1] ? -1 : 1))
        const got = blocks.get(id) ?? []
        assert.deepEqual(
          sorted(got),
          sorted(expected),
          `stream ${id}: Node sent ${fields(expected)}\n  your reader decoded ${fields(got)}\n(the dynamic table is shared by every block on the connection, capped at ${TABLE} octets by the SETTINGS this server sent)`
        )
      })
      noteTable('your decoder after five requests', reader.hpack)
      assert.ok(
        reader.hpack.tableSize <= TABLE,
        `the table holds ${reader.hpack.tableSize} octets, more than the ${TABLE} this side advertised`
      )
      assert.ok(
        !reader.hpack.dynamicTable.some(([n]) => n === 'authorization'),
        'Node sent authorization as never indexed (http2.sensitiveHeaders, RFC 7541 §6.2.3): it must not be in the dynamic table'
      )
    } finally {
      client.destroy()
      server.close()
    }
  },
  { timeoutMs: 15000 }
)
