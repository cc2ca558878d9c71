// mulberry32: a tiny seeded PRNG, so a relay with the same seed drops, delays and splits the same
// way every run (faults that repeat are faults you can debug).
export type Random = () => number

/** Returns floats in [0, 1). */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * A separate stream per connection and direction, so what one connection draws does not shift
 * another's faults when their packets interleave differently from run to run.
 */
export function streamRandom(seed: number, connection: number, direction: 0 | 1): Random {
  return seededRandom((seed ^ Math.imul(connection + 1, 0x9e3779b1) ^ Math.imul(direction + 1, 0x85ebca77)) >>> 0)
}
