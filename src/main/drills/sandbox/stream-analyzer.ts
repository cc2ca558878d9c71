// Reads one direction of a TCP connection and labels what it carries: TLS records, HTTP heads,
// WebSocket frames, HTTP/2 frames (after the client preface, or from a server's first SETTINGS). Decides from the first bytes and falls back to plain bytes when unsure.
import { looksLikeTls, parseTlsRecords } from '../parsers/tls-records'
import { headSummary, headerValue, isWebSocketUpgrade, looksLikeHttp, parseHttpHead } from '../parsers/http-head'
import { frameSummary, parseWsFrame } from '../parsers/ws-frames'
import { H2_PREFACE, h2FrameSummary, looksLikeH2Settings, parseH2Frame, prefaceState } from '../parsers/h2-frames'
import type { TraceKind } from '../types'

export interface Labelled {
  kind: TraceKind
  summary: string
}

/** Bytes buffered while waiting for the rest of a record, head or frame; past this, give up. */
const MAX_BUFFER_BYTES = 256 * 1024

type Mode = 'detect' | 'tls' | 'http' | 'ws' | 'h2' | 'raw'

export class StreamAnalyzer {
  private mode: Mode = 'detect'
  private buf: Buffer = Buffer.alloc(0)
  /** HTTP body bytes still to skip after a head with Content-Length. */
  private bodyLeft = 0
  private chunked = false

  /** Feed received bytes; returns the labels for whatever completed with them. */
  push(chunk: Uint8Array): Labelled[] {
    if (this.mode === 'raw') return []
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : Buffer.from(chunk)
    const out: Labelled[] = []
    if (this.mode === 'detect') {
      const preface = prefaceState(this.buf)
      // "PRI * HTTP/2.0" would pass for an HTTP/1 request line: the preface is checked first.
      if (preface === 'maybe') return []
      // A server's SETTINGS needs its 9-octet header before it can be told from other bytes.
      if (this.buf.length < 9 && this.buf[0] === 0 && (this.buf.length < 4 || this.buf[3] === 4)) return []
      if (preface === 'yes') {
        out.push({ kind: 'http-h2-frame', summary: 'HTTP/2 client connection preface (PRI * HTTP/2.0, SM)' })
        this.buf = this.buf.subarray(H2_PREFACE.length)
        this.mode = 'h2'
      } else if (looksLikeH2Settings(this.buf)) this.mode = 'h2'
      else if (this.buf.length < 3) return []
      else this.mode = looksLikeTls(this.buf) ? 'tls' : looksLikeHttp(this.buf) ? 'http' : 'raw'
    }
    if (this.mode === 'tls') this.tls(out)
    else if (this.mode === 'http') this.http(out)
    if (this.mode === 'ws') this.ws(out)
    if (this.mode === 'h2') this.h2(out)
    if (this.mode === 'raw' || this.buf.length > MAX_BUFFER_BYTES) {
      this.mode = 'raw'
      this.buf = Buffer.alloc(0)
    }
    return out
  }

  private tls(out: Labelled[]): void {
    const { records, consumed } = parseTlsRecords(this.buf)
    for (const r of records) out.push({ kind: 'tls-record', summary: r.summary })
    this.buf = this.buf.subarray(consumed)
  }

  private http(out: Labelled[]): void {
    for (;;) {
      if (this.bodyLeft > 0) {
        const skip = Math.min(this.bodyLeft, this.buf.length)
        this.bodyLeft -= skip
        this.buf = this.buf.subarray(skip)
        if (this.bodyLeft > 0) return
      }
      if (this.chunked) {
        const end = this.buf.indexOf('\r\n0\r\n\r\n')
        const atStart = this.buf.subarray(0, 5).toString('latin1') === '0\r\n\r\n'
        if (!atStart && end < 0) {
          // Keep only a tail long enough to hold a split terminator.
          this.buf = this.buf.subarray(Math.max(0, this.buf.length - 6))
          return
        }
        this.buf = this.buf.subarray(atStart ? 5 : end + 7)
        this.chunked = false
      }
      if (this.buf.length === 0) return
      if (!looksLikeHttp(this.buf)) {
        this.mode = 'raw'
        return
      }
      const head = parseHttpHead(this.buf)
      if (!head) return
      this.buf = this.buf.subarray(head.headLength)
      if (isWebSocketUpgrade(head)) {
        out.push({ kind: 'ws-upgrade', summary: headSummary(head) })
        this.mode = 'ws'
        return
      }
      out.push({ kind: head.kind === 'request' ? 'http-request' : 'http-response', summary: headSummary(head) })
      this.bodyLeft = Number(headerValue(head, 'content-length') ?? 0) || 0
      this.chunked = /chunked/i.test(headerValue(head, 'transfer-encoding') ?? '')
    }
  }

  private h2(out: Labelled[]): void {
    for (;;) {
      const frame = parseH2Frame(this.buf)
      if (!frame) return
      out.push({ kind: 'http-h2-frame', summary: h2FrameSummary(frame) })
      this.buf = this.buf.subarray(frame.frameLength)
    }
  }

  private ws(out: Labelled[]): void {
    for (;;) {
      const frame = parseWsFrame(this.buf)
      if (!frame) return
      out.push({ kind: 'ws-frame', summary: frameSummary(frame) })
      this.buf = this.buf.subarray(frame.frameLength)
    }
  }
}
