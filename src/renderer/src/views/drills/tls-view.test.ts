import { describe, expect, it } from 'vitest'
import type { TraceEvent } from '../../../../shared/drills'
import { hasDecryptedTls, showTls, tlsDetailRows } from './tls-view'

const opened: TraceEvent = {
  tMs: 1,
  from: '127.0.0.1:1',
  to: '127.0.0.1:2',
  kind: 'tls-record',
  summary: 'ApplicationData (encrypted, 31 bytes)',
  bytes: 36,
  payloadBase64: Buffer.from([23, 3, 3, 0, 31]).toString('base64'),
  tls: {
    ok: true,
    contentType: 'ApplicationData',
    secret: 'CLIENT_TRAFFIC_SECRET_0',
    seq: 0,
    summary: 'ApplicationData 2 bytes "hi"',
    messages: [
      {
        type: 'ApplicationData',
        fields: [
          ['length', '2 bytes'],
          ['text', '"hi"']
        ]
      }
    ],
    bytes: 2,
    plaintextBase64: Buffer.from('hi').toString('base64')
  }
}
const closed: TraceEvent = { ...opened, tls: { ok: false, error: 'no SERVER_HANDSHAKE_TRAFFIC_SECRET was logged' } }
const plain: TraceEvent = { tMs: 0, from: 'a', to: 'b', kind: 'tcp-data', summary: '2 bytes' }

describe('TLS records shown decrypted or as ciphertext', () => {
  it('offers the toggle only when some record was opened or tried', () => {
    expect(hasDecryptedTls([plain])).toBe(false)
    expect(hasDecryptedTls([plain, closed])).toBe(true)
  })

  it('decrypted: the label and payload are the plaintext; a closed record says why', () => {
    const [a, b, c] = showTls([opened, closed, plain], 'decrypted')
    expect(a).toMatchObject({ summary: 'decrypted ApplicationData 2 bytes "hi"', bytes: 2, payloadBase64: 'aGk=' })
    expect(b?.summary).toBe(
      'ApplicationData (encrypted, 31 bytes); not decrypted: no SERVER_HANDSHAKE_TRAFFIC_SECRET was logged'
    )
    expect(c).toBe(plain)
  })

  it('ciphertext: the events as recorded, the record bytes as payload', () => {
    const [a] = showTls([opened], 'ciphertext')
    expect(a).toBe(opened)
    expect(a?.payloadBase64).toBe(opened.payloadBase64)
  })

  it('details name the secret, the sequence number and each message with its fields', () => {
    if (!opened.tls?.ok) throw new Error('fixture')
    expect(tlsDetailRows(opened.tls)).toEqual([
      { term: 'Opened with', value: 'CLIENT_TRAFFIC_SECRET_0, record 0 under it (RFC 8446 §5.3 nonce)' },
      { term: 'Inner content type', value: 'ApplicationData' },
      { term: 'ApplicationData', value: 'length: 2 bytes; text: "hi"' }
    ])
  })
})
