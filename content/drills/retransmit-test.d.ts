// Types of the 'retransmit:test' module that drill tests (and solutions) import.
declare module 'retransmit:test' {
  import type net from 'node:net'

  export interface TestOptions {
    /** Per-test limit in milliseconds (default 2000, or this test's share of the run's time left). */
    timeoutMs?: number
    /**
     * A stretch test ("what real servers also do"): it runs like any test, is shown apart, and a
     * Submit passes without it.
     */
    stretch?: boolean
  }
  /** Register a test; tests run one at a time, in file order. A throw or rejection fails it. */
  export function test(name: string, fn: () => unknown, options?: TestOptions): void
  /** Reject with `message` if `promise` has not settled within `ms` milliseconds. */
  export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T>
  /** Read exactly n bytes (fewer if the socket ends or timeoutMs passes; default 1000 ms). */
  export function readBytes(socket: net.Socket, n: number, options?: { timeoutMs?: number }): Promise<Buffer>
  /** Listen on 127.0.0.1 with an ephemeral port; resolves the port. */
  export function listen(server: net.Server): Promise<number>

  export interface RelayFaults {
    seed?: number
    latencyMs?: number
    jitterMs?: number
    lossRate?: number
    reorderRate?: number
    duplicateRate?: number
    bandwidthBytesPerSec?: number
    maxSegmentBytes?: number
    coalesceMs?: number
    resetAfterBytes?: number
  }
  export interface RelayOptions extends RelayFaults {
    protocol?: 'tcp' | 'udp'
    target: number | { host?: string; port: number }
  }
  export interface RelayStats {
    connections: number
    forwardedBytes: number
    segments: number
    datagrams: number
    dropped: number
    duplicated: number
    reordered: number
    resets: number
  }
  export interface Relay {
    protocol: 'tcp' | 'udp'
    host: string
    port: number
    address: string
    stats: RelayStats
    setFaults(faults: RelayFaults): void
    resetAll(): void
    close(): Promise<void>
  }
  /** A fault-injecting relay on 127.0.0.1 in front of `target`. */
  export function createRelay(options: RelayOptions): Promise<Relay>

  export interface TestCertificates {
    ca: string
    cert: string
    key: string
  }
  /** A fresh CA and a server certificate signed by it (PEM), ECDSA P-256. */
  export function createTestCertificates(options?: {
    commonName?: string
    altNames?: string[]
    days?: number
  }): Promise<TestCertificates>

  export interface TraceEvent {
    tMs: number
    from: string
    to: string
    kind: string
    summary: string
    bytes?: number
    payloadBase64?: string
  }
  /** Add a line to the run's trace. */
  export function note(summary: string): void
  /** The trace recorded so far in this run (copies). */
  export function trace(): TraceEvent[]
}
