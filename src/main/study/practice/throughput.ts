// The bandwidth-delay product and what it says about window sizes: how many bytes fill a path,
// how fast a fixed window can go, and the window scale a path needs (RFC 7323 §2).
import type { Random } from '../../../shared/seeded-random'
import { BYTE_UNITS, RATE_UNITS, integerMatches, pick, quantityMatches, significant } from './answers'
import type { PracticeItem } from './types'

/** Link rates to draw from, Mbit/s. */
const RATES_MBPS = [10, 20, 50, 100, 200, 500, 1000, 2500, 10000] as const
/** Round-trip times to draw from, ms. */
const RTTS_MS = [1, 2, 5, 10, 20, 25, 40, 50, 80, 100, 150, 200, 300] as const
/** Receive windows to draw from, bytes: the unscaled maximum, then common buffer sizes. */
const WINDOWS_BYTES = [65_535, 131_072, 262_144, 1_048_576, 4_194_304, 16_777_216] as const
/** The largest TCP window field and the largest window scale shift (RFC 7323 §2.2, §2.3). */
const MAX_UNSCALED = 65_535
const MAX_SHIFT = 14

function rateText(mbps: number): string {
  return mbps >= 1000 ? `${mbps / 1000} Gbit/s` : `${mbps} Mbit/s`
}

/** Bytes in flight needed to keep a `mbps` path with round trip `rttMs` busy. */
export function bdpBytes(mbps: number, rttMs: number): number {
  return (mbps * 1e6 * (rttMs / 1000)) / 8
}

export function bdp(random: Random): PracticeItem {
  const mbps = pick(random, RATES_MBPS)
  const rttMs = pick(random, RTTS_MS)
  const bytes = bdpBytes(mbps, rttMs)
  return {
    kind: 'bdp',
    inputs: { mbps, rttMs },
    question:
      `A path runs at **${rateText(mbps)}** with a round-trip time of **${rttMs} ms**. What is its bandwidth-delay ` +
      `product, in bytes? (Three significant figures are enough; you may type a unit such as KB or MB.)`,
    expected: `${bytes.toLocaleString('en-US')} bytes`,
    worked: [
      `- BDP = rate × RTT = ${(mbps * 1e6).toLocaleString('en-US')} bit/s × ${rttMs / 1000} s = ${(bytes * 8).toLocaleString('en-US')} bits.`,
      `- Divide by 8 for bytes: **${bytes.toLocaleString('en-US')} bytes** (${significant(bytes / 1e6)} MB).`,
      `- That much data must be unacknowledged at once to keep the path full.`
    ].join('\n'),
    check: (text) => quantityMatches(text, bytes, BYTE_UNITS, 'bytes')
  }
}

export function windowThroughput(random: Random): PracticeItem {
  const windowBytes = pick(random, WINDOWS_BYTES)
  const rttMs = pick(random, RTTS_MS)
  const bitsPerSecond = (windowBytes * 8) / (rttMs / 1000)
  return {
    kind: 'window-throughput',
    inputs: { windowBytes, rttMs },
    question:
      `A TCP receiver advertises a window of **${windowBytes.toLocaleString('en-US')} bytes** and never more; the RTT is ` +
      `**${rttMs} ms**, and the link itself is much faster. What is the most this connection can carry, in Mbit/s? ` +
      `(Three significant figures are enough.)`,
    expected: `${significant(bitsPerSecond / 1e6, 4)} Mbit/s`,
    worked: [
      `- At most one window can be in flight per round trip, so throughput ≤ window / RTT.`,
      `- ${windowBytes.toLocaleString('en-US')} bytes × 8 = ${(windowBytes * 8).toLocaleString('en-US')} bits per ${rttMs / 1000} s.`,
      `- ≈ ${significant(bitsPerSecond, 6)} bit/s ≈ **${significant(bitsPerSecond / 1e6)} Mbit/s**, whatever the link rate.`
    ].join('\n'),
    check: (text) => quantityMatches(text, bitsPerSecond, RATE_UNITS, 'mbit/s')
  }
}

/** The smallest shift s with 65,535 × 2^s ≥ bytes, or null if even 14 is not enough. */
export function scaleShift(bytes: number): number | null {
  for (let shift = 0; shift <= MAX_SHIFT; shift++) if (MAX_UNSCALED * 2 ** shift >= bytes) return shift
  return null
}

export function windowScale(random: Random): PracticeItem {
  let mbps: number
  let rttMs: number
  let shift: number | null
  // Redraw the (rare) pair whose BDP no window scale reaches.
  do {
    mbps = pick(random, RATES_MBPS)
    rttMs = pick(random, RTTS_MS)
    shift = scaleShift(bdpBytes(mbps, rttMs))
  } while (shift === null)
  const bytes = bdpBytes(mbps, rttMs)
  return {
    kind: 'window-scale',
    inputs: { mbps, rttMs },
    question:
      `To fill a **${rateText(mbps)}** path with a **${rttMs} ms** RTT, what is the smallest TCP window scale shift ` +
      `count (RFC 7323) that lets the 16-bit window field advertise at least one bandwidth-delay product?`,
    expected: String(shift),
    worked: [
      `- BDP = ${(mbps * 1e6).toLocaleString('en-US')} bit/s × ${rttMs / 1000} s / 8 = ${bytes.toLocaleString('en-US')} bytes.`,
      `- The window field holds at most 65,535; a shift of s multiplies it by 2^s (at most 14).`,
      shift === 0
        ? `- 65,535 ≥ ${bytes.toLocaleString('en-US')} already: **0**, no scaling needed.`
        : `- 65,535 × 2^${shift - 1} = ${(MAX_UNSCALED * 2 ** (shift - 1)).toLocaleString('en-US')} is too small; ` +
          `65,535 × 2^${shift} = ${(MAX_UNSCALED * 2 ** shift).toLocaleString('en-US')} is enough: **${shift}**.`
    ].join('\n'),
    check: (text) => integerMatches(text, shift)
  }
}
