// The cards an interview plan covers: every live, unsuspended card of the chosen decks (drill
// cards too once a Submit has scheduled them), new ones in deck order.
import type { CardState } from '../../shared/study'
import type { Db } from './db'

export interface PlanCardRow {
  id: string
  deckId: string
  state: CardState
}

export function createInterviewStore(db: Db) {
  const rows = db.prepare<[string], CardState & { id: string; deckId: string }>(`
    SELECT c.id, c.deck_id AS deckId, c.state, c.due, c.stability, c.difficulty, c.elapsed_days AS elapsedDays,
           c.scheduled_days AS scheduledDays, c.learning_steps AS learningSteps, c.reps, c.lapses,
           c.last_review AS lastReview
      FROM cards c INDEXED BY cards_deck
     WHERE c.deck_id IN (SELECT value FROM json_each(?)) AND c.retired_at IS NULL AND c.suspended = 0
       AND NOT (c.kind = 'drill' AND c.state = 0)
     ORDER BY c.deck_id, c.position, c.seq`)
  const newCount = db.prepare<[string], number>(
    `SELECT count(*) FROM cards INDEXED BY cards_queue WHERE deck_id = ? AND state = 0 AND kind != 'drill'
       AND retired_at IS NULL AND suspended = 0`
  )
  return {
    /** New cards left in a deck (the plan spreads them over the days left). */
    newLeft(deckId: string): number {
      return newCount.pluck().get(deckId) as number
    },
    cardsOf(deckIds: string[]): PlanCardRow[] {
      return rows.all(JSON.stringify(deckIds)).map(({ id, deckId, ...state }) => ({ id, deckId, state }))
    }
  }
}

export type InterviewStore = ReturnType<typeof createInterviewStore>
