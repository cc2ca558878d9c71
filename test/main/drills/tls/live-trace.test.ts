// A live TLS 1.3 connection between Node's own tls client and server, run in the drill sandbox
// (the tls-echo reference solution): the trace must open every protected record with the secrets
// the sockets logged, and show the handshake messages and the echoed bytes.
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { loadDrills } from '../../../../src/main/content/load-drills'
import { runDrill, shutdownRunner, type DrillResult, type TraceEvent } from '../../../../src/main/drills/index'
import { captureOf } from '../../../../src/main/drills/capture'

afterAll(() => shutdownRunner())

const contentDir = fileURLToPath(new URL('../../../../content', import.meta.url))
const drill = loadDrills(contentDir).drills.find((d) => d.id === 'tls-echo')!

let result: DrillResult | null = null
async function run(): Promise<DrillResult> {
  result ??= await runDrill({ drill, code: drill.solution, mode: 'run' })
  return result
}

type Opened = Extract<NonNullable<TraceEvent['tls']>, { ok: true }>
/** The opened records of the connection a test made (the previous test's close may still arrive during it). */
function opened(trace: TraceEvent[], test: number): Opened[] {
  const conn = trace.find((e) => e.test === test && e.kind === 'tcp-connect')?.conn
  return trace.filter((e) => e.conn === conn && e.kind === 'tls-record' && e.tls?.ok).map((e) => e.tls as Opened)
}

describe('decrypted TLS 1.3 in a drill trace', () => {
  it('logs the secrets of every TLS socket in NSS key log format', async () => {
    const r = await run()
    expect(r.status).toBe('pass')
    const labels = new Set(captureOf(r.trace)?.keyLog.map((l) => l.split(' ')[0]))
    for (const label of [
      'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
      'SERVER_HANDSHAKE_TRAFFIC_SECRET',
      'CLIENT_TRAFFIC_SECRET_0',
      'SERVER_TRAFFIC_SECRET_0'
    ]) {
      expect(labels.has(label), label).toBe(true)
    }
  })

  it('opens every protected record of the run and none fails', async () => {
    const r = await run()
    const protectedRecords = r.trace.filter(
      (e) => e.kind === 'tls-record' && e.summary.startsWith('ApplicationData (encrypted')
    )
    expect(protectedRecords.length).toBeGreaterThan(10)
    const failed = protectedRecords.filter((e) => !e.tls?.ok)
    expect(failed.map((e) => e.tls)).toEqual([])
    // The ciphertext is kept beside the decryption: the record's own bytes, header first.
    for (const e of protectedRecords) expect(Buffer.from(e.payloadBase64 ?? '', 'base64')[0]).toBe(23)
  })

  it("shows the server's encrypted handshake, the client's Finished and the echoed bytes in order", async () => {
    const r = await run()
    const index = r.tests.findIndex((t) => t.name === 'bytes come back unchanged')
    const records = opened(r.trace, index)
    const serverHandshake = records
      .filter((t) => t.secret === 'SERVER_HANDSHAKE_TRAFFIC_SECRET')
      .flatMap((t) => t.messages)
    expect(serverHandshake.map((m) => m.type)).toEqual([
      'EncryptedExtensions',
      'Certificate',
      'CertificateVerify',
      'Finished'
    ])
    const certificate = serverHandshake[1]!
    expect(certificate.fields.find(([k]) => k === 'certificate 0')?.[1]).toMatch(
      /^subject CN=localhost; issuer .*; (ec|rsa)/
    )
    expect(serverHandshake[2]?.fields[0]).toEqual([
      'algorithm',
      expect.stringMatching(/^(ecdsa_secp256r1_sha256|rsa_pss_rsae_sha256)$/)
    ])
    // SHA-256 suites: 32 bytes of verify_data (64 hex digits).
    expect(serverHandshake[3]?.fields[0]?.[1]).toMatch(/^[0-9a-f]{64}$|^[0-9a-f]{96}$/)
    const clientHandshake = records
      .filter((t) => t.secret === 'CLIENT_HANDSHAKE_TRAFFIC_SECRET')
      .flatMap((t) => t.messages.map((m) => m.type))
    expect(clientHandshake).toEqual(['Finished'])
    const text = (secret: string) =>
      records
        .filter((t) => t.secret === secret && t.contentType === 'ApplicationData')
        .map((t) => Buffer.from(t.plaintextBase64, 'base64').toString())
        .join('')
    expect(text('CLIENT_TRAFFIC_SECRET_0')).toBe('hello over TLS')
    expect(text('SERVER_TRAFFIC_SECRET_0')).toBe('hello over TLS')
    expect(
      records.filter((t) => t.secret === 'SERVER_TRAFFIC_SECRET_0').flatMap((t) => t.messages.map((m) => m.type))
    ).toContain('NewSessionTicket')
  })

  it('never shows the plaintext in the ciphertext view', async () => {
    const r = await run()
    const wire = r.trace
      .filter((e) => e.kind === 'tls-record')
      .map((e) => Buffer.from(e.payloadBase64 ?? '', 'base64').toString('latin1'))
    expect(wire.some((w) => w.includes('hello over TLS'))).toBe(false)
  })
})
