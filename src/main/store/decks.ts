// Deck summaries for Home and `retransmit stats`.
import type { DeckSummary } from '../../shared/domain'
import type { Db } from './db'

export type DeckRow = Omit<DeckSummary, 'due' | 'new' | 'learning' | 'review'>

export function createDeckStore(db: Db) {
  // Each count is a correlated subquery on an index (cards_queue, notes_deck, ...), so the
  // cost grows with the number of decks, not with the size of the collection.
  // Study counts (due, new) come from the review service, which applies the daily limits.
  // `cards` counts every live card, a drill's own card included, from card_counts as Stats does.
  const summaries = db.prepare<[], DeckRow>(`
    SELECT d.id, d.title, d.description,
      (SELECT count(*) FROM notes n WHERE n.deck_id = d.id AND n.retired_at IS NULL) AS notes,
      coalesce((SELECT sum(k.n) FROM card_counts k WHERE k.deck_id = d.id), 0) AS cards,
      (SELECT count(*) FROM quiz_items q WHERE q.deck_id = d.id AND q.retired_at IS NULL) AS quizItems,
      (SELECT count(*) FROM drills r WHERE r.deck_id = d.id AND r.retired_at IS NULL) AS drills
    FROM decks d
    WHERE d.retired_at IS NULL
    ORDER BY d.position, d.title`)
  const exists = db.prepare<[string], { id: string }>('SELECT id FROM decks WHERE id = ? AND retired_at IS NULL')

  return {
    summaries(): DeckRow[] {
      return summaries.all()
    },
    exists(id: string): boolean {
      return exists.get(id) !== undefined
    }
  }
}

export type DeckStore = ReturnType<typeof createDeckStore>
