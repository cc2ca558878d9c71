// The cards an interview plan covers: every live, unsuspended card of the chosen decks (drill
// cards too once a Submit has scheduled them), new ones in deck order.
import type { CardState } from '../../shared/study'
import type { Db } from './db'
import { STATE_COLUMNS } from './study-cards'

export interface PlanCardRow {
  id: string
  deckId: string
  state: CardState
}

export function createInterviewStore(db: Db) {
  const rows = db.prepare<[string], CardState & { id: string; deckId: string }>(`
    SELECT id, deck_id AS deckId, ${STATE_COLUMNS}
      FROM cards INDEXED BY cards_deck
     WHERE deck_id IN (SELECT value FROM json_each(?)) AND retired_at IS NULL AND suspended = 0
       AND NOT (kind = 'drill' AND state = 0)
     ORDER BY deck_id, position, seq`)
  // Buried new cards count too: they still have to be introduced before the day.
  const newCount = db
    .prepare<[string], number>(
      `SELECT count(*) FROM cards INDEXED BY cards_queue WHERE deck_id = ? AND state = 0 AND kind != 'drill'
         AND retired_at IS NULL AND suspended = 0`
    )
    .pluck()
  return {
    /** New cards left in a deck (the plan spreads them over the days left). */
    newLeft(deckId: string): number {
      return newCount.get(deckId)!
    },
    cardsOf(deckIds: string[]): PlanCardRow[] {
      return rows.all(JSON.stringify(deckIds)).map(({ id, deckId, ...state }) => ({ id, deckId, state }))
    }
  }
}

export type InterviewStore = ReturnType<typeof createInterviewStore>
