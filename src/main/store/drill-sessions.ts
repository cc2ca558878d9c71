// Attempts at a drill as the host records them (migration 010): when each was opened, the hints
// and the solution shown during it, when it ended; and what grading needs from the drill's past
// (attempts synced from other devices count there: a solution seen or a pass graded elsewhere).
import type { Rating } from '../../shared/study'
import type { Db } from './db'

export interface DrillSessionRow {
  id: number
  drillId: string
  openedAt: number
  timed: boolean
  endedAt: number | null
}

export interface DrillSessionStore {
  /** The drill's open attempt opened after `since` (ms), or null. Only attempts made here are continued or ended here. */
  open(drillId: string, since: number): DrillSessionRow | null
  /** The drill's most recent attempt, open or ended, or null. */
  latest(drillId: string): DrillSessionRow | null
  /** Starts an attempt; returns its id. */
  start(drillId: string, openedAt: number, timed: boolean): number
  /** Ends the drill's attempts opened at or before `before` that are still open, as of `at`. */
  endOpenedBefore(drillId: string, before: number, at: number): void
  end(sessionId: number, at: number): void
  /** Notes a hint shown (once per hint and attempt: the first showing counts). */
  hintShown(sessionId: number, hint: number, at: number): void
  /** The hints shown in an attempt, in the order first shown (1-based numbers). */
  hints(sessionId: number): number[]
  solutionShown(sessionId: number, at: number): void
  /** When the attempt first showed the solution, or null. */
  solutionShownIn(sessionId: number): number | null
  /** When the drill's solution was last shown, in any attempt, or null. */
  lastSolutionShown(drillId: string): number | null
  /** True once a Submit in the attempt ran the tests (pass or fail; not an error or a timeout). */
  submittedTests(sessionId: number): boolean
  /** The drill's most recent graded Submit, or null. */
  lastGraded(drillId: string): { at: number; grade: Rating } | null
}

interface Row {
  id: number
  drillId: string
  openedAt: number
  timed: number
  endedAt: number | null
}

const COLUMNS = 'id, drill_id AS drillId, opened_at AS openedAt, timed, ended_at AS endedAt'
const toRow = (row: Row | undefined): DrillSessionRow | null => (row ? { ...row, timed: row.timed === 1 } : null)

export function createDrillSessionStore(db: Db): DrillSessionStore {
  const open = db.prepare<[string, number], Row>(
    `SELECT ${COLUMNS} FROM drill_sessions WHERE drill_id = ? AND device IS NULL AND ended_at IS NULL AND opened_at > ? ORDER BY id DESC LIMIT 1`
  )
  const latest = db.prepare<[string], Row>(
    `SELECT ${COLUMNS} FROM drill_sessions WHERE drill_id = ? AND device IS NULL ORDER BY id DESC LIMIT 1`
  )
  const start = db.prepare<[string, number, number]>(
    'INSERT INTO drill_sessions (drill_id, opened_at, timed) VALUES (?, ?, ?)'
  )
  const endOpenedBefore = db.prepare<[number, string, number]>(
    'UPDATE drill_sessions SET ended_at = ? WHERE drill_id = ? AND device IS NULL AND ended_at IS NULL AND opened_at <= ?'
  )
  const end = db.prepare<[number, number]>('UPDATE drill_sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL')
  const hintShown = db.prepare<[number, number, number, number, number]>(`
    INSERT INTO drill_session_events (session_id, at, kind, hint) SELECT ?, ?, 'hint', ?
    WHERE NOT EXISTS (SELECT 1 FROM drill_session_events WHERE session_id = ? AND kind = 'hint' AND hint = ?)`)
  const hints = db.prepare<[number], { hint: number }>(
    "SELECT hint FROM drill_session_events WHERE session_id = ? AND kind = 'hint' ORDER BY at, rowid"
  )
  const solutionShown = db.prepare<[number, number]>(
    "INSERT INTO drill_session_events (session_id, at, kind) VALUES (?, ?, 'solution')"
  )
  const solutionShownIn = db.prepare<[number], { at: number | null }>(
    "SELECT min(at) AS at FROM drill_session_events WHERE session_id = ? AND kind = 'solution'"
  )
  const lastSolutionShown = db.prepare<[string], { at: number | null }>(`
    SELECT max(e.at) AS at FROM drill_session_events e JOIN drill_sessions s ON s.id = e.session_id
    WHERE s.drill_id = ? AND e.kind = 'solution'`)
  const submittedTests = db.prepare<[number], { n: number }>(
    "SELECT count(*) AS n FROM drill_attempts WHERE session_id = ? AND mode = 'submit' AND status IN ('pass', 'fail')"
  )
  const lastGraded = db.prepare<[string], { at: number; grade: Rating }>(
    "SELECT at, grade FROM drill_attempts WHERE drill_id = ? AND mode = 'submit' AND grade IS NOT NULL ORDER BY at DESC, id DESC LIMIT 1"
  )

  return {
    open: (drillId, since) => toRow(open.get(drillId, since)),
    latest: (drillId) => toRow(latest.get(drillId)),
    start: (drillId, openedAt, timed) => Number(start.run(drillId, openedAt, timed ? 1 : 0).lastInsertRowid),
    endOpenedBefore: (drillId, before, at) => void endOpenedBefore.run(at, drillId, before),
    end: (sessionId, at) => void end.run(at, sessionId),
    hintShown: (sessionId, hint, at) => void hintShown.run(sessionId, at, hint, sessionId, hint),
    hints: (sessionId) => hints.all(sessionId).map((r) => r.hint),
    solutionShown: (sessionId, at) => void solutionShown.run(sessionId, at),
    solutionShownIn: (sessionId) => solutionShownIn.get(sessionId)?.at ?? null,
    lastSolutionShown: (drillId) => lastSolutionShown.get(drillId)?.at ?? null,
    submittedTests: (sessionId) => (submittedTests.get(sessionId)?.n ?? 0) > 0,
    lastGraded: (drillId) => lastGraded.get(drillId) ?? null
  }
}
