// Rate, window, delay and CUBIC generators: each answer recomputed here by a different route
// (a per-ACK simulation, the cubic curve itself, plain formulas), plus the typing rules.
import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../../src/shared/seeded-random'
import {
  generatePractice,
  PRACTICE_KINDS,
  type PracticeItem,
  type PracticeKind
} from '../../../../src/main/study/practice'
import { BYTE_UNITS, TIME_UNITS, readQuantity } from '../../../../src/main/study/practice/answers'

const SEEDS = Array.from({ length: 300 }, (_, i) => i * 104_729 + 3)

function make(kind: PracticeKind, seed: number): PracticeItem {
  return generatePractice(kind, seededRandom(seed))
}

/** `value` written with more digits than needed, as a careful learner would type it. */
const typed = (value: number) => value.toPrecision(6)

describe('typed quantities', () => {
  it('reads numbers with thousands separators and units, and refuses what is ambiguous', () => {
    expect(readQuantity('1,500,000', BYTE_UNITS, 'bytes')).toBe(1_500_000)
    expect(readQuantity('1 500 000 bytes', BYTE_UNITS, 'bytes')).toBe(1_500_000)
    expect(readQuantity('1.5 MB', BYTE_UNITS, 'bytes')).toBe(1_500_000)
    expect(readQuantity('64 KiB', BYTE_UNITS, 'bytes')).toBe(65_536)
    expect(readQuantity('12 µs', TIME_UNITS, 'ms')).toBeCloseTo(12e-6, 12) // the micro sign, U+00B5
    expect(readQuantity('12 μs', TIME_UNITS, 'ms')).toBeCloseTo(12e-6, 12) // Greek mu, U+03BC
    expect(readQuantity('4.22s', TIME_UNITS, 'ms')).toBeCloseTo(4.22, 12)
    expect(readQuantity('1,5', BYTE_UNITS, 'bytes')).toBeNull()
    expect(readQuantity('12 parsecs', TIME_UNITS, 's')).toBeNull()
    expect(readQuantity('about 12', TIME_UNITS, 's')).toBeNull()
    expect(readQuantity('', TIME_UNITS, 's')).toBeNull()
  })
})

describe('numeric practice', () => {
  it.each(PRACTICE_KINDS.filter((k) => !k.startsWith('subnet')))(
    '%s: the same seed gives the same item; its expected text passes its own check',
    (kind) => {
      const a = make(kind, 7)
      expect({ ...make(kind, 7), check: null }).toEqual({ ...a, check: null })
      for (const seed of SEEDS) {
        const item = make(kind, seed)
        expect(item.check(item.expected)).toBe(true)
        expect(item.worked.length).toBeGreaterThan(40)
      }
    }
  )

  it('bdp: rate × RTT / 8, within 1 %, in any byte unit', () => {
    for (const seed of SEEDS) {
      const item = make('bdp', seed)
      const { mbps, rttMs } = item.inputs as { mbps: number; rttMs: number }
      const bytes = mbps * rttMs * 125 // 1e6 bit/s × 1e-3 s / 8 bits per byte
      expect(item.check(typed(bytes))).toBe(true)
      expect(item.check(`${typed(bytes / 1e6)} MB`)).toBe(true)
      expect(item.check(bytes.toPrecision(3))).toBe(true) // three significant figures, as the question promises
      expect(item.check(typed(bytes * 1.02))).toBe(false)
      expect(item.check(typed(bytes * 8))).toBe(false) // bits, not bytes
    }
  })

  it('window-throughput: window / RTT in Mbit/s', () => {
    for (const seed of SEEDS) {
      const item = make('window-throughput', seed)
      const { windowBytes, rttMs } = item.inputs as { windowBytes: number; rttMs: number }
      const mbps = (windowBytes * 8) / rttMs / 1000
      expect(item.check(typed(mbps))).toBe(true)
      expect(item.check(`${typed(mbps)} Mbps`)).toBe(true)
      expect(item.check(`${typed(mbps * 1000)} kbit/s`)).toBe(true)
      expect(item.check(typed(mbps / 8))).toBe(false) // MB/s, not Mbit/s
    }
  })

  it('window-scale: the smallest shift whose scaled 65,535 covers the BDP', () => {
    for (const seed of SEEDS) {
      const item = make('window-scale', seed)
      const { mbps, rttMs } = item.inputs as { mbps: number; rttMs: number }
      const bytes = mbps * rttMs * 125
      const shift = Math.max(0, Math.ceil(Math.log2(bytes / 65_535)))
      expect(shift).toBeLessThanOrEqual(14)
      expect(item.expected).toBe(String(shift))
      expect(item.check(String(shift + 1))).toBe(false)
    }
  })

  it('slow-start-rounds: matches a per-ACK simulation of RFC 5681 slow start', () => {
    for (const seed of SEEDS) {
      const item = make('slow-start-rounds', seed)
      const { initial, target } = item.inputs as { initial: number; target: number }
      let cwnd = initial
      let rounds = 0
      while (cwnd < target) {
        const acks = cwnd // one ACK per segment of this round's flight
        for (let i = 0; i < acks; i++) cwnd += 1
        rounds++
      }
      expect(item.expected).toBe(String(rounds))
      expect(item.check(`${rounds} RTTs`)).toBe(true)
      expect(item.check(String(rounds - 1))).toBe(false)
    }
  })

  it('serialization-delay and link-delay: size / rate, plus distance / 2e8 m/s', () => {
    for (const seed of SEEDS) {
      const ser = make('serialization-delay', seed)
      const s = ser.inputs as { sizeBytes: number; bps: number }
      const micro = (s.sizeBytes * 8 * 1e6) / s.bps
      expect(ser.check(typed(micro))).toBe(true)
      expect(ser.check(`${typed(micro / 1000)} ms`)).toBe(true)
      expect(ser.check(`${typed(micro)} ms`)).toBe(false)

      const link = make('link-delay', seed)
      const l = link.inputs as { sizeBytes: number; bps: number; km: number }
      const ms = ((l.sizeBytes * 8) / l.bps + (l.km * 1000) / 2e8) * 1000
      expect(link.check(typed(ms))).toBe(true)
      expect(link.check(ms.toPrecision(3))).toBe(true)
      expect(link.check(typed(((l.km * 1000) / 2e8) * 1000 * 0.9))).toBe(false)
      expect(link.worked).toMatch(/(serialization|propagation) dominates/)
    }
  })

  it('cubic-k: the expected K puts the cubic curve at cwnd_epoch at t = 0 and at W_max at t = K', () => {
    for (const seed of SEEDS) {
      const item = make('cubic-k', seed)
      const { wMax } = item.inputs as { wMax: number }
      const k = readQuantity(item.expected, TIME_UNITS, 's')!
      const curve = (t: number) => 0.4 * (t - k) ** 3 + wMax // RFC 9438 §4.2, C = 0.4
      expect(Math.abs(curve(0) - 0.7 * wMax) / wMax).toBeLessThan(0.01)
      expect(curve(k)).toBe(wMax)
      expect(item.check(typed(k * 1.05))).toBe(false)
      expect(item.check(`${typed(k * 1000)} ms`)).toBe(true)
      expect(item.check(k.toPrecision(3))).toBe(true)
    }
  })
})
