// When this device syncs by itself: shortly after start, a while after the last local change,
// and every few minutes to pick up other devices' work. One round at a time; a change during a
// round asks for one more after it. A failed round waits twice as long as the one before it (up
// to a cap), so an offline server is not hammered. No SQL and no I/O: the round, the clock and
// the timers are given, so tests drive time by hand.

export interface AutoSyncTiming {
  /** From start() to the first round (ms): the window paints and the first questions answer first. */
  startDelayMs: number
  /** Quiet time after the last local change before a round (ms). */
  debounceMs: number
  /** A change waits at most this long for its round, however busy the learner is (ms). */
  maxWaitMs: number
  /** Between rounds when nothing changed here (ms): other devices' work arrives. */
  periodMs: number
  /** The wait after the first failure (ms); it doubles with each failure in a row. */
  retryMs: number
  /** The longest wait after failures (ms). */
  maxRetryMs: number
}

export const AUTO_SYNC_TIMING: AutoSyncTiming = {
  startDelayMs: 3_000,
  debounceMs: 30_000,
  maxWaitMs: 5 * 60_000,
  periodMs: 10 * 60_000,
  retryMs: 30_000,
  maxRetryMs: 30 * 60_000
}

export interface AutoSyncTimers {
  set(run: () => void, ms: number): unknown
  clear(handle: unknown): void
}

export interface AutoSyncDeps {
  /** Runs one round; resolves true when it succeeded. A rejection counts as a failure. */
  round(): Promise<boolean>
  /** Milliseconds since the epoch (real time, not a collection's test clock). */
  now(): number
  timers: AutoSyncTimers
  timing?: Partial<AutoSyncTiming>
}

export interface AutoSync {
  /** Begins: the first round after startDelayMs. Does nothing if already started. */
  start(): void
  /** A local change to send: a round after debounceMs of quiet (never sooner than a failure's wait). */
  changed(): void
  /**
   * A round run by hand (Sync now) succeeded: the failures' wait is over, what changed before it
   * went with it, and the next automatic round comes a period later.
   */
  succeeded(): void
  /** Cancels every timer; a round under way finishes but schedules nothing. */
  stop(): void
  readonly started: boolean
  /** When the next round is due (ms since the epoch), null when none is scheduled. */
  readonly nextAt: number | null
  /** Failed rounds in a row. */
  readonly failures: number
}

export const nodeTimers: AutoSyncTimers = {
  // Unref'd: a pending round never keeps a process alive by itself.
  set: (run, ms) => setTimeout(run, ms).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout)
}

export function createAutoSync(deps: AutoSyncDeps): AutoSync {
  const timing = { ...AUTO_SYNC_TIMING, ...deps.timing }
  let started = false
  let running = false
  let timer: unknown = null
  let nextAt: number | null = null
  let failures = 0
  /** Earliest next round after failures (ms since the epoch). */
  let retryAt = 0
  /** The first and the last local change not yet sent, null when none waits. */
  let firstChange: number | null = null
  let lastChange = 0
  /** When the start round is due while it is still to come (a change does not put it off). */
  let startAt: number | null = null

  const schedule = (at: number) => {
    if (timer !== null) deps.timers.clear(timer)
    nextAt = at
    timer = deps.timers.set(fire, Math.max(0, at - deps.now()))
  }

  /** When changes waiting to go should go: after the quiet time, capped, never before a retry. */
  const changeDue = (first: number) =>
    Math.max(Math.min(lastChange + timing.debounceMs, first + timing.maxWaitMs), retryAt)

  function fire(): void {
    timer = null
    nextAt = null
    startAt = null
    if (!started || running) return
    running = true
    firstChange = null
    deps
      .round()
      .catch(() => false)
      .then((ok) => {
        running = false
        if (!started) return
        const now = deps.now()
        if (ok) {
          failures = 0
          retryAt = 0
        } else {
          failures++
          retryAt = now + Math.min(timing.maxRetryMs, timing.retryMs * 2 ** (failures - 1))
        }
        if (firstChange !== null) schedule(changeDue(firstChange))
        else schedule(ok ? now + timing.periodMs : retryAt)
      })
  }

  return {
    start() {
      if (started) return
      started = true
      startAt = deps.now() + timing.startDelayMs
      schedule(startAt)
    },
    changed() {
      if (!started) return
      lastChange = deps.now()
      firstChange ??= lastChange
      // During a round the change waits for it to end (fire() schedules what follows).
      if (!running) schedule(Math.min(changeDue(firstChange), startAt ?? Infinity))
    },
    succeeded() {
      failures = 0
      retryAt = 0
      if (!started || running) return
      firstChange = null
      schedule(deps.now() + timing.periodMs)
    },
    stop() {
      started = false
      if (timer !== null) deps.timers.clear(timer)
      timer = null
      nextAt = null
      startAt = null
      firstChange = null
      failures = 0
      retryAt = 0
    },
    get started() {
      return started
    },
    get nextAt() {
      return nextAt
    },
    get failures() {
      return failures
    }
  }
}
