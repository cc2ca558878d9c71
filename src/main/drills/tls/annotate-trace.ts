// Opens the TLS 1.3 records of a run's trace: each 'tls-record' event gets its record's bytes
// (the ciphertext, first bytes) and, for protected records, what they decrypt to.
import { TRACE_PAYLOAD_CAP_BYTES, type TraceEvent } from '../types'
import { payloadOf, type RunCapture } from '../capture'
import { CAPTURE_CAP_BYTES } from '../sandbox/trace-recorder'
import { parseKeyLog } from './key-log'
import { TlsConnectionDecoder } from './connection-decoder'

interface Stream {
  buf: Buffer
  /** A payload of this direction is missing: its later records cannot be found. */
  broken: boolean
}

export function annotateTls(trace: TraceEvent[], capture: RunCapture): void {
  // Only directions that carried TLS records are reassembled.
  const directions = new Set(
    trace.filter((e) => e.kind === 'tls-record' && e.conn !== undefined).map((e) => `${e.conn}|${e.from}`)
  )
  if (directions.size === 0) return
  const { keys } = parseKeyLog(capture.keyLog.join('\n'))
  const streams = new Map<string, Stream>()
  const decoders = new Map<number, TlsConnectionDecoder>()
  for (const event of trace) {
    if (event.conn === undefined) continue
    const key = `${event.conn}|${event.from}`
    if (!directions.has(key)) continue
    const stream = streams.get(key) ?? { buf: Buffer.alloc(0), broken: false }
    streams.set(key, stream)
    if (event.kind === 'tcp-data') {
      const payload = payloadOf(capture, event)
      if (!payload) stream.broken = true
      else if (!stream.broken) stream.buf = stream.buf.length ? Buffer.concat([stream.buf, payload]) : payload
      continue
    }
    if (event.kind !== 'tls-record') continue
    if (stream.broken) {
      event.tls = {
        ok: false,
        error: `not opened: the run's capture budget (${CAPTURE_CAP_BYTES / 1024 / 1024} MB of payload) ran out before this record`
      }
      continue
    }
    if (stream.buf.length < 5) continue
    const length = 5 + (((stream.buf[3] ?? 0) << 8) | (stream.buf[4] ?? 0))
    if (stream.buf.length < length) continue
    const record = stream.buf.subarray(0, length)
    stream.buf = stream.buf.subarray(length)
    event.bytes = record.length
    event.payloadBase64 = record.subarray(0, TRACE_PAYLOAD_CAP_BYTES).toString('base64')
    let decoder = decoders.get(event.conn)
    if (!decoder) {
      decoder = new TlsConnectionDecoder(keys)
      decoders.set(event.conn, decoder)
    }
    const opened = decoder.push(event.from, record)
    if (opened) event.tls = opened
  }
}
