// TLS record layer and the two cleartext handshake messages worth showing (RFC 8446 sections 5.1,
// 4.1.2, 4.1.3, 4.2). Everything after ServerHello in TLS 1.3 is encrypted and shown as such.

export const CONTENT_TYPES: Record<number, string> = {
  20: 'ChangeCipherSpec',
  21: 'Alert',
  22: 'Handshake',
  23: 'ApplicationData'
}

export const HANDSHAKE_TYPES: Record<number, string> = {
  1: 'ClientHello',
  2: 'ServerHello',
  4: 'NewSessionTicket',
  5: 'EndOfEarlyData',
  8: 'EncryptedExtensions',
  11: 'Certificate',
  12: 'ServerKeyExchange',
  13: 'CertificateRequest',
  14: 'ServerHelloDone',
  15: 'CertificateVerify',
  16: 'ClientKeyExchange',
  20: 'Finished',
  24: 'KeyUpdate'
}

const VERSIONS: Record<number, string> = { 0x0301: 'TLS1.0', 0x0302: 'TLS1.1', 0x0303: 'TLS1.2', 0x0304: 'TLS1.3' }

const CIPHER_SUITES: Record<number, string> = {
  0x1301: 'TLS_AES_128_GCM_SHA256',
  0x1302: 'TLS_AES_256_GCM_SHA384',
  0x1303: 'TLS_CHACHA20_POLY1305_SHA256',
  0xc02b: 'ECDHE_ECDSA_AES_128_GCM_SHA256',
  0xc02c: 'ECDHE_ECDSA_AES_256_GCM_SHA384',
  0xc02f: 'ECDHE_RSA_AES_128_GCM_SHA256',
  0xc030: 'ECDHE_RSA_AES_256_GCM_SHA384',
  0xcca8: 'ECDHE_RSA_CHACHA20_POLY1305',
  0xcca9: 'ECDHE_ECDSA_CHACHA20_POLY1305',
  0x00ff: 'EMPTY_RENEGOTIATION_INFO_SCSV'
}

const GROUPS: Record<number, string> = {
  0x0017: 'secp256r1',
  0x0018: 'secp384r1',
  0x0019: 'secp521r1',
  0x001d: 'x25519',
  0x001e: 'x448',
  0x0100: 'ffdhe2048',
  0x0101: 'ffdhe3072',
  0x0102: 'ffdhe4096',
  0x0103: 'ffdhe6144',
  0x0104: 'ffdhe8192',
  0x11ec: 'X25519MLKEM768'
}

const hex4 = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`
export const versionName = (v: number): string => VERSIONS[v] ?? hex4(v)
export const cipherName = (c: number): string => CIPHER_SUITES[c] ?? hex4(c)
export const groupName = (g: number): string => GROUPS[g] ?? hex4(g)

export interface HelloInfo {
  type: 'ClientHello' | 'ServerHello'
  legacyVersion: string
  sni?: string
  /** ClientHello: offered (supported_versions); ServerHello: the selected one. */
  versions: string[]
  cipherSuites: string[]
  /** ClientHello: groups with a key share; ServerHello: the chosen group. */
  keyShareGroups: string[]
  alpn: string[]
}

export interface TlsRecord {
  contentType: number
  typeName: string
  version: string
  /** Length of the record's fragment, bytes (excludes the 5-byte header). */
  length: number
  /** Handshake message names in this record (cleartext handshake records only). */
  handshakes: string[]
  hello?: HelloInfo
  summary: string
}

/** True when the bytes start like a TLS record (handshake or alert, version 3.x). */
export function looksLikeTls(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && (bytes[0] === 22 || bytes[0] === 21) && bytes[1] === 3 && (bytes[2] ?? 9) <= 4
}

/**
 * Parse whole records from the front of `bytes`. Returns the records and how many bytes they
 * used; the caller keeps the rest for the next chunk (records span TCP reads).
 */
export function parseTlsRecords(bytes: Uint8Array): { records: TlsRecord[]; consumed: number } {
  const records: TlsRecord[] = []
  let offset = 0
  while (bytes.length - offset >= 5) {
    const length = ((bytes[offset + 3] ?? 0) << 8) | (bytes[offset + 4] ?? 0)
    if (bytes.length - offset < 5 + length) break
    const contentType = bytes[offset] ?? 0
    const version = ((bytes[offset + 1] ?? 0) << 8) | (bytes[offset + 2] ?? 0)
    const fragment = bytes.subarray(offset + 5, offset + 5 + length)
    records.push(describeRecord(contentType, version, fragment))
    offset += 5 + length
  }
  return { records, consumed: offset }
}

function describeRecord(contentType: number, version: number, fragment: Uint8Array): TlsRecord {
  const typeName = CONTENT_TYPES[contentType] ?? `type ${contentType}`
  const base = {
    contentType,
    typeName,
    version: versionName(version),
    length: fragment.length,
    handshakes: [] as string[]
  }
  if (contentType === 22) {
    const handshakes: string[] = []
    let hello: HelloInfo | undefined
    let at = 0
    while (fragment.length - at >= 4) {
      const msgType = fragment[at] ?? 0
      const msgLength = ((fragment[at + 1] ?? 0) << 16) | ((fragment[at + 2] ?? 0) << 8) | (fragment[at + 3] ?? 0)
      handshakes.push(HANDSHAKE_TYPES[msgType] ?? `handshake ${msgType}`)
      if (fragment.length - at - 4 < msgLength) break // continues in the next record
      const body = fragment.subarray(at + 4, at + 4 + msgLength)
      if ((msgType === 1 || msgType === 2) && !hello)
        hello = parseHello(msgType === 1 ? 'ClientHello' : 'ServerHello', body)
      at += 4 + msgLength
    }
    const summary = hello ? helloSummary(hello) : `Handshake: ${handshakes.join(', ') || 'fragment'}`
    return hello ? { ...base, handshakes, hello, summary } : { ...base, handshakes, summary }
  }
  if (contentType === 21 && fragment.length >= 2) {
    return { ...base, summary: `Alert level=${fragment[0]} description=${fragment[1]}` }
  }
  if (contentType === 23) return { ...base, summary: `ApplicationData (encrypted, ${fragment.length} bytes)` }
  if (contentType === 20) return { ...base, summary: 'ChangeCipherSpec (compatibility, RFC 8446 D.4)' }
  return { ...base, summary: `${typeName} (${fragment.length} bytes)` }
}

function helloSummary(h: HelloInfo): string {
  const parts: string[] = [h.type]
  if (h.sni !== undefined) parts.push(`SNI=${h.sni}`)
  if (h.type === 'ClientHello') {
    parts.push(`versions=${h.versions.join(',') || h.legacyVersion}`)
    parts.push(`ciphers=${h.cipherSuites.length}`)
    if (h.keyShareGroups.length) parts.push(`key_share=${h.keyShareGroups.join(',')}`)
  } else {
    parts.push(`version=${h.versions[0] ?? h.legacyVersion}`, `cipher=${h.cipherSuites[0] ?? '?'}`)
    if (h.keyShareGroups.length) parts.push(`key_share=${h.keyShareGroups[0]}`)
  }
  if (h.alpn.length) parts.push(`alpn=${h.alpn.join(',')}`)
  return parts.join(' ')
}

/** A cursor over a handshake body; reads past the end return 0 / empty, never throw. */
export class Reader {
  constructor(
    private readonly b: Uint8Array,
    public at = 0
  ) {}
  u8(): number {
    return this.b[this.at++] ?? 0
  }
  u16(): number {
    return (this.u8() << 8) | this.u8()
  }
  bytes(n: number): Uint8Array {
    const out = this.b.subarray(this.at, Math.min(this.at + n, this.b.length))
    this.at += n
    return out
  }
  get left(): number {
    return this.b.length - this.at
  }
}

function parseHello(type: HelloInfo['type'], body: Uint8Array): HelloInfo {
  const r = new Reader(body)
  const legacyVersion = versionName(r.u16())
  r.bytes(32) // random
  r.bytes(r.u8()) // legacy_session_id
  const info: HelloInfo = { type, legacyVersion, versions: [], cipherSuites: [], keyShareGroups: [], alpn: [] }
  if (type === 'ClientHello') {
    const suites = new Reader(r.bytes(r.u16()))
    while (suites.left >= 2) info.cipherSuites.push(cipherName(suites.u16()))
    r.bytes(r.u8()) // legacy_compression_methods
  } else {
    info.cipherSuites.push(cipherName(r.u16()))
    r.u8() // legacy_compression_method
  }
  if (r.left < 2) return info
  const exts = new Reader(r.bytes(r.u16()))
  while (exts.left >= 4) {
    const extType = exts.u16()
    const data = new Reader(exts.bytes(exts.u16()))
    if (extType === 0 && type === 'ClientHello') {
      data.u16() // server_name_list length
      if (data.u8() === 0) info.sni = Buffer.from(data.bytes(data.u16())).toString('latin1')
    } else if (extType === 43) {
      if (type === 'ClientHello') {
        const list = new Reader(data.bytes(data.u8()))
        while (list.left >= 2) info.versions.push(versionName(list.u16()))
      } else info.versions.push(versionName(data.u16()))
    } else if (extType === 51) {
      if (type === 'ClientHello') {
        const list = new Reader(data.bytes(data.u16()))
        while (list.left >= 4) {
          info.keyShareGroups.push(groupName(list.u16()))
          list.bytes(list.u16())
        }
      } else info.keyShareGroups.push(groupName(data.u16()))
    } else if (extType === 16) {
      const list = new Reader(data.bytes(data.u16()))
      while (list.left >= 1) info.alpn.push(Buffer.from(list.bytes(list.u8())).toString('latin1'))
    }
  }
  return info
}
