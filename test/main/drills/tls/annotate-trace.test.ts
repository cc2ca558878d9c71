// annotateTls on a trace made of RFC 8448's records: each tls-record event gets its record's bytes
// and what it opens to; a payload the capture budget did not keep leaves its records closed, saying why.
import { describe, expect, it } from 'vitest'
import type { TraceEvent } from '../../../../src/main/drills/types'
import type { RunCapture } from '../../../../src/main/drills/capture'
import { annotateTls } from '../../../../src/main/drills/tls/annotate-trace'
import * as v from './rfc8448-vectors'

const C = '127.0.0.1:50000'
const S = '127.0.0.1:443'

function trace(keepServerFlight: boolean): { events: TraceEvent[]; capture: RunCapture } {
  const capture: RunCapture = { startedAtMs: 0, wire: new Map(), keyLog: v.keyLogText.split('\n'), cut: false }
  const data = (from: string, to: string, bytes: Buffer, keep = true): TraceEvent => {
    const e: TraceEvent = {
      tMs: 0,
      from,
      to,
      kind: 'tcp-data',
      summary: `${bytes.length} bytes`,
      conn: 7,
      bytes: bytes.length,
      payloadBase64: bytes.subarray(0, 256).toString('base64')
    }
    if (bytes.length > 256 && keep) capture.wire.set(e, bytes)
    return e
  }
  const record = (from: string, to: string, summary: string): TraceEvent => ({
    tMs: 0,
    from,
    to,
    kind: 'tls-record',
    summary,
    conn: 7
  })
  const events = [
    data(C, S, v.clientHelloRecord),
    record(C, S, 'ClientHello'),
    data(S, C, Buffer.concat([v.serverHelloRecord, v.serverHandshakeRecord]), keepServerFlight),
    record(S, C, 'ServerHello'),
    record(S, C, 'ApplicationData (encrypted, 674 bytes)'),
    data(C, S, Buffer.concat([v.clientFinishedRecord, v.clientApplicationRecord])),
    record(C, S, 'ApplicationData (encrypted, 53 bytes)'),
    record(C, S, 'ApplicationData (encrypted, 67 bytes)')
  ]
  return { events, capture }
}

describe('annotateTls', () => {
  it('gives each record event its bytes and opens the protected ones in stream order', () => {
    const { events, capture } = trace(true)
    annotateTls(events, capture)
    const records = events.filter((e) => e.kind === 'tls-record')
    expect(records.map((e) => e.bytes)).toEqual([201, 95, 679, 58, 72])
    expect(Buffer.from(records[2]!.payloadBase64!, 'base64').toString('hex')).toBe(
      v.serverHandshakeRecord.subarray(0, 256).toString('hex')
    )
    expect(records.map((e) => (e.tls?.ok ? e.tls.summary : e.tls))).toEqual([
      undefined,
      undefined,
      'EncryptedExtensions, Certificate, CertificateVerify, Finished',
      'Finished',
      `ApplicationData 50 bytes`
    ])
  })

  it("leaves a direction's records closed once a payload of it was kept only in part", () => {
    const { events, capture } = trace(false)
    annotateTls(events, capture)
    const server = events.filter((e) => e.kind === 'tls-record' && e.from === S)
    expect(server.map((e) => e.tls)).toEqual([
      { ok: false, error: "not opened: the run's capture budget (8 MB of payload) ran out before this record" },
      { ok: false, error: "not opened: the run's capture budget (8 MB of payload) ran out before this record" }
    ])
    // The client's direction was kept whole, but the ServerHello (suite, version) went unseen with it.
    const client = events.filter(
      (e) => e.kind === 'tls-record' && e.from === C && e.summary.startsWith('ApplicationData')
    )
    expect(client.map((e) => e.tls)).toEqual([
      { ok: false, error: 'the ServerHello was not captured, so the cipher suite and keys are unknown' },
      { ok: false, error: 'the ServerHello was not captured, so the cipher suite and keys are unknown' }
    ])
  })
})
