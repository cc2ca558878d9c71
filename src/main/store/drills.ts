// Drills as stored: their rows (from content sync), attempts, and drafts.
import type { DrillStatus, DrillSummary } from '../../shared/drills'
import type { Db } from './db'

interface SummaryRow {
  id: string
  title: string
  deck: string
  deckTitle: string
  meta: string
  lastSubmit: DrillStatus | null
  attempts: number
  state: number
  due: number
}

export interface AttemptInsert {
  drillId: string
  at: number
  mode: 'run' | 'submit'
  status: DrillStatus
  passed: number
  total: number
  durationMs: number
  hintsUsed: number
  code: string
  result: string
  /** The attempt (drill_sessions row) it belongs to. */
  sessionId: number
  /** A Submit's grade (1-4), or null: a Run, or a Submit that was not graded. */
  grade: number | null
}

export function createDrillStore(db: Db) {
  const summaries = db.prepare<[], SummaryRow>(`
    SELECT r.id, r.title, r.deck_id AS deck, d.title AS deckTitle, r.meta,
      (SELECT a.status FROM drill_attempts a WHERE a.drill_id = r.id AND a.mode = 'submit' ORDER BY a.at DESC LIMIT 1) AS lastSubmit,
      (SELECT count(*) FROM drill_attempts a WHERE a.drill_id = r.id) AS attempts,
      coalesce(c.state, 0) AS state, coalesce(c.due, 0) AS due
    FROM drills r JOIN decks d ON d.id = r.deck_id LEFT JOIN cards c ON c.id = 'drill:' || r.id
    WHERE r.retired_at IS NULL
    ORDER BY d.position, r.id`)
  const insertAttempt = db.prepare(`
    INSERT INTO drill_attempts (drill_id, at, mode, status, passed, total, duration_ms, hints_used, code, result, session_id, grade)
    VALUES (@drillId, @at, @mode, @status, @passed, @total, @durationMs, @hintsUsed, @code, @result, @sessionId, @grade)`)
  const draft = db.prepare<[string], { code: string }>('SELECT code FROM drill_drafts WHERE drill_id = ?')
  const putDraft = db.prepare(
    'INSERT INTO drill_drafts (drill_id, code, updated_at) VALUES (?, ?, ?) ON CONFLICT (drill_id) DO UPDATE SET code = excluded.code, updated_at = excluded.updated_at'
  )

  const toSummary = (row: SummaryRow): DrillSummary => ({
    id: row.id,
    title: row.title,
    deck: row.deck,
    deckTitle: row.deckTitle,
    difficulty: (JSON.parse(row.meta) as { difficulty?: DrillSummary['difficulty'] }).difficulty ?? 'core',
    lastSubmit: row.lastSubmit,
    attempts: row.attempts,
    due: row.state > 0 ? row.due : null
  })

  return {
    summaries: (): DrillSummary[] => summaries.all().map(toSummary),
    summary: (id: string): DrillSummary | null =>
      summaries
        .all()
        .map(toSummary)
        .find((s) => s.id === id) ?? null,
    insertAttempt: (attempt: AttemptInsert): void => void insertAttempt.run(attempt),
    draft: (id: string): string | null => draft.get(id)?.code ?? null,
    saveDraft: (id: string, code: string, now: number): void => void putDraft.run(id, code, now)
  }
}

export type DrillStore = ReturnType<typeof createDrillStore>
