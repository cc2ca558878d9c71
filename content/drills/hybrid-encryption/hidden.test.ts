import assert from 'node:assert/strict'
import { constants, createCipheriv, generateKeyPairSync, privateDecrypt, publicEncrypt, randomBytes } from 'node:crypto'
import { test } from 'retransmit:test'
import { seal, open, measure } from './solution'

const recipient = generateKeyPairSync('rsa', { modulusLength: 2048 })
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 })

/** The test's own sealer, following the format in drill.md; `aad: false` leaves the header out of the tag. */
function referenceSeal(plaintext: Buffer, options: { aad?: boolean } = {}): Buffer {
  const key = randomBytes(32)
  const nonce = randomBytes(12)
  const wrapped = publicEncrypt(
    { key: recipient.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    key
  )
  const prefix = Buffer.from([0x01, wrapped.length >> 8, wrapped.length & 0xff])
  const header = Buffer.concat([prefix, wrapped, nonce])
  const cipher = createCipheriv('aes-256-gcm', key, nonce)
  if (options.aad !== false) cipher.setAAD(header)
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return Buffer.concat([header, cipher.getAuthTag(), ciphertext])
}

function flip(envelope: Buffer, at: number): Buffer {
  const copy = Buffer.from(envelope)
  copy[at] = (copy[at] ?? 0) ^ 0x80
  return copy
}

test(
  'open() reads envelopes made by another implementation of the format',
  () => {
    for (const text of ['interop works', '']) {
      const envelope = referenceSeal(Buffer.from(text))
      let back: Buffer
      try {
        back = open(envelope, recipient.privateKey)
      } catch (err) {
        assert.fail(
          `open() threw on a valid envelope (plaintext ${JSON.stringify(text)}): ${(err as Error).message}. Check the offsets: nonce at 3+L, tag at 15+L, ciphertext from 31+L, AAD = bytes 0..15+L`
        )
      }
      assert.equal(
        Buffer.from(back).toString(),
        text,
        `open() returned ${JSON.stringify(Buffer.from(back).toString())} for ${JSON.stringify(text)}`
      )
    }
  },
  { timeoutMs: 10000 }
)

test(
  'a change anywhere in the envelope is rejected',
  () => {
    const envelope = seal(Buffer.from('integrity, not just secrecy'), recipient.publicKey)
    const L = envelope.readUInt16BE(1)
    const places: Array<[string, number]> = [
      ['the version byte', 0],
      ['the wrapped-key length', 2],
      ['the first wrapped-key byte', 3],
      ['a wrapped-key byte in the middle', 3 + (L >> 1)],
      ['the last wrapped-key byte', 2 + L],
      ['a nonce byte', 3 + L + 4],
      ['a tag byte', 15 + L + 7],
      ['the first ciphertext byte', 31 + L],
      ['the last ciphertext byte', envelope.length - 1]
    ]
    for (const [what, at] of places) {
      assert.throws(
        () => open(flip(envelope, at), recipient.privateKey),
        Error,
        `open() accepted an envelope with ${what} (offset ${at}) changed: it must throw instead of returning data`
      )
    }
  },
  { timeoutMs: 10000 }
)

test(
  'the header is authenticated as GCM additional data',
  () => {
    const withoutAad = referenceSeal(Buffer.from('header not bound'), { aad: false })
    assert.throws(
      () => open(withoutAad, recipient.privateKey),
      Error,
      'open() accepted an envelope whose tag does not cover the header: call decipher.setAAD(header) with bytes 0..15+L before decrypting'
    )
  },
  { timeoutMs: 10000 }
)

test(
  'truncated envelopes and the wrong private key are rejected',
  () => {
    const envelope = seal(Buffer.from('short and sweet'), recipient.publicKey)
    const L = envelope.readUInt16BE(1)
    for (const length of [0, 1, 3, 3 + L, 15 + L, 30 + L]) {
      assert.throws(
        () => open(envelope.subarray(0, length), recipient.privateKey),
        Error,
        `open() did not throw on an envelope cut to ${length} bytes (a whole one needs at least ${31 + L})`
      )
    }
    assert.throws(
      () => open(envelope, stranger.privateKey),
      Error,
      'open() with a different private key did not throw: the key unwrap must fail'
    )
  },
  { timeoutMs: 10000 }
)

test(
  'large, empty and Uint8Array plaintexts round-trip',
  () => {
    const big = randomBytes(1024 * 1024)
    const bigBack = open(seal(big, recipient.publicKey), recipient.privateKey)
    assert.ok(
      Buffer.from(bigBack).equals(big),
      `a 1 MiB plaintext did not survive seal/open (got ${bigBack.length} bytes back)`
    )
    const empty = seal(new Uint8Array(0), recipient.publicKey)
    assert.equal(
      empty.length,
      31 + empty.readUInt16BE(1),
      `sealing 0 bytes should give a ${31 + 256}-byte envelope (header and tag only), got ${empty.length}`
    )
    assert.equal(open(empty, recipient.privateKey).length, 0, 'the empty plaintext did not come back empty')
    const u8 = new Uint8Array([1, 2, 3, 250])
    assert.deepEqual(
      [...open(seal(u8, recipient.publicKey), recipient.privateKey)],
      [1, 2, 3, 250],
      'a Uint8Array plaintext did not round-trip'
    )
  },
  { timeoutMs: 15000 }
)

test(
  'nonces and wrapped keys never repeat across 200 messages',
  () => {
    const nonces = new Set<string>()
    const wrapped = new Set<string>()
    const keys = new Set<string>()
    for (let i = 0; i < 200; i++) {
      const e = seal(Buffer.from('same plaintext'), recipient.publicKey)
      const L = e.readUInt16BE(1)
      nonces.add(e.subarray(3 + L, 15 + L).toString('hex'))
      wrapped.add(e.subarray(3, 3 + L).toString('hex'))
      // RSA-OAEP is randomized, so the wrapped bytes differ even for one key: unwrap and compare.
      if (i < 20)
        keys.add(
          privateDecrypt(
            { key: recipient.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
            e.subarray(3, 3 + L)
          ).toString('hex')
        )
    }
    assert.equal(
      keys.size,
      20,
      `20 messages carried only ${keys.size} distinct AES keys once unwrapped (their wrapped bytes differ only because OAEP adds randomness): generate a new AES key for every message`
    )
    assert.equal(
      nonces.size,
      200,
      `only ${nonces.size} distinct nonces in 200 messages: GCM must never reuse a nonce under a key`
    )
    assert.equal(
      wrapped.size,
      200,
      `only ${wrapped.size} distinct wrapped keys in 200 messages: generate a new AES key for every message`
    )
  },
  { timeoutMs: 15000 }
)

test(
  'measure() figures are consistent',
  () => {
    const m = measure(recipient, { budgetMs: 60 })
    assert.equal(
      m.symmetric.algorithm,
      'aes-256-gcm',
      `symmetric.algorithm should be 'aes-256-gcm', got ${JSON.stringify(m.symmetric.algorithm)}`
    )
    assert.equal(
      m.asymmetric.algorithm,
      'rsa-oaep-sha256',
      `asymmetric.algorithm should be 'rsa-oaep-sha256', got ${JSON.stringify(m.asymmetric.algorithm)}`
    )
    assert.equal(
      m.symmetric.bytes % 65536,
      0,
      `symmetric.bytes should count whole 64 KiB chunks, got ${m.symmetric.bytes}`
    )
    assert.equal(
      m.asymmetric.bytes % 190,
      0,
      `asymmetric.bytes should count whole 190-byte blocks (the RSA-OAEP-SHA-256 limit for 2048-bit keys), got ${m.asymmetric.bytes}`
    )
    for (const side of [m.symmetric, m.asymmetric]) {
      const expected = side.bytes / (side.ms / 1000)
      assert.ok(
        Math.abs(side.bytesPerSecond - expected) <= expected * 1e-9,
        `${side.algorithm}: bytesPerSecond should be bytes / (ms / 1000) = ${expected}, got ${side.bytesPerSecond}`
      )
    }
    const ratio = m.symmetric.bytesPerSecond / m.asymmetric.bytesPerSecond
    assert.ok(
      Math.abs(m.ratio - ratio) <= ratio * 1e-9,
      `ratio should be symmetric.bytesPerSecond / asymmetric.bytesPerSecond = ${ratio}, got ${m.ratio}`
    )
  },
  { timeoutMs: 10000 }
)
