// The whole bytes of a run's traffic and its TLS secrets, kept on the host beside the trace: the
// trace itself keeps only each payload's first bytes (it goes to the page as JSON), the capture
// feeds TLS decryption (tls/annotate-trace.ts) and the pcapng export (pcap/). Everything here
// came from the sandbox child, so it is checked as it arrives.
import { TRACE_PAYLOAD_CAP_BYTES, type TraceEvent } from './types'
import { CAPTURE_CAP_BYTES } from './sandbox/trace-recorder'

export interface RunCapture {
  /** Wall clock (ms since the epoch) when the trace's tMs was 0. */
  startedAtMs: number
  /** Whole payloads of events whose payload was longer than the trace keeps. */
  wire: Map<TraceEvent, Buffer>
  /** NSS key log lines of the run's TLS sockets, each once. */
  keyLog: string[]
  /** True when some payload is known only by its first bytes (the capture budget ran out). */
  cut: boolean
}

/** Key log lines are short (label, 64 hex digits, a secret of at most 64 bytes). */
const MAX_KEY_LOG_LINE = 300
const MAX_KEY_LOG_LINES = 20_000

export class CaptureCollector {
  private readonly capture: RunCapture
  private budget = CAPTURE_CAP_BYTES

  constructor(startedAtMs: number) {
    this.capture = { startedAtMs, wire: new Map(), keyLog: [], cut: false }
  }

  /** Takes a batch from the child: strips the whole payloads off the events and keeps them here. */
  take(events: unknown[], keyLog: unknown): TraceEvent[] {
    const out: TraceEvent[] = []
    for (const raw of events) {
      if (!raw || typeof raw !== 'object') continue
      const { wireBase64, ...event } = raw as TraceEvent & { wireBase64?: unknown }
      if (typeof wireBase64 === 'string') {
        const bytes = Buffer.from(wireBase64, 'base64')
        if (bytes.length === event.bytes && bytes.length <= this.budget) {
          this.budget -= bytes.length
          this.capture.wire.set(event, bytes)
        }
      }
      if ((event.bytes ?? 0) > TRACE_PAYLOAD_CAP_BYTES && !this.capture.wire.has(event)) this.capture.cut = true
      out.push(event)
    }
    if (Array.isArray(keyLog)) {
      for (const line of keyLog) {
        if (
          typeof line === 'string' &&
          line.length <= MAX_KEY_LOG_LINE &&
          this.capture.keyLog.length < MAX_KEY_LOG_LINES
        )
          this.capture.keyLog.push(line)
      }
    }
    return out
  }

  finish(): RunCapture {
    return this.capture
  }
}

/** An event's whole payload, or null when only its first bytes were kept. */
export function payloadOf(capture: RunCapture, event: TraceEvent): Buffer | null {
  const whole = capture.wire.get(event)
  if (whole) return whole
  if (event.payloadBase64 === undefined || event.bytes === undefined) return null
  const first = Buffer.from(event.payloadBase64, 'base64')
  return first.length === event.bytes && first.length <= TRACE_PAYLOAD_CAP_BYTES ? first : null
}

/** The capture of a run, found by its trace (the result object may be copied, the trace array is kept). */
const captures = new WeakMap<TraceEvent[], RunCapture>()

export function attachCapture(trace: TraceEvent[], capture: RunCapture): void {
  captures.set(trace, capture)
}

export function captureOf(trace: TraceEvent[]): RunCapture | undefined {
  return captures.get(trace)
}
