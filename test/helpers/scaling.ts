// "Linear, not quadratic" without a wall-clock threshold: the same work on an input `factor`
// times larger, measured in the same test, compared as a ratio. Only the ratio is asserted,
// never milliseconds.
//
// The measure is the calling thread's CPU time, not wall time: on a machine shared with other
// suites a 10 ms run is preempted far more often than a 1 ms one, which inflated wall-clock ratios
// of linear work up to 4x here; CPU time does not count the time spent waiting for a core.

/**
 * How much larger the second input is. 8 rather than 2: caches and garbage collection make even
 * linear work cost somewhat more than its size on a larger input (up to ~13x for 8x measured
 * here), and a wide gap between linear (8) and quadratic (64) leaves room on both sides.
 */
export const FACTOR = 8

/** CPU time each size is run for, at least (ms). The kernel counts CPU time in ticks of a few ms. */
const MIN_CPU_MS = 100

/**
 * Cost of `work(make(factor * n))` over cost of `work(make(n))`, each the mean CPU time per call
 * over at least MIN_CPU_MS. Linear work gives about `factor`, quadratic `factor`², cubic `factor`³.
 */
export async function growth<T>(
  make: (n: number) => T,
  work: (input: T) => unknown,
  n: number,
  factor = FACTOR
): Promise<number> {
  const small = make(n)
  const large = make(n * factor)
  // One uncounted run of each first, so JIT compilation is not counted against either size.
  await work(small)
  await work(large)
  return (await cost(work, large)) / (await cost(work, small))
}

/**
 * The ratio below which growth counts as linear (or n log n) for `factor`: `factor`²/2, four
 * times what linear work gives at 8 and half of what quadratic work gives.
 */
export const linearLimit = (factor = FACTOR): number => (factor * factor) / 2

async function cost<T>(work: (input: T) => unknown, input: T): Promise<number> {
  const started = cpuMs()
  let runs = 0
  let spent: number
  do {
    await work(input)
    runs++
    spent = cpuMs() - started
  } while (spent < MIN_CPU_MS)
  return spent / runs
}

function cpuMs(): number {
  const { user, system } = process.threadCpuUsage()
  return (user + system) / 1000
}
