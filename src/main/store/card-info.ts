// A card's history for its info panel: the card's FSRS columns and every review_log row.
import type { CardState } from '../../shared/study'
import type { Db } from './db'

export interface InfoCardRow extends CardState {
  id: string
  deckId: string
  front: string
  tags: string
  flag: number
}

export interface InfoLogRow {
  reviewedAt: number
  rating: number
  source: 'review' | 'quiz' | 'drill' | 'manual'
  /** The card's state before this answer (JSON of CardState). */
  previous: string
}

export interface CardInfoStore {
  card(id: string): InfoCardRow | null
  reviews(id: string): InfoLogRow[]
}

export function createCardInfoStore(db: Db): CardInfoStore {
  const card = db.prepare<[string], InfoCardRow>(`
    SELECT id, deck_id AS deckId, front, tags, flag, state, due, stability, difficulty, elapsed_days AS elapsedDays,
           scheduled_days AS scheduledDays, learning_steps AS learningSteps, reps, lapses, last_review AS lastReview
      FROM cards WHERE id = ? AND retired_at IS NULL`)
  // `+?`: a bare parameter here made each call prepare the statement again (see study-cards.ts's ACTIVE).
  const reviews = db.prepare<[string], InfoLogRow>(`
    SELECT reviewed_at AS reviewedAt, rating, source, prev_card AS previous
      FROM review_log INDEXED BY review_log_card WHERE card_id = +? ORDER BY reviewed_at, id`)
  return {
    card: (id) => card.get(id) ?? null,
    reviews: (id) => reviews.all(id)
  }
}
