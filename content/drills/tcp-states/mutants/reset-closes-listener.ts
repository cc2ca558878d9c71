// Bug: closes a passive SYN-RECEIVED on a reset instead of returning it to LISTEN.
// One endpoint's TCP state machine (RFC 9293 §3.3.2, figure 5), driven by the segments it sends
// and receives, its application's calls and the 2 MSL timer. Sequence numbers decide whether an
// ACK covers our SYN or our FIN, as a real stack's do.

export type TcpState =
  | 'CLOSED'
  | 'LISTEN'
  | 'SYN-SENT'
  | 'SYN-RECEIVED'
  | 'ESTABLISHED'
  | 'FIN-WAIT-1'
  | 'FIN-WAIT-2'
  | 'CLOSE-WAIT'
  | 'CLOSING'
  | 'LAST-ACK'
  | 'TIME-WAIT'

export type Flag = 'SYN' | 'ACK' | 'FIN' | 'RST'

export type TraceEvent =
  /** A segment this endpoint sent ('out') or received ('in'). `len`: data bytes (default 0). */
  | { dir: 'in' | 'out'; flags: Flag[]; seq: number; ack?: number; len?: number }
  /** The application: a passive open, or closing a socket that has sent no FIN yet. */
  | { app: 'listen' | 'close' }
  /** TIME-WAIT's 2 MSL timer ran out. */
  | { timer: '2msl' }

const MOD = 2 ** 32
const plus = (a: number, b: number) => (a + b) % MOD

/** The state after each event, in order. Segments that do not fit the state leave it unchanged. */
export function replayStates(events: TraceEvent[]): TcpState[] {
  let state: TcpState = 'CLOSED'
  /** Whether SYN-RECEIVED came from LISTEN: a reset then returns there (RFC 9293 §3.10.7.3). */
  let passive = false
  /** The sequence number an ACK must carry to cover our SYN, then our FIN. */
  let synAck: number | null = null
  let finAck: number | null = null
  const out: TcpState[] = []

  for (const e of events) {
    if ('app' in e) {
      if (e.app === 'listen' && state === 'CLOSED') state = 'LISTEN'
      else if (e.app === 'close' && (state === 'LISTEN' || state === 'SYN-SENT')) state = 'CLOSED'
    } else if ('timer' in e) {
      if (state === 'TIME-WAIT') state = 'CLOSED'
    } else if (e.dir === 'out') {
      const has = (f: Flag) => e.flags.includes(f)
      if (has('SYN')) {
        synAck = plus(e.seq, 1)
        if (state === 'CLOSED' || state === 'LISTEN') {
          passive = false
          state = 'SYN-SENT'
        }
      }
      if (has('FIN')) {
        finAck = plus(e.seq, (e.len ?? 0) + 1) // the FIN takes the sequence number after the data
        if (state === 'ESTABLISHED' || state === 'SYN-RECEIVED') state = 'FIN-WAIT-1'
        else if (state === 'CLOSE-WAIT') state = 'LAST-ACK'
      }
      if (has('RST')) state = 'CLOSED'
    } else {
      const has = (f: Flag) => e.flags.includes(f)
      const acks = (n: number | null) => has('ACK') && n !== null && e.ack === n
      if (has('RST')) {
        if (state === 'SYN-SENT') {
          if (acks(synAck)) state = 'CLOSED' // only a reset that acknowledges our SYN is believed
        } else if (state === 'SYN-RECEIVED') {
          state = 'CLOSED'
        } else if (state !== 'LISTEN' && state !== 'CLOSED') {
          state = 'CLOSED'
        }
      } else if (has('SYN')) {
        if (state === 'LISTEN') {
          passive = true
          state = 'SYN-RECEIVED'
        } else if (state === 'SYN-SENT') {
          if (acks(synAck)) state = 'ESTABLISHED'
          else if (!has('ACK')) state = 'SYN-RECEIVED' // simultaneous open (figure 7)
        } else if (state === 'SYN-RECEIVED' && acks(synAck)) {
          state = 'ESTABLISHED' // the other half of a simultaneous open
        }
      } else {
        // ACK first: it may cover our SYN or FIN; then a FIN in the same segment.
        if (state === 'SYN-RECEIVED' && acks(synAck)) state = 'ESTABLISHED'
        else if (state === 'FIN-WAIT-1' && acks(finAck)) state = 'FIN-WAIT-2'
        else if (state === 'CLOSING' && acks(finAck)) state = 'TIME-WAIT'
        else if (state === 'LAST-ACK' && acks(finAck)) state = 'CLOSED'
        if (has('FIN')) {
          if (state === 'ESTABLISHED') state = 'CLOSE-WAIT'
          else if (state === 'FIN-WAIT-1')
            state = 'CLOSING' // simultaneous close (figure 13)
          else if (state === 'FIN-WAIT-2') state = 'TIME-WAIT'
        }
      }
    }
    out.push(state)
  }
  return out
}
