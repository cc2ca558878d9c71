// Serialization delay (putting the bits on the wire) versus propagation delay (the signal
// travelling), for one packet on one link.
import type { Random } from '../../../shared/seeded-random'
import { TIME_UNITS, pick, quantityMatches, significant } from './answers'
import type { PracticeItem } from './types'

/** Packet sizes to draw from, bytes. */
const SIZES_BYTES = [64, 576, 1280, 1500, 9000] as const
/** Link rates to draw from, bit/s. */
const RATES_BPS = [1e6, 10e6, 100e6, 1e9, 10e9] as const
/** Link lengths to draw from, km. */
const DISTANCES_KM = [1, 10, 100, 500, 1000, 4000, 10_000] as const
/** Signal speed in fibre, m/s: about two thirds of c, an order-of-magnitude figure. */
export const FIBRE_SPEED = 2e8

function rateText(bps: number): string {
  return bps >= 1e9 ? `${bps / 1e9} Gbit/s` : `${bps / 1e6} Mbit/s`
}

export function serializationDelay(random: Random): PracticeItem {
  const sizeBytes = pick(random, SIZES_BYTES)
  const bps = pick(random, RATES_BPS)
  const seconds = (sizeBytes * 8) / bps
  return {
    kind: 'serialization-delay',
    inputs: { sizeBytes, bps },
    question:
      `How long does it take to put one **${sizeBytes.toLocaleString('en-US')}-byte** packet onto a ` +
      `**${rateText(bps)}** link, in microseconds? (Three significant figures are enough.)`,
    expected: `${significant(seconds * 1e6, 4)} μs`,
    worked: [
      `- Serialization delay = size / rate = ${(sizeBytes * 8).toLocaleString('en-US')} bits / ${bps.toLocaleString('en-US')} bit/s.`,
      `- ≈ ${significant(seconds, 6)} s ≈ **${significant(seconds * 1e6)} μs**. It shrinks with a faster link and does not depend on distance.`
    ].join('\n'),
    check: (text) => quantityMatches(text, seconds, TIME_UNITS, 'μs')
  }
}

export function linkDelay(random: Random): PracticeItem {
  const sizeBytes = pick(random, SIZES_BYTES)
  const bps = pick(random, RATES_BPS)
  const km = pick(random, DISTANCES_KM)
  const serialization = (sizeBytes * 8) / bps
  const propagation = (km * 1000) / FIBRE_SPEED
  const total = serialization + propagation
  const bigger = serialization > propagation ? 'serialization' : 'propagation'
  return {
    kind: 'link-delay',
    inputs: { sizeBytes, bps, km },
    question:
      `A **${sizeBytes.toLocaleString('en-US')}-byte** packet crosses one **${km.toLocaleString('en-US')} km** fibre link ` +
      `running at **${rateText(bps)}**. Taking the signal speed as 2 × 10^8 m/s and ignoring queueing and processing, ` +
      `how long from the first bit leaving the sender until the last bit arrives, in milliseconds? ` +
      `(Three significant figures are enough.)`,
    expected: `${significant(total * 1e3, 4)} ms`,
    worked: [
      `- Serialization: ${(sizeBytes * 8).toLocaleString('en-US')} bits / ${bps.toLocaleString('en-US')} bit/s ≈ ${significant(serialization * 1e3, 4)} ms.`,
      `- Propagation: ${(km * 1000).toLocaleString('en-US')} m / 2 × 10^8 m/s ≈ ${significant(propagation * 1e3, 4)} ms.`,
      `- The last bit leaves after the serialization delay and lands one propagation delay later: total ≈ **${significant(total * 1e3)} ms**.`,
      `- Here ${bigger} dominates: ${bigger === 'serialization' ? 'a faster link would help, a shorter one barely' : 'a faster link barely helps; only a shorter path would'}.`
    ].join('\n'),
    check: (text) => quantityMatches(text, total, TIME_UNITS, 'ms')
  }
}
