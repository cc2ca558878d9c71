// Messages between the host (runner.ts) and the sandbox child (sandbox/child-main.ts), over the
// child's IPC channel. The host treats everything from the child as untrusted input.
import type { TestResult } from './types'
import type { WireTraceEvent } from './sandbox/trace-recorder'
import type { TestCertificateOptions, TestCertificates } from './sandbox/certificates'

export interface RunJob {
  type: 'run'
  /**
   * A random key for this run: the child puts it on every message it sends for the run, and the
   * host drops any message without it. Drill code never sees the job, so bytes it might manage to
   * write into the channel by other means cannot count.
   */
  key: string
  /** CommonJS bundle of the drill's test files and the learner's code. */
  bundle: string
  /** esbuild source map of the bundle (JSON). */
  sourceMap: string
  memoryLimitBytes: number
  outputLimitBytes: number
  defaultTestTimeoutMs: number
  /** The host kills the run after this long; tests without their own timeoutMs share what is left. */
  timeLimitMs: number
}

/**
 * Test certificates are made by the host: the library that makes them (@peculiar/x509) needs a
 * Reflect polyfill that changes a JavaScript intrinsic, which the sandbox freezes (freeze-realm.ts).
 */
export type CertificateReply = { type: 'certificates'; id: number; result?: TestCertificates; error?: string }

/** Everything the host sends a child: one job, then answers to its certificate requests. */
export type HostMessage = RunJob | CertificateReply

/** A message of the run as it travels: the run's key added to it (see RunJob.key). */
export type KeyedChildMessage = ChildMessage & { key?: string }

export type ChildMessage =
  | { type: 'ready' }
  /** The registered tests in run order, and the test file each came from. */
  | { type: 'plan'; tests: string[]; files: string[] }
  | { type: 'test'; index: number; result: TestResult }
  /** Events with whole payloads where the trace keeps only the first bytes; key log lines of TLS sockets. */
  | { type: 'trace'; events: WireTraceEvent[]; keyLog?: string[] }
  | { type: 'violation'; message: string }
  /** The code could not run: a module threw while loading, or no tests were found. */
  | { type: 'fatal'; message: string }
  /** outputBytes: what the run tried to write; keptBytes: what went down the stdout pipe. */
  | { type: 'done'; strays: string[]; outputBytes: number; keptBytes: number }
  /** A test asked for fresh TLS certificates (harness createTestCertificates). */
  | { type: 'certificates'; id: number; options: TestCertificateOptions }
