// Shared settings for the property suites: a fixed seed (so CI replays the same inputs) and a
// fixed, small run count per property, every case of which runs. A failure prints the seed and
// the counterexample path; rerun with RETRANSMIT_FC_SEED=<seed> to explore.
import fc from 'fast-check'

export const SEED = Number(process.env.RETRANSMIT_FC_SEED ?? 20_261_124)

/**
 * Wall time one property may take (ms). The properties need a few seconds; this is far above that
 * and below vitest's 30 s test timeout, so a machine too slow for the suite gets fast-check's
 * failure (with the seed and the count of runs done) instead of a pass over fewer cases.
 */
const INTERRUPT_MS = 25_000

/** Parameters for one property: exactly `numRuns` runs; interrupted means failed, never passed. */
export function budget(numRuns: number): fc.Parameters<unknown> {
  return { seed: SEED, numRuns, interruptAfterTimeLimit: INTERRUPT_MS, markInterruptAsFailure: true, verbose: 1 }
}

/**
 * Mutations of a valid input: truncate it, flip a byte, or insert characters that break
 * formats (quotes, newlines, fences, block markers, NULs, BOMs, invalid surrogates).
 */
export function mutatedText(valid: string): fc.Arbitrary<string> {
  const breakers = fc.constantFrom(
    '"',
    "'",
    '\n',
    '\r\n',
    '\r',
    ',',
    ':::',
    '---',
    '```',
    '{{c1::',
    '}}',
    '::',
    '\0',
    '\uFEFF',
    '\uD800',
    '\t',
    '\\',
    '#',
    '### ',
    '- [x] ',
    ' => ',
    'id: ',
    '\u2028',
    '*a',
    '&a ',
    '!!str ',
    '<<: *a',
    '? ',
    '{',
    '['
  )
  const mutation = fc.oneof(
    fc.nat().map((n) => (s: string) => s.slice(0, n % (s.length + 1))),
    fc.tuple(fc.nat(), breakers).map(([n, ins]) => (s: string) => {
      const at = n % (s.length + 1)
      return s.slice(0, at) + ins + s.slice(at)
    }),
    fc.tuple(fc.nat(), fc.string({ maxLength: 8, unit: 'binary' })).map(([n, ins]) => (s: string) => {
      const at = n % (s.length + 1)
      return s.slice(0, at) + ins + s.slice(at)
    }),
    fc.tuple(fc.nat(), fc.nat({ max: 40 })).map(([n, len]) => (s: string) => {
      const at = n % (s.length + 1)
      return s.slice(0, at) + s.slice(at + len)
    })
  )
  return fc.array(mutation, { minLength: 1, maxLength: 6 }).map((ms) => ms.reduce((s, m) => m(s), valid))
}

/** Byte-level mutations of a valid binary input: truncate, flip bits, overwrite, splice. */
export function mutatedBytes(valid: Uint8Array): fc.Arbitrary<Uint8Array> {
  const mutation = fc.oneof(
    fc.nat().map((n) => (b: Uint8Array) => b.slice(0, n % (b.length + 1))),
    fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([n, mask]) => (b: Uint8Array) => {
      const out = b.slice()
      if (out.length > 0) out[n % out.length]! ^= mask
      return out
    }),
    fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 16 })).map(([n, bytes]) => (b: Uint8Array) => {
      const out = b.slice()
      const at = out.length ? n % out.length : 0
      out.set(bytes.subarray(0, Math.max(0, out.length - at)), at)
      return out
    })
  )
  return fc.array(mutation, { minLength: 1, maxLength: 4 }).map((ms) => ms.reduce((b, m) => m(b), valid))
}
