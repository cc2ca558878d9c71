import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import { test, withTimeout } from 'retransmit:test'
import {
  MAGIC_COOKIE,
  encodeBindingRequest,
  encodeXorMappedAddress,
  decodeXorMappedAddress,
  parseStunMessage,
  startStunServer
} from './solution'

// The transaction ID and addresses of the RFC 5769 test vectors (§2.2, §2.3).
const TXID = Buffer.from('b7e7a701bc34d686fa87dfae', 'hex')
const hex = (b: Buffer) => b.toString('hex').replace(/(..)/g, '$1 ').trim()

test('a Binding request is a bare 20-byte header', () => {
  const msg = encodeBindingRequest(TXID)
  assert.ok(Buffer.isBuffer(msg), 'encodeBindingRequest must return a Buffer')
  assert.equal(
    msg.length,
    20,
    `a Binding request with no attributes is exactly the 20-byte header, got ${msg.length} bytes: ${hex(msg)}`
  )
  assert.equal(
    msg.readUInt16BE(0),
    0x0001,
    `bytes 0-1 are the message type; Binding request is 0x0001, got 0x${msg.readUInt16BE(0).toString(16).padStart(4, '0')}`
  )
  assert.equal(msg.readUInt16BE(2), 0, 'bytes 2-3 are the length of the attributes (not counting the header): 0 here')
  assert.equal(
    msg.readUInt32BE(4),
    MAGIC_COOKIE,
    `bytes 4-7 must be the magic cookie 21 12 a4 42, got ${hex(msg.subarray(4, 8))}`
  )
  assert.deepEqual(
    msg.subarray(8),
    TXID,
    `bytes 8-19 must be the 96-bit transaction ID you were given, got ${hex(msg.subarray(8))}`
  )
})

test('XOR-MAPPED-ADDRESS for IPv4 matches the RFC 5769 vector', () => {
  const value = encodeXorMappedAddress({ family: 4, address: '192.0.2.1', port: 32853 }, TXID)
  const expected = Buffer.from('0001a147e112a643', 'hex')
  assert.deepEqual(
    value,
    expected,
    `expected ${hex(expected)} (0x00, family 0x01, port XOR 0x2112, address XOR the cookie), got ${hex(value)}`
  )
  assert.deepEqual(
    decodeXorMappedAddress(expected, TXID),
    { family: 4, address: '192.0.2.1', port: 32853 },
    'decoding must undo the XOR of both port and address'
  )
})

test('XOR-MAPPED-ADDRESS for IPv6 XORs with the cookie and the transaction ID', () => {
  const address = '2001:db8:1234:5678:11:2233:4455:6677'
  const value = encodeXorMappedAddress({ family: 6, address, port: 32853 }, TXID)
  const expected = Buffer.from('0002a1470113a9faa5d3f179bc25f4b5bed2b9d9', 'hex')
  assert.deepEqual(
    value,
    expected,
    `expected ${hex(expected)}: family 0x02, then the 128-bit address XORed with the cookie followed by the 12-byte transaction ID; got ${hex(value)}`
  )
  assert.deepEqual(
    decodeXorMappedAddress(expected, TXID),
    { family: 6, address, port: 32853 },
    'decode the IPv6 vector back; print groups in lowercase hex without leading zeros, compressing the longest zero run with ::'
  )
})

test('parseStunMessage reads a success response and rejects what is not STUN', () => {
  const body = Buffer.concat([Buffer.from('00200008', 'hex'), Buffer.from('0001a147e112a643', 'hex')])
  const msg = Buffer.concat([Buffer.from('0101000c2112a442', 'hex'), TXID, body])
  const parsed = parseStunMessage(msg)
  assert.ok(parsed, 'a well-formed Binding success response must parse (got null)')
  assert.equal(
    parsed.type,
    0x0101,
    `type should be 0x0101 (Binding success response), got 0x${parsed.type.toString(16)}`
  )
  assert.deepEqual(parsed.transactionId, TXID, 'transactionId is bytes 8-19 of the header')
  assert.equal(parsed.attributes.length, 1, `expected one attribute, got ${parsed.attributes.length}`)
  assert.equal(parsed.attributes[0]?.type, 0x0020, 'the attribute type is XOR-MAPPED-ADDRESS, 0x0020')
  assert.deepEqual(
    parsed.attributes[0]?.value,
    Buffer.from('0001a147e112a643', 'hex'),
    'an attribute value excludes its 4-byte type/length header'
  )
  assert.equal(
    parseStunMessage(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')),
    null,
    'an HTTP request is not STUN: return null (its first two bits are not zero and there is no magic cookie)'
  )
  assert.equal(parseStunMessage(Buffer.alloc(12)), null, 'fewer than 20 bytes cannot be a STUN message: return null')
})

test(
  'the server answers a Binding request with the address it came from',
  async () => {
    const server = await startStunServer()
    const client = dgram.createSocket('udp4')
    try {
      await new Promise<void>((r) => client.bind(0, '127.0.0.1', () => r()))
      const reply = withTimeout(
        new Promise<Buffer>((r) => client.once('message', (m) => r(m))),
        1500,
        `no reply from the STUN server on 127.0.0.1:${server.port} within 1.5 s: does it reply with socket.send(..., rinfo.port, rinfo.address)?`
      )
      client.send(encodeBindingRequest(TXID), server.port, '127.0.0.1')
      const msg = await reply
      const parsed = parseStunMessage(msg)
      assert.ok(parsed, `the reply is not a valid STUN message: ${hex(msg)}`)
      assert.equal(
        parsed.type,
        0x0101,
        `the reply type should be 0x0101 (Binding success), got 0x${parsed.type.toString(16)}`
      )
      assert.deepEqual(
        parsed.transactionId,
        TXID,
        "the response must carry the request's transaction ID, so the client can match it"
      )
      const attr = parsed.attributes.find((a) => a.type === 0x0020)
      assert.ok(attr, 'the response must contain an XOR-MAPPED-ADDRESS (0x0020) attribute')
      const mapped = decodeXorMappedAddress(attr.value, TXID)
      assert.deepEqual(
        mapped,
        { family: 4, address: '127.0.0.1', port: client.address().port },
        'XOR-MAPPED-ADDRESS must be the source address and port the server saw (rinfo), XORed'
      )
    } finally {
      client.close()
      await server.close()
    }
  },
  { timeoutMs: 4000 }
)
