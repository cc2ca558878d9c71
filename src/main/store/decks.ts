// Deck summaries for Home and `retransmit stats`.
import type { DeckSummary } from '../../shared/domain'
import type { Db } from './db'

export function createDeckStore(db: Db) {
  // Each count is a correlated subquery on an index (cards_queue, notes_deck, ...), so the
  // cost grows with the number of decks, not with the size of the collection.
  const summaries = db.prepare<{ now: number }, DeckSummary>(`
    SELECT d.id, d.title, d.description,
      (SELECT count(*) FROM notes n WHERE n.deck_id = d.id AND n.retired_at IS NULL) AS notes,
      (SELECT count(*) FROM cards c WHERE c.deck_id = d.id AND c.retired_at IS NULL AND c.kind != 'drill') AS cards,
      (SELECT count(*) FROM quiz_items q WHERE q.deck_id = d.id AND q.retired_at IS NULL) AS quizItems,
      (SELECT count(*) FROM drills r WHERE r.deck_id = d.id AND r.retired_at IS NULL) AS drills,
      (SELECT count(*) FROM cards c INDEXED BY cards_queue
         WHERE c.deck_id = d.id AND c.retired_at IS NULL AND c.suspended = 0
           AND c.state IN (1, 2, 3) AND c.due <= @now
           AND (c.buried_until IS NULL OR c.buried_until <= @now)) AS due,
      (SELECT count(*) FROM cards c INDEXED BY cards_queue
         WHERE c.deck_id = d.id AND c.retired_at IS NULL AND c.suspended = 0 AND c.state = 0 AND c.kind != 'drill'
           AND (c.buried_until IS NULL OR c.buried_until <= @now)) AS new
    FROM decks d
    WHERE d.retired_at IS NULL
    ORDER BY d.position, d.title`)
  const exists = db.prepare<[string], { id: string }>('SELECT id FROM decks WHERE id = ? AND retired_at IS NULL')

  return {
    summaries(now: number): DeckSummary[] {
      return summaries.all({ now })
    },
    exists(id: string): boolean {
      return exists.get(id) !== undefined
    }
  }
}

export type DeckStore = ReturnType<typeof createDeckStore>
