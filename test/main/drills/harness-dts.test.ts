// content/drills/retransmit-test.d.ts is generated from the harness's declared surface
// (src/main/drills/sandbox/harness-api.ts); the committed file must be exactly what the
// generator writes now, so authors' typings cannot drift from the sandbox's module.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { generateHarnessDts, HARNESS_DTS } from '../../../scripts/harness-dts'

describe('retransmit-test.d.ts', () => {
  it('is the generated file (run `node scripts/harness-dts.ts` after changing the harness types)', async () => {
    expect(readFileSync(HARNESS_DTS, 'utf8')).toBe(await generateHarnessDts())
  }, 60_000)

  it('declares every function of the harness and the types they use, with their docs', async () => {
    const text = await generateHarnessDts()
    for (const fn of [
      'test',
      'withTimeout',
      'readBytes',
      'listen',
      'createRelay',
      'createTestCertificates',
      'note',
      'trace'
    ])
      expect(text).toMatch(new RegExp(`\\n  export function ${fn}\\b`))
    // Followed through re-exports (Relay) and into what they use (TraceKind from TraceEvent).
    for (const type of ['interface Relay ', 'interface RelayFaults', 'type TraceKind', 'interface TestOptions'])
      expect(text).toContain(`export ${type}`)
    expect(text).toContain('/** PRNG seed; the same seed gives the same faults for the same traffic. Default 1. */')
  }, 60_000)
})
