// Quiz items as a quiz reads them, quiz sessions and their answers, and the cards an item
// is linked to. Sessions keep their set-up and what each item showed in `config` (JSON).
import type { QuizData } from '../../shared/domain'
import type { QuizItemFields } from '../content/types'
import type { QuizAnswer, QuizHistoryEntry } from '../../shared/study'
import type { Statement } from 'better-sqlite3'
import type { Db } from './db'

/** A quiz item as a quiz reads it (its tags and drill links are not needed there). */
export type QuizItemRow = Omit<QuizItemFields, 'tags' | 'drills'>

/** An active item that matches a quiz's set-up, with what its past answers say. */
export interface QuizCandidate {
  id: string
  deckId: string
  /** When it was last answered in any quiz (ms), or null if never. */
  lastSeen: number | null
  /** Whether that last answer was right; null if never answered. */
  lastCorrect: boolean | null
}

export interface SessionItem {
  id: string
  deckId: string
  /** What the item showed where that is not the authored order (order steps, match options). */
  shown: string[] | null
}

export interface QuizConfig {
  deckIds: string[]
  tags: string[]
  count: number
  timeLimitSec: number | null
  /** The decks the chosen items come from (sorted): what history lists. */
  decks: string[]
  items: SessionItem[]
}

export interface SessionRow {
  id: number
  startedAt: number
  finishedAt: number | null
  config: QuizConfig
  score: number
  total: number
  durationMs: number
}

export interface SessionAnswer {
  itemId: string
  answeredAt: number
  correct: boolean
}

export interface LinkedCard {
  id: string
  deckId: string
  retired: boolean
  suspended: boolean
}

type ItemDbRow = Omit<QuizItemRow, 'data'> & { data: string }
type SessionDbRow = Omit<SessionRow, 'config'> & { config: string }

const ITEM_COLUMNS = `q.id, q.deck_id AS deckId, q.card_id AS cardId, q.type, q.prompt, q.data, q.explanation`

const rowToItem = (row: ItemDbRow): QuizItemRow => ({ ...row, data: JSON.parse(row.data) as QuizData })
const rowToSession = (row: SessionDbRow): SessionRow => ({ ...row, config: JSON.parse(row.config) as QuizConfig })

export function createQuizStore(db: Db) {
  // Deck and tag filters arrive as JSON arrays; an empty array means "any".
  const candidates = db.prepare<
    { decks: string; tags: string },
    { id: string; deckId: string; lastSeen: number | null; lastCorrect: number | null }
  >(`
    SELECT q.id, q.deck_id AS deckId,
           (SELECT max(a.answered_at) FROM quiz_answers a WHERE a.item_id = q.id) AS lastSeen,
           (SELECT a.correct FROM quiz_answers a WHERE a.item_id = q.id ORDER BY a.answered_at DESC, a.id DESC LIMIT 1) AS lastCorrect
      FROM quiz_items q JOIN decks d ON d.id = q.deck_id
     WHERE q.retired_at IS NULL AND d.retired_at IS NULL
       AND (json_array_length(@decks) = 0 OR q.deck_id IN (SELECT value FROM json_each(@decks)))
       AND (json_array_length(@tags) = 0 OR EXISTS (
             SELECT 1 FROM json_each(@tags) t WHERE instr(' ' || q.tags || ' ', ' ' || t.value || ' ') > 0))
     ORDER BY d.position, q.deck_id, q.position`)
  const item = db.prepare<[string], ItemDbRow>(`SELECT ${ITEM_COLUMNS} FROM quiz_items q WHERE q.id = ?`)
  const insertSession = db.prepare<[number, string]>('INSERT INTO quiz_sessions (started_at, config) VALUES (?, ?)')
  const updateConfig = db.prepare<[string, number, number]>(
    'UPDATE quiz_sessions SET config = ?, total = ? WHERE id = ?'
  )
  const session = db.prepare<[number], SessionDbRow>(`
    SELECT id, started_at AS startedAt, finished_at AS finishedAt, config, score, total, duration_ms AS durationMs
      FROM quiz_sessions WHERE id = ?`)
  const answers = db.prepare<[number], { itemId: string; answeredAt: number; correct: number }>(
    'SELECT item_id AS itemId, answered_at AS answeredAt, correct FROM quiz_answers WHERE session_id = ? ORDER BY id'
  )
  const insertAnswer = db.prepare<[number, string, number, number, string]>(
    'INSERT INTO quiz_answers (session_id, item_id, answered_at, correct, answer) VALUES (?, ?, ?, ?, ?)'
  )
  const finish = db.prepare<{ id: number; finishedAt: number; score: number; total: number; durationMs: number }>(
    'UPDATE quiz_sessions SET finished_at = @finishedAt, score = @score, total = @total, duration_ms = @durationMs WHERE id = @id'
  )
  type CardDbRow = { id: string; deckId: string; retired: number; suspended: number }
  const CARD_COLUMNS = 'id, deck_id AS deckId, retired_at IS NOT NULL AS retired, suspended'
  const exactCard = db.prepare<[string], CardDbRow>(`SELECT ${CARD_COLUMNS} FROM cards WHERE id = ?`)
  // A cloze block's cards are `<block>#c1`, `#c2`, ...: the range ['<block>#c', '<block>#d') on the unique id index.
  const clozeCards = db.prepare<{ from: string; to: string }, CardDbRow>(
    `SELECT ${CARD_COLUMNS} FROM cards WHERE id >= @from AND id < @to AND kind = 'cloze' ORDER BY cloze_ordinal`
  )
  const answeredSince = db.prepare<[string, number], { n: number }>(
    'SELECT count(*) AS n FROM review_log INDEXED BY review_log_card WHERE card_id = +? AND reviewed_at >= +?'
  )

  const toCard = (row: CardDbRow): LinkedCard => ({
    ...row,
    retired: row.retired === 1,
    suspended: row.suspended === 1
  })

  return {
    /** Past quiz sessions, newest first (see listQuizHistory). */
    history: (limit: number): QuizHistoryEntry[] => listQuizHistory(db, limit),
    candidates(deckIds: string[], tags: string[]): QuizCandidate[] {
      return candidates.all({ decks: JSON.stringify(deckIds), tags: JSON.stringify(tags) }).map((row) => ({
        id: row.id,
        deckId: row.deckId,
        lastSeen: row.lastSeen,
        lastCorrect: row.lastCorrect === null ? null : row.lastCorrect === 1
      }))
    },
    item(id: string): QuizItemRow | null {
      const row = item.get(id)
      return row ? rowToItem(row) : null
    },
    /** Creates a session with its set-up; returns its id. */
    insertSession(startedAt: number, config: QuizConfig): number {
      return Number(insertSession.run(startedAt, JSON.stringify(config)).lastInsertRowid)
    },
    updateConfig(id: number, config: QuizConfig): void {
      updateConfig.run(JSON.stringify(config), config.items.length, id)
    },
    session(id: number): SessionRow | null {
      const row = session.get(id)
      return row ? rowToSession(row) : null
    },
    answers(sessionId: number): SessionAnswer[] {
      return answers.all(sessionId).map((row) => ({ ...row, correct: row.correct === 1 }))
    },
    insertAnswer(sessionId: number, itemId: string, answeredAt: number, correct: boolean, answer: QuizAnswer): void {
      insertAnswer.run(sessionId, itemId, answeredAt, correct ? 1 : 0, JSON.stringify(answer))
    },
    finish(id: number, finishedAt: number, score: number, total: number, durationMs: number): void {
      finish.run({ id, finishedAt, score, total, durationMs })
    },
    /**
     * The cards an item's `card:` field names: that card, or every card of a cloze block
     * when it names the block. Retired and suspended cards are included (flagged).
     */
    linkedCards(cardLink: string | null): LinkedCard[] {
      if (!cardLink) return []
      const exact = exactCard.get(cardLink)
      if (exact) return [toCard(exact)]
      if (cardLink.includes('#')) return []
      return clozeCards.all({ from: `${cardLink}#c`, to: `${cardLink}#d` }).map(toCard)
    },
    /** Whether the card has any answer logged (from any source) at or after `sinceMs`. */
    answeredSince(cardId: string, sinceMs: number): boolean {
      return (answeredSince.get(cardId, sinceMs)?.n ?? 0) > 0
    }
  }
}

export type QuizStore = ReturnType<typeof createQuizStore>

/** A history entry as selected: its decks still the JSON text of the session's config (null: none). */
type HistoryRow = Omit<QuizHistoryEntry, 'decks'> & { decks: string | null }

// One prepared statement per open database, so Stats can call this on every report.
const historyStatements = new WeakMap<Db, Statement<[number], HistoryRow>>()

/**
 * Past quiz sessions, newest first. Unfinished sessions count the answers given so far and
 * every item they hold; `finishedAt` is null for them.
 */
export function listQuizHistory(db: Db, limit: number): QuizHistoryEntry[] {
  let statement = historyStatements.get(db)
  if (!statement) {
    statement = db.prepare<[number], HistoryRow>(`
      SELECT s.id, s.started_at AS startedAt, s.finished_at AS finishedAt,
             CASE WHEN s.finished_at IS NULL
                  THEN (SELECT count(*) FROM quiz_answers a WHERE a.session_id = s.id AND a.correct = 1)
                  ELSE s.score END AS score,
             CASE WHEN s.finished_at IS NULL THEN coalesce(json_array_length(s.config, '$.items'), 0) ELSE s.total END AS total,
             s.duration_ms AS durationMs,
             json_extract(s.config, '$.decks') AS decks
        FROM quiz_sessions s
       ORDER BY s.started_at DESC, s.id DESC
       LIMIT ?`)
    historyStatements.set(db, statement)
  }
  return statement
    .all(Math.max(0, Math.floor(limit)))
    .map((row) => ({ ...row, decks: row.decks ? (JSON.parse(row.decks) as string[]) : [] }))
}
