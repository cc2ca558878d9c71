// The automatic sync schedule, driven by a hand-turned clock: when rounds start, how changes
// are debounced, that only one round runs at a time, and how failures back off.
import { describe, expect, it } from 'vitest'
import { createAutoSync, type AutoSyncTimers } from '../../../src/main/sync/auto-sync'

const S = 1000
const MIN = 60 * S

/** A clock and timers moved by advance(); rounds end when the test says. */
function harness() {
  let now = 0
  let nextId = 1
  const pending = new Map<number, { at: number; run: () => void }>()
  const timers: AutoSyncTimers = {
    set: (run, ms) => {
      const id = nextId++
      pending.set(id, { at: now + ms, run })
      return id
    },
    clear: (id) => void pending.delete(id as number)
  }
  /** When each round started (ms), and how to end the one under way. */
  const rounds: number[] = []
  let finish: ((ok: boolean) => void) | null = null
  const auto = createAutoSync({
    now: () => now,
    timers,
    // The app's own timing (AUTO_SYNC_TIMING), whose numbers the README gives.
    round: () => {
      rounds.push(now)
      return new Promise<boolean>((resolve) => (finish = resolve))
    }
  })
  const flush = () => new Promise<void>((resolve) => setImmediate(resolve))
  return {
    auto,
    rounds,
    pending: () => pending.size,
    now: () => now,
    /** Moves the clock, running each timer that falls due on the way. */
    advance(ms: number) {
      const until = now + ms
      for (;;) {
        const due = [...pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0]
        if (!due) break
        pending.delete(due[0])
        now = due[1].at
        due[1].run()
      }
      now = until
    },
    async end(ok: boolean) {
      const done = finish!
      finish = null
      done(ok)
      await flush()
    }
  }
}

describe('automatic sync schedule', () => {
  it('runs nothing before start and nothing after stop', async () => {
    const h = harness()
    h.auto.changed()
    h.advance(60 * MIN)
    expect(h.rounds).toEqual([])
    h.auto.start()
    h.auto.stop()
    h.advance(60 * MIN)
    expect(h.rounds).toEqual([])
    expect(h.pending()).toBe(0)
  })

  it('runs a round shortly after start, then every period', async () => {
    const h = harness()
    h.auto.start()
    h.advance(3 * S - 1)
    expect(h.rounds).toEqual([])
    h.advance(1)
    expect(h.rounds).toEqual([3 * S])
    await h.end(true)
    expect(h.auto.nextAt).toBe(3 * S + 10 * MIN)
    h.advance(10 * MIN)
    expect(h.rounds).toEqual([3 * S, 3 * S + 10 * MIN])
  })

  it('waits for quiet after changes, and a change does not put off the start round', async () => {
    const h = harness()
    h.auto.start()
    h.advance(1 * S)
    h.auto.changed()
    h.advance(2 * S)
    expect(h.rounds).toEqual([3 * S])
    await h.end(true)
    // Three answers 10 s apart: the round comes 30 s after the last.
    for (let i = 0; i < 3; i++) {
      h.advance(10 * S)
      h.auto.changed()
    }
    const last = h.now()
    h.advance(30 * S - 1)
    expect(h.rounds).toHaveLength(1)
    h.advance(1)
    expect(h.rounds).toEqual([3 * S, last + 30 * S])
  })

  it('sends a steady stream of changes at least every maxWait', async () => {
    const h = harness()
    h.auto.start()
    h.advance(3 * S)
    await h.end(true)
    for (let i = 0; i < 40; i++) {
      h.advance(10 * S)
      h.auto.changed()
    }
    // The first change came 10 s after the first round; no 30 s of quiet ever followed.
    expect(h.rounds[1]).toBe(3 * S + 10 * S + 5 * MIN)
  })

  it('runs one round at a time; a change during a round asks for one more after it', async () => {
    const h = harness()
    h.auto.start()
    h.advance(3 * S)
    expect(h.rounds).toHaveLength(1)
    h.auto.changed()
    h.advance(60 * S)
    expect(h.rounds).toHaveLength(1)
    h.auto.changed()
    const lastChange = h.now()
    await h.end(true)
    expect(h.auto.nextAt).toBe(lastChange + 30 * S)
    h.advance(30 * S)
    expect(h.rounds).toHaveLength(2)
  })

  it('backs off after failures, doubling up to the cap, and a change does not hammer the server', async () => {
    const h = harness()
    h.auto.start()
    h.advance(3 * S)
    const waits: number[] = []
    for (let i = 0; i < 9; i++) {
      const ended = h.now()
      await h.end(false)
      waits.push(h.auto.nextAt! - ended)
      // A change during the backoff does not bring the round forward.
      h.auto.changed()
      expect(h.auto.nextAt! - ended).toBe(waits[i])
      h.advance(waits[i]!)
    }
    expect(waits.map((ms) => ms / S)).toEqual([30, 60, 120, 240, 480, 960, 1800, 1800, 1800])
    expect(h.auto.failures).toBe(9)
    await h.end(true)
    expect(h.auto.failures).toBe(0)
    h.auto.changed()
    expect(h.auto.nextAt).toBe(h.now() + 30 * S)
  })

  it('ends the wait after failures when a round by hand succeeds', async () => {
    const h = harness()
    h.auto.start()
    h.advance(3 * S)
    for (let i = 0; i < 7; i++) {
      await h.end(false)
      h.advance(h.auto.nextAt! - h.now())
    }
    await h.end(false)
    expect(h.auto.nextAt! - h.now()).toBe(30 * MIN)
    h.auto.changed()
    h.auto.succeeded()
    expect(h.auto.failures).toBe(0)
    expect(h.auto.nextAt).toBe(h.now() + 10 * MIN)
    h.auto.changed()
    expect(h.auto.nextAt).toBe(h.now() + 30 * S)
  })

  it('counts a round that throws as a failure', async () => {
    let calls = 0
    let failuresSeen = -1
    const auto = createAutoSync({
      now: () => 0,
      timers: { set: (run) => (queueMicrotask(run), 1), clear: () => {} },
      timing: { startDelayMs: 0 },
      round: () => {
        calls++
        if (calls === 1) return Promise.reject(new Error('offline'))
        failuresSeen = auto.failures
        auto.stop()
        return Promise.resolve(true)
      }
    })
    auto.start()
    await new Promise<void>((resolve) => setImmediate(resolve))
    await new Promise<void>((resolve) => setImmediate(resolve))
    expect(calls).toBe(2)
    expect(failuresSeen).toBe(1)
  })

  it('schedules nothing after stop even when a round was under way', async () => {
    const h = harness()
    h.auto.start()
    h.advance(3 * S)
    h.auto.stop()
    await h.end(true)
    expect(h.pending()).toBe(0)
    expect(h.auto.nextAt).toBeNull()
  })
})
