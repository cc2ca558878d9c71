// CUBIC's K (RFC 9438 §4.2): the time, in seconds, for the window to climb back to W_max after a
// reduction, K = cbrt((W_max - cwnd_epoch) / C).
import type { Random } from '../../../shared/seeded-random'
import { TIME_UNITS, between, quantityMatches, significant } from './answers'
import type { PracticeItem } from './types'

/** RFC 9438's constants: C in segments per second cubed, beta_cubic the multiplicative decrease (§4.6). */
export const CUBIC_C = 0.4
export const BETA_CUBIC = 0.7

export function cubicK(random: Random): PracticeItem {
  const wMax = between(random, 10, 2000)
  const epoch = BETA_CUBIC * wMax
  const k = Math.cbrt((wMax - epoch) / CUBIC_C)
  return {
    kind: 'cubic-k',
    inputs: { wMax },
    question:
      `A CUBIC sender's window is **${wMax.toLocaleString('en-US')} segments** when it detects a loss (its first, so ` +
      `no fast-convergence adjustment). With RFC 9438's C = 0.4 and β_cubic = 0.7, what is K, the time until the ` +
      `window is back at W_max, in seconds? (Three significant figures are enough.)`,
    expected: `${significant(k, 4)} s`,
    worked: [
      `- W_max = ${wMax} segments; the cut leaves cwnd_epoch = 0.7 × ${wMax} = ${significant(epoch, 6)}.`,
      `- K = ∛((W_max − cwnd_epoch) / C) = ∛(${significant(wMax - epoch, 6)} / 0.4) = ∛${significant((wMax - epoch) / CUBIC_C, 6)} ≈ **${significant(k)} s** (RFC 9438 §4.2).`,
      `- K does not depend on the RTT: CUBIC's growth is a function of time since the reduction.`
    ].join('\n'),
    check: (text) => quantityMatches(text, k, TIME_UNITS, 's')
  }
}
