// How a drill session and a drill attempt are written into a drills document: one immutable JSON
// string each, under `session:<uid>` and `attempt:<uid>`. A record no Retransmit writes is refused
// with the reason (the same limits the app puts on what it records itself).
import { ValidationError } from '../../shared/errors'
import type { SessionEvent, SyncAttempt, SyncSession } from '../store/sync-drills'

export const SESSION = 'session:'
export const ATTEMPT = 'attempt:'

/** The longest program taken in (characters): what runDrill and submitDrill accept. */
const MAX_CODE = 500_000
/** The longest stored result (characters): its output is cut to 10,000 when recorded. */
const MAX_RESULT = 2_000_000
/** Hints per drill (showHint's limit), and events per session (each hint once, a few solutions). */
const MAX_HINT = 50
const MAX_EVENTS = 200
const MODES = new Set(['run', 'submit'])
const STATUSES = new Set(['pass', 'fail', 'error', 'timeout'])

export function encodeSession({ drillId, openedAt, timed, endedAt, events }: SyncSession): string {
  return JSON.stringify({ drill: drillId, openedAt, timed, endedAt, events })
}

export function encodeAttempt(attempt: SyncAttempt): string {
  const { uid: _uid, drillId, ...rest } = attempt
  return JSON.stringify({ drill: drillId, ...rest })
}

const time = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0
const count = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0
const drillId = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= 200 && !/[\u0000-\u001f]/.test(value)

function parse(key: string, text: string): Record<string, unknown> {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new ValidationError(`${key} is not JSON`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ValidationError(`${key} is not a record`)
  return parsed as Record<string, unknown>
}

function event(value: unknown): value is SessionEvent {
  if (!Array.isArray(value) || value.length !== 3 || !time(value[0])) return false
  const [, kind, n] = value as unknown[]
  return kind === 'solution'
    ? n === 0
    : kind === 'hint' && Number.isInteger(n) && (n as number) >= 1 && (n as number) <= MAX_HINT
}

/** The session stored under `session:<uid>`; throws with the reason when no Retransmit wrote it. */
export function decodeSession(uid: string, text: string): SyncSession {
  const key = `${SESSION}${uid}`
  const r = parse(key, text)
  const bad = (field: string) =>
    new ValidationError(`${key}: ${field} is malformed: ${JSON.stringify(r[field])?.slice(0, 100)}`)
  if (!drillId(r.drill)) throw bad('drill')
  if (!time(r.openedAt)) throw bad('openedAt')
  if (typeof r.timed !== 'boolean') throw bad('timed')
  if (r.endedAt !== null && !(time(r.endedAt) && r.endedAt >= r.openedAt)) throw bad('endedAt')
  if (!Array.isArray(r.events) || r.events.length > MAX_EVENTS || !r.events.every(event)) throw bad('events')
  return { uid, drillId: r.drill, openedAt: r.openedAt, timed: r.timed, endedAt: r.endedAt, events: r.events }
}

/** The attempt stored under `attempt:<uid>`; throws with the reason when no Retransmit wrote it. */
export function decodeAttempt(uid: string, text: string, writer: string): SyncAttempt {
  const key = `${ATTEMPT}${uid}`
  const r = parse(key, text)
  const bad = (field: string) =>
    new ValidationError(`${key}: ${field} is malformed: ${JSON.stringify(r[field])?.slice(0, 100)}`)
  if (!drillId(r.drill)) throw bad('drill')
  // An attempt belongs to a session of the same device (or to none: recorded before sessions).
  if (r.session !== null && !(typeof r.session === 'string' && r.session.startsWith(writer))) throw bad('session')
  if (!time(r.at)) throw bad('at')
  if (typeof r.mode !== 'string' || !MODES.has(r.mode)) throw bad('mode')
  if (typeof r.status !== 'string' || !STATUSES.has(r.status)) throw bad('status')
  if (!count(r.total)) throw bad('total')
  if (!count(r.passed) || r.passed > r.total) throw bad('passed')
  if (!count(r.durationMs)) throw bad('durationMs')
  if (!count(r.hintsUsed) || r.hintsUsed > MAX_HINT) throw bad('hintsUsed')
  const graded = Number.isInteger(r.grade) && (r.grade as number) >= 1 && (r.grade as number) <= 4
  if (!(r.grade === null || (graded && r.mode === 'submit'))) throw bad('grade')
  if (typeof r.code !== 'string' || r.code.length > MAX_CODE) throw bad('code')
  if (typeof r.result !== 'string' || r.result.length > MAX_RESULT || !isJsonRecord(r.result)) throw bad('result')
  return {
    uid,
    drillId: r.drill,
    session: r.session as string | null,
    at: r.at,
    mode: r.mode as SyncAttempt['mode'],
    status: r.status as SyncAttempt['status'],
    passed: r.passed,
    total: r.total,
    durationMs: r.durationMs,
    hintsUsed: r.hintsUsed,
    grade: r.grade as number | null,
    code: r.code,
    result: r.result
  }
}

function isJsonRecord(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
  } catch {
    return false
  }
}
