// The append-only review log. Rows are removed only by undo.
import type { CardState } from '../../shared/study'
import type { LogEntry } from '../scheduler/fsrs'
import type { Db } from './db'

export interface LogInsert extends LogEntry {
  cardId: string
  deckId: string
  studyDay: number
  durationMs: number
  source: 'review' | 'quiz' | 'drill'
  previous: CardState
}

export interface LastLog {
  id: number
  cardId: string
  source: string
  previous: CardState
}

export function createReviewLogStore(db: Db) {
  const insert = db.prepare(`
    INSERT INTO review_log (card_id, deck_id, reviewed_at, study_day, rating, state, due, stability, difficulty,
      elapsed_days, last_elapsed_days, scheduled_days, learning_steps, duration_ms, source, prev_card)
    VALUES (@cardId, @deckId, @reviewedAt, @studyDay, @rating, @state, @due, @stability, @difficulty,
      @elapsedDays, @lastElapsedDays, @scheduledDays, @learningSteps, @durationMs, @source, @previous)`)
  const last = db.prepare<[string], { id: number; cardId: string; source: string; previous: string }>(
    `SELECT id, card_id AS cardId, source, prev_card AS previous FROM review_log WHERE source = ? ORDER BY id DESC LIMIT 1`
  )
  const remove = db.prepare('DELETE FROM review_log WHERE id = ?')
  const today = db.prepare<{ day: number; deck: string | null }, { newCards: number; reviews: number }>(`
    SELECT coalesce(sum(new_cards), 0) AS newCards, coalesce(sum(answers - new_cards), 0) AS reviews
      FROM review_daily WHERE study_day = @day AND (@deck IS NULL OR deck_id = @deck)`)
  const byDeck = db.prepare<[number], { deckId: string; newCards: number; reviews: number }>(`
    SELECT deck_id AS deckId, new_cards AS newCards, answers - new_cards AS reviews FROM review_daily WHERE study_day = ?`)
  const answeredOnDay = db.prepare<[string, number], { n: number }>(
    'SELECT count(*) AS n FROM review_log INDEXED BY review_log_card WHERE card_id = +? AND reviewed_at >= +?'
  )
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM review_log')
  const latestSince = db.prepare<[string, number], { rating: number }>(
    'SELECT rating FROM review_log INDEXED BY review_log_card WHERE card_id = +? AND reviewed_at >= +? ORDER BY reviewed_at DESC, id DESC LIMIT 1'
  )

  return {
    insert(entry: LogInsert): number {
      return Number(insert.run({ ...entry, previous: JSON.stringify(entry.previous) }).lastInsertRowid)
    },
    last(source: LogInsert['source'] = 'review'): LastLog | null {
      const row = last.get(source)
      return row ? { ...row, previous: JSON.parse(row.previous) as CardState } : null
    },
    /** The grade of a card's latest answer at or after `since` (ms), or null if none. */
    latestRatingSince(cardId: string, since: number): number | null {
      return latestSince.get(cardId, since)?.rating ?? null
    },
    remove(id: number): void {
      remove.run(id)
    },
    /** New cards introduced and other answers given on a study day, in one deck or all. */
    doneOnDay(day: number, deckId: string | null): { newCards: number; reviews: number } {
      return today.get({ day, deck: deckId }) ?? { newCards: 0, reviews: 0 }
    },
    /** The same, deck by deck. */
    doneOnDayByDeck(day: number): Map<string, { newCards: number; reviews: number }> {
      return new Map(byDeck.all(day).map(({ deckId, ...done }) => [deckId, done]))
    },
    answeredSince(cardId: string, sinceMs: number): boolean {
      return (answeredOnDay.get(cardId, sinceMs)?.n ?? 0) > 0
    },
    count(): number {
      return count.get()?.n ?? 0
    },
    /** Every answer as (card, rating, study day): the optimizer's input (see readRatingHistory). */
    ratingHistory: () => readRatingHistory(db)
  }
}

export type ReviewLogStore = ReturnType<typeof createReviewLogStore>

/** Every answer as (card, rating, study day), in card and time order: the optimizer's input. */
export function readRatingHistory(db: Db): Iterable<{ cardId: string; rating: number; studyDay: number }> {
  return db
    .prepare<[], { cardId: string; rating: number; studyDay: number }>(
      `SELECT card_id AS cardId, rating, study_day AS studyDay FROM review_log INDEXED BY review_log_card
        WHERE rating BETWEEN 1 AND 4 ORDER BY card_id, reviewed_at, id`
    )
    .iterate()
}
