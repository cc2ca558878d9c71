// Slow start's doubling (RFC 5681 §3.1) from the RFC 6928 initial window: how many round trips
// until the congestion window first reaches a target.
import type { Random } from '../../../shared/seeded-random'
import { COUNT_UNITS, between, integerMatches } from './answers'
import type { PracticeItem } from './types'

/** Initial window, segments (RFC 6928 §2 with a 1460-byte MSS). */
const INITIAL_WINDOW = 10

/** Round trips of doubling from `initial` until the window is at least `target` segments. */
export function roundsToReach(initial: number, target: number): number {
  let rounds = 0
  for (let cwnd = initial; cwnd < target; cwnd *= 2) rounds++
  return rounds
}

export function slowStartRounds(random: Random): PracticeItem {
  const target = between(random, 15, 20_000)
  const rounds = roundsToReach(INITIAL_WINDOW, target)
  const steps: string[] = []
  for (let cwnd = INITIAL_WINDOW, r = 0; r <= rounds; cwnd *= 2, r++)
    steps.push(`${r}: ${cwnd.toLocaleString('en-US')}`)
  return {
    kind: 'slow-start-rounds',
    inputs: { initial: INITIAL_WINDOW, target },
    question:
      `A sender starts with the RFC 6928 initial window of **${INITIAL_WINDOW} segments** and stays in slow start ` +
      `(no loss, ssthresh above the target, an ACK for every segment). How many round trips pass before the ` +
      `congestion window first reaches at least **${target.toLocaleString('en-US')} segments**?`,
    expected: String(rounds),
    worked: [
      `- Each ACK adds one segment, and a round trip brings one ACK per segment sent, so cwnd doubles per RTT (RFC 5681 §3.1).`,
      `- cwnd after each round trip: ${steps.join(', ')}.`,
      `- First value ≥ ${target.toLocaleString('en-US')}: after **${rounds}** round trips (⌈log2(${target.toLocaleString('en-US')} / ${INITIAL_WINDOW})⌉ = ${rounds}).`
    ].join('\n'),
    check: (text) => integerMatches(text, rounds, COUNT_UNITS)
  }
}
