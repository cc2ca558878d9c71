// Seeded randomness for the relay, so a relay with the same seed drops, delays and splits the same
// way every run (faults that repeat are faults you can debug).
import { seededRandom, type Random } from '../../../shared/seeded-random'

export { seededRandom, type Random }

/**
 * A separate stream per connection and direction, so what one connection draws does not shift
 * another's faults when their packets interleave differently from run to run.
 */
export function streamRandom(seed: number, connection: number, direction: 0 | 1): Random {
  return seededRandom((seed ^ Math.imul(connection + 1, 0x9e3779b1) ^ Math.imul(direction + 1, 0x85ebca77)) >>> 0)
}
