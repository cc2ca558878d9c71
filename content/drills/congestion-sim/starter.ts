// A pure congestion-control simulator: TCP Reno driven by ACK events (RFC 5681), and CUBIC's
// window function and multiplicative decrease (RFC 9438). Windows are in segments (SMSS = 1).

export type RenoEvent =
  /** `count` ACKs of new data, each acknowledging one full segment (default 1). */
  | { type: 'ack'; count?: number }
  /** `count` duplicate ACKs (default 1). */
  | { type: 'dupack'; count?: number }
  /** The retransmission timer expired. */
  | { type: 'timeout' }

export type RenoPhase = 'slow-start' | 'congestion-avoidance' | 'fast-recovery'

export interface RenoState {
  cwnd: number
  ssthresh: number
  phase: RenoPhase
  /** Duplicate ACKs seen in a row (reset by a new ACK and by a timeout). */
  dupAcks: number
}

export interface RenoOptions {
  /** Default 10 segments (RFC 6928 with a 1460-byte MSS). */
  initialCwnd?: number
  /** Default Infinity: "arbitrarily high" (RFC 5681 §3.1). */
  initialSsthresh?: number
}

/** Runs the events in order and returns the state after each one. */
export function simulateReno(events: RenoEvent[], options: RenoOptions = {}): RenoState[] {
  let cwnd = options.initialCwnd ?? 10
  const ssthresh = options.initialSsthresh ?? Infinity
  const states: RenoState[] = []
  for (const event of events) {
    // TODO: slow start, congestion avoidance, fast retransmit / fast recovery, timeout.
    // For now every ACK adds one segment, forever, and losses are ignored.
    if (event.type === 'ack') cwnd += event.count ?? 1
    states.push({ cwnd, ssthresh, phase: 'slow-start', dupAcks: 0 })
  }
  return states
}

/** CUBIC constants: C = 0.4 (RFC 9438 §5), beta_cubic = 0.7 (§4.6). */
export const CUBIC_C = 0.4
export const CUBIC_BETA = 0.7

/** Seconds W_cubic takes to climb from cwndEpoch back to wMax (RFC 9438 §4.2). */
export function cubicK(wMax: number, cwndEpoch: number): number {
  throw new Error('cubicK is not implemented yet')
}

/** W_cubic(t) = C (t - K)^3 + W_max, t in seconds since the congestion-avoidance epoch began. */
export function cubicWindow(t: number, wMax: number, cwndEpoch: number): number {
  throw new Error('cubicWindow is not implemented yet')
}

export interface CubicReduction {
  /** The W_max the next epoch climbs back towards. */
  wMax: number
  ssthresh: number
  cwnd: number
  /** K for the next epoch, seconds. */
  k: number
}

/** A loss at window `cwnd`; `previousWMax` is the W_max of the epoch that just ended (0 if none). */
export function cubicOnCongestion(cwnd: number, previousWMax: number): CubicReduction {
  throw new Error('cubicOnCongestion is not implemented yet')
}
