import assert from 'node:assert/strict'
import { constants, createDecipheriv, generateKeyPairSync, privateDecrypt } from 'node:crypto'
import { test } from 'retransmit:test'
import { seal, open, measure } from './solution'

const recipient = generateKeyPairSync('rsa', { modulusLength: 2048 })
const message = Buffer.from('Attack at dawn. Bring the 190-byte limit of RSA-OAEP with you.')

test(
  'open(seal(x)) gives x back',
  () => {
    const envelope = seal(message, recipient.publicKey)
    assert.ok(
      Buffer.isBuffer(envelope),
      `seal() should return a Buffer, got ${Object.prototype.toString.call(envelope)}`
    )
    const back = open(envelope, recipient.privateKey)
    assert.equal(Buffer.from(back).toString(), message.toString(), 'open(seal(message)) did not return the message')
  },
  { timeoutMs: 10000 }
)

test(
  'the envelope has the documented layout and decrypts with plain node:crypto',
  () => {
    const envelope = seal(message, recipient.publicKey)
    assert.equal(envelope[0], 0x01, `byte 0 should be the version 0x01, got 0x${envelope[0]?.toString(16)}`)
    const L = envelope.readUInt16BE(1)
    assert.equal(L, 256, `bytes 1-2 should hold the wrapped key length, 256 for a 2048-bit RSA key; got ${L}`)
    assert.equal(
      envelope.length,
      31 + L + message.length,
      `envelope length should be 31 + L + plaintext = ${31 + L + message.length}, got ${envelope.length}: is the ciphertext exactly as long as the plaintext, with 12 nonce and 16 tag bytes?`
    )

    let key: Buffer
    try {
      key = privateDecrypt(
        { key: recipient.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
        envelope.subarray(3, 3 + L)
      )
    } catch (err) {
      assert.fail(
        `the wrapped key (bytes 3..${3 + L}) did not unwrap with RSA-OAEP and SHA-256 (${(err as Error).message}): pass padding: constants.RSA_PKCS1_OAEP_PADDING and oaepHash: 'sha256' to publicEncrypt`
      )
    }
    assert.equal(key.length, 32, `the unwrapped key should be 32 bytes (AES-256), got ${key.length}`)
    const nonce = envelope.subarray(3 + L, 15 + L)
    const tag = envelope.subarray(15 + L, 31 + L)
    const decipher = createDecipheriv('aes-256-gcm', key, nonce)
    decipher.setAAD(envelope.subarray(0, 15 + L))
    decipher.setAuthTag(tag)
    let plain: Buffer
    try {
      plain = Buffer.concat([decipher.update(envelope.subarray(31 + L)), decipher.final()])
    } catch {
      assert.fail(
        'AES-256-GCM with the nonce at 3+L, the tag at 15+L and the header (bytes 0..15+L) as AAD did not authenticate: did you call setAAD(header) before encrypting, and write the tag before the ciphertext?'
      )
    }
    assert.equal(plain.toString(), message.toString(), 'the ciphertext decrypted to something other than the message')
  },
  { timeoutMs: 10000 }
)

test(
  'every seal uses a fresh key and a fresh nonce',
  () => {
    const a = seal(message, recipient.publicKey)
    const b = seal(message, recipient.publicKey)
    const L = a.readUInt16BE(1)
    assert.notDeepEqual(
      a.subarray(3 + L, 15 + L),
      b.subarray(3 + L, 15 + L),
      'two seals used the same nonce: use randomBytes(12) for each message'
    )
    assert.notDeepEqual(
      a.subarray(31 + L),
      b.subarray(31 + L),
      'the same plaintext sealed twice gave the same ciphertext: use a fresh randomBytes(32) key and nonce each time'
    )
  },
  { timeoutMs: 10000 }
)

test(
  'a flipped ciphertext byte is rejected',
  () => {
    const envelope = seal(message, recipient.publicKey)
    const tampered = Buffer.from(envelope)
    const at = tampered.length - 5
    tampered[at] = (tampered[at] ?? 0) ^ 0x01
    assert.throws(
      () => open(tampered, recipient.privateKey),
      Error,
      'open() returned data for an envelope whose ciphertext was modified: set the auth tag with setAuthTag(tag) and let decipher.final() throw'
    )
  },
  { timeoutMs: 10000 }
)

test(
  'measure() reports symmetric and asymmetric throughput',
  () => {
    const m = measure(recipient, { budgetMs: 100 })
    for (const side of ['symmetric', 'asymmetric'] as const) {
      const t = m[side]
      assert.ok(
        t && typeof t === 'object',
        `measure() should return { symmetric, asymmetric, ratio }; ${side} is missing`
      )
      assert.ok(
        Number.isFinite(t.bytesPerSecond) && t.bytesPerSecond > 0,
        `${side}.bytesPerSecond should be a positive number, got ${t.bytesPerSecond}`
      )
      assert.ok(
        t.bytes > 0 && t.ms > 0,
        `${side}.bytes and .ms should be positive (at least one operation must run), got bytes ${t.bytes}, ms ${t.ms}`
      )
    }
    assert.ok(Number.isFinite(m.ratio) && m.ratio > 0, `ratio should be a positive number, got ${m.ratio}`)
    console.log(
      `AES-256-GCM ${(m.symmetric.bytesPerSecond / 1e6).toFixed(1)} MB/s, RSA-OAEP-SHA-256 ${(m.asymmetric.bytesPerSecond / 1e3).toFixed(1)} kB/s: symmetric is ${Math.round(m.ratio)}x faster on this machine`
    )
  },
  { timeoutMs: 10000 }
)
