// Options and handle of the fault-injecting loopback relay.

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

export function emptyStats(): RelayStats {
  return {
    connections: 0,
    forwardedBytes: 0,
    segments: 0,
    datagrams: 0,
    dropped: 0,
    duplicated: 0,
    reordered: 0,
    resets: 0,
    pending: 0
  }
}
