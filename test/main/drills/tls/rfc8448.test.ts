// The TLS 1.3 record decryption against RFC 8448 §3 (Simple 1-RTT Handshake): its secrets must
// give its keys, and its protected records must open to its plaintext handshake messages.
import { createHmac, hkdfSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { SUITES_13, hkdfExpand, hkdfExpandLabel, trafficKeys } from '../../../../src/main/drills/tls/key-schedule'
import { openRecord, recordNonce } from '../../../../src/main/drills/tls/record-protection'
import { parseKeyLog } from '../../../../src/main/drills/tls/key-log'
import { TlsConnectionDecoder } from '../../../../src/main/drills/tls/connection-decoder'
import * as v from './rfc8448-vectors'

const AES128 = SUITES_13.get(0x1301)!

describe('TLS 1.3 key schedule (RFC 8446 §7.1, §7.3) against RFC 8448', () => {
  it('HKDF-Expand over node:crypto HMAC equals node:crypto hkdf once the Extract step is done the same way', () => {
    const ikm = Buffer.from('input keying material')
    const salt = Buffer.from('salt')
    const info = Buffer.from('info')
    const prk = createHmac('sha384', salt).update(ikm).digest()
    for (const length of [1, 32, 48, 49, 100]) {
      expect(hkdfExpand('sha384', prk, info, length).toString('hex')).toBe(
        Buffer.from(hkdfSync('sha384', ikm, salt, info, length)).toString('hex')
      )
    }
  })

  it('HKDF-Expand-Label builds the RFC\'s info bytes and output for "derived"', () => {
    expect(hkdfExpandLabel('sha256', v.derived.prk, 'derived', v.derived.hash, 32).toString('hex')).toBe(
      v.derived.expanded.toString('hex')
    )
    // A wrong label must not give the same secret.
    expect(hkdfExpandLabel('sha256', v.derived.prk, 'derive', v.derived.hash, 32).toString('hex')).not.toBe(
      v.derived.expanded.toString('hex')
    )
  })

  it("each traffic secret gives the RFC's write key and IV", () => {
    for (const name of ['serverHandshake', 'clientHandshake', 'serverApplication', 'clientApplication'] as const) {
      const got = trafficKeys(AES128, v.secrets[name])
      expect(got.key.toString('hex'), name).toBe(v.keys[name].key.toString('hex'))
      expect(got.iv.toString('hex'), name).toBe(v.keys[name].iv.toString('hex'))
    }
  })
})

describe('record protection (RFC 8446 §5.2-5.4) against RFC 8448', () => {
  it('the nonce is the IV at sequence 0 and XORs the sequence number into its last bytes', () => {
    const iv = v.keys.serverApplication.iv
    expect(recordNonce(iv, 0n).toString('hex')).toBe(iv.toString('hex'))
    const n = recordNonce(iv, 0x0102n)
    expect(n.subarray(0, 10).toString('hex')).toBe(iv.subarray(0, 10).toString('hex'))
    expect(n[10]).toBe((iv[10] ?? 0) ^ 0x01)
    expect(n[11]).toBe((iv[11] ?? 0) ^ 0x02)
  })

  it("opens the server's handshake flight to EncryptedExtensions, Certificate, CertificateVerify and Finished", () => {
    const opened = openRecord(AES128, v.keys.serverHandshake, 0n, v.serverHandshakeRecord)
    expect(opened.contentType).toBe(22)
    expect(opened.content.toString('hex')).toBe(
      Buffer.concat([v.encryptedExtensions, v.certificate, v.certificateVerify, v.serverFinished]).toString('hex')
    )
  })

  it("opens the server's application data at sequence 1, and not at sequence 0", () => {
    const opened = openRecord(AES128, v.keys.serverApplication, 1n, v.serverApplicationRecord)
    expect(opened.contentType).toBe(23)
    expect(opened.content.toString('hex')).toBe(v.applicationData.toString('hex'))
    expect(() => openRecord(AES128, v.keys.serverApplication, 0n, v.serverApplicationRecord)).toThrow()
  })

  it("refuses a record with one changed byte, or opened with the other direction's keys", () => {
    const changed = Buffer.from(v.clientApplicationRecord)
    changed[20] = (changed[20] ?? 0) ^ 1
    expect(() => openRecord(AES128, v.keys.clientApplication, 0n, changed)).toThrow()
    const header = Buffer.from(v.clientApplicationRecord)
    header[2] = 1 // the header is the additional data: changing it must fail too
    expect(() => openRecord(AES128, v.keys.clientApplication, 0n, header)).toThrow()
    expect(() => openRecord(AES128, v.keys.serverApplication, 0n, v.clientApplicationRecord)).toThrow()
    expect(openRecord(AES128, v.keys.clientApplication, 0n, v.clientApplicationRecord).content.toString('hex')).toBe(
      v.applicationData.toString('hex')
    )
  })
})

describe('a connection decoded from its records and the key log', () => {
  function decodeHandshake() {
    const { keys, problems } = parseKeyLog(v.keyLogText)
    expect(problems).toEqual([])
    const decoder = new TlsConnectionDecoder(keys)
    expect(decoder.push('client', v.clientHelloRecord)).toBeNull()
    expect(decoder.push('server', v.serverHelloRecord)).toBeNull()
    return decoder
  }

  it('shows the encrypted handshake messages with their fields', () => {
    const decoder = decodeHandshake()
    const flight = decoder.push('server', v.serverHandshakeRecord)
    if (!flight?.ok) throw new Error(`not opened: ${JSON.stringify(flight)}`)
    expect(flight.secret).toBe('SERVER_HANDSHAKE_TRAFFIC_SECRET')
    expect(flight.seq).toBe(0)
    expect(flight.contentType).toBe('Handshake')
    expect(flight.messages.map((m) => m.type)).toEqual([
      'EncryptedExtensions',
      'Certificate',
      'CertificateVerify',
      'Finished'
    ])
    const [ee, cert, verify, finished] = flight.messages
    expect(ee?.fields).toEqual([
      [
        'supported_groups',
        'x25519, secp256r1, secp384r1, secp521r1, ffdhe2048, ffdhe3072, ffdhe4096, ffdhe6144, ffdhe8192'
      ],
      ['record_size_limit', '16385 bytes'],
      ['server_name', '(empty)']
    ])
    expect(cert?.fields[0]).toEqual(['certificates', '1'])
    expect(cert?.fields[1]?.[1]).toMatch(/^subject CN=rsa; issuer CN=rsa; rsa; valid to Jul 30 01:23:59 2026 GMT$/)
    expect(verify?.fields).toEqual([
      ['algorithm', 'rsa_pss_rsae_sha256'],
      ['signature', '128 bytes']
    ])
    expect(finished?.fields).toEqual([['verify_data', v.serverFinished.subarray(4).toString('hex')]])
    expect(flight.summary).toBe('EncryptedExtensions, Certificate, CertificateVerify, Finished')
  })

  it('switches the client to application keys after its Finished and reads its data at sequence 0', () => {
    const decoder = decodeHandshake()
    decoder.push('server', v.serverHandshakeRecord)
    const fin = decoder.push('client', v.clientFinishedRecord)
    if (!fin?.ok) throw new Error(`not opened: ${JSON.stringify(fin)}`)
    expect(fin.messages).toEqual([
      { type: 'Finished', fields: [['verify_data', v.clientFinished.subarray(4).toString('hex')]] }
    ])
    const data = decoder.push('client', v.clientApplicationRecord)
    if (!data?.ok) throw new Error(`not opened: ${JSON.stringify(data)}`)
    expect(data.secret).toBe('CLIENT_TRAFFIC_SECRET_0')
    expect(data.seq).toBe(0)
    expect(data.contentType).toBe('ApplicationData')
    expect(Buffer.from(data.plaintextBase64, 'base64').toString('hex')).toBe(v.applicationData.toString('hex'))
    expect(data.bytes).toBe(50)
  })

  it('says why a record stays closed: no secret logged, or a record missing before it', () => {
    const { keys } = parseKeyLog(
      v.keyLogText
        .split('\n')
        .filter((l) => !l.startsWith('SERVER_HANDSHAKE'))
        .join('\n')
    )
    const decoder = new TlsConnectionDecoder(keys)
    decoder.push('client', v.clientHelloRecord)
    decoder.push('server', v.serverHelloRecord)
    expect(decoder.push('server', v.serverHandshakeRecord)).toEqual({
      ok: false,
      error: 'no SERVER_HANDSHAKE_TRAFFIC_SECRET was logged for this connection'
    })
    // The client's Finished skipped: its application data is read under handshake keys and fails.
    const skipped = decodeHandshake()
    skipped.push('server', v.serverHandshakeRecord)
    const data = skipped.push('client', v.clientApplicationRecord)
    expect(data?.ok).toBe(false)
    expect(data && !data.ok && data.error).toMatch(/CLIENT_HANDSHAKE_TRAFFIC_SECRET at sequence 0/)
  })

  it('reports malformed key log lines with their line numbers', () => {
    const { keys, problems } = parseKeyLog(`# comment\nCLIENT_RANDOM abc def\n${v.keyLogText}`)
    expect(problems).toEqual([{ line: 2, message: 'not "LABEL <64 hex digits of client random> <hex secret>"' }])
    expect(keys.get(v.clientRandom)?.size).toBe(4)
  })
})
