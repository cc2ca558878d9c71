// TLS records in the trace shown two ways: as they crossed the wire (ciphertext) or opened with
// the run's logged secrets (decrypted). Pure: the trace diagram maps its events through this.
import type { TlsRecordDecryption, TraceEvent } from '../../../../shared/drills'

export type TlsShown = 'decrypted' | 'ciphertext'

/** True when some record of the trace was opened (or tried): the toggle is worth showing. */
export function hasDecryptedTls(trace: TraceEvent[]): boolean {
  return trace.some((e) => e.tls !== undefined)
}

/**
 * The events as the diagram draws them. Decrypted: an opened record's label is what it holds
 * (its messages, or its application data) and its payload is the plaintext; a record that did
 * not open says why. Ciphertext: the events as recorded (the record's own bytes).
 */
export function showTls(trace: TraceEvent[], shown: TlsShown): TraceEvent[] {
  if (shown === 'ciphertext') return trace
  return trace.map((e) => {
    if (!e.tls) return e
    if (!e.tls.ok) return { ...e, summary: `${e.summary}; not decrypted: ${e.tls.error}` }
    return { ...e, summary: `decrypted ${e.tls.summary}`, bytes: e.tls.bytes, payloadBase64: e.tls.plaintextBase64 }
  })
}

/** The lines under a selected decrypted record: which keys opened it, then each message and its fields. */
export function tlsDetailRows(tls: Extract<TlsRecordDecryption, { ok: true }>): { term: string; value: string }[] {
  const rows = [
    { term: 'Opened with', value: `${tls.secret}, record ${tls.seq} under it (RFC 8446 §5.3 nonce)` },
    { term: 'Inner content type', value: tls.contentType }
  ]
  for (const m of tls.messages) {
    rows.push({ term: m.type, value: m.fields.map(([k, v]) => `${k}: ${v}`).join('; ') || '(no fields)' })
  }
  return rows
}
