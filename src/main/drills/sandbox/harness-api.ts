// The public surface of `retransmit:test`, the module drill tests (and solutions) import.
// content/drills/retransmit-test.d.ts is generated from this file (`node scripts/harness-dts.ts`,
// checked by test/main/drills/harness-dts.test.ts), and harness.ts's module satisfies it, so
// the typings authors and the type checker see cannot drift from what the sandbox provides.
import type net from 'node:net'
import type { Relay, RelayOptions } from '../relay/types'
import type { TraceEvent } from '../types'
import type { TestCertificateOptions, TestCertificates } from './certificates'

export type { Relay, RelayFaults, RelayOptions, RelayStats } from '../relay/types'
export type { TraceEvent } from '../types'
export type { TestCertificateOptions, TestCertificates } from './certificates'

export interface TestOptions {
  /** Per-test limit in milliseconds (default 2000, or this test's share of the run's time left). */
  timeoutMs?: number
  /**
   * A stretch test ("what real servers also do"): it runs like any test, is shown apart, and a
   * Submit passes without it.
   */
  stretch?: boolean
}

export interface HarnessApi {
  /** Register a test; tests run one at a time, in file order. A throw or rejection fails it. */
  test(name: string, fn: () => unknown, options?: TestOptions): void
  /** Reject with `message` if `promise` has not settled within `ms` milliseconds. */
  withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T>
  /** Read exactly n bytes (fewer if the socket ends or timeoutMs passes; default 1000 ms). */
  readBytes(socket: net.Socket, n: number, options?: { timeoutMs?: number }): Promise<Buffer>
  /** Listen on 127.0.0.1 with an ephemeral port; resolves the port. */
  listen(server: net.Server): Promise<number>
  /** A fault-injecting relay on 127.0.0.1 in front of `target`. */
  createRelay(options: RelayOptions): Promise<Relay>
  /** A fresh CA and a server certificate signed by it (PEM), ECDSA P-256. */
  createTestCertificates(options?: TestCertificateOptions): Promise<TestCertificates>
  /** Add a line to the run's trace. */
  note(summary: string): void
  /** The trace recorded so far in this run (copies). */
  trace(): TraceEvent[]
}
