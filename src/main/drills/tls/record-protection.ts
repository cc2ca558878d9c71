// Opening a protected TLS 1.3 record (RFC 8446 §5.2-5.4) with node:crypto's AEADs.
import { createDecipheriv, type CipherCCMTypes, type CipherGCMTypes } from 'node:crypto'
import type { Suite13, TrafficKeys } from './key-schedule'

/** The per-record nonce: the 64-bit sequence number, left-padded to iv_length, XORed with the IV (§5.3). */
export function recordNonce(iv: Uint8Array, seq: bigint): Buffer {
  const nonce = Buffer.from(iv)
  let rest = seq
  for (let i = nonce.length - 1; i >= nonce.length - 8; i--) {
    nonce[i] = (nonce[i] ?? 0) ^ Number(rest & 0xffn)
    rest >>= 8n
  }
  return nonce
}

export interface OpenedRecord {
  /** The real content type from inside the record (TLSInnerPlaintext.type, §5.2). */
  contentType: number
  content: Buffer
  /** Zero bytes of padding after the content type. */
  paddingBytes: number
}

/**
 * Decrypt one whole TLSCiphertext (5-byte header included). The header is the additional data
 * (§5.2). Throws when the record does not authenticate (wrong key, wrong sequence number, a
 * changed byte) or holds no content type.
 */
export function openRecord(suite: Suite13, keys: TrafficKeys, seq: bigint, record: Uint8Array): OpenedRecord {
  if (record.length < 5) throw new Error('record shorter than its 5-byte header')
  const header = record.subarray(0, 5)
  const length = ((record[3] ?? 0) << 8) | (record[4] ?? 0)
  if (record.length !== 5 + length) throw new Error(`record header says ${length} bytes, ${record.length - 5} present`)
  if (length < suite.tagBytes + 1)
    throw new Error(`record of ${length} bytes cannot hold a ${suite.tagBytes}-byte tag and a content type`)
  const body = record.subarray(5, 5 + length - suite.tagBytes)
  const tag = record.subarray(5 + length - suite.tagBytes)
  const nonce = recordNonce(keys.iv, seq)
  let plain: Buffer
  if (suite.cipher === 'aes-128-ccm') {
    const d = createDecipheriv(suite.cipher as CipherCCMTypes, keys.key, nonce, { authTagLength: suite.tagBytes })
    d.setAuthTag(tag)
    d.setAAD(header, { plaintextLength: body.length })
    plain = Buffer.concat([d.update(body), d.final()])
  } else {
    // ChaCha20-Poly1305 takes the same options as GCM (a 16-byte tag).
    const d = createDecipheriv(suite.cipher as CipherGCMTypes, keys.key, nonce, { authTagLength: suite.tagBytes })
    d.setAAD(header)
    d.setAuthTag(tag)
    plain = Buffer.concat([d.update(body), d.final()])
  }
  // TLSInnerPlaintext: content, then the content type, then zeros (§5.4).
  let end = plain.length - 1
  while (end >= 0 && plain[end] === 0) end--
  if (end < 0) throw new Error('decrypted record is all padding: no content type (RFC 8446 §5.4)')
  return { contentType: plain[end] ?? 0, content: plain.subarray(0, end), paddingBytes: plain.length - 1 - end }
}
