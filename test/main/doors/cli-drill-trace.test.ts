// `retransmit drill run --pcap FILE --keylog FILE`: the run's trace as a pcapng file with the TLS
// key log embedded, and the key log alone, through the in-process CLI and the shipped tls-echo drill.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { shutdownRunner } from '../../../src/main/drills'
import { createDispatch } from '../../../src/main/doors/dispatch'
import { runCli as run } from '../../helpers/cli'
import { openCollection } from '../../../src/main/app/collection'
import { fixedClock, tempDir } from '../../helpers/temp'

const SHIPPED = join(import.meta.dirname, '..', '..', '..', 'content')
const env = { RETRANSMIT_CONTENT_DIR: SHIPPED }

afterAll(() => shutdownRunner())

/** Block types in file order (pcapng blocks: type, total length, ..., little-endian). */
function blockTypes(file: Buffer): number[] {
  const types: number[] = []
  for (let at = 0; at + 8 <= file.length;) {
    types.push(file.readUInt32LE(at))
    const length = file.readUInt32LE(at + 4)
    expect(file.readUInt32LE(at + length - 4)).toBe(length)
    at += length
  }
  return types
}

describe('retransmit drill run --pcap --keylog', () => {
  it('writes the trace as pcapng with a Decryption Secrets Block holding the key log', async () => {
    const dir = tempDir()
    const pcap = join(dir, 'run.pcapng')
    const keylog = join(dir, 'keys.log')
    const result = await run(
      ['drill', 'run', 'tls-echo', '--solution', '--pcap', pcap, '--keylog', keylog, '--data-dir', tempDir()],
      env
    )
    expect(result.code).toBe(0)
    // The 4 MiB echo test runs past the 8 MB capture budget: later payloads are kept only in part, and counted.
    expect(result.out).toMatch(
      /Trace: \d+ packets to .*run\.pcapng \(\d+ bytes, [1-9]\d* payloads only in part; TLS keys inside\)\./
    )
    const file = readFileSync(pcap)
    const types = blockTypes(file)
    // Section Header, Interface Description, Decryption Secrets, then Enhanced Packets.
    expect(types.slice(0, 3)).toEqual([0x0a0d0d0a, 1, 0x0a])
    expect(types.slice(3).every((t) => t === 6)).toBe(true)
    const dsbAt = file.indexOf(Buffer.from([0x0a, 0, 0, 0]), 8)
    expect(file.readUInt32LE(dsbAt + 8)).toBe(0x544c534b) // Secrets Type: TLS key log
    const secrets = file.subarray(dsbAt + 16, dsbAt + 16 + file.readUInt32LE(dsbAt + 12)).toString()
    const lines = readFileSync(keylog, 'utf8')
    expect(secrets).toBe(lines)
    expect(lines).toMatch(/^CLIENT_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]{64} [0-9a-f]+$/m)
    expect(lines).toMatch(/^SERVER_TRAFFIC_SECRET_0 [0-9a-f]{64} [0-9a-f]+$/m)
  })

  it('has nothing to export before a run of that drill, and says so; a Run then exports through the page door', async () => {
    const collection = openCollection({
      dataDir: tempDir(),
      contentDir: SHIPPED,
      door: 'http',
      clock: fixedClock(),
      tzOffset: () => 0,
      autoBackup: false
    })
    try {
      const dispatch = createDispatch(collection.handlers, () => {})
      expect(await dispatch('exportDrillTrace', { id: 'tls-echo' })).toEqual({
        ok: false,
        code: 'validation',
        message: 'drill tls-echo has not run since the app started: Run or Submit it, then export its trace'
      })
      expect(await dispatch('exportDrillTrace', { id: 'no-such-drill' })).toMatchObject({
        ok: false,
        code: 'not_found'
      })
      const solution = readFileSync(join(SHIPPED, 'drills', 'tls-echo', 'solution.ts'), 'utf8')
      expect(await dispatch('runDrill', { id: 'tls-echo', code: solution })).toMatchObject({
        ok: true,
        value: { status: 'pass' }
      })
      const exported = await dispatch('exportDrillTrace', { id: 'tls-echo' })
      if (!exported.ok) throw new Error(exported.message)
      const value = exported.value as { fileName: string; base64: string; packets: number; keyLog: string }
      expect(value.fileName).toMatch(/^tls-echo-[\dT-]+Z\.pcapng$/)
      expect(blockTypes(Buffer.from(value.base64, 'base64')).slice(0, 3)).toEqual([0x0a0d0d0a, 1, 0x0a])
      expect(value.keyLog).toContain('CLIENT_TRAFFIC_SECRET_0 ')
    } finally {
      collection.close()
    }
  })
})
