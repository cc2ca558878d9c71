import { createHmac } from 'node:crypto'

export interface Connection {
  clientAddr: string
  clientPort: number
  serverAddr: string
  serverPort: number
}

export interface CookieOptions {
  /** The server's secret key for the HMAC. */
  secret: Uint8Array
  /** The clock, milliseconds. */
  now: () => number
}

/** The 8 MSS values a 3-bit index can select, smallest first. */
export const MSS_TABLE: readonly number[] = [536, 1220, 1300, 1360, 1400, 1440, 1452, 1460]

/** Index of the largest MSS_TABLE entry that is <= mss (0 if mss is below all of them). */
export function mssIndex(mss: number): number {
  // TODO
  return 0
}

/** The server ISN for the SYN-ACK: 5 bits of counter, 3 bits of MSS index, 24 bits of keyed hash. */
export function makeCookie(options: CookieOptions, conn: Connection, clientIsn: number, mss: number): number {
  // TODO: counter = Math.floor(options.now() / 64_000); hash with createHmac('sha256', options.secret)
  void createHmac
  return 0
}

/** Check the handshake's final ACK: seq = clientIsn + 1, ack = cookie + 1 (mod 2^32). */
export function checkAck(
  options: CookieOptions,
  conn: Connection,
  ack: { seq: number; ack: number }
): { ok: true; mss: number; clientIsn: number } | { ok: false; reason: 'stale' | 'forged' } {
  // TODO: undo the +1s, check the age, recompute the hash
  return { ok: true, mss: MSS_TABLE[0] ?? 536, clientIsn: ack.seq }
}
