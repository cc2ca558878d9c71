// Collects trace events inside the sandbox and ships them to the host in small batches, so a run
// that is killed (time limit) still leaves the events recorded up to that point.
import { TRACE_EVENT_CAP, TRACE_PAYLOAD_CAP_BYTES, type TraceEvent, type TraceKind } from '../types'

import { ConnectionIds } from './connection-ids'

// Captured at load, before drill code could replace the globals.
const { setTimeout, clearTimeout } = globalThis

/** An event as it travels to the host: with its whole payload when the trace keeps only the first bytes. */
export type WireTraceEvent = TraceEvent & { wireBase64?: string }

export type TraceSink = (events: WireTraceEvent[], keyLog: string[]) => void

/**
 * Whole payloads (for the pcapng export and TLS decryption) travel to the host up to this many
 * bytes per run; past it, events keep only their first TRACE_PAYLOAD_CAP_BYTES.
 */
export const CAPTURE_CAP_BYTES = 8 * 1024 * 1024

/** Batches go out every FLUSH_MS milliseconds or every FLUSH_COUNT events, whichever comes first. */
const FLUSH_MS = 20
const FLUSH_COUNT = 64

export class TraceRecorder {
  private pending: WireTraceEvent[] = []
  /** NSS key log lines from the run's TLS sockets, not yet sent. */
  private pendingKeys: string[] = []
  private keysSeen = new Set<string>()
  private captureLeft = CAPTURE_CAP_BYTES
  /** Everything recorded, for tests that assert on the trace (`trace()` in the harness). */
  private all: TraceEvent[] = []
  private count = 0
  private timer: NodeJS.Timeout | null = null
  private startNs: bigint = process.hrtime.bigint()
  /** The test running now (its index), stamped on each event so the UI can show one test's traffic. */
  private test: number | undefined
  private ids = new ConnectionIds()

  constructor(private readonly sink: TraceSink) {}

  /** Forget everything (the warm-up's traffic) and restart the clock: tMs counts from the run's start. */
  start(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.pending = []
    this.pendingKeys = []
    this.keysSeen.clear()
    this.captureLeft = CAPTURE_CAP_BYTES
    this.all = []
    this.count = 0
    this.test = undefined
    this.ids = new ConnectionIds()
    this.startNs = process.hrtime.bigint()
  }

  /** Events from now on belong to test `index` (until the next test starts). */
  beginTest(index: number): void {
    this.test = index
  }

  /** The run's number for the TCP connection between these endpoints (both ends get the same). */
  connectionId(local: string, remote: string): number {
    return this.ids.idFor(local, remote)
  }

  nowMs(): number {
    return Number(process.hrtime.bigint() - this.startNs) / 1e6
  }

  /** `conn`: the TCP connection the event belongs to (see connection-ids.ts). */
  add(kind: TraceKind, from: string, to: string, summary: string, payload?: Uint8Array, conn?: number): void {
    if (this.count >= TRACE_EVENT_CAP) return
    this.count += 1
    const tMs = Math.round(this.nowMs() * 1000) / 1000
    const event: TraceEvent =
      this.count === TRACE_EVENT_CAP
        ? {
            tMs,
            from: 'trace',
            to: 'trace',
            kind: 'note',
            summary: `trace cut at ${TRACE_EVENT_CAP} events; traffic went on unrecorded`
          }
        : { tMs, from, to, kind, summary }
    if (this.test !== undefined) event.test = this.test
    if (conn !== undefined && this.count < TRACE_EVENT_CAP) event.conn = conn
    let wire: string | undefined
    if (payload && this.count < TRACE_EVENT_CAP) {
      event.bytes = payload.byteLength
      event.payloadBase64 = Buffer.from(
        payload.buffer,
        payload.byteOffset,
        Math.min(payload.byteLength, TRACE_PAYLOAD_CAP_BYTES)
      ).toString('base64')
      if (payload.byteLength > TRACE_PAYLOAD_CAP_BYTES && payload.byteLength <= this.captureLeft) {
        this.captureLeft -= payload.byteLength
        wire = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('base64')
      }
    }
    this.pending.push(wire === undefined ? event : { ...event, wireBase64: wire })
    this.all.push(event)
    if (this.pending.length >= FLUSH_COUNT) this.flush()
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), FLUSH_MS)
      this.timer.unref()
    }
  }

  /** A line from a TLS socket's 'keylog' event (both ends of a connection log the same secrets). */
  keyLog(line: string): void {
    const trimmed = line.trim()
    if (!trimmed || this.keysSeen.has(trimmed)) return
    this.keysSeen.add(trimmed)
    this.pendingKeys.push(trimmed)
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), FLUSH_MS)
      this.timer.unref()
    }
  }

  events(): TraceEvent[] {
    return this.all.map((e) => ({ ...e }))
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (this.pending.length === 0 && this.pendingKeys.length === 0) return
    const batch = this.pending
    const keys = this.pendingKeys
    this.pending = []
    this.pendingKeys = []
    this.sink(batch, keys)
  }
}

/** `host:port`, IPv6 in brackets, IPv4-mapped IPv6 shown as plain IPv4. */
export function endpoint(address: string | undefined, port: number | undefined): string {
  const host = (address ?? '?').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1')
  return `${host.includes(':') ? `[${host}]` : host}:${port ?? '?'}`
}

/** A short, printable preview of a payload for the summary line. */
export function preview(bytes: Uint8Array, max = 40): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, max)).toString('latin1')
  const printable = /^[\x20-\x7e\r\n\t]*$/.test(text)
  if (!printable) return ''
  const shown = JSON.stringify(text)
  return bytes.byteLength > max ? `${shown.slice(0, -1)}..."` : shown
}
