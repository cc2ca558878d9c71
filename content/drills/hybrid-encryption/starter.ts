import {
  constants,
  createCipheriv,
  createDecipheriv,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  type KeyObject
} from 'node:crypto'

// Envelope: version 0x01 (1) | L (2, big-endian) | wrapped key (L) | nonce (12) | tag (16) | ciphertext
// The header (version, L, wrapped key, nonce) is the GCM additional authenticated data.

/** Encrypt for the holder of `publicKey`: fresh AES-256-GCM key and nonce, key wrapped with RSA-OAEP-SHA-256. */
export function seal(plaintext: Uint8Array, publicKey: KeyObject): Buffer {
  void [constants, createCipheriv, publicEncrypt, randomBytes, publicKey]
  throw new Error(
    'seal() is not written yet: make a random AES-256 key and nonce, encrypt with aes-256-gcm, wrap the key with RSA-OAEP (SHA-256)'
  )
}

/** Decrypt an envelope from `seal`; throws if it is malformed or was altered. */
export function open(envelope: Uint8Array, privateKey: KeyObject): Buffer {
  void [createDecipheriv, privateDecrypt, privateKey]
  throw new Error('open() is not written yet: parse the envelope, unwrap the key, decrypt and check the tag')
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

export function measure(
  keys: { publicKey: KeyObject; privateKey: KeyObject },
  options: { budgetMs?: number } = {}
): Measurement {
  void [keys, options]
  // TODO: time AES-256-GCM over 64 KiB chunks and RSA-OAEP over 190-byte blocks
  const zero: Throughput = { algorithm: 'todo', bytes: 0, ms: 0, bytesPerSecond: 0 }
  return { symmetric: zero, asymmetric: zero, ratio: 0 }
}
