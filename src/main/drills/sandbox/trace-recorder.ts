// Collects trace events inside the sandbox and ships them to the host in small batches, so a run
// that is killed (time limit) still leaves the events recorded up to that point.
import { TRACE_EVENT_CAP, TRACE_PAYLOAD_CAP_BYTES, type TraceEvent, type TraceKind } from '../types'

// Captured at load, before drill code could replace the globals.
const { setTimeout, clearTimeout } = globalThis

export type TraceSink = (events: TraceEvent[]) => void

/** Batches go out every FLUSH_MS milliseconds or every FLUSH_COUNT events, whichever comes first. */
const FLUSH_MS = 20
const FLUSH_COUNT = 64

export class TraceRecorder {
  private pending: TraceEvent[] = []
  /** Everything recorded, for tests that assert on the trace (`trace()` in the harness). */
  private all: TraceEvent[] = []
  private count = 0
  private timer: NodeJS.Timeout | null = null
  private startNs: bigint = process.hrtime.bigint()
  /** The test running now (its index), stamped on each event so the UI can show one test's traffic. */
  private test: number | undefined

  constructor(private readonly sink: TraceSink) {}

  /** Forget everything (the warm-up's traffic) and restart the clock: tMs counts from the run's start. */
  start(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.pending = []
    this.all = []
    this.count = 0
    this.test = undefined
    this.startNs = process.hrtime.bigint()
  }

  /** Events from now on belong to test `index` (until the next test starts). */
  beginTest(index: number): void {
    this.test = index
  }

  nowMs(): number {
    return Number(process.hrtime.bigint() - this.startNs) / 1e6
  }

  add(kind: TraceKind, from: string, to: string, summary: string, payload?: Uint8Array): void {
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
    if (payload && this.count < TRACE_EVENT_CAP) {
      event.bytes = payload.byteLength
      event.payloadBase64 = Buffer.from(
        payload.buffer,
        payload.byteOffset,
        Math.min(payload.byteLength, TRACE_PAYLOAD_CAP_BYTES)
      ).toString('base64')
    }
    this.pending.push(event)
    this.all.push(event)
    if (this.pending.length >= FLUSH_COUNT) this.flush()
    else if (!this.timer) {
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
    if (this.pending.length === 0) return
    const batch = this.pending
    this.pending = []
    this.sink(batch)
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
