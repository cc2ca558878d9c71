// Bug: writes and reads the wrapped-key length little-endian; the format says big-endian, so envelopes from other implementations do not open.
import {
  constants,
  createCipheriv,
  createDecipheriv,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  type KeyObject
} from 'node:crypto'

const VERSION = 0x01
const NONCE_BYTES = 12
const TAG_BYTES = 16
/** version (1) + wrapped key length (2) */
const PREFIX_BYTES = 3

const oaep = (key: KeyObject) => ({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' })

/** Encrypt for the holder of `publicKey`: fresh AES-256-GCM key and nonce, key wrapped with RSA-OAEP-SHA-256. */
export function seal(plaintext: Uint8Array, publicKey: KeyObject): Buffer {
  const key = randomBytes(32)
  const nonce = randomBytes(NONCE_BYTES)
  const wrapped = publicEncrypt(oaep(publicKey), key)

  const prefix = Buffer.alloc(PREFIX_BYTES)
  prefix.writeUInt8(VERSION, 0)
  prefix.writeUInt16LE(wrapped.length, 1)
  const header = Buffer.concat([prefix, wrapped, nonce])

  const cipher = createCipheriv('aes-256-gcm', key, nonce)
  cipher.setAAD(header)
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return Buffer.concat([header, cipher.getAuthTag(), ciphertext])
}

/** Decrypt an envelope from `seal`; throws if it is malformed or was altered. */
export function open(envelope: Uint8Array, privateKey: KeyObject): Buffer {
  const bytes = Buffer.from(envelope.buffer, envelope.byteOffset, envelope.byteLength)
  if (bytes.length < PREFIX_BYTES) throw new Error('envelope too short')
  if (bytes.readUInt8(0) !== VERSION) throw new Error(`unknown envelope version ${bytes.readUInt8(0)}`)
  const wrappedLength = bytes.readUInt16LE(1)
  const headerEnd = PREFIX_BYTES + wrappedLength + NONCE_BYTES
  if (bytes.length < headerEnd + TAG_BYTES) throw new Error('envelope too short')

  const header = bytes.subarray(0, headerEnd)
  const wrapped = bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + wrappedLength)
  const nonce = bytes.subarray(headerEnd - NONCE_BYTES, headerEnd)
  const tag = bytes.subarray(headerEnd, headerEnd + TAG_BYTES)
  const ciphertext = bytes.subarray(headerEnd + TAG_BYTES)

  const key = privateDecrypt(oaep(privateKey), wrapped) // throws on a modified wrapped key
  if (key.length !== 32) throw new Error('wrapped key is not an AES-256 key')
  const decipher = createDecipheriv('aes-256-gcm', key, nonce)
  decipher.setAAD(header)
  decipher.setAuthTag(tag)
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]) // final() throws on a bad tag
}

export interface Throughput {
  algorithm: string
  bytes: number
  ms: number
  bytesPerSecond: number
}

export interface Measurement {
  symmetric: Throughput
  asymmetric: Throughput
  ratio: number
}

/** Run `round` (which returns the plaintext bytes it processed) until `budgetMs` has passed, at least once. */
function timeIt(algorithm: string, budgetMs: number, round: () => number): Throughput {
  let bytes = 0
  const start = performance.now()
  let ms: number
  do {
    bytes += round()
    ms = performance.now() - start
  } while (ms < budgetMs)
  ms = Math.max(ms, 0.001)
  return { algorithm, bytes, ms, bytesPerSecond: bytes / (ms / 1000) }
}

export function measure(
  keys: { publicKey: KeyObject; privateKey: KeyObject },
  options: { budgetMs?: number } = {}
): Measurement {
  const half = (options.budgetMs ?? 200) / 2

  const chunk = randomBytes(64 * 1024)
  const key = randomBytes(32)
  const symmetric = timeIt('aes-256-gcm', half, () => {
    const nonce = randomBytes(NONCE_BYTES)
    const c = createCipheriv('aes-256-gcm', key, nonce)
    const ct = Buffer.concat([c.update(chunk), c.final()])
    const d = createDecipheriv('aes-256-gcm', key, nonce)
    d.setAuthTag(c.getAuthTag())
    Buffer.concat([d.update(ct), d.final()])
    return chunk.length
  })

  const block = randomBytes(190) // k - 2*hLen - 2 for RSA-2048 with SHA-256 (RFC 8017 §7.1.1)
  const asymmetric = timeIt('rsa-oaep-sha256', half, () => {
    const ct = publicEncrypt(oaep(keys.publicKey), block)
    privateDecrypt(oaep(keys.privateKey), ct)
    return block.length
  })

  return { symmetric, asymmetric, ratio: symmetric.bytesPerSecond / asymmetric.bytesPerSecond }
}
