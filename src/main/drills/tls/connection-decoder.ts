// Follows one TLS connection record by record, both directions, and opens the protected TLS 1.3
// records with the secrets from the key log: handshake traffic keys until each side's Finished,
// then application traffic keys, renewed at each KeyUpdate (RFC 8446 §7.1-7.3, §4.6.3).
import { createHash } from 'node:crypto'
import { CONTENT_TYPES, Reader } from '../parsers/tls-records'
import { preview } from '../sandbox/trace-recorder'
import type { TlsMessageView, TlsRecordDecryption } from '../../../shared/drills'
import { TRACE_PAYLOAD_CAP_BYTES } from '../types'
import { SUITES_13, nextTrafficSecret, trafficKeys, type Suite13, type TrafficKeys } from './key-schedule'
import { openRecord } from './record-protection'
import { describeAlert, describeHandshake, handshakeName } from './handshake-fields'
import type { KeyLog } from './key-log'

/** A ServerHello with this random is a HelloRetryRequest (RFC 8446 §4.1.3). */
const HRR_RANDOM = createHash('sha256').update('HelloRetryRequest').digest('hex')

type Side = 'CLIENT' | 'SERVER'

interface Direction {
  stage: 'handshake' | 'application'
  /** Application secrets: 0, then one more per KeyUpdate. */
  generation: number
  seq: bigint
  secret: Buffer | null
  keys: TrafficKeys | null
  /** Handshake bytes of a message that continues in the next record. */
  pending: Buffer
}

export class TlsConnectionDecoder {
  private clientSender: string | null = null
  private clientRandom: string | null = null
  private suite: Suite13 | null = null
  private version13 = false
  private serverHelloSeen = false
  private readonly directions = new Map<string, Direction>()

  constructor(private readonly keyLog: KeyLog) {}

  /**
   * The next whole record sent by `sender` (any stable name for that end). Returns how a
   * protected TLS 1.3 record opened, or null for records that are not protected.
   */
  push(sender: string, record: Uint8Array): TlsRecordDecryption | null {
    const type = record[0]
    if (type === 22) {
      this.readCleartextHandshake(sender, record.subarray(5))
      return null
    }
    if (type !== 23) return null
    if (!this.serverHelloSeen) {
      return this.clientRandom
        ? { ok: false, error: 'the ServerHello was not captured, so the cipher suite and keys are unknown' }
        : null
    }
    if (!this.version13) return { ok: false, error: 'not TLS 1.3: the trace decrypts TLS 1.3 records only' }
    if (!this.clientRandom || !this.suite) {
      return {
        ok: false,
        error: this.clientRandom
          ? 'the server chose a cipher suite TLS 1.3 does not define'
          : 'the ClientHello was not captured, so the keys are unknown'
      }
    }
    const side: Side = sender === this.clientSender ? 'CLIENT' : 'SERVER'
    const dir = this.direction(sender)
    const label = this.label(side, dir)
    const seq = dir.seq
    dir.seq += 1n
    if (!dir.keys) {
      dir.secret ??= this.keyLog.get(this.clientRandom)?.get(label) ?? null
      if (!dir.secret) return { ok: false, error: `no ${label} was logged for this connection` }
      dir.keys = trafficKeys(this.suite, dir.secret)
    }
    let opened
    try {
      opened = openRecord(this.suite, dir.keys, seq, record)
    } catch (err) {
      return {
        ok: false,
        error: `did not open with ${label} at sequence ${seq}: ${err instanceof Error ? err.message : String(err)}`
      }
    }
    const messages = this.describe(dir, opened.contentType, opened.content)
    return {
      ok: true,
      contentType: CONTENT_TYPES[opened.contentType] ?? `type ${opened.contentType}`,
      secret: label,
      seq: Number(seq),
      summary: summarize(messages),
      messages,
      bytes: opened.content.length,
      plaintextBase64: opened.content.subarray(0, TRACE_PAYLOAD_CAP_BYTES).toString('base64')
    }
  }

  private direction(sender: string): Direction {
    let dir = this.directions.get(sender)
    if (!dir) {
      dir = { stage: 'handshake', generation: 0, seq: 0n, secret: null, keys: null, pending: Buffer.alloc(0) }
      this.directions.set(sender, dir)
    }
    return dir
  }

  /** The key log label of the secret a direction uses now (numbers past 0 are derived, not logged). */
  private label(side: Side, dir: Direction): string {
    return dir.stage === 'handshake' ? `${side}_HANDSHAKE_TRAFFIC_SECRET` : `${side}_TRAFFIC_SECRET_${dir.generation}`
  }

  private readCleartextHandshake(sender: string, fragment: Uint8Array): void {
    const r = new Reader(fragment)
    while (r.left >= 4) {
      const type = r.u8()
      const body = new Reader(r.bytes((r.u8() << 16) | r.u16()))
      const version = body.u16()
      const random = Buffer.from(body.bytes(32)).toString('hex')
      if (type === 1 && this.clientRandom === null) {
        // A second ClientHello (after a HelloRetryRequest) keeps the same random (§4.1.2).
        this.clientRandom = random
        this.clientSender = sender
      } else if (type === 2 && random !== HRR_RANDOM) {
        this.serverHelloSeen = true
        body.bytes(body.u8()) // legacy_session_id_echo
        this.suite = SUITES_13.get(body.u16()) ?? null
        body.u8() // legacy_compression_method
        this.version13 = version === 0x0304 || serverSupportedVersion(body) === 0x0304
      }
    }
  }

  private describe(dir: Direction, contentType: number, content: Buffer): TlsMessageView[] {
    if (contentType === 21) return [describeAlert(content)]
    if (contentType === 23) {
      const fields: [string, string][] = [['length', `${content.length} bytes`]]
      const text = preview(content, 80)
      if (text) fields.push(['text', text])
      return [{ type: 'ApplicationData', fields }]
    }
    if (contentType !== 22)
      return [
        {
          type: CONTENT_TYPES[contentType] ?? `content type ${contentType}`,
          fields: [['length', `${content.length} bytes`]]
        }
      ]
    const messages: TlsMessageView[] = []
    let buf = dir.pending.length ? Buffer.concat([dir.pending, content]) : content
    let switchToApplication = false
    let keyUpdate = false
    while (buf.length >= 4) {
      const type = buf[0] ?? 0
      const length = ((buf[1] ?? 0) << 16) | ((buf[2] ?? 0) << 8) | (buf[3] ?? 0)
      if (buf.length < 4 + length) break
      messages.push(describeHandshake(type, buf.subarray(4, 4 + length)))
      if (type === 20 && dir.stage === 'handshake') switchToApplication = true
      if (type === 24 && dir.stage === 'application') keyUpdate = true
      buf = buf.subarray(4 + length)
    }
    dir.pending = Buffer.from(buf)
    if (buf.length > 0) {
      const name = buf.length >= 4 ? handshakeName(buf[0] ?? 0) : 'handshake message'
      messages.push({ type: `${name} (continues in the next record)`, fields: [['bytes so far', String(buf.length)]] })
    }
    // The new keys apply from the next record on (§4.4.4, §4.6.3).
    if (switchToApplication) this.rekey(dir, 'application')
    else if (keyUpdate) this.rekey(dir, 'update')
    return messages
  }

  private rekey(dir: Direction, why: 'application' | 'update'): void {
    if (!this.suite) return
    dir.seq = 0n
    dir.keys = null
    if (why === 'application') {
      dir.stage = 'application'
      dir.generation = 0
      dir.secret = null
    } else {
      dir.generation += 1
      dir.secret = dir.secret ? nextTrafficSecret(this.suite, dir.secret) : null
    }
  }
}

function serverSupportedVersion(body: Reader): number | null {
  if (body.left < 2) return null
  const exts = new Reader(body.bytes(body.u16()))
  while (exts.left >= 4) {
    const type = exts.u16()
    const data = new Reader(exts.bytes(exts.u16()))
    if (type === 43) return data.u16()
  }
  return null
}

function summarize(messages: TlsMessageView[]): string {
  if (messages.length === 1 && messages[0]?.type === 'ApplicationData') {
    const [length, text] = messages[0].fields
    return `ApplicationData ${length?.[1] ?? ''}${text ? ` ${text[1]}` : ''}`
  }
  if (messages.length === 1 && messages[0]?.type === 'Alert')
    return `Alert ${messages[0].fields.map((f) => f[1]).join(' ')}`
  return messages.map((m) => m.type).join(', ')
}
