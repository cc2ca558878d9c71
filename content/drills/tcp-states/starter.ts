// One endpoint's TCP state machine, replayed from a trace. See the task for the events.

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
  | { dir: 'in' | 'out'; flags: Flag[]; seq: number; ack?: number; len?: number }
  | { app: 'listen' | 'close' }
  | { timer: '2msl' }

export function replayStates(events: TraceEvent[]): TcpState[] {
  const state: TcpState = 'CLOSED'
  return events.map(() => state)
}
