// The `retransmit:test` module drill tests import: test registration plus a few helpers. The
// runner (run-tests.ts) takes the registered tests and runs them one at a time, in file order.
import net from 'node:net'
import { createRelay, type Relay, type RelayOptions } from '../relay/index'
import type { TestCertificateOptions, TestCertificates } from './certificates'
import { STRETCH_PREFIX } from '../stretch'
import { endpoint, type TraceRecorder } from './trace-recorder'
import { refuse } from './refusal'
import type { HarnessApi, TestOptions } from './harness-api'

export type { TestOptions }

export interface RegisteredTest {
  name: string
  file: string
  fn: () => unknown
  timeoutMs: number | undefined
}

export interface Harness {
  module: Record<string, unknown>
  tests: RegisteredTest[]
  beginFile(file: string): void
  /** After the test files have loaded: test() refuses from then on (the plan is fixed). */
  closeRegistration(): void
}

/** Asks the host for fresh certificates (see protocol.ts for why the host makes them). */
export type CertificateSource = (options: TestCertificateOptions) => Promise<TestCertificates>

export function createHarness(trace: TraceRecorder, certificates: CertificateSource): Harness {
  const tests: RegisteredTest[] = []
  let currentFile = ''
  let closed = false
  const test = (name: string, fn: () => unknown, options: TestOptions = {}) => {
    // The runner walks this list as it runs: a test added later would run drill code as a test.
    if (closed) refuse('test() may only be called while the test files load')
    if (typeof name !== 'string' || typeof fn !== 'function')
      throw new TypeError('test(name, fn) needs a name and a function')
    tests.push({
      name: options.stretch === true ? STRETCH_PREFIX + name : name,
      file: currentFile,
      fn,
      timeoutMs: options.timeoutMs
    })
  }
  // The declared surface (harness-api.ts) is what drill authors' typings are generated from.
  const module: Record<string, unknown> = {
    test,
    withTimeout,
    readBytes,
    listen,
    // The relay says where it sits, so the trace can draw it as a relay between client and server.
    createRelay: async (options: RelayOptions): Promise<Relay> => {
      const relay = await createRelay(options)
      const target =
        typeof options.target === 'number'
          ? endpoint('127.0.0.1', options.target)
          : endpoint(options.target.host ?? '127.0.0.1', options.target.port)
      trace.add('note', relay.address, target, `relay: ${relay.address} forwards to ${target}`)
      return relay
    },
    createTestCertificates: (options: TestCertificateOptions = {}) => certificates(options),
    note: (summary: string) => trace.add('note', 'test', 'test', String(summary)),
    /** The trace so far (copies), so a test can check that, say, a ClientHello carried SNI. */
    trace: () => trace.events()
  } satisfies HarnessApi
  return {
    module,
    tests,
    beginFile: (file) => (currentFile = file),
    closeRegistration: () => {
      closed = true
    }
  }
}

/** Reject with `message` if `promise` has not settled within `ms` milliseconds. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/**
 * Read exactly `n` bytes from a socket (or fewer if it ends first), waiting at most `timeoutMs`
 * (default 1000). Resolves with what arrived; a test then asserts on it.
 */
export function readBytes(socket: net.Socket, n: number, options: { timeoutMs?: number } = {}): Promise<Buffer> {
  const timeoutMs = options.timeoutMs ?? 1000
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let got = 0
    const finish = () => {
      clearTimeout(timer)
      socket.off('data', onData)
      socket.off('end', finish)
      socket.off('close', finish)
      const all = Buffer.concat(chunks)
      if (all.length > n) socket.unshift(all.subarray(n))
      resolve(all.subarray(0, n))
    }
    const onData = (chunk: Buffer) => {
      chunks.push(chunk)
      got += chunk.length
      if (got >= n) finish()
    }
    const timer = setTimeout(finish, timeoutMs)
    socket.on('data', onData)
    socket.once('end', finish)
    socket.once('close', finish)
  })
}

/** Listen on 127.0.0.1 with an ephemeral port; resolves the port. */
export function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      const address = server.address()
      resolve(typeof address === 'object' && address ? address.port : 0)
    })
  })
}
