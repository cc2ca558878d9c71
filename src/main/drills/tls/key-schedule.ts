// The parts of the TLS 1.3 key schedule a reader of a trace needs: traffic keys from a traffic
// secret (RFC 8446 §7.1, §7.3) and the next secret after a KeyUpdate (§7.2).
import { createHmac } from 'node:crypto'

export type HashName = 'sha256' | 'sha384'

/** The TLS 1.3 cipher suites (RFC 8446 §B.4): the AEAD, its key length and the hash of the schedule. */
export interface Suite13 {
  code: number
  name: string
  hash: HashName
  /** node:crypto cipher name. */
  cipher: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305' | 'aes-128-ccm'
  keyBytes: number
  tagBytes: number
}

export const SUITES_13: ReadonlyMap<number, Suite13> = new Map(
  (
    [
      [0x1301, 'TLS_AES_128_GCM_SHA256', 'sha256', 'aes-128-gcm', 16, 16],
      [0x1302, 'TLS_AES_256_GCM_SHA384', 'sha384', 'aes-256-gcm', 32, 16],
      [0x1303, 'TLS_CHACHA20_POLY1305_SHA256', 'sha256', 'chacha20-poly1305', 32, 16],
      [0x1304, 'TLS_AES_128_CCM_SHA256', 'sha256', 'aes-128-ccm', 16, 16],
      [0x1305, 'TLS_AES_128_CCM_8_SHA256', 'sha256', 'aes-128-ccm', 16, 8]
    ] as const
  ).map(([code, name, hash, cipher, keyBytes, tagBytes]) => [code, { code, name, hash, cipher, keyBytes, tagBytes }])
)

/** Every TLS 1.3 AEAD has a 12-byte nonce, so iv_length is 12 (RFC 8446 §5.3). */
export const IV_BYTES = 12

const HASH_BYTES: Record<HashName, number> = { sha256: 32, sha384: 48 }

/**
 * HKDF-Expand (RFC 5869 §2.3) over node:crypto's HMAC. node:crypto's hkdf always runs Extract
 * first, and a traffic secret is already the pseudorandom key, so only Expand is wanted here.
 */
export function hkdfExpand(hash: HashName, prk: Uint8Array, info: Uint8Array, length: number): Buffer {
  const hashBytes = HASH_BYTES[hash]
  if (length > 255 * hashBytes) throw new RangeError(`HKDF-Expand: ${length} bytes is more than 255 blocks of ${hash}`)
  const blocks: Buffer[] = []
  let previous = Buffer.alloc(0)
  for (let i = 1; blocks.length * hashBytes < length; i++) {
    previous = createHmac(hash, prk).update(previous).update(info).update(Uint8Array.of(i)).digest()
    blocks.push(previous)
  }
  return Buffer.concat(blocks).subarray(0, length)
}

/** The HkdfLabel structure (RFC 8446 §7.1): length, "tls13 " + label, context, each length-prefixed. */
export function hkdfLabel(label: string, context: Uint8Array, length: number): Buffer {
  const fullLabel = Buffer.from(`tls13 ${label}`, 'latin1')
  if (fullLabel.length > 255 || context.length > 255)
    throw new RangeError('HkdfLabel: label or context longer than 255 bytes')
  return Buffer.concat([
    Buffer.from([length >> 8, length & 0xff, fullLabel.length]),
    fullLabel,
    Buffer.from([context.length]),
    context
  ])
}

/** HKDF-Expand-Label(Secret, Label, Context, Length) (RFC 8446 §7.1). */
export function hkdfExpandLabel(
  hash: HashName,
  secret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number
): Buffer {
  return hkdfExpand(hash, secret, hkdfLabel(label, context, length), length)
}

export interface TrafficKeys {
  key: Buffer
  iv: Buffer
}

/** [sender]_write_key and [sender]_write_iv from a traffic secret (RFC 8446 §7.3). */
export function trafficKeys(suite: Suite13, secret: Uint8Array): TrafficKeys {
  return {
    key: hkdfExpandLabel(suite.hash, secret, 'key', new Uint8Array(0), suite.keyBytes),
    iv: hkdfExpandLabel(suite.hash, secret, 'iv', new Uint8Array(0), IV_BYTES)
  }
}

/** application_traffic_secret_N+1 after a KeyUpdate (RFC 8446 §7.2). */
export function nextTrafficSecret(suite: Suite13, secret: Uint8Array): Buffer {
  return hkdfExpandLabel(suite.hash, secret, 'traffic upd', new Uint8Array(0), HASH_BYTES[suite.hash])
}
