// Runs registered tests one at a time, in file order, each with its own timeout. An uncaught
// exception or unhandled rejection while a test runs fails that test.
import { SandboxRefusal } from './refusal'
import { describe, type ErrorFormatter } from './stack-map'
import type { RegisteredTest } from './harness'
import type { TestResult } from '../types'

// Captured at load, before drill code could replace the globals.
const { setTimeout, clearTimeout } = globalThis
const now = performance.now.bind(performance)

const TIMED_OUT = Symbol('timed out')

export interface TestRunner {
  /** Runs the tests one after another; `onStart` hears each index just before its test begins. */
  run(
    tests: RegisteredTest[],
    onResult: (index: number, result: TestResult) => void,
    onStart?: (index: number) => void
  ): Promise<void>
  /** For process-level 'uncaughtException' / 'unhandledRejection' handlers. */
  stray(kind: 'Uncaught exception' | 'Unhandled promise rejection', err: unknown): void
  /** Strays that happened between tests (or after the last one), already formatted. */
  strays(): string[]
}

/** Kept back from the shared budget so results reach the host before its kill, ms. */
const HOST_MARGIN_MS = 300
/** No default per-test timeout goes below this, ms. */
const MIN_TEST_TIMEOUT_MS = 200

/**
 * `deadline` is when the host will kill the run (performance.now() ms). A test without its own
 * timeoutMs gets the default, or its share of the time left if that is smaller, so a starter
 * that hangs in every test still fails test by test (with messages) instead of timing out.
 */
export function createTestRunner(formatter: ErrorFormatter, defaultTimeoutMs: number, deadline: number): TestRunner {
  let failCurrent: ((err: unknown) => void) | null = null
  const between: string[] = []
  return {
    async run(tests, onResult, onStart) {
      for (const [index, t] of tests.entries()) {
        onStart?.(index)
        const started = now()
        const share = (deadline - HOST_MARGIN_MS - now()) / (tests.length - index)
        const timeoutMs = t.timeoutMs ?? Math.round(Math.max(MIN_TEST_TIMEOUT_MS, Math.min(defaultTimeoutMs, share)))
        let timer: NodeJS.Timeout | undefined
        let status: TestResult['status'] = 'pass'
        let message = ''
        try {
          await new Promise<void>((resolve, reject) => {
            failCurrent = reject
            timer = setTimeout(() => reject(TIMED_OUT), timeoutMs)
            Promise.resolve()
              .then(() => t.fn())
              .then(() => resolve(), reject)
          })
        } catch (err) {
          if (err === TIMED_OUT) {
            status = 'timeout'
            message = `test did not finish within ${timeoutMs} ms (waiting for a reply that never came?)`
          } else {
            status = err instanceof Error && err.name === 'SandboxRefusal' ? 'error' : 'fail'
            message = formatter.format(err)
          }
        } finally {
          clearTimeout(timer)
          failCurrent = null
        }
        onResult(index, { name: t.name, status, message, durationMs: Math.round((now() - started) * 1000) / 1000 })
      }
    },
    stray(kind, err) {
      const stray = new Error(`${kind}: ${describe(err)}`)
      stray.name = 'StrayError'
      if (err instanceof Error && err.stack) stray.stack = err.stack
      if (err instanceof SandboxRefusal) stray.name = 'SandboxRefusal'
      if (failCurrent) failCurrent(stray)
      else between.push(formatter.format(stray))
    },
    strays: () => between
  }
}
