// Generated from src/main/drills/sandbox/harness-api.ts by scripts/harness-dts.ts: do not edit by hand.
// Types of the 'retransmit:test' module that drill tests (and solutions) import.
declare module 'retransmit:test' {
  import type net from 'node:net'

  /** Register a test; tests run one at a time, in file order. A throw or rejection fails it. */
  export function test(name: string, fn: () => unknown, options?: TestOptions): void
  /** Reject with `message` if `promise` has not settled within `ms` milliseconds. */
  export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T>
  /** Read exactly n bytes (fewer if the socket ends or timeoutMs passes; default 1000 ms). */
  export function readBytes(socket: net.Socket, n: number, options?: { timeoutMs?: number }): Promise<Buffer>
  /** Listen on 127.0.0.1 with an ephemeral port; resolves the port. */
  export function listen(server: net.Server): Promise<number>
  /** A fault-injecting relay on 127.0.0.1 in front of `target`. */
  export function createRelay(options: RelayOptions): Promise<Relay>
  /** A fresh CA and a server certificate signed by it (PEM), ECDSA P-256. */
  export function createTestCertificates(options?: TestCertificateOptions): Promise<TestCertificates>
  /** Add a line to the run's trace. */
  export function note(summary: string): void
  /** The trace recorded so far in this run (copies). */
  export function trace(): TraceEvent[]

  export interface Relay {
    protocol: 'tcp' | 'udp'
    host: string
    port: number
    /** `host:port`, for the trace and for messages. */
    address: string
    stats: RelayStats
    /** Change faults for traffic from now on. */
    setFaults(faults: RelayFaults): void
    /** TCP: send RST to both sides of every open connection now. */
    resetAll(): void
    close(): Promise<void>
  }

  export interface RelayStats {
    connections: number
    /** Bytes (TCP) or datagram bytes (UDP) delivered, both directions. */
    forwardedBytes: number
    /** TCP: writes the relay made (after cutting or gluing); UDP: unused. */
    segments: number
    datagrams: number
    dropped: number
    duplicated: number
    reordered: number
    resets: number
    /** UDP: relay timers still armed (a datagram delayed or held back); 0 once every one seen was sent or dropped. */
    pending: number
  }

  export interface RelayFaults {
    /** PRNG seed; the same seed gives the same faults for the same traffic. Default 1. */
    seed?: number
    /** Added one-way delay, milliseconds. */
    latencyMs?: number
    /** Extra random delay in [0, jitterMs), milliseconds. UDP datagrams may overtake each other; TCP bytes keep their order. */
    jitterMs?: number
    /** UDP: fraction of datagrams dropped, 0..1. */
    lossRate?: number
    /** UDP: fraction of datagrams held back and sent after the next one, 0..1. */
    reorderRate?: number
    /** UDP: fraction of datagrams delivered twice, 0..1. */
    duplicateRate?: number
    /** Cap per direction, bytes per second. */
    bandwidthBytesPerSec?: number
    /** TCP: cut the stream into writes of 1..maxSegmentBytes bytes (random), so readers see fragments. */
    maxSegmentBytes?: number
    /** TCP: gather bytes for this long, milliseconds, and forward them as one write, so readers see several messages in one read. */
    coalesceMs?: number
    /** TCP: reset both sides of a connection once this many bytes have passed through it (both directions). */
    resetAfterBytes?: number
  }

  export interface RelayOptions extends RelayFaults {
    /** Default 'tcp'. */
    protocol?: 'tcp' | 'udp'
    /** Where the relay forwards to: a port on 127.0.0.1, or host and port (loopback only). */
    target: number | { host?: string; port: number }
  }

  export interface TraceEvent {
    /** Milliseconds since the run started (fractional). */
    tMs: number
    /** `host:port` of the sender (for data) or initiator; IPv6 hosts in brackets. */
    from: string
    to: string
    kind: TraceKind
    /** One human line, e.g. `ClientHello SNI=localhost versions=TLS1.3,TLS1.2`. */
    summary: string
    /** Payload size in bytes, for events that carry data. */
    bytes?: number
    /** First bytes of the payload, base64 (at most TRACE_PAYLOAD_CAP_BYTES decoded, in src/main/drills/types.ts). */
    payloadBase64?: string
    /** Index (file order) of the test that was running, or the last one that ran; absent before the first. */
    test?: number
    /** The TCP connection (numbered per run) a TCP or TLS event belongs to; both ends share it. */
    conn?: number
    /**
     * A protected TLS 1.3 record opened with the run's logged secrets, after the run, on the host
     * (src/main/drills/tls/annotate-trace.ts): the drill page has it, `trace()` inside a test never does.
     */
    tls?: TlsRecordDecryption
  }

  export type TraceKind =
    | 'tcp-listen'
    | 'tcp-connect'
    | 'tcp-accept'
    | 'tcp-data'
    | 'tcp-fin'
    | 'tcp-rst'
    | 'tcp-close'
    | 'udp-bind'
    | 'udp-datagram'
    | 'tls-record'
    | 'http-request'
    | 'http-response'
    | 'http-h2-frame'
    | 'ws-upgrade'
    | 'ws-frame'
    | 'dns-query'
    | 'dns-answer'
    | 'note'

  export type TlsRecordDecryption =
    | {
        ok: true
        /** The real content type from inside the record (RFC 8446 §5.2). */
        contentType: string
        /** The NSS key log label of the secret whose keys opened it, e.g. SERVER_HANDSHAKE_TRAFFIC_SECRET. */
        secret: string
        /** The record's sequence number under that secret (the nonce's input, RFC 8446 §5.3). */
        seq: number
        summary: string
        messages: TlsMessageView[]
        /** Plaintext length (content only, without the type byte and padding), bytes. */
        bytes: number
        /** First bytes of the plaintext, base64 (at most the trace payload cap). */
        plaintextBase64: string
      }
    | { ok: false; error: string }

  /** One decrypted TLS message: its type and fields in wire order. */
  export interface TlsMessageView {
    type: string
    fields: [string, string][]
  }

  export interface TestCertificateOptions {
    /** Default 'localhost'. */
    commonName?: string
    /** DNS names and IP addresses for subjectAltName; default ['localhost', '127.0.0.1', '::1']. */
    altNames?: string[]
    /** Validity in days from now; default 1. */
    days?: number
  }

  export interface TestCertificates {
    /** The CA certificate (PEM): the only thing a client should trust. */
    ca: string
    /** The server's certificate (PEM), signed by the CA. */
    cert: string
    /** The server's private key (PEM, PKCS#8). */
    key: string
  }

  export interface TestOptions {
    /** Per-test limit in milliseconds (default 2000, or this test's share of the run's time left). */
    timeoutMs?: number
    /**
     * A stretch test ("what real servers also do"): it runs like any test, is shown apart, and a
     * Submit passes without it.
     */
    stretch?: boolean
  }
}
