// What a decrypted TLS 1.3 message says, as a type and named fields for the trace (RFC 8446 §4,
// §6 for alerts). Bytes come from a drill's own connection: every read is bounds-checked by Reader.
import { X509Certificate } from 'node:crypto'
import { HANDSHAKE_TYPES, Reader, groupName, versionName } from '../parsers/tls-records'
import type { TlsMessageView } from '../../../shared/drills'

const EXTENSIONS: Record<number, string> = {
  0: 'server_name',
  1: 'max_fragment_length',
  5: 'status_request',
  10: 'supported_groups',
  13: 'signature_algorithms',
  14: 'use_srtp',
  15: 'heartbeat',
  16: 'application_layer_protocol_negotiation',
  18: 'signed_certificate_timestamp',
  19: 'client_certificate_type',
  20: 'server_certificate_type',
  21: 'padding',
  28: 'record_size_limit',
  41: 'pre_shared_key',
  42: 'early_data',
  43: 'supported_versions',
  44: 'cookie',
  45: 'psk_key_exchange_modes',
  47: 'certificate_authorities',
  48: 'oid_filters',
  49: 'post_handshake_auth',
  50: 'signature_algorithms_cert',
  51: 'key_share'
}

/** SignatureScheme values (RFC 8446 §4.2.3). */
export const SIGNATURE_SCHEMES: Record<number, string> = {
  0x0401: 'rsa_pkcs1_sha256',
  0x0501: 'rsa_pkcs1_sha384',
  0x0601: 'rsa_pkcs1_sha512',
  0x0403: 'ecdsa_secp256r1_sha256',
  0x0503: 'ecdsa_secp384r1_sha384',
  0x0603: 'ecdsa_secp521r1_sha512',
  0x0804: 'rsa_pss_rsae_sha256',
  0x0805: 'rsa_pss_rsae_sha384',
  0x0806: 'rsa_pss_rsae_sha512',
  0x0807: 'ed25519',
  0x0808: 'ed448',
  0x0809: 'rsa_pss_pss_sha256',
  0x080a: 'rsa_pss_pss_sha384',
  0x080b: 'rsa_pss_pss_sha512',
  0x0201: 'rsa_pkcs1_sha1',
  0x0203: 'ecdsa_sha1'
}

/** AlertDescription values (RFC 8446 §6). */
export const ALERTS: Record<number, string> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  22: 'record_overflow',
  40: 'handshake_failure',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  49: 'access_denied',
  50: 'decode_error',
  51: 'decrypt_error',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  109: 'missing_extension',
  110: 'unsupported_extension',
  112: 'unrecognized_name',
  113: 'bad_certificate_status_response',
  115: 'unknown_psk_identity',
  116: 'certificate_required',
  120: 'no_application_protocol'
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const named = (table: Record<number, string>, n: number): string => table[n] ?? `0x${n.toString(16).padStart(4, '0')}`
export const handshakeName = (type: number): string => HANDSHAKE_TYPES[type] ?? `handshake ${type}`

/** One handshake message (type byte, 3-byte length, body) as a type and fields. */
export function describeHandshake(type: number, body: Uint8Array): TlsMessageView {
  const name = handshakeName(type)
  const fields: [string, string][] = []
  const r = new Reader(body)
  switch (type) {
    case 8: // EncryptedExtensions (§4.3.1)
      fields.push(...extensionFields(new Reader(r.bytes(r.u16()))))
      break
    case 11: {
      // Certificate (§4.4.2)
      const context = r.bytes(r.u8())
      if (context.length) fields.push(['certificate_request_context', hex(context)])
      const list = new Reader(r.bytes(u24(r)))
      let n = 0
      while (list.left >= 3) {
        const der = list.bytes(u24(list))
        list.bytes(list.u16()) // per-certificate extensions
        fields.push([`certificate ${n++}`, certificateLine(der)])
      }
      fields.unshift(['certificates', String(n)])
      break
    }
    case 13: // CertificateRequest (§4.3.2)
      fields.push(['certificate_request_context', hex(r.bytes(r.u8())) || '(empty)'])
      fields.push(...extensionFields(new Reader(r.bytes(r.u16()))))
      break
    case 15: {
      // CertificateVerify (§4.4.3)
      fields.push(['algorithm', named(SIGNATURE_SCHEMES, r.u16())])
      const signature = r.bytes(r.u16())
      fields.push(['signature', `${signature.length} bytes`])
      break
    }
    case 20: // Finished (§4.4.4): verify_data is the whole body, Hash.length bytes
      fields.push(['verify_data', hex(body)])
      break
    case 4: {
      // NewSessionTicket (§4.6.1)
      fields.push(['ticket_lifetime', `${u32(r)} s`])
      fields.push(['ticket_age_add', String(u32(r))])
      fields.push(['ticket_nonce', hex(r.bytes(r.u8())) || '(empty)'])
      fields.push(['ticket', `${r.bytes(r.u16()).length} bytes`])
      fields.push(...extensionFields(new Reader(r.bytes(r.u16()))))
      break
    }
    case 24: // KeyUpdate (§4.6.3)
      fields.push(['request_update', r.u8() === 1 ? 'update_requested' : 'update_not_requested'])
      break
    default:
      fields.push(['length', `${body.length} bytes`])
  }
  return { type: name, fields }
}

/** An alert's level and description (§6). */
export function describeAlert(content: Uint8Array): TlsMessageView {
  const level = content[0] === 1 ? 'warning' : content[0] === 2 ? 'fatal' : String(content[0] ?? '?')
  return {
    type: 'Alert',
    fields: [
      ['level', level],
      ['description', named(ALERTS, content[1] ?? 255)]
    ]
  }
}

function extensionFields(exts: Reader): [string, string][] {
  const fields: [string, string][] = []
  while (exts.left >= 4) {
    const type = exts.u16()
    const data = new Reader(exts.bytes(exts.u16()))
    const name = EXTENSIONS[type] ?? `extension ${type}`
    fields.push([name, extensionValue(type, data)])
  }
  return fields
}

function extensionValue(type: number, data: Reader): string {
  const items: string[] = []
  if (type === 10) {
    const list = new Reader(data.bytes(data.u16()))
    while (list.left >= 2) items.push(groupName(list.u16()))
  } else if (type === 16) {
    const list = new Reader(data.bytes(data.u16()))
    while (list.left >= 1) items.push(Buffer.from(list.bytes(list.u8())).toString('latin1'))
  } else if (type === 28) items.push(`${data.u16()} bytes`)
  else if (type === 42 && data.left >= 4) items.push(`max_early_data_size=${u32(data)}`)
  else if (type === 43) items.push(versionName(data.u16()))
  else if (type === 13 || type === 50) {
    const list = new Reader(data.bytes(data.u16()))
    while (list.left >= 2) items.push(named(SIGNATURE_SCHEMES, list.u16()))
  } else if (data.left > 0) items.push(`${data.left} bytes`)
  return items.join(', ') || '(empty)'
}

function certificateLine(der: Uint8Array): string {
  try {
    const cert = new X509Certificate(der)
    const oneLine = (dn: string) => dn.split('\n').filter(Boolean).join(', ')
    const key = cert.publicKey.asymmetricKeyType ?? 'key'
    return `subject ${oneLine(cert.subject)}; issuer ${oneLine(cert.issuer)}; ${key}; valid to ${cert.validTo}`
  } catch {
    return `${der.length} bytes (not a certificate node:crypto can read)`
  }
}

function u24(r: Reader): number {
  return (r.u8() << 16) | r.u16()
}

function u32(r: Reader): number {
  return r.u16() * 0x10000 + r.u16()
}
