// Bug: keeps only 16 bits of the HMAC in the cookie, so a blind guess succeeds 256 times more often.
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

const COUNTER_PERIOD_MS = 64_000
/** Cookies from this counter or the previous one are accepted. */
const MAX_AGE = 1

/** Index of the largest MSS_TABLE entry that is <= mss (0 if mss is below all of them). */
export function mssIndex(mss: number): number {
  let index = 0
  for (let i = 0; i < MSS_TABLE.length; i++) {
    if ((MSS_TABLE[i] ?? Infinity) <= mss) index = i
  }
  return index
}

function counterAt(options: CookieOptions): number {
  return Math.floor(options.now() / COUNTER_PERIOD_MS)
}

/** The low 24 bits the cookie carries: HMAC over the connection, the client ISN, the full counter and the MSS index. */
function hash24(secret: Uint8Array, conn: Connection, clientIsn: number, counter: number, index: number): number {
  const input = [
    conn.clientAddr,
    conn.clientPort,
    conn.serverAddr,
    conn.serverPort,
    clientIsn >>> 0,
    counter,
    index
  ].join('|')
  return createHmac('sha256', secret).update(input).digest().readUIntBE(0, 2)
}

export function makeCookie(options: CookieOptions, conn: Connection, clientIsn: number, mss: number): number {
  const counter = counterAt(options)
  const index = mssIndex(mss)
  const hash = hash24(options.secret, conn, clientIsn, counter, index)
  return (((counter & 31) << 27) | (index << 24) | hash) >>> 0
}

export function checkAck(
  options: CookieOptions,
  conn: Connection,
  ack: { seq: number; ack: number }
): { ok: true; mss: number; clientIsn: number } | { ok: false; reason: 'stale' | 'forged' } {
  const cookie = (ack.ack - 1) >>> 0
  const clientIsn = (ack.seq - 1) >>> 0

  const current = counterAt(options)
  const age = (((current - (cookie >>> 27)) % 32) + 32) % 32
  if (age > MAX_AGE) return { ok: false, reason: 'stale' }

  const index = (cookie >>> 24) & 7
  const expected = hash24(options.secret, conn, clientIsn, current - age, index)
  if ((cookie & 0xffffff) !== expected) return { ok: false, reason: 'forged' }

  return { ok: true, mss: MSS_TABLE[index] ?? 536, clientIsn }
}
