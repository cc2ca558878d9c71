// What device sync reads and writes for drill attempts (each Run and Submit) and drill sessions:
// this device's attempts and session changes not sent yet (noted by migration 019's triggers),
// and the writes that take another device's in. A session from elsewhere keeps the device it came
// from, so it is never continued, ended or sent from here.
import type { Db } from './db'

/** A session's hint (1-based number) or its solution shown (0): [when (ms), kind, number]. */
export type SessionEvent = [number, 'hint' | 'solution', number]

export interface SyncSession {
  uid: string
  drillId: string
  openedAt: number
  timed: boolean
  endedAt: number | null
  events: SessionEvent[]
}

export interface SyncAttempt {
  uid: string
  drillId: string
  /** The uid of the session it belongs to (null: recorded before sessions existed). */
  session: string | null
  at: number
  mode: 'run' | 'submit'
  status: 'pass' | 'fail' | 'error' | 'timeout'
  passed: number
  total: number
  durationMs: number
  hintsUsed: number
  grade: number | null
  code: string
  /** The run's result as the drill service stored it (JSON text). */
  result: string
}

/** One noted change: `seq` is what clearSent takes; `filedAt` (ms) picks the month document. */
export type DrillChange = { seq: number; filedAt: number } & (
  { session: SyncSession; attempt?: undefined } | { attempt: SyncAttempt; session?: undefined }
)

export interface SyncDrillsStore {
  /** Gives this device's sessions and attempts that have none a uid (call inside a transaction). */
  assignUids(deviceId: string): void
  /**
   * Noted changes after `afterSeq`, oldest first, from at most `limit` notes (attempts hold whole
   * programs); `last` is the last note looked at (null: none left).
   */
  changes(afterSeq: number, limit: number): { changes: DrillChange[]; last: number | null }
  /** Forgets the notes up to `lastSeq`, once sent; a row noted again meanwhile has a later seq and stays noted. */
  clearSent(lastSeq: number): void
  /** Takes in another device's session, or its newer version (end and events); returns whether it was new. */
  putSession(session: SyncSession, device: string): boolean
  /** Takes in another device's attempt; returns false when it was already here. */
  insertAttempt(attempt: SyncAttempt): boolean
}

interface SessionRow extends Omit<SyncSession, 'timed' | 'events'> {
  seq: number
  id: number
  timed: number
}

export function createSyncDrillsStore(db: Db): SyncDrillsStore {
  const assignSessions = db.prepare(
    `UPDATE drill_sessions SET uid = ? || ':s' || id || '-' || lower(hex(randomblob(4))) WHERE uid IS NULL AND device IS NULL`
  )
  const assignAttempts = db.prepare(
    `UPDATE drill_attempts SET uid = ? || ':a' || id || '-' || lower(hex(randomblob(4))) WHERE uid IS NULL`
  )
  const changes = db.prepare<[number, number], { seq: number; kind: string; rowId: number }>(
    'SELECT seq, kind, row_id AS rowId FROM sync_drill_changes WHERE seq > ? ORDER BY seq LIMIT ?'
  )
  const session = db.prepare<[number], SessionRow>(`
    SELECT id, uid, drill_id AS drillId, opened_at AS openedAt, timed, ended_at AS endedAt
      FROM drill_sessions WHERE id = ? AND device IS NULL AND uid IS NOT NULL`)
  const events = db
    .prepare<[number], SessionEvent>(
      'SELECT at, kind, hint FROM drill_session_events WHERE session_id = ? ORDER BY at, rowid'
    )
    .raw()
  const attempt = db.prepare<[number], SyncAttempt & { filedAt: number }>(`
    SELECT a.uid, a.drill_id AS drillId, s.uid AS session, coalesce(s.opened_at, a.at) AS filedAt, a.at, a.mode,
           a.status, a.passed, a.total, a.duration_ms AS durationMs, a.hints_used AS hintsUsed, a.grade, a.code, a.result
      FROM drill_attempts a LEFT JOIN drill_sessions s ON s.id = a.session_id WHERE a.id = ? AND a.uid IS NOT NULL`)
  const clear = db.prepare('DELETE FROM sync_drill_changes WHERE seq <= ?')
  const upsertSession = db.prepare(`
    INSERT INTO drill_sessions (drill_id, opened_at, timed, ended_at, uid, device)
      VALUES (@drillId, @openedAt, @timed, @endedAt, @uid, @device)
    ON CONFLICT (uid) DO UPDATE SET ended_at = excluded.ended_at WHERE device = excluded.device`)
  const sessionId = db
    .prepare<[string, string], number>('SELECT id FROM drill_sessions WHERE uid = ? AND device = ?')
    .pluck()
  const dropEvents = db.prepare('DELETE FROM drill_session_events WHERE session_id = ?')
  const addEvent = db.prepare('INSERT INTO drill_session_events (session_id, at, kind, hint) VALUES (?, ?, ?, ?)')
  const hasSession = db.prepare<[string], number>('SELECT 1 FROM drill_sessions WHERE uid = ?').pluck()
  const insertAttempt = db.prepare(`
    INSERT INTO drill_attempts
      (uid, drill_id, session_id, at, mode, status, passed, total, duration_ms, hints_used, grade, code, result)
    VALUES (@uid, @drillId, (SELECT id FROM drill_sessions WHERE uid = @session), @at, @mode, @status, @passed,
            @total, @durationMs, @hintsUsed, @grade, @code, @result)
    ON CONFLICT (uid) DO NOTHING`)

  return {
    assignUids(deviceId) {
      assignSessions.run(deviceId)
      assignAttempts.run(deviceId)
    },
    changes(afterSeq, limit) {
      const out: DrillChange[] = []
      const notes = changes.all(afterSeq, limit)
      for (const { seq, kind, rowId } of notes) {
        if (kind === 'session') {
          const row = session.get(rowId)
          if (!row) continue
          const { id, seq: _seq, timed, ...rest } = { ...row, seq }
          out.push({ seq, filedAt: row.openedAt, session: { ...rest, timed: timed === 1, events: events.all(id) } })
        } else {
          const row = attempt.get(rowId)
          if (!row) continue
          const { filedAt, ...rest } = row
          out.push({ seq, filedAt, attempt: rest })
        }
      }
      return { changes: out, last: notes.at(-1)?.seq ?? null }
    },
    clearSent: (lastSeq) => void clear.run(lastSeq),
    putSession(incoming, device) {
      const isNew = hasSession.get(incoming.uid) === undefined
      upsertSession.run({ ...incoming, timed: incoming.timed ? 1 : 0, device })
      const id = sessionId.get(incoming.uid, device)
      // A uid this collection holds from another device (or made here) is not overwritten.
      if (id === undefined) return false
      dropEvents.run(id)
      for (const [at, kind, hint] of incoming.events) addEvent.run(id, at, kind, hint)
      return isNew
    },
    insertAttempt: (incoming) => insertAttempt.run(incoming).changes > 0
  }
}
