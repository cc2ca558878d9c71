// Bug: grows cwnd by one segment per ACK in congestion avoidance, as in slow start, instead of one per window of ACKs.
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
  let ssthresh = options.initialSsthresh ?? Infinity
  let dupAcks = 0
  let inRecovery = false
  let flightAtRecovery = 0
  /** Segments ACKed in congestion avoidance since cwnd last grew. */
  let ackedInAvoidance = 0

  // The sender is assumed to keep the window full, so FlightSize = cwnd. Duplicate ACKs do not
  // shrink the flight, so in fast recovery it is at least what was in flight when recovery began.
  const flightSize = () => (inRecovery ? Math.max(flightAtRecovery, cwnd) : cwnd)
  // RFC 5681 equation (4): ssthresh = max(FlightSize / 2, 2 * SMSS), in whole segments.
  const halvedFlight = () => Math.max(Math.floor(flightSize() / 2), 2)

  const onNewAck = () => {
    dupAcks = 0
    if (inRecovery) {
      // §3.2 step 6: deflate the window; this ACK does not also grow it.
      inRecovery = false
      cwnd = ssthresh
      ackedInAvoidance = 0
      return
    }
    if (cwnd < ssthresh) {
      cwnd += 1 // slow start: one SMSS per ACK of new data (§3.1)
      return
    }
    // Congestion avoidance, byte counting (§3.1): one SMSS once a full window has been ACKed.
    ackedInAvoidance += 1
    if (ackedInAvoidance >= 1) {
      cwnd += 1
      ackedInAvoidance = 0
    }
  }

  const onDupAck = () => {
    if (inRecovery) {
      cwnd += 1 // §3.2 step 4: each further duplicate means a segment has left the network
      return
    }
    dupAcks += 1
    if (dupAcks === 3) {
      // §3.2 steps 2-3: fast retransmit, then fast recovery with an inflated window.
      ssthresh = halvedFlight()
      flightAtRecovery = cwnd
      inRecovery = true
      cwnd = ssthresh + 3
      ackedInAvoidance = 0
    }
  }

  const onTimeout = () => {
    // §3.1: ssthresh from equation (4), cwnd to the loss window of one segment, slow start again.
    ssthresh = halvedFlight()
    cwnd = 1
    inRecovery = false
    dupAcks = 0
    ackedInAvoidance = 0
  }

  const states: RenoState[] = []
  for (const event of events) {
    const times = event.type === 'timeout' ? 1 : (event.count ?? 1)
    for (let i = 0; i < times; i++) {
      if (event.type === 'ack') onNewAck()
      else if (event.type === 'dupack') onDupAck()
      else onTimeout()
    }
    const phase: RenoPhase = inRecovery ? 'fast-recovery' : cwnd < ssthresh ? 'slow-start' : 'congestion-avoidance'
    states.push({ cwnd, ssthresh, phase, dupAcks })
  }
  return states
}

/** CUBIC constants: C = 0.4 (RFC 9438 §5), beta_cubic = 0.7 (§4.6). */
export const CUBIC_C = 0.4
export const CUBIC_BETA = 0.7

/** Seconds W_cubic takes to climb from cwndEpoch back to wMax (RFC 9438 §4.2). */
export function cubicK(wMax: number, cwndEpoch: number): number {
  return Math.cbrt((wMax - cwndEpoch) / CUBIC_C)
}

/** W_cubic(t) = C (t - K)^3 + W_max, t in seconds since the congestion-avoidance epoch began (RFC 9438 §4.2). */
export function cubicWindow(t: number, wMax: number, cwndEpoch: number): number {
  return CUBIC_C * (t - cubicK(wMax, cwndEpoch)) ** 3 + wMax
}

export interface CubicReduction {
  /** The W_max the next epoch climbs back towards. */
  wMax: number
  ssthresh: number
  cwnd: number
  /** K for the next epoch, seconds. */
  k: number
}

/**
 * A loss at window `cwnd` (FlightSize = cwnd). `previousWMax` is the W_max of the epoch that just
 * ended (0 if none): a loss below it means the flow is losing share, and fast convergence
 * (§4.7) lowers W_max further to release bandwidth to newer flows.
 */
export function cubicOnCongestion(cwnd: number, previousWMax: number): CubicReduction {
  const wMax = cwnd < previousWMax ? (cwnd * (1 + CUBIC_BETA)) / 2 : cwnd
  const ssthresh = Math.max(cwnd * CUBIC_BETA, 2) // §4.6: cut to 0.7 x, never below 2 segments
  // The new epoch starts at the reduced window: cwnd_epoch = ssthresh.
  return { wMax, ssthresh, cwnd: ssthresh, k: cubicK(wMax, ssthresh) }
}
