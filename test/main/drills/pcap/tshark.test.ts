// The exported pcapng against tshark (Wireshark's dissectors, Debian's `tshark` package): it must
// read the file, decrypt the TLS 1.3 records with the key log embedded in its Decryption Secrets
// Block alone, find no broken TCP sequence numbers, and decode the same messages the app shows.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { loadDrills } from '../../../../src/main/content/load-drills'
import { runDrill, shutdownRunner, type TraceEvent } from '../../../../src/main/drills/index'
import { captureOf } from '../../../../src/main/drills/capture'
import { traceToPcapng } from '../../../../src/main/drills/pcap/trace-pcapng'
import { HANDSHAKE_TYPES } from '../../../../src/main/drills/parsers/tls-records'
import { SIGNATURE_SCHEMES } from '../../../../src/main/drills/tls/handshake-fields'

const tshark = await new Promise<boolean>((resolve) =>
  execFile('sh', ['-c', 'command -v tshark'], (err) => resolve(!err))
)
const dir = mkdtempSync(join(tmpdir(), 'retransmit-pcap-'))
afterAll(() => {
  shutdownRunner()
  rmSync(dir, { recursive: true, force: true })
})

function fields(file: string, filter: string, names: string[]): Promise<string[][]> {
  const args = ['-r', file, '-Y', filter, '-T', 'fields', '-E', 'separator=|', ...names.flatMap((n) => ['-e', n])]
  return new Promise((resolve, reject) =>
    execFile('tshark', args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout) =>
      err
        ? reject(err)
        : resolve(
            stdout
              .split('\n')
              .filter(Boolean)
              .map((l) => l.split('|'))
          )
    )
  )
}

const typeNumber = new Map(Object.entries(HANDSHAKE_TYPES).map(([n, name]) => [name, Number(n)]))
const portOf = (endpoint: string) => endpoint.slice(endpoint.lastIndexOf(':') + 1)
const pairOf = (a: string, b: string) => [a, b].sort().join('-')

/** What the app decoded, per connection (its two ports): handshake types in order, and the plaintext each port sent. */
function appView(trace: TraceEvent[]) {
  const handshakes = new Map<string, number[]>()
  const sent = new Map<string, string>()
  const algorithms = new Set<string>()
  const finishedBytes: number[] = []
  for (const e of trace) {
    if (e.kind !== 'tls-record') continue
    const pair = pairOf(portOf(e.from), portOf(e.to))
    const list = handshakes.get(pair) ?? []
    handshakes.set(pair, list)
    const cleartext = /^(ClientHello|ServerHello)\b/.exec(e.summary)?.[1]
    if (cleartext) list.push(typeNumber.get(cleartext)!)
    if (!e.tls?.ok) continue
    if (e.tls.contentType === 'ApplicationData') {
      const key = portOf(e.from)
      sent.set(key, (sent.get(key) ?? '') + Buffer.from(e.tls.plaintextBase64, 'base64').toString('hex'))
    }
    for (const m of e.tls.messages) {
      if (e.tls.contentType === 'Handshake') list.push(typeNumber.get(m.type)!)
      if (m.type === 'CertificateVerify') algorithms.add(m.fields[0]![1])
      if (m.type === 'Finished') finishedBytes.push(m.fields[0]![1].length / 2)
    }
  }
  return { handshakes, sent, algorithms, finishedBytes }
}

describe.skipIf(!tshark)('pcapng export read by tshark', () => {
  it('decrypts the handshake and data of a live TLS 1.3 run as the app does', async () => {
    const contentDir = fileURLToPath(new URL('../../../../content', import.meta.url))
    const drill = loadDrills(contentDir).drills.find((d) => d.id === 'tls-echo')!
    const result = await runDrill({ drill, code: drill.solution, mode: 'run' })
    expect(result.status).toBe('pass')
    const exported = traceToPcapng(result.trace, captureOf(result.trace)!)
    expect(exported.partial).toBe(0)
    const file = join(dir, 'tls-echo.pcapng')
    writeFileSync(file, exported.file)

    const app = appView(result.trace)
    // No key file is given to tshark: the secrets come from the file's Decryption Secrets Block.
    const rows = await fields(file, 'tls.handshake', [
      'tcp.srcport',
      'tcp.dstport',
      'tls.handshake.type',
      'tls.handshake.length',
      'tls.handshake.sig_hash_alg'
    ])
    const theirs = new Map<string, number[]>()
    const finishedBytes: number[] = []
    const algorithms = new Set<string>()
    for (const [src, dst, types, lengths, alg] of rows) {
      const list = theirs.get(pairOf(src!, dst!)) ?? []
      theirs.set(pairOf(src!, dst!), list)
      const t = types!.split(',').map(Number)
      const l = lengths!.split(',').map(Number)
      list.push(...t)
      t.forEach((type, i) => type === 20 && finishedBytes.push(l[i]!))
      // A ClientHello lists the schemes it accepts; the CertificateVerify's frame names the one used.
      if (alg && t.includes(15)) algorithms.add(SIGNATURE_SCHEMES[parseInt(alg, 16)]!)
    }
    // Encrypted ones included: EncryptedExtensions (8), Certificate (11), CertificateVerify (15), Finished (20).
    expect([...theirs.values()].flat()).toEqual(expect.arrayContaining([8, 11, 15, 20, 4]))
    expect(Object.fromEntries(theirs)).toEqual(Object.fromEntries(app.handshakes))
    expect(finishedBytes).toEqual(app.finishedBytes)
    expect(algorithms).toEqual(app.algorithms)

    // The decrypted application data, per sending port.
    const data = await fields(file, 'data.data', ['tcp.srcport', 'data.data'])
    const sent = new Map<string, string>()
    for (const [src, hex] of data) sent.set(src!, (sent.get(src!) ?? '') + hex!.replace(/,/g, ''))
    expect(Object.fromEntries(sent)).toEqual(Object.fromEntries(app.sent))
    expect([...sent.values()].some((hex) => Buffer.from(hex, 'hex').toString() === 'hello over TLS')).toBe(true)

    // The synthesized TCP numbering holds together: no lost segments, unseen ACKs or retransmissions.
    expect(
      await fields(file, 'tcp.analysis.flags && !tcp.analysis.window_update', ['frame.number', '_ws.expert.message'])
    ).toEqual([])
  })

  it('without the Decryption Secrets Block the same records stay encrypted', async () => {
    const contentDir = fileURLToPath(new URL('../../../../content', import.meta.url))
    const drill = loadDrills(contentDir).drills.find((d) => d.id === 'tls-echo')!
    const result = await runDrill({ drill, code: drill.solution, mode: 'run' })
    const capture = { ...captureOf(result.trace)!, keyLog: [] }
    const file = join(dir, 'no-keys.pcapng')
    writeFileSync(file, traceToPcapng(result.trace, capture).file)
    const types = (await fields(file, 'tls.handshake', ['tls.handshake.type'])).flatMap(([t]) =>
      t!.split(',').map(Number)
    )
    expect(types).toContain(1)
    expect(types).not.toContain(11)
  })
})
