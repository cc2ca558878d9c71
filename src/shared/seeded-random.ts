// mulberry32: a tiny seeded generator of floats in [0, 1). Whatever must repeat exactly for the
// same seed uses it: the relay's faults, quiz shuffles, the crash test's kill times.
export type Random = () => number

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
